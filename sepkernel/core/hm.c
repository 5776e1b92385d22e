// SPDX-License-Identifier: MIT
/*
 * hm.c - the health monitor.  A guest fault never reaches another
 * partition: it ends here, is reported, and the partition's configured
 * action is taken (halt, or restart within its limit).  The system only
 * stops when every partition has stopped, when a critical one dies, or
 * when the configuration says so.
 */
#include "arch/csr.h"
#include "sbi_call.h"
#include "sk/chan.h"
#include "sk/console.h"
#include "sk/hm.h"
#include "sk/part.h"
#include "sk/sched.h"

static const char *const cause_names[] = {
	[EXC_INST_MISALIGNED] = "instruction_address_misaligned",
	[EXC_INST_ACCESS] = "instruction_access_fault",
	[EXC_ILLEGAL_INST] = "illegal_instruction",
	[EXC_BREAKPOINT] = "breakpoint",
	[EXC_LOAD_MISALIGNED] = "load_address_misaligned",
	[EXC_LOAD_ACCESS] = "load_access_fault",
	[EXC_STORE_MISALIGNED] = "store_address_misaligned",
	[EXC_STORE_ACCESS] = "store_access_fault",
	[EXC_ECALL_U] = "ecall_from_vu",
	[EXC_INST_PAGE] = "instruction_page_fault",
	[EXC_LOAD_PAGE] = "load_page_fault",
	[EXC_STORE_PAGE] = "store_page_fault",
	[EXC_INST_GUEST_PAGE] = "instruction_guest_page_fault",
	[EXC_LOAD_GUEST_PAGE] = "load_guest_page_fault",
	[EXC_VIRTUAL_INST] = "virtual_instruction",
	[EXC_STORE_GUEST_PAGE] = "store_guest_page_fault",
};

static const char *cause_name(uint64_t cause)
{
	if (cause < sizeof(cause_names) / sizeof(cause_names[0]) &&
	    cause_names[cause])
		return cause_names[cause];
	return "unknown";
}

/* Another restart within the limit?  Counts inside the frame window. */
static int restart_allowed_any(struct part *p)
{
	const struct sk_part_desc *d = p->desc;
	uint64_t now = this_hart(p)->frames;

	if (d->restart_window && now - p->window_frame >= d->restart_window) {
		p->window_frame = now;
		p->window_restarts = 0;
	}
	return p->window_restarts < d->max_restarts;
}

/* Restart allowed as the action for a fault? */
static int restart_allowed(struct part *p)
{
	return p->desc->on_fault == SK_ACT_RESTART && restart_allowed_any(p);
}

/*
 * A reboot the partition asked for (SBI SRST): its on_fault action,
 * within the same restart limit.  An OS that panics reboots this way
 * (Linux with panic=-1), so this is how the health monitor sees it.
 */
void hm_reboot(struct part *p)
{
	if (restart_allowed(p))
		part_restart(p, "srst_reboot");
	else
		part_stop(p, p->desc->on_fault == SK_ACT_RESTART ?
			     "restart_limit" : "srst_reboot");
}

/* Take p's configured action for a failure described by what. */
static void hm_act(struct part *p, const char *what, int restart)
{
	if (restart)
		part_restart(p, what);
	else
		part_stop(p, p->desc->on_fault == SK_ACT_RESTART ?
			     "restart_limit" : what);
}

void hm_fault(struct part *p, uint64_t cause, uint64_t tval, uint64_t gpa)
{
	const char *name = cause_name(cause);
	int restart = restart_allowed(p);
	int page = gpa != ~0UL;		/* guest-page faults name the address */

	p->faults++;
	part_event(p, "event=fault part=%s cause=%s epc=0x%lx %s=0x%lx action=%s",
		   p->desc->name, name, p->vcpu.sepc, page ? "gpa" : "tval",
		   page ? gpa : tval, restart ? "restart" : "halt");
	hm_act(p, name, restart);
}

/* Called as each of p's slots begins. */
void hm_check_watchdog(struct part *p, uint64_t frame)
{
	uint32_t wd = p->desc->watchdog;

	if (!wd || p->state != PART_READY || frame - p->kick_frame < wd)
		return;
	part_event(p, "event=watchdog part=%s frames=%lu", p->desc->name,
		   frame - p->kick_frame);
	p->faults++;
	hm_act(p, "watchdog", restart_allowed(p));
}

static void summary(void)
{
	for (unsigned i = 0; i < sk_system.nparts; i++) {
		struct part *p = part_get(i);

		sk_event("event=summary part=%s state=%s slots=%lu faults=%u restarts=%u denials=%u",
			 p->desc->name,
			 p->state == PART_STOPPED ? "stopped" : "ready",
			 sched_slots_given(p), p->faults, p->restarts, p->denials);
	}
}

void sk_halt(const char *reason, const char *part)
{
	static uint32_t halting;

	if (__atomic_exchange_n(&halting, 1, __ATOMIC_ACQ_REL))
		for (;;)	/* another hart is already halting */
			wfi();
	cons_take();
	for (unsigned i = 0; i < sk_system.nparts; i++)
		part_flush_line(part_get(i));
	summary();
	sched_summary();
	chan_summary();
	monitor_summary();
	cons_lost_summary();
	if (part)
		sk_event("event=halt reason=%s part=%s", reason, part);
	else
		sk_event("event=halt reason=%s", reason);
	sbi_shutdown();
}

void sk_panic(const char *what, uint64_t cause, uint64_t epc, uint64_t tval)
{
	sk_event("event=panic what=%s cause=0x%lx epc=0x%lx tval=0x%lx",
		 what, cause, epc, tval);
	sk_halt("panic", NULL);
}
