// SPDX-License-Identifier: MIT
/*
 * uart_ns16550.c - the kernel's console: the board's 16550 UART.
 * OpenSBI has already set its baud rate; the kernel only transmits.
 * Partitions never see it: they print through the console hypercall.
 */
#include <stdint.h>
#include "sk/board.h"
#include "sk/console.h"

#define UART_THR	0	/* transmit holding register */
#define UART_LSR	5	/* line status */
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
