/* SPDX-License-Identifier: MIT */
/*
 * fp.S - the FP register file as an array: f0..f31 at [0..31], fcsr at
 * [32].  fp_read() only reads it (fmv.x.d and frcsr write no FP state,
 * so a partition that calls nothing else never makes sstatus.FS Dirty);
 * fp_write() writes all 33; fcsr_write() writes fcsr alone, through the
 * CSR, without touching an f register.
 */
	.option	arch, +d
	.section .text

	.globl	fp_read
fp_read:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fmv.x.d	t0, f\n
	sd	t0, \n*8(a0)
	.endr
	frcsr	t0
	sd	t0, 32*8(a0)
	ret

	.globl	fp_write
fp_write:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	t0, \n*8(a0)
	fmv.d.x	f\n, t0
	.endr
	ld	t0, 32*8(a0)
	fscsr	t0
	ret

	.globl	fcsr_write
fcsr_write:
	csrw	fcsr, a0
	ret

	/* fp_raise_nv(): feq.d on the signalling NaN in f1 - fflags.NV set, no f register written. */
	.globl	fp_raise_nv
fp_raise_nv:
	feq.d	a0, f1, f1
	ret
