/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * skchan.h - the user interface of sepkernel's Linux channel driver
 * (skchan.c): ioctls on /dev/sk/<channel name>.  Shared by the driver
 * and by user programs (skctl.c), so both agree by construction.
 */
#ifndef SKCHAN_H
#define SKCHAN_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
typedef unsigned int __u32;
typedef unsigned long __u64;
#define _IOC(d, t, n, s) (((d) << 30) | ((s) << 16) | ((t) << 8) | (n))
#define _IOW(t, n, ty) _IOC(1U, (t), (n), sizeof(ty))
#define _IOR(t, n, ty) _IOC(2U, (t), (n), sizeof(ty))
#endif

/* What the kernel says of the channel, and of the last message read. */
struct skchan_status {
	__u32 kind;		/* 1 queuing, 2 sampling, 3 shared */
	__u32 dir;		/* 1 send, 2 receive */
	__u32 msg_size;
	__u32 depth;
	__u32 count;		/* queued now (sampling: 1 once written) */
	__u32 drops;		/* sends refused because it was full */
	__u32 epoch;		/* restarts of the writer */
	__u32 readers;
	/* the last message this open file received (sk_msg_info) */
	__u32 last_len;
	__u32 last_type;
	__u64 last_age;		/* sampling: ticks since written */
	__u32 last_valid;	/* sampling: age within the refresh period */
	__u32 last_epoch;
	__u32 last_fresh;	/* 1: this reader had not seen it before */
	__u32 doorbells;	/* its doorbell's interrupts taken since boot */
};

/* Type tag for the following writes on this open file (default 0). */
#define SKCHAN_SET_TYPE	_IOW('S', 1, __u32)
#define SKCHAN_STATUS	_IOR('S', 2, struct skchan_status)
/* Shared window: ring the readers' doorbell (writer only). */
#define SKCHAN_NOTIFY	_IOW('S', 3, __u32)

#endif /* SKCHAN_H */
