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

/* One decoded access at offset off (mmio.c): MMIO_OK, _RETRY or _FAULT. */
int vuart_access(struct part *p, uint64_t off, unsigned width, int store,
		 uint64_t *val);
/* Its interrupt line: receive data or transmitter empty, as enabled. */
int vuart_irq(struct part *p);
void vuart_reset(struct part *p);
/* Console input: one byte or -1; up to n bytes into buf. */
int vuart_getchar(struct part *p);
size_t vuart_read(struct part *p, char *buf, size_t n);
/* The board UART's receiver: a byte, or -1 (drivers/uart_ns16550.c). */
int uart_getc(void);

#endif /* SK_VUART_H */
