// SPDX-License-Identifier: MIT
/*
 * csrcheck - proves a partition's supervisor CSRs survive world
 * switches next to a neighbour that writes the same CSRs: in VS-mode
 * satp, scause, stval, sscratch, sepc, stvec, sie and sstatus are the
 * hart's vs* copies, and scounteren and senvcfg the hart's own (no VS
 * copy), so the kernel must swap them all.  Each is written with a value
 * of its seed and read back (the hardware keeps only the bits it
 * implements, and those must survive), then all are checked in a loop
 * across many slots.  satp turns on Sv39 over an identity map, with a
 * root table and ASID of its seed.
 *
 * /config: seed; every (slots between summary lines); crash: check that
 * this life began with the reset values (a restart must not bring back
 * the last life's), set its own, check them after one switch, fault.
 */
#include <stdio.h>
#include "sk.h"

#define NCSR	10
static const char *const names[NCSR] = {
	"satp", "scause", "stval", "sscratch", "sepc", "stvec", "sie",
	"sstatus", "senvcfg", "scounteren",
};

#define SSTATUS_SUM	(1UL << 18)
#define SSTATUS_MXR	(1UL << 19)
#define PTE_LEAF	0xcfUL		/* V R W X A D */

/* Two root tables, so that neighbours' satp differ in PPN too. */
static uint64_t roots[2][512] __attribute__((aligned(4096)));
static uint64_t slot_end, slots;

static void read_all(uint64_t *v)
{
	__asm__ volatile("csrr %0, satp" : "=r"(v[0]));
	__asm__ volatile("csrr %0, scause" : "=r"(v[1]));
	__asm__ volatile("csrr %0, stval" : "=r"(v[2]));
	__asm__ volatile("csrr %0, sscratch" : "=r"(v[3]));
	__asm__ volatile("csrr %0, sepc" : "=r"(v[4]));
	__asm__ volatile("csrr %0, stvec" : "=r"(v[5]));
	__asm__ volatile("csrr %0, sie" : "=r"(v[6]));
	__asm__ volatile("csrr %0, sstatus" : "=r"(v[7]));
	v[7] &= SSTATUS_SUM | SSTATUS_MXR;
	__asm__ volatile("csrr %0, senvcfg" : "=r"(v[8]));
	__asm__ volatile("csrr %0, scounteren" : "=r"(v[9]));
}

/* Its own values, then what the hardware kept of them into want[]. */
static void write_all(uint64_t s, uint64_t *want)
{
	uint64_t *root = roots[s & 1];
	uint64_t odd = s & 1;

	root[1] = (0x40000000UL >> 12) << 10 | PTE_LEAF;	/* its device tree */
	root[2] = (0x80000000UL >> 12) << 10 | PTE_LEAF;	/* its RAM */
	__asm__ volatile("csrw satp, %0\n\tsfence.vma" ::
			 "r"(8UL << 60 | (s & 0xffff) << 44 |
			     (uint64_t)root >> 12) : "memory");
	__asm__ volatile("csrw scause, %0" :: "r"(s << 12 | 13));
	__asm__ volatile("csrw stval, %0" :: "r"(0x7a10000000000000UL | s));
	__asm__ volatile("csrw sscratch, %0" :: "r"(0x5c00000000000000UL | s * 0x1111));
	__asm__ volatile("csrw sepc, %0" :: "r"(0x80000000UL + s * 0x100));
	__asm__ volatile("csrw stvec, %0" :: "r"(0x80001000UL + s * 0x40));
	__asm__ volatile("csrw sie, %0" :: "r"(odd ? 0x202UL : 0x20UL));
	__asm__ volatile("csrs sstatus, %0" :: "r"(odd ? SSTATUS_SUM : SSTATUS_MXR));
	__asm__ volatile("csrw senvcfg, %0" :: "r"(odd ? 0x81UL : 0x50UL));
	__asm__ volatile("csrw scounteren, %0" :: "r"(odd ? 0x7UL : 0x2UL));
	read_all(want);
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

static unsigned long compare(const uint64_t *v, const uint64_t *want,
			     const char *what, unsigned long *shown)
{
	unsigned long n = 0;

	for (int i = 0; i < NCSR; i++) {
		if (v[i] == want[i])
			continue;
		n++;
		if ((*shown)++ < 16)
			printf("%s slot %lu %s=0x%lx want 0x%lx\n", what,
			       (unsigned long)slots, names[i],
			       (unsigned long)v[i], (unsigned long)want[i]);
	}
	return n;
}

int main(void)
{
	uint64_t seed = sk_arg_u64("seed", 1);
	uint64_t every = sk_arg_u64("every", 100);
	uint64_t run = (uint64_t)sk_info(SK_INFO_RESTARTS);
	uint64_t want[NCSR], v[NCSR];
	unsigned long bad = 0, checks = 0, shown = 0;

	slot_end = (uint64_t)sk_info(SK_INFO_SLOT_END);
	if (sk_arg_u64("crash", 0)) {
		/* A fresh vcpu: all zero but scounteren (TM, maybe CY IR). */
		read_all(v);
		for (int i = 0; i < NCSR; i++)
			want[i] = 0;
		want[9] = v[9] == 7 ? 7 : 2;
		bad = compare(v, want, "stale run", &shown);
		printf("csrcheck run=%lu fresh_mismatches=%lu\n",
		       (unsigned long)run, bad);
		write_all(seed + run, want);
		while (!new_slot())
			;
		read_all(v);
		printf("csrcheck run=%lu kept_mismatches=%lu\n",
		       (unsigned long)run, compare(v, want, "lost run", &shown));
		/*
		 * Not a page fault: with satp on, that is the guest's own
		 * (VS-stage), delegated to its stvec.
		 */
		__asm__ volatile(".word 0");		/* illegal instruction */
		return 1;
	}
	write_all(seed, want);
	printf("csrcheck kept satp=0x%lx sie=0x%lx senvcfg=0x%lx scounteren=0x%lx\n",
	       (unsigned long)want[0], (unsigned long)want[6],
	       (unsigned long)want[8], (unsigned long)want[9]);
	for (;;) {
		read_all(v);
		checks++;
		bad += compare(v, want, "lost", &shown);
		if (new_slot() && slots % every == 0)
			printf("csrcheck slots=%lu checks=%lu mismatches=%lu\n",
			       (unsigned long)slots, checks, bad);
	}
}
