// SPDX-License-Identifier: MIT
/*
 * sdkcheck - the SDK's conveniences, checked from inside a partition:
 * the line sk_chan() prints for a channel that was not granted,
 * sk_strerror(), sk_wait_next_frame() and the "fresh" flag of sampling
 * reads (and that a receive without SK_RECV_FRESH leaves the struct's
 * new fields alone, as programs built with an older SDK expect).
 * Role 0 writes one value per frame for `writes` frames; role 1 reads.
 */
#include <stdio.h>
#include "sk.h"

static void writer(int ch, uint64_t frames, uint64_t writes)
{
	for (uint64_t i = 0; i < frames; i++) {
		uint64_t f = sk_wait_next_frame();

		if (i < writes)
			sk_send(ch, &f, sizeof(f), 0);
	}
}

static void reader(int ch, uint64_t frames)
{
	struct sk_msg_info a, b;
	uint64_t v, last = 0;

	for (uint64_t i = 0; i < frames; i++) {
		uint64_t f = sk_wait_next_frame();
		long n1 = sk_recv(ch, &v, sizeof(v), &a);
		long n2 = sk_recv(ch, &v, sizeof(v), &b);

		printf("frame +%lu step=%lu read=%ld,%ld fresh=%u,%u\n",
		       (unsigned long)i, (unsigned long)(f - last), n1, n2,
		       a.fresh, b.fresh);
		last = f;
	}
}

/* An old program: recv with an info pointer but without SK_RECV_FRESH. */
static void old_abi(int ch)
{
	struct sk_msg_info info = { .fresh = 0x5eed, .reserved = 0x5eed };
	uint64_t v;
	struct sk_ret r;

	r = (struct sk_ret){ 0, 0 };
	{
		register unsigned long a0 __asm__("a0") = (unsigned long)ch;
		register unsigned long a1 __asm__("a1") = (unsigned long)&v;
		register unsigned long a2 __asm__("a2") = sizeof(v);
		register unsigned long a3 __asm__("a3") = (unsigned long)&info;
		register unsigned long a4 __asm__("a4") = 0;
		register unsigned long a6 __asm__("a6") = SK_FID_CHAN_RECV;
		register unsigned long a7 __asm__("a7") = SK_EID;

		__asm__ volatile("ecall" : "+r"(a0), "+r"(a1)
				 : "r"(a2), "r"(a3), "r"(a4), "r"(a6), "r"(a7)
				 : "memory");
		r.error = (long)a0;
		r.value = (long)a1;
	}
	printf("old abi: err=%ld len=%u tail=%x,%x\n", r.error, info.len,
	       info.fresh, info.reserved);
}

int main(void)
{
	uint64_t role = sk_arg_u64("role", 0);
	uint64_t frames = sk_arg_u64("frames", 6);
	uint64_t writes = sk_arg_u64("writes", 3);
	int ch;

	if (role == 0) {
		writer(sk_chan("level"), frames, writes);
		return 0;
	}
	ch = sk_chan("alert");
	printf("sk_chan(\"alert\") = %d: %s\n", ch, sk_strerror(ch));
	printf("quiet lookup = %d\n", sk_chan_find("alert"));
	for (long e = -100; e >= -109; e--)
		printf("strerror %ld: %s\n", e, sk_strerror(e));
	ch = sk_chan("level");
	reader(ch, frames);
	old_abi(ch);
	return 0;
}
