// SPDX-License-Identifier: MIT
/*
 * init - the initramfs's /init for sepkernel's Linux partition.
 *
 * A static program with no C library: a few system calls by hand.  It
 * prints what the scenarios check, uses the FPU in user space (the
 * guest's FP state must survive world switches), lets a child die on an
 * illegal instruction (Linux's business, not the health monitor's) and
 * powers off.  Linux hands unknown bootargs "key=value" to init as
 * environment, so `sktest=...` picks a test mode:
 *   sktest=bench   first print instret and time (needs [system] counters)
 *   sktest=cycle   a second child reads the cycle counter, which the
 *                  configuration withholds: Linux kills it (SIGILL)
 *   sktest=fp      a long FP computation, its accumulators live in FP
 *                  registers across many world switches
 *   sktest=panic   init exits: Linux panics ("Attempted to kill init")
 *   sktest=plic    read the board's PLIC through /dev/mem (never mapped)
 *   sktest=clint   read the board's CLINT
 *   sktest=tty     read a typed line from /dev/ttyS0 (the virtual 16550,
 *                  taking its receive interrupt through the virtual PLIC)
 *                  and write it back there
 *   sktest=hang    kick the health-monitor watchdog through
 *                  /dev/sk/watchdog ten times, 20 ms apart, then hang in
 *                  user space (Linux itself still runs): the watchdog
 *                  must fire only after the kicks stop
 *   sktest=beyond  read guest-physical 0x90000000, past its RAM (a
 *                  partition names no host address: whatever lies
 *                  outside its own map, a neighbour's RAM included,
 *                  is simply not there)
 */
#define SYS_openat	56
#define SYS_read	63
#define SYS_write	64
#define SYS_exit	93
#define SYS_reboot	142
#define SYS_clone	220
#define SYS_mmap	222
#define SYS_wait4	260

#define AT_FDCWD	-100
#define O_RDWR		2
#define O_SYNC		04010000
#define SIGCHLD		17
#define PROT_RW		3
#define MAP_SHARED	1

#include "usys.h"

static void put_num(char *p, ulong v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = '0' + v % 10;
	while (v /= 10);
	while (n)
		*p++ = tmp[--n];
	*p = 0;
}

static void say(const char *a, ulong v, const char *b)
{
	char line[96], *p = line;

	while (*a)
		*p++ = *a++;
	put_num(p, v);
	p += slen(p);
	while (*b)
		*p++ = *b++;
	*p = 0;
	out(line);
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static const char *mode(char **envp)
{
	for (; *envp; envp++) {
		const char *e = *envp, *k = "sktest=";

		while (*k && *e == *k)
			e++, k++;
		if (!*k)
			return e;
	}
	return "";
}

/* Some FP arithmetic whose result is known: sum of 1/2^i, i = 0..52. */
static ulong fp_work(void)
{
	volatile double x = 0.0, step = 1.0;

	for (int i = 0; i < 53; i++) {
		x = x + step;
		step = step / 2.0;
	}
	return (ulong)(x * 1000000.0);	/* 1999999 (x rounds below 2) */
}

/* Four accumulators kept in FP registers for millions of iterations. */
static void fp_long(void)
{
	double a = 0.0, b = 0.0, c = 0.0, d = 0.0;
	const ulong n = 3000000;

	for (ulong i = 0; i < n; i++) {
		double x = (double)i;

		a += x * 0.5;
		b += x * 0.25;
		c += 1.0;
		d -= x * 0.5;
	}
	if (a == -d && b * 2.0 == a && c == (double)n &&
	    a == (double)(n * (n - 1) / 4))
		say("init: fp long ok ", (ulong)c, "\n");
	else
		out("init: fp long MISMATCH\n");
}

static void touch(ulong pa)
{
	long fd = sys(SYS_openat, AT_FDCWD, (long)"/dev/mem", O_RDWR | O_SYNC,
		      0, 0, 0);
	long va;

	if (fd < 0) {
		say("init: /dev/mem: error ", -fd, "\n");
		return;
	}
	va = sys(SYS_mmap, 0, 4096, PROT_RW, MAP_SHARED, fd, pa);
	if (va < 0 && va > -4096) {
		say("init: mmap: error ", -va, "\n");
		return;
	}
	say("init: reading physical ", pa, "\n");
	say("init: read ", *(volatile unsigned int *)va, " (must not happen)\n");
}

#define SYS_ppoll	73

static void sleep_ms(long ms)
{
	long ts[2] = { ms / 1000, (ms % 1000) * 1000000 };

	sys(SYS_ppoll, 0, 0, (long)ts, 0, 0, 0);
}

/* A watchdog daemon that kicks for a while, then hangs. */
static void hang(void)
{
	long fd = sys(SYS_openat, AT_FDCWD, (long)"/dev/sk/watchdog", O_RDWR,
		      0, 0, 0);

	if (fd < 0) {
		say("init: /dev/sk/watchdog: error ", -fd, "\n");
		return;
	}
	for (int i = 0; i < 10; i++) {
		if (sys(SYS_write, fd, (long)"k", 1, 0, 0, 0) != 1)
			out("init: kick refused\n");
		sleep_ms(20);
	}
	out("init: kicked 10 times, now hanging\n");
	for (;;)
		;
}

/* The 8250 driver with its interrupt: a line typed in, echoed back out. */
static void tty(void)
{
	long fd = sys(SYS_openat, AT_FDCWD, (long)"/dev/ttyS0", O_RDWR, 0, 0, 0);
	char line[80];
	long n;

	if (fd < 0) {
		say("init: /dev/ttyS0: error ", -fd, "\n");
		return;
	}
	sys(SYS_write, fd, (long)"tty: type a line\n", 17, 0, 0, 0);
	for (int i = 0; i < 9; i++)
		line[i] = "tty: got "[i];
	n = sys(SYS_read, fd, (long)line + 9, sizeof(line) - 10, 0, 0, 0);
	if (n <= 0) {
		say("init: ttyS0 read: error ", -n, "\n");
		return;
	}
	sys(SYS_write, fd, (long)line, 9 + n, 0, 0, 0);
}

static void child_dies(int cycle)
{
	long pid = sys(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
	int status = 0;

	if (pid == 0 && cycle) {
		ulong c;

		out("init: child reads the cycle counter\n");
		__asm__ volatile("rdcycle %0" : "=r"(c));
		say("init: cycle ", c, " (must not happen)\n");
		sys(SYS_exit, 0, 0, 0, 0, 0, 0);
	}
	if (pid == 0) {
		out("init: child executes an illegal instruction\n");
		__asm__ volatile(".word 0");	/* all-zero: always illegal */
		sys(SYS_exit, 0, 0, 0, 0, 0, 0);
	}
	sys(SYS_wait4, pid, (long)&status, 0, 0, 0, 0);
	say("init: child killed by signal ", status & 0x7f, "\n");
}

void init_main(long argc, char **argv, char **envp)
{
	const char *m = mode(envp);

	(void)argc, (void)argv;
	if (same(m, "bench")) {
		ulong i, t;

		__asm__ volatile("rdinstret %0" : "=r"(i));
		__asm__ volatile("rdtime %0" : "=r"(t));
		say("init: bench instret=", i, "");
		say(" time=", t, "\n");
	}
	out("init: hello from /init\n");
	say("init: fp sum ", fp_work(), "\n");
	child_dies(0);
	if (same(m, "cycle"))
		child_dies(1);
	say("init: fp sum ", fp_work(), " after the child\n");
	if (same(m, "fp"))
		fp_long();
	if (same(m, "tty"))
		tty();
	if (same(m, "hang"))
		hang();
	if (same(m, "plic"))
		touch(0x0c000000);
	else if (same(m, "clint"))
		touch(0x02000000);
	else if (same(m, "beyond"))
		touch(0x90000000ul);
	if (same(m, "panic")) {
		out("init: exiting (Linux will panic)\n");
		sys(SYS_exit, 0, 0, 0, 0, 0, 0);
	}
	out("init: powering off\n");
	/* LINUX_REBOOT_MAGIC1, MAGIC2, CMD_POWER_OFF */
	sys(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, 0, 0, 0);
	for (;;)
		;
}

/* argc at sp, argv after it, envp after argv's NULL. */
__asm__(".globl _start\n"
	"_start:\n"
	"	.option push\n"
	"	.option norelax\n"
	"	lla gp, __global_pointer$\n"
	"	.option pop\n"
	"	ld a0, 0(sp)\n"
	"	addi a1, sp, 8\n"
	"	slli a2, a0, 3\n"
	"	add a2, a2, a1\n"
	"	addi a2, a2, 8\n"
	"	andi sp, sp, -16\n"
	"	call init_main\n");
