// SPDX-License-Identifier: MIT
/*
 * bigcrash - a partition with a big package: DATA_KIB (4 MiB) of
 * constant data in its image.  Each run prints a checksum of all of it
 * (so a reload that left any byte out shows) and the time it started,
 * then, after `work` slots, crashes with a store to address 0, unless
 * /config crash = 0.  The restart scenarios and the bench (bench_huge,
 * 16 MiB) use it to reload a package across many frames.
 */
#include <stdio.h>
#include "sk.h"

#ifndef DATA_KIB
#define DATA_KIB	4096
#endif

static const uint64_t data[DATA_KIB * 1024 / 8] = {
	0x0123456789abcdefUL, 0xfedcba9876543210UL, 1, 2, 3, 4, 5, 6, 7, 8,
};

static inline uint64_t rd_time(void)
{
	uint64_t v;

	__asm__ volatile("rdtime %0" : "=r"(v));
	return v;
}

int main(void)
{
	uint64_t t0 = rd_time();
	uint64_t work = sk_dt_u64("/config", "work", 2);
	uint64_t sum = 0;

	for (size_t i = 0; i < sizeof(data) / 8; i++)
		sum = (sum ^ data[i]) * 0x100000001b3UL;
	printf("run %ld t=%lu data=%lu sum=%016lx\n", sk_info(SK_INFO_RESTARTS),
	       (unsigned long)t0, (unsigned long)sizeof(data),
	       (unsigned long)sum);
	for (uint64_t i = 0; i < work; i++)
		sk_yield();
	if (!sk_dt_u64("/config", "crash", 1))
		return 0;
	printf("crash t=%lu\n", (unsigned long)rd_time());
	*(volatile int *)0 = 1;
	return 0;
}
