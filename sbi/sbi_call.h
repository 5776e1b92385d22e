/* SPDX-License-Identifier: MIT */
/*
 * sbi_call.h - the kernel's calls down to the real SBI (OpenSBI, M-mode).
 * Partitions never reach OpenSBI: their ecalls stop in sepkernel.
 */
#ifndef SBI_CALL_H
#define SBI_CALL_H

#include <stdint.h>

#define SBI_EXT_HSM		0x48534D
#define SBI_EXT_IPI		0x735049
#define SBI_IPI_SEND		0
#define SBI_HSM_HART_START	0

struct sbiret {
	long error;
	long value;
};

static inline struct sbiret sbi_ecall(uint64_t ext, uint64_t fid, uint64_t a0,
				      uint64_t a1, uint64_t a2)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r6 __asm__("a6") = fid;
	register uint64_t r7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r6), "r"(r7)
			 : "memory");
	return (struct sbiret){ .error = (long)r0, .value = (long)r1 };
}

void sbi_shutdown(void) __attribute__((noreturn));
long sbi_hart_start(uint64_t hartid, uint64_t addr, uint64_t opaque);
void sbi_set_timer(uint64_t when);
void sbi_send_ipi(uint64_t hart_mask);

#endif /* SBI_CALL_H */
