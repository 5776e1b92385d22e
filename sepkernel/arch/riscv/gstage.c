// SPDX-License-Identifier: MIT
/*
 * gstage.c - G-stage page tables: the hardware half of promise 1.
 *
 * With the H extension every guest access is translated twice: VS-stage
 * (the guest's own satp, bare for our partitions) and then G-stage,
 * from guest-physical to host-physical, through the table in hgatp.
 * A partition can touch exactly what its G-stage table maps; anything
 * else raises a guest-page fault that traps to the kernel.
 *
 * Sv39x4: guest-physical addresses have 41 bits.  The root table is
 * four times a normal one (2048 entries, 16 KiB, 16 KiB aligned) and is
 * indexed by GPA[40:30]; the two levels below are ordinary 512-entry
 * tables indexed by GPA[29:21] and GPA[20:12].  Leaves must have U set:
 * the G stage checks every guest access as if it came from user mode.
 *
 * The tables live in sk_gstage_pool, which the config compiler sized
 * for this exact system; they are built once at boot and never change.
 */
#include "arch/csr.h"
#include "arch/gstage.h"
#include "sk/hm.h"
#include "sk/lib.h"

#define PTE_V		(1UL << 0)
#define PTE_U		(1UL << 4)
#define PTE_A		(1UL << 6)
#define PTE_D		(1UL << 7)
#define MEGA		0x200000UL

static uint32_t pool_next;	/* next free page after the roots */
int sk_vmid_ok;			/* enough VMIDs: no flush on a switch */
#define vmid_ok sk_vmid_ok

static uint64_t *pool_page(uint32_t n)
{
	if (n >= sk_gstage_pool_pages)
		sk_panic("gstage pool exhausted", n, 0, 0);
	memset(sk_gstage_pool[n], 0, SK_PAGE_SIZE);
	return sk_gstage_pool[n];
}

/* The table below *pte, created on first use. */
static uint64_t *next_level(uint64_t *pte)
{
	if (!(*pte & PTE_V)) {
		uint64_t *t = pool_page(pool_next++);

		*pte = ((uint64_t)t >> 12) << 10 | PTE_V;
	}
	return (uint64_t *)((*pte >> 10) << 12);
}

static void map(uint64_t *root, uint64_t gpa, uint64_t hpa, uint64_t size,
		uint64_t perm)
{
	uint64_t leaf = perm | PTE_V | PTE_U | PTE_A | PTE_D;

	while (size) {
		uint64_t *l1 = next_level(&root[(gpa >> 30) & 0x7ff]);
		uint64_t *pte = &l1[(gpa >> 21) & 0x1ff];
		uint64_t step = SK_PAGE_SIZE;

		if (!((gpa | hpa) & (MEGA - 1)) && size >= MEGA) {
			*pte = (hpa >> 12) << 10 | leaf;	/* 2 MiB leaf */
			step = MEGA;
		} else {
			uint64_t *l0 = next_level(pte);

			l0[(gpa >> 12) & 0x1ff] = (hpa >> 12) << 10 | leaf;
		}
		gpa += step;
		hpa += step;
		size -= step;
	}
}

static void hfence_gvma_all(void)
{
	__asm__ volatile(".option push\n.option arch, +h\n"
			 "hfence.gvma zero, zero\n.option pop" ::: "memory");
}

void gstage_init(void)
{
	uint64_t vmid;

	/* Roots come first, four pages each, so they stay 16 KiB aligned. */
	pool_next = 4 * sk_system.nparts;

	/* How many VMID bits does this hart keep?  Write all ones, read. */
	csr_write(hgatp, HGATP_VMID_MASK << HGATP_VMID_SHIFT);
	vmid = (csr_read(hgatp) >> HGATP_VMID_SHIFT) & HGATP_VMID_MASK;
	csr_write(hgatp, 0);
	vmid_ok = vmid >= sk_system.nparts;
}


/* Build partition d's table; returns the hgatp value that selects it. */
uint64_t gstage_build(const struct sk_part_desc *d)
{
	uint64_t *root = sk_gstage_pool[4 * d->id];

	for (int i = 0; i < 4; i++)
		pool_page(4 * d->id + i);
	map(root, SK_GUEST_RAM_BASE, d->ram_hpa, d->ram_size,
	    GS_R | GS_W | GS_X);
	map(root, SK_GUEST_DTB_BASE, (uint64_t)d->pkg + d->dtb_off,
	    ALIGN_UP(d->dtb_size, SK_PAGE_SIZE), GS_R);
	/* Shared channel windows: the writer may write, readers only read. */
	for (unsigned i = 0; i < d->nports; i++) {
		const struct sk_port *pt = &d->ports[i];
		const struct sk_chan_desc *c = &sk_system.chans[pt->chan];

		if (c->kind == SK_CHAN_SHARED)
			map(root, pt->win_gpa, c->win_hpa, c->win_size,
			    pt->dir == SK_PORT_SEND ? GS_R | GS_W : GS_R);
	}
	hfence_gvma_all();
	return HGATP_MODE_SV39X4 | (uint64_t)d->vmid << HGATP_VMID_SHIFT |
	       (uint64_t)root >> 12;
}

void gstage_flush(void)
{
	hfence_gvma_all();
}
