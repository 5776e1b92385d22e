// SPDX-License-Identifier: MIT
/*
 * console.c - every line on the console, kernel's or partition's, is
 * written whole under one lock, with its prefix, so the harness can
 * always tell who said what, even with several harts talking at once.
 */
#include <stdarg.h>
#include <stdint.h>
#include "sbi_call.h"
#include "sk/board.h"
#include "sk/console.h"
#include "sk/lib.h"
#include "sk/spinlock.h"
#include "sk/system.h"
#include "sk_abi.h"

static volatile uint32_t cons_lock;
static volatile int halt_owner = -1;	/* the halting hart keeps the lock */

/* This hart's id, from the kernel stack it runs on. */
static int my_hart(void)
{
	extern char sk_stacks[];
	uintptr_t sp;

	__asm__ volatile("mv %0, sp" : "=r"(sp));
	return (int)((sp - (uintptr_t)sk_stacks) / SK_STACK_SIZE);
}

static void lock(void)
{
	if (halt_owner >= 0 && halt_owner == my_hart())
		return;
	spin_lock(&cons_lock);
}

static void unlock(void)
{
	if (halt_owner >= 0 && halt_owner == my_hart())
		return;
	spin_unlock(&cons_lock);
}

/*
 * Where characters go: the board's UART, driven directly (the default:
 * a few instructions a character), or the SBI below us - its debug
 * console extension if it has one, the legacy putchar otherwise (an
 * M-mode round trip a character: slow, but needs no UART driver).
 */
static int sbi_dbcn;

void cons_init(void)
{
	if (sk_system.console_sbi)
		sbi_dbcn = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT,
				     SBI_EXT_DBCN, 0, 0).value != 0;
}

static void cons_putc(char c)
{
	if (!sk_system.console_sbi)
		uart_putc(c);
	else if (sbi_dbcn)
		sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, (uint8_t)c, 0, 0);
	else
		sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (uint8_t)c, 0, 0);
}

/* A byte of console input from the same place, or -1. */
int cons_getc(void)
{
	if (!sk_system.console_sbi)
		return uart_getc();
	return (int)sbi_ecall(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0).error;
}

static void puts_n(const char *s, size_t n)
{
	while (n--)
		cons_putc(*s++);
}

/*
 * The system is halting: take the console for good, so that this hart's
 * last lines (the summary, the halt) are the last on it, whatever the
 * other harts were about to print.
 */
void cons_take(void)
{
	lock();
	halt_owner = my_hart();
}

void cons_part_line(const char *name, const char *text, size_t len)
{
	lock();
	cons_putc('[');
	puts_n(name, strlen(name));
	puts_n("] ", 2);
	puts_n(text, len);
	cons_putc('\n');
	unlock();
}

void sk_event(const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = sk_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	lock();
	puts_n("[sk] ", 5);
	puts_n(buf, n);
	cons_putc('\n');
	unlock();
}

/* Formats a number into buf (reversed), returns its length. */
static int fmt_num(char *tmp, uint64_t v, unsigned base)
{
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	return n;
}

/*
 * A small vsnprintf: %s %c %d %u %x, with the l modifier and a zero-padded
 * width (e.g. %016lx).  That is all the kernel's messages need.
 */
size_t sk_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t o = 0;

#define PUT(ch) do { if (o + 1 < size) buf[o++] = (ch); } while (0)
	for (; *fmt; fmt++) {
		char tmp[24];
		int width = 0, n, lng = 0, neg = 0;
		uint64_t v;

		if (*fmt != '%') {
			PUT(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			while (s && *s)
				PUT(*s++);
			continue;
		}
		case 'c':
			PUT((char)va_arg(ap, int));
			continue;
		case 'd': {
			int64_t sv = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			neg = sv < 0;
			v = neg ? -(uint64_t)sv : (uint64_t)sv;
			n = fmt_num(tmp, v, 10);
			break;
		}
		case 'u':
		case 'x':
			v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			n = fmt_num(tmp, v, *fmt == 'x' ? 16 : 10);
			break;
		default:
			PUT('%');
			PUT(*fmt);
			continue;
		}
		if (neg)
			PUT('-');
		for (int i = n; i < width; i++)
			PUT('0');
		while (n)
			PUT(tmp[--n]);
	}
#undef PUT
	buf[o < size ? o : size - 1] = 0;
	return o;
}
