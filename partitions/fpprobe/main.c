// SPDX-License-Identifier: MIT
/*
 * fpprobe - red team for the world switch's FP handling: the hart's
 * sstatus.FS says what f0-f31 hold between switches, and a partition
 * must only ever see its own values or zeros there.  One program, five
 * roles (/config role):
 *   snoop   turns FP on (its FS Initial) and never writes an f register
 *           or fcsr, yet reads all 33 in a loop: anything but zero is a
 *           neighbour's value leaking in.  Prints each leak (the first
 *           16) and, every `every` slots, a summary line.
 *   writer  fills f0-f31 and fcsr with a new non-zero pattern at the
 *           start of every other slot (so it leaves the hart Dirty after
 *           some slots, Clean after the others), and checks at the start
 *           of every slot that the last pattern is still there.
 *   fcsr    writes fcsr alone (the CSR, never an f register), a new
 *           value each slot, and checks that it kept the last one and
 *           that its f registers, never written, read zero.
 *   flags   fills f0-f31 (a signalling NaN in f1) and clears fcsr in
 *           even slots; in odd slots raises fflags.NV with a compare
 *           (feq.d writes no f register) and checks, in the next slot,
 *           that the flag is still there.
 *   crash   at each fresh start checks that f0-f31 and fcsr read zero
 *           (in this life it has not used FP yet), fills them with a
 *           pattern of its run number and faults with them Dirty: at
 *           once (even runs) or after a switch out and back (odd runs,
 *           which also check that the pattern survived it); an illegal
 *           instruction or a store to an unmapped page, by run.
 *   quit    the same fill, one switch, a refill, then sk_exit(): it
 *           stops with its FP registers Dirty.
 */
#include <stdio.h>
#include <string.h>
#include "sk.h"

#define NFP	33		/* f0-f31, fcsr */

void fp_read(uint64_t *v);
void fp_write(const uint64_t *v);
void fcsr_write(uint64_t v);
long fp_raise_nv(void);

static uint64_t slot_end, slots;

/* Our own sstatus (the hart's vsstatus): FS Off -> Initial. */
static void fp_on(void)
{
	__asm__ volatile("csrs sstatus, %0" :: "r"(1UL << 13));
}

static unsigned fs_now(void)
{
	uint64_t s;

	__asm__ volatile("csrr %0, sstatus" : "=r"(s));
	return (s >> 13) & 3;
}

/* True once at the start of each slot of ours after the first. */
static int new_slot(void)
{
	if (sk_time() < slot_end)
		return 0;
	slot_end = (uint64_t)sk_info(SK_INFO_SLOT_END);
	slots++;
	return 1;
}

static void wait_slot(void)
{
	while (!new_slot())
		;
}

static void name_reg(char *buf, unsigned i)
{
	if (i == NFP - 1)
		strcpy(buf, "fcsr");
	else
		sprintf(buf, "f%u", i);
}

/* Registers of v that differ from want (NULL: from zero), the first few printed. */
static unsigned long compare(const uint64_t *v, const uint64_t *want,
			     const char *what, uint64_t when, unsigned long *shown,
			     unsigned long max_shown)
{
	unsigned long n = 0;
	char r[8];

	for (unsigned i = 0; i < NFP; i++) {
		uint64_t w = want ? want[i] : 0;

		if (v[i] == w)
			continue;
		n++;
		if ((*shown)++ < max_shown) {
			name_reg(r, i);
			printf("%s %lu %s=0x%lx want 0x%lx\n", what,
			       (unsigned long)when, r, (unsigned long)v[i],
			       (unsigned long)w);
		}
	}
	return n;
}

/* A distinctive non-zero pattern: tag, a generation, the register. */
static void pattern(uint64_t *p, uint64_t tag, uint64_t gen)
{
	for (unsigned i = 0; i < NFP - 1; i++)
		p[i] = tag << 48 | (gen & 0xffffff) << 16 | 0x100 | i;
	p[NFP - 1] = gen % 255 + 1;		/* frm and fflags, never 0 */
}

static void snoop(void)
{
	uint64_t every = sk_arg_u64("every", 100), v[NFP];
	unsigned long checks = 0, nonzero = 0, shown = 0;

	for (;;) {
		fp_read(v);
		checks++;
		nonzero += compare(v, NULL, "leak slot", slots, &shown, 16);
		if (new_slot() && slots % every == 0)
			printf("fpsnoop slots=%lu checks=%lu nonzero=%lu fs=%u\n",
			       (unsigned long)slots, checks, nonzero, fs_now());
	}
}

static void writer(void)
{
	uint64_t every = sk_arg_u64("every", 100);
	uint64_t tag = sk_arg_u64("tag", 0xfa11), p[NFP], v[NFP];
	unsigned long bad = 0, shown = 0;

	pattern(p, tag, 0);
	fp_write(p);
	for (;;) {
		wait_slot();
		fp_read(v);
		bad += compare(v, p, "lost slot", slots, &shown, 16);
		if (slots % 2 == 0) {		/* Dirty at the next switch */
			pattern(p, tag, slots);
			fp_write(p);
		}
		if (slots % every == 0)
			printf("fpwriter slots=%lu mismatches=%lu\n",
			       (unsigned long)slots, bad);
	}
}

static void fcsr_only(void)
{
	uint64_t every = sk_arg_u64("every", 100), v[NFP], want[NFP];
	unsigned long bad = 0, shown = 0;

	memset(want, 0, sizeof(want));
	for (;;) {
		want[NFP - 1] = (slots * 37) % 255 + 1;
		fcsr_write(want[NFP - 1]);
		wait_slot();
		fp_read(v);
		bad += compare(v, want, "lost slot", slots, &shown, 16);
		if (slots % every == 0)
			printf("fpfcsr slots=%lu mismatches=%lu fs=%u\n",
			       (unsigned long)slots, bad, fs_now());
	}
}

static void flags(void)
{
	uint64_t every = sk_arg_u64("every", 100), p[NFP], v[NFP];
	unsigned long bad = 0, shown = 0;

	pattern(p, 0xf1a9, 0);
	p[1] = 0x7ff4000000000000UL;		/* a signalling NaN */
	p[NFP - 1] = 0;
	for (;;) {
		fp_write(p);		/* Dirty: saved at the next switch */
		wait_slot();
		fp_raise_nv();		/* fflags.NV (0x10), f0-f31 untouched */
		p[NFP - 1] = 0x10;
		wait_slot();
		fp_read(v);
		bad += compare(v, p, "lost slot", slots, &shown, 16);
		p[NFP - 1] = 0;
		if (slots % every < 2)
			printf("fpflags slots=%lu mismatches=%lu\n",
			       (unsigned long)slots, bad);
	}
}

/* Faults with f0-f31 Dirty; or stops with them Dirty (quit). */
static void crash(int quit)
{
	uint64_t run = (uint64_t)sk_info(SK_INFO_RESTARTS), p[NFP], v[NFP];
	unsigned long shown = 0, n;

	fp_read(v);
	n = compare(v, NULL, "leak run", run, &shown, 8);
	printf("fpcrash run=%lu fresh_nonzero=%lu\n", (unsigned long)run, n);
	pattern(p, 0xc0de, run);
	fp_write(p);
	if ((run & 1) || quit) {
		wait_slot();
		fp_read(v);
		n = compare(v, p, "lost run", run, &shown, 8);
		printf("fpcrash run=%lu kept_mismatches=%lu\n",
		       (unsigned long)run, n);
		pattern(p, 0xc0de, run | 1UL << 20);
		fp_write(p);
	}
	if (quit)
		sk_exit(0);
	if (run & 2)
		__asm__ volatile(".word 0");		/* illegal instruction */
	*(volatile uint64_t *)0x1000 = run;		/* unmapped: page fault */
	printf("BREACH: run %lu did not fault\n", (unsigned long)run);
	sk_exit(1);
}

int main(void)
{
	const char *role = sk_arg_str("role");

	fp_on();
	slot_end = (uint64_t)sk_info(SK_INFO_SLOT_END);
	if (!role || !strcmp(role, "snoop"))
		snoop();
	else if (!strcmp(role, "writer"))
		writer();
	else if (!strcmp(role, "fcsr"))
		fcsr_only();
	else if (!strcmp(role, "flags"))
		flags();
	else if (!strcmp(role, "crash"))
		crash(0);
	else if (!strcmp(role, "quit"))
		crash(1);
	printf("unknown role %s\n", role);
	return 1;
}
