// SPDX-License-Identifier: MIT
/*
 * part.c - partition lifecycle: load from the pristine package, stop,
 * restart.  The packages stay in kernel memory, outside every G-stage
 * table, so a restart always starts from the image that was built.
 */
#include "arch/csr.h"
#include "arch/gstage.h"
#include "sk/board.h"
#include "sk/chan.h"
#include "sk/console.h"
#include "sk/hm.h"
#include "sk/lib.h"
#include "sk/part.h"
#include "sk/sched.h"
#include "sk/verify.h"

/* Not in .bss: only the partitions that exist are initialised. */
struct part sk_part_table[SK_MAX_PARTS] __attribute__((section(".sk_noinit")));
static uint32_t live;		/* partitions not stopped that have a slot */

/*
 * Does d own a slot in its hart's plan?  A partition the configuration
 * leaves unscheduled (allow_unscheduled) never runs, so it must not keep
 * the system alive once every partition that can run has stopped.
 */
static int part_scheduled(const struct sk_part_desc *d)
{
	const struct sk_plan *pl = &sk_system.plans[d->hart];

	for (uint32_t i = 0; i < pl->nslots; i++)
		if (pl->slots[i].part == d->id)
			return 1;
	return 0;
}

/* Copy the image to the start of its RAM and clear the rest of it. */
static void part_load(struct part *p)
{
	const struct sk_part_desc *d = p->desc;
	uint8_t *ram = (uint8_t *)d->ram_hpa;

	memcpy(ram, d->pkg, d->image_size);
	memset(ram + d->image_size, 0, d->ram_size - d->image_size);
	vcpu_reset(&p->vcpu, d, p->vcpu.hgatp);
}

void part_boot_all(void)
{
	const char *rejected = NULL;

	gstage_init();
	chan_boot();
	/* Every partition exists (stopped) before any is checked or run. */
	for (unsigned i = 0; i < sk_system.nparts; i++) {
		struct part *p = &sk_part_table[i];

		memset(p, 0, sizeof(*p));
		p->desc = &sk_system.parts[i];
		p->hart = &sk_harts[p->desc->hart];
		p->state = PART_STOPPED;
	}
	for (unsigned i = 0; i < sk_system.nparts; i++) {
		struct part *p = &sk_part_table[i];
		uint64_t t0;

		p->vcpu.hgatp = gstage_build(p->desc);
		t0 = time_now();
		if (verify_part(p->desc)) {
			rejected = rejected ? rejected : p->desc->name;
			continue;			/* never runs */
		}
		part_load(p);
		chan_clear_windows(p);		/* its windows start cleared */
		/* A restart does just this: its cost, with a margin. */
		p->restart_cost = (time_now() - t0) * 9 / 8 + 10;
		measure_part(p->desc);
		p->state = PART_READY;
		live += part_scheduled(p->desc);
	}
	if (rejected && sk_system.halt_on_reject)
		sk_halt("rejected", rejected);
	if (!live)
		sk_halt("all_stopped", NULL);
}

/*
 * The host address of [gpa, gpa + len) if all of it lies in memory that
 * p may read - its RAM, its device tree, its channel windows - or, for
 * write, in memory it may write.  Every guest pointer goes through here.
 */
const void *part_guest_ptr(struct part *p, uint64_t gpa, uint64_t len,
			   int write)
{
	const struct sk_part_desc *d = p->desc;

	if (gpa >= SK_GUEST_RAM_BASE && len <= d->ram_size &&
	    gpa - SK_GUEST_RAM_BASE <= d->ram_size - len)
		return (const void *)(d->ram_hpa + (gpa - SK_GUEST_RAM_BASE));
	if (!write && gpa >= SK_GUEST_DTB_BASE && len <= d->dtb_size &&
	    gpa - SK_GUEST_DTB_BASE <= d->dtb_size - len)
		return d->pkg + d->dtb_off + (gpa - SK_GUEST_DTB_BASE);
	for (unsigned i = 0; i < d->nports; i++) {
		const struct sk_port *pt = &d->ports[i];
		const struct sk_chan_desc *c = &sk_system.chans[pt->chan];

		if (!pt->win_gpa || (write && pt->dir != SK_PORT_SEND))
			continue;
		if (gpa >= pt->win_gpa && len <= c->win_size &&
		    gpa - pt->win_gpa <= c->win_size - len)
			return (const void *)(c->win_hpa + (gpa - pt->win_gpa));
	}
	return NULL;
}

/* Queue p's unfinished line; -1 (kept) if its console queue is full. */
int part_flush_line(struct part *p)
{
	if (p->line_len && cons_part_line(p, p->line, p->line_len))
		return -1;
	p->line_len = 0;
	return 0;
}

/* p stops or restarts: its unfinished line goes out, or is counted lost. */
static void part_end_line(struct part *p)
{
	if (part_flush_line(p)) {
		p->line_len = 0;
		p->cq.lost++;
	}
}

/* Runs on p's own hart, so no other hart ever changes p's state. */
void part_stop(struct part *p, const char *reason)
{
	struct hart *h = this_hart(p);

	if (p->state == PART_STOPPED)
		return;
	part_end_line(p);
	p->state = PART_STOPPED;
	part_event(p, "event=stop part=%s reason=%s", p->desc->name, reason);
	if (h->loaded == p)
		h->discard = 1;
	if (p->desc->flags & SK_PART_F_CRITICAL)
		sk_halt("critical", p->desc->name);
	if (part_scheduled(p->desc) &&
	    __atomic_sub_fetch(&live, 1, __ATOMIC_ACQ_REL) == 0)
		sk_halt("all_stopped", NULL);
}

/*
 * Restart p: it stops running now, and the work of reloading it is done
 * at the start of one of its own slots (part_restart_now), so the time
 * it takes is charged to p and never to the partitions after it.
 */
void part_restart(struct part *p, const char *cause)
{
	struct hart *h = this_hart(p);

	part_end_line(p);
	p->state = PART_RESTARTING;
	p->restart_cause = cause;
	if (h->loaded == p)
		h->discard = 1;
}

/* Verify and reload p; called by the scheduler inside p's slot. */
void part_restart_now(struct part *p)
{
	struct hart *h = this_hart(p);

	if (verify_part(p->desc)) {	/* the package must still check out */
		part_stop(p, "rejected");
		return;
	}
	part_load(p);
	chan_part_restarted(p);
	p->state = PART_READY;
	p->restarts++;
	p->window_restarts++;
	p->kick_frame = h->frames;
	part_event(p, "event=restart part=%s cause=%s count=%u", p->desc->name,
		   p->restart_cause, p->restarts);
}
