// SPDX-License-Identifier: MIT
/*
 * main.c - boot: set up this hart, load every partition from the
 * generated tables, start the other harts, and enter the first slot.
 * Everything was decided when the image was built; boot only executes
 * the tables.
 */
#include "arch/csr.h"
#include "arch/hart.h"
#include "arch/vcpu.h"
#include "sbi_call.h"
#include "sk/console.h"
#include "sk/hm.h"
#include "sk/part.h"
#include "sk/sched.h"
#include "sk/verify.h"

/* Written by entry.S before .bss is cleared, so it must live in .data. */
__attribute__((section(".data"))) uint64_t sk_boot_time;
static uint64_t epoch;			/* time every hart's first frame starts */
static volatile uint32_t go;		/* partitions loaded: harts may run */

extern void sk_secondary_entry(void);

static void enter_first(unsigned hartid) __attribute__((noreturn));
static void enter_first(unsigned hartid)
{
	struct hart *h = &sk_harts[hartid];

	sched_init_hart(hartid, epoch);
	vcpu_enter(sched_run(h));
}

void sk_main(uint64_t hartid) __attribute__((noreturn));
void sk_main(uint64_t hartid)
{
	sched_probe();
	verify_probe();
	cons_init();
	hart_init();
	sk_event("event=boot kernel=sepkernel system=%s harts=%u parts=%u sstc=%d zbb=%d t0=%lu",
		 sk_system.name, sk_system.nharts, sk_system.nparts,
		 sched_has_sstc(), blake2b_zbb, sk_boot_time);
	part_boot_all();
	vcpu_boot();		/* after the probes and the G-stage tables */
	/* Whichever hart won OpenSBI's boot lottery starts all the others. */
	for (unsigned i = 0; i < sk_system.nharts; i++)
		if (i != hartid &&
		    sbi_hart_start(i, (uint64_t)sk_secondary_entry, 0))
			sk_panic("hart_start", i, 0, 0);
	/*
	 * The first major frame starts at the configured epoch (so that two
	 * systems that boot differently still run in step) or right after
	 * boot, on every hart at once.
	 */
	sk_event("event=boot_done parts=%u ticks=%lu", sk_system.nparts,
		 time_now() - sk_boot_time);
	/* 50 ticks (5 us) of room to reach the first boundary exactly. */
	epoch = time_now() + 50;
	if (sk_system.epoch > epoch)
		epoch = sk_system.epoch;
	else if (sk_system.epoch)
		sk_event("event=warn what=epoch_missed by=%lu",
			 epoch - sk_system.epoch);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	enter_first(hartid);
}

void sk_secondary_main(uint64_t hartid) __attribute__((noreturn));
void sk_secondary_main(uint64_t hartid)
{
	hart_init();
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		;
	enter_first(hartid);
}
