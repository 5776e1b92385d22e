// SPDX-License-Identifier: MIT
/*
 * plicheck - drives its virtual PLIC (plic = true) register by register,
 * as a PLIC driver would, and checks what the kernel answers: priorities
 * and the threshold clamp to 3 bits, source 0 and absent sources read
 * zero, pending bits are read-only, a claim returns the most urgent
 * enabled source above the threshold (the lowest id on a tie) and holds
 * it until completed, a doorbell is consumed by its claim, the UART's
 * line is a level, and the hart sees it all as sip.SEIP, then as a real
 * supervisor external interrupt.
 *
 * Doorbells come from a partner on demand: mode = 1 is the ringer, which
 * rings "bell" each time a message arrives on "ask".  mode = 2 measures
 * (instret, for make bench) N claims and N priority writes against the
 * same loop on RAM.  Then one hostile
 * access per run (its restart count), each a contained fault; after a
 * restart the PLIC must be back to its reset state.
 */
#include <stdio.h>
#include "sk.h"
#include "sk_plic.h"

#define PLIC		SK_PLIC_BASE
#define PRIO(s)		SK_PLIC_PRIO(s)
#define PENDING(w)	SK_PLIC_PENDING(w)
#define ENABLE(w)	SK_PLIC_ENABLE(w)
#define THRESHOLD	SK_PLIC_THRESHOLD
#define CLAIM		SK_PLIC_CLAIM
#define UART_IER	0x10000001UL
#define UART_IIR	0x10000002UL
#define SIE_SEIE	SK_SIE_SEIE
#define SRC_UART	1

static unsigned long checks, bad;
static uint32_t SRC_BELL;	/* from its device tree: 2 + its port id */
static int ask;
static volatile unsigned long irqs, irq_src;

#define rd(a)		sk_plic_read(a)
#define wr(a, v)	sk_plic_write((a), (v))

/*
 * Is the external interrupt line up?  Not read from sip: QEMU 7.2 shows
 * a VS-mode guest only SSIP there.  Unmask it for a moment instead and
 * see whether the hart takes it (the handler masks it again at once).
 */
static volatile int probing, probed;

static int seip(void)
{
	probing = 1;
	probed = 0;
	__asm__ volatile("csrs sie, %0\n\tcsrsi sstatus, 2\n\tnop\n\t"
			 "csrci sstatus, 2" :: "r"(SIE_SEIE) : "memory");
	probing = 0;
	return probed;
}

/* A source's pending bit, in whichever 32-bit word holds it. */
static int pend(uint32_t src)
{
	return rd(PENDING(src / 32)) >> (src % 32) & 1;
}

/* Enable exactly these two sources (each in its own word). */
static void enable2(uint32_t a, uint32_t b)
{
	wr(ENABLE(0), 0);
	wr(ENABLE(1), 0);
	wr(ENABLE(a / 32), rd(ENABLE(a / 32)) | 1U << (a % 32));
	wr(ENABLE(b / 32), rd(ENABLE(b / 32)) | 1U << (b % 32));
}

static void check(const char *what, uint64_t got, uint64_t want)
{
	checks++;
	if (got != want) {
		bad++;
		printf("FAIL %s: got 0x%lx want 0x%lx\n", what,
		       (unsigned long)got, (unsigned long)want);
	}
}

/* Ask the ringer for a doorbell and wait (a few slots at most) for it:
 * pending, or already taken by the interrupt handler. */
static void ring(void)
{
	unsigned long taken = irqs;
	char c = 'r';

	sk_send(ask, &c, 1, 0);
	for (int i = 0; i < 20 && !pend(SRC_BELL) &&
	     irqs == taken; i++)
		sk_yield();
	check("doorbell rang", irqs != taken || pend(SRC_BELL), 1);
}

/* Register by register: write (if w) val, then read back want. */
static const struct {
	const char *what;
	uint64_t addr;
	int w;
	uint32_t val, want;
} regs[] = {
	{ "priority at reset", PRIO(1), 0, 0, 0 },
	{ "priority", PRIO(1), 1, 5, 5 },
	{ "priority clamps to 7", PRIO(2), 1, 9, 7 },
	{ "source 0 has no priority", PRIO(0), 1, 3, 0 },
	{ "absent source reads 0", PRIO(100), 1, 3, 0 },
	{ "enable of absent sources", ENABLE(3), 1, 0xffffffff, 0 },
	{ "threshold clamps to 7", THRESHOLD, 1, 10, 7 },
	{ "pending is read-only", PENDING(0), 1, 0xffffffff, 0 },
};

/* The sources it has: its UART (1) and one per channel (2 + id). */
static uint64_t sources(void)
{
	uint64_t have = sk_dt_prop("/soc/serial@10000000", "compatible", 0) ?
			1UL << SRC_UART : 0;

	for (unsigned i = 0; sk_dt_child("/channels", i); i++)
		have |= 1UL << (2 + i);
	return have;
}

static void registers(void)
{
	uint64_t have = sources();

	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		if (regs[i].w)
			wr(regs[i].addr, regs[i].val);
		check(regs[i].what, rd(regs[i].addr), regs[i].want);
	}
	/* Enable bits only for sources it has: source 0 and absent ones are
	 * hardwired to zero, as on a PLIC with fewer sources. */
	wr(ENABLE(0), 0xffffffff);
	check("enable, sources 0..31 it has", rd(ENABLE(0)), (uint32_t)have);
	wr(ENABLE(1), 0xffffffff);
	check("enable, sources 32..63 it has", rd(ENABLE(1)),
	      (uint32_t)(have >> 32));
	wr(ENABLE(0), 0);
	wr(ENABLE(1), 0);
	wr(THRESHOLD, 0);
	check("claim with nothing pending", rd(CLAIM), 0);
	check("no line raised", seip(), 0);
}

static void claims(void)
{
	wr(PRIO(SRC_UART), 5);
	wr(PRIO(SRC_BELL), 1);
	enable2(SRC_UART, SRC_BELL);

	/* The UART's transmitter-empty interrupt: a level. */
	*(volatile uint8_t *)UART_IER = 0x02;
	check("uart line pending", pend(SRC_UART), 1);
	check("seip raised", seip(), 1);
	check("claim uart", rd(CLAIM), SRC_UART);
	check("claimed: seip down", seip(), 0);
	check("level still pending", pend(SRC_UART), 1);
	check("iir says thri", *(volatile uint8_t *)UART_IIR & 0x0f, 0x02);
	check("uart line down", pend(SRC_UART), 0);
	wr(CLAIM, SRC_UART);

	/* A doorbell, masked by the threshold, then taken. */
	ring();
	check("doorbell raises seip", seip(), 1);
	wr(THRESHOLD, 1);
	check("threshold masks it", seip(), 0);
	check("claim under threshold", rd(CLAIM), 0);
	wr(THRESHOLD, 0);
	check("claim doorbell", rd(CLAIM), SRC_BELL);
	check("claim consumed it", pend(SRC_BELL), 0);
	check("seip down", seip(), 0);
	wr(CLAIM, SRC_BELL);

	/* Priority order, then the lowest id on a tie. */
	*(volatile uint8_t *)UART_IER = 0;
	*(volatile uint8_t *)UART_IER = 0x02;
	ring();
	wr(PRIO(SRC_UART), 1);
	wr(PRIO(SRC_BELL), 3);
	check("higher priority first", rd(CLAIM), SRC_BELL);
	check("then the other", rd(CLAIM), SRC_UART);
	check("both held", rd(CLAIM), 0);
	wr(CLAIM, SRC_UART);
	wr(CLAIM, SRC_BELL);
	wr(PRIO(SRC_BELL), 1);
	ring();
	check("a tie: lowest id", rd(CLAIM), SRC_UART);
	check("then the doorbell", rd(CLAIM), SRC_BELL);
	wr(CLAIM, SRC_BELL);
	(void)*(volatile uint8_t *)UART_IIR;	/* acknowledges THRI */
	*(volatile uint8_t *)UART_IER = 0;
	wr(CLAIM, SRC_UART);
	check("all quiet", pend(SRC_UART) | pend(SRC_BELL), 0);
}

void sk_on_external(void)
{
	uint32_t src;

	if (probing) {
		probed = 1;
		__asm__ volatile("csrc sie, %0" :: "r"(SIE_SEIE));
		return;
	}
	while ((src = rd(CLAIM))) {
		irqs++;
		irq_src = src;
		wr(CLAIM, src);
	}
}

static void interrupt(void)
{
	__asm__ volatile("csrs sie, %0\n\tcsrsi sstatus, 2" :: "r"(SIE_SEIE));
	ring();		/* taken by the handler as soon as it is pending */
	check("external interrupts taken", irqs, 1);
	check("from the doorbell", irq_src, SRC_BELL);
	__asm__ volatile("csrci sstatus, 2\n\tcsrc sie, %0" :: "r"(SIE_SEIE));
}

/* One hostile access per run; each must be a contained fault. */
static void hostile(long n)
{
	uint64_t v = 0;

	switch (n) {
	case 0:
		printf("hostile byte\n");
		v = *(volatile uint8_t *)PRIO(1);
		break;
	case 1:
		printf("hostile double\n");
		v = *(volatile uint64_t *)PENDING(0);
		break;
	case 2:
		printf("hostile context1\n");
		v = rd(THRESHOLD + 0x1000);
		break;
	case 3:
		printf("hostile last_word\n");
		wr(PLIC + 0x3fffffc, 1);
		break;
	case 4:
		printf("hostile amo\n");
		__asm__ volatile("amoswap.w %0, %1, (%2)"
				 : "=r"(v) : "r"(1), "r"(CLAIM) : "memory");
		break;
	default:
		printf("hostile done\n");
		sk_exit(0);
	}
	printf("survived 0x%lx\n", (unsigned long)v);
}

static inline uint64_t rd_instret(void)
{
	uint64_t v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

#define BENCH_N 100

static void bench(void)
{
	static volatile uint32_t ram_word;
	uint64_t t, base, claim, prio;

	for (int r = 0; r < 5; r++) {
		sk_yield();		/* start of a fresh slot */
		t = rd_instret();
		for (int i = 0; i < BENCH_N; i++)
			(void)ram_word;
		base = rd_instret() - t;
		t = rd_instret();
		for (int i = 0; i < BENCH_N; i++)
			(void)rd(CLAIM);	/* nothing pending: 0 */
		claim = rd_instret() - t;
		t = rd_instret();
		for (int i = 0; i < BENCH_N; i++)
			wr(PRIO(1), 1);
		prio = rd_instret() - t;
		printf("plicbench n=%d base=%lu claim=%lu prio=%lu t_end=%lu "
		       "slot_end=%lu\n", BENCH_N, (unsigned long)base,
		       (unsigned long)claim, (unsigned long)prio,
		       (unsigned long)sk_time(),
		       (unsigned long)sk_info(SK_INFO_SLOT_END));
	}
	sk_exit(0);
}

static void ringer(void)
{
	int in = sk_chan("ask"), bell = sk_chan("bell");
	char c;

	for (;;) {
		if (sk_recv_wait(in, &c, 1, 0) >= 0)
			sk_notify(bell);
	}
}

int main(void)
{
	long run = sk_info(SK_INFO_RESTARTS);

	if (sk_dt_u64("/config", "mode", 0) == 1)
		ringer();
	if (sk_dt_u64("/config", "mode", 0) == 2)
		bench();
	if (run) {
		check("reset: priority", rd(PRIO(1)), 0);
		check("reset: enable", rd(ENABLE(0)), 0);
	} else {
		const uint32_t *irq = sk_dt_prop("/channels/bell",
						 "interrupts-extended", 0);

		ask = sk_chan("ask");
		SRC_BELL = irq ? __builtin_bswap32(irq[1]) : 0;
		check("bell's source in the tree", SRC_BELL, 2 + sk_chan("bell"));
		__asm__ volatile("csrci sstatus, 2");
		sk_irq_init();	/* the vector; sie.SEIE stays off but in probes */
		__asm__ volatile("csrci sstatus, 2");
		registers();
		claims();
		interrupt();
	}
	printf("plic checks %lu bad %lu\n", checks, bad);
	hostile(run);
	return 0;
}
