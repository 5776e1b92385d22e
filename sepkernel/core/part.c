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
#include "sk/vplic.h"
#include "sk/vuart.h"

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

/*
 * Loading a partition is resumable work, done in chunks: hash a chunk
 * of the package (copying what of it is image, or initramfs, to where
 * the package says in the RAM), then clear the rest of the RAM.  Boot
 * and every restart run the same chunks; a restart spreads them over as
 * many of the partition's own slots as it takes, each chunk started only
 * if its worst cost seen so far (plus an eighth) ends before the slot's
 * guard.  tools/skc/reload.py predicts the same work in major frames.
 */
#define RELOAD_CHUNK	1024		/* package bytes hashed per chunk */
#define RELOAD_CLEAR	32768		/* RAM bytes cleared per chunk */
#define RELOAD_SLACK	4		/* ticks: reading time, the loop */

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static void reload_begin(struct part *p)
{
	p->rl_off = 0;
	blake2b_init(&p->rl_hash);
}

/* Copy what of the package chunk [off, off + n) is image or initramfs. */
static void reload_copy(const struct sk_part_desc *d, uint8_t *ram,
			uint64_t off, uint64_t n)
{
	uint64_t rd = d->initrd_off;

	if (off < d->image_size)
		memcpy(ram + d->image_load + off, d->pkg + off,
		       min64(n, d->image_size - off));
	else if (off >= rd && off < rd + d->initrd_size)
		memcpy(ram + d->initrd_load + (off - rd), d->pkg + off,
		       min64(n, rd + d->initrd_size - off));
}

/*
 * The c-th byte of RAM that neither image nor initramfs covers: below
 * the image, between image and initramfs, above the initramfs.  Returns
 * its offset in RAM; *room = bytes of that gap from there on.
 */
static uint64_t reload_gap(const struct sk_part_desc *d, uint64_t c,
			   uint64_t *room)
{
	uint64_t img_end = d->image_load + d->image_size;
	uint64_t rd_lo = d->initrd_size ? d->initrd_load : d->ram_size;

	if (c < d->image_load) {
		*room = d->image_load - c;
		return c;
	}
	c -= d->image_load;
	if (c < rd_lo - img_end) {
		*room = rd_lo - img_end - c;
		return img_end + c;
	}
	c -= rd_lo - img_end;
	*room = d->ram_size - (d->initrd_load + d->initrd_size) - c;
	return d->initrd_load + d->initrd_size + c;
}

/* Chunks while the next one ends before deadline; 1 once all are done. */
static int reload_chunks(struct part *p, uint64_t deadline)
{
	const struct sk_part_desc *d = p->desc;
	uint8_t *ram = (uint8_t *)d->ram_hpa;
	uint64_t total = d->pkg_size +
		(d->ram_size - d->image_size - d->initrd_size);

	while (p->rl_off < total) {
		uint64_t off = p->rl_off, t0 = time_now(), n;
		int hash = off < d->pkg_size;
		uint64_t *cost = hash ? &p->rl_hash_cost : &p->rl_clear_cost;

		if (t0 >= deadline ||
		    deadline - t0 < *cost + *cost / 8 + RELOAD_SLACK)
			return 0;
		if (hash) {
			n = min64(RELOAD_CHUNK, d->pkg_size - off);
			blake2b_update(&p->rl_hash, d->pkg + off, n);
			reload_copy(d, ram, off, n);
		} else {
			uint64_t room;
			uint64_t at = reload_gap(d, off - d->pkg_size, &room);

			n = min64(RELOAD_CLEAR, room);
			memset(ram + at, 0, n);
		}
		p->rl_off = off + n;
		if (time_now() - t0 > *cost)
			*cost = time_now() - t0;
	}
	return 1;
}

/*
 * Its device tree gives it the board's ISA, and an OS believes it: with
 * Sstc listed, Linux writes stimecmp itself, an illegal instruction on a
 * hart without it.  Such a partition never runs; a bare-metal one (the
 * SDK asks for its timer through the SBI) is unaffected.
 */
static int isa_ok(const struct part *p)
{
	if (!sk_system.guest_sstc || sched_has_sstc() ||
	    p->desc->hedeleg != SK_HEDELEG_OS)
		return 1;
	sk_event("event=reject part=%s reason=hart_lacks_sstc", p->desc->name);
	return 0;
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

		if (!isa_ok(p)) {
			rejected = rejected ? rejected : p->desc->name;
			continue;			/* never runs */
		}
		p->vcpu.hgatp = gstage_build(p->desc);
		/* One pass: load, hash, and time each kind of chunk. */
		reload_begin(p);
		reload_chunks(p, ~0UL);
		blake2b_final(&p->rl_hash, p->digest);
		if (verify_digest(p->desc, p->digest)) {
			rejected = rejected ? rejected : p->desc->name;
			continue;			/* never runs */
		}
		vcpu_reset(&p->vcpu, p->desc, p->vcpu.hgatp);
		vuart_reset(p);
		vplic_reset(p);
		chan_clear_windows(p);		/* its windows start cleared */
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
		h->loaded = NULL;	/* its live registers are dropped */
	if (p->desc->flags & SK_PART_F_CRITICAL)
		sk_halt("critical", p->desc->name);
	if (part_scheduled(p->desc) &&
	    __atomic_sub_fetch(&live, 1, __ATOMIC_ACQ_REL) == 0)
		sk_halt("all_stopped", NULL);
}

/*
 * Restart p: it stops running now, and the work of reloading it is done
 * in its own slots (part_reload_step), so the time it takes is charged
 * to p and never to the partitions after it.
 */
void part_restart(struct part *p, const char *cause)
{
	struct hart *h = this_hart(p);

	part_end_line(p);
	p->state = PART_RESTARTING;
	p->restart_cause = cause;
	p->rl_frame = h->frames;
	reload_begin(p);
	if (h->loaded == p)
		h->loaded = NULL;	/* its live registers are dropped */
}

/*
 * Called by the scheduler inside p's slot while p is restarting: as
 * many reload chunks as end before deadline (the slot's guard).  The
 * pristine package sits in kernel memory no partition can reach and
 * its signature was checked at boot, so the restart only re-hashes it
 * and compares with the digest verified then.
 */
void part_reload_step(struct part *p, uint64_t deadline)
{
	struct hart *h = this_hart(p);
	uint8_t digest[BLAKE2B_DIGEST_SIZE];
	uint8_t diff = 0;

	/* The last step (digest, event line) is budgeted as one chunk. */
	if (!reload_chunks(p, deadline) || time_now() + p->rl_hash_cost +
	    p->rl_hash_cost / 8 + RELOAD_SLACK > deadline)
		return;				/* more in a later slot */
	blake2b_final(&p->rl_hash, digest);
	for (int i = 0; i < BLAKE2B_DIGEST_SIZE; i++)
		diff |= digest[i] ^ p->digest[i];
	if (diff) {			/* the package must still check out */
		part_event(p, "event=reject part=%s reason=digest_mismatch",
			   p->desc->name);
		part_stop(p, "rejected");
		return;
	}
	vcpu_reset(&p->vcpu, p->desc, p->vcpu.hgatp);
	vuart_reset(p);
	vplic_reset(p);
	chan_part_restarted(p);
	p->state = PART_READY;
	p->restarts++;
	p->window_restarts++;
	p->kick_frame = h->frames;
	part_event(p, "event=restart part=%s cause=%s count=%u frames=%lu",
		   p->desc->name, p->restart_cause, p->restarts,
		   h->frames - p->rl_frame);
}
