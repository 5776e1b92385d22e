/* SPDX-License-Identifier: MIT */
/*
 * sk.h - the partition SDK: everything a partition program needs to
 * talk to sepkernel.  A program defines main(); printf() and friends
 * come from picolibc and print through the console hypercall.
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

struct sk_ret sk_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2, unsigned long a3);

/* Console: whole lines appear as "[name] text" on the system console. */
void sk_putc(char c);
void sk_puts(const char *s);

/* Kernel services. */
void sk_yield(void);				/* give away the rest of the slot */
long sk_info(unsigned key);			/* SK_INFO_* of the caller */
void sk_kick(void);				/* health-monitor watchdog */
void sk_set_timer(uint64_t when);		/* SBI TIME: VS timer interrupt */
void sk_exit(int status) __attribute__((noreturn));	/* stop this partition */
void sk_reboot(void) __attribute__((noreturn));	/* restart this partition */

static inline uint64_t sk_time(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

#define SK_TICKS_PER_US	10	/* the timebase is 10 MHz */

/* The partition's own device tree (read-only, given by the kernel). */
const void *sk_dt(void);
const void *sk_dt_prop(const char *node, const char *prop, int *len);
uint64_t sk_dt_u64(const char *node, const char *prop, uint64_t dflt);
const char *sk_dt_str(const char *node, const char *prop);
const char *sk_name(void);			/* this partition's name */
uint64_t sk_ram_size(void);			/* bytes of RAM at 0x80000000 */

/*
 * Channels: ids come from the device tree; calls return 0 or a negative
 * SBI_ERR_* / SK_ERR_* code (sk_recv: the length received).
 */
int sk_chan(const char *name);			/* -1 if not granted */
long sk_send(int ch, const void *msg, size_t len, unsigned type);
long sk_recv(int ch, void *buf, size_t cap, struct sk_msg_info *info);
long sk_recv_wait(int ch, void *buf, size_t cap, struct sk_msg_info *info);
long sk_notify(int ch);				/* ring the readers' doorbell */
long sk_status(int ch, struct sk_chan_status *st);
uint64_t sk_notified(void);			/* doorbells pending, cleared */
void *sk_window(const char *name, size_t *size);	/* shared window */

/* Interrupts: the virtual timer and doorbells, delivered to these hooks. */
void sk_irq_init(void);				/* install the vector, enable */
void sk_on_timer(void);				/* weak: override to handle */
void sk_on_notify(void);			/* weak: override to handle */

int main(void);

#endif /* SK_H */
