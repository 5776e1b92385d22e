// SPDX-License-Identifier: MIT
/*
 * part.c - partition lifecycle: load from the pristine package, stop,
 * restart.  The packages stay in kernel memory, outside every G-stage
 * table, so a restart always starts from the image that was built.
 */
#include "arch/gstage.h"
#include "sk/board.h"
#include "sk/console.h"
#include "sk/hm.h"
#include "sk/lib.h"
#include "sk/part.h"
#include "sk/sched.h"

/* Not in .bss: only the partitions that exist are initialised. */
static struct part parts[SK_MAX_PARTS] __attribute__((section(".sk_noinit")));
static uint32_t live;		/* partitions not stopped */

struct part *part_get(unsigned id)
{
	return &parts[id];
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
	gstage_init();
	for (unsigned i = 0; i < sk_system.nparts; i++) {
		struct part *p = &parts[i];

		memset(p, 0, sizeof(*p));
		p->desc = &sk_system.parts[i];
		p->vcpu.hgatp = gstage_build(p->desc);
		part_load(p);
		p->state = PART_READY;
		live++;
	}
}

void part_flush_line(struct part *p)
{
	if (p->line_len)
		cons_part_line(p->desc->name, p->line, p->line_len);
	p->line_len = 0;
}

/* Runs on p's own hart, so no other hart ever changes p's state. */
void part_stop(struct part *p, const char *reason)
{
	struct hart *h = this_hart(p);

	if (p->state == PART_STOPPED)
		return;
	part_flush_line(p);
	p->state = PART_STOPPED;
	sk_event("event=stop part=%s reason=%s", p->desc->name, reason);
	if (h->loaded == p)
		h->discard = 1;
	if (p->desc->flags & SK_PART_F_CRITICAL)
		sk_halt("critical", p->desc->name);
	if (__atomic_sub_fetch(&live, 1, __ATOMIC_ACQ_REL) == 0)
		sk_halt("all_stopped", NULL);
}

/* Reload p from its package; the health monitor decided it may. */
void part_restart(struct part *p, const char *cause)
{
	struct hart *h = this_hart(p);

	part_flush_line(p);
	part_load(p);
	p->restarts++;
	p->window_restarts++;
	p->kick_frame = h->frames;
	if (h->loaded == p)
		h->discard = 1;
	sk_event("event=restart part=%s cause=%s count=%u", p->desc->name,
		 cause, p->restarts);
}
