/* SPDX-License-Identifier: MIT */
/*
 * system.h - types of the static tables that tools/skc.py generates
 * into build/<system>/system.c.  The kernel only ever reads these
 * tables: nothing here is parsed or allocated at run time.
 */
#ifndef SK_SYSTEM_H
#define SK_SYSTEM_H

#include <stdint.h>

struct part;

/* Every partition sees the same small machine (guest-physical). */
#define SK_GUEST_RAM_BASE	0x80000000UL	/* its RAM starts here */
#define SK_GUEST_DTB_BASE	0x7fe00000UL	/* its device tree, read-only */
#define SK_GUEST_WIN_BASE	0xc0000000UL	/* shared channel windows */
#define SK_GUEST_UART_BASE	0x10000000UL	/* virtual 16550, never mapped */
#define SK_GUEST_PLIC_BASE	0x0c000000UL	/* virtual PLIC, never mapped */
#define SK_GUEST_PLIC_SIZE	0x04000000UL

#define SK_PAGE_SIZE		4096UL

enum sk_fault_action {
	SK_ACT_HALT = 0,	/* stop the partition for good */
	SK_ACT_RESTART = 1,	/* reload it from its pristine image */
};

/*
 * Exceptions a guest handles itself (hedeleg), swapped per partition.
 * Every partition: misaligned fetches (0), breakpoints (3), ecalls from
 * its user mode (8) and its own page faults (12, 13, 15).  A partition
 * with delegate_faults (an OS) also gets illegal instructions (2) and
 * misaligned loads and stores (4, 6), so its processes' crashes are its
 * business.  Never delegated: guest-page faults, virtual instructions,
 * access faults and VS ecalls - the health monitor's.
 */
#define SK_HEDELEG_BASE		0xb109UL
#define SK_HEDELEG_OS		(SK_HEDELEG_BASE | 0x54UL)

#define SK_PART_F_SYSTEM	(1u << 0)	/* its SRST may stop the system */
#define SK_PART_F_CRITICAL	(1u << 1)	/* its death stops the system */

enum sk_chan_kind {
	SK_CHAN_QUEUING = 1,	/* bounded FIFO of copied messages */
	SK_CHAN_SAMPLING = 2,	/* latest copied message, with its age */
	SK_CHAN_SHARED = 3,	/* memory window plus doorbell, zero-copy */
};

#define SK_CHAN_MAX_READERS	8
#define SK_CHAN_KERNEL		(-1)	/* writer of the audit channel */

/* Run-time state of a channel; storage generated, zeroed at boot. */
struct sk_chan_state {
	uint64_t head;		/* queuing: messages read so far (never wraps) */
	uint64_t tail;		/* queuing: messages written so far */
	uint64_t head_off;	/* queuing: byte offset of slot head in buf */
	uint64_t tail_off;	/* ... and of slot tail: no division on the ring */
	uint32_t drops;		/* sends refused because it was full */
	uint32_t epoch;		/* restarts of the writer */
	uint32_t seq;		/* sampling: odd while a write is under way */
	uint32_t rate_count;	/* messages passed in rate_frame */
	uint64_t rate_frame;	/* writer's major frame being counted */
	uint64_t stamp;		/* sampling: time of the last write */
	uint32_t seen[SK_CHAN_MAX_READERS];	/* sampling: seq each reader last got */
};

struct sk_proto_desc;

/* One channel, fixed at build time: one writer, its readers, a policy. */
struct sk_chan_desc {
	const char *name;
	uint8_t kind;		/* enum sk_chan_kind */
	uint8_t nreaders;
	int16_t writer;		/* partition id, or SK_CHAN_KERNEL */
	uint16_t readers[SK_CHAN_MAX_READERS];
	uint8_t reader_port[SK_CHAN_MAX_READERS];	/* port id in each reader */
	uint8_t remote_reader;	/* a reader runs on another hart than the writer */
	uint32_t msg_size;	/* largest message, bytes */
	uint32_t depth;		/* queuing: messages it holds */
	uint64_t refresh;	/* sampling: ticks a value stays valid */
	uint64_t win_hpa;	/* shared: host-physical window */
	uint64_t win_size;
	/* The security monitor's policy for every copied message. */
	uint64_t types;		/* bit t set: type tag t allowed */
	uint32_t max_size;	/* bytes, <= msg_size */
	uint32_t rate_max;	/* messages per writer's major frame; with no
				 * limit, UINT32_MAX (more than fit a frame) */
	uint8_t *buf;		/* kernel-only storage: depth slots (queuing), 1 (sampling) */
	uint32_t slot_size;	/* bytes per slot: 8-byte header + payload rounded to 8 */
	uint32_t ring_size;	/* depth * slot_size, worked out by the compiler */
	struct sk_chan_state *st;
	/* Stateful policy: the protocol it belongs to (proto.c), or none. */
	const struct sk_proto_desc *proto;
	const uint16_t *proto_col;	/* [type tag] = byte offset of its column in proto->delta */
	uint8_t ntype_names;
	const char *const *type_names;	/* [type tag] = its name, or 0 */
};

/*
 * A protocol: a state machine over the messages of queuing channels
 * between two partitions.  Its state and a count of moves share one
 * word, moves << 8 | state << 1 (the state doubled is its byte offset
 * in a column of 16-bit entries), only ever changed by compare-and-swap
 * (see proto.c).  The table holds, per trigger (a channel and a type)
 * and state, what a permitted send adds to the word: one move (1 << 8)
 * plus the change of the doubled state; 0 means refused.  Column 0 is
 * all zeros: the column of every type that no transition names.
 */
#define SK_PROTO_STATE(w)	((unsigned)((w) & 0xff) >> 1)
#define SK_PROTO_MOVES(w)	((w) >> 8)
#define SK_PROTO_MOVE		0x100

struct sk_proto_state {
	uint64_t word;		/* moves << 8 | state << 1 */
	uint32_t denials;
};

struct sk_proto_desc {
	const char *name;
	uint8_t nstates;
	uint8_t ntrig;		/* distinct (channel, type) triggers */
	uint8_t initial;
	uint8_t trace;		/* print every move (event=proto) */
	uint16_t side[2];	/* the two partitions */
	const uint16_t *delta;	/* [(1 + trigger) * nstates + state], 0 = refused */
	const uint8_t *restart;	/* [side * nstates + state] = state after a restart */
	const char *const *states;	/* names, for events */
	const char *const *triggers;	/* "chan.type", for events */
	struct sk_proto_state *st;
};

#define SK_PORT_SEND	1
#define SK_PORT_RECV	2

/* A partition's grant of one channel; its index is the id the partition uses. */
struct sk_port {
	uint16_t chan;		/* index into sk_system.chans */
	const struct sk_chan_desc *c;	/* &sk_system.chans[chan], for the hot paths */
	uint8_t dir;		/* SK_PORT_SEND or SK_PORT_RECV */
	/* The channel fast paths may serve it (chan.c): a queue, and for a
	 * sender, its reader on the same hart and no traced protocol. */
	uint8_t fast_send;
	uint8_t fast_recv;
	uint64_t win_gpa;	/* shared: where the window appears, else 0 */
};

/* One partition, fixed at build time. */
struct sk_part_desc {
	const char *name;
	uint16_t id;		/* index into sk_system.parts */
	uint16_t hart;		/* the physical hart it is pinned to */
	uint16_t vmid;		/* G-stage address-space id (id + 1) */
	uint16_t flags;		/* SK_PART_F_* */
	uint64_t ram_hpa;	/* host-physical base of its RAM */
	uint64_t ram_size;	/* bytes, page multiple */
	uint64_t entry;		/* guest-physical entry point */

	/*
	 * The package: one contiguous, page-aligned blob in kernel memory
	 * that no partition can reach:
	 *   [0, image_size)              flat image for GPA 0x80000000 + image_load
	 *   [initrd_off, +initrd_size)   initramfs for GPA 0x80000000 + initrd_load
	 *   [dtb_off, dtb_off+dtb_size)  device tree (page aligned)
	 *   [cfg_off, cfg_off+cfg_size)  canonical text of its config entry
	 * The whole package is what gets signed and measured.
	 */
	const uint8_t *pkg;
	uint64_t pkg_size;
	const uint8_t *sig;	/* Ed25519 signature of the whole package */
	uint64_t image_size;
	uint64_t image_load;	/* offset in its RAM of the image's first byte */
	uint64_t initrd_off, initrd_size;
	uint64_t initrd_load;	/* offset in its RAM of the initramfs */
	uint64_t dtb_off, dtb_size;
	uint64_t cfg_off, cfg_size;

	/* Health monitor. */
	uint8_t on_fault;	/* enum sk_fault_action */
	uint16_t max_restarts;	/* restarts allowed within the window */
	uint32_t restart_window;	/* in major frames, 0 = forever */
	uint32_t watchdog;	/* major frames between kicks, 0 = none */
	uint32_t hedeleg;	/* SK_HEDELEG_BASE or SK_HEDELEG_OS */

	/* Channel grants. */
	uint16_t nports;
	const struct sk_port *ports;

	uint8_t uart;		/* a virtual 16550 at SK_GUEST_UART_BASE */
	uint8_t plic;		/* a virtual PLIC at SK_GUEST_PLIC_BASE */
};

/* One slot of a hart's cyclic plan; times in timer ticks from frame start. */
struct sk_slot {
	uint64_t start;
	uint64_t length;
	int32_t part;		/* partition id, or -1 for an idle gap */
	struct part *owner;	/* &sk_part_table[part], or NULL: a switch
				 * finds its partition without a multiply */
	struct part *plain;	/* owner again if its slot needs no more
				 * than a switch (no watchdog to check, no
				 * virtual PLIC to read), else NULL */
};

/* The static cyclic plan of one hart. */
struct sk_plan {
	uint64_t major_frame;	/* ticks */
	uint32_t nslots;
	const struct sk_slot *slots;
};

struct sk_system {
	const char *name;
	uint32_t nparts;
	uint32_t nharts;
	uint64_t timebase_hz;	/* ticks per second of the time CSR */
	uint64_t stop_after;	/* ticks after boot to halt, 0 = never */
	uint8_t halt_on_reject;	/* a rejected package stops the system */
	uint64_t guard;		/* ticks at each slot's end kept for the kernel */
	uint64_t epoch;		/* time the first frame starts, 0 = after boot */
	uint8_t console_sbi;	/* print through the SBI, not the UART */
	uint8_t guest_counters;	/* partitions may read cycle and instret */
	const struct sk_part_desc *parts;
	const struct sk_plan *plans;	/* one per hart, index = hart id */
	uint32_t nchans;
	const struct sk_chan_desc *chans;
	uint32_t audit_chan;	/* 1 + index of the audit channel, 0 = none */
	uint32_t nprotos;
	const struct sk_proto_desc *protos;
	uint32_t console_input;	/* 1 + id of the partition the board UART's
				 * input goes to, 0 = none */
	uint64_t line_ticks;	/* bound on writing one console line, ticks */
	/*
	 * The emulated devices any partition has (SK_DEV_*): a constant
	 * that LTO folds, so a system without them carries none of their
	 * code.  Each partition's own uart and plic still decide.
	 */
	uint8_t devices;
	uint8_t guest_sstc;	/* the partitions' riscv,isa lists Sstc */
};

#define SK_DEV_UART	1
#define SK_DEV_PLIC	2

extern const struct sk_system sk_system;

/*
 * G-stage page-table pool, sized exactly by the compiler: each
 * partition needs a 16 KiB Sv39x4 root plus its intermediate tables.
 */
extern uint64_t sk_gstage_pool[][512];
extern const uint32_t sk_gstage_pool_pages;

#endif /* SK_SYSTEM_H */
