// SPDX-License-Identifier: MIT
/*
 * bench_chan - cost of a queuing-channel send and receive, with the
 * security monitor's policy check on every send.  Two copies of this
 * program share one hart: the writer (role 0) and the reader (role 1).
 *
 * In each round the writer, at the start of a fresh slot (after a
 * yield), makes n CHAN_SEND calls of 8 bytes on "c8" and n of 64 bytes
 * on "c64" in a burst (both queues are deep enough for the whole
 * burst); the reader, in its slot right after, makes n CHAN_RECV calls
 * on each, draining them.  As in bench_hcall, each burst is a loop
 * measured with instret, next to the same loop with a `nop` where the
 * ecall is: the difference divided by n is what one call costs, from
 * the ecall to the instruction after it.  The SDK wrappers (sk_send,
 * sk_recv) are not part of the figure.  Every round records its slot
 * end, so a round cut by a slot boundary is seen and dropped by the
 * bench script.  Figures are printed only after the last round.
 *
 * /config: role (0 writer, 1 reader), n (calls per burst, default
 * 1000), rounds (default 5).
 */
#include <stdio.h>
#include <string.h>
#include "sk.h"

#define MAX_ROUNDS	16
#define TYPE		1	/* the type tag the channels' policy allows */

static inline uint64_t rd_instret(void)
{
	uint64_t v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

/*
 * n iterations of: load the five argument registers, INSN, fold the
 * error (a0) into err and the value (a1, the length received) into
 * sum.  The `nop` and `ecall` versions are identical but for INSN.
 */
struct burst {
	uint64_t instret;
	unsigned long err;	/* OR of every a0: 0 if every call succeeded */
	unsigned long sum;	/* sum of every a1 */
};

#define LOOP(INSN, FID, A0, A1, A2, A3, OUT)				\
	do {								\
		register unsigned long a0 __asm__("a0");		\
		register unsigned long a1 __asm__("a1");		\
		register unsigned long a2 __asm__("a2");		\
		register unsigned long a3 __asm__("a3");		\
		register unsigned long a4 __asm__("a4");		\
		register unsigned long a6 __asm__("a6") = (FID);	\
		register unsigned long a7 __asm__("a7") = SK_EID;	\
		unsigned long cnt = n, err = 0, sum = 0;		\
		uint64_t t = rd_instret();				\
		__asm__ volatile("1:\n"					\
				 "mv a0, %[x0]\n"			\
				 "mv a1, %[x1]\n"			\
				 "mv a2, %[x2]\n"			\
				 "mv a3, %[x3]\n"			\
				 "li a4, 0\n"				\
				 INSN "\n"				\
				 "or %[e], %[e], a0\n"			\
				 "add %[s], %[s], a1\n"			\
				 "addi %[c], %[c], -1\n"		\
				 "bnez %[c], 1b\n"			\
				 : [c] "+r"(cnt), [e] "+r"(err),	\
				   [s] "+r"(sum), "=&r"(a0), "=&r"(a1),	\
				   "=&r"(a2), "=&r"(a3), "=&r"(a4)	\
				 : [x0] "r"(A0), [x1] "r"(A1),		\
				   [x2] "r"(A2), [x3] "r"(A3),		\
				   "r"(a6), "r"(a7)			\
				 : "memory");				\
		(OUT)->instret = rd_instret() - t;			\
		(OUT)->err = err;					\
		(OUT)->sum = sum;					\
	} while (0)

static void burst_nop(unsigned long n, struct burst *b)
{
	LOOP("nop", SK_FID_NOP, 0UL, 0UL, 0UL, 0UL, b);
}

static void burst_send(unsigned long n, int ch, const void *msg,
		       unsigned long len, struct burst *b)
{
	LOOP("ecall", SK_FID_CHAN_SEND, (unsigned long)ch, (unsigned long)msg,
	     len, (unsigned long)TYPE, b);
}

static void burst_recv(unsigned long n, int ch, void *buf, unsigned long cap,
		       struct sk_msg_info *info, struct burst *b)
{
	LOOP("ecall", SK_FID_CHAN_RECV, (unsigned long)ch, (unsigned long)buf,
	     cap, (unsigned long)info, b);
}

static uint64_t msg[8] = {
	0x0807060504030201UL, 0x100f0e0d0c0b0a09UL, 0x1817161514131211UL,
	0x201f1e1d1c1b1a19UL, 0x2827262524232221UL, 0x302f2e2d2c2b2a29UL,
	0x3837363534333231UL, 0x403f3e3d3c3b3a39UL,
};

int main(void)
{
	unsigned long role = sk_dt_u64("/config", "role", 0);
	unsigned long n = sk_dt_u64("/config", "n", 1000);
	unsigned long rounds = sk_dt_u64("/config", "rounds", 5);
	int c8 = sk_chan("c8"), c64 = sk_chan("c64");
	struct burst base[MAX_ROUNDS], b8[MAX_ROUNDS], b64[MAX_ROUNDS];
	uint64_t t_end[MAX_ROUNDS], slot_end[MAX_ROUNDS];
	uint64_t buf[8] __attribute__((aligned(8)));
	struct sk_msg_info info;
	int ok = 1;

	if (rounds > MAX_ROUNDS)
		rounds = MAX_ROUNDS;
	if (c8 < 0 || c64 < 0) {
		printf("chan error=no_channel c8=%d c64=%d\n", c8, c64);
		return 1;
	}
	for (unsigned long k = 0; k < rounds; k++) {
		sk_yield();		/* start in a fresh slot */
		slot_end[k] = (uint64_t)sk_info(SK_INFO_SLOT_END);
		burst_nop(n, &base[k]);
		if (role == 0) {
			burst_send(n, c8, msg, 8, &b8[k]);
			burst_send(n, c64, msg, 64, &b64[k]);
		} else {
			memset(buf, 0, sizeof(buf));
			burst_recv(n, c8, buf, sizeof(buf), &info, &b8[k]);
			ok &= buf[0] == msg[0] && info.len == 8 &&
			      info.type == TYPE;
			burst_recv(n, c64, buf, sizeof(buf), &info, &b64[k]);
			ok &= !memcmp(buf, msg, 64) && info.len == 64;
		}
		t_end[k] = sk_time();
	}
	printf("chan role=%s n=%lu rounds=%lu content_ok=%d\n",
	       role ? "recv" : "send", n, rounds, role ? ok : 1);
	for (unsigned long k = 0; k < rounds; k++)
		printf("round k=%lu base=%lu c8=%lu c64=%lu err8=%ld err64=%ld "
		       "sum8=%lu sum64=%lu t_end=%lu slot_end=%lu\n", k,
		       (unsigned long)base[k].instret,
		       (unsigned long)b8[k].instret,
		       (unsigned long)b64[k].instret, (long)b8[k].err,
		       (long)b64[k].err, b8[k].sum, b64[k].sum,
		       (unsigned long)t_end[k], (unsigned long)slot_end[k]);
	return 0;
}
