/* SPDX-License-Identifier: MIT */
/*
 * sk_plic.h - the registers of a partition's virtual PLIC (plic = true;
 * README: Virtual PLIC), as a program that drives it directly needs
 * them.  One context (its supervisor external interrupt); source 1 is
 * its virtual UART, source 2 + i the doorbell of its channel i.  Every
 * register is 32 bits wide and only 32-bit accesses are accepted.
 */
#ifndef SK_PLIC_H
#define SK_PLIC_H

#include <stdint.h>

#define SK_PLIC_BASE		0x0c000000UL
#define SK_PLIC_PRIO(s)		(SK_PLIC_BASE + 4 * (s))	/* 0..7 */
#define SK_PLIC_PENDING(w)	(SK_PLIC_BASE + 0x1000 + 4 * (w))	/* sources 32w.. */
#define SK_PLIC_ENABLE(w)	(SK_PLIC_BASE + 0x2000 + 4 * (w))
#define SK_PLIC_THRESHOLD	(SK_PLIC_BASE + 0x200000)
#define SK_PLIC_CLAIM		(SK_PLIC_BASE + 0x200004)	/* read: claim; write: complete */
#define SK_PLIC_SRC_UART	1
#define SK_PLIC_SRC_DOORBELL(ch) (2 + (ch))
#define SK_SIE_SEIE		(1UL << 9)	/* its line, in sie */

static inline uint32_t sk_plic_read(uint64_t reg)
{
	return *(volatile uint32_t *)reg;
}

static inline void sk_plic_write(uint64_t reg, uint32_t v)
{
	*(volatile uint32_t *)reg = v;
}

#endif /* SK_PLIC_H */
