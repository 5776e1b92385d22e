/* SPDX-License-Identifier: MIT */
/* hart.h - per-hart hypervisor setup. */
#ifndef ARCH_HART_H
#define ARCH_HART_H

void hart_init(void);

#endif /* ARCH_HART_H */
