/* SPDX-License-Identifier: MIT */
/*
 * sk_abi.h - the hypercall ABI between partitions and sepkernel.
 *
 * This one header is included by the kernel (sbi/vsbi.c) and by the
 * partition SDK, so both sides agree by construction.
 *
 * Calling convention (SBI): a7 = extension id, a6 = function id,
 * arguments in a0..a5; on return a0 = error code, a1 = value.
 */
#ifndef SK_ABI_H
#define SK_ABI_H

/* Standard SBI extensions served to partitions. */
#define SBI_EXT_LEGACY_PUTCHAR	0x01
#define SBI_EXT_LEGACY_GETCHAR	0x02	/* returns a byte, or -1: no input */
#define SBI_EXT_BASE		0x10
#define SBI_EXT_TIME		0x54494D45	/* "TIME" */
#define SBI_EXT_SRST		0x53525354	/* "SRST" */
#define SBI_EXT_DBCN		0x4442434E	/* "DBCN" */
#define SBI_EXT_IPI		0x735049	/* "sPI": to its own hart only */
#define SBI_EXT_RFENCE		0x52464E43	/* "RFNC": to its own hart only */
#define SBI_EXT_HSM		0x48534D	/* "HSM": hart 0's status only */

#define SBI_BASE_GET_SPEC_VERSION	0
#define SBI_BASE_GET_IMPL_ID		1
#define SBI_BASE_GET_IMPL_VERSION	2
#define SBI_BASE_PROBE_EXT		3
#define SBI_BASE_GET_MVENDORID		4
#define SBI_BASE_GET_MARCHID		5
#define SBI_BASE_GET_MIMPID		6

#define SBI_TIME_SET_TIMER		0

#define SBI_DBCN_WRITE			0
#define SBI_DBCN_READ			1
#define SBI_DBCN_WRITE_BYTE		2

#define SBI_IPI_SEND_IPI		0
#define SBI_RFENCE_FENCE_I		0
#define SBI_RFENCE_SFENCE_VMA		1
#define SBI_RFENCE_SFENCE_VMA_ASID	2
#define SBI_HSM_HART_START		0
#define SBI_HSM_HART_GET_STATUS		2
#define SBI_HSM_STATE_STARTED		0

#define SBI_SRST_RESET			0
#define SBI_SRST_TYPE_SHUTDOWN		0
#define SBI_SRST_TYPE_COLD_REBOOT	1
#define SBI_SRST_TYPE_WARM_REBOOT	2
#define SBI_SRST_REASON_NONE		0
#define SBI_SRST_REASON_FAILURE		1

/* Standard SBI error codes. */
#define SBI_SUCCESS			0
#define SBI_ERR_FAILED			(-1)
#define SBI_ERR_NOT_SUPPORTED		(-2)
#define SBI_ERR_INVALID_PARAM		(-3)
#define SBI_ERR_DENIED			(-4)
#define SBI_ERR_INVALID_ADDRESS		(-5)
#define SBI_ERR_ALREADY_AVAILABLE	(-6)

/* sepkernel's implementation id reported by BASE (not a registered id). */
#define SK_SBI_IMPL_ID			0x534B	/* "SK" */

/* sepkernel's own extension, in the firmware-specific range. */
#define SK_EID				0x0A534B00

#define SK_FID_NOP		0	/* null hypercall: returns 0 */
#define SK_FID_YIELD		1	/* give the rest of the slot away */
#define SK_FID_INFO		2	/* a0 = SK_INFO_* key, returns value */
#define SK_FID_CHAN_SEND	3	/* channels: see below */
#define SK_FID_CHAN_RECV	4
#define SK_FID_CHAN_NOTIFY	5
#define SK_FID_CHAN_STATUS	6
#define SK_FID_KICK		7	/* health-monitor watchdog kick */

/* Keys for SK_FID_INFO: only the caller's own facts, never another's. */
#define SK_INFO_PART_ID		0	/* the caller's partition id */
#define SK_INFO_RESTARTS	1	/* how often the caller was restarted */
#define SK_INFO_HART		2	/* the physical hart it runs on */
#define SK_INFO_SLOT_END	3	/* time (ticks) its current slot ends */
#define SK_INFO_NOTIFIED	4	/* pending doorbells (bit = channel id), cleared */
#define SK_INFO_FRAME		5	/* major frames its hart has completed */

/*
 * Channels.  A partition names a channel by the id in its device tree
 * (/channels/<name>/id): an index into its own grants, meaningless to
 * anyone else.
 *
 * CHAN_SEND(id, buf, len, type)             a0 = error
 * CHAN_RECV(id, buf, cap, info, flags)      a0 = error, a1 = length
 * CHAN_NOTIFY(id)                           ring the readers' doorbell
 * CHAN_STATUS(id, status)                   fill struct sk_chan_status
 */
#define SK_RECV_BLOCK		1	/* wait (yield) until a message comes */
#define SK_RECV_FRESH		2	/* info has room for .fresh: fill it */

/*
 * What a receive tells about the message.  The kernel writes .fresh
 * (and touches those last 8 bytes) only when the call passes
 * SK_RECV_FRESH, so a program built against the 24-byte struct of
 * earlier SDKs keeps working.
 */
struct sk_msg_info {
	unsigned int len;	/* bytes received */
	unsigned int type;	/* the sender's type tag */
	unsigned long age;	/* sampling: ticks since it was written */
	unsigned int valid;	/* sampling: age within the refresh period */
	unsigned int epoch;	/* restarts of the writer so far */
	unsigned int fresh;	/* 1: not returned to this reader before */
	unsigned int reserved;
};

struct sk_chan_status {
	unsigned int kind;	/* 1 queuing, 2 sampling, 3 shared */
	unsigned int dir;	/* 1 send, 2 receive */
	unsigned int msg_size;
	unsigned int depth;
	unsigned int count;	/* queued messages (sampling: 1 once written) */
	unsigned int drops;	/* sends refused because it was full */
	unsigned int epoch;	/* restarts of the writer */
	unsigned int readers;
};

/* Audit records, as the audit partition receives them. */
struct sk_audit_rec {
	unsigned long time;	/* when */
	unsigned short part;	/* who (partition id) */
	short chan;		/* which channel, -1 if none */
	unsigned short reason;	/* SK_AUDIT_* */
	unsigned short call;	/* SK_FID_* or 0xffff for other SBI */
	unsigned short type;	/* protocol: the refused message's type tag */
	short state;		/* protocol: the state it was refused in, else -1 */
	unsigned int reserved;
};

#define SK_AUDIT_REASONS(X) \
	X(1, BAD_CHANNEL, "bad_channel")	/* not one of its grants */ \
	X(2, DIRECTION, "direction")		/* send on a read port... */ \
	X(3, KIND, "kind")			/* wrong call for the kind */ \
	X(4, BAD_ADDRESS, "bad_address")	/* pointer outside its memory */ \
	X(5, TOO_LONG, "too_long")		/* longer than the channel's size */ \
	X(6, TYPE, "type")			/* policy: type tag not allowed */ \
	X(7, SIZE, "size")			/* policy: over max_size */ \
	X(8, RATE, "rate")			/* policy: over max_per_frame */ \
	X(9, PROTOCOL, "protocol")		/* no transition from this state */

#define SK_AUDIT_ENUM(n, id, s) SK_AUDIT_##id = n,
enum { SK_AUDIT_REASONS(SK_AUDIT_ENUM) };
#undef SK_AUDIT_ENUM

/* sepkernel error codes beyond the SBI ones (distinct, never reused). */
#define SK_ERR_FULL		(-100)	/* queue full: message not sent */
#define SK_ERR_EMPTY		(-101)	/* nothing to receive */
#define SK_ERR_POLICY		(-102)	/* security monitor denied it */
#define SK_ERR_SIZE		(-103)	/* message larger than allowed */
/*
 * Each refusal of a channel call has its own code, so a program (and
 * sk_strerror() in the SDK) can say which check failed; the audit
 * record names the same reason.  A pointer outside the caller's memory
 * is SBI_ERR_INVALID_ADDRESS (-5), as standard SBI calls answer.
 */
#define SK_ERR_BAD_CHANNEL	(-104)	/* id is not one of the caller's grants */
#define SK_ERR_DIRECTION	(-105)	/* send on a read port, or the reverse */
#define SK_ERR_KIND		(-106)	/* wrong call for the channel's kind */
#define SK_ERR_TYPE		(-107)	/* policy: type tag not allowed */
#define SK_ERR_RATE		(-108)	/* policy: over max_per_frame */
#define SK_ERR_MAX_SIZE		(-109)	/* policy: over max_size */
#define SK_ERR_PROTOCOL		(-110)	/* its protocol allows no such message now */

#endif /* SK_ABI_H */
