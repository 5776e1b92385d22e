/* SPDX-License-Identifier: MIT */
/*
 * vuart.h - the virtual 16550 a partition gets with uart = true, and
 * the console input the board UART delivers to one partition.
 */
#ifndef SK_VUART_H
#define SK_VUART_H

#include <stddef.h>
#include <stdint.h>
#include "sk/part.h"

/* The guest-page fault was an access to p's virtual UART page? */
static inline int vuart_hit(const struct part *p, uint64_t gpa)
{
	return p->desc->uart && (gpa >> 12) == (SK_GUEST_UART_BASE >> 12);
}

/* Emulate the load or store that faulted (trap.S, full frame saved). */
struct vcpu *vuart_trap(struct vcpu *v);
void vuart_reset(struct part *p);
/* Console input: one byte or -1; up to n bytes into buf. */
int vuart_getchar(struct part *p);
size_t vuart_read(struct part *p, char *buf, size_t n);
/* Read one halfword of guest code with hlvx.hu; -1 if that faults. */
long vuart_fetch16(uint64_t gva);
/* The board UART's receiver: a byte, or -1 (drivers/uart_ns16550.c). */
int uart_getc(void);

#endif /* SK_VUART_H */
