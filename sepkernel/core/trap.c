// SPDX-License-Identifier: MIT
/*
 * trap.c - what the kernel does with each trap from a partition but a
 * hypercall (trap.S hands those to the virtual SBI itself): the slot
 * timer goes to the scheduler, everything else is a fault for the
 * health monitor.
 */
#include "arch/csr.h"
#include "sk/hm.h"
#include "sk/sched.h"
#include "sk/mmio.h"
#include "sk_abi.h"

_Static_assert(TRAP_ECALL_VS == EXC_ECALL_VS && TRAP_SK_EID == SK_EID &&
	       SK_FID_NOP == 0 && SBI_SUCCESS == 0, "trap.S null hypercall");

/* A fault: the health monitor decides (off the hot paths). */
static __attribute__((noinline)) struct vcpu *trap_fault(struct part *p,
							 uint64_t cause)
{
	uint64_t gpa = ~0UL;

	if (cause & SCAUSE_IRQ)	/* nothing else is enabled */
		sk_panic("unexpected_irq", cause, p->vcpu.sepc, 0);
	if (cause == EXC_INST_GUEST_PAGE || cause == EXC_LOAD_GUEST_PAGE ||
	    cause == EXC_STORE_GUEST_PAGE)
		gpa = csr_read(htval) << 2 | (csr_read(stval) & 3);
	/* Its emulated devices: trap.S saves the full frame, then mmio_trap(). */
	if (cause != EXC_INST_GUEST_PAGE && mmio_hit(p, gpa))
		return (struct vcpu *)((uintptr_t)&p->vcpu | VCPU_MMIO);
	/* An OS's process reading a withheld counter: SIGILL, its business. */
	if (cause == EXC_VIRTUAL_INST &&
	    vcpu_reflect_user(&p->vcpu, EXC_ILLEGAL_INST, csr_read(stval)))
		return &p->vcpu;
	hm_fault(p, cause, csr_read(stval), gpa);
	return sched_run(this_hart(p));
}

/*
 * An interrupt (cause has SCAUSE_IRQ): the slot timer, or an IPI from a
 * channel that woke a receiver parked here.  Nothing else is enabled.
 * (cause << 1 drops the interrupt bit in one instruction.)
 */
static inline struct vcpu *trap_irq(struct part *p, uint64_t cause)
{
	if (cause << 1 == IRQ_S_TIMER << 1)
		return sched_run(this_hart(p));
	if (cause << 1 != IRQ_S_SOFT << 1)
		return trap_fault(p, cause);
	csr_clear(sip, 1UL << IRQ_S_SOFT);
	return sched_run(this_hart(p));
}

/*
 * Every trap but a hypercall (trap.S sends those to vsbi_handle()):
 * returns the vcpu to resume.  Every case ends in a tail call, so this
 * dispatcher builds no stack frame: the slot timer reaches sched_run()
 * after three compares.  An interrupt is taken only from a guest (the
 * kernel runs with sstatus.SIE clear), so it needs no check that the
 * trap came from a guest.
 */
struct vcpu *sk_trap(struct vcpu *v, uint64_t cause)
{
	struct part *p = (struct part *)v;

	if ((int64_t)cause < 0)			/* SCAUSE_IRQ */
		return trap_irq(p, cause);
	if (!(csr_read(hstatus) & HSTATUS_SPV))	/* not from a guest */
		sk_panic("kernel_trap", cause, csr_read(sepc), csr_read(stval));
	return trap_fault(p, cause);
}
