// SPDX-License-Identifier: MIT
/*
 * racer - one side of a token protocol, racing the other side on
 * another hart.  The protocol (harness/systems/proto_race.toml) lets
 * either side take the token when it is free ("<out>.take") and only
 * the holder give it back ("<out>.give").  Both sides try as fast as
 * they can and hold the token a little while (every other time across
 * the end of their slot, so that the other side surely runs and tries
 * while it is held, even when QEMU runs the harts in turns); the
 * monitor's
 * compare-and-swap must keep the table's promise:
 *   - a take that succeeded is followed by a give that succeeds (no
 *     one can move the token away from its holder);
 *   - a give after a refused take is refused (the token was not ours).
 * Anything else is counted as bad.  It drains its inbound channel as it
 * goes.  Both sides race for the same time (so that neither finishes
 * while the other still sends), then drain a few slots and stop.
 * /config: ms (how long to race, default 100), hold (busy-loop
 * iterations while it holds the token, default 300), yields (how often,
 * in percent, it holds across or waits for a slot end, default 50: 0
 * hammers the other hart without pause), out and in
 * (channel names, default "l2r" and "r2l"), seed (of its choices
 * between holding across a slot end or not, default 1).
 */
#include <stdio.h>
#include "sk.h"

#define T_TAKE		1
#define T_GIVE		2
#define FULL_TRIES	50	/* a full queue while holding: yield and retry */

static int in;
static unsigned long got;
static uint64_t seed;

/* xorshift64: a different but reproducible pattern on each side. */
static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static void drain(void)
{
	uint64_t buf;

	while (sk_recv(in, &buf, sizeof(buf), NULL) == sizeof(buf))
		got++;
}

int main(void)
{
	uint64_t until = sk_time() + sk_arg_u64("ms", 100) * 1000 *
			 SK_TICKS_PER_US;
	uint64_t hold = sk_arg_u64("hold", 300);
	uint64_t yields = sk_arg_u64("yields", 50);	/* percent */
	const char *on = sk_arg_str("out");
	const char *inn = sk_arg_str("in");
	int out = sk_chan(on ? on : "l2r");
	unsigned long took = 0, refused = 0, full = 0, bad = 0;
	uint64_t m = 0;

	in = sk_chan(inn ? inn : "r2l");
	seed = sk_arg_u64("seed", 1) | 1;
	if (out < 0 || in < 0) {
		printf("channels not granted\n");
		return 1;
	}
	while (sk_time() < until) {
		long r = sk_send(out, &m, sizeof(m), T_TAKE);

		if (r == 0) {
			took++;
			if (rnd() % 100 < yields)	/* hold across a slot */
				sk_yield();
			else
				for (volatile uint64_t k = rnd() % hold; k; k--)
					;
			r = sk_send(out, &m, sizeof(m), T_GIVE);
			for (int t = 0; r == SK_ERR_FULL && t < FULL_TRIES; t++) {
				full++;		/* still ours: let the reader drain */
				drain();
				sk_yield();
				r = sk_send(out, &m, sizeof(m), T_GIVE);
			}
			if (r)
				bad++;
		} else if (r == SK_ERR_PROTOCOL) {
			refused++;
			if (sk_send(out, &m, sizeof(m), T_GIVE) != SK_ERR_PROTOCOL)
				bad++;
			if (rnd() % 100 < yields)	/* wait for the next slot */
				sk_yield();
		} else if (r == SK_ERR_FULL) {
			full++;
		} else {
			bad++;
		}
		m++;
		drain();
	}
	printf("race took=%lu refused=%lu full=%lu bad=%lu\n", took, refused,
	       full, bad);
	for (int i = 0; i < 10; i++) {
		drain();
		sk_yield();
	}
	printf("race done got=%lu\n", got);
	sk_exit(0);
}
