// SPDX-License-Identifier: MIT
/* sbi_call.c - the kernel's calls down to OpenSBI. */
#include "sbi_call.h"
#include "sk_abi.h"

void sbi_shutdown(void)
{
	sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_TYPE_SHUTDOWN,
		  SBI_SRST_REASON_NONE, 0);
	for (;;)	/* SRST does not return; if it did, stay put. */
		__asm__ volatile("wfi");
}

long sbi_hart_start(uint64_t hartid, uint64_t addr, uint64_t opaque)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, hartid, addr,
			 opaque).error;
}

void sbi_set_timer(uint64_t when)
{
	sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, when, 0, 0);
}

void sbi_send_ipi(uint64_t hart_mask)
{
	sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND, hart_mask, 0, 0);
}
