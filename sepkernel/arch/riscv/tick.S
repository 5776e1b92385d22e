/* SPDX-License-Identifier: MIT */
/*
 * tick.S - tick_sync(t): return at exactly t * (instructions per tick)
 * plus a constant, whatever the moment it was called.
 *
 * Why: a timer set through stimecmp fires at the tick it names plus the
 * sub-tick phase of the moment it was written (QEMU keeps that phase,
 * and real timers have their own).  A partition that picks when the
 * kernel arms the next boundary could shift its neighbour's start by a
 * fraction of a tick, enough to change the times the neighbour prints.
 * So slot boundaries are reached by setting the timer two ticks early
 * and spinning the rest of the way with a loop whose length in
 * instructions is known exactly: under -icount one instruction is one
 * nanosecond and one tick (10 MHz) is 100 of them.
 *
 * Coarse: spin (2 instructions a turn) until time reaches t - 1; the
 * read that sees it lies r = 0 or 1 ns past that edge.  Burn a counted
 * loop to just before the edge of t, then read time 8 times in a row,
 * one nanosecond apart: read 4 tells r.  Pad the r = 0 path by one
 * instruction.  Both paths leave at t * 100 + 6 ns and return 0; a
 * call made too late to be exact waits for t and returns 1.
 */
	.section .text
	.globl	tick_sync
tick_sync:
	addi	a1, a0, -1
	csrr	t0, time
	bgeu	t0, a1, .Llate		/* too late to be exact: just wait */
1:	csrr	t0, time
	bltu	t0, a1, 1b
	li	t1, 46			/* 2 * 46 + 1 = 93 instructions */
2:	addi	t1, t1, -1
	bnez	t1, 2b
	csrr	t2, time		/* reads at t*100 - 5 + r ... + 2 + r */
	csrr	t2, time
	csrr	t2, time
	csrr	t2, time
	csrr	t2, time		/* read 4: >= t only if r = 1 */
	csrr	t3, time
	csrr	t3, time
	csrr	t3, time
	bltu	t2, a0, 3f
	j	4f			/* r = 1 */
3:	nop				/* r = 0: one nanosecond to make up */
	nop
4:	li	a0, 0
	ret
.Llate:
	csrr	t0, time
	bltu	t0, a0, .Llate
	li	a0, 1
	ret
