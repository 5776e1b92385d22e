/* SPDX-License-Identifier: MIT */
/*
 * run.S - uc_run(frame): load every general register x1..x31 (sp
 * included) from frame->pat[], execute the one instruction in uc_slot
 * (written there by uartcheck.c: a load or store that reaches the
 * virtual UART), store x1..x31 into frame->out[] and return.  The frame
 * pointer rides in sscratch (the guest's own vsscratch) while every
 * register holds the test's values.
 *
 * frame: pat[32] at 0, out[32] at 256, saved sp at 512.
 */
	.section .text
	.globl	uc_run
	.globl	uc_slot
	.balign	4
uc_run:
	addi	sp, sp, -128
	sd	ra, 0(sp)
	sd	gp, 8(sp)
	sd	tp, 16(sp)
	sd	x8, 24(sp)
	sd	x9, 32(sp)
	sd	x18, 40(sp)
	sd	x19, 48(sp)
	sd	x20, 56(sp)
	sd	x21, 64(sp)
	sd	x22, 72(sp)
	sd	x23, 80(sp)
	sd	x24, 88(sp)
	sd	x25, 96(sp)
	sd	x26, 104(sp)
	sd	x27, 112(sp)
	sd	sp, 512(a0)
	csrw	sscratch, a0
	ld	x1, 8(a0)
	ld	x2, 16(a0)
	ld	x3, 24(a0)
	ld	x4, 32(a0)
	ld	x5, 40(a0)
	ld	x6, 48(a0)
	ld	x7, 56(a0)
	ld	x8, 64(a0)
	ld	x9, 72(a0)
	ld	x11, 88(a0)
	ld	x12, 96(a0)
	ld	x13, 104(a0)
	ld	x14, 112(a0)
	ld	x15, 120(a0)
	ld	x16, 128(a0)
	ld	x17, 136(a0)
	ld	x18, 144(a0)
	ld	x19, 152(a0)
	ld	x20, 160(a0)
	ld	x21, 168(a0)
	ld	x22, 176(a0)
	ld	x23, 184(a0)
	ld	x24, 192(a0)
	ld	x25, 200(a0)
	ld	x26, 208(a0)
	ld	x27, 216(a0)
	ld	x28, 224(a0)
	ld	x29, 232(a0)
	ld	x30, 240(a0)
	ld	x31, 248(a0)
	ld	x10, 80(x10)
	.option	push
	.option	norvc
uc_slot:
	nop				/* the instruction under test */
	.option	pop
	csrrw	x31, sscratch, x31	/* x31 = frame; the test's x31 aside */
	sd	x1, 264(x31)
	sd	x2, 272(x31)
	sd	x3, 280(x31)
	sd	x4, 288(x31)
	sd	x5, 296(x31)
	sd	x6, 304(x31)
	sd	x7, 312(x31)
	sd	x8, 320(x31)
	sd	x9, 328(x31)
	sd	x10, 336(x31)
	sd	x11, 344(x31)
	sd	x12, 352(x31)
	sd	x13, 360(x31)
	sd	x14, 368(x31)
	sd	x15, 376(x31)
	sd	x16, 384(x31)
	sd	x17, 392(x31)
	sd	x18, 400(x31)
	sd	x19, 408(x31)
	sd	x20, 416(x31)
	sd	x21, 424(x31)
	sd	x22, 432(x31)
	sd	x23, 440(x31)
	sd	x24, 448(x31)
	sd	x25, 456(x31)
	sd	x26, 464(x31)
	sd	x27, 472(x31)
	sd	x28, 480(x31)
	sd	x29, 488(x31)
	sd	x30, 496(x31)
	csrr	x30, sscratch
	sd	x30, 504(x31)
	ld	sp, 512(x31)
	ld	ra, 0(sp)
	ld	gp, 8(sp)
	ld	tp, 16(sp)
	ld	x8, 24(sp)
	ld	x9, 32(sp)
	ld	x18, 40(sp)
	ld	x19, 48(sp)
	ld	x20, 56(sp)
	ld	x21, 64(sp)
	ld	x22, 72(sp)
	ld	x23, 80(sp)
	ld	x24, 88(sp)
	ld	x25, 96(sp)
	ld	x26, 104(sp)
	ld	x27, 112(sp)
	addi	sp, sp, 128
	ret

/*
 * uc_stale(pte, uart): clear the guest's own page-table entry that maps
 * this code, without sfence.vma, and touch the virtual UART at once.
 * The hart still runs on its cached translation; the kernel, reading
 * the faulting instruction through the guest's page tables, cannot.
 */
	.globl	uc_stale
	.balign	4
uc_stale:
	sd	zero, 0(a0)
	lb	t0, 7(a1)
	ret

