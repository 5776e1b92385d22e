// SPDX-License-Identifier: MIT
/*
 * skctl - /init of the gateway demo's Linux (configs/gateway.toml): an
 * untrusted program that reaches the trusted keystore only through the
 * channel driver's /dev/sk/<name> nodes (skchan.c).
 *
 * A static program with no C library (system calls by hand, as init.c).
 * Linux hands unknown bootargs "key=value" to init as environment:
 *   gw=test N   the scenario run: N request/reply round trips (4 in
 *               flight, checked in order), each refusal and its errno,
 *               a blocking write cut short by a signal, a stream of
 *               blocks written faster than the keystore takes them
 *               (blocking, then O_NONBLOCK), the protocol broken once
 *               (flood), the sensor's sample and its age, then power off
 *   gw=window   the shared window "bulk": poll for its doorbell, read
 *               it, a refused writable mapping, a child's store killed
 *               by SIGSEGV, the next doorbell, then power off
 *   gw=bench,N  N single round trips timed by instret (needs [system]
 *               counters and the keystore's stamp = 1)
 *   gw=attack   as test, then read the keystore's memory through
 *               /dev/mem: a contained guest fault, Linux stops
 *   otherwise   a console shell: "sign TEXT", "mac TEXT", "dump" (a type
 *               the policy forbids), "flood" (requests without reading
 *               the replies: the protocol refuses), "peek" (the
 *               keystore's memory), "sensor", "off"
 */
#include "skchan.h"
#include "usys.h"

#define SYS_ioctl	29
#define SYS_openat	56
#define SYS_read	63
#define SYS_write	64
#define SYS_exit	93
#define SYS_ppoll	73
#define SYS_kill	129
#define SYS_rt_sigaction	134
#define SYS_reboot	142
#define SYS_mmap	222
#define SYS_clone	220
#define SYS_wait4	260

#define AT_FDCWD	-100
#define O_RDWR		2
#define O_NONBLOCK	04000
#define O_SYNC		04010000
#define PROT_READ	1
#define PROT_WRITE	2
#define SIGCHLD		17
#define POLLIN		1
#define POLLPRI		2
#define MAP_SHARED	1

#define EBADF		9
#define EAGAIN		11
#define EACCES		13
#define EPROTO		71
#define EMSGSIZE	90
#define SIGUSR1		10

typedef unsigned int uint;

struct gw_req {
	uint seq;
	uint len;
	unsigned char data[56];
};

struct gw_rep {
	uint seq;
	uint type;
	ulong mac;
	ulong stamp;	/* the keystore's instret as it replied (bench) */
};

static void num(ulong v, int hex)
{
	char b[24];
	int i = sizeof(b);

	b[--i] = 0;
	do {
		b[--i] = "0123456789abcdef"[v % (hex ? 16 : 10)];
		v /= hex ? 16 : 10;
	} while (v);
	if (hex) {
		b[--i] = 'x';
		b[--i] = '0';
	}
	out(b + i);
}

static void snum(long v)
{
	if (v < 0) {
		out("-");
		v = -v;
	}
	num((ulong)v, 0);
}

static int prefix(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return 0;
	return 1;
}

static ulong atou(const char *s)
{
	ulong v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (ulong)(*s++ - '0');
	return v;
}

static long open_dev(const char *path, long flags)
{
	long fd = sys(SYS_openat, AT_FDCWD, (long)path, flags, 0, 0, 0);

	if (fd < 0) {
		out("skctl: cannot open ");
		out(path);
		out(": errno ");
		snum(-fd);
		out("\n");
	}
	return fd;
}

static long settype(long fd, uint type)
{
	return sys(SYS_ioctl, fd, SKCHAN_SET_TYPE, (long)&type, 0, 0, 0);
}

static void sleep_ms(long ms)
{
	long ts[2] = { ms / 1000, (ms % 1000) * 1000000 };

	sys(SYS_ppoll, 0, 0, (long)ts, 0, 0, 0);
}

static void halt(void)
{
	out("skctl: powering off\n");
	sys(SYS_reboot, (long)0xfee1dead, 672274793, 0x4321fedc, 0, 0, 0);
	sys(SYS_exit, 0, 0, 0, 0, 0, 0);
}

static long req_fd, rep_fd;

static long ask(uint type, uint seq, const char *data, ulong len)
{
	struct gw_req q;

	q.seq = seq;
	q.len = (uint)len;
	for (ulong i = 0; i < len && i < sizeof(q.data); i++)
		q.data[i] = (unsigned char)data[i];
	settype(req_fd, type);
	return sys(SYS_write, req_fd, (long)&q, sizeof(q), 0, 0, 0);
}

/* "msg <seq>" as the request data, so every request differs. */
static ulong msg_of(char *b, uint seq)
{
	char t[12];
	int i = 0;
	ulong n = 4;

	b[0] = 'm', b[1] = 's', b[2] = 'g', b[3] = ' ';
	do {
		t[i++] = (char)('0' + seq % 10);
		seq /= 10;
	} while (seq);
	while (i)
		b[n++] = t[--i];
	return n;
}

/* n round trips, up to 4 requests in flight; replies must come in order. */
static void round_trips(uint n)
{
	struct skchan_status st = { 0 };
	uint sent = 0, got = 0, bad = 0;
	struct gw_rep r;
	ulong last = 0;
	char b[16];

	while (got < n) {
		while (sent < n && sent - got < 4) {
			long w = ask(1 + (sent & 1), sent, b, msg_of(b, sent));

			if (w < 0)
				break;
			sent++;
		}
		if (sys(SYS_read, rep_fd, (long)&r, sizeof(r), 0, 0, 0) !=
		    sizeof(r) || r.seq != got || r.type != 1 + (got & 1))
			bad++;
		last = r.mac;
		got++;
	}
	out("skctl: round trips ");
	num(n, 0);
	out(" out of order or lost ");
	num(bad, 0);
	out(" last mac ");
	num(last, 1);
	out("\n");
	/* each answer woke the blocked read: the keystore rang, no polling */
	sys(SYS_ioctl, rep_fd, SKCHAN_STATUS, (long)&st, 0, 0, 0);
	out("skctl: rep doorbells ");
	num(st.doorbells, 0);
	out("\n");
}

static void said(const char *what, long r)
{
	out("skctl: ");
	out(what);
	out(" -> ");
	if (r < 0) {
		out("errno ");
		snum(-r);
	} else {
		out("ok ");
		snum(r);
	}
	out("\n");
}

static void refusals(void)
{
	char big[80] = { 0 };
	long spill = open_dev("/dev/sk/spill", O_RDWR | O_NONBLOCK);
	long rep_nb = open_dev("/dev/sk/rep", O_RDWR | O_NONBLOCK);
	struct skchan_status st;

	said("forbidden type dump", ask(3, 0, "key", 3));
	settype(req_fd, 1);
	said("oversized 65 bytes", sys(SYS_write, req_fd, (long)big, 65, 0, 0, 0));
	for (int i = 1; i <= 5; i++) {
		settype(spill, 1);
		said(i < 5 ? "spill" : "spill when full",
		     sys(SYS_write, spill, (long)big, 8, 0, 0, 0));
	}
	sys(SYS_ioctl, spill, SKCHAN_STATUS, (long)&st, 0, 0, 0);
	out("skctl: spill count ");
	num(st.count, 0);
	out(" drops ");
	num(st.drops, 0);
	out("\n");
	said("read empty rep", sys(SYS_read, rep_nb, (long)big, 16, 0, 0, 0));
	said("write to rep (a receive port)",
	     sys(SYS_write, rep_nb, (long)big, 8, 0, 0, 0));
}

static void sample(long fd)
{
	ulong v[2] = { 0, 0 };
	struct skchan_status st;
	long n = sys(SYS_read, fd, (long)v, sizeof(v), 0, 0, 0);

	sys(SYS_ioctl, fd, SKCHAN_STATUS, (long)&st, 0, 0, 0);
	out("skctl: sample ");
	if (n < 0) {
		out("errno ");
		snum(-n);
		out("\n");
		return;
	}
	out("seq ");
	num(v[0], 0);
	out(" value ");
	num(v[1], 0);
	out(" age ");
	num(st.last_age, 0);
	out(" valid ");
	num(st.last_valid, 0);
	out(" epoch ");
	num(st.last_epoch, 0);
	out("\n");
}

/* Root reads what it was never given: the G-stage has no entry there. */
static void peek(void)
{
	long fd = open_dev("/dev/mem", O_RDWR | O_SYNC);
	volatile ulong *p;
	ulong v;

	if (fd < 0)
		return;
	out("skctl: reading the keystore's memory through /dev/mem\n");
	p = (volatile ulong *)sys(SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED, fd,
				  0x90000000L);
	if ((long)p < 0 && (long)p > -4096) {
		said("mmap /dev/mem", (long)p);
		return;
	}
	v = *p;
	out("skctl: read ");
	num(v, 1);
	out(" (must not happen)\n");
}

/*
 * A blocking write on a queue nobody reads (spill, full after
 * refusals()) sleeps until a signal.  A child writes; this program
 * signals it after 50 ms (SIGUSR1, a handler without SA_RESTART, set up
 * before the child exists), so its write returns EINTR.
 */
struct ksigaction {
	void (*handler)(int);
	ulong flags;
	ulong mask;
};

static void on_signal(int sig)
{
	(void)sig;
}

static void interrupted(void)
{
	struct ksigaction sa = { on_signal, 0, 0 };
	ulong v = 0;
	int status = 0;
	long fd, pid;

	sys(SYS_rt_sigaction, SIGUSR1, (long)&sa, 0, 8, 0, 0);
	pid = sys(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
	if (pid == 0) {
		fd = open_dev("/dev/sk/spill", O_RDWR);
		said("blocking write to a full queue, a signal after 50 ms",
		     sys(SYS_write, fd, (long)&v, sizeof(v), 0, 0, 0));
		sys(SYS_exit, 0, 0, 0, 0, 0, 0);
	}
	sleep_ms(50);
	sys(SYS_kill, pid, SIGUSR1, 0, 0, 0, 0);
	sys(SYS_wait4, pid, (long)&status, 0, 0, 0, 0);
}

struct gw_blk {
	uint seq;
	uint last;
	ulong value;
};

static long block(long fd, uint seq, uint last)
{
	struct gw_blk b = { seq, last, (ulong)seq * 7 };

	return sys(SYS_write, fd, (long)&b, sizeof(b), 0, 0, 0);
}

static uint drops_of(long fd)
{
	struct skchan_status st;

	st.drops = 0;
	sys(SYS_ioctl, fd, SKCHAN_STATUS, (long)&st, 0, 0, 0);
	return st.drops;
}

static ulong rd_time(void);

/*
 * Blocks faster than the keystore takes them (one per slot): n blocking
 * writes, each waiting for room, none refused; then n tries with
 * O_NONBLOCK in bursts of ten, refused with EAGAIN when full, each
 * refusal a drop the kernel counts; then the last block.  Only accepted blocks get a
 * number, so the keystore must see 0, 1, 2, ... with no gap.
 */
static void stream(uint n)
{
	long fd = open_dev("/dev/sk/stream", O_RDWR);
	long nb = open_dev("/dev/sk/stream", O_RDWR | O_NONBLOCK);
	uint seq = 0, refused = 0, other = 0, d0;
	ulong t0 = rd_time();
	long r;

	if (fd < 0 || nb < 0)
		return;
	for (uint i = 0; i < n; i++)
		if (block(fd, seq, 0) > 0)
			seq++;
		else
			other++;
	d0 = drops_of(fd);
	out("skctl: stream blocking sent ");
	num(seq, 0);
	out(" refused ");
	num(other, 0);
	out(" drops ");
	num(d0, 0);
	out(" ticks ");
	num(rd_time() - t0, 0);
	out("\n");
	for (uint i = 0; i < n; i++) {
		if (i % 10 == 9)
			sleep_ms(10);	/* the keystore takes a few meanwhile */
		r = block(nb, seq, 0);
		if (r > 0)
			seq++;
		else if (r == -EAGAIN)
			refused++;
		else
			other++;
	}
	out("skctl: stream nonblocking tried ");
	num(n, 0);
	out(" sent ");
	num(seq - n, 0);
	out(" eagain ");
	num(refused, 0);
	out(" other ");
	num(other, 0);
	out(" drops ");
	num(drops_of(fd) - d0, 0);
	out("\n");
	said("stream last block", block(fd, seq, 1));
	out("skctl: stream total ");
	num(seq + 1, 0);
	out("\n");
}

/*
 * Break the protocol: requests without reading the replies.  The
 * keystore answers four (rep is then full) and stops taking requests;
 * four more wait unanswered; the next is one too many: EPROTO.  Then
 * every reply is read, in order, and the keystore serves a correct
 * request as before.
 */
static void flood(uint seq)
{
	uint sent = 0, bad = 0;
	struct gw_rep rp;
	char b[16];
	long r = 0;

	while (sent < 12) {
		r = ask(1, seq + sent, b, msg_of(b, seq + sent));
		if (r < 0)
			break;
		sent++;
	}
	out("skctl: flood accepted ");
	num(sent, 0);
	out("\n");
	said("flood: one request too many", r);
	for (uint i = 0; i < sent; i++)
		if (sys(SYS_read, rep_fd, (long)&rp, sizeof(rp), 0, 0, 0) !=
		    sizeof(rp) || rp.seq != seq + i)
			bad++;
	out("skctl: flood replies ");
	num(sent, 0);
	out(" out of order or lost ");
	num(bad, 0);
	out("\n");
	r = ask(2, seq + sent, "after", 5);
	if (r > 0)
		r = sys(SYS_read, rep_fd, (long)&rp, sizeof(rp), 0, 0, 0);
	if (r > 0) {
		out("skctl: after the flood: mac ");
		num(rp.mac, 1);
		out("\n");
	} else {
		said("after the flood", r);
	}
}

struct pollfd {
	int fd;
	short events;
	short revents;
};

/* Wait (up to a second) for the window's doorbell, then read its header. */
static void window_round(long fd, volatile ulong *w)
{
	struct pollfd p = { (int)fd, POLLIN | POLLPRI, 0 };
	long ts[2] = { 1, 0 };
	long r = sys(SYS_ppoll, (long)&p, 1, (long)ts, 0, 8, 0);
	char b[8];

	out("skctl: window poll ");
	snum(r);
	out(" revents ");
	num((ulong)(unsigned short)p.revents, 0);
	out(" round ");
	num(w[0], 0);
	out(" len ");
	num(w[2], 0);
	out("\n");
	sys(SYS_read, fd, (long)b, 0, 0, 0, 0);	/* consume the doorbell */
}

static void window(void)
{
	long fd = open_dev("/dev/sk/bulk", O_RDWR);
	volatile ulong *w;
	long pid, r;
	int status = 0;

	if (fd < 0)
		return;
	said("mmap the window writable",
	     sys(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	w = (volatile ulong *)sys(SYS_mmap, 0, 65536, PROT_READ, MAP_SHARED,
				  fd, 0);
	if ((long)w < 0 && (long)w > -4096) {
		said("mmap the window", (long)w);
		return;
	}
	window_round(fd, w);
	pid = sys(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
	if (pid == 0) {
		w[0] = 0;		/* a reader's store: Linux's SIGSEGV */
		out("skctl: child wrote the window (must not happen)\n");
		sys(SYS_exit, 0, 0, 0, 0, 0, 0);
	}
	r = sys(SYS_wait4, pid, (long)&status, 0, 0, 0, 0);
	out("skctl: child writing the window killed by signal ");
	num(r == pid ? (ulong)(status & 0x7f) : 0, 0);
	out("\n");
	window_round(fd, w);
}

static ulong rd_instret(void)
{
	ulong v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

static ulong rd_time(void)
{
	ulong v;

	__asm__ volatile("rdtime %0" : "=r"(v));
	return v;
}

/*
 * One request at a time: instructions (every mode, every partition:
 * under QEMU's -icount the hart's instret) and time per round trip, and
 * from the keystore's reply (its instret, stamped before it rang the
 * doorbell) to this program holding the reply.
 */
static void bench(uint n)
{
	ulong rt = 0, rt_min = ~0UL, wake = 0, wake_min = ~0UL, ticks = 0;
	struct gw_rep r;
	char b[16];

	for (uint i = 0; i < n; i++) {
		ulong i0 = rd_instret(), t0 = rd_time(), i1;

		ask(1, i, b, msg_of(b, i));
		if (sys(SYS_read, rep_fd, (long)&r, sizeof(r), 0, 0, 0) !=
		    sizeof(r) || r.seq != i) {
			out("skctl: bench lost a reply\n");
			return;
		}
		i1 = rd_instret();
		ticks += rd_time() - t0;
		rt += i1 - i0;
		rt_min = i1 - i0 < rt_min ? i1 - i0 : rt_min;
		wake += i1 - r.stamp;
		wake_min = i1 - r.stamp < wake_min ? i1 - r.stamp : wake_min;
	}
	out("skctl: bench n=");
	num(n, 0);
	out(" rt_avg=");
	num(rt / n, 0);
	out(" rt_min=");
	num(rt_min, 0);
	out(" wake_avg=");
	num(wake / n, 0);
	out(" wake_min=");
	num(wake_min, 0);
	out(" ticks_avg=");
	num(ticks / n, 0);
	out("\n");
}

static void shell(long sensor)
{
	char line[80];
	uint seq = 0;

	for (;;) {
		long n = 0, r;
		struct gw_rep rp;

		out("skctl> ");
		while (n < (long)sizeof(line) - 1) {
			r = sys(SYS_read, 0, (long)&line[n], 1, 0, 0, 0);
			if (r <= 0 || line[n] == '\n' || line[n] == '\r')
				break;
			n++;
		}
		line[n] = 0;
		if (prefix(line, "sign ") || prefix(line, "mac ")) {
			int sign = line[0] == 's';
			const char *d = line + (sign ? 5 : 4);

			r = ask(sign ? 1 : 2, seq++, d, slen(d));
			if (r < 0) {
				said("request", r);
				continue;
			}
			r = sys(SYS_read, rep_fd, (long)&rp, sizeof(rp), 0, 0, 0);
			if (r < 0) {
				said("reply", r);
				continue;
			}
			out(sign ? "signature " : "mac ");
			num(rp.mac, 1);
			out("\n");
		} else if (prefix(line, "dump")) {
			said("ask the keystore to dump its key", ask(3, seq, "", 0));
		} else if (prefix(line, "flood")) {
			flood(seq);
			seq += 16;
		} else if (prefix(line, "peek")) {
			peek();
		} else if (prefix(line, "sensor")) {
			sample(sensor);
		} else if (prefix(line, "off")) {
			halt();
		} else if (n) {
			out("commands: sign TEXT, mac TEXT, dump, flood, peek, sensor, off\n");
		}
	}
}

void skctl_main(long argc, char **argv, char **envp)
{
	const char *mode = "";
	long sensor;
	int attack;

	(void)argc, (void)argv;
	for (char **e = envp; *e; e++)
		if (prefix(*e, "gw="))
			mode = *e + 3;
	out("skctl: the untrusted side of the gateway\n");
	if (prefix(mode, "window")) {
		window();
		halt();
	}
	req_fd = open_dev("/dev/sk/req", O_RDWR);
	rep_fd = open_dev("/dev/sk/rep", O_RDWR);
	sensor = open_dev("/dev/sk/readings", O_RDWR);
	if (req_fd < 0 || rep_fd < 0)
		halt();
	if (prefix(mode, "bench")) {
		bench(mode[5] == ',' ? (uint)atou(mode + 6) : 100);
		halt();
	}
	if (!prefix(mode, "test") && !prefix(mode, "attack"))
		shell(sensor);
	attack = prefix(mode, "attack");
	sample(sensor);
	while (*mode && *mode != ',')
		mode++;
	round_trips(*mode ? (uint)atou(mode + 1) : 2000);
	refusals();
	interrupted();
	stream(100);
	flood(100000);
	sleep_ms(100);		/* the sensor has stopped: its sample goes stale */
	sample(sensor);
	if (attack)
		peek();
	halt();
}

/* argc at sp, argv after it, envp after argv's NULL. */
__asm__(".globl _start\n"
	"_start:\n"
	"	ld a0, 0(sp)\n"
	"	addi a1, sp, 8\n"
	"	slli a2, a0, 3\n"
	"	add a2, a2, a1\n"
	"	addi a2, a2, 8\n"
	"	call skctl_main\n");
