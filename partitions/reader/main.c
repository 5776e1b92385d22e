// SPDX-License-Identifier: MIT
/*
 * reader - reads the latest value of the sampling channel "readings"
 * once per slot and prints it with its age and validity.
 */
#include <stdio.h>
#include "sk.h"

int main(void)
{
	int ch = sk_chan("readings");
	uint64_t frames = sk_arg_u64("frames", 15);

	for (uint64_t i = 0; i < frames; i++) {
		uint64_t v[2];
		struct sk_msg_info info;
		long n = sk_recv(ch, v, sizeof(v), &info);

		if (n == SK_ERR_EMPTY)
			printf("frame %lu empty\n", (unsigned long)i);
		else if (n < 0)
			printf("frame %lu error %ld\n", (unsigned long)i, n);
		else
			printf("frame %lu seq=%lu value=%lu age=%lu valid=%u\n",
			       (unsigned long)i, (unsigned long)v[0],
			       (unsigned long)v[1], info.age, info.valid);
		sk_yield();
	}
	return 0;
}
