// SPDX-License-Identifier: MIT
/*
 * vsbi.c - the SBI as partitions see it.  Every ecall from VS-mode
 * stops here: partitions never reach OpenSBI.  Each call is served for
 * the calling partition alone; nothing here reads or writes another
 * partition's state, and every argument is checked before use.
 */
#include "arch/csr.h"
#include "sk/chan.h"
#include "sk/console.h"
#include "sk/hm.h"
#include "sk/lib.h"
#include "sk/sched.h"
#include "sk/vuart.h"
#include "sk_abi.h"
#include "vsbi.h"

#define SBI_SPEC_VERSION	(2UL << 24)	/* 2.0: we serve DBCN */
#define SK_IMPL_VERSION		1
#define DBCN_MAX_CHUNK		256	/* bytes per call: bounded kernel time */

/*
 * Append one character to p's console line; a finished line is queued
 * and the call returns 1; -1 if p's console queue is full (the character
 * is not taken: p must try again).  Only printable ASCII reaches the
 * console: a partition must not be able to start a line of its own
 * ("\v[sk] ...") or drive the terminal.  A tab becomes spaces to the next
 * multiple of eight, a backspace (or DEL) takes back the last character
 * of the line, as a terminal would show it (a shell's "\b \b" erases).
 */
int part_putc(struct part *p, char c)
{
	int flushed = 0;

	p->uart.idle_polls = 0;
	if (c == '\r')
		return 0;
	if (c == '\b' || c == 0x7f) {
		if (p->line_len)
			p->line_len--;
		return 0;
	}
	if (c == '\t') {
		do
			flushed |= part_putc(p, ' ');
		while (p->line_len % 8);
		return flushed;
	}
	if (c == '\n' || p->line_len == SK_LINE_MAX) {
		if (part_flush_line(p))
			return -1;
		flushed = 1;
		if (c == '\n') {
			p->uart.shown = 0;
			return 1;
		}
	}
	p->line[p->line_len++] = c >= ' ' && c <= '~' ? c : '?';
	return flushed;
}

/* One character from a call that cannot write partially: on a full
 * queue the ecall runs again (p's own time) once lines have gone out. */
static int part_putc_retry(struct part *p, struct vcpu *v, char c)
{
	int r = part_putc(p, c);

	cons_drain(p);
	if (r < 0)
		v->sepc -= 4;
	return r < 0;
}

static long base_probe(uint64_t ext)
{
	switch (ext) {
	case SBI_EXT_BASE:
	case SBI_EXT_TIME:
	case SBI_EXT_SRST:
	case SBI_EXT_DBCN:
	case SBI_EXT_LEGACY_PUTCHAR:
	case SBI_EXT_IPI:
	case SBI_EXT_RFENCE:
	case SBI_EXT_HSM:
	case SBI_EXT_LEGACY_GETCHAR:
	case SK_EID:
		return 1;
	}
	return 0;
}

static long sbi_base(uint64_t fid, uint64_t a0, long *val)
{
	switch (fid) {
	case SBI_BASE_GET_SPEC_VERSION:
		*val = SBI_SPEC_VERSION;
		return SBI_SUCCESS;
	case SBI_BASE_GET_IMPL_ID:
		*val = SK_SBI_IMPL_ID;
		return SBI_SUCCESS;
	case SBI_BASE_GET_IMPL_VERSION:
		*val = SK_IMPL_VERSION;
		return SBI_SUCCESS;
	case SBI_BASE_PROBE_EXT:
		*val = base_probe(a0);
		return SBI_SUCCESS;
	case SBI_BASE_GET_MVENDORID:
	case SBI_BASE_GET_MARCHID:
	case SBI_BASE_GET_MIMPID:
		*val = 0;	/* the virtual hart is nobody's in particular */
		return SBI_SUCCESS;
	}
	return SBI_ERR_NOT_SUPPORTED;
}

static long sbi_dbcn(struct part *p, uint64_t fid, uint64_t *a, long *val)
{
	const char *buf;
	uint64_t n, i;

	switch (fid) {
	case SBI_DBCN_WRITE:
		n = a[0] < DBCN_MAX_CHUNK ? a[0] : DBCN_MAX_CHUNK;
		buf = part_guest_ptr(p, a[1] | a[2] << 32, n, 0);
		if (a[2] >> 32 || !buf)
			return monitor_deny(p, -1, SK_AUDIT_BAD_ADDRESS, 0xffff,
					    SBI_ERR_INVALID_PARAM);
		/*
		 * At most one line is finished per call (the rest is a
		 * partial write, as SBI allows), so a call costs a bounded
		 * time; a full queue takes nothing (0 bytes written).
		 */
		p->uart.idle_polls = 0;
		for (i = 0; i < n; i++) {
			char c = buf[i];
			int r;

			/* The common case, in a tight loop: part_putc's effect. */
			if (c >= ' ' && c <= '~' && p->line_len < SK_LINE_MAX) {
				p->line[p->line_len++] = c;
				continue;
			}
			r = part_putc(p, c);
			if (r < 0)
				break;
			if (r) {
				i++;
				break;
			}
		}
		cons_drain(p);
		*val = (long)i;
		return SBI_SUCCESS;
	case SBI_DBCN_READ:
		n = a[0] < DBCN_MAX_CHUNK ? a[0] : DBCN_MAX_CHUNK;
		buf = part_guest_ptr(p, a[1] | a[2] << 32, n, 1);
		if (a[2] >> 32 || !buf)
			return monitor_deny(p, -1, SK_AUDIT_BAD_ADDRESS, 0xffff,
					    SBI_ERR_INVALID_PARAM);
		/* Only the console_input partition ever gets bytes. */
		*val = (long)vuart_read(p, (char *)buf, n);
		return SBI_SUCCESS;
	}
	return SBI_ERR_NOT_SUPPORTED;
}

/* Set the SBI return registers: a0 = error, a1 = value. */
static inline int ret(struct vcpu *v, long err, long val)
{
	v->x[10] = (uint64_t)err;
	v->x[11] = (uint64_t)val;
	return 1;
}

/*
 * SRST stops or restarts the caller only, unless it has system rights.
 * When it acts, the caller's registers are left alone: it is gone or
 * starts afresh.
 */
static int sbi_srst(struct part *p, struct vcpu *v)
{
	uint64_t type = v->x[10], reason = v->x[11];

	if (v->x[16] != SBI_SRST_RESET)
		return ret(v, SBI_ERR_NOT_SUPPORTED, 0);
	if (type > SBI_SRST_TYPE_WARM_REBOOT ||
	    (reason > SBI_SRST_REASON_FAILURE && reason < 0xE0000000UL))
		return ret(v, SBI_ERR_INVALID_PARAM, 0);
	if (p->desc->flags & SK_PART_F_SYSTEM) {
		sk_halt(type == SBI_SRST_TYPE_SHUTDOWN ? "system_shutdown" :
			"system_reset", p->desc->name);
	}
	if (type == SBI_SRST_TYPE_SHUTDOWN)
		part_stop(p, reason == SBI_SRST_REASON_FAILURE ?
			     "srst_failure" : "srst_shutdown");
	else
		hm_reboot(p);
	return 0;
}

static __attribute__((noinline)) int sk_info_call(struct part *p, struct vcpu *v)
{
	switch (v->x[10]) {
	case SK_INFO_PART_ID:
		return ret(v, SBI_SUCCESS, p->desc->id);
	case SK_INFO_RESTARTS:
		return ret(v, SBI_SUCCESS, p->restarts);
	case SK_INFO_HART:
		return ret(v, SBI_SUCCESS, p->desc->hart);
	case SK_INFO_SLOT_END:
		return ret(v, SBI_SUCCESS, (long)sched_slot_end(p->hart));
	case SK_INFO_NOTIFIED:
		p->doorbell_armed = 1;
		return ret(v, SBI_SUCCESS,
			   (long)__atomic_exchange_n(&p->notify_pending, 0,
						     __ATOMIC_ACQ_REL));
	case SK_INFO_FRAME:
		return ret(v, SBI_SUCCESS, (long)p->hart->frames);
	}
	return ret(v, SBI_ERR_INVALID_PARAM, 0);
}

/* Off the dispatcher, so the registers it needs are saved only here. */
static __attribute__((noinline)) int sk_recv_call(struct part *p,
						  struct vcpu *v)
{
	uint64_t *a = &v->x[10];
	long n = chan_recv(p, a[0], a[1], a[2], a[3], a[4]);

	if (n >= 0)
		return ret(v, SBI_SUCCESS, n);
	if (n != SK_ERR_EMPTY || !p->wait_port)
		return ret(v, n, 0);
	/* Parked: give up the slot, and run the same ecall again later. */
	v->sepc -= 4;
	sched_yield(p->hart);
	return 0;
}

/*
 * sepkernel's own extension.  The null hypercall (SK_FID_NOP) never gets
 * here: trap.S answers it before saving a register.
 */
static __attribute__((noinline)) int sk_call(struct part *p, struct vcpu *v)
{
	uint64_t *a = &v->x[10];

	switch (v->x[16]) {
	case SK_FID_NOP:
		return ret(v, SBI_SUCCESS, 0);
	case SK_FID_YIELD:
		sched_yield(p->hart);
		ret(v, SBI_SUCCESS, 0);
		return 0;
	case SK_FID_INFO:
		return sk_info_call(p, v);
	case SK_FID_KICK:
		p->kick_frame = p->hart->frames;
		return ret(v, SBI_SUCCESS, 0);
	case SK_FID_CHAN_SEND:
		return ret(v, chan_send(p, a[0], a[1], a[2], a[3]), 0);
	case SK_FID_CHAN_RECV:
		return sk_recv_call(p, v);
	case SK_FID_CHAN_NOTIFY:
		return ret(v, chan_notify(p, a[0]), 0);
	case SK_FID_CHAN_STATUS:
		return ret(v, chan_status(p, a[0], a[1]), 0);
	}
	return ret(v, SBI_ERR_NOT_SUPPORTED, 0);
}

/* The standard extensions, off the hot path. */
static __attribute__((noinline)) int sbi_std(struct part *p, struct vcpu *v,
					      uint64_t ext)
{
	uint64_t *a = &v->x[10];
	long err, val = 0;

	switch (ext) {
	case SBI_EXT_BASE:
		err = sbi_base(v->x[16], a[0], &val);
		return ret(v, err, val);
	case SBI_EXT_TIME:
		if (v->x[16] != SBI_TIME_SET_TIMER)
			return ret(v, SBI_ERR_NOT_SUPPORTED, 0);
		vcpu_set_timer(v, a[0]);
		sched_guest_timer(p);
		return ret(v, SBI_SUCCESS, 0);
	case SBI_EXT_DBCN:
		if (v->x[16] == SBI_DBCN_WRITE_BYTE) {
			if (part_putc_retry(p, v, (char)a[0]))
				return 1;	/* registers untouched: it runs again */
			return ret(v, SBI_SUCCESS, 0);
		}
		err = sbi_dbcn(p, v->x[16], a, &val);
		return ret(v, err, val);
	case SBI_EXT_LEGACY_PUTCHAR:	/* legacy: result in a0 only */
		if (part_putc_retry(p, v, (char)a[0]))
			return 1;	/* registers untouched: it runs again */
		a[0] = 0;
		return 1;
	case SBI_EXT_LEGACY_GETCHAR:	/* a byte of console input, or -1 */
		a[0] = (uint64_t)vuart_getchar(p);
		return 1;
	case SBI_EXT_SRST:
		return sbi_srst(p, v);
	case SBI_EXT_IPI:
		return ret(v, vsbi_ipi(v->x[16], a), 0);
	case SBI_EXT_RFENCE:
		return ret(v, vsbi_rfence(v->x[16], a), 0);
	case SBI_EXT_HSM:
		err = vsbi_hsm(v->x[16], a, &val);
		return ret(v, err, val);
	}
	return ret(v, SBI_ERR_NOT_SUPPORTED, 0);
}

/* Any call, in full. */
static __attribute__((noinline)) vsbi_next_t vsbi_call(struct part *p,
							struct vcpu *v)
{
	uint64_t ext = v->x[17];
	int resume;

	if (ext == SK_EID)
		resume = sk_call(p, v);
	else
		resume = sbi_std(p, v, ext);
	return vsbi_next(resume ? v : sched_run(p->hart), 0);
}

/*
 * A channel send or receive of the common kind is answered here by the
 * channels' fast paths (chan.c), which call nothing, so this builds no
 * stack frame; anything else, and whatever they leave (CHAN_SLOW), goes
 * to vsbi_call().  trap.S has stored every caller-saved register and
 * stepped sepc past the ecall; it calls nothing before this, so the
 * guest's a1-a7 are still in a1-a7 and arrive as the arguments (only a0
 * now holds p: the guest's a0 is in the vcpu).  An answered call
 * returns no vcpu: trap.S resumes the caller with a0 = SBI_SUCCESS and
 * a1 = the value straight from registers.
 */
__attribute__((noinline)) vsbi_next_t vsbi_handle(struct part *p, uint64_t a1,
						  uint64_t a2, uint64_t a3,
						  uint64_t a4, uint64_t a5,
						  uint64_t fid, uint64_t eid)
{
	struct vcpu *v = &p->vcpu;
	long r;

	(void)a5;
	if (eid == SK_EID && fid == SK_FID_CHAN_SEND) {
		r = chan_send_fast(p, v->x[10], a1, a2, a3);
		if (r != CHAN_SLOW)	/* always SBI_SUCCESS */
			return vsbi_next(NULL, 0);
	} else if (eid == SK_EID && fid == SK_FID_CHAN_RECV) {
		r = chan_recv_fast(p, v->x[10], a1, a2, a3, a4);
		if (r != CHAN_SLOW)
			return vsbi_next(NULL, r);
	}
	return vsbi_call(p, v);
}
