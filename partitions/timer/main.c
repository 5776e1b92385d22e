// SPDX-License-Identifier: MIT
/*
 * timer - checks its virtual timer.  It asks for interrupts at a range
 * of delays, some inside its slot, some past its end, waits for each
 * with wfi and prints when it asked, for when, when it arrived, and
 * where its slot ended.  /config: count (default 20), step (ticks).
 */
#include <stdio.h>
#include "sk.h"

static volatile uint64_t fired;

void sk_on_timer(void)
{
	fired = sk_time();
	sk_set_timer(~0UL);
}

int main(void)
{
	uint64_t count = sk_dt_u64("/config", "count", 20);
	uint64_t step = sk_dt_u64("/config", "step", 1500);

	sk_irq_init();
	for (uint64_t i = 1; i <= count; i++) {
		uint64_t now = sk_time();
		uint64_t end = (uint64_t)sk_info(SK_INFO_SLOT_END);
		uint64_t want = now + i * step;

		fired = 0;
		sk_set_timer(want);
		while (!fired)
			__asm__ volatile("wfi");
		printf("timer %lu set=%lu want=%lu got=%lu slot_end=%lu\n",
		       (unsigned long)i, (unsigned long)now,
		       (unsigned long)want, (unsigned long)fired,
		       (unsigned long)end);
	}
	return 0;
}
