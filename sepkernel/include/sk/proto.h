/* SPDX-License-Identifier: MIT */
/* proto.h - stateful channel policies: protocols as state machines. */
#ifndef SK_PROTO_H
#define SK_PROTO_H

#include <stdint.h>
#include "sk/part.h"

void proto_boot(void);
/* c->proto is set: check the send against the protocol and move it. */
long proto_send(struct part *p, const struct sk_chan_desc *c, uint64_t type);
int proto_try_move(const struct sk_chan_desc *c, uint64_t type);
void proto_part_restarted(struct part *p);
void proto_summary(void);

#endif /* SK_PROTO_H */
