/* SPDX-License-Identifier: MIT */
/*
 * entry.S - where OpenSBI's fw_dynamic hands over (at 0x80200000).
 *
 * Only the boot hart arrives here, in HS-mode with translation off,
 * a0 = its hart id, a1 = the board's device tree.  The other harts
 * wait in OpenSBI until sk_main starts them through SBI HSM at
 * sk_secondary_entry.
 */
#define SK_STACK_SIZE	8192
#define SK_MAX_HARTS	8

	.section .text.entry
	.globl	_start
_start:
	csrr	t0, time		/* boot clock starts at the first instruction */
	la	t1, sk_boot_time
	sd	t0, 0(t1)
	csrw	sie, zero
	li	t0, SK_MAX_HARTS
	bgeu	a0, t0, .Lpark
	call	.Lstack
	/* Zero .bss; it holds only small tables, so this stays cheap. */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	sk_main
.Lpark:
	wfi
	j	.Lpark

	.globl	sk_secondary_entry
sk_secondary_entry:
	csrw	sie, zero
	li	t0, SK_MAX_HARTS
	bgeu	a0, t0, .Lpark
	call	.Lstack
	call	sk_secondary_main
	j	.Lpark

/* sp = top of this hart's stack; a0 = hart id (kept). */
.Lstack:
	la	sp, sk_stacks
	li	t0, SK_STACK_SIZE
	addi	t1, a0, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	ret

	.section .sk_stack, "aw", @nobits
	.balign	16
	.globl	sk_stacks
sk_stacks:
	.space	SK_STACK_SIZE * SK_MAX_HARTS
