// SPDX-License-Identifier: MIT
/*
 * crashy - works for a few slots, then crashes (a store to address 0),
 * every run.  /config: work (slots before the crash, default 2).
 */
#include <stdio.h>
#include "sk.h"

int main(void)
{
	uint64_t work = sk_dt_u64("/config", "work", 2);

	printf("run %ld\n", sk_info(SK_INFO_RESTARTS));
	for (uint64_t i = 0; i < work; i++)
		sk_yield();
	*(volatile int *)0 = 1;
	return 0;
}
