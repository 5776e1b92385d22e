/* SPDX-License-Identifier: MIT */
/* chan.h - channels: the only route between partitions. */
#ifndef SK_CHAN_H
#define SK_CHAN_H

#include <stdint.h>
#include "sk/part.h"

void chan_boot(void);
long chan_send(struct part *p, uint64_t id, uint64_t buf, uint64_t len,
	       uint64_t type);
long chan_recv(struct part *p, uint64_t id, uint64_t buf, uint64_t cap,
	       uint64_t info, uint64_t flags);
/*
 * The same calls' common case, without a call or a stack frame: the
 * result, or CHAN_SLOW (no error code has this value) when the full
 * call must decide; then nothing has changed.
 */
#define CHAN_SLOW	(-0x10000L)
long chan_send_fast(struct part *p, uint64_t id, uint64_t buf, uint64_t len,
		    uint64_t type);
long chan_recv_fast(struct part *p, uint64_t id, uint64_t buf, uint64_t cap,
		    uint64_t info, uint64_t flags);
long chan_notify(struct part *p, uint64_t id);
long chan_status(struct part *p, uint64_t id, uint64_t out);
int chan_ready(struct part *p);
void chan_part_restarted(struct part *p);
void chan_clear_windows(struct part *p);
void chan_summary(void);

/* The security monitor: its policy (monitor.c) and records (audit.c). */
struct monitor_rate {		/* a channel's count in the writer's frame */
	uint64_t frame;
	uint32_t count;		/* messages so far */
};
int monitor_verdict(struct part *p, const struct sk_chan_desc *c,
		    uint64_t len, uint64_t type, struct monitor_rate *r);
void monitor_count(const struct sk_chan_desc *c, const struct monitor_rate *r);
long monitor_deny(struct part *p, int chan, int reason, unsigned call,
		  long err);
long monitor_err(int reason);
long monitor_deny_state(struct part *p, int chan, int reason, unsigned call,
			long err, int state, uint64_t type);
void monitor_summary(void);

/* Copy a message into a queuing or sampling channel (also the kernel's). */
long chan_put(const struct sk_chan_desc *c, const void *msg, uint32_t len,
	      uint32_t type);

#endif /* SK_CHAN_H */
