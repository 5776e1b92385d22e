/* SPDX-License-Identifier: MIT */
/* sched.h - per-hart static cyclic scheduling. */
#ifndef SK_SCHED_H
#define SK_SCHED_H

#include <stdint.h>
#include "sk/part.h"

struct hart {
	unsigned id;
	const struct sk_plan *plan;
	const struct sk_slot *slot;	/* the current slot, in plan->slots */
	const struct sk_slot *last;	/* the plan's last slot */
	struct part *owner;	/* its partition, NULL for an idle gap */
	/* The current slot in absolute ticks, computed once as it begins. */
	uint64_t start, end;
	uint64_t frame_start;	/* time the current major frame began */
	uint64_t frames;	/* major frames completed */
	uint8_t yielded;	/* the slot's owner gave it away */
	uint8_t entered;	/* the current slot's owner has been entered
				 * (read in exact mode only, so the quick
				 * boundary of sched_boundary() leaves it) */
	struct part *loaded;	/* whose registers are live on this hart;
				 * NULL once it is reset: not worth saving */
	uint64_t sync_at;	/* exact mode: boundary to reach on the way out */
	uint64_t stop_at;	/* when the partition picked must stop */
	uint64_t wake;		/* idle: when the timer will wake the hart */
	struct part *drain;	/* idle: whose slot the idle time is, or NULL */
	uint64_t quick_until;	/* sched_boundary() takes slots ending by this */
};

extern struct hart sk_harts[];

void sched_init_hart(unsigned id, uint64_t epoch);
struct vcpu *sched_run(struct hart *h);
void sched_yield(struct hart *h);
uint64_t sched_slot_end(struct hart *h);
uint64_t sched_slots_given(const struct part *p);
extern int sk_has_sstc;

static inline int sched_has_sstc(void)
{
	return sk_has_sstc;
}
void sched_probe(void);
void sched_summary(void);
void sched_guest_timer(struct part *p);

static inline struct hart *this_hart(struct part *p)
{
	return p->hart;
}

#endif /* SK_SCHED_H */
