// SPDX-License-Identifier: MIT
/*
 * hello - the smallest useful partition: greets, says who it is, prints
 * a numbered line per slot and stops.  Its device tree's /config tunes
 * it: lines (default 3) and reboots (restart itself through SBI SRST
 * this many times before stopping, default 0).  It reads them with
 * sk_dt_u64, not sk_arg_u64, on purpose: the compiler's tests use it as
 * the stand-in image for any args, which a declared schema would refuse.
 */
#include <stdio.h>
#include "sk.h"

int main(void)
{
	uint64_t lines = sk_dt_u64("/config", "lines", 3);
	uint64_t reboots = sk_dt_u64("/config", "reboots", 0);
	long run = sk_info(SK_INFO_RESTARTS);

	printf("hello from %s (partition %ld, run %ld, %lu KiB of RAM)\n",
	       sk_name(), sk_info(SK_INFO_PART_ID), run,
	       (unsigned long)(sk_ram_size() >> 10));
	for (uint64_t i = 1; i <= lines; i++) {
		printf("tick %lu\n", (unsigned long)i);
		sk_yield();
	}
	if ((uint64_t)run < reboots) {
		printf("rebooting\n");
		sk_reboot();
	}
	printf("bye\n");
	return 0;
}
