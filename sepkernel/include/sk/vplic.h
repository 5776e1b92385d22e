/* SPDX-License-Identifier: MIT */
/* vplic.h - the virtual PLIC of a partition with plic = true (core/vplic.c). */
#ifndef SK_VPLIC_H
#define SK_VPLIC_H

#include <stdint.h>
#include "sk/part.h"

/* p has a virtual PLIC (a constant false in a system without any). */
static inline int vplic_on(const struct part *p)
{
	return (sk_system.devices & SK_DEV_PLIC) && p->desc->plic;
}

/* One decoded access at offset off (mmio.c): MMIO_OK or MMIO_FAULT. */
int vplic_access(struct part *p, uint64_t off, unsigned width, int store,
		 uint64_t *val);
/* hvip's VSEIP bit for p: set while a claim would return a source. */
uint64_t vplic_virq(struct part *p);
/* ... written into hvip for p, the partition running on this hart. */
void vplic_update(struct part *p);
void vplic_reset(struct part *p);

#endif /* SK_VPLIC_H */
