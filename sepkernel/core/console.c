// SPDX-License-Identifier: MIT
/*
 * console.c - every line on the console, kernel's or partition's, is
 * written whole under one lock, with its prefix, so the harness can
 * always tell who said what, even with several harts talking at once.
 *
 * Writing a line takes time (a few instructions a character on the
 * UART, an M-mode round trip a character through the SBI), and the
 * kernel cannot be interrupted meanwhile.  So a path that a partition
 * starts never writes a line that could run past the partition's stop,
 * and never waits for another hart: its lines (and the kernel's lines
 * about it) go to its own queue, and a queued line is written only
 * when the console lock is free at once and the whole line fits before
 * the partition must stop (sk_system.line_ticks: the compiler's bound
 * for one line on this console), or in idle time before the next
 * boundary.  A partition whose queue is full is told to try again (a
 * partial DBCN write, a re-executed putchar): its own time, no one
 * else's.  Lines of kernel-only paths (boot, halt) are written at once.
 */
#include <stdarg.h>
#include <stdint.h>
#include "arch/csr.h"
#include "sbi_call.h"
#include "sk/board.h"
#include "sk/console.h"
#include "sk/lib.h"
#include "sk/sched.h"
#include "sk/spinlock.h"
#include "sk/system.h"
#include "sk_abi.h"

static volatile uint32_t cons_lock;
static volatile int halt_owner = -1;	/* the halting hart keeps the lock */

/* This hart's id, from the kernel stack it runs on. */
static int my_hart(void)
{
	extern char sk_stacks[];
	uintptr_t sp;

	__asm__ volatile("mv %0, sp" : "=r"(sp));
	return (int)((sp - (uintptr_t)sk_stacks) / SK_STACK_SIZE);
}

static int halting_here(void)
{
	return halt_owner >= 0 && halt_owner == my_hart();
}

static void lock(void)
{
	if (!halting_here())
		spin_lock(&cons_lock);
}

static void unlock(void)
{
	if (!halting_here())
		spin_unlock(&cons_lock);
}

/*
 * Where characters go: the board's UART, driven directly (the default:
 * a few instructions a character), or the SBI below us - its debug
 * console extension if it has one, the legacy putchar otherwise (an
 * M-mode round trip a character: slow, but needs no UART driver).
 */
static int sbi_dbcn;

void cons_init(void)
{
	if (sk_system.console_sbi)
		sbi_dbcn = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT,
				     SBI_EXT_DBCN, 0, 0).value != 0;
}

static void cons_putc(char c)
{
	if (!sk_system.console_sbi)
		uart_putc(c);
	else if (sbi_dbcn)
		sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, (uint8_t)c, 0, 0);
	else
		sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (uint8_t)c, 0, 0);
}

/* A byte of console input from the same place, or -1. */
int cons_getc(void)
{
	if (!sk_system.console_sbi)
		return uart_getc();
	return (int)sbi_ecall(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0).error;
}

static void puts_n(const char *s, size_t n)
{
	while (n--)
		cons_putc(*s++);
}

/* ---- a partition's queue ------------------------------------------------ */

/* Queue the pieces as one line (a '\n' is added); -1 if it does not fit. */
static int q_line(struct cons_q *q, const char *const *piece,
		  const size_t *len, int n)
{
	uint32_t t = q->tail, need = 1;

	for (int i = 0; i < n; i++)
		need += (uint32_t)len[i];
	if (SK_CONS_Q - (t - __atomic_load_n(&q->head, __ATOMIC_ACQUIRE)) < need)
		return -1;
	for (int i = 0; i < n; i++)
		for (size_t j = 0; j < len[i]; j++)
			q->buf[t++ % SK_CONS_Q] = piece[i][j];
	q->buf[t++ % SK_CONS_Q] = '\n';
	__atomic_store_n(&q->tail, t, __ATOMIC_RELEASE);
	return 0;
}

static int q_empty(struct cons_q *q)
{
	return __atomic_load_n(&q->head, __ATOMIC_RELAXED) ==
	       __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE);
}

/* Write the oldest queued line; the console lock is held. */
static void q_write_line(struct cons_q *q)
{
	uint32_t h = q->head;
	char c;

	do {
		c = q->buf[h++ % SK_CONS_Q];
		cons_putc(c);
	} while (c != '\n');
	__atomic_store_n(&q->head, h, __ATOMIC_RELEASE);
}

/* Write q's lines while each fits before until and the console is free. */
static void q_drain(struct cons_q *q, uint64_t until)
{
	while (!q_empty(q)) {
		uint64_t t0 = time_now(), dt;

		if (until < sk_system.line_ticks ||
		    t0 > until - sk_system.line_ticks)
			return;
		if (!spin_trylock(&cons_lock))
			return;		/* another hart is writing: later */
		q_write_line(q);
		spin_unlock(&cons_lock);
		/* Per queue: no partition's timing depends on another's lines. */
		dt = time_now() - t0;
		if (dt > q->line_max)
			q->line_max = (uint32_t)dt;
	}
}

int cons_part_line(struct part *p, const char *text, size_t len)
{
	const char *piece[] = { "[", p->desc->name, "] ", text };
	size_t plen[] = { 1, strlen(p->desc->name), 2, len };

	if (halting_here()) {		/* the last words: straight out */
		for (int i = 0; i < 4; i++)
			puts_n(piece[i], plen[i]);
		cons_putc('\n');
		return 0;
	}
	return q_line(&p->cq, piece, plen, 4);
}

void part_event(struct part *p, const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	const char *piece[2] = { "[sk] ", buf };
	size_t plen[2] = { 5, 0 };

	va_start(ap, fmt);
	plen[1] = sk_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (halting_here()) {
		puts_n(piece[0], plen[0]);
		puts_n(buf, plen[1]);
		cons_putc('\n');
	} else if (q_line(&p->cq, piece, plen, 2)) {
		p->cq.lost++;
	}
}

/*
 * Has p no lines waiting for the console?  Only a yes or no: whoever
 * then writes them out (q_drain) orders its reads with q_empty().
 */
int cons_idle(struct part *p)
{
	return __atomic_load_n(&p->cq.head, __ATOMIC_RELAXED) ==
	       __atomic_load_n(&p->cq.tail, __ATOMIC_RELAXED);
}

void cons_drain(struct part *p)
{
	/* Most switches find nothing queued: test before paying for a call. */
	if (!q_empty(&p->cq))
		q_drain(&p->cq, p->hart->stop_at);
}

void cons_drain_until(struct part *p, uint64_t until)
{
	if (p)
		q_drain(&p->cq, until);
}

uint64_t cons_line_max(void)
{
	uint64_t m = 0;

	for (unsigned i = 0; i < sk_system.nparts; i++)
		if (part_get(i)->cq.line_max > m)
			m = part_get(i)->cq.line_max;
	return m;
}

/* Kernel lines about a partition that found its queue full. */
void cons_lost_summary(void)
{
	for (unsigned i = 0; i < sk_system.nparts; i++) {
		struct part *p = part_get(i);

		if (p->cq.lost)
			sk_event("event=console_lost part=%s lines=%u",
				 p->desc->name, p->cq.lost);
	}
}

/*
 * The system is halting: take the console for good, write out every
 * queued line, so that this hart's last lines (the summary, the halt)
 * are the last on it, whatever the other harts were about to print.
 */
void cons_take(void)
{
	lock();
	halt_owner = my_hart();
	for (unsigned i = 0; i < sk_system.nparts; i++) {
		struct cons_q *q = &part_get(i)->cq;

		while (!q_empty(q))
			q_write_line(q);
	}
}

void sk_event(const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = sk_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	lock();
	puts_n("[sk] ", 5);
	puts_n(buf, n);
	cons_putc('\n');
	unlock();
}
