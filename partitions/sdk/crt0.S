/* SPDX-License-Identifier: MIT */
/*
 * crt0.S - a partition's first instructions.  The kernel enters here in
 * VS-mode, translation off, a0 = hart id (0), a1 = its device tree.
 * .data is already in place (the image is loaded flat); .bss is zeroed
 * here because a partition must not trust RAM it did not clear itself.
 */
	.section .text.start
	.globl	_start
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	sp, __stack_top
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	sk_start	/* (hartid, dtb); never returns */
3:	j	3b
