// SPDX-License-Identifier: MIT
/*
 * sensor - writes a reading to the sampling channel "readings" once per
 * slot, count times, then goes quiet for linger slots (so readers see
 * the value age and go stale) and stops.
 */
#include <stdio.h>
#include "sk.h"

int main(void)
{
	int ch = sk_chan("readings");
	uint64_t count = sk_arg_u64("count", 10);
	uint64_t linger = sk_arg_u64("linger", 5);

	for (uint64_t i = 1; i <= count; i++) {
		uint64_t v[2] = { i, i * 7 };
		long err = sk_send(ch, v, sizeof(v), 3);

		printf("wrote seq=%lu value=%lu err=%ld\n", (unsigned long)i,
		       (unsigned long)v[1], err);
		sk_yield();
	}
	for (uint64_t i = 0; i < linger; i++)
		sk_yield();
	printf("sensor done\n");
	return 0;
}
