// SPDX-License-Identifier: MIT
/*
 * gwkeys - the trusted half of configs/gateway.toml: a keystore that
 * holds a key nobody else can read and answers requests from an untrusted
 * Linux on "req" with replies on "rep", ringing rep's doorbell so the
 * Linux driver's blocking read wakes at once.
 *
 * A request is struct gw_req (seq, len, data); the reply is struct gw_rep
 * with the same seq and a keyed 64-bit MAC of the data (a toy keyed hash,
 * not cryptography).  Types: sign = 1, mac = 2; the policy on "req"
 * allows only those, so a "dump" (type 3) never arrives here.  It serves
 * everything queued, then gives its slot away; it prints a line per
 * `report` requests served (default 1000), and "alive" every `alive`
 * idle slots (default 0: never), so a scenario sees it carry on.
 * stamp = 1 (needs [system] counters) puts its instret into each reply,
 * for the bench's doorbell-to-wakeup figure.
 *
 * With a "stream" channel (Linux -> keystore, struct gw_blk) it also
 * takes in a stream of numbered blocks, slowly on purpose: one per slot,
 * so a Linux writer outruns it and its blocking writes wait for room.  At
 * a block marked last it prints how many came and how many were out of
 * sequence (a lost or reordered block).
 */
#include <stdio.h>
#include "sk.h"

struct gw_req {
	uint32_t seq;
	uint32_t len;
	uint8_t data[56];
};

struct gw_rep {
	uint32_t seq;
	uint32_t type;
	uint64_t mac;
	uint64_t stamp;	/* with stamp = 1: instret as it replied (bench) */
};

struct gw_blk {
	uint32_t seq;
	uint32_t last;
	uint64_t value;
};

static const uint64_t key = 0x6b657973746f7265UL;	/* never leaves */

static uint64_t keyed_hash(uint32_t type, const uint8_t *d, uint32_t len)
{
	uint64_t h = 0xcbf29ce484222325UL ^ key ^ type;

	for (uint32_t i = 0; i < len; i++)
		h = (h ^ d[i]) * 0x100000001b3UL;
	return h;
}

int main(void)
{
	int req = sk_chan("req"), rep = sk_chan("rep");
	uint64_t report = sk_arg_u64("report", 1000);
	uint64_t alive = sk_arg_u64("alive", 0);
	uint64_t stamp = sk_arg_u64("stamp", 0);
	uint64_t served = 0, idle = 0;
	int stream = sk_chan_find("stream");	/* optional: no console line */
	uint32_t blocks = 0, skew = 0;
	struct gw_rep r;
	int pend = 0;		/* r found rep full: send it before anything */

	if (req < 0 || rep < 0)
		return 1;
	printf("gwkeys: ready\n");
	for (;;) {
		struct gw_req q;
		struct sk_msg_info mi;
		int any = 0;
		long err;

		/*
		 * A reply that finds rep full (a Linux that does not read its
		 * replies) waits for room, and no request is taken meanwhile:
		 * the keystore never drops an answer.
		 */
		while (pend || sk_recv(req, &q, sizeof(q), &mi) >= 0) {
			if (!pend) {
				r.seq = q.seq;
				r.type = mi.type;
				r.mac = keyed_hash(mi.type, q.data,
						   q.len > sizeof(q.data) ? 0 : q.len);
				r.stamp = 0;
				if (stamp)
					__asm__ volatile("rdinstret %0" : "=r"(r.stamp));
			}
			err = sk_send(rep, &r, sizeof(r), r.type);
			pend = err == SK_ERR_FULL;
			if (pend)
				break;
			if (err)
				printf("gwkeys: reply %u lost (%ld)\n", r.seq, err);
			any = 1;
			if (++served % report == 0)
				printf("gwkeys: served %lu\n", (unsigned long)served);
		}
		if (stream >= 0) {
			struct gw_blk b;

			if (sk_recv(stream, &b, sizeof(b), &mi) >= 0) {
				skew += b.seq != blocks;
				blocks++;
				if (b.last) {
					printf("gwkeys: stream %u blocks, out of sequence %u\n",
					       blocks, skew);
					blocks = skew = 0;
				}
			}
		}
		if (any)
			sk_notify(rep);
		else if (alive && ++idle % alive == 0)
			printf("gwkeys: alive, served %lu\n", (unsigned long)served);
		sk_yield();
	}
}
