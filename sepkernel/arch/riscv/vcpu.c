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
	v->csr.vstimecmp = ~0UL;	/* no timer until the guest asks */
	v->hedeleg = d->hedeleg;
	/*
	 * What firmware gives an S-mode kernel: its user mode may read the
	 * counters too (Linux's vDSO reads time).  hcounteren still decides
	 * what VS-mode itself gets; cycle and instret only with counters.
	 */
	v->csr.scounteren = HCOUNTEREN_TM | (sk_system.guest_counters ?
		HCOUNTEREN_CY | HCOUNTEREN_IR : 0);
	v->hgatp = hgatp;
}

/*
 * FP registers: saved only if the guest dirtied them, and restored or
 * zeroed on every switch so no partition sees another's values.  The
 * hart's own sstatus.FS (not the guest's vsstatus.FS) says between two
 * switches what f0-f31 hold:
 *   Initial  zeros, which anyone may see;
 *   Clean    the values loaded for the running vcpu, unchanged;
 *   Dirty    values it wrote (the hardware sets Dirty on any FP write
 *            in V=1, in both FS fields);
 *   Off      whatever firmware left (at boot).
 * One exception: QEMU 7.2 leaves the hart's FS as it was when a guest in
 * V=1 changes fcsr alone (a csrw of fcsr/frm/fflags, or flags raised by
 * a compare), though the spec says that is Dirty too.  So an fcsr other
 * than the one loaded counts as a change.  The common switch, with zeros
 * held and a vcpu that never used FP coming in, then costs a compare and
 * one read of fcsr (0x003: the kernel is built without F, by name).
 */
static const uint64_t fp_zero[33];

#define fcsr_read()	csr_read(0x003)

static inline int fp_switch_needed(uint64_t ss, const struct vcpu *to)
{
	return (ss & SSTATUS_FS) != SSTATUS_FS_INITIAL || to->fp_used ||
	       fcsr_read();		/* FS is on: Initial */
}

/* Did from change f0-f31 or fcsr since they were loaded (see above)? */
static inline int fp_changed(const struct vcpu *from, uint64_t fs)
{
	if (fs == SSTATUS_FS_DIRTY)
		return 1;
	if (fs == 0)			/* Off: nobody could */
		return 0;
	return fcsr_read() != (from->fp_used ? from->fp[32] : 0);
}

/*
 * The FP half of a switch, when there is one (most partitions never
 * touch FP): from's registers are saved if its guest changed them (ss is
 * sstatus as the trap left it; Initial or Clean, f0-f31 still hold what
 * was loaded for it, so a save then keeps those and its new fcsr), then
 * f0-f31 get to's own values, or zeros.  A change with no from means a
 * guest wrote them and was dropped unsaved with its reset vcpu.  Returns
 * ret, so that vcpu_switch() can end with a tail call.
 */
static __attribute__((noinline)) struct vcpu *vcpu_fp_switch(struct vcpu *from,
							     struct vcpu *to,
							     uint64_t ss,
							     struct vcpu *ret)
{
	if (from && fp_changed(from, ss & SSTATUS_FS)) {
		fpu_save(from->fp);
		from->fp_used = 1;
	}
	csr_set(sstatus, SSTATUS_FS);		/* FS on to touch f0-f31 */
	fpu_load(to->fp_used ? to->fp : fp_zero);
	/* Clean or Initial, and Dirty again when the guest writes one. */
	csr_clear(sstatus, SSTATUS_FS);
	csr_set(sstatus, to->fp_used ? SSTATUS_FS_CLEAN : SSTATUS_FS_INITIAL);
	return ret;
}

/*
 * A switch away from a reset vcpu (or the first entry on a hart) has no
 * outgoing state worth keeping: its CSRs are swapped out into this
 * hart's sink, never read, so that the swap below has a single path.
 */
static struct vcpu_csrs csr_sink[SK_MAX_HARTS];

/*
 * The guest-changeable CSRs: out gets the live values, in's are loaded,
 * with one csrrw each (the old value leaves as the new one arrives).
 */
static inline void vcpu_swap_csrs(struct vcpu_csrs *out,
				  const struct vcpu_csrs *in)
{
	out->vsstatus = csr_swap(vsstatus, in->vsstatus);
	out->vsie = csr_swap(vsie, in->vsie);
	out->vstvec = csr_swap(vstvec, in->vstvec);
	out->vsscratch = csr_swap(vsscratch, in->vsscratch);
	out->vsepc = csr_swap(vsepc, in->vsepc);
	out->vscause = csr_swap(vscause, in->vscause);
	out->vstval = csr_swap(vstval, in->vstval);
	out->vsatp = csr_swap(vsatp, in->vsatp);
	out->hvip = csr_swap(hvip, in->hvip);
	out->scounteren = csr_swap(scounteren, in->scounteren);
	out->senvcfg = csr_swap(senvcfg, in->senvcfg);
}

/*
 * What the common switch may take for granted, found once at boot
 * (vcpu_boot): the hart has Sstc, so vstimecmp is swapped like the rest,
 * and a VMID for every partition, so no G-stage TLB flush.  One test
 * instead of two; vcpu_switch_quirks() does the rest.
 */
static int switch_plain;

void vcpu_boot(void)
{
	switch_plain = sched_has_sstc() && gstage_vmid_ok();
}

static inline void vcpu_switch_quirks(struct vcpu_csrs *out,
				      const struct vcpu_csrs *in)
{
	/* Without Sstc, vstimecmp is the kernel's copy: it stays. */
	if (sched_has_sstc())
		out->vstimecmp = csr_swap(vstimecmp, in->vstimecmp);
	if (!gstage_vmid_ok())
		gstage_flush();
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
	/*
	 * sret returns to VS or VU as it trapped: SPP is from's, then to's.
	 * sstatus.FS is vcpu_fp_switch()'s (above).
	 */
	uint64_t ss = csr_read_clear(sstatus, SSTATUS_SPP);
	struct vcpu *ret = (struct vcpu *)((uint64_t)to | flags);
	struct vcpu_csrs *out;

	if (from)
		from->sstatus = ss & SSTATUS_SPP;
	csr_set(sstatus, to->sstatus);
	out = from ? &from->csr : &csr_sink[to->hart];
	vcpu_swap_csrs(out, &to->csr);

	/* The hypervisor's per-partition settings, fixed at build time. */
	csr_write(hgatp, to->hgatp);
	csr_write(hedeleg, to->hedeleg);	/* traps it handles itself */
	if (switch_plain)
		out->vstimecmp = csr_swap(vstimecmp, to->csr.vstimecmp);
	else
		vcpu_switch_quirks(out, &to->csr);

	if (fp_switch_needed(ss, to))
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
	v->csr.vstimecmp = when;
	if (sched_has_sstc())
		csr_write(vstimecmp, when);
	else if (when <= time_now())
		csr_set(hvip, 1UL << IRQ_VS_TIMER);
	else
		csr_clear(hvip, 1UL << IRQ_VS_TIMER);
}
