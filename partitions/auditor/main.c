// SPDX-License-Identifier: MIT
/*
 * auditor - the audit partition: receives the kernel's audit records on
 * its read-only channel "audit" and prints each one.
 */
#include <stdio.h>
#include "sk.h"

static const char *const reasons[] = {
#define X(n, id, s) [n] = s,
	SK_AUDIT_REASONS(X)
#undef X
};

int main(void)
{
	int ch = sk_chan("audit");
	struct sk_audit_rec r;

	if (ch < 0) {
		printf("no audit channel\n");
		return 1;
	}
	for (;;) {
		long n = sk_recv_wait(ch, &r, sizeof(r), NULL);

		if (n != sizeof(r)) {
			printf("recv error %ld\n", n);
			continue;
		}
		printf("audit part=%u chan=%d reason=%s", r.part, r.chan,
		       r.reason < sizeof(reasons) / sizeof(reasons[0]) &&
		       reasons[r.reason] ? reasons[r.reason] : "?");
		if (r.state >= 0)	/* a protocol's: where and what */
			printf(" state=%d type=%u", r.state, r.type);
		printf("\n");
	}
}
