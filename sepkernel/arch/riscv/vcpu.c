// SPDX-License-Identifier: MIT
/*
 * vcpu.c - a partition's virtual hart: reset, and the CSR half of a
 * world switch (trap.S does the general registers).
 *
 * The vs* CSRs are the guest's own supervisor registers; while the hart
 * runs in V=1 the guest's sstatus, stvec, satp... are really these.
 * hvip injects virtual interrupts, vstimecmp (Sstc) is the guest's
 * timer, hgatp selects its G-stage table.  One hart has one copy of
 * each, so they are swapped whenever another partition takes the hart.
 * scounteren and senvcfg have no VS copy at all: a guest in VS-mode
 * writes the hart's own, so they are swapped too, or one partition
 * could change what another's user mode may do.
 */
#include "arch/csr.h"
#include "arch/gstage.h"
#include "arch/vcpu.h"
#include "sk/board.h"
#include "sk/lib.h"
#include "sk/sched.h"

extern char sk_stacks[];

void vcpu_reset(struct vcpu *v, const struct sk_part_desc *d, uint64_t hgatp)
{
	memset(v, 0, sizeof(*v));
	v->kstack = (uint64_t)sk_stacks + (d->hart + 1UL) * SK_STACK_SIZE;
	v->hart = d->hart;
	/* The standard boot protocol: a0 = hart id, a1 = device tree. */
	v->x[10] = 0;
	v->x[11] = SK_GUEST_DTB_BASE;
	v->sepc = d->entry;
	v->sstatus = SSTATUS_SPP;	/* sret lands in VS-mode */
	v->hstatus = HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VSXL_64;
	v->vstimecmp = ~0UL;		/* no timer until the guest asks */
	v->hedeleg = d->hedeleg;
	/*
	 * What firmware gives an S-mode kernel: its user mode may read the
	 * counters too (Linux's vDSO reads time).  hcounteren still decides
	 * what VS-mode itself gets; cycle and instret only with counters.
	 */
	v->scounteren = HCOUNTEREN_TM | (sk_system.guest_counters ?
		HCOUNTEREN_CY | HCOUNTEREN_IR : 0);
	v->hgatp = hgatp;
}

/*
 * FP registers: saved only if the guest dirtied them (sstatus.FS, which
 * the hardware sets to Dirty on any FP write in V=1), and restored or
 * zeroed on every switch so no partition sees another's values.
 */
static const uint64_t fp_zero[33];
/* f0-f31 may hold someone's values; at boot, whatever firmware left. */
static uint8_t fp_live[SK_MAX_HARTS] = { [0 ... SK_MAX_HARTS - 1] = 1 };

void vcpu_save(struct vcpu *v)
{
	if ((csr_read(sstatus) & SSTATUS_FS) == SSTATUS_FS_DIRTY) {
		fpu_save(v->fp);
		v->fp_used = 1;
		fp_live[v->hart] = 1;
	}
	v->sstatus = csr_read(sstatus) & SSTATUS_SPP;
	v->hstatus = csr_read(hstatus);
	v->vsstatus = csr_read(vsstatus);
	v->vsie = csr_read(vsie);
	v->vstvec = csr_read(vstvec);
	v->vsscratch = csr_read(vsscratch);
	v->vsepc = csr_read(vsepc);
	v->vscause = csr_read(vscause);
	v->vstval = csr_read(vstval);
	v->vsatp = csr_read(vsatp);
	v->hvip = csr_read(hvip);
	v->scounteren = csr_read(scounteren);
	v->senvcfg = csr_read(senvcfg);
	if (sched_has_sstc())
		v->vstimecmp = csr_read(vstimecmp);
}

void vcpu_load(struct vcpu *v)
{
	uint64_t ss = csr_read(sstatus);

	/*
	 * Its own FP state, or zeros unless the registers hold zeros already.
	 * Dirty here means a guest wrote them and was dropped unsaved.
	 */
	if ((ss & SSTATUS_FS) == SSTATUS_FS_DIRTY)
		fp_live[v->hart] = 1;
	if (v->fp_used || fp_live[v->hart]) {
		csr_set(sstatus, SSTATUS_FS);	/* FS on to touch f0-f31 */
		fpu_load(v->fp_used ? v->fp : fp_zero);
		fp_live[v->hart] = v->fp_used;
	}
	/* sret returns to VS or VU as it trapped; FP starts out clean. */
	csr_write(sstatus, (ss & ~(SSTATUS_SPP | SSTATUS_FS)) |
		  (v->sstatus & SSTATUS_SPP) | SSTATUS_FS_CLEAN);
	csr_write(hstatus, v->hstatus);
	csr_write(hgatp, v->hgatp);
	if (!gstage_vmid_ok())
		gstage_flush();
	csr_write(vsstatus, v->vsstatus);
	csr_write(vsie, v->vsie);
	csr_write(vstvec, v->vstvec);
	csr_write(vsscratch, v->vsscratch);
	csr_write(vsepc, v->vsepc);
	csr_write(vscause, v->vscause);
	csr_write(vstval, v->vstval);
	csr_write(vsatp, v->vsatp);
	csr_write(hvip, v->hvip);
	csr_write(scounteren, v->scounteren);
	csr_write(senvcfg, v->senvcfg);
	csr_write(hedeleg, v->hedeleg);
	if (sched_has_sstc())
		csr_write(vstimecmp, v->vstimecmp);
}

/*
 * The guest's SBI set_timer.  With Sstc the hardware raises VSTIP from
 * vstimecmp.  Without it the kernel stands in: the slot timer is also
 * armed for the running guest's deadline (sched.c), and VSTIP is raised
 * by hand through hvip when that deadline has passed.
 */
void vcpu_set_timer(struct vcpu *v, uint64_t when)
{
	v->vstimecmp = when;
	if (sched_has_sstc())
		csr_write(vstimecmp, when);
	else if (when <= time_now())
		csr_set(hvip, 1UL << IRQ_VS_TIMER);
	else
		csr_clear(hvip, 1UL << IRQ_VS_TIMER);
}
