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
#include "sk_abi.h"
#include "vsbi.h"

#define SBI_SPEC_VERSION	(2UL << 24)	/* 2.0: we serve DBCN */
#define SK_IMPL_VERSION		1
#define DBCN_MAX_CHUNK		256	/* bytes per call: bounded kernel time */

/* Append one character to p's console line; a full line goes out. */
static void part_putc(struct part *p, char c)
{
	if (c == '\r')
		return;
	if (c == '\n' || p->line_len == SK_LINE_MAX) {
		cons_part_line(p->desc->name, p->line, p->line_len);
		p->line_len = 0;
		if (c == '\n')
			return;
	}
	p->line[p->line_len++] = c;
}

static long base_probe(uint64_t ext)
{
	switch (ext) {
	case SBI_EXT_BASE:
	case SBI_EXT_TIME:
	case SBI_EXT_SRST:
	case SBI_EXT_DBCN:
	case SBI_EXT_LEGACY_PUTCHAR:
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
	uint64_t n;

	switch (fid) {
	case SBI_DBCN_WRITE:
		n = a[0] < DBCN_MAX_CHUNK ? a[0] : DBCN_MAX_CHUNK;
		buf = part_guest_ptr(p, a[1] | a[2] << 32, n, 0);
		if (a[2] >> 32 || !buf)
			return monitor_deny(p, -1, SK_AUDIT_BAD_ADDRESS, 0xffff,
					    SBI_ERR_INVALID_PARAM);
		for (uint64_t i = 0; i < n; i++)
			part_putc(p, (char)buf[i]);
		*val = (long)n;
		return SBI_SUCCESS;
	case SBI_DBCN_READ:
		if (!part_guest_ptr(p, a[1] | a[2] << 32, a[0], 1))
			return monitor_deny(p, -1, SK_AUDIT_BAD_ADDRESS, 0xffff,
					    SBI_ERR_INVALID_PARAM);
		*val = 0;	/* partitions have no console input */
		return SBI_SUCCESS;
	case SBI_DBCN_WRITE_BYTE:
		part_putc(p, (char)a[0]);
		return SBI_SUCCESS;
	}
	return SBI_ERR_NOT_SUPPORTED;
}

/* SRST stops or restarts the caller only, unless it has system rights. */
static long sbi_srst(struct part *p, uint64_t type, uint64_t reason, int *resched)
{
	if (type > SBI_SRST_TYPE_WARM_REBOOT ||
	    (reason > SBI_SRST_REASON_FAILURE && reason < 0xE0000000UL))
		return SBI_ERR_INVALID_PARAM;
	if (p->desc->flags & SK_PART_F_SYSTEM) {
		part_flush_line(p);
		sk_halt(type == SBI_SRST_TYPE_SHUTDOWN ? "system_shutdown" :
			"system_reset", p->desc->name);
	}
	if (type == SBI_SRST_TYPE_SHUTDOWN)
		part_stop(p, reason == SBI_SRST_REASON_FAILURE ?
			     "srst_failure" : "srst_shutdown");
	else
		part_restart(p, "srst_reboot");
	*resched = 1;
	return SBI_SUCCESS;
}

static long sk_call(struct part *p, uint64_t fid, uint64_t *a, long *val,
		    int *resched)
{
	struct hart *h = this_hart(p);
	uint64_t a0 = a[0];
	int block = 0;
	long err;

	switch (fid) {
	case SK_FID_NOP:
		return SBI_SUCCESS;
	case SK_FID_YIELD:
		sched_yield(h);
		*resched = 1;
		return SBI_SUCCESS;
	case SK_FID_INFO:
		switch (a0) {
		case SK_INFO_PART_ID:
			*val = p->desc->id;
			return SBI_SUCCESS;
		case SK_INFO_RESTARTS:
			*val = p->restarts;
			return SBI_SUCCESS;
		case SK_INFO_HART:
			*val = p->desc->hart;
			return SBI_SUCCESS;
		case SK_INFO_SLOT_END:
			*val = (long)sched_slot_end(h);
			return SBI_SUCCESS;
		case SK_INFO_NOTIFIED:
			*val = (long)__atomic_exchange_n(&p->notify_pending, 0,
							 __ATOMIC_ACQ_REL);
			return SBI_SUCCESS;
		}
		return SBI_ERR_INVALID_PARAM;
	case SK_FID_KICK:
		p->kick_frame = h->frames;
		return SBI_SUCCESS;
	case SK_FID_CHAN_SEND:
		return chan_send(p, a[0], a[1], a[2], a[3]);
	case SK_FID_CHAN_RECV:
		err = chan_recv(p, a[0], a[1], a[2], a[3], a[4], val, &block);
		if (block) {
			/* Park: give up the slot and run the ecall again later. */
			p->vcpu.sepc -= 4;
			sched_yield(h);
			*resched = 2;
		}
		return err;
	case SK_FID_CHAN_NOTIFY:
		return chan_notify(p, a[0]);
	case SK_FID_CHAN_STATUS:
		return chan_status(p, a[0], a[1]);
	}
	return SBI_ERR_NOT_SUPPORTED;
}

int vsbi_handle(struct part *p)
{
	struct vcpu *v = &p->vcpu;
	uint64_t *a = &v->x[10];
	uint64_t ext = v->x[17], fid = v->x[16];
	long err, val = 0;
	int resched = 0;

	v->sepc += 4;		/* ecall is never compressed */
	switch (ext) {
	case SK_EID:
		err = sk_call(p, fid, a, &val, &resched);
		break;
	case SBI_EXT_BASE:
		err = sbi_base(fid, a[0], &val);
		break;
	case SBI_EXT_TIME:
		err = SBI_ERR_NOT_SUPPORTED;
		if (fid == SBI_TIME_SET_TIMER) {
			vcpu_set_timer(v, a[0]);
			err = SBI_SUCCESS;
		}
		break;
	case SBI_EXT_DBCN:
		err = sbi_dbcn(p, fid, a, &val);
		break;
	case SBI_EXT_LEGACY_PUTCHAR:	/* legacy: result in a0 only */
		part_putc(p, (char)a[0]);
		a[0] = 0;
		return 1;
	case SBI_EXT_SRST:
		err = SBI_ERR_NOT_SUPPORTED;
		if (fid == SBI_SRST_RESET)
			err = sbi_srst(p, a[0], a[1], &resched);
		break;
	default:
		err = SBI_ERR_NOT_SUPPORTED;
	}
	/*
	 * A restarted vcpu starts afresh, and a parked one will run the same
	 * ecall again: their registers are not ours to set.
	 */
	if (p->state == PART_READY && !this_hart(p)->discard && resched != 2) {
		a[0] = (uint64_t)err;
		a[1] = (uint64_t)val;
	}
	return !resched;
}
