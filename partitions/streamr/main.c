// SPDX-License-Identifier: MIT
/*
 * streamr - receives the numbered stream and checks it: every message,
 * in order, intact.  First shows that an empty queue says so.  With
 * shape = 1 (see streamw) the messages have odd lengths and arrive in
 * misaligned buffers, every other one with its sk_msg_info.
 */
#include <stdio.h>
#include "sk.h"

static const unsigned shape_len[5] = { 24, 13, 1, 16, 7 };

/* Is b message i of the shaped stream, len bytes long? */
static int shape_ok(const uint8_t *b, uint64_t i, long len)
{
	if (len != shape_len[i % 5])
		return 0;
	for (long k = 0; k < len; k++)
		if (b[k] != (uint8_t)(i * 7 + k))
			return 0;
	return 1;
}

static unsigned long shaped(int ch, uint64_t count)
{
	unsigned long bad = 0;

	for (uint64_t i = 1; i <= count; i++) {
		uint64_t raw[5];
		uint8_t *b = (uint8_t *)raw + i * 3 % 8;
		struct sk_msg_info mi = { 0 };
		struct sk_msg_info *info = i % 2 ? &mi : NULL;
		long n = sk_recv_wait(ch, b, 24, info);

		if (!shape_ok(b, i, n) ||
		    (info && (mi.len != (unsigned)n || !mi.valid)))
			bad++;
	}
	return bad;
}

int main(void)
{
	int ch = sk_chan("stream");
	uint64_t count = sk_dt_u64("/config", "count", 1000);
	uint64_t m[3], expect = 1;
	unsigned long bad = 0, blocked = 0;
	struct sk_chan_status st;

	if (sk_dt_u64("/config", "shape", 0)) {
		printf("shaped received=%lu bad=%lu\n", (unsigned long)count,
		       shaped(ch, count));
		return 0;
	}
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
