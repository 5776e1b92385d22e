// SPDX-License-Identifier: MIT
/*
 * streamw - sends count numbered messages on "stream" as fast as the
 * queue takes them; a full queue is an error it counts before yielding.
 * With shape = 1 the messages take turns at odd lengths and misaligned
 * buffers, so the kernel's fast path (aligned whole words) and its full
 * path both carry them.
 */
#include <stdio.h>
#include "sk.h"

/* Message i of the shaped stream: its length and its bytes (streamr too). */
static const unsigned shape_len[5] = { 24, 13, 1, 16, 7 };

static void shape_fill(uint8_t *b, uint64_t i, unsigned len)
{
	for (unsigned k = 0; k < len; k++)
		b[k] = (uint8_t)(i * 7 + k);
}

int main(void)
{
	int ch = sk_chan("stream");
	uint64_t count = sk_dt_u64("/config", "count", 1000);
	uint64_t shape = sk_dt_u64("/config", "shape", 0);
	unsigned long full = 0;

	for (uint64_t i = 1; i <= count;) {
		uint64_t m[3] = { i, i * i, ~i };
		uint64_t raw[5];
		uint8_t *b = (uint8_t *)raw + i % 8;
		unsigned len = shape_len[i % 5];
		long err;

		if (shape) {
			shape_fill(b, i, len);
			err = sk_send(ch, b, len, 0);
		} else {
			err = sk_send(ch, m, sizeof(m), 0);
		}

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
