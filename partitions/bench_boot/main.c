// SPDX-License-Identifier: MIT
/*
 * bench_boot - the boot benchmark's partition.  Its very first act in
 * main() is to read instret, time and cycle; it prints them, with the
 * size of its own .bss (which the SDK's crt0 clears before main), and
 * then samples (instret - 100 * time) to show whether instret is a
 * hart-global clock (QEMU -icount) rather than a per-guest counter.
 */
#include <stdio.h>
#include "sk.h"

extern char __bss_start[], __bss_end[];

static inline uint64_t rd_instret(void)
{
	uint64_t v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

static inline uint64_t rd_cycle(void)
{
	uint64_t v;

	__asm__ volatile("rdcycle %0" : "=r"(v));
	return v;
}

int main(void)
{
	uint64_t i0 = rd_instret();
	uint64_t t0 = sk_time();
	uint64_t c0 = rd_cycle();
	long dmin = 0, dmax = 0;

	/* instret - 100 * time over a stretch of plain guest code. */
	for (int k = 0; k < 4000; k++) {
		uint64_t i = rd_instret(), t = sk_time();
		long d = (long)(i - 100 * t);

		if (k == 0 || d < dmin)
			dmin = d;
		if (k == 0 || d > dmax)
			dmax = d;
	}
	printf("boot instret=%lu time=%lu cycle=%lu ram=%lu bss=%lu\n",
	       (unsigned long)i0, (unsigned long)t0, (unsigned long)c0,
	       (unsigned long)sk_ram_size(),
	       (unsigned long)(__bss_end - __bss_start));
	printf("clock dmin=%ld dmax=%ld\n", dmin, dmax);
	return 0;
}
