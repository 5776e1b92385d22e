// SPDX-License-Identifier: MIT
/*
 * bench_pp - a ping-pong round trip over two queuing channels, timed
 * at every step.  Two copies share one hart in short slots and
 * alternate with yields: ping (role 0) sends request k on "req" and
 * yields; pong (role 1), in the next slot, receives it, sends reply k
 * on "rep" and yields; ping, in its next slot, receives the reply and
 * sends request k + 1.
 *
 * Under -icount, instret is the hart's clock, shared by both.  Each
 * partition records, in every slot:
 *   g    its first instret read in the slot, right after the ecall of
 *        its yield returns (the slot started at slot_end - length)
 *   se   the slot's end (SK_INFO_SLOT_END)
 *   r0/r1, s0/s1  instret right before / after the CHAN_RECV and the
 *        CHAN_SEND ecall (each one inline ecall between two reads)
 *   rseq, rlen, rerr  what the receive got (sequence number, length,
 *        error), sseq, serr  what it sent
 * and prints the records only after the last round.  The bench script
 * puts the round trips together from both sides.
 *
 * /config: role (0 ping, 1 pong), rounds (round trips, default 40),
 * len (message bytes, default 8).
 */
#include <stdio.h>
#include "sk.h"

#define MAX_REC	64
#define TYPE_REQ	1
#define TYPE_REP	2

struct rec {
	uint64_t g, se, r0, r1, s0, s1;
	long rerr, serr;
	uint64_t rseq, sseq, rlen;
};

static struct rec recs[MAX_REC];

/* The yield ecall, then the first instret read after it returns. */
static inline uint64_t yield_then_instret(void)
{
	register unsigned long a0 __asm__("a0") = 0;
	register unsigned long a1 __asm__("a1") = 0;
	register unsigned long a6 __asm__("a6") = SK_FID_YIELD;
	register unsigned long a7 __asm__("a7") = SK_EID;
	uint64_t t;

	__asm__ volatile("ecall\n"
			 "rdinstret %[t]\n"
			 : [t] "=r"(t), "+r"(a0), "+r"(a1)
			 : "r"(a6), "r"(a7)
			 : "memory");
	return t;
}

/* One ecall between two instret reads; returns a0 (error), *val = a1. */
#define TIMED(INSN, FID, A0, A1, A2, A3, T0, T1, VAL)			\
	({								\
		register unsigned long a0 __asm__("a0") = (A0);		\
		register unsigned long a1 __asm__("a1") = (A1);		\
		register unsigned long a2 __asm__("a2") = (A2);		\
		register unsigned long a3 __asm__("a3") = (A3);		\
		register unsigned long a4 __asm__("a4") = 0;		\
		register unsigned long a6 __asm__("a6") = (FID);	\
		register unsigned long a7 __asm__("a7") = SK_EID;	\
		__asm__ volatile("rdinstret %[t0]\n"			\
				 INSN "\n"				\
				 "rdinstret %[t1]\n"			\
				 : [t0] "=&r"(T0), [t1] "=&r"(T1),	\
				   "+r"(a0), "+r"(a1)			\
				 : "r"(a2), "r"(a3), "r"(a4), "r"(a6),	\
				   "r"(a7)				\
				 : "memory");				\
		*(VAL) = a1;						\
		(long)a0;						\
	})

int main(void)
{
	unsigned long role = sk_dt_u64("/config", "role", 0);
	unsigned long rounds = sk_dt_u64("/config", "rounds", 40);
	unsigned long len = sk_dt_u64("/config", "len", 8);
	int out = sk_chan(role ? "rep" : "req");
	int in = sk_chan(role ? "req" : "rep");
	uint64_t msg[8] __attribute__((aligned(8))) = { 0 };
	uint64_t buf[8] __attribute__((aligned(8)));
	uint64_t base = ~0UL, sent = 0, got = 0;
	unsigned long n = 0, val;
	char line[240];

	if (out < 0 || in < 0 || len < 8 || len > sizeof(msg)) {
		printf("pp error=setup in=%d out=%d len=%lu\n", in, out, len);
		return 1;
	}
	/* What the two reads around an instruction cost by themselves. */
	for (int i = 0; i < 8; i++) {
		uint64_t t0, t1;

		TIMED("nop", SK_FID_NOP, 0, 0, 0, 0, t0, t1, &val);
		if (t1 - t0 < base)
			base = t1 - t0;
	}
	/*
	 * ping: one slot per round trip plus one for the last reply.
	 * pong: answers whatever is there, until it has answered them all.
	 */
	while (n < MAX_REC && got < rounds) {
		struct rec *r = &recs[n++];

		r->g = yield_then_instret();
		r->se = (uint64_t)sk_info(SK_INFO_SLOT_END);
		r->rseq = ~0UL;
		r->sseq = ~0UL;
		r->rerr = 1;
		r->serr = 1;
		if (role || sent) {
			r->rerr = TIMED("ecall", SK_FID_CHAN_RECV,
					(unsigned long)in, (unsigned long)buf,
					sizeof(buf), 0, r->r0, r->r1, &val);
			if (!r->rerr) {
				r->rlen = val;
				r->rseq = buf[0];
				got++;
			}
		}
		if (role ? !r->rerr : sent < rounds) {
			msg[0] = role ? r->rseq : sent;
			r->serr = TIMED("ecall", SK_FID_CHAN_SEND,
					(unsigned long)out, (unsigned long)msg,
					len, role ? TYPE_REP : TYPE_REQ,
					r->s0, r->s1, &val);
			if (!r->serr) {
				r->sseq = msg[0];
				sent++;
			}
		}
	}
	snprintf(line, sizeof(line), "pp role=%s rounds=%lu len=%lu base=%lu "
		 "slots=%lu sent=%lu got=%lu\n", role ? "pong" : "ping", rounds,
		 len, (unsigned long)base, n, (unsigned long)sent,
		 (unsigned long)got);
	sk_puts(line);
	for (unsigned long k = 0; k < n; k++) {
		struct rec *r = &recs[k];

		snprintf(line, sizeof(line), "rec k=%lu g=%lu se=%lu r0=%lu r1=%lu "
			 "rerr=%ld rseq=%ld rlen=%lu s0=%lu s1=%lu serr=%ld "
			 "sseq=%ld\n", k, (unsigned long)r->g,
			 (unsigned long)r->se, (unsigned long)r->r0,
			 (unsigned long)r->r1, r->rerr, (long)r->rseq,
			 (unsigned long)r->rlen, (unsigned long)r->s0,
			 (unsigned long)r->s1, r->serr, (long)r->sseq);
		sk_puts(line);
	}
	return 0;
}
