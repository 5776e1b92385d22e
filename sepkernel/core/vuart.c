// SPDX-License-Identifier: MIT
/*
 * vuart.c - the virtual 16550 UART of a partition with uart = true, and
 * the console input that the board UART delivers to one partition.
 *
 * Unmodified guests (U-Boot, Linux's 8250 driver) want a UART, not a
 * hypercall.  The partition's page at guest-physical 0x10000000 is never
 * mapped in its G-stage table: every access traps, and mmio.c decodes
 * it and hands it to vuart_access().
 *
 * Registers are one byte wide at offsets 0..7 (reg-shift 0).  An
 * aligned access of 1, 2, 4 or 8 bytes at offset o acts on register o
 * alone (loads zero-extend it, lb sign-extends, stores take the low
 * byte); anything else in the page - other offsets, misaligned or
 * spanning accesses, FP and atomic instructions - is a contained fault.
 * With plic = true its interrupt line is the virtual PLIC's source 1.
 *
 * The work per access (or console-input call) is bounded: at most one
 * console line is written (as for a DBCN call) and at most RX_FILL
 * bytes are taken from the board UART, well inside the guard.
 */
#include "sk/console.h"
#include "sk/lib.h"
#include "sk/mmio.h"
#include "sk/vuart.h"

/* 16550 register offsets and bits (what guests program). */
#define UART_RBR	0	/* read: receive buffer; write: THR */
#define UART_IER	1
#define UART_IIR	2	/* read: interrupt id; write: FCR */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7
#define UART_NREGS	8

#define IER_RDI		0x01	/* receive data interrupt */
#define IER_THRI	0x02	/* transmitter empty interrupt */
#define IIR_NONE	0x01
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_FIFO	0xc0	/* 16550A: FIFOs enabled */
#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define LCR_DLAB	0x80	/* offsets 0, 1 are the divisor latch */
#define MCR_LOOP	0x10
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define MSR_IDLE	0xb0	/* DCD, DSR, CTS: a line that is up */

/* After this many empty receiver polls with nothing written in between,
 * the guest is waiting for input: show its partial line (a prompt). */
#define IDLE_FLUSH	32

/*
 * Console input: a small ring, filled from the board UART by the owner
 * (the console_input partition) whenever it looks for input, on its own
 * hart.  Polling from the owner's reads needs no interrupt routing and
 * costs nothing while nobody reads; QEMU holds back further bytes while
 * the board UART's receiver is full, so nothing typed is lost.  Each
 * access moves at most RX_FILL bytes: with console = "sbi" each one is
 * an M-mode round trip, and the access must stay well inside the guard.
 */
#define RX_SIZE		64
#define RX_FILL		4	/* board reads per access: bounded work */

static struct {
	uint8_t buf[RX_SIZE];
	uint32_t head, tail;	/* free-running; only the owner's hart */
} rx;

static int rx_owner(const struct part *p)
{
	return sk_system.console_input == p->desc->id + 1u;
}

/* Bytes waiting for p (0 for every partition but the owner), after
 * taking what the board UART has, if fill. */
static uint32_t rx_take(struct part *p, int fill)
{
	if (!rx_owner(p))
		return 0;
	for (int i = 0; fill && i < RX_FILL && rx.tail - rx.head < RX_SIZE; i++) {
		int c = cons_getc();

		if (c < 0)
			break;
		rx.buf[rx.tail++ % RX_SIZE] = (uint8_t)c;
	}
	return rx.tail - rx.head;
}

static uint32_t rx_ready(struct part *p)
{
	return rx_take(p, 1);
}

/*
 * An empty poll.  After a run of them the guest waits for input: show
 * its partial line (a prompt) once; what it echoes of the typed text
 * then goes out as the next line when the line ends.
 */
static void rx_idle(struct part *p)
{
	struct vuart *u = &p->uart;

	if (++u->idle_polls >= IDLE_FLUSH && p->line_len && !u->shown &&
	    !part_flush_line(p)) {	/* queued; a full queue: next poll */
		u->shown = 1;
		cons_drain(p);
	}
}

static int rx_pop(struct part *p, int fill)
{
	if (!rx_take(p, fill)) {
		rx_idle(p);
		return -1;
	}
	return rx.buf[rx.head++ % RX_SIZE];
}

int vuart_getchar(struct part *p)
{
	return rx_pop(p, 1);
}

size_t vuart_read(struct part *p, char *buf, size_t n)
{
	size_t i = 0;
	int c;

	while (i < n && (c = rx_pop(p, i == 0)) >= 0)	/* one fill a call */
		buf[i++] = (char)c;
	return i;
}

void vuart_reset(struct part *p)
{
	memset(&p->uart, 0, sizeof(p->uart));
}

/* Loopback (MCR bit 4) wires DTR, RTS, OUT1, OUT2 to DSR, CTS, RI, DCD. */
static uint8_t msr_read(const struct vuart *u)
{
	if (!(u->mcr & MCR_LOOP))
		return MSR_IDLE;
	return (u->mcr & 0x01) << 5 | (u->mcr & 0x02) << 3 |
	       (u->mcr & 0x04) << 4 | (u->mcr & 0x08) << 4;
}

static uint8_t reg_read(struct part *p, unsigned r)
{
	struct vuart *u = &p->uart;
	uint8_t fifo = u->fcr & FCR_ENABLE ? IIR_FIFO : 0;
	int c;

	switch (r) {
	case UART_RBR:
		if (u->lcr & LCR_DLAB)
			return u->dll;
		c = rx_pop(p, 1);
		return c < 0 ? 0 : (uint8_t)c;
	case UART_IER:
		return u->lcr & LCR_DLAB ? u->dlm : u->ier;
	case UART_IIR:
		if ((u->ier & IER_RDI) && rx_ready(p))
			return fifo | IIR_RDI;
		if ((u->ier & IER_THRI) && u->thri) {
			u->thri = 0;	/* reading IIR acknowledges it */
			return fifo | IIR_THRI;
		}
		return fifo | IIR_NONE;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		if (rx_ready(p))
			return LSR_TEMT | LSR_THRE | LSR_DR;
		rx_idle(p);
		return LSR_TEMT | LSR_THRE;
	case UART_MSR:
		return msr_read(u);
	}
	return u->scr;
}

/* Returns 1 when the store must run again (the console queue is full). */
static int reg_write(struct part *p, unsigned r, uint8_t val)
{
	struct vuart *u = &p->uart;

	switch (r) {
	case UART_RBR:			/* THR */
		if (u->lcr & LCR_DLAB) {
			u->dll = val;
			return 0;
		}
		if (!(u->mcr & MCR_LOOP)) {	/* loopback: nothing leaves */
			int r = part_putc(p, (char)val);

			cons_drain(p);		/* only what fits before its stop */
			if (r < 0)
				return 1;	/* its own time: it stores again */
		}
		u->thri = 1;		/* sent at once: empty again */
		return 0;
	case UART_IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = val;
			return 0;
		}
		if (!(u->ier & IER_THRI))
			u->thri = 1;	/* enabling it on an empty THR fires */
		u->ier = val & 0x0f;
		return 0;
	case UART_IIR:			/* FCR */
		u->fcr = val & 0xc9;
		if ((val & FCR_CLEAR_RX) && rx_owner(p))
			rx.head = rx.tail;
		return 0;
	case UART_LCR:
		u->lcr = val;
		return 0;
	case UART_MCR:
		u->mcr = val & 0x1f;
		return 0;
	case UART_SCR:
		u->scr = val;
		return 0;
	}
	/* LSR and MSR are read-only. */
	return 0;
}

/*
 * One access at offset off of its page (mmio.c decoded it).  An aligned
 * access of 1, 2, 4 or 8 bytes at offset o acts on register o alone.
 */
int vuart_access(struct part *p, uint64_t off, unsigned width, int store,
		 uint64_t *val)
{
	if (off % width || off + width > UART_NREGS)
		return MMIO_FAULT;
	if (store)
		return reg_write(p, off, (uint8_t)*val) ? MMIO_RETRY : MMIO_OK;
	*val = reg_read(p, off);
	return MMIO_OK;
}

/* Its interrupt line (the virtual PLIC's source 1): level, as a 16550's. */
int vuart_irq(struct part *p)
{
	struct vuart *u = &p->uart;

	return ((u->ier & IER_THRI) && u->thri) ||
	       ((u->ier & IER_RDI) && rx_ready(p));
}
