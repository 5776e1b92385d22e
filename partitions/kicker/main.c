// SPDX-License-Identifier: MIT
/*
 * kicker - kicks its watchdog once per slot for a while, then forgets
 * to (but keeps yielding politely).  /config: kicks (default 5).
 */
#include <stdio.h>
#include "sk.h"

int main(void)
{
	uint64_t kicks = sk_dt_u64("/config", "kicks", 5);

	printf("run %ld\n", sk_info(SK_INFO_RESTARTS));
	for (uint64_t i = 0; i < kicks; i++) {
		sk_kick();
		sk_yield();
	}
	printf("stopped kicking\n");
	for (;;)
		sk_yield();
}
