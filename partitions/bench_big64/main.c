// SPDX-License-Identifier: MIT
/*
 * bench_big64 - as bench_big, with 64 KiB of constant data in its image
 * instead of 256 KiB: the middle point of the verification benchmark
 * (bench_boot, bench_big64, bench_big, all with the same RAM).
 */
#include <stdio.h>
#include "sk.h"

#define DATA_KIB	64

static const uint64_t data[DATA_KIB * 1024 / 8] = {
	0x0123456789abcdefUL, 0xfedcba9876543210UL, 1, 2, 3, 4, 5, 6, 7, 8,
};

int main(void)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < sizeof(data) / 8; i++)
		sum = (sum ^ data[i]) * 0x100000001b3UL;
	printf("big data=%lu sum=%016lx\n", (unsigned long)sizeof(data),
	       (unsigned long)sum);
	return 0;
}
