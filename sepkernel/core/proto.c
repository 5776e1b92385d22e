// SPDX-License-Identifier: MIT
/*
 * proto.c - stateful channel policies: protocols as state machines.
 *
 * A protocol governs queuing channels between two partitions.  The
 * compiler turns it into a table next[state][trigger] (a trigger is one
 * channel and one type tag) and, per side, restart[state].  The monitor
 * keeps one word per protocol, its state and a count of moves, and on
 * every send on one of its channels looks the next state up: none means
 * SK_ERR_PROTOCOL and an audit record; otherwise the word moves.
 *
 * The two sides may run on different harts, and a restart (on the
 * restarted side's hart) moves the word too, so it only ever changes by
 * compare-and-swap: a move is computed from the word it replaces, and a
 * swap that finds another word computes again from that one.  No lock,
 * no heap, and a bounded retry (at most one competing sender and one
 * restart can move it under us per attempt).
 *
 * Ordering: check, then move, then enqueue.  A state must never move
 * for a message that is then not delivered, and a message must never be
 * queued that the state did not allow.  Every refusal that can happen
 * after the move is therefore taken before it: argument, size and
 * policy checks come first (chan_send), and the queue's room is checked
 * here.  A queuing channel has one writer, and only the writer adds
 * messages, so room seen by the writer stays room until it enqueues:
 * after a successful swap the enqueue cannot fail.  The swap is the
 * moment the send happens; the reader sees the message a little later,
 * when the tail is published, as for any send.
 */
#include "sk/chan.h"
#include "sk/console.h"
#include "sk/proto.h"
#include "sk_abi.h"

void proto_boot(void)
{
	for (unsigned i = 0; i < sk_system.nprotos; i++) {
		const struct sk_proto_desc *pr = &sk_system.protos[i];

		pr->st->word = pr->initial * 2;
		pr->st->denials = 0;
	}
}

/* Refusals and traces are out of line, so that the send path stays short. */
static __attribute__((noinline, cold)) long
proto_deny(struct part *p, const struct sk_chan_desc *c, unsigned state,
	   uint64_t type)
{
	__atomic_add_fetch(&c->proto->st->denials, 1, __ATOMIC_RELAXED);
	return monitor_deny_state(p, (int)(c - sk_system.chans),
				  SK_AUDIT_PROTOCOL, SK_FID_CHAN_SEND,
				  SK_ERR_PROTOCOL, (int)state, type);
}

/* One line per move, for protocols with trace = true. */
static __attribute__((noinline, cold)) void
proto_trace(struct part *p, const struct sk_chan_desc *c, uint64_t cur,
	    uint64_t nxt, unsigned col)
{
	const struct sk_proto_desc *pr = c->proto;

	part_event(p, "event=proto name=%s n=%lu from=%s to=%s on=%s part=%s",
		   pr->name, SK_PROTO_MOVES(nxt), pr->states[SK_PROTO_STATE(cur)],
		   pr->states[SK_PROTO_STATE(nxt)],
		   pr->triggers[col / pr->nstates - 1], p->desc->name);
}

/*
 * Compare-and-swap, relaxed: lr/sc until *w held cur and now holds nxt,
 * or jump to busy as soon as it is found holding something else (the
 * other side moved it first).  The sc fails only if another hart wrote
 * *w in between, and then it tries again.
 */
#define PROTO_CAS(w, cur, nxt, busy)					\
	__asm__ goto("1:\tlr.d\tt0, (%0)\n"				\
		     "\tbne\tt0, %1, %l3\n"				\
		     "\tsc.d\tt0, %2, (%0)\n"				\
		     "\tbnez\tt0, 1b"					\
		     : : "r"(w), "r"(cur), "r"(nxt) : "t0", "memory" : busy)

long proto_send(struct part *p, const struct sk_chan_desc *c, uint64_t type)
{
	const struct sk_proto_desc *pr = c->proto;
	struct sk_chan_state *cs = c->st;
	uint64_t *word = &pr->st->word;
	const uint8_t *col = (const uint8_t *)pr->delta +
			     (type < 64 ? c->proto_col[type] : 0);
	uint64_t cur, nxt, d;

	/*
	 * Room first (see above): a full queue refuses before any move.
	 * Acquire: chan_send writes the slot without checking again, so the
	 * reader's last read of it must be over before it is overwritten.
	 */
	if (cs->tail - __atomic_load_n(&cs->head, __ATOMIC_ACQUIRE) >= c->depth) {
		cs->drops++;
		return SK_ERR_FULL;
	}
	/*
	 * Relaxed too: the word orders nothing but itself.  A message's
	 * move happens before its tail is published (release), and the
	 * reader's acquire of the tail makes the move visible to its own
	 * next check, so a reply is always checked against its request's
	 * state or a later one.
	 */
again:
	cur = __atomic_load_n(word, __ATOMIC_RELAXED);
	d = *(const uint16_t *)(col + (cur & 0xff));
	if (!d)
		return proto_deny(p, c, SK_PROTO_STATE(cur), type);
	nxt = cur + d;
	PROTO_CAS(word, cur, nxt, again);	/* moved under us: again */
	if (pr->trace)
		proto_trace(p, c, cur, nxt,
			    (unsigned)(col - (const uint8_t *)pr->delta) / 2);
	return 0;
}

/*
 * The channel fast path's step (chan.c), taken after every other check
 * has passed: move the protocol word for one message of this type on c
 * if its state permits it and nobody moves the word at the same moment.
 * Returns 1 if it moved; 0 leaves everything as it was, for the full
 * send (proto_send) to decide.  A traced protocol never comes here: its
 * channels' send ports are not fast_send (the compiler's choice), so
 * every move of it is printed by proto_send.
 */
int proto_try_move(const struct sk_chan_desc *c, uint64_t type)
{
	const struct sk_proto_desc *pr = c->proto;
	uint64_t *word = &pr->st->word;
	const uint8_t *col = (const uint8_t *)pr->delta +
			     (type < 64 ? c->proto_col[type] : 0);
	uint64_t cur = __atomic_load_n(word, __ATOMIC_RELAXED);
	uint64_t d = *(const uint16_t *)(col + (cur & 0xff));

	if (!d)
		return 0;
	PROTO_CAS(word, cur, cur + d, busy);
	return 1;
busy:
	return 0;			/* the other side moved it first */
}

/*
 * p was restarted: every protocol it is a side of goes where the
 * configuration says (its initial state, a named state, or stays).
 * Always printed: restarts are rare and the reset is part of the story.
 */
void proto_part_restarted(struct part *p)
{
	for (unsigned i = 0; i < sk_system.nprotos; i++) {
		const struct sk_proto_desc *pr = &sk_system.protos[i];
		unsigned side = pr->side[0] == p->desc->id ? 0 : 1;
		uint64_t cur, nxt;
		unsigned to;

		if (pr->side[side] != p->desc->id)
			continue;
again:
		cur = __atomic_load_n(&pr->st->word, __ATOMIC_RELAXED);
		to = pr->restart[side * pr->nstates + SK_PROTO_STATE(cur)];
		nxt = (SK_PROTO_MOVES(cur) + 1) << 8 | to << 1;
		PROTO_CAS(&pr->st->word, cur, nxt, again);
		part_event(p, "event=proto name=%s n=%lu from=%s to=%s on=restart part=%s",
			   pr->name, SK_PROTO_MOVES(nxt),
			   pr->states[SK_PROTO_STATE(cur)], pr->states[to],
			   p->desc->name);
	}
}

void proto_summary(void)
{
	for (unsigned i = 0; i < sk_system.nprotos; i++) {
		const struct sk_proto_desc *pr = &sk_system.protos[i];
		uint64_t w = __atomic_load_n(&pr->st->word, __ATOMIC_RELAXED);

		sk_event("event=protocol name=%s state=%s moves=%lu denials=%u",
			 pr->name, pr->states[SK_PROTO_STATE(w)],
			 SK_PROTO_MOVES(w), pr->st->denials);
	}
}
