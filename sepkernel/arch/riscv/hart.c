// SPDX-License-Identifier: MIT
/*
 * hart.c - make this hart a hypervisor: which guest traps the guest
 * handles itself, which come to us, and what guests may read.
 */
#include "arch/csr.h"
#include "arch/hart.h"
#include "sk/sched.h"

extern void sk_trap_entry(void);

/* The guest's own interrupts go straight to it (hideleg). */
#define HIDELEG_GUEST	((1UL << IRQ_VS_SOFT) | (1UL << IRQ_VS_TIMER) | \
			 (1UL << IRQ_VS_EXT))

void hart_init(void)
{
	csr_write(stvec, (uint64_t)sk_trap_entry);
	csr_write(hedeleg, SK_HEDELEG_BASE);	/* each vcpu_switch sets its own */
	csr_write(hideleg, HIDELEG_GUEST);
	/*
	 * Partitions read time (their view of time is the real time); cycle
	 * and instret count every partition's work on the hart, a covert
	 * channel, so only a configuration that asks (benchmarks) gets them.
	 */
	csr_write(hcounteren, HCOUNTEREN_TM | (sk_system.guest_counters ?
		  HCOUNTEREN_CY | HCOUNTEREN_IR : 0));
	/*
	 * Every partition is a 64-bit guest entered in VS-mode by sret
	 * (SPV); the hardware rewrites SPV/SPVP/GVA on each trap from a
	 * guest, so hstatus is the same for all and never swapped.
	 */
	csr_write(hstatus, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VSXL_64);
	csr_write(hvip, 0);
	csr_write(hie, 0);
	/* Partitions may use FP; vcpu_switch() swaps its registers. */
	csr_clear(sstatus, SSTATUS_SIE | SSTATUS_SPIE);
	csr_write(htimedelta, 0);	/* a partition's view of time is real */
	if (sched_has_sstc())
		csr_write(henvcfg, HENVCFG_STCE);
}
