// SPDX-License-Identifier: MIT
/*
 * bulkr - waits for the doorbell of the shared window "bulk", checksums
 * the buffer in place and compares with the writer's header.  With
 * /config/try_write it finally tries to write the read-only window.
 */
#include <stdio.h>
#include "sk.h"

struct bulk_hdr {
	uint64_t round;
	uint64_t sum;
	uint64_t len;
};

static volatile uint64_t rung;

void sk_on_notify(void)
{
	rung |= sk_notified();
}

static uint64_t checksum(const uint8_t *p, uint64_t len)
{
	uint64_t sum = 0;

	for (uint64_t i = 0; i < len; i += 8)
		sum = (sum ^ *(const uint64_t *)(p + i)) * 0x100000001b3UL;
	return sum;
}

int main(void)
{
	const struct bulk_hdr *h = sk_window("bulk", NULL);
	int ch = sk_chan("bulk");
	uint64_t rounds = sk_dt_u64("/config", "rounds", 4);

	sk_irq_init();
	for (uint64_t r = 1; r <= rounds; r++) {
		uint64_t sum;

		while (!(rung & (1UL << ch)))
			__asm__ volatile("wfi");
		rung = 0;
		sum = checksum((const uint8_t *)h + 4096, h->len);
		printf("round %lu got %lu bytes sum=%016lx %s\n",
		       (unsigned long)h->round, (unsigned long)h->len,
		       (unsigned long)sum, sum == h->sum ? "ok" : "MISMATCH");
	}
	if (sk_dt_u64("/config", "try_write", 0)) {
		printf("writing the read-only window\n");
		*(volatile uint64_t *)h = 0;
		printf("BREACH: wrote the window\n");
	}
	return 0;
}
