// SPDX-License-Identifier: MIT
/*
 * sched.c - static cyclic scheduling, one plan per hart (ARINC 653 style).
 *
 * Every slot boundary is computed from the start of its major frame,
 * and frames follow each other at exact multiples of the major frame
 * from a common epoch, so the plan never drifts however late a timer
 * interrupt is taken.  The supervisor timer (Sstc's stimecmp) is always
 * armed for the next boundary; a partition cannot mask it, since an
 * HS-level interrupt is always taken while the hart runs in V=1.
 */
#include <stddef.h>
#include "arch/csr.h"
#include "arch/vcpu.h"
#include "sbi_call.h"
#include "sk/board.h"
#include "sk/chan.h"
#include "sk/console.h"
#include "sk/hm.h"
#include "sk/sched.h"
#include "sk/vplic.h"

struct hart sk_harts[SK_MAX_HARTS];
int sk_has_sstc;
extern uint64_t sk_sync_late;		/* trap.S and here: inexact slot entries */
#define has_sstc sk_has_sstc
static uint64_t stop_at;	/* absolute time the system halts, or 0 */


/*
 * Does this hart have Sstc?  Probe stimecmp with a temporary trap
 * vector: if the read traps (illegal instruction, redirected to us by
 * OpenSBI), the probe handler skips it and clears the flag.
 */
void sched_probe(void)
{
	extern void sk_probe_trap(void);
	uint64_t old = csr_read(stvec);
	register uint64_t ok __asm__("t6") = 1;

	csr_write(stvec, (uint64_t)sk_probe_trap);
	__asm__ volatile("csrr t5, stimecmp" : "+r"(ok) :: "t5", "memory");
	csr_write(stvec, old);
	has_sstc = (int)ok;
}

static void timer_arm(uint64_t when)
{
	if (stop_at && when > stop_at)
		when = stop_at;
	if (has_sstc)
		csr_write(stimecmp, when);
	else
		sbi_set_timer(when);
}

/*
 * Make s (owned by p, starting at start) the hart's current slot.  Its
 * absolute start and end are computed here, once per slot, so that
 * every later look at the plan (each timer interrupt, each yield) is a
 * compare with a precomputed time rather than a walk over the slot table.
 */
static inline void slot_begin(struct hart *h, const struct sk_slot *s,
			      struct part *p, uint64_t start)
{
	h->slot = s;
	h->owner = p;
	h->start = start;
	h->end = start + s->length;
	h->yielded = 0;
	h->entered = 0;
}

/* The current slot's owner stops here, guard ticks before its end. */
static inline uint64_t slot_stop(const struct hart *h)
{
	return h->end - sk_system.guard;
}

/* The owner of slot s (the generated table points at it). */
static inline struct part *slot_owner(const struct sk_slot *s)
{
	return s->owner;
}

void sched_init_hart(unsigned id, uint64_t epoch)
{
	struct hart *h = &sk_harts[id];

	h->id = id;
	h->plan = &sk_system.plans[id];
	h->frame_start = epoch;
	if (sk_system.stop_after)
		stop_at = epoch + sk_system.stop_after;
	if (h->plan->nslots) {
		const struct sk_slot *s = &h->plan->slots[0];

		h->last = s + h->plan->nslots - 1;
		slot_begin(h, s, slot_owner(s), epoch + s->start);
	} else {
		h->end = ~0UL;		/* never a boundary: sched_boundary() */
	}
	/* sched_boundary() takes the slots that end by this (see there). */
	if (!sk_system.guard && has_sstc)
		h->quick_until = stop_at ? stop_at : ~0UL;
	/* The slot timer, and IPIs that wake a receiver parked on a channel. */
	csr_set(sie, 1UL << IRQ_S_TIMER | 1UL << IRQ_S_SOFT);
}

/*
 * Exact mode (a guard is configured and the hart has Sstc): a timer set
 * through stimecmp fires at the tick it names plus the sub-tick phase of
 * the moment it was written, and that moment depends on what the
 * partition before did.  So boundaries are approached SYNC_TICKS early
 * and the last stretch is covered by tick_sync() on the way out of the
 * kernel (trap.S), after all the switch work, on a path of fixed length:
 * every slot then starts at the same instant after its boundary.
 */
/*
 * 2 us: room for the switch work before it, the longest being a PLIC
 * partition's switch-in with FP and one read of the board UART through
 * the SBI (an M-mode round trip); 1 us left that path two ticks to spare.
 */
#define SYNC_TICKS	20

static int exact(void)
{
	return sk_system.guard && has_sstc;
}

/*
 * Idle until boundary b (> *now).  Returns 1 when the caller may treat b
 * as reached (*now = b; h->sync_at = b, and the way out of the kernel
 * finishes the wait exactly), 0 when it should wait for the timer.
 *
 * "settled" says that nothing can happen on this hart before b - the
 * slot's owner is past its stop, stopped for good, or there is no owner
 * - so in exact mode the choice for b can be made now, in one pass,
 * however far off b is: sched_run() then sleeps until just before b.
 * A partition parked on a receive is not settled: a message from
 * another hart may wake it before b.
 */
static int wait_for(struct hart *h, uint64_t *now, uint64_t b, int settled)
{
	/* Idle time up to the end of a slot is its owner's: its lines. */
	h->drain = b == h->end ? h->owner : NULL;
	if (exact() && (b - *now <= SYNC_TICKS ||
			(settled && (!stop_at || b < stop_at)))) {
		h->sync_at = b;
		*now = b;
		return 1;
	}
	h->wake = exact() ? b - SYNC_TICKS : b;
	if (stop_at && h->wake > stop_at)
		h->wake = stop_at;
	timer_arm(h->wake);
	return 0;
}

/* Sleep (wfi) until time t; an IPI meanwhile is for a choice already made. */
static void idle_until(uint64_t t)
{
	if (time_now() >= t)
		return;
	timer_arm(t);
	do {
		wfi();
		csr_clear(sip, 1UL << IRQ_S_SOFT);
	} while (time_now() < t);
}

/*
 * Without Sstc the slot timer also stands in for the running partition's
 * own timer: the earlier of its stop and its deadline, if still ahead.
 */
static uint64_t guest_deadline(struct part *p, uint64_t now, uint64_t stop)
{
	uint64_t d = p->vcpu.csr.vstimecmp;

	return !has_sstc && d > now && d < stop ? d : stop;
}

void sched_guest_timer(struct part *p)
{
	if (!has_sstc)
		timer_arm(guest_deadline(p, time_now(), p->hart->stop_at));
}

/*
 * The slot after the current one, and the start of the frame it is in
 * (the next frame's when the current slot is the plan's last).
 */
static inline const struct sk_slot *slot_after(const struct hart *h,
					       uint64_t *frame_start)
{
	*frame_start = h->frame_start;
	if (h->slot == h->last) {
		*frame_start += h->plan->major_frame;
		return h->plan->slots;
	}
	return h->slot + 1;
}

/* Move to the next slot; at the end of a frame, start the next one. */
static void advance(struct hart *h)
{
	uint64_t fs;
	const struct sk_slot *s = slot_after(h, &fs);

	if (fs != h->frame_start) {
		h->frame_start = fs;
		h->frames++;
	}
	slot_begin(h, s, slot_owner(s), fs + s->start);
	/* A watchdog is checked as each of its partition's slots begins. */
	if (h->owner && h->owner->desc->watchdog)
		hm_check_watchdog(h->owner, h->frames);
}

/*
 * The partition that owns this hart now, or NULL to idle; arms the timer
 * (in exact mode the stop deadline is armed on the way out, h->stop_at).
 */
static struct part *sched_pick(struct hart *h, uint64_t now)
{
	struct part *p;

	h->sync_at = 0;
	if (stop_at && now >= stop_at)
		sk_halt("stop_after", NULL);
	if (!h->plan->nslots) {
		h->wake = stop_at ? stop_at : ~0UL;
		timer_arm(~0UL);
		return NULL;
	}
	for (;;) {
		if (now >= h->end) {
			advance(h);
			continue;
		}
		if (now < h->start) {		/* an idle gap before the slot */
			if (wait_for(h, &now, h->start, 1))
				continue;
			return NULL;
		}
		/*
		 * The guard: the slot's owner stops guard ticks before the
		 * end, so whatever the kernel is doing for it then is over by
		 * the end, and the next slot starts on time whatever this one
		 * did.
		 */
		p = h->owner;
		if (!p || now >= slot_stop(h)) {
			if (wait_for(h, &now, h->end, 1))
				continue;
			return NULL;
		}
		if (p->state == PART_RESTARTING) {
			/* Its reload is its own slot's work: never start early. */
			if (h->sync_at) {
				idle_until(h->sync_at);
				h->sync_at = 0;
				now = time_now();
			}
			/*
			 * Reload chunks that end before the guard, so the
			 * reload never takes time from the next slot; what
			 * does not fit waits for p's next slot.
			 */
			part_reload_step(p, slot_stop(h));
			h->entered = 1;		/* late by its own reload only */
			h->sync_at = 0;		/* that took time: look again */
			now = time_now();
			if (p->state != PART_RESTARTING)
				continue;
			if (wait_for(h, &now, h->end, 1))
				continue;
			return NULL;
		}
		if (p->state != PART_READY || (h->yielded && !chan_ready(p))) {
			if (wait_for(h, &now, h->end, p->state != PART_READY))
				continue;
			return NULL;
		}
		/* First entry into this slot not on the exact path: late. */
		if (!h->entered && exact() && !h->sync_at)
			__atomic_add_fetch(&sk_sync_late, 1, __ATOMIC_RELAXED);
		h->entered = 1;
		h->stop_at = slot_stop(h) < stop_at || !stop_at ?
			     slot_stop(h) : stop_at;
		if (!h->sync_at)
			timer_arm(guest_deadline(p, now, slot_stop(h)));
		h->yielded = 0;
		return p;
	}
}

/*
 * How many slots p has been given: its slots in each major frame its
 * hart completed, and in the current frame those begun so far.  The
 * plan is fixed, so this is counted when asked, not kept by the switch.
 */
uint64_t sched_slots_given(const struct part *p)
{
	const struct hart *h = p->hart;
	uint64_t per_frame = 0, this_frame = 0;

	if (!h || !h->plan)		/* halted before its hart began */
		return 0;
	for (uint32_t i = 0; i < h->plan->nslots; i++) {
		const struct sk_slot *s = &h->plan->slots[i];

		if (s->owner != p)
			continue;
		per_frame++;
		if (h->slot && s <= h->slot)
			this_frame++;
	}
	return h->frames * per_frame + this_frame;
}

uint64_t sched_slot_end(struct hart *h)
{
	return h->plan->nslots ? h->end : ~0UL;
}

void sched_yield(struct hart *h)
{
	h->yielded = 1;
}

/* Doorbells rung for p while it was away (a partition without a PLIC). */
static inline uint64_t doorbell_virq(struct part *p)
{
	return __atomic_load_n(&p->notify_pending, __ATOMIC_RELAXED) &&
	       (p->doorbell_armed || p->desc->hedeleg != SK_HEDELEG_OS) ?
	       1UL << IRQ_VS_SOFT : 0;
}

/*
 * Enter next (chosen, its slot begun and its timer armed) with virq, the
 * virtual interrupts that became due while it was away (its doorbells or
 * its virtual PLIC's, and without Sstc its timer), and the CSR half of
 * the world switch if it is not the vcpu loaded.  Returns what trap.S
 * expects (the vcpu, and flags on its low bits); the switch is a tail
 * call, so no stack frame here.
 */
static __attribute__((noinline)) struct vcpu *sched_enter(struct hart *h,
							   struct part *next,
							   uint64_t flags,
							   uint64_t virq)
{
	struct part *from = h->loaded;	/* NULL: nothing live to keep */

	next->wait_port = 0;	/* a parked receive runs again, and re-parks */
	if (next == from) {
		if (virq)
			csr_set(hvip, virq);
		return (struct vcpu *)((uint64_t)&next->vcpu | flags);
	}
	if (!from)
		flags |= VCPU_DISCARD;
	if (virq)
		next->vcpu.csr.hvip |= virq;
	h->loaded = next;
	return vcpu_switch(from ? &from->vcpu : NULL, &next->vcpu, flags);
}

/*
 * The common case, a slot boundary with nothing special about it: the
 * current slot is over and the next one belongs to a partition that is
 * ready, has no console lines waiting, and is plain (the generated plan
 * says so: no watchdog, no virtual PLIC, whose state takes calls to
 * read), and ends by h->quick_until (0 on a hart without Sstc or with a
 * guard; else the time the system stops, or never).  Begins that slot, arms its stop and returns its
 * partition, exactly as sched_pick() would; or returns NULL, having
 * changed nothing, for sched_pick() to decide.  It calls nothing, so the
 * common world switch builds no stack frame in the scheduler.
 */
static inline struct part *sched_boundary(struct hart *h, uint64_t now)
{
	const struct sk_slot *s;
	struct part *p;
	uint64_t fs, start, end;

	if (now < h->end)
		return NULL;
	s = slot_after(h, &fs);
	start = fs + s->start;
	end = start + s->length;	/* = its stop: no guard */
	p = s->plain;		/* no watchdog, no virtual PLIC */
	if (!p || now < start || now >= end || end > h->quick_until)
		return NULL;
	if (p->state != PART_READY || !cons_idle(p))
		return NULL;
	if (fs != h->frame_start) {
		h->frame_start = fs;
		h->frames++;
	}
	slot_begin(h, s, p, start);	/* entered: only exact mode asks */
	h->stop_at = end;
	csr_write(stimecmp, end);
	return p;
}

/*
 * Everything else: choose what runs next on this hart, idling (wfi)
 * while nothing may.
 */
static __attribute__((noinline, cold)) struct vcpu *sched_slow(struct hart *h,
							  uint64_t now)
{
	struct part *next;
	uint64_t flags, virq;

	while (!(next = sched_pick(h, now))) {
		/* Idle time is the console's: queued lines that fit. */
		cons_drain_until(h->drain, h->wake);
		wfi();	/* woken by the timer even with interrupts masked */
		csr_clear(sip, 1UL << IRQ_S_SOFT);
		now = time_now();
	}
	/* Off the exact path: its own queued lines, in its own time. */
	if (!h->sync_at)
		cons_drain(next);
	/*
	 * Virtual interrupts that became due while it was away: doorbells
	 * rung for it, or input for its UART.  Before the exact wait: a
	 * PLIC's sources may look at the board UART.
	 */
	if (vplic_on(next))	/* its doorbells and UART: the virtual PLIC */
		virq = vplic_virq(next);
	else
		virq = doorbell_virq(next);
	flags = 0;
	if (h->sync_at) {		/* trap.S finishes the wait, exactly */
		/* Idle time before the boundary is the console's. */
		cons_drain_until(h->drain, h->sync_at - SYNC_TICKS);
		idle_until(h->sync_at - SYNC_TICKS);
		next->vcpu.sync_at = h->sync_at;
		next->vcpu.sync_stop = h->stop_at;
		flags = VCPU_SYNC;
	}
	/* ... and (without Sstc) a timer deadline that has passed. */
	if (!has_sstc && next->vcpu.csr.vstimecmp <= time_now())
		virq |= 1UL << IRQ_VS_TIMER;
	return sched_enter(h, next, flags, virq);
}

/*
 * Choose what runs next on this hart and enter it.  Returns the vcpu for
 * trap.S to resume (with flags); if it differs from the loaded one, the
 * CSR half of the world switch is done here.
 */
__attribute__((noinline)) struct vcpu *sched_run(struct hart *h)
{
	uint64_t now = time_now();
	struct part *next = sched_boundary(h, now);

	if (!next)
		return sched_slow(h, now);
	return sched_enter(h, next, 0, doorbell_virq(next));
}

/*
 * How many slot entries could not be made exact (see tick.S): exact=1
 * only if none; and the longest console line written, against the
 * compiler's bound for this console (line_ticks).
 */
void sched_summary(void)
{
	uint64_t late = __atomic_load_n(&sk_sync_late, __ATOMIC_RELAXED);

	if (exact())
		sk_event("event=timing exact=%d late_entries=%lu line_max=%lu line_bound=%lu",
			 late == 0, late, cons_line_max(), sk_system.line_ticks);
}
