// SPDX-License-Identifier: MIT
/*
 * vsbi_os.c - the SBI calls an operating system makes on its one vCPU:
 * IPI, remote fences and hart status.  An OS partition has exactly one
 * hart (hart 0 in its own numbering), so every "remote" operation is
 * aimed at itself and done here, on the spot: an IPI raises its own
 * virtual software interrupt, a fence flushes its own translations.
 * Nothing here reaches another hart or another partition.
 */
#include "arch/csr.h"
#include "sk_abi.h"
#include "vsbi.h"

/*
 * Does the SBI hart mask (mask, base) name hart 0, the caller's only
 * hart?  1 yes, 0 no, -1 it names a hart that does not exist.
 * base = -1 means every hart.
 */
static int names_self(uint64_t mask, uint64_t base)
{
	if (base == ~0UL)
		return 1;
	if (base)
		return mask ? -1 : 0;
	if (mask & ~1UL)
		return -1;
	return mask & 1;
}

long vsbi_ipi(uint64_t fid, const uint64_t *a)
{
	int self = names_self(a[0], a[1]);

	if (fid != SBI_IPI_SEND_IPI)
		return SBI_ERR_NOT_SUPPORTED;
	if (self < 0)
		return SBI_ERR_INVALID_PARAM;
	if (self)	/* its own supervisor software interrupt */
		csr_set(hvip, 1UL << IRQ_VS_SOFT);
	return SBI_SUCCESS;
}

long vsbi_rfence(uint64_t fid, const uint64_t *a)
{
	int self = names_self(a[0], a[1]);

	/* The hypervisor fences (3-6) are for guests that have the H
	 * extension; partitions do not. */
	if (fid > SBI_RFENCE_SFENCE_VMA_ASID)
		return SBI_ERR_NOT_SUPPORTED;
	if (self < 0)
		return SBI_ERR_INVALID_PARAM;
	if (!self)
		return SBI_SUCCESS;
	if (fid == SBI_RFENCE_FENCE_I) {
		__asm__ volatile("fence.i" ::: "memory");
		return SBI_SUCCESS;
	}
	/*
	 * Its VS-stage translations, all of them: hgatp holds its VMID, so
	 * this flushes nothing of anyone else's.  A whole flush is always
	 * correct for a range or an ASID, and takes bounded time.
	 */
	__asm__ volatile(".option push\n.option arch, +h\n"
			 "hfence.vvma zero, zero\n.option pop" ::: "memory");
	return SBI_SUCCESS;
}

long vsbi_hsm(uint64_t fid, const uint64_t *a, long *val)
{
	switch (fid) {
	case SBI_HSM_HART_START:	/* its one hart is running already */
		return a[0] ? SBI_ERR_INVALID_PARAM : SBI_ERR_ALREADY_AVAILABLE;
	case SBI_HSM_HART_GET_STATUS:
		if (a[0])
			return SBI_ERR_INVALID_PARAM;
		*val = SBI_HSM_STATE_STARTED;
		return SBI_SUCCESS;
	}
	return SBI_ERR_NOT_SUPPORTED;
}
