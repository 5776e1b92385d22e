/* SPDX-License-Identifier: MIT */
/* gstage.h - G-stage (guest-physical to host-physical) translation. */
#ifndef ARCH_GSTAGE_H
#define ARCH_GSTAGE_H

#include <stdint.h>
#include "sk/system.h"

#define GS_R	(1UL << 1)
#define GS_W	(1UL << 2)
#define GS_X	(1UL << 3)

void gstage_init(void);
uint64_t gstage_build(const struct sk_part_desc *d);
void gstage_flush(void);
extern int sk_vmid_ok;

static inline int gstage_vmid_ok(void)
{
	return sk_vmid_ok;
}

#endif /* ARCH_GSTAGE_H */
