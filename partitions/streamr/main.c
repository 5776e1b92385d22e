// SPDX-License-Identifier: MIT
/*
 * streamr - receives the numbered stream and checks it: every message,
 * in order, intact.  First shows that an empty queue says so.
 */
#include <stdio.h>
#include "sk.h"

int main(void)
{
	int ch = sk_chan("stream");
	uint64_t count = sk_dt_u64("/config", "count", 1000);
	uint64_t m[3], expect = 1;
	unsigned long bad = 0, blocked = 0;
	struct sk_chan_status st;

	printf("empty queue -> %ld\n", sk_recv(ch, m, sizeof(m), NULL));
	printf("short buffer -> %ld\n", sk_recv_wait(ch, m, 8, NULL));
	while (expect <= count) {
		long n = sk_recv(ch, m, sizeof(m), NULL);

		if (n == SK_ERR_EMPTY) {
			blocked++;
			n = sk_recv_wait(ch, m, sizeof(m), NULL);
		}
		if (n != sizeof(m) || m[0] != expect || m[1] != expect * expect ||
		    m[2] != ~expect)
			bad++;
		expect++;
	}
	sk_status(ch, &st);
	printf("received=%lu bad=%lu waits=%lu drops=%u\n",
	       (unsigned long)count, bad, blocked, st.drops);
	return 0;
}
