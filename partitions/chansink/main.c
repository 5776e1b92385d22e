// SPDX-License-Identifier: MIT
/*
 * chansink - the far end of chanedge's channels.  Every slot it empties
 * each queuing channel it reads and fills each one it writes, then
 * yields.  For every message it prints what arrived, so a test can
 * compare the same messages sent along different kernel paths:
 *
 *   got <chan> r=<returned> len= type= sum=<FNV-1a of the bytes> age=
 *       valid= epoch= fresh=
 *
 * (its sk_msg_info is filled with 0xee first: a field the kernel did not
 * write shows as 0xeeeeeeee).  The messages it writes are 16 bytes of
 * type 1: a sequence number per channel, then its complement.
 * /config: misaligned = a channel to receive into a buffer at an odd
 * address (the kernel's full path); quiet = 1: no line per message, but
 * per channel and frame "sink <chan> frame=F got=N bad=B", where bad
 * counts messages whose first word is not the sequence number expected;
 * poll = 1: never yield (alone on its hart, it drains while the writer
 * writes); restart_first = 1: restart itself once before anything else, so the
 * channels it writes are in epoch 1.
 */
#include <stdio.h>
#include <string.h>
#include "sk.h"

#define MAX_CHANS	32

struct chan {
	const char *name;
	int id;
	int recv;		/* 1: we read it, 0: we write it */
	int odd;		/* receive into a misaligned buffer */
	uint64_t seq;		/* next to send, or next expected */
	uint64_t got, bad;
};

static struct chan chans[MAX_CHANS];
static int nchans;

static uint32_t fnv(const uint8_t *p, long n)
{
	uint32_t h = 2166136261u;

	for (long i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void setup(void)
{
	const char *mis = sk_arg_str("misaligned");
	const char *name;
	char path[64];

	for (unsigned i = 0; (name = sk_dt_child("/channels", i)) &&
	     nchans < MAX_CHANS; i++) {
		struct chan *c = &chans[nchans];
		const char *kind, *dir;

		snprintf(path, sizeof(path), "/channels/%s", name);
		kind = sk_dt_str(path, "kind");
		dir = sk_dt_str(path, "direction");
		if (!kind || strcmp(kind, "queuing") || !dir)
			continue;
		c->name = name;
		c->id = sk_chan(name);
		c->recv = !strcmp(dir, "receive");
		c->odd = mis && !strcmp(mis, name);
		nchans++;
	}
}

static void drain(struct chan *c, int quiet)
{
	static uint64_t buf[4096 / 8 + 2];
	uint8_t *dst = (uint8_t *)buf + c->odd;
	struct sk_msg_info info;
	long n;

	for (;;) {
		memset(&info, 0xee, sizeof(info));
		n = sk_recv(c->id, dst, 4096, &info);
		if (n < 0)
			break;
		c->got++;
		if (quiet) {
			uint64_t w;

			memcpy(&w, dst, sizeof(w));
			if (n < 8 || w != c->seq)
				c->bad++;
			c->seq = w + 1;
			continue;
		}
		printf("got %s r=%ld len=%u type=%u sum=%08lx age=%lu valid=%u "
		       "epoch=%u fresh=%u\n", c->name, n, info.len, info.type,
		       (unsigned long)fnv(dst, n), info.age, info.valid,
		       info.epoch, info.fresh);
	}
	if (n != SK_ERR_EMPTY)
		printf("sink %s error %ld\n", c->name, n);
}

static void fill(struct chan *c)
{
	uint64_t m[2];

	for (;;) {
		m[0] = c->seq;
		m[1] = ~c->seq;
		if (sk_send(c->id, m, sizeof(m), 1))
			break;
		c->seq++;
	}
}

int main(void)
{
	int quiet = (int)sk_arg_u64("quiet", 0);
	int poll = (int)sk_arg_u64("poll", 0);
	uint64_t frame = sk_frame();

	if (sk_arg_u64("restart_first", 0) && sk_info(SK_INFO_RESTARTS) == 0)
		sk_reboot();
	setup();
	for (;;) {
		for (int i = 0; i < nchans; i++) {
			if (chans[i].recv)
				drain(&chans[i], quiet);
			else
				fill(&chans[i]);
		}
		if (quiet && sk_frame() != frame) {
			for (int i = 0; i < nchans; i++)
				if (chans[i].recv && chans[i].got)
					printf("sink %s frame=%lu got=%lu bad=%lu\n",
					       chans[i].name, (unsigned long)frame,
					       (unsigned long)chans[i].got,
					       (unsigned long)chans[i].bad);
			frame = sk_frame();
		}
		if (!poll)
			sk_yield();
	}
}
