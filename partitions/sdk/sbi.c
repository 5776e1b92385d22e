// SPDX-License-Identifier: MIT
/* sbi.c - hypercall wrappers and the console for partitions. */
#include <stdio.h>
#include "sk.h"

struct sk_ret sk_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2, unsigned long a3)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r6), "r"(r7)
			 : "memory");
	return (struct sk_ret){ (long)r0, (long)r1 };
}

void sk_putc(char c)
{
	sk_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, (unsigned char)c, 0, 0, 0);
}

void sk_puts(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	while (n) {
		struct sk_ret r = sk_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE, n,
					   (unsigned long)s, 0, 0);
		if (r.error || r.value < 0)
			return;		/* 0: the console queue is full, try again */
		s += r.value;
		n -= (size_t)r.value;
	}
}

void sk_yield(void)
{
	sk_ecall(SK_EID, SK_FID_YIELD, 0, 0, 0, 0);
}

long sk_info(unsigned key)
{
	return sk_ecall(SK_EID, SK_FID_INFO, key, 0, 0, 0).value;
}

uint64_t sk_frame(void)
{
	return (uint64_t)sk_info(SK_INFO_FRAME);
}

/* Yield slot after slot until the hart's frame count moves on. */
uint64_t sk_wait_next_frame(void)
{
	uint64_t f = sk_frame(), g;

	while ((g = sk_frame()) == f)
		sk_yield();
	return g;
}

void sk_kick(void)
{
	sk_ecall(SK_EID, SK_FID_KICK, 0, 0, 0, 0);
}

void sk_set_timer(uint64_t when)
{
	sk_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, when, 0, 0, 0);
}

void sk_exit(int status)
{
	fflush(stdout);
	sk_ecall(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_TYPE_SHUTDOWN,
		 status ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE, 0, 0);
	for (;;)	/* never resumed */
		;
}

void sk_reboot(void)
{
	fflush(stdout);
	sk_ecall(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_TYPE_COLD_REBOOT,
		 SBI_SRST_REASON_NONE, 0, 0);
	for (;;)
		;
}

/* picolibc's stdout: every character goes to the console hypercall. */
static int stdout_putc(char c, FILE *f)
{
	(void)f;
	sk_putc(c);
	return (unsigned char)c;
}

static FILE sk_stdout = FDEV_SETUP_STREAM(stdout_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &sk_stdout;
FILE *const stderr = &sk_stdout;

void _exit(int status)
{
	sk_exit(status);
}
