// SPDX-License-Identifier: MIT
/*
 * streamw - sends count numbered messages on "stream" as fast as the
 * queue takes them; a full queue is an error it counts before yielding.
 */
#include <stdio.h>
#include "sk.h"

int main(void)
{
	int ch = sk_chan("stream");
	uint64_t count = sk_dt_u64("/config", "count", 1000);
	unsigned long full = 0;

	for (uint64_t i = 1; i <= count;) {
		uint64_t m[3] = { i, i * i, ~i };
		long err = sk_send(ch, m, sizeof(m), 0);

		if (err == SK_ERR_FULL) {
			full++;
			sk_yield();
			continue;
		}
		if (err) {
			printf("send error %ld at %lu\n", err, (unsigned long)i);
			return 1;
		}
		i++;
	}
	printf("sent=%lu full=%lu\n", (unsigned long)count, full);
	return 0;
}
