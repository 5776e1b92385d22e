// SPDX-License-Identifier: MIT
/*
 * vplic.c - the virtual PLIC of a partition with plic = true.
 *
 * Linux uses the supervisor software interrupt for itself (its IPIs), so
 * an unmodified OS cannot take a doorbell there.  It can take one the
 * way it takes any device interrupt: through a platform-level interrupt
 * controller.  This is a PLIC as the sifive,plic-1.0.0 binding describes
 * it, with one context (the vCPU's supervisor external interrupt) and
 * these sources:
 *
 *   1        the virtual UART (vuart_irq: level, as a 16550's line)
 *   2 + i    the doorbell of the partition's port i (notify_pending bit i)
 *
 * Like the UART, the PLIC's pages are never mapped: each access traps
 * and mmio.c hands it here.  The registers (32 bits, offsets from
 * SK_GUEST_PLIC_BASE, as on QEMU virt) are
 *
 *   0x000000 + 4s    priority of source s (0 = never, up to 7)
 *   0x001000 + 4w    pending bits of sources 32w..32w+31 (read-only)
 *   0x002000 + 4w    context 0's enable bits
 *   0x200000         context 0's priority threshold
 *   0x200004         claim (read) / complete (write)
 *
 * Sources the partition does not have (no UART, fewer ports, 64 and up)
 * read as zero and ignore writes, as on a PLIC with fewer sources; any
 * other offset or width is a contained fault.  A claim returns the most
 * urgent source that is pending, enabled and above the threshold (the
 * lowest id on a tie) and holds it until its completion: a doorbell is
 * consumed by its claim (it rang, it was taken), the UART's line stays
 * up while the UART asks.
 *
 * The hart's view of all this is one bit, hvip.VSEIP, the virtual
 * supervisor external interrupt: raised while a claim would return a
 * source.  It is recomputed after each access (the guest may have
 * claimed, completed, masked, or read the UART) and when the partition
 * is switched in (a doorbell may have rung while it was away).
 */
#include "arch/csr.h"
#include "sk/lib.h"
#include "sk/mmio.h"
#include "sk/vplic.h"
#include "sk/vuart.h"

#define PLIC_PRIO	0x000000
#define PLIC_PENDING	0x001000
#define PLIC_ENABLE	0x002000	/* context 0 */
#define PLIC_WORDS	0x80		/* pending/enable: 1024 sources */
#define PLIC_THRESHOLD	0x200000	/* context 0 */
#define PLIC_CLAIM	0x200004
#define PLIC_PRIO_MAX	7

#define SRC_UART	1
#define SRC_DOORBELL	2
#define SRC_MASK	(~1UL)		/* source 0 does not exist */

void vplic_reset(struct part *p)
{
	memset(&p->plic, 0, sizeof(p->plic));
}

/* The lines of the sources in want, now (the UART's is asked only if
 * wanted: for the console-input partition it may read the board UART). */
static uint64_t pending(struct part *p, uint64_t want)
{
	uint64_t bits = __atomic_load_n(&p->notify_pending, __ATOMIC_ACQUIRE)
			<< SRC_DOORBELL;

	if ((sk_system.devices & SK_DEV_UART) && p->desc->uart &&
	    (want & 1UL << SRC_UART) && vuart_irq(p))
		bits |= 1UL << SRC_UART;
	return bits;
}

/* The lowest set bit of m (m != 0): six halvings, no table, no Zbb. */
static unsigned lowest(uint64_t m)
{
	unsigned n = 0;

	for (unsigned w = 32; w; w >>= 1)
		if (!(m & ((1UL << w) - 1))) {
			n += w;
			m >>= w;
		}
	return n;
}

/*
 * The source a claim would return, or 0.  Also computed when the
 * partition is switched in, in the last stretch before an exact slot
 * start, so its cost must not grow with the sources pending: one look
 * per priority level above the threshold (level[] mirrors prio[]),
 * then the lowest id at the first level that has any.
 */
static unsigned best(struct part *p)
{
	struct vplic *c = &p->plic;
	uint64_t want = c->enable & ~c->claimed & SRC_MASK;
	uint64_t cand = pending(p, want) & want;

	for (unsigned l = PLIC_PRIO_MAX; cand && l > c->threshold; l--)
		if (cand & c->level[l])
			return lowest(cand & c->level[l]);
	return 0;
}

static uint32_t claim(struct part *p)
{
	unsigned src = best(p);

	if (src) {
		p->plic.claimed |= 1UL << src;
		if (src >= SRC_DOORBELL)	/* taken: it may ring again */
			__atomic_and_fetch(&p->notify_pending,
					   ~(1UL << (src - SRC_DOORBELL)),
					   __ATOMIC_ACQ_REL);
	}
	return src;
}

/* Priorities and the threshold are WARL: 3 bits, as on QEMU virt. */
static uint8_t prio_clamp(uint32_t v)
{
	return v > PLIC_PRIO_MAX ? PLIC_PRIO_MAX : (uint8_t)v;
}

static void prio_set(struct vplic *c, unsigned s, uint8_t prio)
{
	c->level[c->prio[s]] &= ~(1UL << s);
	c->level[prio] |= 1UL << s;
	c->prio[s] = prio;
}

/* The sources p has: its UART's, its ports' (at most 62: the compiler). */
static uint64_t sources(const struct part *p)
{
	return (p->desc->uart ? 1UL << SRC_UART : 0) |
	       ((1UL << p->desc->nports) - 1) << SRC_DOORBELL;
}

int vplic_access(struct part *p, uint64_t off, unsigned width, int store,
		 uint64_t *val)
{
	struct vplic *c = &p->plic;
	uint32_t v = (uint32_t)*val, r = 0;
	uint64_t w = (off & (PLIC_WORDS - 1)) / 4;

	if (width != 4 || off % 4)
		return MMIO_FAULT;
	if (off < PLIC_PENDING) {
		if (off / 4 >= 64 || !(sources(p) >> off / 4 & 1))
			;			/* no such source */
		else if (store)
			prio_set(c, off / 4, prio_clamp(v));
		else
			r = c->prio[off / 4];
	} else if (off - PLIC_PENDING < PLIC_WORDS) {
		if (w < 2)		/* read-only */
			r = (uint32_t)(pending(p, ~0UL) >> 32 * w);
	} else if (off - PLIC_ENABLE < PLIC_WORDS) {
		if (w < 2 && store)
			c->enable = (c->enable & ~(0xffffffffUL << 32 * w)) |
				    ((uint64_t)v << 32 * w & sources(p));
		else if (w < 2)
			r = (uint32_t)(c->enable >> 32 * w);
	} else if (off == PLIC_THRESHOLD) {
		if (store)
			c->threshold = prio_clamp(v);
		else
			r = c->threshold;
	} else if (off == PLIC_CLAIM) {
		if (store && v < 64)		/* complete */
			c->claimed &= ~(1UL << v);
		else if (!store)
			r = claim(p);
	} else {
		return MMIO_FAULT;	/* other contexts, reserved space */
	}
	if (!store)
		*val = r;
	return MMIO_OK;
}

uint64_t vplic_virq(struct part *p)
{
	return best(p) ? 1UL << IRQ_VS_EXT : 0;
}

void vplic_update(struct part *p)
{
	if (!vplic_on(p))
		return;
	if (vplic_virq(p))
		csr_set(hvip, 1UL << IRQ_VS_EXT);
	else
		csr_clear(hvip, 1UL << IRQ_VS_EXT);
}
