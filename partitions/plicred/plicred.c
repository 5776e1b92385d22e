// SPDX-License-Identifier: MIT
/*
 * plicred - hostile and heavy uses of the virtual PLIC (plic = true),
 * for harness/test_redteam_plic.py.  /config mode:
 *
 *   1 ringer   rings its first bells channels, once per slot (storm = 1:
 *              without pause, the whole slot), then yields; fp = 1:
 *              with every FP register dirty
 *   2 hold     every source enabled at priority 7, every doorbell left
 *              pending and never claimed: the kernel's switch-in scan of
 *              its sources is at its longest, slot after slot (read_at:
 *              its UART's receive interrupt on too, so the switch-in also
 *              looks at the board UART for it; at that time, it reads
 *              what was typed and says how many bytes; fp = 1: it keeps
 *              its FP registers dirty meanwhile)
 *   3 victim   no PLIC: takes external interrupts and counts them (there
 *              must be none: another partition's line never reaches it)
 *   4 restart  raises its line (UART and doorbells), takes it once, and
 *              faults; its next run enables external interrupts at once
 *              and must see none (the line did not survive the restart)
 *   5 forms    compressed and stack-relative forms that the PLIC takes,
 *              then one hostile instruction form per run, each a
 *              contained fault
 *   6 busy     PLIC and UART accesses back to back up to (and across)
 *              every stop: claims, completions (also of ids never claimed
 *              or out of range), priorities, pending,
 *              LSR/RBR polls, 160-character lines through THR
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
#define SIE_SEIE	SK_SIE_SEIE

static volatile unsigned long irqs;

#define rd(a)		sk_plic_read(a)
#define wr(a, v)	sk_plic_write((a), (v))

/* Taken, never claimed: the line is masked until the next run. */
void sk_on_external(void)
{
	irqs++;
	__asm__ volatile("csrc sie, %0" :: "r"(SIE_SEIE));
}

static void ext_on(void)
{
	__asm__ volatile("csrs sie, %0\n\tcsrsi sstatus, 2" :: "r"(SIE_SEIE));
}

/* Every source enabled at the top priority: the line goes up for any. */
static void open_all(void)
{
	for (unsigned s = 1; s < 64; s++)
		wr(PRIO(s), 7);
	wr(ENABLE(0), 0xffffffff);
	wr(ENABLE(1), 0xffffffff);
	wr(THRESHOLD, 0);
}

/* Dirty every FP register: the next switch must save them all. */
static void fp_dirty(void)
{
	__asm__ volatile(".option push\n\t.option arch, +d\n\t"
			 "li t0, 0x2000\n\tcsrs sstatus, t0\n\t"
			 "fcvt.d.l f0, t0\n\tfmv.d f1, f0\n\tfmv.d f2, f0\n\t"
			 "fmv.d f3, f0\n\tfmv.d f31, f0\n\t.option pop"
			 ::: "t0", "memory");
}

static void ringer(void)
{
	int storm = (int)sk_arg_u64("storm", 0);
	int bells = (int)sk_arg_u64("bells", 1);
	int fp = (int)sk_arg_u64("fp", 0);

	for (;;) {
		if (fp)
			fp_dirty();
		for (int i = 0; i < bells; i++)
			sk_notify(i);
		if (!storm)
			sk_yield();
	}
}

static void hold(void)
{
	open_all();
	uint64_t read_at = sk_arg_u64("read_at", 0);
	unsigned long n = 0;

	if (read_at)		/* its line also asks for typed input */
		*(volatile uint8_t *)UART_IER = 0x01;
	printf("hold: all sources open, none claimed\n");
	while (!read_at || sk_time() < read_at)
		if (sk_arg_u64("fp", 0))
			fp_dirty();
	/* Up to "want" bytes, for as long as "read_for" ticks: typed input
	 * reaches the board UART in host time. */
	read_at += sk_arg_u64("read_for", 0);
	while (n < sk_arg_u64("want", 0) && sk_time() < read_at)
		if (*(volatile uint8_t *)(UART_IER + 4) & 1)	/* LSR.DR */
			n += *(volatile uint8_t *)(UART_IER - 1) != 0;	/* RBR */
	printf("hold: typed %lu\n", n);
	for (;;)
		;
}

static void victim(void)
{
	uint64_t frames = sk_arg_u64("frames", 20);

	sk_irq_init();
	for (uint64_t i = 0; i < frames; i++) {
		ext_on();
		sk_yield();
	}
	printf("victim: external interrupts %lu\n", irqs);
	sk_exit(0);
}

static void restart(long run)
{
	sk_irq_init();
	if (run == 0) {
		open_all();
		*(volatile uint8_t *)UART_IER = 0x02;	/* THR empty: a level */
		for (int i = 0; i < 3 && !(rd(PENDING(0)) & ~3U); i++)
			sk_yield();			/* a doorbell too */
		ext_on();
		printf("restart run 0: line up, irqs %lu pending 0x%x claimed %u\n",
		       irqs, rd(PENDING(0)) & 2, rd(CLAIM));
		__asm__ volatile("unimp");	/* fault: restart, one held */
	}
	ext_on();			/* at once, before any PLIC access */
	for (int i = 0; i < 3; i++)
		sk_yield();
	printf("restart run %ld: irqs %lu enable 0x%x claim %u\n", run, irqs,
	       rd(ENABLE(0)), rd(CLAIM));
	sk_exit(0);
}

/* Accepted forms: c.sw/c.lw (x8..x15), c.swsp/c.lwsp with sp in the
 * PLIC, lwu, and a load into x0 (a claim whose value is dropped), on the
 * priorities of its sources 2..4 (three channels, no UART); then what a
 * PLIC with fewer sources does: absent ones read zero, take no write. */
static void good_forms(void)
{
	register uint64_t base __asm__("a0") = PLIC;
	register uint64_t v __asm__("a4") = 5;
	register uint64_t r __asm__("a5") = 0;
	uint64_t sp_r = 0, lwu_r = 0;

	__asm__ volatile(".option push\n\t.option rvc\n\t"
			 "c.sw a4, 8(a0)\n\tc.lw a5, 8(a0)\n\t.option pop"
			 : "+r"(r) : "r"(base), "r"(v) : "memory");
	printf("form c.sw/c.lw %lu\n", (unsigned long)r);
	__asm__ volatile(".option push\n\t.option rvc\n\t"
			 "mv t0, sp\n\tli sp, 0x0c000000\n\tli t1, 6\n\t"
			 "c.swsp t1, 12(sp)\n\tc.lwsp %0, 12(sp)\n\t"
			 "mv sp, t0\n\t.option pop"
			 : "=&r"(sp_r) :: "t0", "t1", "memory");
	printf("form c.swsp/c.lwsp %lu\n", (unsigned long)sp_r);
	wr(PRIO(4), 7);
	__asm__ volatile("li %0, 0x0c000000\n\tlwu %0, 16(%0)"
			 : "=r"(lwu_r) :: "memory");
	printf("form lwu %lu\n", (unsigned long)lwu_r);
	__asm__ volatile("lw x0, 0(%0)" :: "r"(CLAIM) : "memory");
	printf("form lw x0 ok\n");
	wr(PRIO(1), 7);
	wr(PRIO(5), 7);
	wr(ENABLE(0), 0xffffffff);
	wr(ENABLE(1), 0xffffffff);
	printf("absent: prio1 %u prio5 %u enable 0x%x 0x%x\n", rd(PRIO(1)),
	       rd(PRIO(5)), rd(ENABLE(0)), rd(ENABLE(1)));
	for (unsigned s = 1; s < 6; s++)
		wr(PRIO(s), 0);
	wr(ENABLE(0), 0);
}

static void forms(long run)
{
	static const char *const names[] = {
		"lb", "lh", "lhu", "sb", "sh", "sd", "c.ld", "c.sd", "flw",
		"fsw", "fld", "amoadd", "lrw", "scw", "misaligned",
		"spanning", "last_byte", "page_after", "pending_gap",
		"enable_ctx1", "after_claim", "claim_ctx1", "last_page",
	};
	register uint64_t a __asm__("a0");
	uint64_t v = 1;

	if (run == 0)
		good_forms();
	if (run >= (long)(sizeof(names) / sizeof(names[0]))) {
		printf("forms done\n");
		sk_exit(0);
	}
	printf("hostile %s\n", names[run]);
	/* FP on (Initial), so an FP access reaches the PLIC at all. */
	__asm__ volatile("li t0, 0x2000\n\tcsrs sstatus, t0" ::: "t0");
	a = PLIC;
	switch (run) {
	case 0: __asm__ volatile("lb %0, 4(%1)" : "=r"(v) : "r"(a)); break;
	case 1: __asm__ volatile("lh %0, 4(%1)" : "=r"(v) : "r"(a)); break;
	case 2: __asm__ volatile("lhu %0, 4(%1)" : "=r"(v) : "r"(a)); break;
	case 3: __asm__ volatile("sb %0, 4(%1)" :: "r"(v), "r"(a)); break;
	case 4: __asm__ volatile("sh %0, 4(%1)" :: "r"(v), "r"(a)); break;
	case 5: __asm__ volatile("sd %0, 8(%1)" :: "r"(v), "r"(a)); break;
	case 6:
		__asm__ volatile(".option push\n\t.option rvc\n\t"
				 "c.ld a5, 8(a0)\n\tmv %0, a5\n\t.option pop"
				 : "=r"(v) : "r"(a) : "a5");
		break;
	case 7:
		__asm__ volatile(".option push\n\t.option rvc\n\tli a5, 1\n\t"
				 "c.sd a5, 8(a0)\n\t.option pop" :: "r"(a) : "a5");
		break;
	case 8:
		__asm__ volatile(".option push\n\t.option arch, +f\n\t"
				 "flw ft0, 4(%0)\n\t.option pop" :: "r"(a));
		break;
	case 9:
		__asm__ volatile(".option push\n\t.option arch, +f\n\t"
				 "fsw ft0, 4(%0)\n\t.option pop" :: "r"(a));
		break;
	case 10:
		__asm__ volatile(".option push\n\t.option arch, +d\n\t"
				 "fld ft0, 8(%0)\n\t.option pop" :: "r"(a));
		break;
	case 11:
		__asm__ volatile("amoadd.w %0, %1, (%2)"
				 : "=r"(v) : "r"(1), "r"(a + 4) : "memory");
		break;
	case 12:
		__asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"(CLAIM) : "memory");
		break;
	case 13:
		__asm__ volatile("sc.w %0, %1, (%2)"
				 : "=r"(v) : "r"(1), "r"(CLAIM) : "memory");
		break;
	case 14: v = rd(PLIC + 6); break;
	case 15: v = rd(PLIC + 0xffe); break;
	case 16: v = *(volatile uint8_t *)(PLIC + 0x3ffffff); break;
	case 17: v = rd(PLIC + 0x4000000); break;
	case 18: v = rd(PLIC + 0x1080); break;
	case 19: wr(PLIC + 0x2080, 1); break;
	case 20: v = rd(PLIC + 0x200008); break;
	case 21: v = rd(PLIC + 0x201004); break;
	case 22: wr(PLIC + 0x3fff000, 1); break;
	}
	if (run == 13 && v) {	/* no reservation: it may fail unperformed */
		printf("scw failed 0x%lx, nothing written\n", (unsigned long)v);
		__asm__ volatile("unimp");	/* on to the next form */
	}
	printf("survived %s 0x%lx\n", names[run], (unsigned long)v);
	sk_exit(1);
}

static void busy(void)
{
	volatile uint8_t *uart = (volatile uint8_t *)(UART_IER - 1);
	unsigned long n = 0;

	open_all();
	uart[1] = 0x03;			/* IER: receive and THR empty */
	for (;;) {
		for (int i = 0; i < 160; i++) {
			uint32_t id = rd(CLAIM);

			wr(CLAIM, id);
			wr(CLAIM, 0xffffffffU - (uint32_t)i);	/* never claimed */
			wr(CLAIM, (uint32_t)i % 64);
			wr(PRIO(i % 64), (uint32_t)i);
			(void)rd(PENDING(i & 1));
			(void)uart[5];		/* LSR: looks for input */
			(void)uart[0];		/* RBR */
			uart[0] = (uint8_t)('a' + n % 26);
		}
		uart[0] = '\n';
		n++;
	}
}

int main(void)
{
	long run = sk_info(SK_INFO_RESTARTS);

	switch (sk_arg_u64("mode", 0)) {
	case 1: ringer(); break;
	case 2: hold(); break;
	case 3: victim(); break;
	case 4: restart(run); break;
	case 5: forms(run); break;
	case 6: busy(); break;
	}
	printf("plicred: no mode\n");
	return 1;
}
