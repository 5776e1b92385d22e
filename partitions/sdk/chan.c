// SPDX-License-Identifier: MIT
/*
 * chan.c - channels from the partition's side.  A channel is named in
 * the configuration; the partition finds its id (an index into its own
 * grants) under /channels/<name> in its device tree.
 */
#include <stdio.h>
#include "sk.h"

/* "/channels/<name>" into path; 0 if the name does not fit. */
static int chan_path(char *path, size_t size, const char *name)
{
	static const char pre[] = "/channels/";
	size_t n = 0;

	while (pre[n]) {
		path[n] = pre[n];
		n++;
	}
	while (*name && n < size - 1)
		path[n++] = *name++;
	path[n] = 0;
	return !*name;
}

int sk_chan_find(const char *name)
{
	char path[64];

	if (!chan_path(path, sizeof(path), name))
		return SK_ERR_BAD_CHANNEL;
	return (int)sk_dt_u64(path, "id", (uint64_t)SK_ERR_BAD_CHANNEL);
}

/*
 * A program asked for a channel it was not granted: say so on its
 * console, with what it does have, instead of a silent -1 that fails
 * later as a bad id.
 */
static void chan_missing(const char *name, const char *call)
{
	const char *c;

	printf("sk: %s(\"%s\"): not granted to %s (it has:", call, name,
	       sk_name());
	for (unsigned i = 0; (c = sk_dt_child("/channels", i)); i++)
		printf(" %s", c);
	if (!sk_dt_child("/channels", 0))
		printf(" none");
	printf("); fix: a [[channel]] with %s in from/to\n", sk_name());
}

int sk_chan(const char *name)
{
	int id = sk_chan_find(name);

	if (id < 0)
		chan_missing(name, "sk_chan");
	return id;
}

long sk_send(int ch, const void *msg, size_t len, unsigned type)
{
	return sk_ecall(SK_EID, SK_FID_CHAN_SEND, (unsigned long)ch,
			(unsigned long)msg, len, type).error;
}

static long recv(int ch, void *buf, size_t cap, struct sk_msg_info *info,
		 unsigned long flags)
{
	register unsigned long a4 __asm__("a4") = flags;
	register unsigned long r0 __asm__("a0") = (unsigned long)ch;
	register unsigned long r1 __asm__("a1") = (unsigned long)buf;
	register unsigned long r2 __asm__("a2") = cap;
	register unsigned long r3 __asm__("a3") = (unsigned long)info;
	register unsigned long r6 __asm__("a6") = SK_FID_CHAN_RECV;
	register unsigned long r7 __asm__("a7") = SK_EID;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(a4), "r"(r6), "r"(r7)
			 : "memory");
	return (long)r0 ? (long)r0 : (long)r1;
}

/* Returns the message length, or a negative error (SK_ERR_EMPTY...). */
long sk_recv(int ch, void *buf, size_t cap, struct sk_msg_info *info)
{
	return recv(ch, buf, cap, info, info ? SK_RECV_FRESH : 0);
}

/* As sk_recv, but waits (giving its slots away) until a message comes. */
long sk_recv_wait(int ch, void *buf, size_t cap, struct sk_msg_info *info)
{
	return recv(ch, buf, cap, info,
		    SK_RECV_BLOCK | (info ? SK_RECV_FRESH : 0));
}

long sk_notify(int ch)
{
	return sk_ecall(SK_EID, SK_FID_CHAN_NOTIFY, (unsigned long)ch, 0, 0,
			0).error;
}

long sk_status(int ch, struct sk_chan_status *st)
{
	return sk_ecall(SK_EID, SK_FID_CHAN_STATUS, (unsigned long)ch,
			(unsigned long)st, 0, 0).error;
}

uint64_t sk_notified(void)
{
	return (uint64_t)sk_info(SK_INFO_NOTIFIED);
}

void *sk_window(const char *name, size_t *size)
{
	char path[64];
	int len;
	const uint8_t *reg = NULL;

	if (chan_path(path, sizeof(path), name))
		reg = sk_dt_prop(path, "reg", &len);
	if (!reg || len != 16) {
		chan_missing(name, "sk_window");
		return NULL;
	}
	if (size)
		*size = (size_t)((uint64_t)reg[8] << 56 | (uint64_t)reg[9] << 48 |
				 (uint64_t)reg[10] << 40 | (uint64_t)reg[11] << 32 |
				 (uint64_t)reg[12] << 24 | (uint64_t)reg[13] << 16 |
				 (uint64_t)reg[14] << 8 | reg[15]);
	return (void *)((uint64_t)reg[0] << 56 | (uint64_t)reg[1] << 48 |
			(uint64_t)reg[2] << 40 | (uint64_t)reg[3] << 32 |
			(uint64_t)reg[4] << 24 | (uint64_t)reg[5] << 16 |
			(uint64_t)reg[6] << 8 | reg[7]);
}
