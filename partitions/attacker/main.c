// SPDX-License-Identifier: MIT
/*
 * attacker - a hostile partition for the isolation scenarios.
 *
 * Each run makes one attempt to reach something it was not given, and
 * says which before trying.  The attempt faults, the health monitor
 * restarts it, and the next run (told apart by the restart count the
 * kernel reports) makes the next attempt.  A final run probes the
 * hypercall interface with calls it was never offered, then stops.
 * /config/victim in its device tree names another partition's
 * host-physical RAM (the config places that partition there).
 */
#include <stdio.h>
#include "sk.h"

enum kind { LOAD, STORE, EXEC, CSR_HGATP, CSR_MSTATUS, CSR_HSTATUS_W,
	    CSR_MTVEC_W, CSR_CYCLE };

struct attempt {
	const char *what;
	enum kind kind;
	uint64_t addr;		/* 0: computed at run time (RAM end, victim) */
};

#define RAM_END		1	/* placeholders resolved in target() */
#define VICTIM		2

static const struct attempt attempts[] = {
	{ "read just past its RAM", LOAD, RAM_END },
	{ "write just past its RAM", STORE, RAM_END },
	{ "read another partition's RAM", LOAD, VICTIM },
	{ "write another partition's RAM", STORE, VICTIM },
	{ "read the kernel", LOAD, 0x80200000 },
	{ "write the kernel", STORE, 0x80200000 },
	{ "read OpenSBI", LOAD, 0x80000000 - 0x1000 },
	{ "read the UART", LOAD, 0x10000000 },
	{ "write the UART", STORE, 0x10000000 },
	{ "read the PLIC", LOAD, 0x0c000000 },
	{ "write the PLIC", STORE, 0x0c000000 },
	{ "read the CLINT", LOAD, 0x0200bff8 },
	{ "write the CLINT", STORE, 0x02000000 },
	{ "write its device tree", STORE, 0x7fe00000 },
	{ "execute its device tree", EXEC, 0x7fe00000 },
	{ "read hgatp (HS CSR)", CSR_HGATP, 0 },
	{ "write hstatus (HS CSR)", CSR_HSTATUS_W, 0 },
	{ "read mstatus (M CSR)", CSR_MSTATUS, 0 },
	{ "write mtvec (M CSR)", CSR_MTVEC_W, 0 },
	{ "read cycle (a covert channel)", CSR_CYCLE, 0 },
};

#define NATTEMPTS	(sizeof(attempts) / sizeof(attempts[0]))

static uint64_t target(const struct attempt *a)
{
	if (a->addr == RAM_END)
		return 0x80000000UL + sk_ram_size();
	if (a->addr == VICTIM)
		return sk_dt_u64("/config", "victim", 0);
	return a->addr;
}

static void attack(const struct attempt *a, uint64_t addr)
{
	volatile uint64_t *p = (volatile uint64_t *)addr;
	uint64_t v = 0;

	switch (a->kind) {
	case LOAD:
		v = *p;
		break;
	case STORE:
		*p = 0x5a5a5a5a5a5a5a5aUL;
		break;
	case EXEC:
		((void (*)(void))addr)();
		break;
	case CSR_HGATP:
		__asm__ volatile("csrr %0, hgatp" : "=r"(v));
		break;
	case CSR_HSTATUS_W:
		__asm__ volatile("csrw hstatus, %0" :: "r"(0UL));
		break;
	case CSR_MSTATUS:
		__asm__ volatile("csrr %0, mstatus" : "=r"(v));
		break;
	case CSR_MTVEC_W:
		__asm__ volatile("csrw mtvec, %0" :: "r"(0UL));
		break;
	case CSR_CYCLE:
		__asm__ volatile("rdcycle %0" : "=r"(v));
		break;
	}
	/* Reaching this line means the attempt was not stopped. */
	printf("BREACH: %s at 0x%lx succeeded (read 0x%lx)\n", a->what,
	       (unsigned long)addr, (unsigned long)v);
}

/* Hypercalls nobody offered: each must answer "not supported". */
static void probe_sbi(void)
{
	static const struct { unsigned long ext, fid; const char *what; } calls[] = {
		{ 0x12345678, 0, "unknown extension" },
		{ SK_EID, 0x7fff, "unknown sepkernel function" },
		{ SBI_EXT_BASE, 99, "unknown BASE function" },
		{ 0x48534D, 1, "HSM hart_stop" },
		{ 0x52464E43, 3, "RFENCE hfence.gvma (no H for guests)" },
		{ 0x735049, 1, "IPI unknown function" },
		{ 0x08, 0, "legacy system shutdown" },
		{ 0x0A000000, 0, "firmware range, not ours" },
	};

	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		struct sk_ret r = sk_ecall(calls[i].ext, calls[i].fid, 1, 2, 3, 4);

		printf("sbi %s eid=0x%lx fid=0x%lx -> error %ld\n",
		       calls[i].what, calls[i].ext, calls[i].fid, r.error);
	}
}

int main(void)
{
	unsigned long run = (unsigned long)sk_info(SK_INFO_RESTARTS);

	if (run < NATTEMPTS) {
		const struct attempt *a = &attempts[run];
		uint64_t addr = target(a);

		sk_yield();	/* one attempt per slot: others run between */
		printf("attempt %lu: %s at 0x%lx\n", run, a->what,
		       (unsigned long)addr);
		attack(a, addr);
		return 1;
	}
	probe_sbi();
	printf("attacks done\n");
	return 0;
}
