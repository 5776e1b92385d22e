// SPDX-License-Identifier: MIT
/*
 * bench_switch - world-switch and slot-start benchmark partition.
 *
 * It spins reading instret, which under QEMU -icount is the hart's
 * clock in instructions (1 per ns, kernel and other partitions
 * included), and so sees every stretch of time it did not run as a jump
 * between two consecutive reads.  For each jump (each time it is
 * switched back in) it records:
 *   gs  the last instret read before the jump  (its slot's last moment)
 *   ge  the first instret read after it        (its next slot's first)
 *   te  the time CSR read right after ge
 *   se  the end of the new slot, from SK_INFO_SLOT_END
 * Only after `frames` switches does it print the records (so printing
 * never disturbs a measurement), one line each, and stop.
 *
 * /config: frames (records, default 12), mode (0: plain spin, a read
 * every 3 instructions,
 * 1: a null hypercall in every iteration, a neighbour that keeps the
 * kernel busy when the slot timer fires), thresh (jump size in
 * instructions that counts as a switch, default 5000).
 */
#include <stdio.h>
#include "sk.h"

#define MAX_REC 128

struct rec {
	uint64_t gs, ge, te, se;
};

static struct rec recs[MAX_REC];

static inline uint64_t rd_instret(void)
{
	uint64_t v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

/*
 * Mode 0: spin reading instret until two reads in a row are more than
 * thresh apart, and return them (*before, *after).  Unrolled by two, a
 * read every 3 instructions: a jump holds at most 2 instructions of
 * this loop besides the time the hart was away (the C loop held up
 * to 5, which every figure then carried).
 */
static void spin_until_jump(uint64_t thresh, uint64_t *before,
			    uint64_t *after)
{
	uint64_t a, b, d;

	__asm__ volatile(
		"	rdinstret %0\n"
		"1:	rdinstret %1\n"
		"	sub	%2, %1, %0\n"
		"	bltu	%3, %2, 2f\n"	/* the jump was between a and b */
		"	rdinstret %0\n"
		"	sub	%2, %0, %1\n"
		"	bgeu	%3, %2, 1b\n"
		"	mv	%2, %0\n"	/* between b and a: swap them */
		"	mv	%0, %1\n"
		"	mv	%1, %2\n"
		"2:\n"
		: "=&r"(a), "=&r"(b), "=&r"(d) : "r"(thresh));
	*before = a;
	*after = b;
}

static inline void null_call(void)
{
	register unsigned long a0 __asm__("a0") = 0;
	register unsigned long a1 __asm__("a1") = 0;
	register unsigned long a6 __asm__("a6") = SK_FID_NOP;
	register unsigned long a7 __asm__("a7") = SK_EID;

	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7)
			 : "memory");
}

int main(void)
{
	unsigned long frames = sk_dt_u64("/config", "frames", 12);
	unsigned long mode = sk_dt_u64("/config", "mode", 0);
	uint64_t thresh = sk_dt_u64("/config", "thresh", 5000);
	uint64_t prev, now;
	unsigned long n = 0;
	char line[160];

	if (frames > MAX_REC)
		frames = MAX_REC;
	while (mode == 0 && n < frames) {
		spin_until_jump(thresh, &recs[n].gs, &recs[n].ge);
		recs[n].te = sk_time();
		recs[n].se = (uint64_t)sk_info(SK_INFO_SLOT_END);
		n++;
	}
	prev = rd_instret();
	while (n < frames) {
		if (mode == 1)
			null_call();
		now = rd_instret();
		if (now - prev > thresh) {
			recs[n].gs = prev;
			recs[n].ge = now;
			recs[n].te = sk_time();
			recs[n].se = (uint64_t)sk_info(SK_INFO_SLOT_END);
			n++;
			now = rd_instret();
		}
		prev = now;
	}
	snprintf(line, sizeof(line), "switch frames=%lu mode=%lu id=%ld\n",
		 frames, mode, sk_info(SK_INFO_PART_ID));
	sk_puts(line);
	for (unsigned long k = 0; k < n; k++) {
		snprintf(line, sizeof(line), "rec k=%lu gs=%lu ge=%lu te=%lu se=%lu\n",
			 k, (unsigned long)recs[k].gs, (unsigned long)recs[k].ge,
			 (unsigned long)recs[k].te, (unsigned long)recs[k].se);
		sk_puts(line);
	}
	return 0;
}
