// SPDX-License-Identifier: MIT
/*
 * pong - returns every message from "ping" on "pong".  /config: count.
 */
#include <stdio.h>
#include "sk.h"

int main(void)
{
	int in = sk_chan("ping"), out = sk_chan("pong");
	uint64_t count = sk_arg_u64("count", 10);
	uint8_t buf[64];

	for (uint64_t i = 0; i < count; i++) {
		long n = sk_recv_wait(in, buf, sizeof(buf), NULL);

		if (n < 0) {
			printf("recv error %ld\n", n);
			return 1;
		}
		while (sk_send(out, buf, (size_t)n, 2) == SK_ERR_FULL)
			sk_yield();
	}
	printf("pong done echoed=%lu\n", (unsigned long)count);
	return 0;
}
