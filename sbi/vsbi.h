/* SPDX-License-Identifier: MIT */
/* vsbi.h - the virtual SBI that sepkernel serves to its partitions. */
#ifndef VSBI_H
#define VSBI_H

#include "sk/part.h"

/* Serve p's ecall; returns the vcpu to run next (p's own, or the
 * scheduler's choice when the call gave the hart away). */
struct vcpu *vsbi_handle(struct part *p);

/* vsbi_os.c: IPI, RFENCE and HSM on the caller's one hart. */
long vsbi_ipi(uint64_t fid, const uint64_t *a);
long vsbi_rfence(uint64_t fid, const uint64_t *a);
long vsbi_hsm(uint64_t fid, const uint64_t *a, long *val);

#endif /* VSBI_H */
