/* SPDX-License-Identifier: MIT */
/* console.h - the one console, and the line protocol the harness reads. */
#ifndef SK_CONSOLE_H
#define SK_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

void uart_putc(char c);
void cons_init(void);
int uart_getc(void);
/* A byte of console input (board UART or SBI getchar), or -1. */
int cons_getc(void);

/* One kernel line: "[sk] " + formatted text + newline, never interleaved. */
void sk_event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One partition line: "[name] " + text + newline. */
void cons_part_line(const char *name, const char *text, size_t len);
/* Take the console for good (the system is halting). */
void cons_take(void);
size_t sk_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif /* SK_CONSOLE_H */
