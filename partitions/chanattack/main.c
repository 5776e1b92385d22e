// SPDX-License-Identifier: MIT
/*
 * chanattack - misuses the channel hypercalls, one abuse per frame, and
 * prints what each returned.  Every one must be refused (and audited)
 * and it must live to say "still alive".  Grants: "out" (send, types
 * [1], max_size 16, 4 per frame, msg_size 64), "in" (receive) and
 * "win" (a shared window it writes).
 */
#include <stdio.h>
#include "sk.h"

static int out, in;

static void report(const char *what, long r)
{
	printf("%s -> %ld\n", what, r);
	sk_yield();		/* one abuse per frame */
}

int main(void)
{
	static uint8_t msg[128];
	struct sk_chan_status st;
	uint64_t ram_end = 0x80000000UL + sk_ram_size();
	long r = 0;

	out = sk_chan("out");
	in = sk_chan("in");
	report("send on an id it was not granted", sk_send(99, msg, 8, 1));
	report("send on its receive channel", sk_send(in, msg, 8, 1));
	report("receive on its send channel", sk_recv(out, msg, 64, NULL));
	report("send from outside its RAM",
	       sk_send(out, (void *)0x90000000UL, 8, 1));
	report("send from the kernel", sk_send(out, (void *)0x80200000UL, 8, 1));
	report("send across its RAM end", sk_send(out, (void *)(ram_end - 4), 8, 1));
	report("send longer than the channel", sk_send(out, msg, 65, 1));
	report("send with a huge length", sk_send(out, msg, 1UL << 63, 1));
	report("send a forbidden type", sk_send(out, msg, 8, 2));
	report("send over the policy size", sk_send(out, msg, 32, 1));
	for (int i = 0; i < 5; i++)	/* 4 per frame allowed */
		r = sk_send(out, msg, 8, 1);
	report("send a fifth message in one frame", r);
	report("receive into its device tree",
	       sk_recv(in, (void *)0x7fe00000UL, 64, NULL));
	report("status into the kernel", sk_status(out, (void *)0x80200000UL));
	report("notify on its receive channel", sk_notify(in));
	report("send on a shared window", sk_send(sk_chan("win"), msg, 8, 1));
	report("status of its send channel", sk_status(out, &st));
	printf("status kind=%u dir=%u msg_size=%u depth=%u count=%u\n", st.kind,
	       st.dir, st.msg_size, st.depth, st.count);
	printf("still alive\n");
	return 0;
}
