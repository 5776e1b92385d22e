/* SPDX-License-Identifier: MIT */
/*
 * vcpu.h - the state of one virtual hart (one per partition).
 *
 * The trap entry (trap.S) saves only the registers a C function may
 * clobber; the callee-saved ones (gp, tp, s0-s11) and the guest's CSRs
 * are saved only when the kernel switches to another vcpu.  The field
 * offsets are used by trap.S and checked below.
 */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * The CSRs a guest can change while it runs (directly, or through an
 * alias such as vsip.SSIP = hvip.VSSIP): each is swapped, old value out
 * and new in, at every world switch.  scounteren and senvcfg have no VS
 * copy: a guest in VS-mode writes the hart's own.
 */
struct vcpu_csrs {
	uint64_t vsstatus;
	uint64_t vsie;
	uint64_t vstvec;
	uint64_t vsscratch;
	uint64_t vsepc;
	uint64_t vscause;
	uint64_t vstval;
	uint64_t vsatp;
	uint64_t hvip;
	uint64_t scounteren;
	uint64_t senvcfg;
	uint64_t vstimecmp;	/* with Sstc; else the kernel's copy only */
};

struct vcpu {
	uint64_t x[32];		/* general registers, x[0] unused */
	uint64_t sepc;		/* guest pc */
	uint64_t kstack;	/* top of this hart's kernel stack */
	uint64_t sync_at;	/* with VCPU_SYNC: enter at exactly this tick */
	uint64_t sync_stop;	/* ... and then arm the slot timer for this */

	/* Saved on a world switch only. */
	uint64_t sstatus;	/* SPP: guest was in VS or VU */
	struct vcpu_csrs csr;	/* what the guest can change: swapped */
	uint64_t hgatp;		/* fixed per partition: loaded only */
	uint64_t hedeleg;	/* traps it handles itself (fixed per partition) */
	uint64_t fp[33];	/* f0-f31, fcsr: valid once the guest used FP */
	uint8_t fp_used;
	uint8_t hart;		/* the physical hart it runs on */
};
#endif

#define VCPU_X(n)	((n) * 8)
#define VCPU_SEPC	256
#define VCPU_KSTACK	264
#define VCPU_SYNC_AT	272
#define VCPU_SYNC_STOP	280

/* sk_trap() and vsbi_handle() return the vcpu to run, with this bit set
 * when the vcpu that trapped was reset and its registers must not be
 * saved. */
#define VCPU_DISCARD	1UL
/* ... and this bit when it must be entered at exactly vcpu->sync_at. */
#define VCPU_SYNC	2UL
/* ... and this one when its fault was an access to an emulated device:
 * trap.S saves the whole frame and calls mmio_trap() (core/mmio.c). */
#define VCPU_MMIO	4UL

/* What trap.S needs to spot the null hypercall (checked in trap.c). */
#define TRAP_ECALL_VS	10		/* EXC_ECALL_VS */
#define TRAP_SK_EID	0x0A534B00	/* SK_EID; SK_FID_NOP is 0 */

#ifndef __ASSEMBLER__
_Static_assert(__builtin_offsetof(struct vcpu, sepc) == VCPU_SEPC, "sepc");
_Static_assert(__builtin_offsetof(struct vcpu, kstack) == VCPU_KSTACK, "kstack");
_Static_assert(__builtin_offsetof(struct vcpu, sync_at) == VCPU_SYNC_AT, "sync");
_Static_assert(__builtin_offsetof(struct vcpu, sync_stop) == VCPU_SYNC_STOP, "stop");

struct sk_part_desc;

void vcpu_boot(void);
void vcpu_reset(struct vcpu *v, const struct sk_part_desc *d, uint64_t hgatp);
struct vcpu *vcpu_switch(struct vcpu *from, struct vcpu *to, uint64_t flags);
void vcpu_set_timer(struct vcpu *v, uint64_t when);
int vcpu_reflect_user(struct vcpu *v, uint64_t cause, uint64_t tval);
void vcpu_enter(struct vcpu *v) __attribute__((noreturn));
void fpu_save(uint64_t regs[33]);
void fpu_load(const uint64_t regs[33]);
#endif

#endif /* ARCH_VCPU_H */
