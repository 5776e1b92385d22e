/* SPDX-License-Identifier: MIT */
/* part.h - a partition's run-time state: its vcpu, counters and console line. */
#ifndef SK_PART_H
#define SK_PART_H

#include <stdint.h>
#include "arch/vcpu.h"
#include "sk/console.h"
#include "crypto/blake2b.h"
#include "sk/system.h"

struct hart;

/* A partition's virtual 16550 (core/vuart.c): the registers it can set. */
struct vuart {
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	uint8_t thri;		/* THR-empty interrupt pending (IIR) */
	uint8_t shown;		/* this line's start was shown early (a prompt) */
	uint32_t idle_polls;	/* empty receiver polls since its last output */
};

/*
 * Its virtual PLIC (core/vplic.c), one context: source 1 is the UART,
 * source 2 + i the doorbell of port i; one bit per source.
 */
struct vplic {
	uint8_t prio[64];	/* 0 (never) .. 7 */
	uint64_t level[8];	/* the sources at each priority (1..7 used) */
	uint64_t enable;
	uint64_t claimed;	/* claimed, not yet completed */
	uint32_t threshold;
};

#define SK_LINE_MAX	160

enum part_state {
	PART_READY = 0,		/* runs in its slots */
	PART_STOPPED,		/* halted for good */
	PART_RESTARTING,	/* being reloaded, chunk by chunk, in its own slots */
};

struct part {
	struct vcpu vcpu;	/* first: trap.S hands us &vcpu == part */
	const struct sk_part_desc *desc;
	struct hart *hart;	/* the hart it is pinned to */
	uint8_t state;
	uint32_t faults;
	uint32_t restarts;	/* since boot */
	uint32_t window_restarts;	/* inside the current restart window */
	uint64_t window_frame;	/* frame where that window began */
	uint64_t rl_off;	/* reload: bytes hashed (then cleared) so far */
	uint64_t rl_frame;	/* reload: the frame it was asked for */
	uint64_t rl_hash_cost;	/* ticks of one hash+copy chunk, worst seen */
	uint64_t rl_clear_cost;	/* ticks of one clear chunk, worst seen */
	struct blake2b_ctx rl_hash;	/* reload: the digest so far */
	uint8_t digest[BLAKE2B_DIGEST_SIZE];	/* verified at boot */
	const char *restart_cause;
	uint32_t denials;
	uint64_t kick_frame;	/* frame of the last watchdog kick */
	uint64_t notify_pending;	/* doorbells rung, bit = port id */
	uint32_t wait_port;	/* port + 1 it is parked on, 0 = none */
	/*
	 * An OS (delegate_faults) takes its doorbell as an interrupt only
	 * once it asked for its doorbells (SK_INFO_NOTIFIED): a Linux
	 * without the channel driver has no handler and would take the
	 * unclaimed software interrupt forever.
	 */
	uint32_t doorbell_armed;
	uint32_t audit_count;	/* audit records in audit_frame */
	uint64_t audit_frame;
	uint32_t audit_suppressed;	/* records over the per-frame limit */
	uint32_t line_len;
	char line[SK_LINE_MAX];
	struct cons_q cq;	/* finished lines waiting for the console */
	struct vuart uart;	/* with [partition] uart = true */
	struct vplic plic;	/* with [partition] plic = true */
};

extern struct part sk_part_table[];

static inline struct part *part_get(unsigned id)
{
	struct part *p = &sk_part_table[id];

	/*
	 * One multiply, once: without this empty asm GCC forgets p and
	 * rebuilds each field's address from the symbol (auipc pairs).
	 */
	__asm__("" : "+r"(p));
	return p;
}
void part_boot_all(void);
void part_restart(struct part *p, const char *cause);
void part_reload_step(struct part *p, uint64_t deadline);
void part_stop(struct part *p, const char *reason);
int part_flush_line(struct part *p);
int part_putc(struct part *p, char c);
const void *part_guest_ptr(struct part *p, uint64_t gpa, uint64_t len,
			   int write);

/*
 * Does [gpa, gpa + len) lie in d's RAM?  Two compares: a gpa below the
 * RAM wraps to an offset larger than any RAM.  The common case of
 * part_guest_ptr(), inline: the channel fast paths call nothing.
 */
static inline int part_ram_holds(const struct sk_part_desc *d, uint64_t gpa,
				 uint64_t len)
{
	uint64_t off = gpa - SK_GUEST_RAM_BASE;

	return off < d->ram_size && len <= d->ram_size - off;
}

/* The host address of gpa, which part_ram_holds() has accepted. */
static inline void *part_ram_at(const struct sk_part_desc *d, uint64_t gpa)
{
	return (void *)(d->ram_hpa + (gpa - SK_GUEST_RAM_BASE));
}

#endif /* SK_PART_H */
