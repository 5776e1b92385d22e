// SPDX-License-Identifier: MIT
/*
 * mmio.c - trapped device accesses: the virtual UART and the virtual PLIC.
 *
 * An emulated device's page is never mapped in the partition's G-stage
 * table, so every load or store to it is a guest-page fault.  sk_trap()
 * recognises the address (mmio_hit) and returns with VCPU_MMIO; trap.S
 * then saves the guest's callee-saved registers too (the fast path keeps
 * them live in the hart's registers) and calls mmio_trap() with the whole
 * register file in the vcpu.  We read the faulting instruction, decode
 * it, let the device act on the register and step over it.
 *
 * The device says which widths and offsets it has; anything else - FP
 * and atomic instructions, a store seen as a load, an access that is not
 * the one the hart reported - is a contained fault.
 */
#include "arch/csr.h"
#include "sk/hm.h"
#include "sk/mmio.h"
#include "sk/sched.h"
#include "sk/vplic.h"
#include "sk/vuart.h"

/* One decoded load or store. */
struct mmio_op {
	uint8_t store;
	uint8_t width;		/* bytes */
	uint8_t sign;		/* the load sign-extends */
	uint8_t reg;		/* rd of a load, rs2 of a store */
	uint8_t len;		/* instruction length in bytes */
};

/*
 * The integer loads and stores, full (opcodes LOAD, STORE) and
 * compressed (c.lw c.ld c.sw c.sd, c.lwsp c.ldsp c.swsp c.sdsp).
 * FP loads and stores, atomics and anything else return 0.
 */
static int decode(uint32_t in, struct mmio_op *op)
{
	uint32_t f3;

	if ((in & 3) == 3) {
		f3 = (in >> 12) & 7;
		op->len = 4;
		if ((in & 0x7f) == 0x03 && f3 != 7) {	/* lb lh lw ld lbu lhu lwu */
			op->store = 0;
			op->width = 1 << (f3 & 3);
			op->sign = !(f3 & 4);
			op->reg = (in >> 7) & 31;
			return 1;
		}
		if ((in & 0x7f) == 0x23 && f3 <= 3) {	/* sb sh sw sd */
			op->store = 1;
			op->width = 1 << f3;
			op->sign = 0;
			op->reg = (in >> 20) & 31;
			return 1;
		}
		return 0;
	}
	f3 = (in >> 13) & 7;
	op->len = 2;
	op->sign = 1;
	op->width = f3 & 1 ? 8 : 4;	/* x1x: word, x11: double */
	op->store = f3 >= 6;
	if ((f3 & 6) != 2 && (f3 & 6) != 6)
		return 0;		/* c.fld c.fsd, c.addi4spn ... */
	switch (in & 3) {
	case 0:				/* c.lw c.ld c.sw c.sd: x8..x15 */
		op->reg = 8 + ((in >> 2) & 7);
		return 1;
	case 2:				/* c.lwsp c.ldsp, c.swsp c.sdsp */
		op->reg = op->store ? (in >> 2) & 31 : (in >> 7) & 31;
		return op->store || op->reg;	/* c.lwsp x0 is reserved */
	}
	return 0;
}

/*
 * The instruction that faulted: htinst when the hart gives a transformed
 * instruction (bit 0 set; bit 1 clear for a compressed original),
 * otherwise read from guest memory at sepc with hlvx.hu, which walks the
 * guest's own page tables with execute permission, as the fetch did.
 * Returns its length, 0 if it cannot be read.
 */
static unsigned fetch(struct vcpu *v, uint32_t *in)
{
	uint64_t tinst = csr_read(htinst);
	long lo, hi;

	if (tinst & 1) {
		*in = (uint32_t)tinst | 2;
		return tinst & 2 ? 4 : 2;
	}
	lo = mmio_fetch16(v->sepc);
	if (lo < 0)
		return 0;
	if ((lo & 3) != 3) {
		*in = (uint32_t)lo;
		return 2;
	}
	hi = mmio_fetch16(v->sepc + 2);
	if (hi < 0)
		return 0;
	*in = (uint32_t)lo | (uint32_t)hi << 16;
	return 4;
}

/* The device's answer: MMIO_OK, MMIO_RETRY (the store runs again) or
 * MMIO_FAULT (no such register, or not at this width). */
static int access(struct part *p, uint64_t gpa, const struct mmio_op *op,
		  uint64_t *val)
{
	if ((sk_system.devices & SK_DEV_UART) &&
	    (gpa >> 12) == (SK_GUEST_UART_BASE >> 12))	/* mmio_hit: p's */
		return vuart_access(p, gpa - SK_GUEST_UART_BASE, op->width,
				    op->store, val);
	if (sk_system.devices & SK_DEV_PLIC)
		return vplic_access(p, gpa - SK_GUEST_PLIC_BASE, op->width,
				    op->store, val);
	return MMIO_FAULT;
}

struct vcpu *mmio_trap(struct vcpu *v)
{
	struct part *p = (struct part *)v;
	uint64_t cause = csr_read(scause), tval = csr_read(stval);
	uint64_t gpa = csr_read(htval) << 2 | (tval & 3), val = 0;
	struct mmio_op op;
	uint32_t in;
	unsigned len;
	int r;

	/* Read every CSR above before fetch(): a failed read clobbers them. */
	len = sk_system.devices ? fetch(v, &in) : 0;	/* none: never here */
	r = MMIO_FAULT;
	if (len && decode(in, &op) && op.store == (cause == EXC_STORE_GUEST_PAGE) &&
	    ((tval ^ gpa) & (SK_PAGE_SIZE - 1)) == 0) {
		if (op.store && op.reg)
			val = v->x[op.reg];
		r = access(p, gpa, &op, &val);
	}
	if (r == MMIO_FAULT) {
		hm_fault(p, cause, tval, gpa);
		return sched_run(this_hart(p));
	}
	if (r == MMIO_RETRY)
		return v;	/* sepc unchanged: the store runs again */
	if (!op.store && op.reg) {	/* a load into x0 only has its effect */
		if (op.sign && op.width < 8)
			val = (uint64_t)((int64_t)(val << (64 - 8 * op.width)) >>
					 (64 - 8 * op.width));
		v->x[op.reg] = val;
	}
	vplic_update(p);	/* the access may have raised or lowered a line */
	v->sepc += len;
	return v;
}
