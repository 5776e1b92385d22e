// SPDX-License-Identifier: MIT
/*
 * bench_hcall - null hypercall cost.  For each round it measures, with
 * instret, N iterations of one small loop in three versions:
 * with a `nop` where the ecall would be (the baseline), with an
 * SK_FID_NOP ecall, and with an SBI BASE get_spec_version ecall.  The
 * difference to the baseline, divided by N, is what one call costs.
 * Each round starts at the beginning of a fresh slot (after a yield),
 * and records the slot end, so a round cut by a slot boundary is seen
 * and dropped by the bench script instead of being counted.
 *
 * /config: n (iterations, default 10000), rounds (default 5).
 */
#include <stdio.h>
#include "sk.h"

static inline uint64_t rd_instret(void)
{
	uint64_t v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

/*
 * The three loops are identical instruction for instruction except for
 * the one in the middle; a0/a1 are reloaded every time because the
 * ecall returns its results there.
 */
#define LOOP(INSN, EXT, FID)						\
	do {								\
		register unsigned long a0 __asm__("a0");		\
		register unsigned long a1 __asm__("a1");		\
		register unsigned long a6 __asm__("a6") = (FID);	\
		register unsigned long a7 __asm__("a7") = (EXT);	\
		unsigned long cnt = n;					\
		__asm__ volatile("1:\n"					\
				 "li a0, 0\n"				\
				 "li a1, 0\n"				\
				 INSN "\n"				\
				 "addi %[c], %[c], -1\n"		\
				 "bnez %[c], 1b\n"			\
				 : [c] "+r"(cnt), "=&r"(a0), "=&r"(a1)	\
				 : "r"(a6), "r"(a7)			\
				 : "memory");				\
	} while (0)

static uint64_t run_base(unsigned long n)
{
	uint64_t t = rd_instret();

	LOOP("nop", 0, 0);
	return rd_instret() - t;
}

static uint64_t run_nop(unsigned long n)
{
	uint64_t t = rd_instret();

	LOOP("ecall", SK_EID, SK_FID_NOP);
	return rd_instret() - t;
}

static uint64_t run_spec(unsigned long n)
{
	uint64_t t = rd_instret();

	LOOP("ecall", SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);
	return rd_instret() - t;
}

#define MAX_ROUNDS 16

int main(void)
{
	unsigned long n = sk_dt_u64("/config", "n", 10000);
	unsigned long rounds = sk_dt_u64("/config", "rounds", 5);
	uint64_t base[MAX_ROUNDS], nop[MAX_ROUNDS], spec[MAX_ROUNDS];
	uint64_t start[MAX_ROUNDS], end[MAX_ROUNDS], slot_end[MAX_ROUNDS];
	struct sk_ret r = sk_ecall(SK_EID, SK_FID_NOP, 0, 0, 0, 0);
	struct sk_ret v = sk_ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION,
				   0, 0, 0, 0);

	if (rounds > MAX_ROUNDS)
		rounds = MAX_ROUNDS;
	printf("hcall n=%lu rounds=%lu nop_ret=%ld/%ld spec_ret=%ld/0x%lx\n",
	       n, rounds, r.error, r.value, v.error, (unsigned long)v.value);
	for (unsigned long k = 0; k < rounds; k++) {
		sk_yield();		/* start in a fresh slot */
		slot_end[k] = (uint64_t)sk_info(SK_INFO_SLOT_END);
		start[k] = sk_time();
		base[k] = run_base(n);
		nop[k] = run_nop(n);
		spec[k] = run_spec(n);
		end[k] = sk_time();
	}
	for (unsigned long k = 0; k < rounds; k++)
		printf("round k=%lu base=%lu nop=%lu spec=%lu t_start=%lu "
		       "t_end=%lu slot_end=%lu\n", k,
		       (unsigned long)base[k], (unsigned long)nop[k],
		       (unsigned long)spec[k], (unsigned long)start[k],
		       (unsigned long)end[k], (unsigned long)slot_end[k]);
	return 0;
}
