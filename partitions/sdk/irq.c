// SPDX-License-Identifier: MIT
/*
 * irq.c - interrupts inside a partition.  The kernel delegates the
 * partition's own interrupts to it (hideleg): the virtual timer it set
 * with sk_set_timer() arrives as a supervisor timer interrupt, a doorbell
 * as a supervisor software interrupt, and with plic = true its virtual
 * PLIC's line as a supervisor external interrupt (enabled here only if
 * the program has it).  Programs override the weak handlers below.
 */
#include <stdio.h>
#include "sk.h"

#define SIE_SSIE	(1UL << 1)
#define SIE_STIE	(1UL << 5)
#define SIE_SEIE	(1UL << 9)
#define SSTATUS_SIE	(1UL << 1)
#define SCAUSE_IRQ	(1UL << 63)

extern void sk_vector(void);

__attribute__((weak)) void sk_on_timer(void)
{
	sk_set_timer(~0UL);	/* nobody wanted it: silence it */
}

__attribute__((weak)) void sk_on_notify(void)
{
}

__attribute__((weak)) void sk_on_external(void)
{
	__asm__ volatile("csrc sie, %0" :: "r"(SIE_SEIE));	/* unhandled */
}

void sk_irq_init(void)
{
	__asm__ volatile("csrw stvec, %0" :: "r"(sk_vector));
	__asm__ volatile("csrs sie, %0" :: "r"(SIE_SSIE | SIE_STIE));
	__asm__ volatile("csrs sstatus, %0" :: "r"(SSTATUS_SIE));
}

void sk_handle_trap(uint64_t scause, uint64_t sepc, uint64_t stval)
{
	if (scause == (SCAUSE_IRQ | 5)) {
		sk_on_timer();
		return;
	}
	if (scause == (SCAUSE_IRQ | 9)) {	/* claim it from the PLIC */
		sk_on_external();
		return;
	}
	if (scause == (SCAUSE_IRQ | 1)) {
		__asm__ volatile("csrc sip, %0" :: "r"(SIE_SSIE));
		sk_on_notify();
		return;
	}
	printf("unexpected trap scause=0x%lx sepc=0x%lx stval=0x%lx\n",
	       (unsigned long)scause, (unsigned long)sepc,
	       (unsigned long)stval);
	sk_exit(1);
}
