// SPDX-License-Identifier: MIT
/*
 * bulkw - fills the shared window "bulk" with a fresh pseudo-random
 * buffer each round, writes the round and a checksum into its header,
 * and rings the reader's doorbell.  No byte is copied by the kernel.
 */
#include <stdio.h>
#include "sk.h"

struct bulk_hdr {
	uint64_t round;
	uint64_t sum;
	uint64_t len;
};

uint64_t bulk_fill(uint8_t *p, uint64_t len, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15UL | 1, sum = 0;

	for (uint64_t i = 0; i < len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		*(uint64_t *)(p + i) = x;
		sum = (sum ^ x) * 0x100000001b3UL;
	}
	return sum;
}

int main(void)
{
	size_t size;
	struct bulk_hdr *h = sk_window("bulk", &size);
	int ch = sk_chan("bulk");
	uint64_t rounds = sk_dt_u64("/config", "rounds", 4);

	if (!h) {
		printf("no window\n");
		return 1;
	}
	for (uint64_t r = 1; r <= rounds; r++) {
		uint64_t len = (size - 4096) & ~7UL;

		h->sum = bulk_fill((uint8_t *)h + 4096, len, r);
		h->len = len;
		__atomic_store_n(&h->round, r, __ATOMIC_RELEASE);
		sk_notify(ch);
		printf("round %lu sent %lu bytes sum=%016lx\n", (unsigned long)r,
		       (unsigned long)len, (unsigned long)h->sum);
		sk_yield();
		sk_yield();	/* the reader checks it in between */
	}
	return 0;
}
