// SPDX-License-Identifier: MIT
/*
 * spinner - never yields, never calls the kernel, masks its own
 * interrupts and spins forever, dirtying the FP registers: the worst
 * neighbour a time-partitioned system can have.  Only the kernel's slot
 * timer takes the hart back.
 */
#include "sk.h"

int main(void)
{
	__asm__ volatile("csrs sstatus, %0" :: "r"(1UL << 13));	/* FS on */
	__asm__ volatile("csrc sstatus, %0" :: "r"(1UL << 1));	/* SIE off */
	__asm__ volatile(".option push\n"
			 ".option arch, +d\n"
			 "li t0, 0x5a5a5a5a\n"
			 "fmv.d.x f0, t0\n"
			 "fmv.d.x f31, t0\n"
			 "1: fadd.d f1, f0, f31\n"
			 "fcvt.l.d t1, f1\n"
			 "j 1b\n"
			 ".option pop" ::: "t0", "t1", "memory");
	return 0;
}
