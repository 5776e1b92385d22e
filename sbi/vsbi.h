/* SPDX-License-Identifier: MIT */
/* vsbi.h - the virtual SBI that sepkernel serves to its partitions. */
#ifndef VSBI_H
#define VSBI_H

#include "sk/part.h"

/*
 * Serve p's ecall.  Returns, in a0, the vcpu to run next (p's own, or the
 * scheduler's choice when the call gave the hart away), or none: then
 * the call succeeded, and p resumes with the value returned in a1.  The
 * pair is one 128-bit integer, which RV64 returns in a0 (low) and a1
 * (high): GCC 12 returns a two-member struct the same way, but builds it
 * in memory when the function also tail-calls one returning it.
 */
typedef unsigned __int128 vsbi_next_t;

static inline vsbi_next_t vsbi_next(struct vcpu *v, long value)
{
	return (vsbi_next_t)(uint64_t)value << 64 | (uintptr_t)v;
}

vsbi_next_t vsbi_handle(struct part *p, uint64_t a1, uint64_t a2, uint64_t a3,
			uint64_t a4, uint64_t a5, uint64_t fid, uint64_t eid);

/* vsbi_os.c: IPI, RFENCE and HSM on the caller's one hart. */
long vsbi_ipi(uint64_t fid, const uint64_t *a);
long vsbi_rfence(uint64_t fid, const uint64_t *a);
long vsbi_hsm(uint64_t fid, const uint64_t *a, long *val);

#endif /* VSBI_H */
