// SPDX-License-Identifier: MIT
/*
 * trap.c - what the kernel does with each trap from a partition:
 * hypercalls go to the virtual SBI, the slot timer to the scheduler,
 * everything else is a fault for the health monitor.
 */
#include "arch/csr.h"
#include "sk/hm.h"
#include "sk/sched.h"
#include "sk/vuart.h"
#include "vsbi.h"

struct vcpu *sk_trap(struct vcpu *v)
{
	struct part *p = (struct part *)v;
	uint64_t cause = csr_read(scause);
	uint64_t gpa = ~0UL;

	/* The hot path: a hypercall that resumes its caller. */
	if (cause == EXC_ECALL_VS) {
		if (vsbi_handle(p))
			return v;
		return sched_run(this_hart(p));
	}
	if (!(csr_read(hstatus) & HSTATUS_SPV))	/* not from a guest */
		sk_panic("kernel_trap", cause, csr_read(sepc), csr_read(stval));
	if (cause == (SCAUSE_IRQ | IRQ_S_TIMER))
		return sched_run(this_hart(p));
	if (cause == (SCAUSE_IRQ | IRQ_S_SOFT)) {	/* a channel woke us */
		csr_clear(sip, 1UL << IRQ_S_SOFT);
		return sched_run(this_hart(p));
	}
	if (cause & SCAUSE_IRQ)	/* nothing else is enabled */
		sk_panic("unexpected_irq", cause, v->sepc, 0);
	if (cause == EXC_INST_GUEST_PAGE || cause == EXC_LOAD_GUEST_PAGE ||
	    cause == EXC_STORE_GUEST_PAGE)
		gpa = csr_read(htval) << 2 | (csr_read(stval) & 3);
	/* Its virtual UART: trap.S saves the full frame, then vuart_trap(). */
	if (cause != EXC_INST_GUEST_PAGE && vuart_hit(p, gpa))
		return (struct vcpu *)((uintptr_t)v | VCPU_MMIO);
	hm_fault(p, cause, csr_read(stval), gpa);
	return sched_run(this_hart(p));
}
