// SPDX-License-Identifier: MIT
/*
 * regcheck - proves a partition's state survives world switches: fills
 * every general and FP register and its own supervisor CSRs (which are
 * really the hart's vs* CSRs) with a pattern derived from its seed,
 * spins across many slot switches, and compares.  Prints the number of
 * rounds, switches seen and mismatches.  /config: seed, rounds, spins.
 */
#include <stdio.h>
#include "sk.h"

void regcheck_round(uint64_t *pattern, uint64_t spins);

static uint64_t rng;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define CSR_CHECK(csr, val, bad) do {					\
		uint64_t __r;						\
		__asm__ volatile("csrr %0, " #csr : "=r"(__r));		\
		if (__r != (val)) {					\
			printf("csr " #csr " 0x%lx != 0x%lx\n",		\
			       (unsigned long)__r, (unsigned long)(val)); \
			(bad)++;					\
		}							\
	} while (0)

int main(void)
{
	uint64_t rounds = sk_dt_u64("/config", "rounds", 200);
	uint64_t spins = sk_dt_u64("/config", "spins", 20000);
	uint64_t pattern[64], want[64];
	unsigned long bad = 0, switches = 0;

	rng = sk_dt_u64("/config", "seed", 1) | 1;
	__asm__ volatile("csrs sstatus, %0" :: "r"(1UL << 13));	/* FP on */
	for (uint64_t r = 0; r < rounds; r++) {
		uint64_t sscratch = next(), sepc = next() & ~1UL;
		uint64_t stval = next(), stvec = (next() & ~3UL) | 0;
		uint64_t t0, t1;

		for (int i = 0; i < 64; i++)
			want[i] = pattern[i] = next();
		__asm__ volatile("csrw sscratch, %0" :: "r"(sscratch));
		__asm__ volatile("csrw sepc, %0" :: "r"(sepc));
		__asm__ volatile("csrw stval, %0" :: "r"(stval));
		__asm__ volatile("csrw stvec, %0" :: "r"(stvec));
		t0 = sk_time();
		regcheck_round(pattern, spins);
		t1 = sk_time();
		/* A switch shows as the clock jumping past our own work. */
		if (t1 - t0 > spins * 3 / 100)	/* 2 instructions a spin */
			switches++;
		for (int i = 0; i < 64; i++) {
			if (i == 0 || i == 2 || i == 31)	/* x0, sp, t6 */
				continue;
			if (pattern[i] != want[i]) {
				printf("reg %d 0x%lx != 0x%lx\n", i,
				       (unsigned long)pattern[i],
				       (unsigned long)want[i]);
				bad++;
			}
		}
		CSR_CHECK(sscratch, sscratch, bad);
		CSR_CHECK(sepc, sepc, bad);
		CSR_CHECK(stval, stval, bad);
		CSR_CHECK(stvec, stvec, bad);
	}
	printf("regcheck rounds=%lu switched_rounds=%lu mismatches=%lu\n",
	       (unsigned long)rounds, switches, bad);
	return bad ? 1 : 0;
}
