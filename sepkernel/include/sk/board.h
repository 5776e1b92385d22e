/* SPDX-License-Identifier: MIT */
/* board.h - the fixed facts of the board the kernel runs on (QEMU virt). */
#ifndef SK_BOARD_H
#define SK_BOARD_H

#define BOARD_UART_BASE		0x10000000UL	/* ns16550a, the kernel's console */
#define SK_MAX_HARTS		8
#define SK_MAX_PARTS		64
#define SK_STACK_SIZE		8192

#endif /* SK_BOARD_H */
