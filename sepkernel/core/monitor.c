// SPDX-License-Identifier: MIT
/*
 * monitor.c - the security monitor's policy.  Every message the kernel
 * copies between partitions is checked against its channel's policy
 * (allowed type tags, size, rate per major frame) before it is queued;
 * every refusal becomes an audit record (audit.c).
 */
#include "sk/chan.h"
#include "sk/sched.h"
#include "sk_abi.h"

/*
 * The policy's verdict on one more message of len bytes tagged type from
 * p on c: 0, or the reason it is refused.  It changes nothing, so a send
 * asks first and counts (monitor_count) only once the message is sure to
 * be queued; r carries the frame's count between the two.
 */
int monitor_verdict(struct part *p, const struct sk_chan_desc *c,
		    uint64_t len, uint64_t type, struct monitor_rate *r)
{
	const struct sk_chan_state *st = c->st;

	if (type >= 64 || !(c->types >> type & 1))
		return SK_AUDIT_TYPE;
	if (len > c->max_size)
		return SK_AUDIT_SIZE;
	/* A count left from an earlier frame is 0 in this one. */
	r->frame = this_hart(p)->frames;
	r->count = st->rate_count;
	if (st->rate_frame != r->frame)
		r->count = 0;
	if (r->count >= c->rate_max)
		return SK_AUDIT_RATE;
	return 0;
}

/* Count a message the policy let through (every one, limit or none). */
void monitor_count(const struct sk_chan_desc *c, const struct monitor_rate *r)
{
	c->st->rate_frame = r->frame;
	c->st->rate_count = r->count + 1;
}

/* The error code a policy refusal returns: one per reason. */
long monitor_err(int reason)
{
	switch (reason) {
	case SK_AUDIT_TYPE:
		return SK_ERR_TYPE;
	case SK_AUDIT_SIZE:
		return SK_ERR_MAX_SIZE;
	case SK_AUDIT_RATE:
		return SK_ERR_RATE;
	}
	return SK_ERR_POLICY;
}
