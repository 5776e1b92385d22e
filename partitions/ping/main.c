// SPDX-License-Identifier: MIT
/*
 * ping - sends numbered messages on "ping" and waits for each to come
 * back on "pong", printing the round trip.  /config: count (default 10).
 */
#include <stdio.h>
#include "sk.h"

struct msg {
	uint64_t seq;
	uint64_t sent;
};

int main(void)
{
	int out = sk_chan("ping"), in = sk_chan("pong");
	uint64_t count = sk_arg_u64("count", 10);
	unsigned long bad = 0;

	if (out < 0 || in < 0) {
		printf("channels ping/pong not granted\n");
		return 1;
	}
	for (uint64_t i = 1; i <= count; i++) {
		struct msg m = { i, sk_time() }, r;
		long n;

		while (sk_send(out, &m, sizeof(m), 1) == SK_ERR_FULL)
			sk_yield();
		n = sk_recv_wait(in, &r, sizeof(r), NULL);
		if (n != sizeof(r) || r.seq != i)
			bad++;
		printf("round %lu rtt=%lu\n", (unsigned long)i,
		       (unsigned long)(sk_time() - m.sent));
	}
	printf("ping done rounds=%lu bad=%lu\n", (unsigned long)count, bad);
	return 0;
}
