// SPDX-License-Identifier: MIT
/*
 * ksclient - a keystore client that follows a script, so that scenarios
 * can make it obey its protocol or break it.  /config: script, steps
 * separated by spaces:
 *   open:PW    send req.open with the password PW, wait for the reply
 *   sign:TEXT  send req.sign, wait for the signature
 *   close      send req.close, wait for the reply
 *   raw:T      send a request of type tag T and do not wait
 *   wait:N     give N slots away
 *   reboot     restart itself (SBI SRST); the script then resumes after
 *              this step (the Nth reboot step is skipped after N restarts)
 * Every send prints what it returned (0, or SK_ERR_PROTOCOL = -110 when
 * the security monitor refused it), every reply what came.  Types as
 * configs/keystore.toml names them: req open=1 sign=2 close=3,
 * rep ok=1 fail=2 sig=3.
 */
#include <stdio.h>
#include <string.h>
#include "sk.h"

#define T_OPEN		1
#define T_SIGN		2
#define T_CLOSE		3
#define REPLY_FRAMES	20	/* give up waiting for a reply after this */

static const char *const rep_names[] = { "?", "ok", "fail", "sig" };
static int req, rep;

static void reply(void)
{
	struct sk_msg_info mi;
	uint64_t sig = 0;
	long n = SK_ERR_EMPTY;

	for (int i = 0; i < REPLY_FRAMES && n == SK_ERR_EMPTY; i++) {
		n = sk_recv(rep, &sig, sizeof(sig), &mi);
		if (n == SK_ERR_EMPTY)
			sk_yield();
	}
	if (n < 0) {
		printf("no reply (%ld)\n", n);
		return;
	}
	if (mi.type == 3)
		printf("reply sig=%08lx\n", (unsigned long)sig);
	else
		printf("reply %s\n", mi.type < 4 ? rep_names[mi.type] : "?");
}

static void request(const char *what, unsigned type, const char *arg,
		    size_t len, int wait)
{
	long r = sk_send(req, arg, len, type);

	printf("send %s -> %ld\n", what, r);
	if (!r && wait)
		reply();
}

int main(void)
{
	const char *script = sk_arg_str("script");
	long skip = sk_info(SK_INFO_RESTARTS);
	char step[64];

	req = sk_chan("req");
	rep = sk_chan("rep");
	if (!script || req < 0 || rep < 0) {
		printf("no script or channels\n");
		return 1;
	}
	while (*script) {
		size_t n = strcspn(script, " ");
		const char *arg;

		if (n >= sizeof(step))
			n = sizeof(step) - 1;
		memcpy(step, script, n);
		step[n] = 0;
		script += n;
		script += strspn(script, " ");
		if (!n)
			continue;
		if (skip > 0) {		/* resume after the reboot we did */
			if (!strcmp(step, "reboot"))
				skip--;
			continue;
		}
		arg = strchr(step, ':');
		arg = arg ? arg + 1 : "";
		if (!strncmp(step, "open:", 5))
			request("open", T_OPEN, arg, strlen(arg), 1);
		else if (!strncmp(step, "sign:", 5))
			request("sign", T_SIGN, arg, strlen(arg), 1);
		else if (!strcmp(step, "close"))
			request("close", T_CLOSE, "", 0, 1);
		else if (!strncmp(step, "raw:", 4))
			request(step, (unsigned)(arg[0] - '0'), "x", 1, 0);
		else if (!strncmp(step, "wait:", 5))
			for (int i = arg[0] - '0'; i > 0; i--)
				sk_yield();
		else if (!strcmp(step, "reboot")) {
			printf("rebooting\n");
			sk_reboot();
		} else
			printf("bad step %s\n", step);
	}
	printf("script done\n");
	for (;;)
		sk_yield();
}
