// SPDX-License-Identifier: MIT
/*
 * chanedge - attacks the channel hypercalls' fast paths (chan.c
 * chan_send_fast/chan_recv_fast, trap.S .Lanswered) at their edges, and
 * prints every answer for harness/test_chan_fastpath.py to compare.
 * chansink is the far end of every channel.
 *
 * role = "probe" (default), one phase after another, a frame or more each:
 *   regs    every register set to a pattern around fast and full channel
 *           calls (edge_ecall, regs.S): all but a0/a1 must come back,
 *           a0/a1 must be the answer  -> "regs <case> a0= a1= bad= odd="
 *   bounds  buffers and sk_msg_info at the very edges of RAM
 *           -> "<what> -> a0= a1=" (+ "seq=" or an info line)
 *   equiv   one list of (len, type) sent on fa (aligned: the fast path
 *           where it can), fm (from an odd address: always the full
 *           path) and fp (a traced protocol: never the fast send)
 *           -> "eq <chan> <i> -> <code>"
 *   sizes   messages of exactly msg_size = 120, 72 and 8 bytes, then
 *           one a word longer -> "size <n> seed <s> -> <code>"
 *   proto   an untraced protocol (fast sends) on a queue of depth 2
 *           until it is full -> "proto codes=..."
 *   rate    max_per_frame = 5 on "rated", fast, full and mixed
 *           -> "rate <how> codes=... frames=<frames it took>"
 * /config phases = "regs,equiv" runs only those (default: all).
 * role = "flood": as many messages on "bulk" (no rate limit) as fit one
 * frame -> "flood frame=F sent=N full=K other=0"; before that, given a
 * channel "rated", its limit over two slots of one frame -> "rate slots
 * codes=...", and given "ratefull", full refusals against the limit ->
 * "rate full codes=...".  spin = 1: send count messages instead, trying again at
 * once on a full queue (the reader drains it from another hart),
 * whatever frame it is.
 */
#include <stdio.h>
#include <string.h>
#include "sk.h"

#define RAM_BASE	0x80000000UL
#define DTB_BASE	0x7fe00000UL

void edge_ecall(uint64_t *regs);

struct r2 {
	long a0, a1;
};

/* A channel call with all of a0..a4 (sk_ecall stops at a3). */
static struct r2 hc(uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2,
		    uint64_t a3, uint64_t a4)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r3 __asm__("a3") = a3;
	register uint64_t r4 __asm__("a4") = a4;
	register uint64_t r6 __asm__("a6") = fid;
	register uint64_t r7 __asm__("a7") = SK_EID;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7)
			 : "memory");
	return (struct r2){ (long)r0, (long)r1 };
}

static struct r2 send(int ch, const void *buf, uint64_t len, uint64_t type)
{
	return hc(SK_FID_CHAN_SEND, ch, (uint64_t)buf, len, type, 0);
}

static struct r2 recv(int ch, uint64_t buf, uint64_t cap, uint64_t info,
		      uint64_t flags)
{
	return hc(SK_FID_CHAN_RECV, ch, buf, cap, info, flags);
}

/* Byte j of a message made from seed s (the test computes the same). */
static void pattern(uint8_t *p, uint64_t n, unsigned s)
{
	for (uint64_t j = 0; j < n; j++)
		p[j] = (uint8_t)(s * 37 + j * 11 + 5);
}

static uint64_t rng = 0x9e3779b97f4a7c15UL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void drain(int ch)
{
	static uint64_t b[64];

	while (recv(ch, (uint64_t)b, sizeof(b), 0, 0).a0 == 0)
		;
}

/* ---- regs --------------------------------------------------------------- */

struct rcase {
	const char *name;
	uint64_t fid;
	int *ch;		/* channel id (a0), or NULL: a0 = arg0 */
	uint64_t arg0;
	uint64_t buf;		/* a1 */
	uint64_t a2, a3, a4;
};

struct rres {
	long want0, want1;	/* first round's answer, printed */
	unsigned bad, odd, rounds;
};

static int rs, rr, samp, fa, fm, fp, fu, rated, w120, w72, w8;
static uint64_t abuf[16], bbuf[16];	/* aligned buffers */
static struct sk_msg_info rinfo;
static struct sk_chan_status rstat;

#define AB	((uint64_t)abuf)
#define BB	((uint64_t)bbuf)
#define RI	((uint64_t)&rinfo)

static struct rcase rcases[] = {
	/* rr holds 8 messages of 16 bytes, rs is empty */
	{ "recv_fresh", SK_FID_CHAN_RECV, &rr, 0, AB, 64, RI, SK_RECV_FRESH },
	{ "recv_noinfo", SK_FID_CHAN_RECV, &rr, 0, AB, 64, 0, 0 },
	{ "recv_info_nofresh", SK_FID_CHAN_RECV, &rr, 0, AB, 64, RI, 0 },
	{ "recv_block_ready", SK_FID_CHAN_RECV, &rr, 0, AB, 64, RI,
	  SK_RECV_BLOCK | SK_RECV_FRESH },
	{ "recv_misaligned", SK_FID_CHAN_RECV, &rr, 0, AB + 1, 64, RI,
	  SK_RECV_FRESH },
	{ "recv_short", SK_FID_CHAN_RECV, &rr, 0, AB, 8, RI, SK_RECV_FRESH },
	{ "recv_odd_cap", SK_FID_CHAN_RECV, &rr, 0, AB, 17, RI, SK_RECV_FRESH },
	{ "recv_drained", SK_FID_CHAN_RECV, &rr, 0, AB, 64, RI, SK_RECV_FRESH },
	/* parks (full path), the sink refills rr, the same ecall runs again
	 * on the edge's next slot and the fast path answers it */
	{ "recv_block_parked", SK_FID_CHAN_RECV, &rr, 0, AB, 64, RI,
	  SK_RECV_BLOCK | SK_RECV_FRESH },
	{ "send_fast", SK_FID_CHAN_SEND, &rs, 0, BB, 16, 1, 0 },
	{ "send_odd_len", SK_FID_CHAN_SEND, &rs, 0, BB, 13, 1, 0 },
	{ "send_misaligned", SK_FID_CHAN_SEND, &rs, 0, BB + 1, 16, 1, 0 },
	{ "send_fast_last", SK_FID_CHAN_SEND, &rs, 0, BB, 16, 1, 0 },
	{ "send_full", SK_FID_CHAN_SEND, &rs, 0, BB, 16, 1, 0 },
	{ "send_bad_type", SK_FID_CHAN_SEND, &rs, 0, BB, 16, 2, 0 },
	{ "send_sampling", SK_FID_CHAN_SEND, &samp, 0, BB, 16, 1, 0 },
	{ "nop", SK_FID_NOP, NULL, 0, 0, 0, 0, 0 },
	{ "info_part_id", SK_FID_INFO, NULL, SK_INFO_PART_ID, 0, 0, 0, 0 },
	{ "status", SK_FID_CHAN_STATUS, &rs, 0, (uint64_t)&rstat, 0, 0, 0 },
};
#define NRCASES	(sizeof(rcases) / sizeof(rcases[0]))
static struct rres rres[NRCASES];

static void regs_case(const struct rcase *c, struct rres *res)
{
	uint64_t in[32], out[32];

	for (int i = 0; i < 32; i++)
		in[i] = next();
	in[0] = 0;
	in[10] = c->ch ? (uint64_t)*c->ch : c->arg0;
	in[11] = c->buf;
	in[12] = c->a2;
	in[13] = c->a3;
	in[14] = c->a4;
	in[16] = c->fid;
	in[17] = SK_EID;
	memcpy(out, in, sizeof(out));
	edge_ecall(out);
	for (int i = 1; i < 32; i++) {
		if (i == 10 || i == 11 || out[i] == in[i])
			continue;
		if (res->bad++ < 4)
			printf("regs %s: x%d 0x%lx != 0x%lx\n", c->name, i,
			       (unsigned long)out[i], (unsigned long)in[i]);
	}
	if (!res->rounds++) {
		res->want0 = (long)out[10];
		res->want1 = (long)out[11];
	} else if ((long)out[10] != res->want0 || (long)out[11] != res->want1) {
		res->odd++;
	}
}

static void phase_regs(unsigned rounds)
{
	for (unsigned r = 0; r < rounds; r++) {
		for (unsigned i = 0; i < NRCASES; i++) {
			if (!strcmp(rcases[i].name, "recv_drained"))
				drain(rr);
			regs_case(&rcases[i], &rres[i]);
		}
		sk_yield();	/* the sink refills rr and empties rs */
	}
	for (unsigned i = 0; i < NRCASES; i++)
		printf("regs %s a0=%ld a1=%ld bad=%u odd=%u\n", rcases[i].name,
		       rres[i].want0, rres[i].want1, rres[i].bad,
		       rres[i].odd);
}

/* ---- bounds ------------------------------------------------------------- */

static void show(const char *what, struct r2 r)
{
	printf("%s -> a0=%ld a1=%ld\n", what, r.a0, r.a1);
}

/* A receive from rr (the sink's 16-byte messages): also its sequence. */
static void show_recv(const char *what, struct r2 r, uint64_t buf)
{
	uint64_t seq = 0;

	if (!r.a0)
		memcpy(&seq, (void *)buf, sizeof(seq));
	printf("%s -> a0=%ld a1=%ld seq=%lu\n", what, r.a0, r.a1,
	       (unsigned long)seq);
}

static void show_info(uint64_t at)
{
	const struct sk_msg_info *mi = (const struct sk_msg_info *)at;

	printf("info len=%u type=%u age=%lu valid=%u epoch=%u\n", mi->len,
	       mi->type, mi->age, mi->valid, mi->epoch);
}

static void phase_bounds(void)
{
	uint64_t end = RAM_BASE + sk_ram_size();
	extern char __image_end[];
	static struct sk_msg_info mi;

	if ((uint64_t)__image_end > end - 4096) {
		printf("bounds: no room at the end of RAM\n");
		return;
	}
	pattern((uint8_t *)(end - 64), 64, 9);
	show("send ending at the last byte of RAM",
	     send(rs, (void *)(end - 16), 16, 1));
	show("send a word past the end of RAM",
	     send(rs, (void *)(end - 8), 16, 1));
	show("send a byte past the end of RAM",
	     send(rs, (void *)(end - 15), 16, 1));
	show("send an odd length a byte past the end of RAM",
	     send(rs, (void *)(end - 16), 17, 1));
	show("send from just below RAM", send(rs, (void *)(RAM_BASE - 8), 8, 1));
	show("send from far above RAM",
	     send(rs, (void *)0xfffffffffffffff8UL, 16, 1));
	show("send a length that wraps",
	     send(rs, (void *)(RAM_BASE + 8), 0UL - 8, 1));
	show("send from the device tree", send(rs, (void *)DTB_BASE, 8, 1));
	sk_yield();	/* the console shows 8 refusals a frame: keep below */

	show_recv("receive ending at the last byte of RAM",
		  recv(rr, end - 16, 16, 0, 0), end - 16);
	show_recv("receive a word past the end of RAM",
		  recv(rr, end - 8, 16, 0, 0), end - 8);
	show_recv("receive into just below RAM",
		  recv(rr, RAM_BASE - 8, 8, 0, 0), RAM_BASE - 8);
	show_recv("receive with a capacity that wraps",
		  recv(rr, end - 16, 0UL - 8, 0, 0), end - 16);
	show_recv("receive a capacity past the end of RAM",
		  recv(rr, end - 64, 72, 0, 0), end - 64);
	sk_yield();

	memset((void *)(end - 32), 0xee, 32);
	show_recv("info in the last 32 bytes with FRESH",
		  recv(rr, AB, 64, end - 32, SK_RECV_FRESH), AB);
	show_info(end - 32);
	printf("info fresh=%u\n", ((struct sk_msg_info *)(end - 32))->fresh);
	memset((void *)(end - 32), 0xee, 32);
	show_recv("info in the last 24 bytes without FRESH",
		  recv(rr, AB, 64, end - 24, 0), AB);
	show_info(end - 24);
	show_recv("info in the last 24 bytes with FRESH",
		  recv(rr, AB, 64, end - 24, SK_RECV_FRESH), AB);
	show_recv("info in the last 16 bytes without FRESH",
		  recv(rr, AB, 64, end - 16, 0), AB);
	show_recv("info just below RAM",
		  recv(rr, AB, 64, RAM_BASE - 8, 0), AB);
	show_recv("info at the end of RAM", recv(rr, AB, 64, end, 0), AB);
	show_recv("info misaligned", recv(rr, AB, 64, end - 31, 0), AB);
	memset(&mi, 0xee, sizeof(mi));
	show_recv("info without FRESH inside RAM",
		  recv(rr, AB, 64, (uint64_t)&mi, 0), AB);
	printf("info fresh=0x%x reserved=0x%x\n", mi.fresh, mi.reserved);
	show_recv("receive after the refusals", recv(rr, AB, 64, 0, 0), AB);
}

/* ---- equiv -------------------------------------------------------------- */

static const uint64_t eq_len[] = {
	8, 16, 24, 64, 72, 65, 80, 1, 7, 0, 8, 8, 56, 40,
	8, (1UL << 32) | 8, 48,
};
static const uint64_t eq_type[] = {
	1, 0, 63, 1, 1, 1, 1, 1, 63, 0, 64, 2, 0, 63,
	(1UL << 32) | 1, 1, 1,
};
#define NEQ	(sizeof(eq_len) / sizeof(eq_len[0]))

static void phase_equiv(void)
{
	static uint64_t src[16];
	const int *chans[] = { &fa, &fm, &fp };
	const char *names[] = { "fa", "fm", "fp" };

	for (int k = 0; k < 3; k++) {
		for (unsigned i = 0; i < NEQ; i++) {
			uint8_t *b = (uint8_t *)src + (k == 1);
			uint64_t n = eq_len[i] > 96 ? 96 : eq_len[i];

			pattern(b, n, i);
			printf("eq %s %u -> %ld\n", names[k], i,
			       send(*chans[k], b, eq_len[i], eq_type[i]).a0);
		}
		sk_yield();	/* 7 refusals each: all on the console */
	}
}

/* ---- sizes -------------------------------------------------------------- */

static void phase_sizes(void)
{
	static uint64_t src[17];
	const int *chans[] = { &w120, &w72, &w8 };
	const unsigned sizes[] = { 120, 72, 8 };

	for (int k = 0; k < 3; k++) {
		for (unsigned s = 1; s <= 3; s++) {
			pattern((uint8_t *)src, sizes[k], 100 + s);
			printf("size %u seed %u -> %ld\n", sizes[k], 100 + s,
			       send(*chans[k], src, sizes[k], 1).a0);
		}
		/* max_size is msg_size here: a word more is too long */
		printf("size %u plus 8 -> %ld\n", sizes[k],
		       send(*chans[k], src, sizes[k] + 8, 1).a0);
	}
}

/* ---- proto: an untraced protocol on the fast path ---------------------- */

static void proto_frame(unsigned sends)
{
	static uint64_t m[1];
	char codes[64];
	size_t n = 0;

	for (unsigned i = 0; i < sends; i++)
		n += snprintf(codes + n, sizeof(codes) - n, "%s%ld", i ? "," : "",
			      send(fu, m, 8, 1).a0);
	printf("proto codes=%s\n", codes);
}

/* ---- rate --------------------------------------------------------------- */

/* One frame of sends on "rated": how[i] 'a' aligned (fast), 'm' odd (full). */
static void rate_frame(const char *how)
{
	static uint64_t src[2];
	char codes[128];
	size_t n = 0;
	uint64_t f = sk_wait_next_frame();

	for (const char *h = how; *h; h++) {
		long r = send(rated, (uint8_t *)src + (*h == 'm'), 8, 1).a0;

		n += snprintf(codes + n, sizeof(codes) - n, "%s%ld",
			      h == how ? "" : ",", r);
	}
	printf("rate %s codes=%s frames=%lu\n", how, codes,
	       (unsigned long)(sk_frame() - f));
}

static void phase_rate(void)
{
	rate_frame("aaaaaaa");
	rate_frame("mmmmmmm");
	rate_frame("amamamam");
	rate_frame("aaaaaaa");
}

/* ---- flood -------------------------------------------------------------- */

/*
 * Six sends in one frame on ch, yielding to the sink (which drains it)
 * before send number yield_at -> "rate <tag> codes=...".
 * "rated", max_per_frame = 5, yield_at 3: 3 pass in the first slot, then
 * 2 pass and 1 is refused in the second (the count is the frame's, not
 * the slot's).  "ratefull", depth 2, max_per_frame = 3, yield_at 4: two
 * pass, two find it full, one more passes after the drain and the next
 * is refused: only a queued message counts against the rate.
 */
static void rate_slots(int ch, int yield_at, const char *tag)
{
	uint64_t f = sk_wait_next_frame();
	uint64_t seq = 0;	/* the sink checks the sequence */
	long r[6];

	for (int i = 0; i < 6; i++) {
		if (i == yield_at)
			sk_yield();	/* the sink's slot, then our second */
		r[i] = send(ch, &seq, 8, 1).a0;
		seq += !r[i];
	}
	printf("rate %s codes=%ld,%ld,%ld,%ld,%ld,%ld frames=%lu\n", tag, r[0],
	       r[1], r[2], r[3], r[4], r[5], (unsigned long)(sk_frame() - f));
}

static void flood(void)
{
	static uint64_t m[1];
	int bulk = sk_chan("bulk");
	int spin = (int)sk_arg_u64("spin", 0);	/* its reader is on another hart */
	uint64_t count = sk_arg_u64("count", 1000);
	int rated_ch = sk_chan_find("rated");
	uint64_t f;

	int full_ch = sk_chan_find("ratefull");
	if (rated_ch >= 0)
		rate_slots(rated_ch, 3, "slots");
	if (full_ch >= 0)
		rate_slots(full_ch, 4, "full");
	f = sk_wait_next_frame();
	unsigned long sent = 0, full = 0, other = 0;

	/* spin: a fixed count, however many frames the host's load makes it */
	while (spin ? sent < count : sk_frame() == f) {
		long r;

		m[0] = sent;
		r = send(bulk, m, 8, 1).a0;
		if (!r) {
			sent++;
		} else if (r == SK_ERR_FULL) {
			full++;
			if (!spin)	/* its reader runs in the next slot */
				sk_yield();
		} else if (other++ < 4) {
			printf("flood error %ld after %lu\n", r, sent);
		}
	}
	printf("flood frame=%lu sent=%lu full=%lu other=%lu\n",
	       (unsigned long)f, sent, full, other);
}

/* Is phase name in the comma-separated list (none: every phase)? */
static int wanted(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (!list)
		return 1;
	for (const char *p = list; *p; p++) {
		if ((p == list || p[-1] == ',') && !strncmp(p, name, n) &&
		    (p[n] == ',' || !p[n]))
			return 1;
	}
	return 0;
}

int main(void)
{
	const char *role = sk_arg_str("role");
	const char *phases = sk_arg_str("phases");

	if (role && !strcmp(role, "flood")) {
		flood();
		return 0;
	}
	/* The channels a phase does not use may be absent. */
	rs = sk_chan_find("rs");
	rr = sk_chan_find("rr");
	samp = sk_chan_find("samp");
	fa = sk_chan_find("fa");
	fm = sk_chan_find("fm");
	fp = sk_chan_find("fp");
	fu = sk_chan_find("fu");
	rated = sk_chan_find("rated");
	w120 = sk_chan_find("w120");
	w72 = sk_chan_find("w72");
	w8 = sk_chan_find("w8");
	pattern((uint8_t *)bbuf, sizeof(bbuf), 3);
	do			/* the sink (perhaps restarting) fills rr first */
		sk_yield();
	while (rr >= 0 && (sk_status(rr, &rstat) || rstat.count < rstat.depth));
	if (wanted(phases, "regs"))
		phase_regs((unsigned)sk_arg_u64("rounds", 4));
	if (wanted(phases, "bounds")) {
		phase_bounds();
		sk_yield();
	}
	if (wanted(phases, "equiv")) {
		phase_equiv();
		sk_yield();
	}
	if (wanted(phases, "sizes"))
		phase_sizes();
	if (wanted(phases, "proto")) {
		proto_frame(4);		/* depth 2: two pass, two find it full */
		sk_yield();
		proto_frame(3);
	}
	if (wanted(phases, "rate"))
		phase_rate();
	printf("done\n");
	return 0;
}
