/* SPDX-License-Identifier: MIT */
/* vsbi.h - the virtual SBI that sepkernel serves to its partitions. */
#ifndef VSBI_H
#define VSBI_H

#include "sk/part.h"

/*
 * Serve p's ecall.  Returns the vcpu to run next (p's own, or the
 * scheduler's choice when the call gave the hart away), or none: then
 * the call succeeded, and p resumes with value in a1 (in a0/a1, as C
 * returns a pair, straight into trap.S).
 */
struct vsbi_next {
	struct vcpu *vcpu;
	long value;
};
struct vsbi_next vsbi_handle(struct part *p, uint64_t a1, uint64_t a2,
			     uint64_t a3, uint64_t a4, uint64_t a5,
			     uint64_t fid, uint64_t eid);

/* vsbi_os.c: IPI, RFENCE and HSM on the caller's one hart. */
long vsbi_ipi(uint64_t fid, const uint64_t *a);
long vsbi_rfence(uint64_t fid, const uint64_t *a);
long vsbi_hsm(uint64_t fid, const uint64_t *a, long *val);

#endif /* VSBI_H */
