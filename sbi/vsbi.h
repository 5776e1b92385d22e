/* SPDX-License-Identifier: MIT */
/* vsbi.h - the virtual SBI that sepkernel serves to its partitions. */
#ifndef VSBI_H
#define VSBI_H

#include "sk/part.h"

/* Serve p's ecall; returns the vcpu to run next (p's own, or the
 * scheduler's choice when the call gave the hart away). */
struct vcpu *vsbi_handle(struct part *p);

#endif /* VSBI_H */
