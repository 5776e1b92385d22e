// SPDX-License-Identifier: MIT
/*
 * fuzzer - a hostile partition.  From the seed in its device tree and
 * the number of times it has been restarted, it derives a stream of
 * random operations: hypercalls with random extension and function ids
 * and arguments (pointers into every address class), then one random
 * load, store, jump or CSR access, which usually ends the run with a
 * fault.  The health monitor restarts it and the next run goes on with
 * a new stream.  Each run prints how many operations it made.
 * /config: seed, batch (hypercalls per run, default 500).
 */
#include <stdio.h>
#include "sk.h"

static uint64_t rng;
static uint64_t ram_end;
static uint8_t scratch[256] __attribute__((aligned(8)));

static uint64_t next(void)
{
	/* splitmix64: good enough, and one multiply-xorshift chain */
	uint64_t z = (rng += 0x9e3779b97f4a7c15UL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
	return z ^ (z >> 31);
}

/* An address from one of the classes a partition might aim at. */
static uint64_t address(void)
{
	static const uint64_t fixed[] = {
		0, 0x1000, 0x02000000, 0x0200bff8, 0x0c000000, 0x10000000,
		0x7fe00000, 0x7ffff000, 0x80000000 - 8, 0x80200000, 0x80800000,
		0x81000000, 0x87fff000, 0xc0000000, 0xffffffffffffffffUL,
		0x8000000000000000UL, 0x3fffffffffUL,
	};

	switch (next() % 6) {
	case 0:
		return fixed[next() % (sizeof(fixed) / sizeof(fixed[0]))];
	case 1:
		return ram_end - (next() % 64);		/* straddling its end */
	case 2:
		return (uint64_t)scratch + (next() % sizeof(scratch));
	case 3:
		return 0x80000000UL + (next() % (1UL << 31));
	case 4:
		return 0x7fe00000UL + (next() % 0x4000);	/* its device tree */
	default:
		return next();
	}
}

static uint64_t argument(void)
{
	switch (next() % 4) {
	case 0:
		return address();
	case 1:
		return next() % 16;
	case 2:
		return (uint64_t)-(int64_t)(next() % 8);
	default:
		return next();
	}
}

/* One random hypercall that cannot stop it for good. */
static void hypercall(void)
{
	static const uint64_t eids[] = {
		SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_DBCN, SK_EID, SK_EID, SK_EID,
		0x48534D, 0x52464E43, 0x735049, 0x4442434E, 0x0A000000,
		0x0AFFFFFF, 0x08, 0x02, 0x09,
	};
	uint64_t eid = next() % 8 ? eids[next() % (sizeof(eids) / sizeof(eids[0]))]
				  : next();
	uint64_t fid = next() % 4 ? next() % 10 : next();
	uint64_t a0 = argument(), a1 = argument(), a2 = argument();
	uint64_t a3 = argument();

	if (eid == SBI_EXT_DBCN || eid == SBI_EXT_LEGACY_PUTCHAR) {
		a0 = '.';		/* keep the console readable: */
		a1 = next() | 1UL << 63;	/* only bad buffers */
	}
	if (eid == SK_EID && fid == SK_FID_YIELD)
		fid = SK_FID_NOP;	/* a fuzzer wants all its time */
	if (eid == SK_EID && fid == SK_FID_CHAN_RECV)
		a3 = 0;			/* never park: it has no sender */
	if (eid == SBI_EXT_TIME)
		a0 = ~0UL;		/* no interrupt it has no vector for */
	sk_ecall(eid, fid, a0, a1, a2, a3);
}

/* One random memory access, jump or CSR access: likely to fault. */
static void hostile(void)
{
	uint64_t a = address();
	volatile uint64_t *p = (volatile uint64_t *)(a & ~7UL);
	uint64_t v = 0;

	switch (next() % 12) {
	case 0: case 1: case 2:
		v = *p;
		break;
	case 3: case 4: case 5:
		if ((uint64_t)p - (uint64_t)scratch < sizeof(scratch) ||
		    (uint64_t)p < 0x80000000UL || (uint64_t)p >= ram_end)
			*p = next();	/* never its own code or stack */
		else
			v = *p;
		break;
	case 6:
		if ((a & ~1UL) < 0x80000000UL || (a & ~1UL) >= ram_end)
			((void (*)(void))(a & ~1UL))();
		break;
	case 7:
		__asm__ volatile("csrr %0, hgatp" : "=r"(v));
		break;
	case 8:
		__asm__ volatile("csrr %0, mstatus" : "=r"(v));
		break;
	case 9:
		__asm__ volatile("csrw hvip, %0" :: "r"(next()));
		break;
	case 10:
		__asm__ volatile(".word 0");	/* illegal instruction */
		break;
	default:
		__asm__ volatile("csrr %0, medeleg" : "=r"(v));
		break;
	}
	(void)v;
}

int main(void)
{
	uint64_t batch = sk_dt_u64("/config", "batch", 500);
	long run = sk_info(SK_INFO_RESTARTS);

	ram_end = 0x80000000UL + sk_ram_size();
	rng = sk_dt_u64("/config", "seed", 1) ^ (uint64_t)run * 0x2545f4914f6cdd1dUL;
	for (;;) {
		for (uint64_t i = 0; i < batch; i++)
			hypercall();
		printf("run %ld ops=%lu\n", run, (unsigned long)batch + 1);
		hostile();
	}
}
