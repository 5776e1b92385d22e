// SPDX-License-Identifier: MIT
/*
 * ticker - prints, for each of its slots, the time it got the hart back
 * and the start of that slot as the kernel computes it, then yields.
 * The scenarios check the rhythm: starts exactly one major frame apart,
 * whatever the neighbours do.  /config: frames (default 60).
 */
#include <stdio.h>
#include "sk.h"

int main(void)
{
	uint64_t frames = sk_arg_u64("frames", 60);
	uint64_t len = sk_arg_u64("slot", 0);

	printf("ticker on hart %ld\n", sk_info(SK_INFO_HART));
	for (uint64_t i = 0; i < frames; i++) {
		uint64_t now = sk_time();
		uint64_t end = (uint64_t)sk_info(SK_INFO_SLOT_END);

		printf("slot %lu start=%lu end=%lu late=%lu\n",
		       (unsigned long)i, (unsigned long)now,
		       (unsigned long)end, (unsigned long)(now - (end - len)));
		sk_yield();
	}
	return 0;
}
