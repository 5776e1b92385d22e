/* SPDX-License-Identifier: MIT */
/*
 * usys.h - the little our Linux user programs (init, skctl) need without
 * a C library: a raw system call and a string write to stdout.
 *
 * RISC-V Linux system calls: number in a7, arguments in a0..a5, `ecall`,
 * result (or -errno) in a0.
 */
#ifndef USYS_H
#define USYS_H

typedef unsigned long ulong;

static inline long sys(long n, long a, long b, long c, long d, long e, long f)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;
	register long a7 __asm__("a7") = n;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3),
			 "r"(a4), "r"(a5), "r"(a7) : "memory");
	return a0;
}

static inline ulong slen(const char *s)
{
	ulong n = 0;

	while (s[n])
		n++;
	return n;
}

#define USYS_WRITE	64	/* SYS_write */

static inline void out(const char *s)
{
	sys(USYS_WRITE, 1, (long)s, (long)slen(s), 0, 0, 0);
}

#endif /* USYS_H */
