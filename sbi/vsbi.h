/* SPDX-License-Identifier: MIT */
/* vsbi.h - the virtual SBI that sepkernel serves to its partitions. */
#ifndef VSBI_H
#define VSBI_H

#include "sk/part.h"

/* Serve p's ecall; returns 1 to resume p at once, 0 to reschedule. */
int vsbi_handle(struct part *p);

#endif /* VSBI_H */
