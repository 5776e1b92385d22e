// SPDX-License-Identifier: MIT
/*
 * lib.c - the C library routines the kernel needs (GCC may also call
 * memcpy/memset for struct copies).  Word-at-a-time when both sides are
 * aligned, because loading partition images is most of the boot time.
 */
#include "sk/lib.h"

/*
 * Copy into an aligned destination from a misaligned source, a word at a
 * time: each aligned source word is read once and the two halves shifted
 * together.  The last word read never crosses a page, so it stays in the
 * memory the caller checked.
 */
static void copy_shifted(uint64_t *dw, const uint8_t *s, size_t words)
{
	unsigned sh = ((uintptr_t)s & 7) * 8;
	const uint64_t *sw = (const uint64_t *)((uintptr_t)s & ~7UL);
	uint64_t lo = *sw++;

	while (words--) {
		uint64_t hi = *sw++;

		*dw++ = lo >> sh | hi << (64 - sh);
		lo = hi;
	}
}

__attribute__((used)) void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	/* Guest buffers may be misaligned: align the destination first. */
	while (n && ((uintptr_t)d & 7)) {
		*d++ = *s++;
		n--;
	}
	if (n >= 16 && ((uintptr_t)s & 7)) {
		size_t words = n / 8 - 1;	/* keep the last read in range */

		copy_shifted((uint64_t *)d, s, words);
		d += words * 8;
		s += words * 8;
		n -= words * 8;
	}
	if (!(((uintptr_t)d | (uintptr_t)s) & 7)) {
		uint64_t *dw = (uint64_t *)d;
		const uint64_t *sw = (const uint64_t *)s;

		for (; n >= 32; n -= 32, dw += 4, sw += 4) {
			dw[0] = sw[0];
			dw[1] = sw[1];
			dw[2] = sw[2];
			dw[3] = sw[3];
		}
		for (; n >= 8; n -= 8)	/* small messages are a few words */
			*dw++ = *sw++;
		d = (uint8_t *)dw;
		s = (const uint8_t *)sw;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

__attribute__((used)) void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	if (!((uintptr_t)d & 7)) {
		uint64_t w = (uint8_t)c * 0x0101010101010101UL;
		uint64_t *dw = (uint64_t *)d;

		for (; n >= 32; n -= 32, dw += 4) {
			dw[0] = w;
			dw[1] = w;
			dw[2] = w;
			dw[3] = w;
		}
		d = (uint8_t *)dw;
	}
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
