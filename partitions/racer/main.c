// SPDX-License-Identifier: MIT
/*
 * racer - one side of a token protocol, racing the other side on
 * another hart.  The protocol (harness/systems/proto_race.toml) lets
 * either side take the token when it is free ("out.take") and only the
 * holder give it back ("out.give").  Both sides try as fast as they
 * can; the monitor's compare-and-swap must keep the table's promise:
 *   - a take that succeeded is followed by a give that succeeds (no
 *     one can move the token away from its holder);
 *   - a give after a refused take is refused (the token was not ours).
 * Anything else is counted as bad.  It drains "in" as it goes.
 * /config: rounds (default 2000).
 */
#include <stdio.h>
#include "sk.h"

#define T_TAKE	1
#define T_GIVE	2

int main(void)
{
	uint64_t rounds = sk_dt_u64("/config", "rounds", 2000);
	int out = sk_chan("out"), in = sk_chan("in");
	unsigned long took = 0, refused = 0, full = 0, bad = 0, got = 0;
	uint64_t m = 0, buf;

	if (out < 0 || in < 0) {
		printf("channels out/in not granted\n");
		return 1;
	}
	for (uint64_t i = 0; i < rounds; i++) {
		long r = sk_send(out, &m, sizeof(m), T_TAKE);

		if (r == 0) {
			took++;
			r = sk_send(out, &m, sizeof(m), T_GIVE);
			while (r == SK_ERR_FULL) {	/* still ours: retry */
				full++;
				r = sk_send(out, &m, sizeof(m), T_GIVE);
			}
			if (r)
				bad++;
		} else if (r == SK_ERR_PROTOCOL) {
			refused++;
			if (sk_send(out, &m, sizeof(m), T_GIVE) != SK_ERR_PROTOCOL)
				bad++;
		} else if (r == SK_ERR_FULL) {
			full++;
		} else {
			bad++;
		}
		m++;
		while (sk_recv(in, &buf, sizeof(buf), NULL) == sizeof(buf))
			got++;
	}
	printf("race took=%lu refused=%lu full=%lu got=%lu bad=%lu\n", took,
	       refused, full, got, bad);
	for (;;) {
		while (sk_recv(in, &buf, sizeof(buf), NULL) == sizeof(buf))
			got++;
		sk_yield();
	}
}
