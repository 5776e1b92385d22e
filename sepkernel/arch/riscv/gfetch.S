/* SPDX-License-Identifier: MIT */
/*
 * gfetch.S - read a halfword of a guest's code, as the guest would
 * fetch it: hlvx.hu translates through the guest's own page tables
 * (vsatp, privilege hstatus.SPVP) and its G-stage table, with execute
 * permission.  The read can fault (the guest changed its mapping, or
 * raced us on another hart): a trap vector of our own catches that, and
 * sstatus/hstatus (SPP, SPV: where the next sret goes) are put back,
 * since a trap taken here in HS-mode has overwritten them.
 *
 * long mmio_fetch16(uint64_t gva): the halfword, or -1.
 */
	.option	arch, +h
	.section .text
	.globl	mmio_fetch16
	.balign	4
mmio_fetch16:
	csrr	t0, stvec
	csrr	t1, sstatus
	csrr	t2, hstatus
	la	t3, 1f
	csrw	stvec, t3
	hlvx.hu	a0, (a0)
	j	2f
	.balign	4
1:	li	a0, -1			/* the read trapped: here, in HS-mode */
	csrw	sstatus, t1
	csrw	hstatus, t2
2:	csrw	stvec, t0
	ret
