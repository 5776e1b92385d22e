// SPDX-License-Identifier: MIT
/*
 * uartcheck - reaches its virtual 16550 with every integer load and
 * store form the kernel's decoder knows (lb lh lw ld lbu lhu lwu, sb sh
 * sw sd, c.lw c.ld c.sw c.sd, c.lwsp c.ldsp c.swsp c.sdsp), with every
 * register as destination or source (x0, sp, gp, tp and s0-s11
 * included), and checks the value moved and that every other register
 * survived.  Each instruction is written into uc_slot (run.S), which
 * runs it with all 31 registers set from a pattern.
 *
 * Then the hostile part, one case per run (its restart count): accesses
 * the device does not support, FP and atomic accesses, an access that
 * spans the page end, and an instruction the kernel cannot read back.
 * Each must end in a contained fault.  /config: mode = 1 makes a
 * partition without a UART touch it once (a plain fault, as before);
 * mode = 2 reads typed lines through SBI getchar, DBCN read and the
 * UART's RBR; mode = 3 polls all three and reports anything it gets
 * (it is not the console_input partition: it must get nothing);
 * mode = 4 measures (instret, for make bench) N stores to THR, to SCR
 * and N loads of LSR against the same loop storing to RAM.
 */
#include <stdio.h>
#include "sk.h"

#define UART	0x10000000UL
#define DLL	0		/* with LCR.DLAB: 8-bit read-write */
#define LCR	3
#define SCR	7		/* scratch: 8-bit read-write */

struct frame {
	uint64_t pat[32];
	uint64_t out[32];
	uint64_t sp;
};

void uc_run(struct frame *f);
void uc_stale(uint64_t *pte, uint64_t uart);
extern uint32_t uc_slot[];

static volatile uint8_t *const reg = (volatile uint8_t *)UART;
static uint64_t rng = 0x9e3779b97f4a7c15UL;
static unsigned long tests, bad;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Encoders, with offset 0 (compressed) or a small one (full). */
static uint32_t i_load(unsigned f3, unsigned rd, unsigned rs1, unsigned off)
{
	return off << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x03;
}

static uint32_t s_store(unsigned f3, unsigned rs2, unsigned rs1, unsigned off)
{
	return (off >> 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
	       (off & 31) << 7 | 0x23;
}

/* c.lw c.ld c.sw c.sd: f3 2, 3, 6, 7; registers x8..x15. */
static uint32_t c_mem(unsigned f3, unsigned r, unsigned rs1)
{
	return f3 << 13 | (rs1 - 8) << 7 | (r - 8) << 2;
}

/* c.lwsp c.ldsp (rd at 11:7), c.swsp c.sdsp (rs2 at 6:2). */
static uint32_t c_sp(unsigned f3, unsigned r)
{
	return f3 << 13 | (f3 >= 6 ? r << 2 : r << 7) | 2;
}

static const char *const load_names[] = {
	"lb", "lh", "lw", "ld", "lbu", "lhu", "lwu",
};

/*
 * Run insn (len 2 or 4) with a fresh pattern; base register b holds
 * the UART's address (+ base_off).  Loads check rd; stores read the
 * register back.  Every other register must be unchanged.
 */
static void check(const char *name, uint32_t insn, int store, unsigned width,
		  int sign, unsigned r, unsigned b, unsigned off)
{
	struct frame f;
	uint8_t val = 0x80 | (uint8_t)(next() & 0x7f);
	uint64_t want = 0;
	unsigned target = width == 1 ? SCR : DLL;
	unsigned errs = 0;

	for (int i = 0; i < 32; i++)
		f.pat[i] = next();
	f.pat[0] = 0;
	f.pat[b] = UART + target - off;
	if (!store) {
		reg[target] = val;
		want = sign && width == 1 ? (uint64_t)(int64_t)(int8_t)val : val;
	}
	if ((insn & 3) == 3)
		uc_slot[0] = insn;
	else
		uc_slot[0] = (insn & 0xffff) | 0x0001u << 16;	/* + c.nop */
	__asm__ volatile("fence.i" ::: "memory");
	uc_run(&f);
	tests++;
	for (unsigned i = 1; i < 32; i++) {
		uint64_t exp = (!store && i == r) ? want : f.pat[i];

		if (f.out[i] != exp) {
			printf("FAIL %s x%u: x%u = 0x%lx, expected 0x%lx\n", name, r,
			       i, (unsigned long)f.out[i], (unsigned long)exp);
			errs++;
		}
	}
	if (store && reg[target] != (uint8_t)f.pat[r]) {
		printf("FAIL %s x%u: register holds 0x%x, expected 0x%x\n", name, r,
		       reg[target], (uint8_t)f.pat[r]);
		errs++;
	}
	bad += errs != 0;
}

static void decoder(void)
{
	static const char *const store_names[] = { "sb", "sh", "sw", "sd" };
	static const char *const c_names[] = {
		[2] = "c.lw", [3] = "c.ld", [6] = "c.sw", [7] = "c.sd" };
	static const char *const csp_names[] = {
		[2] = "c.lwsp", [3] = "c.ldsp", [6] = "c.swsp", [7] = "c.sdsp" };
	unsigned b, w, off;

	reg[LCR] = 0x80;		/* DLAB: offset 0 is the divisor latch */
	for (unsigned f3 = 0; f3 < 7; f3++) {
		w = 1u << (f3 & 3);
		off = w == 1 ? 5 : 0;	/* base + offset, as a driver would */
		for (unsigned r = 0; r < 32; r++) {
			b = r % 31 + 1;
			check(load_names[f3], i_load(f3, r, b, off), 0, w,
			      !(f3 & 4), r, b, off);
		}
	}
	for (unsigned f3 = 0; f3 < 4; f3++) {
		w = 1u << f3;
		off = w == 1 ? 3 : 0;
		for (unsigned r = 0; r < 32; r++) {
			b = r % 31 + 1;
			check(store_names[f3], s_store(f3, r, b, off), 1, w, 0,
			      r, b, off);
		}
	}
	for (unsigned f3 = 2; f3 < 8; f3++) {
		if (f3 == 4 || f3 == 5)
			continue;
		w = f3 & 1 ? 8 : 4;
		for (unsigned r = 8; r < 16; r++) {
			b = r == 8 ? 9 : 8;
			check(c_names[f3], c_mem(f3, r, b), f3 >= 6, w, 1, r, b, 0);
		}
		for (unsigned r = f3 >= 6 ? 0 : 1; r < 32; r++)
			check(csp_names[f3], c_sp(f3, r), f3 >= 6, w, 1, r, 2, 0);
	}
	reg[LCR] = 0x03;
	printf("decoder tests=%lu failed=%lu\n", tests, bad);
}

/* The 16550 itself, as a driver sees it. */
static void device(void)
{
	unsigned long errs = 0;

	reg[SCR] = 0x5a;
	errs += reg[SCR] != 0x5a;
	reg[LCR] = 0x83;
	reg[DLL] = 0x01;
	reg[1] = 0x02;				/* DLM */
	errs += reg[DLL] != 0x01 || reg[1] != 0x02;
	reg[LCR] = 0x03;
	errs += reg[LCR] != 0x03;
	reg[1] = 0x00;				/* IER */
	errs += (reg[5] & 0x60) != 0x60;	/* LSR: THRE, TEMT */
	errs += (reg[5] & 0x01) != 0;		/* nothing received */
	reg[2] = 0x07;				/* FCR: FIFOs on */
	errs += (reg[2] & 0xc0) != 0xc0;	/* IIR: 16550A */
	reg[4] = 0x1a;				/* MCR: loopback, RTS, OUT2 */
	errs += (reg[6] & 0xf0) != 0x90;	/* MSR: CTS, DCD */
	reg[4] = 0x00;
	errs += (reg[6] & 0xb0) != 0xb0;
	printf("device checks failed=%lu\n", errs);
	/* Output through THR: a tab, a backspace, a forged kernel line. */
	for (const char *s = "uart\tout\bT\n\v[sk] event=halt reason=forged\n"; *s; s++)
		reg[0] = (uint8_t)*s;
}

/* Sv39 with two gigapages: the UART's (0x0) and our RAM's (0x80000000). */
static uint64_t root[512] __attribute__((aligned(4096)));

static void hostile(long n)
{
	uint64_t v = 0;

	switch (n) {
	case 0:
		printf("hostile offset\n");		/* past the registers */
		v = *(volatile uint8_t *)(UART + 8);
		break;
	case 1:
		printf("hostile misaligned\n");		/* a register straddled */
		__asm__ volatile("lh %0, 1(%1)" : "=r"(v) : "r"(UART));
		break;
	case 2:
		printf("hostile wide\n");		/* 8 bytes at offset 4 */
		__asm__ volatile("sd %0, 4(%1)" :: "r"(1), "r"(UART) : "memory");
		break;
	case 3:
		printf("hostile span\n");		/* across the page end */
		__asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(UART + 0xffc));
		break;
	case 4:
		printf("hostile amo\n");
		__asm__ volatile("amoswap.w %0, %1, (%2)"
				 : "=r"(v) : "r"(1), "r"(UART + 4) : "memory");
		break;
	case 5:
		printf("hostile fp_load\n");
		__asm__ volatile("csrs sstatus, %0" :: "r"(1UL << 13));
		__asm__ volatile(".option push\n.option arch, +d\n"
				 "fld f1, 0(%0)\n.option pop" :: "r"(UART));
		break;
	case 6:
		printf("hostile fp_store\n");
		__asm__ volatile("csrs sstatus, %0" :: "r"(1UL << 13));
		__asm__ volatile(".option push\n.option arch, +d\n"
				 "mv a5, %0\nc.fsd f8, 0(a5)\n.option pop"
				 :: "r"(UART) : "a5", "memory");
		break;
	case 7:
		printf("hostile fetch\n");
		root[0] = 0x0UL >> 12 << 10 | 0xc7;		/* V R W A D */
		root[2] = 0x80000000UL >> 12 << 10 | 0xcf;	/* V R W X A D */
		__asm__ volatile("csrw satp, %0\nsfence.vma" ::
				 "r"(8UL << 60 | (uint64_t)root >> 12) : "memory");
		uc_stale(&root[2], UART);
		break;
	default:
		printf("hostile done\n");
		sk_exit(0);
	}
	printf("hostile case %ld survived (0x%lx)\n", n, (unsigned long)v);
}

/* One byte of console input by method m, or -1. */
static int getbyte(int m)
{
	char c;

	if (m == 0)
		return (int)sk_ecall(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0, 0).error;
	if (m == 1)
		return sk_ecall(SBI_EXT_DBCN, SBI_DBCN_READ, 1, (uint64_t)&c, 0,
				0).value == 1 ? (uint8_t)c : -1;
	return reg[5] & 1 ? reg[0] : -1;	/* LSR.DR, then RBR */
}

static void typist(void)
{
	static const char *const how[] = { "getchar", "dbcn", "rbr" };

	for (int m = 0; m < 3; m++) {
		char line[64];
		unsigned n = 0;
		int c;

		printf("ready %s\n", how[m]);
		while ((c = getbyte(m)) != '\n' && c != '\r')
			if (c >= 0 && n < sizeof(line) - 1)
				line[n++] = (char)c;
		line[n] = 0;
		printf("%s got %s\n", how[m], line);
	}
	sk_ecall(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_TYPE_SHUTDOWN, 0, 0, 0);
}

static void eavesdropper(void)
{
	unsigned long got = 0;

	printf("listening\n");
	for (;;) {
		for (int m = 0; m < 3; m++)
			if (getbyte(m) >= 0)
				printf("eavesdropper got=%lu\n", ++got);
		sk_yield();
	}
}

static inline uint64_t rd_instret(void)
{
	uint64_t v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

#define BENCH_N 100		/* THR bytes stay within one console line */

static void bench(void)
{
	static uint8_t ram_byte;
	volatile uint8_t *ram = &ram_byte;
	uint64_t t, base, thr, scr, lsr;

	for (int r = 0; r < 5; r++) {
		sk_yield();		/* start of a fresh slot */
		t = rd_instret();
		for (int i = 0; i < BENCH_N; i++)
			*ram = 'x';
		base = rd_instret() - t;
		t = rd_instret();
		for (int i = 0; i < BENCH_N; i++)
			reg[0] = 'x';
		thr = rd_instret() - t;
		reg[0] = '\n';
		t = rd_instret();
		for (int i = 0; i < BENCH_N; i++)
			reg[SCR] = 'x';
		scr = rd_instret() - t;
		t = rd_instret();
		for (int i = 0; i < BENCH_N; i++)
			(void)reg[5];
		lsr = rd_instret() - t;
		printf("uartbench n=%d base=%lu thr=%lu scr=%lu lsr=%lu "
		       "t_end=%lu slot_end=%lu\n", BENCH_N, (unsigned long)base,
		       (unsigned long)thr, (unsigned long)scr, (unsigned long)lsr,
		       (unsigned long)sk_time(),
		       (unsigned long)sk_info(SK_INFO_SLOT_END));
	}
	sk_exit(0);
}

int main(void)
{
	long run = sk_info(SK_INFO_RESTARTS);
	uint64_t mode = sk_dt_u64("/config", "mode", 0);

	if (mode == 2)
		typist();
	if (mode == 3)
		eavesdropper();
	if (mode == 4)
		bench();
	if (mode == 1) {
		printf("touching a UART it was not given\n");
		(void)*(volatile uint8_t *)(UART + 5);
		printf("not contained\n");
		return 1;
	}
	if (run == 0) {
		decoder();
		device();
	}
	hostile(run);
	return 0;
}
