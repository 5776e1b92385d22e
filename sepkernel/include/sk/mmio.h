/* SPDX-License-Identifier: MIT */
/* mmio.h - trapped accesses to a partition's emulated devices (core/mmio.c). */
#ifndef SK_MMIO_H
#define SK_MMIO_H

#include <stdint.h>
#include "sk/part.h"

/* What a device does with one access. */
#define MMIO_OK		0
#define MMIO_RETRY	1	/* not now: sepc unchanged, the guest runs it again */
#define MMIO_FAULT	2	/* no such register at this width: a contained fault */

/* The guest-page fault at gpa was an access to one of p's devices? */
static inline int mmio_hit(const struct part *p, uint64_t gpa)
{
	return ((sk_system.devices & SK_DEV_UART) && p->desc->uart &&
		(gpa >> 12) == (SK_GUEST_UART_BASE >> 12)) ||
	       ((sk_system.devices & SK_DEV_PLIC) && p->desc->plic &&
		gpa - SK_GUEST_PLIC_BASE < SK_GUEST_PLIC_SIZE);
}

/* Emulate the load or store that faulted (trap.S, full frame saved). */
struct vcpu *mmio_trap(struct vcpu *v);
/* Read one halfword of guest code with hlvx.hu; -1 if that faults. */
long mmio_fetch16(uint64_t gva);

#endif /* SK_MMIO_H */
