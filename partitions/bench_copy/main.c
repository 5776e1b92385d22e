// SPDX-License-Identifier: MIT
/*
 * bench_copy - shared-window throughput against a plain copy in RAM.
 *
 * The writer (role 0) fills a buffer in its own RAM, then, at the start
 * of a fresh slot, copies it `reps` times into another buffer in its
 * own RAM and `reps` times into its shared window "win", alternating
 * (RAM first in even repetitions, the window first in odd ones), with
 * the same copy loop.  Each copy is timed with instret and the time CSR.
 * Under -icount instret counts instructions (every mode, idle too: the
 * partition is alone on its hart); without -icount QEMU's instret reads
 * the host's cycle counter, so the same records give a wall-clock ratio.
 * The reader (role 1) waits for the writer's doorbell, rung after the
 * copies, and checksums the window, so the bench script can check that
 * the bytes arrived.
 *
 * /config: role (0 writer, 1 reader), kib (bytes to copy / 1024,
 * default 64), reps (default 8).
 */
#include <stdio.h>
#include "sk.h"

#define MAX_KIB		256
#define MAX_REPS	32

static uint8_t src[MAX_KIB * 1024] __attribute__((aligned(4096)));
static uint8_t dst[MAX_KIB * 1024] __attribute__((aligned(4096)));

struct rec {
	uint64_t ram_i, ram_t, win_i, win_t;
};

static struct rec recs[MAX_REPS];

static inline uint64_t rd_instret(void)
{
	uint64_t v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

static uint64_t checksum(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < len; i += 8)
		sum = (sum ^ *(const uint64_t *)(p + i)) * 0x100000001b3UL;
	return sum;
}

/*
 * The copy: 8-byte loads and stores, 64 bytes per iteration (19
 * instructions), in assembly so that both destinations run exactly the
 * same code.  (picolibc's memcpy here copies byte by byte.)  len is a
 * non-zero multiple of 64, both pointers 8-byte aligned.
 */
static void copy_words(void *to, const void *from, size_t len)
{
	const uint8_t *end = (const uint8_t *)from + len;

	__asm__ volatile("1:\n"
			 "ld t0, 0(%[s])\n"
			 "ld t1, 8(%[s])\n"
			 "ld t2, 16(%[s])\n"
			 "ld t3, 24(%[s])\n"
			 "sd t0, 0(%[d])\n"
			 "sd t1, 8(%[d])\n"
			 "sd t2, 16(%[d])\n"
			 "sd t3, 24(%[d])\n"
			 "ld t0, 32(%[s])\n"
			 "ld t1, 40(%[s])\n"
			 "ld t2, 48(%[s])\n"
			 "ld t3, 56(%[s])\n"
			 "sd t0, 32(%[d])\n"
			 "sd t1, 40(%[d])\n"
			 "sd t2, 48(%[d])\n"
			 "sd t3, 56(%[d])\n"
			 "addi %[s], %[s], 64\n"
			 "addi %[d], %[d], 64\n"
			 "bltu %[s], %[e], 1b\n"
			 : [s] "+r"(from), [d] "+r"(to)
			 : [e] "r"(end)
			 : "t0", "t1", "t2", "t3", "memory");
}

/* One timed copy: instret and time deltas. */
static void timed_copy(void *to, const void *from, size_t len, uint64_t *di,
		       uint64_t *dt)
{
	uint64_t t0 = sk_time(), i0 = rd_instret();

	copy_words(to, from, len);
	*di = rd_instret() - i0;
	*dt = sk_time() - t0;
}

int main(void)
{
	unsigned long role = sk_dt_u64("/config", "role", 0);
	unsigned long kib = sk_dt_u64("/config", "kib", 64);
	unsigned long reps = sk_dt_u64("/config", "reps", 8);
	size_t wsize = 0, len;
	uint8_t *win = sk_window("win", &wsize);
	uint64_t x = 0x9e3779b97f4a7c15UL, empty = ~0UL, slot_end, t_end;

	if (!win) {
		printf("copy error=no_window\n");
		return 1;
	}
	if (kib > MAX_KIB)
		kib = MAX_KIB;
	if (reps > MAX_REPS)
		reps = MAX_REPS;
	len = (kib * 1024 < wsize ? kib * 1024 : wsize) & ~63UL;
	if (!len) {
		printf("copy error=empty_window\n");
		return 1;
	}
	if (role) {		/* wait for the writer's doorbell */
		while (!sk_notified())
			sk_yield();
		printf("copy role=read bytes=%lu sum=%016lx\n",
		       (unsigned long)len, (unsigned long)checksum(win, len));
		return 0;
	}
	for (size_t i = 0; i < len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		*(uint64_t *)(src + i) = x;
	}
	sk_yield();		/* all the copies in one fresh slot */
	slot_end = (uint64_t)sk_info(SK_INFO_SLOT_END);
	for (int i = 0; i < 8; i++) {	/* two reads with nothing between */
		uint64_t i0 = rd_instret(), i1 = rd_instret();

		if (i1 - i0 < empty)
			empty = i1 - i0;
	}
	for (unsigned long k = 0; k < reps; k++) {
		struct rec *r = &recs[k];

		if (k & 1) {
			timed_copy(win, src, len, &r->win_i, &r->win_t);
			timed_copy(dst, src, len, &r->ram_i, &r->ram_t);
		} else {
			timed_copy(dst, src, len, &r->ram_i, &r->ram_t);
			timed_copy(win, src, len, &r->win_i, &r->win_t);
		}
	}
	t_end = sk_time();
	sk_notify(sk_chan("win"));
	printf("copy role=write bytes=%lu reps=%lu empty=%lu sum=%016lx "
	       "ram_sum=%016lx win_sum=%016lx t_end=%lu slot_end=%lu\n",
	       (unsigned long)len, reps, (unsigned long)empty,
	       (unsigned long)checksum(src, len),
	       (unsigned long)checksum(dst, len),
	       (unsigned long)checksum(win, len), (unsigned long)t_end,
	       (unsigned long)slot_end);
	for (unsigned long k = 0; k < reps; k++)
		printf("rep k=%lu ram_i=%lu win_i=%lu ram_t=%lu win_t=%lu\n", k,
		       (unsigned long)recs[k].ram_i, (unsigned long)recs[k].win_i,
		       (unsigned long)recs[k].ram_t,
		       (unsigned long)recs[k].win_t);
	return 0;
}
