// SPDX-License-Identifier: MIT
/*
 * audit.c - the security monitor's records.  Every refusal, by a
 * channel's policy or protocol or by argument checks, becomes an audit
 * record: a console line and, if the system has one, a record on the
 * audit partition's channel.  Auditing never blocks: a full audit
 * channel is counted, and a partition flooding refusals is throttled to
 * a few records per frame, the rest counted.  Refusals are the hostile
 * partition's own time, so this is built for size.
 */
#include "arch/csr.h"
#include "sk/chan.h"
#include "sk/console.h"
#include "sk/sched.h"
#include "sk/spinlock.h"
#include "sk_abi.h"

#define AUDIT_PER_FRAME	8	/* records per partition per major frame */

#define SK_AUDIT_NAME(n, id, s) [n] = s,
static const char *const reason_names[] = { SK_AUDIT_REASONS(SK_AUDIT_NAME) };
#undef SK_AUDIT_NAME

static uint32_t audit_dropped;		/* audit channel was full */
static struct ticket_lock audit_lock;	/* the audit channel has many writers */

long monitor_deny(struct part *p, int chan, int reason, unsigned call, long err)
{
	return monitor_deny_state(p, chan, reason, call, err, -1, 0);
}

/* "sign", or the tag as a number when the channel does not name it. */
static const char *type_name(const struct sk_chan_desc *c, uint64_t type,
			     char *buf)
{
	if (type < c->ntype_names && c->type_names[type])
		return c->type_names[type];
	buf[0] = (char)('0' + type / 10 % 10);
	buf[1] = (char)('0' + type % 10);
	buf[2] = 0;
	return type < 10 ? buf + 1 : buf;	/* tags are < 64 here */
}

/*
 * A protocol's refusal on the console, the state and the type by name.
 * Out of line, so that every other refusal runs the same instructions
 * whatever the system's tables hold (a partition can time its refusals).
 */
static __attribute__((noinline, cold)) void
deny_event_proto(struct part *p, int chan, int reason, int state, uint64_t type)
{
	const struct sk_chan_desc *c = &sk_system.chans[chan];
	char num[3];

	part_event(p, "event=deny part=%s chan=%s reason=%s state=%s type=%s",
		   p->desc->name, c->name, reason_names[reason],
		   c->proto->states[state], type_name(c, type, num));
}

/*
 * A refusal.  A protocol's (state >= 0) also names the state it was
 * refused in and the message's type, on the console by name and in the
 * audit record by number.
 */
long monitor_deny_state(struct part *p, int chan, int reason, unsigned call,
			long err, int state, uint64_t type)
{
	uint64_t frame = this_hart(p)->frames;
	const char *cname = chan >= 0 ? sk_system.chans[chan].name : "-";

	p->denials++;
	if (p->audit_frame != frame) {
		p->audit_frame = frame;
		p->audit_count = 0;
	}
	if (p->audit_count >= AUDIT_PER_FRAME) {
		p->audit_suppressed++;
		return err;
	}
	p->audit_count++;
	if (state >= 0)
		deny_event_proto(p, chan, reason, state, type);
	else
		part_event(p, "event=deny part=%s chan=%s reason=%s", p->desc->name,
			   cname, reason_names[reason]);
	if (sk_system.audit_chan) {
		struct sk_audit_rec r = {
			.time = time_now(), .part = p->desc->id,
			.chan = (short)chan, .reason = (unsigned short)reason,
			.call = (unsigned short)call,
			.type = (unsigned short)(state >= 0 ? type : 0),
			.state = (short)state,
		};

		ticket_lock(&audit_lock);
		if (chan_put(&sk_system.chans[sk_system.audit_chan - 1], &r,
			     sizeof(r), 0))
			audit_dropped++;
		ticket_unlock(&audit_lock);
	}
	cons_drain(p);
	return err;
}

void monitor_summary(void)
{
	uint32_t suppressed = 0;

	for (unsigned i = 0; i < sk_system.nparts; i++)
		suppressed += part_get(i)->audit_suppressed;
	if (sk_system.audit_chan || suppressed)
		sk_event("event=audit suppressed=%u dropped=%u", suppressed,
			 audit_dropped);
}
