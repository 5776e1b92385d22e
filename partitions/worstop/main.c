// SPDX-License-Identifier: MIT
/*
 * worstop - the kernel's longest operations, started at the very end of
 * each slot: one tick before the partition's stop, it makes the call
 * that keeps the kernel busiest, so that the scenario can check that the
 * next partition's slot still starts exactly on time (harness/test_guard.py).
 *
 * /config: op (which operation, below; "all" takes each in turn, one per
 * slot), guard (the system's guard, ticks), frames (slots to use), and
 * measure = 1 to time each operation in mid-slot instead (cost lines).
 *
 *   line    a DBCN write finishing a line of the longest length (160)
 *   flood   lines back to back up to the stop: the console at its
 *           busiest, each line holding the lock its longest time
 *   deny    a refused call: an audit line and an audit record
 *   send4k  a 4 KiB message copied into a sampling channel
 *   notify  a doorbell
 *   putc    a legacy putchar that finishes a 160-character line
 *   fault   an illegal instruction: fault and restart lines
 */
#include <stdio.h>
#include <string.h>
#include "sk.h"

static char line[162];
static uint8_t big[4096];
static int big_ch = -1, bell_ch = -1;

static const char *const ops[] = { "line", "deny", "send4k", "notify", "putc",
				   "flood", "fault" };
#define NOPS	(sizeof(ops) / sizeof(ops[0]))

static void write_line(void)
{
	size_t n = 161, off = 0;

	while (off < n) {
		struct sk_ret r = sk_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE, n - off,
					   (unsigned long)(line + off), 0, 0);
		if (r.error || r.value < 0)
			return;
		off += (size_t)r.value;
	}
}

static void do_op(unsigned op, uint64_t stop)
{
	switch (op) {
	case 0:
		write_line();
		break;
	case 1:		/* channel id nobody granted: refused, audited */
		sk_ecall(SK_EID, SK_FID_CHAN_SEND, 1000, 0, 0, 1);
		break;
	case 2:
		sk_send(big_ch, big, sizeof(big), 1);
		break;
	case 3:
		sk_notify(bell_ch);
		break;
	case 4:
		for (int i = 0; i < 160; i++)
			sk_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, 'p', 0, 0, 0);
		while (sk_time() < stop - 1)
			;
		sk_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, '\n', 0, 0, 0);
		break;
	case 5:
		while (sk_time() < stop)
			write_line();
		break;
	case 6:
		__asm__ volatile(".word 0");	/* illegal instruction */
		break;
	}
}

static unsigned op_index(const char *name)
{
	for (unsigned i = 0; i < NOPS; i++)
		if (name && !strcmp(name, ops[i]))
			return i;
	return NOPS;		/* "all" */
}

static void measure(void)
{
	for (unsigned op = 0; op < 4; op++) {
		uint64_t t0, n = op == 1 ? 8 : 16;

		sk_yield();		/* a fresh slot: n calls fit in it */
		t0 = sk_time();

		for (uint64_t i = 0; i < n; i++)
			do_op(op, 0);
		printf("cost op=%s n=%lu ticks=%lu\n", ops[op], (unsigned long)n,
		       (unsigned long)(sk_time() - t0));
	}
}

int main(void)
{
	uint64_t guard = sk_dt_u64("/config", "guard", 100);
	uint64_t frames = sk_dt_u64("/config", "frames", 20);
	unsigned which = op_index(sk_dt_str("/config", "op"));

	memset(line, 'w', 160);
	line[160] = '\n';
	big_ch = sk_chan("big");
	bell_ch = sk_chan("bell");
	if (sk_dt_u64("/config", "measure", 0)) {
		measure();
		sk_exit(0);
	}
	printf("worstop op=%s guard=%lu\n", which < NOPS ? ops[which] : "all",
	       (unsigned long)guard);
	sk_yield();
	for (uint64_t i = 0; i < frames; i++) {
		uint64_t end = (uint64_t)sk_info(SK_INFO_SLOT_END);
		uint64_t stop = end - guard;
		unsigned op = which < NOPS ? which : (unsigned)(i % NOPS);

		while (sk_time() < stop - 1)	/* one tick before the stop */
			;
		do_op(op, stop);
		while (sk_time() < end)		/* preempted at the stop */
			;
	}
	sk_exit(0);
}
