// SPDX-License-Identifier: MIT
/*
 * hello - the smallest useful partition: greets, says who it is, then
 * prints a numbered line per slot for as long as its config asks
 * (/config/lines in its device tree, default 3) and stops.
 */
#include <stdio.h>
#include "sk.h"

int main(void)
{
	uint64_t lines = sk_dt_u64("/config", "lines", 3);

	printf("hello from %s (partition %ld, %lu KiB of RAM)\n", sk_name(),
	       sk_info(SK_INFO_PART_ID),
	       (unsigned long)(sk_ram_size() >> 10));
	for (uint64_t i = 1; i <= lines; i++) {
		printf("tick %lu\n", (unsigned long)i);
		sk_yield();
	}
	printf("bye\n");
	return 0;
}
