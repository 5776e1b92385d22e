// SPDX-License-Identifier: MIT
/*
 * chan.c - channels, the only route between partitions.
 *
 * Queuing and sampling messages are copied by the kernel from the
 * sender's memory into kernel-only storage and from there into the
 * reader's: neither side ever sees the other's memory, and every message
 * passes the security monitor on the way in.  Shared channels are memory
 * windows mapped by the G-stage tables (read-write for the writer,
 * read-only for readers) plus a doorbell.
 *
 * Each queuing channel has one writer and one reader, so its ring needs
 * no lock even when they run on different harts: the writer alone moves
 * tail, the reader alone moves head, each publishing with a release
 * store that the other side reads with acquire.  A sampling channel's
 * single slot is a sequence lock: the writer makes seq odd while it
 * writes, readers retry if seq moved under them.
 */
#include <stddef.h>
#include "arch/barrier.h"
#include "arch/csr.h"
#include "sbi_call.h"
#include "sk/chan.h"
#include "sk/console.h"
#include "sk/lib.h"
#include "sk/proto.h"
#include "sk/sched.h"
#include "sk_abi.h"

/*
 * A message slot: length and type tag, then the payload.  The header is
 * one aligned doubleword, and so are the first two fields of struct
 * sk_msg_info: a receive copies it there in one store.
 */
struct msg_hdr {
	union {
		struct {
			uint32_t len;
			uint32_t type;
		};
		uint64_t word;	/* both, for one store */
	};
};
_Static_assert(offsetof(struct sk_msg_info, age) == sizeof(struct msg_hdr),
	       "sk_msg_info begins with a message header");

#define SAMPLE_RETRIES	4

/* The slot after off in c's ring: a compare, never a division. */
static inline uint64_t ring_next(const struct sk_chan_desc *c, uint64_t off)
{
	off += c->slot_size;
	return off == c->ring_size ? 0 : off;
}

void chan_boot(void)
{
	for (unsigned i = 0; i < sk_system.nchans; i++)
		memset(sk_system.chans[i].st, 0, sizeof(*sk_system.chans[i].st));
	proto_boot();
}

/* Audit a port id that is not one of p's grants, or used the wrong way. */
static __attribute__((noinline)) long port_deny(struct part *p, uint64_t id,
						unsigned call)
{
	if (id >= p->desc->nports)
		return monitor_deny(p, -1, SK_AUDIT_BAD_CHANNEL, call,
				    SK_ERR_BAD_CHANNEL);
	return monitor_deny(p, p->desc->ports[id].chan, SK_AUDIT_DIRECTION,
			    call, SK_ERR_DIRECTION);
}

/*
 * The channel behind p's port id, if p holds it in direction dir (0:
 * either).  The port table points at the channel itself, so the check is
 * two compares and two loads.
 */
static inline const struct sk_chan_desc *port_chan(struct part *p, uint64_t id,
						   uint8_t dir, unsigned call,
						   long *err)
{
	if (id < p->desc->nports) {
		const struct sk_port *pt = &p->desc->ports[id];

		if (!dir || pt->dir == dir)
			return pt->c;
	}
	*err = port_deny(p, id, call);
	return NULL;
}

/*
 * Is there room for one more message?  The acquire of head orders the
 * reader's last read of the slot before our overwrite of it; a full
 * queue counts a drop (never a silent loss).
 */
static inline long queue_room(const struct sk_chan_desc *c)
{
	struct sk_chan_state *st = c->st;

	if (st->tail - __atomic_load_n(&st->head, __ATOMIC_ACQUIRE) >= c->depth) {
		st->drops++;
		return SK_ERR_FULL;
	}
	return 0;
}

/*
 * Append a message to a queue the caller has found room in (with an
 * acquire of head): only the queue's one writer gets here, so the room
 * cannot vanish before the tail is published.  Out of line: the send
 * path and the kernel's own chan_put share one copy.
 */
static __attribute__((noinline)) void queue_write(const struct sk_chan_desc *c,
						 const void *msg, uint32_t len,
						 uint32_t type)
{
	struct sk_chan_state *st = c->st;
	struct msg_hdr *h = (struct msg_hdr *)(c->buf + st->tail_off);

	h->len = len;
	h->type = type;
	memcpy(h + 1, msg, len);
	st->tail_off = ring_next(c, st->tail_off);
	store_release_u64(&st->tail, st->tail + 1);
}

long chan_put(const struct sk_chan_desc *c, const void *msg, uint32_t len,
	      uint32_t type)
{
	struct sk_chan_state *st = c->st;
	struct msg_hdr *h;

	if (c->kind == SK_CHAN_SAMPLING) {
		h = (struct msg_hdr *)c->buf;
		__atomic_store_n(&st->seq, st->seq + 1, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		h->len = len;
		h->type = type;
		memcpy(h + 1, msg, len);
		st->stamp = time_now();
		__atomic_store_n(&st->seq, st->seq + 1, __ATOMIC_RELEASE);
		return SBI_SUCCESS;
	}
	if (queue_room(c))
		return SK_ERR_FULL;
	queue_write(c, msg, len, type);
	return SBI_SUCCESS;
}

/*
 * Wake a reader parked in a blocking receive on another hart.  One on
 * the writer's hart runs later anyway; the compiler says which it is.
 */
static void wake_reader(const struct sk_chan_desc *c)
{
	struct part *r;

	if (!c->remote_reader)
		return;
	r = part_get(c->readers[0]);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&r->wait_port, __ATOMIC_RELAXED))
		sbi_send_ipi(1UL << r->desc->hart);
}

long chan_send(struct part *p, uint64_t id, uint64_t buf, uint64_t len,
	       uint64_t type)
{
	const struct sk_chan_desc *c;
	struct monitor_rate rate;
	const void *src;
	long err = 0;
	int why;

	c = port_chan(p, id, SK_PORT_SEND, SK_FID_CHAN_SEND, &err);
	if (!c)
		return err;
	if (c->kind == SK_CHAN_SHARED)
		return monitor_deny(p, c - sk_system.chans, SK_AUDIT_KIND,
				    SK_FID_CHAN_SEND, SK_ERR_KIND);
	if (len > c->msg_size)
		return monitor_deny(p, c - sk_system.chans, SK_AUDIT_TOO_LONG,
				    SK_FID_CHAN_SEND, SK_ERR_SIZE);
	src = part_guest_ptr(p, buf, len, 0);
	if (!src)
		return monitor_deny(p, c - sk_system.chans, SK_AUDIT_BAD_ADDRESS,
				    SK_FID_CHAN_SEND, SBI_ERR_INVALID_ADDRESS);
	why = monitor_verdict(p, c, len, type, &rate);
	if (why)
		return monitor_deny(p, c - sk_system.chans, why,
				    SK_FID_CHAN_SEND, monitor_err(why));
	if (c->kind == SK_CHAN_SAMPLING) {
		monitor_count(c, &rate);
		return chan_put(c, src, (uint32_t)len, (uint32_t)type);
	}
	/*
	 * A queue.  The stateful policy comes last and checks the room itself
	 * before it moves, so a state moves only for a message that will be
	 * queued; either way the message is written without a second check.
	 * Only a message that is queued counts against the rate: a full
	 * queue or a protocol's refusal uses up none of the frame's share.
	 */
	err = c->proto ? proto_send(p, c, type) : queue_room(c);
	if (err)
		return err;
	monitor_count(c, &rate);
	queue_write(c, src, (uint32_t)len, (uint32_t)type);
	wake_reader(c);
	return SBI_SUCCESS;
}

/*
 * The fast paths: a send or receive of the common kind, a queuing
 * channel, buffers in the caller's RAM that are 8-byte aligned and a
 * message of whole words (copied inline, without memcpy), done
 * in straight-line code that calls nothing, so that vsbi_handle() needs
 * no stack frame for it.  They only ever succeed.  Every check of the
 * full path is made, and made before anything changes; anything that
 * would not succeed, or is not this common case (a sampling channel, a
 * window, a full or empty queue, a refusal, a traced protocol, a reader
 * on another hart), returns CHAN_SLOW having changed nothing, and the
 * full chan_send()/chan_recv() then decide, audit and answer exactly as
 * they always do.
 */

/*
 * Copy len bytes, a multiple of 8, between 8-byte aligned buffers: eight
 * words a step while eight remain (a 64-byte message in one), else one.
 * One loop, one exit test: GCC turns two loops into more set-up.
 */
static inline void msg_copy_words(void *dst, const void *src, uint64_t len)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	const uint64_t *end = (const uint64_t *)((const uint8_t *)src + len);

	while (s != end) {
		if ((uint64_t)((const uint8_t *)end - (const uint8_t *)s) < 64) {
			*d++ = *s++;
			continue;
		}
		d[0] = s[0];
		d[1] = s[1];
		d[2] = s[2];
		d[3] = s[3];
		d[4] = s[4];
		d[5] = s[5];
		d[6] = s[6];
		d[7] = s[7];
		d += 8;
		s += 8;
	}
}

long chan_send_fast(struct part *p, uint64_t id, uint64_t buf, uint64_t len,
		    uint64_t type)
{
	const struct sk_part_desc *d = p->desc;
	const struct sk_chan_desc *c;
	struct sk_chan_state *st;
	struct monitor_rate rate;
	struct msg_hdr *h;
	uint64_t tail, off;

	if (id >= d->nports || !d->ports[id].fast_send)
		return CHAN_SLOW;
	c = d->ports[id].c;
	st = c->st;
	tail = st->tail;	/* ours: only the writer moves it */
	/*
	 * No test of len against msg_size: the policy's max_size, which
	 * monitor_verdict() tests, is never larger (system.c asserts it).
	 */
	if (((buf | len) & 7) || !part_ram_holds(d, buf, len) ||
	    monitor_verdict(p, c, len, type, &rate) ||
	    tail - __atomic_load_n(&st->head, __ATOMIC_ACQUIRE) >= c->depth)
		return CHAN_SLOW;
	/* The protocol moves last, and then nothing can fail. */
	if (c->proto && !proto_try_move(c, type))
		return CHAN_SLOW;
	monitor_count(c, &rate);
	off = st->tail_off;
	h = (struct msg_hdr *)(c->buf + off);
	h->word = len | type << 32;	/* the policy let len < 2^32, type < 64 */
	msg_copy_words(h + 1, part_ram_at(d, buf), len);
	st->tail_off = ring_next(c, off);
	store_release_u64(&st->tail, tail + 1);
	return SBI_SUCCESS;
}

long chan_recv_fast(struct part *p, uint64_t id, uint64_t buf, uint64_t cap,
		    uint64_t info, uint64_t flags)
{
	const struct sk_part_desc *d = p->desc;
	const struct sk_chan_desc *c;
	struct sk_chan_state *st;
	const struct msg_hdr *src;
	uint64_t head, len, off;

	if (id >= d->nports || !d->ports[id].fast_recv)
		return CHAN_SLOW;
	c = d->ports[id].c;
	st = c->st;
	head = st->head;
	if (head == __atomic_load_n(&st->tail, __ATOMIC_ACQUIRE))
		return CHAN_SLOW;
	off = st->head_off;
	src = (const struct msg_hdr *)(c->buf + off);
	len = src->len;		/* the slot is ours until head moves */
	if (len > cap || ((buf | info | len) & 7) ||
	    !part_ram_holds(d, buf, cap))
		return CHAN_SLOW;
	/* Even where the call would not write fresh: the full path decides. */
	if (info && !part_ram_holds(d, info, sizeof(struct sk_msg_info)))
		return CHAN_SLOW;
	p->wait_port = 0;
	off = ring_next(c, off);	/* now: fewer values live in the copy */
	msg_copy_words(part_ram_at(d, buf), src + 1, len);
	if (info) {
		struct sk_msg_info *mi = part_ram_at(d, info);

		mi->len = src->len;	/* one load and store: msg_hdr */
		mi->type = src->type;
		mi->age = 0;
		mi->valid = 1;
		mi->epoch = __atomic_load_n(&st->epoch, __ATOMIC_RELAXED);
		if (flags & SK_RECV_FRESH)
			mi->fresh = 1;
	}
	st->head_off = off;
	store_release_u64(&st->head, head + 1);
	return len;
}

/* Copy the sampling slot out consistently; 0 if it never was written. */
static long sample_get(const struct sk_chan_desc *c, uint8_t *dst, uint64_t cap,
		       struct msg_hdr *out, uint64_t *stamp, uint32_t *seq)
{
	const struct msg_hdr *h = (const struct msg_hdr *)c->buf;
	struct sk_chan_state *st = c->st;

	for (int i = 0; i < SAMPLE_RETRIES; i++) {
		uint32_t s1 = __atomic_load_n(&st->seq, __ATOMIC_ACQUIRE);

		if (!s1)
			return SK_ERR_EMPTY;
		if (s1 & 1)
			continue;
		*out = *h;
		if (out->len > cap)
			return SK_ERR_SIZE;
		memcpy(dst, h + 1, out->len);
		*stamp = st->stamp;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&st->seq, __ATOMIC_RELAXED) == s1) {
			*seq = s1;
			return SBI_SUCCESS;
		}
	}
	return SBI_ERR_FAILED;		/* the writer kept it busy: try again */
}

/*
 * Has this reader been given this sampling value before?  Each reader
 * keeps the sequence number of the value it last got in its own entry
 * of the channel state: only it writes there.
 */
static uint32_t sample_fresh(const struct sk_chan_desc *c, struct part *p,
			     uint32_t seq)
{
	for (unsigned i = 0; i < c->nreaders; i++) {
		if (c->readers[i] != p->desc->id)
			continue;
		if (c->st->seen[i] == seq)
			return 0;
		c->st->seen[i] = seq;
		return 1;
	}
	return 1;
}

/* A restarted reader has seen nothing yet. */
static void sample_forget(const struct sk_chan_desc *c, struct part *p)
{
	for (unsigned i = 0; i < c->nreaders; i++)
		if (c->readers[i] == p->desc->id)
			c->st->seen[i] = 0;
}

/*
 * Receive into p's buffer: returns the message's length, or an error
 * (< 0).  SK_ERR_EMPTY with p->wait_port set means p asked to block and
 * is now parked on this port.
 */
long chan_recv(struct part *p, uint64_t id, uint64_t buf, uint64_t cap,
	       uint64_t info, uint64_t flags)
{
	const struct sk_chan_desc *c;
	struct sk_chan_state *st;
	struct sk_msg_info *mi = NULL;
	struct msg_hdr h;
	uint8_t *dst;
	uint64_t stamp = 0, isz;
	uint32_t seq = 0, fresh = 1;
	long err = 0;

	c = port_chan(p, id, SK_PORT_RECV, SK_FID_CHAN_RECV, &err);
	if (!c)
		return err;
	st = c->st;
	if (c->kind == SK_CHAN_SHARED)
		return monitor_deny(p, p->desc->ports[id].chan, SK_AUDIT_KIND,
				    SK_FID_CHAN_RECV, SK_ERR_KIND);
	dst = (uint8_t *)part_guest_ptr(p, buf, cap, 1);
	isz = flags & SK_RECV_FRESH ? sizeof(*mi) :
	      offsetof(struct sk_msg_info, fresh);
	if (info)
		mi = (struct sk_msg_info *)part_guest_ptr(p, info, isz, 1);
	if (!dst || (info && (!mi || (info & 7))))
		return monitor_deny(p, p->desc->ports[id].chan,
				    SK_AUDIT_BAD_ADDRESS, SK_FID_CHAN_RECV,
				    SBI_ERR_INVALID_ADDRESS);
	if (c->kind == SK_CHAN_SAMPLING) {
		err = sample_get(c, dst, cap, &h, &stamp, &seq);
		if (err)
			return err;
		fresh = sample_fresh(c, p, seq);
	} else {
		uint64_t head = st->head;
		const struct msg_hdr *src;

		if (head == __atomic_load_n(&st->tail, __ATOMIC_ACQUIRE)) {
			if (flags & SK_RECV_BLOCK)
				__atomic_store_n(&p->wait_port, id + 1,
						 __ATOMIC_SEQ_CST);
			return SK_ERR_EMPTY;
		}
		src = (const struct msg_hdr *)(c->buf + st->head_off);
		h = *src;
		if (h.len > cap)
			return SK_ERR_SIZE;	/* left queued: retry bigger */
		memcpy(dst, src + 1, h.len);
		st->head_off = ring_next(c, st->head_off);
		store_release_u64(&st->head, head + 1);
	}
	p->wait_port = 0;
	if (mi) {
		uint64_t age = time_now() - stamp;

		mi->len = h.len;
		mi->type = h.type;
		mi->age = c->kind == SK_CHAN_SAMPLING ? age : 0;
		mi->valid = c->kind != SK_CHAN_SAMPLING || age <= c->refresh;
		mi->epoch = __atomic_load_n(&st->epoch, __ATOMIC_RELAXED);
		if (flags & SK_RECV_FRESH)
			mi->fresh = fresh;
	}
	return h.len;
}

/* Is p parked on a receive that could now complete? */
int chan_ready(struct part *p)
{
	uint32_t port = __atomic_load_n(&p->wait_port, __ATOMIC_SEQ_CST);
	const struct sk_chan_state *st;

	if (!port)
		return 0;
	st = p->desc->ports[port - 1].c->st;
	return __atomic_load_n(&st->tail, __ATOMIC_ACQUIRE) != st->head;
}

long chan_notify(struct part *p, uint64_t id)
{
	const struct sk_chan_desc *c;
	long err = 0;

	c = port_chan(p, id, SK_PORT_SEND, SK_FID_CHAN_NOTIFY, &err);
	if (!c)
		return err;
	for (unsigned i = 0; i < c->nreaders; i++)
		__atomic_or_fetch(&part_get(c->readers[i])->notify_pending,
				  1UL << c->reader_port[i], __ATOMIC_RELEASE);
	return SBI_SUCCESS;
}

long chan_status(struct part *p, uint64_t id, uint64_t out)
{
	const struct sk_chan_desc *c;
	struct sk_chan_status *s;
	long err = 0;

	c = port_chan(p, id, 0, SK_FID_CHAN_STATUS, &err);
	if (!c)
		return err;
	s = (struct sk_chan_status *)part_guest_ptr(p, out, sizeof(*s), 1);
	if (!s || (out & 3))
		return monitor_deny(p, (int)(c - sk_system.chans),
				    SK_AUDIT_BAD_ADDRESS, SK_FID_CHAN_STATUS,
				    SBI_ERR_INVALID_ADDRESS);
	s->kind = c->kind;
	s->dir = p->desc->ports[id].dir;
	s->msg_size = c->msg_size;
	s->depth = c->depth;
	if (c->kind == SK_CHAN_QUEUING)
		s->count = (unsigned int)(__atomic_load_n(&c->st->tail, __ATOMIC_ACQUIRE) -
					  __atomic_load_n(&c->st->head, __ATOMIC_ACQUIRE));
	else
		s->count = c->kind == SK_CHAN_SAMPLING && c->st->seq ? 1 : 0;
	s->drops = c->st->drops;
	s->epoch = c->st->epoch;
	s->readers = c->nreaders;
	return SBI_SUCCESS;
}

/*
 * p was restarted.  Channels it writes start a new epoch that readers
 * can see, and its shared windows are cleared with the rest of its
 * memory.  Messages it had not yet read stay queued for the new run.
 */
void chan_part_restarted(struct part *p)
{
	for (unsigned i = 0; i < p->desc->nports; i++) {
		const struct sk_port *pt = &p->desc->ports[i];

		if (pt->dir == SK_PORT_SEND)
			__atomic_add_fetch(&sk_system.chans[pt->chan].st->epoch, 1,
					   __ATOMIC_RELEASE);
		else
			sample_forget(&sk_system.chans[pt->chan], p);
	}
	chan_clear_windows(p);
	p->wait_port = 0;
	p->notify_pending = 0;
	p->doorbell_armed = 0;
	proto_part_restarted(p);
}

/* Clear the shared windows p writes (at boot, and when it restarts). */
void chan_clear_windows(struct part *p)
{
	for (unsigned i = 0; i < p->desc->nports; i++) {
		const struct sk_port *pt = &p->desc->ports[i];
		const struct sk_chan_desc *c = &sk_system.chans[pt->chan];

		if (pt->dir == SK_PORT_SEND && c->kind == SK_CHAN_SHARED)
			memset((void *)c->win_hpa, 0, c->win_size);
	}
}

void chan_summary(void)
{
	for (unsigned i = 0; i < sk_system.nchans; i++) {
		const struct sk_chan_desc *c = &sk_system.chans[i];

		if (c->kind == SK_CHAN_SHARED)
			continue;
		sk_event("event=chan name=%s sent=%lu drops=%u epoch=%u",
			 c->name, c->st->tail ? c->st->tail : c->st->seq / 2UL,
			 c->st->drops, c->st->epoch);
	}
	proto_summary();
}
