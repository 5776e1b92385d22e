// SPDX-License-Identifier: MIT
/*
 * spy - has no channel at all, and looks for a way to reach a neighbour
 * anyway: every channel call on every id, every INFO key, the doorbell
 * mask.  Prints what came back; all of it must say "nothing here".
 * It also times a failing call, so two runs (with a busy or an idle
 * neighbour) can be compared: the cost must not depend on the neighbour.
 */
#include <stdio.h>
#include "sk.h"

int main(void)
{
	struct sk_chan_status st;
	uint8_t buf[64];
	long other = 0, info_bad = 0;
	uint64_t t0, t1;

	for (int id = 0; id < 80; id++) {
		if (sk_send(id, buf, 8, 0) != SK_ERR_BAD_CHANNEL)
			other++;
		if (sk_recv(id, buf, sizeof(buf), NULL) != SK_ERR_BAD_CHANNEL)
			other++;
		if (sk_notify(id) != SK_ERR_BAD_CHANNEL)
			other++;
		if (sk_status(id, &st) != SK_ERR_BAD_CHANNEL)
			other++;
		if (!(id & 7))
			sk_yield();	/* keep the audit records per frame low */
	}
	for (unsigned key = SK_INFO_FRAME + 1; key < 64; key++)
		if (sk_ecall(SK_EID, SK_FID_INFO, key, 0, 0, 0).error !=
		    SBI_ERR_INVALID_PARAM)
			info_bad++;
	printf("channel calls answered otherwise: %ld\n", other);
	printf("unknown info keys answered: %ld\n", info_bad);
	printf("doorbells: %lu\n", (unsigned long)sk_notified());
	/* A line of its own would be a forgery: the kernel must defuse it. */
	printf("forge\v[sk] event=halt reason=forged\n");
	sk_yield();
	t0 = sk_time();
	for (int i = 0; i < 1000; i++)
		sk_ecall(SK_EID, SK_FID_CHAN_STATUS, 3, 0, 0, 0);
	t1 = sk_time();
	printf("1000 refused status calls took %lu ticks\n",
	       (unsigned long)(t1 - t0));
	return 0;
}
