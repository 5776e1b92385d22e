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

/*
 * The FP half of a switch, when there is one (most partitions never
 * touch FP): from's registers are saved if its guest dirtied them (ss is
 * sstatus as the trap left it), and f0-f31 then get to's own values, or
 * zeros unless they hold zeros already.  Dirty with no from means a
 * guest wrote them and was dropped unsaved with its reset vcpu.  FS is
 * left Clean (at boot it may have been Off).  Returns ret, so that
 * vcpu_switch() can end with a tail call.
 */
static __attribute__((noinline)) struct vcpu *vcpu_fp_switch(struct vcpu *from,
							     struct vcpu *to,
							     uint64_t ss,
							     struct vcpu *ret)
{
	if ((ss & SSTATUS_FS) == SSTATUS_FS_DIRTY) {
		if (from) {
			fpu_save(from->fp);
			from->fp_used = 1;
		}
		fp_live[to->hart] = 1;
	}
	if (to->fp_used || fp_live[to->hart]) {
		csr_set(sstatus, SSTATUS_FS);	/* FS on to touch f0-f31 */
		fpu_load(to->fp_used ? to->fp : fp_zero);
		fp_live[to->hart] = to->fp_used;
		/* The guest starts out Clean, to tell if it writes them. */
		csr_clear(sstatus, SSTATUS_FS);
		csr_set(sstatus, SSTATUS_FS_CLEAN);
	}
	return ret;
}

/*
 * The CSR half of a world switch: from's state out (from is NULL when
 * the outgoing vcpu was reset and has nothing worth keeping), to's in.
 * Returns to with flags on its low bits, as trap.S expects it: the
 * scheduler ends with this call, and this (but for FP) calls nothing,
 * so the common switch builds no stack frame anywhere.
 *
 * Only what a guest can change is saved.  hstatus is not: every
 * partition runs with the same one (hart_init), and the bits that move
 * (SPV, SPVP, GVA) are written by the hardware on each trap.  hgatp is
 * not: it is the partition's own, fixed at boot.  Hypervisor settings
 * that differ between partitions (hgatp, and any per-partition trap
 * delegation) are loaded in one place below.
 */
struct vcpu *vcpu_switch(struct vcpu *from, struct vcpu *to, uint64_t flags)
{
	uint64_t ss = csr_read(sstatus);
	struct vcpu *ret = (struct vcpu *)((uint64_t)to | flags);

	if (from) {
		from->sstatus = ss & SSTATUS_SPP;
		from->vsstatus = csr_read(vsstatus);
		from->vsie = csr_read(vsie);
		from->vstvec = csr_read(vstvec);
		from->vsscratch = csr_read(vsscratch);
		from->vsepc = csr_read(vsepc);
		from->vscause = csr_read(vscause);
		from->vstval = csr_read(vstval);
		from->vsatp = csr_read(vsatp);
		from->hvip = csr_read(hvip);
		from->scounteren = csr_read(scounteren);
		from->senvcfg = csr_read(senvcfg);
	}
	if (sched_has_sstc()) {
		if (from)
			from->vstimecmp = csr_read(vstimecmp);
		csr_write(vstimecmp, to->vstimecmp);
	}
	/*
	 * sret returns to VS or VU as it trapped.  sstatus.FS is Clean
	 * unless from dirtied f0-f31, and then vcpu_fp_switch() below
	 * leaves it Clean: every guest starts out Clean.
	 */
	csr_clear(sstatus, SSTATUS_SPP);
	csr_set(sstatus, to->sstatus);

	/* The hypervisor's per-partition settings, fixed at build time. */
	csr_write(hgatp, to->hgatp);
	csr_write(hedeleg, to->hedeleg);	/* traps it handles itself */
	if (!gstage_vmid_ok())
		gstage_flush();

	/* The guest's own supervisor state. */
	csr_write(vsstatus, to->vsstatus);
	csr_write(vsie, to->vsie);
	csr_write(vstvec, to->vstvec);
	csr_write(vsscratch, to->vsscratch);
	csr_write(vsepc, to->vsepc);
	csr_write(vscause, to->vscause);
	csr_write(vstval, to->vstval);
	csr_write(vsatp, to->vsatp);
	csr_write(hvip, to->hvip);
	csr_write(scounteren, to->scounteren);
	csr_write(senvcfg, to->senvcfg);
	if ((ss & SSTATUS_FS) == SSTATUS_FS_DIRTY || to->fp_used ||
	    fp_live[to->hart])
		return vcpu_fp_switch(from, to, ss, ret);
	return ret;
}

/*
 * Hand a trap taken in the guest's user mode (VU) to the guest's own
 * kernel, as the hardware does with a delegated one: vsepc, vscause,
 * vstval, vsstatus.SPP = user, SPIE = SIE, SIE = 0, and resume at its
 * vstvec in VS-mode.  Only for a partition that handles its own faults
 * (the cause is in its hedeleg): a user process that reads a counter
 * the configuration withholds (a virtual instruction) is its kernel's
 * business, an illegal instruction to it.  The live CSRs are v's.
 */
int vcpu_reflect_user(struct vcpu *v, uint64_t cause, uint64_t tval)
{
	uint64_t vs;

	if (!(v->hedeleg & (1UL << cause)) ||
	    (csr_read(sstatus) & SSTATUS_SPP))	/* from VS: not a process's */
		return 0;
	vs = csr_read(vsstatus);
	vs = (vs & ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE)) |
	     ((vs & SSTATUS_SIE) ? SSTATUS_SPIE : 0);
	csr_write(vsepc, v->sepc);
	csr_write(vscause, cause);
	csr_write(vstval, tval);
	csr_write(vsstatus, vs);
	v->sepc = csr_read(vstvec) & ~3UL;	/* exceptions: the base */
	csr_set(sstatus, SSTATUS_SPP);		/* sret lands in VS-mode */
	return 1;
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
