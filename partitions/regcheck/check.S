/* SPDX-License-Identifier: MIT */
/*
 * check.S - regcheck_round(pattern, spins): load every general register
 * but sp (and t6, the loop counter) and all FP registers with the
 * pattern, spin, then store them all back over pattern[] so the C side
 * can compare.  The kernel switches partitions in the middle of the spin
 * as often as the slot plan says.
 *
 * pattern layout: x0..x31 at [0..31] (x0, sp, t6 unused), f0..f31 at
 * [32..63].
 */
	.option	arch, +d
	.section .text
	.globl	regcheck_round
regcheck_round:
	addi	sp, sp, -128
	sd	ra, 0(sp)
	sd	gp, 8(sp)
	sd	tp, 16(sp)
	sd	s0, 24(sp)
	sd	s1, 32(sp)
	sd	s2, 40(sp)
	sd	s3, 48(sp)
	sd	s4, 56(sp)
	sd	s5, 64(sp)
	sd	s6, 72(sp)
	sd	s7, 80(sp)
	sd	s8, 88(sp)
	sd	s9, 96(sp)
	sd	s10, 104(sp)
	sd	s11, 112(sp)
	sd	a0, 120(sp)		/* pattern pointer, needed after */
	mv	t6, a1			/* spin count */
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (\n+32)*8(a0)
	.endr
	.irp	n, 1,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ld	x\n, \n*8(a0)
	.endr
	ld	a0, 80(a0)
1:	addi	t6, t6, -1
	bnez	t6, 1b
	/* Store everything on the stack, then copy back over pattern[]. */
	addi	sp, sp, -256
	.irp	n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	sd	x\n, \n*8(sp)
	.endr
	ld	a0, 256+120(sp)
	.irp	n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ld	t6, \n*8(sp)
	sd	t6, \n*8(a0)
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n+32)*8(a0)
	.endr
	addi	sp, sp, 256
	ld	ra, 0(sp)
	ld	gp, 8(sp)
	ld	tp, 16(sp)
	ld	s0, 24(sp)
	ld	s1, 32(sp)
	ld	s2, 40(sp)
	ld	s3, 48(sp)
	ld	s4, 56(sp)
	ld	s5, 64(sp)
	ld	s6, 72(sp)
	ld	s7, 80(sp)
	ld	s8, 88(sp)
	ld	s9, 96(sp)
	ld	s10, 104(sp)
	ld	s11, 112(sp)
	addi	sp, sp, 128
	ret
