/* SPDX-License-Identifier: MIT */
/*
 * trap.S - the only way into the kernel once partitions run.
 *
 * While a guest runs, sscratch holds its struct vcpu.  A trap from the
 * guest swaps a0 with sscratch and first asks whether it is the null
 * hypercall (SK_EID, SK_FID_NOP): that one is answered right here, with
 * two scratch registers and no stack, because its only job is to measure
 * the floor of a kernel entry (ecall, a few tests, sret).
 *
 * Any other hypercall saves the caller-saved registers (the ones C may
 * clobber) and calls vsbi_handle(vcpu, a1, ..., a7) on the hart's kernel
 * stack, its sepc already stepped past the ecall (a call it answers comes
 * back with no vcpu and leaves through .Lanswered); any other trap (an
 * interrupt, a fault) does the same and calls sk_trap(vcpu, scause).  Because C
 * preserves s0-s11, gp and tp, they still hold the guest's values when
 * the call returns, so a hypercall that resumes the same vcpu never
 * touches them.  Only a world switch stores them into the old vcpu and
 * loads the new one's, and only an access to an emulated device (VCPU_MMIO,
 * whose emulator may read or write any register) spills them for C.
 */
#include "arch/vcpu.h"

/*
 * The callee-saved half of a vcpu's registers (gp, tp, s0-s11), which C
 * preserves for us: moved only at a world switch or for a device access.
 */
.macro CALLEE_SAVE base
	sd	gp, VCPU_X(3)(\base)
	sd	tp, VCPU_X(4)(\base)
	sd	s0, VCPU_X(8)(\base)
	sd	s1, VCPU_X(9)(\base)
	sd	s2, VCPU_X(18)(\base)
	sd	s3, VCPU_X(19)(\base)
	sd	s4, VCPU_X(20)(\base)
	sd	s5, VCPU_X(21)(\base)
	sd	s6, VCPU_X(22)(\base)
	sd	s7, VCPU_X(23)(\base)
	sd	s8, VCPU_X(24)(\base)
	sd	s9, VCPU_X(25)(\base)
	sd	s10, VCPU_X(26)(\base)
	sd	s11, VCPU_X(27)(\base)
.endm

/*
 * The caller-saved half, which C may clobber: stored on every way into C.
 * Ends with the vcpu back in sscratch and the guest's a0 stored.
 */
.macro CALLER_SAVE
	sd	ra, VCPU_X(1)(a0)
	sd	sp, VCPU_X(2)(a0)
	sd	t2, VCPU_X(7)(a0)
	sd	a1, VCPU_X(11)(a0)
	sd	a2, VCPU_X(12)(a0)
	sd	a3, VCPU_X(13)(a0)
	sd	a4, VCPU_X(14)(a0)
	sd	a5, VCPU_X(15)(a0)
	sd	a6, VCPU_X(16)(a0)
	sd	a7, VCPU_X(17)(a0)
	sd	t3, VCPU_X(28)(a0)
	sd	t4, VCPU_X(29)(a0)
	sd	t5, VCPU_X(30)(a0)
	sd	t6, VCPU_X(31)(a0)
	csrrw	t1, sscratch, a0	/* guest a0 out, vcpu back in */
	sd	t1, VCPU_X(10)(a0)
.endm

/* The caller-saved half but t0, t1, a0 and a1, which each way back
 * loads in its own order. */
.macro CALLER_LOAD base
	ld	ra, VCPU_X(1)(\base)
	ld	sp, VCPU_X(2)(\base)
	ld	t2, VCPU_X(7)(\base)
	ld	a2, VCPU_X(12)(\base)
	ld	a3, VCPU_X(13)(\base)
	ld	a4, VCPU_X(14)(\base)
	ld	a5, VCPU_X(15)(\base)
	ld	a6, VCPU_X(16)(\base)
	ld	a7, VCPU_X(17)(\base)
	ld	t3, VCPU_X(28)(\base)
	ld	t4, VCPU_X(29)(\base)
	ld	t5, VCPU_X(30)(\base)
	ld	t6, VCPU_X(31)(\base)
.endm

.macro CALLEE_LOAD base
	ld	gp, VCPU_X(3)(\base)
	ld	tp, VCPU_X(4)(\base)
	ld	s0, VCPU_X(8)(\base)
	ld	s1, VCPU_X(9)(\base)
	ld	s2, VCPU_X(18)(\base)
	ld	s3, VCPU_X(19)(\base)
	ld	s4, VCPU_X(20)(\base)
	ld	s5, VCPU_X(21)(\base)
	ld	s6, VCPU_X(22)(\base)
	ld	s7, VCPU_X(23)(\base)
	ld	s8, VCPU_X(24)(\base)
	ld	s9, VCPU_X(25)(\base)
	ld	s10, VCPU_X(26)(\base)
	ld	s11, VCPU_X(27)(\base)
.endm

	.section .text
	.globl	sk_trap_entry
	.balign	4
sk_trap_entry:
	csrrw	a0, sscratch, a0	/* a0 = vcpu, sscratch = guest a0 */
	sd	t0, VCPU_X(5)(a0)
	sd	t1, VCPU_X(6)(a0)
	csrr	t0, scause
	li	t1, TRAP_ECALL_VS	/* only a guest in VS-mode raises it */
	bne	t0, t1, .Lother
	csrr	t0, sepc		/* a hypercall returns past its ecall, */
	addi	t0, t0, 4		/* which is never compressed */
	bnez	a6, .Lhypercall		/* SK_FID_NOP is 0 */
	li	t1, TRAP_SK_EID
	bne	a7, t1, .Lhypercall
	/* The null hypercall: return a0 = a1 = 0. */
	csrw	sepc, t0
	ld	t0, VCPU_X(5)(a0)
	ld	t1, VCPU_X(6)(a0)
	csrw	sscratch, a0
	li	a0, 0			/* SBI_SUCCESS */
	li	a1, 0
	sret

.Lother:				/* t0 = scause */
	CALLER_SAVE
	csrr	t1, sepc
	sd	t1, VCPU_SEPC(a0)
	ld	sp, VCPU_KSTACK(a0)
	mv	a1, t0
	call	sk_trap			/* a0 = vcpu to run next, and flags */
	j	.Lreturned

.Lhypercall:				/* t0 = sepc past the ecall */
	CALLER_SAVE
	sd	t0, VCPU_SEPC(a0)
	ld	sp, VCPU_KSTACK(a0)
	call	vsbi_handle		/* a1-a7: the guest's, as arguments */
	beqz	a0, .Lanswered		/* a0 = vcpu and flags as above, or none */
.Lreturned:
	csrr	t1, sscratch		/* the vcpu that trapped */
	beq	a0, t1, .Lresume	/* a hypercall resumes it */

.Lslow:
	andi	t0, a0, VCPU_SYNC | VCPU_MMIO | VCPU_DISCARD
	bnez	t0, .Lflagged
.Lsave:					/* the outgoing vcpu's callee-saved regs */
	CALLEE_SAVE t1
.Lload:					/* a0 = vcpu, without flags */
	csrw	sscratch, a0
	CALLEE_LOAD a0
	/* ... and on into .Lresume */

.Lresume:
	ld	t0, VCPU_SEPC(a0)
	csrw	sepc, t0
	CALLER_LOAD a0
	ld	t0, VCPU_X(5)(a0)
	ld	t1, VCPU_X(6)(a0)
	ld	a1, VCPU_X(11)(a0)
	ld	a0, VCPU_X(10)(a0)
	sret

/*
 * A hypercall that a fast path answered (vsbi_handle() returned no vcpu):
 * the caller resumes with a0 = 0, SBI_SUCCESS, already there, and a1 as
 * returned; neither went through memory.
 */
.Lanswered:
	csrr	t0, sscratch
	ld	t1, VCPU_SEPC(t0)
	csrw	sepc, t1
	CALLER_LOAD t0
	ld	t1, VCPU_X(6)(t0)
	ld	t0, VCPU_X(5)(t0)
	sret

/*
 * A vcpu returned with flags: exact entry (VCPU_SYNC), an emulated device
 * access (VCPU_MMIO), or a switch away from a reset vcpu (VCPU_DISCARD),
 * whose registers are not worth saving.
 */
.Lflagged:
	andi	t0, a0, VCPU_SYNC
	bnez	t0, .Lsync
	andi	t0, a0, VCPU_MMIO
	bnez	t0, .Lmmio
	andi	a0, a0, ~VCPU_DISCARD
	j	.Lload

/*
 * A guest access to an emulated device (VCPU_MMIO): the emulator may read
 * or write any general register, so store the callee-saved half too,
 * call mmio_trap(), and load them back (it may have written one)
 * before going on as after sk_trap().  Only this path pays for it.
 */
.Lmmio:
	CALLEE_SAVE t1
	mv	a0, t1
	call	mmio_trap
	csrr	t1, sscratch
	CALLEE_LOAD t1
	bne	a0, t1, .Lslow
	j	.Lresume

/*
 * Exact entry at a slot boundary (sched.c, exact mode): wait for the
 * boundary with tick_sync(), arm the slot's stop timer at that fixed
 * instant, and reach sret along one path whose length does not depend
 * on whether the hart switches vcpu, resumes the same one or drops a
 * reset one: the partition's first instruction always runs at the same
 * time after the boundary.
 */
.Lsync:
	andi	a0, a0, ~VCPU_SYNC
	addi	sp, sp, -16
	sd	a0, 0(sp)
	andi	t0, a0, ~VCPU_DISCARD
	ld	a0, VCPU_SYNC_AT(t0)
	call	tick_sync
	la	t0, sk_sync_late	/* count entries that could not be exact */
	amoadd.d zero, a0, (t0)
	ld	a0, 0(sp)
	addi	sp, sp, 16
	andi	t0, a0, ~VCPU_DISCARD
	ld	t0, VCPU_SYNC_STOP(t0)
	csrw	stimecmp, t0
	csrr	t1, sscratch
	andi	t2, a0, VCPU_DISCARD
	.option	push
	.option	norelax
	beqz	t2, 1f
	la	t1, sync_scratch	/* nothing to save: store it nowhere */
	j	2f
1:	nop				/* as long as the three above */
	nop
	nop
	.option	pop
2:	andi	a0, a0, ~VCPU_DISCARD
	j	.Lsave

/* vcpu_enter(vcpu | flags): first entry into a guest; its CSRs are loaded. */
	.globl	vcpu_enter
vcpu_enter:
	andi	t0, a0, VCPU_SYNC
	ori	a0, a0, VCPU_DISCARD
	bnez	t0, .Lsync
	andi	a0, a0, ~VCPU_DISCARD
	j	.Lload

	.section .bss
	.balign	8
	.globl	sk_sync_late
sk_sync_late:
	.dword	0
sync_scratch:
	.space	VCPU_X(28)

	.section .text
/*
 * sk_probe_trap: a trap vector used only while probing for an optional
 * CSR at boot.  It skips the 4-byte instruction that trapped and clears
 * t6 to say "not there".
 */
	.balign	4
	.globl	sk_probe_trap
sk_probe_trap:
	csrr	t6, sepc
	addi	t6, t6, 4
	csrw	sepc, t6
	li	t6, 0
	sret
