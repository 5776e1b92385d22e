// SPDX-License-Identifier: MIT
/*
 * bench_big - a partition whose package is large: 256 KiB of constant
 * data in its image.  The verification benchmark boots it (and
 * bench_big64, the same with 64 KiB) next to bench_boot with the same
 * RAM: the differences in boot time are what verifying (Ed25519's
 * the one BLAKE2b-512 pass) and copying the extra bytes cost.
 * It touches every word of the data once, so none of it can be left
 * out, and prints a checksum.
 */
#include <stdio.h>
#include "sk.h"

#ifndef DATA_KIB
#define DATA_KIB	256
#endif

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
