/* SPDX-License-Identifier: MIT */
/* console.h - the one console, and the line protocol the harness reads. */
#ifndef SK_CONSOLE_H
#define SK_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct part;

/*
 * A partition's queue of finished lines, its own and the kernel's lines
 * about it, waiting for the device: a ring of bytes, each line ending in
 * '\n'.  Only the partition's hart adds to it; whoever holds the console
 * lock takes from it.
 */
#define SK_CONS_Q	1024
struct cons_q {
	uint32_t head;		/* bytes written out (free-running) */
	uint32_t tail;		/* bytes queued */
	uint32_t lost;		/* kernel lines that found it full */
	uint32_t line_max;	/* longest line written from it, ticks */
	char buf[SK_CONS_Q];
};

void uart_putc(char c);
void cons_init(void);
int uart_getc(void);
/* A byte of console input (board UART or SBI getchar), or -1. */
int cons_getc(void);

/* One kernel line: "[sk] " + formatted text + newline, never interleaved. */
void sk_event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, about p, queued with p's own lines (paths p can start). */
void part_event(struct part *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Queue one partition line "[name] " + text; -1 if its queue is full. */
int cons_part_line(struct part *p, const char *text, size_t len);
/* Has p no lines waiting in its queue? */
int cons_idle(struct part *p);
/* Write p's queued lines that fit before it must stop (p is running). */
void cons_drain(struct part *p);
/*
 * Write p's queued lines that fit before until, in idle time of p's own
 * slot (never another's: no partition's timing depends on others' idling).
 */
void cons_drain_until(struct part *p, uint64_t until);
/* Take the console for good (the system is halting). */
void cons_take(void);
/* Longest time one line took to write, in ticks (for the summary). */
uint64_t cons_line_max(void);
void cons_lost_summary(void);
size_t sk_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif /* SK_CONSOLE_H */
