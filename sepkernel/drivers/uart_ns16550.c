// SPDX-License-Identifier: MIT
/*
 * uart_ns16550.c - the kernel's console: the board's 16550 UART.
 * OpenSBI has already set its baud rate.  The kernel transmits, and
 * receives for the one console_input partition; partitions never see
 * it: they print through the console hypercall or a virtual UART.
 */
#include <stdint.h>
#include "sk/board.h"
#include "sk/console.h"
#include "sk/vuart.h"

#define UART_THR	0	/* transmit holding register */
#define UART_RBR	0	/* receive buffer (reads) */
#define UART_LSR	5	/* line status */
#define UART_LSR_DR	0x01	/* a received byte is waiting */
#define UART_LSR_THRE	0x20	/* transmitter can take a byte */

static inline volatile uint8_t *uart_reg(int r)
{
	return (volatile uint8_t *)(BOARD_UART_BASE + r);
}

void uart_putc(char c)
{
	while (!(*uart_reg(UART_LSR) & UART_LSR_THRE))
		;
	*uart_reg(UART_THR) = (uint8_t)c;
}

/* The receiver, for console input (core/vuart.c): a byte or -1. */
int uart_getc(void)
{
	if (!(*uart_reg(UART_LSR) & UART_LSR_DR))
		return -1;
	return *uart_reg(UART_RBR);
}
