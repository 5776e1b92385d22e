// SPDX-License-Identifier: MIT
/*
 * fmt.c - the kernel's printf formatting, for event lines and audit
 * records.  None of it is on a hot path: it is built for size.
 */
#include <stdarg.h>
#include <stdint.h>
#include "sk/console.h"

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
