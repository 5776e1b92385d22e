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
#define SBI_EXT_BASE		0x10
#define SBI_EXT_TIME		0x54494D45	/* "TIME" */
#define SBI_EXT_SRST		0x53525354	/* "SRST" */
#define SBI_EXT_DBCN		0x4442434E	/* "DBCN" */

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
#define SK_FID_CHAN_SEND	3	/* reserved for channels */
#define SK_FID_CHAN_RECV	4
#define SK_FID_CHAN_NOTIFY	5
#define SK_FID_CHAN_STATUS	6
#define SK_FID_KICK		7	/* health-monitor watchdog kick */

/* Keys for SK_FID_INFO: only the caller's own facts, never another's. */
#define SK_INFO_PART_ID		0	/* the caller's partition id */
#define SK_INFO_RESTARTS	1	/* how often the caller was restarted */
#define SK_INFO_HART		2	/* the physical hart it runs on */
#define SK_INFO_SLOT_END	3	/* time (ticks) its current slot ends */

/* sepkernel error codes beyond the SBI ones (distinct, never reused). */
#define SK_ERR_FULL		(-100)	/* queue full: message not sent */
#define SK_ERR_EMPTY		(-101)	/* nothing to receive */
#define SK_ERR_POLICY		(-102)	/* security monitor denied it */
#define SK_ERR_SIZE		(-103)	/* message larger than allowed */

#endif /* SK_ABI_H */
