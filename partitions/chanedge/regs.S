/* SPDX-License-Identifier: MIT */
/*
 * regs.S - edge_ecall(regs): make one ecall with every general register
 * but x0 set from regs[1..31], then store every register as the call
 * left it back into regs[1..31], so the C side can see which ones the
 * kernel changed.  sp, gp, tp and ra are patterns too during the call:
 * nothing here touches memory through them.  The program's own
 * callee-saved registers wait in edge_saved (reached by absolute address:
 * with gp a pattern, no gp-relative access may be relaxed in).  The
 * partition's own sscratch (the hart's vsscratch) carries regs across.
 */
	.option	norelax
	.section .text
	.globl	edge_ecall
edge_ecall:
	la	t0, edge_saved
	sd	ra, 0(t0)
	sd	sp, 8(t0)
	sd	gp, 16(t0)
	sd	tp, 24(t0)
	sd	s0, 32(t0)
	sd	s1, 40(t0)
	sd	s2, 48(t0)
	sd	s3, 56(t0)
	sd	s4, 64(t0)
	sd	s5, 72(t0)
	sd	s6, 80(t0)
	sd	s7, 88(t0)
	sd	s8, 96(t0)
	sd	s9, 104(t0)
	sd	s10, 112(t0)
	sd	s11, 120(t0)
	csrw	sscratch, a0		/* where the results go */
	mv	t0, a0
	.irp	n, 1,2,3,4,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, \n*8(t0)
	.endr
	ld	t0, 5*8(t0)		/* the base register last */
	ecall
	csrrw	t0, sscratch, t0	/* t0 = regs, sscratch = t0 as returned */
	.irp	n, 1,2,3,4,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, \n*8(t0)
	.endr
	csrr	t1, sscratch
	sd	t1, 5*8(t0)
	la	t0, edge_saved
	ld	ra, 0(t0)
	ld	sp, 8(t0)
	ld	gp, 16(t0)
	ld	tp, 24(t0)
	ld	s0, 32(t0)
	ld	s1, 40(t0)
	ld	s2, 48(t0)
	ld	s3, 56(t0)
	ld	s4, 64(t0)
	ld	s5, 72(t0)
	ld	s6, 80(t0)
	ld	s7, 88(t0)
	ld	s8, 96(t0)
	ld	s9, 104(t0)
	ld	s10, 112(t0)
	ld	s11, 120(t0)
	ret

	.section .bss
	.balign	8
edge_saved:
	.space	128
