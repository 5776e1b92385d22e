/* SPDX-License-Identifier: MIT */
/*
 * sk.h - the partition SDK: everything a partition program needs to
 * talk to sepkernel.  A program defines main(); printf() and friends
 * come from picolibc and print through the console hypercall.
 * docs/SDK.md describes every call with an example.
 *
 * Errors: calls that can fail return 0 (or a length) on success and a
 * negative SBI_ERR_* / SK_ERR_* code from sk_abi.h otherwise; each
 * refusal has its own code, and sk_strerror() says it in words.
 */
#ifndef SK_H
#define SK_H

#include <stddef.h>
#include <stdint.h>
#include "sk_abi.h"

struct sk_ret {
	long error;
	long value;
};

/* A raw SBI call: a7 = ext, a6 = fid, a0..a3; returns a0 (error), a1. */
struct sk_ret sk_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2, unsigned long a3);

/* Console: whole lines appear as "[name] text" on the system console. */
void sk_putc(char c);				/* one character (line buffered by the kernel) */
void sk_puts(const char *s);			/* a string, no newline added */

/* Kernel services. */
void sk_yield(void);				/* give away the rest of the slot */
long sk_info(unsigned key);			/* SK_INFO_* of the caller */
void sk_kick(void);				/* health-monitor watchdog */
void sk_set_timer(uint64_t when);		/* SBI TIME: VS timer interrupt at time `when` */
void sk_exit(int status) __attribute__((noreturn));	/* stop this partition */
void sk_reboot(void) __attribute__((noreturn));	/* restart this partition */
const char *sk_strerror(long err);		/* an error code in words */

/*
 * Periodic work.  sk_frame() is the number of major frames the
 * partition's hart has completed; sk_wait_next_frame() gives its slots
 * away until the next major frame has begun and returns that frame's
 * number: a loop around it runs once per frame.
 */
uint64_t sk_frame(void);
uint64_t sk_wait_next_frame(void);

static inline uint64_t sk_time(void)		/* time in ticks (10 MHz) */
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

#define SK_TICKS_PER_US	10	/* the timebase is 10 MHz */

/* The partition's own device tree (read-only, given by the kernel). */
const void *sk_dt(void);			/* the blob (a1 at entry) */
const void *sk_dt_prop(const char *node, const char *prop, int *len);	/* NULL if absent */
uint64_t sk_dt_u64(const char *node, const char *prop, uint64_t dflt);	/* 1 or 2 cells */
const char *sk_dt_str(const char *node, const char *prop);	/* NULL if absent */
const char *sk_dt_child(const char *node, unsigned i);	/* i-th child's name, NULL past the end */
const char *sk_name(void);			/* this partition's name */
uint64_t sk_ram_size(void);			/* bytes of RAM at 0x80000000 */

/*
 * The partition's args (the config's `args = { ... }`, exported under
 * /config).  Reading them with these macros also declares each key in
 * the program's ELF (a section .sk_args that is never loaded), so the
 * config compiler rejects an args key the program does not read, with
 * a did-you-mean: a typo on either side is a build error, not a
 * silently used default.  The key must be a string literal.
 */
#define SK_ARG_DECLARE(kind, key)					\
	__asm__(".pushsection .sk_args,\"\",@progbits\n\t"		\
		".asciz \"" kind ":" key "\"\n\t.popsection")
#define sk_arg_u64(key, dflt)						\
	({ SK_ARG_DECLARE("u64", key); sk_dt_u64("/config", key, dflt); })
#define sk_arg_str(key)							\
	({ SK_ARG_DECLARE("str", key); sk_dt_str("/config", key); })

/*
 * Channels: ids come from the device tree; calls return 0 or a negative
 * SBI_ERR_* / SK_ERR_* code (sk_recv: the length received).
 */
int sk_chan(const char *name);			/* id, or SK_ERR_BAD_CHANNEL and a console line */
int sk_chan_find(const char *name);		/* the same, silently (optional channels) */
long sk_send(int ch, const void *msg, size_t len, unsigned type);
long sk_recv(int ch, void *buf, size_t cap, struct sk_msg_info *info);
long sk_recv_wait(int ch, void *buf, size_t cap, struct sk_msg_info *info);
long sk_notify(int ch);				/* ring the readers' doorbell */
long sk_status(int ch, struct sk_chan_status *st);
uint64_t sk_notified(void);			/* doorbells pending, cleared */
void *sk_window(const char *name, size_t *size);	/* shared window, NULL (and a line) if none */

/* Interrupts: the virtual timer and doorbells, delivered to these hooks. */
void sk_irq_init(void);				/* install the vector, enable */
void sk_on_timer(void);				/* weak: override to handle */
void sk_on_notify(void);			/* weak: override to handle */
void sk_on_external(void);			/* weak: its virtual PLIC (plic = true) */

int main(void);

#endif /* SK_H */
