// SPDX-License-Identifier: MIT
/*
 * keystore - holds a key and answers requests on "req" with replies on
 * "rep": open (the password) -> ok or fail, sign (data) -> sig (a toy
 * 64-bit keyed hash, not cryptography), close -> ok.  It trusts the
 * security monitor to keep the conversation in order: it keeps no
 * session state of its own.  Types as configs/keystore.toml names them.
 * /config: password (default "s3cret"); rogue = 1 sends a signature
 * nobody asked for first (the monitor must refuse it); reboot_after = N
 * restarts itself (once) reboot_delay slots (default 10) after its Nth
 * request.
 */
#include <stdio.h>
#include <string.h>
#include "sk.h"

#define T_OPEN		1
#define T_SIGN		2
#define T_CLOSE		3
#define R_OK		1
#define R_FAIL		2
#define R_SIG		3

static const char *const req_names[] = { "?", "open", "sign", "close" };
static const char *const rep_names[] = { "?", "ok", "fail", "sig" };

static uint64_t keyed_hash(const char *data, size_t len)
{
	uint64_t h = 0xcbf29ce484222325UL ^ 0x6b657973746f7265UL;	/* the key */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)data[i]) * 0x100000001b3UL;
	return h;
}

static void answer(int rep, unsigned type, const void *msg, size_t len)
{
	long r = sk_send(rep, msg, len, type);

	printf("reply %s -> %ld\n", rep_names[type], r);
}

int main(void)
{
	const char *pw = sk_arg_str("password");
	uint64_t reboot_after = sk_arg_u64("reboot_after", 0);
	uint64_t reboot_delay = sk_arg_u64("reboot_delay", 10);
	int req = sk_chan("req"), rep = sk_chan("rep");
	unsigned long served = 0;
	char buf[64];

	if (!pw)
		pw = "s3cret";
	if (req < 0 || rep < 0) {
		printf("channels req/rep not granted\n");
		return 1;
	}
	if (sk_arg_u64("rogue", 0) && !sk_info(SK_INFO_RESTARTS)) {
		uint64_t forged = 0x5eed;

		answer(rep, R_SIG, &forged, sizeof(forged));
	}
	for (;;) {
		struct sk_msg_info mi;
		long n = sk_recv_wait(req, buf, sizeof(buf) - 1, &mi);

		if (n < 0) {
			printf("recv error %ld\n", n);
			continue;
		}
		buf[n] = 0;
		printf("got %s\n", mi.type < 4 ? req_names[mi.type] : "?");
		if (mi.type == T_OPEN) {
			answer(rep, strcmp(buf, pw) ? R_FAIL : R_OK, "", 0);
		} else if (mi.type == T_SIGN) {
			uint64_t sig = keyed_hash(buf, (size_t)n);

			answer(rep, R_SIG, &sig, sizeof(sig));
		} else {
			answer(rep, R_OK, "", 0);
		}
		if (++served == reboot_after && !sk_info(SK_INFO_RESTARTS)) {
			for (uint64_t i = 0; i < reboot_delay; i++)
				sk_yield();
			printf("rebooting\n");
			sk_reboot();
		}
	}
}
