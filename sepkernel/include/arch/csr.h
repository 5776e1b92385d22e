/* SPDX-License-Identifier: MIT */
/*
 * csr.h - RISC-V control and status registers used by the kernel.
 *
 * The kernel runs in HS-mode: the supervisor CSRs (s*) are its own,
 * the hypervisor CSRs (h*) configure how guests run, and the virtual
 * supervisor CSRs (vs*) hold the state of the guest on this hart,
 * which is why they are saved and restored on every world switch.
 */
#ifndef ARCH_CSR_H
#define ARCH_CSR_H

#include <stdint.h>

#define csr_read(csr) ({ \
	uint64_t __v; \
	__asm__ volatile("csrr %0, " #csr : "=r"(__v) :: "memory"); \
	__v; })

#define csr_write(csr, val) \
	__asm__ volatile("csrw " #csr ", %0" :: "rK"((uint64_t)(val)) : "memory")

/* csrrw: the old value out and the new one in, in one instruction. */
#define csr_swap(csr, val) ({ \
	uint64_t __v; \
	__asm__ volatile("csrrw %0, " #csr ", %1" \
			 : "=r"(__v) : "rK"((uint64_t)(val)) : "memory"); \
	__v; })

/* csrrc: the old value out, and the bits in mask cleared. */
#define csr_read_clear(csr, mask) ({ \
	uint64_t __v; \
	__asm__ volatile("csrrc %0, " #csr ", %1" \
			 : "=r"(__v) : "rK"((uint64_t)(mask)) : "memory"); \
	__v; })

#define csr_set(csr, val) \
	__asm__ volatile("csrs " #csr ", %0" :: "rK"((uint64_t)(val)) : "memory")

#define csr_clear(csr, val) \
	__asm__ volatile("csrc " #csr ", %0" :: "rK"((uint64_t)(val)) : "memory")

/* sstatus */
#define SSTATUS_SIE		(1UL << 1)
#define SSTATUS_SPIE		(1UL << 5)
#define SSTATUS_SPP		(1UL << 8)	/* trap came from (V)S-mode */
#define SSTATUS_FS		(3UL << 13)
#define SSTATUS_FS_INITIAL	(1UL << 13)
#define SSTATUS_FS_CLEAN	(2UL << 13)
#define SSTATUS_FS_DIRTY	(3UL << 13)

/* hstatus */
#define HSTATUS_GVA		(1UL << 6)
#define HSTATUS_SPV		(1UL << 7)	/* trap came from a guest */
#define HSTATUS_SPVP		(1UL << 8)
#define HSTATUS_VTW		(1UL << 21)
#define HSTATUS_VSXL_64		(2UL << 32)

/* Interrupt numbers (scause with the top bit set; bits in sip/sie/hip). */
#define IRQ_S_SOFT		1
#define IRQ_VS_SOFT		2
#define IRQ_S_TIMER		5
#define IRQ_VS_TIMER		6
#define IRQ_S_EXT		9
#define IRQ_VS_EXT		10
#define IRQ_SGEI		12

#define SCAUSE_IRQ		(1UL << 63)

/* Exception causes a guest can raise. */
#define EXC_INST_MISALIGNED	0
#define EXC_INST_ACCESS		1
#define EXC_ILLEGAL_INST	2
#define EXC_BREAKPOINT		3
#define EXC_LOAD_MISALIGNED	4
#define EXC_LOAD_ACCESS		5
#define EXC_STORE_MISALIGNED	6
#define EXC_STORE_ACCESS	7
#define EXC_ECALL_U		8
#define EXC_ECALL_VS		10
#define EXC_INST_PAGE		12
#define EXC_LOAD_PAGE		13
#define EXC_STORE_PAGE		15
#define EXC_INST_GUEST_PAGE	20
#define EXC_LOAD_GUEST_PAGE	21
#define EXC_VIRTUAL_INST	22
#define EXC_STORE_GUEST_PAGE	23

/* hgatp: Sv39x4 with a VMID. */
#define HGATP_MODE_SV39X4	(8UL << 60)
#define HGATP_VMID_SHIFT	44
#define HGATP_VMID_MASK		0x3fffUL

/* henvcfg */
#define HENVCFG_STCE		(1UL << 63)	/* guests get Sstc's vstimecmp */

/* hcounteren: let guests read cycle, time and instret. */
#define HCOUNTEREN_CY		(1UL << 0)
#define HCOUNTEREN_TM		(1UL << 1)
#define HCOUNTEREN_IR		(1UL << 2)

static inline uint64_t time_now(void)
{
	return csr_read(time);
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

#endif /* ARCH_CSR_H */
