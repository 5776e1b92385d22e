// SPDX-License-Identifier: GPL-2.0
/*
 * skchan.c - sepkernel channels for Linux: /dev/sk/<channel name>.
 *
 * Licence: GPL-2.0 (it links into Linux); the rest of sepkernel is MIT.
 * `make linux` copies this file, skchan.h and sbi/sk_abi.h into the
 * kernel tree (drivers/misc/) and builds it in.
 *
 * The partition's device tree lists its channels under /channels, one
 * node per grant, named after the channel, with its id (an index into
 * the partition's own grants), kind, direction and sizes.  Each becomes a
 * misc device; as this small Linux has no devtmpfs, the driver also makes
 * the nodes /dev/sk/<name> in the initramfs itself before /init runs.
 *
 * Every operation is one hypercall (an SBI ecall, extension SK_EID):
 * the message is copied by sepkernel between this driver's kmalloc'd
 * buffer, named by its guest-physical address, and the kernel's own
 * storage; sepkernel checks the address, the channel and the policy, and
 * writes the audit record of a refusal.  The driver only translates its
 * answers into errno values.
 *
 * Doorbells are interrupts.  With plic = true each channel node names
 * its own source of the partition's virtual PLIC (interrupts-extended),
 * and Linux's PLIC driver hands it to us like any device interrupt: a
 * reader blocked on a queuing channel or a shared window sleeps until its
 * doorbell rings, with no polling.  Without a PLIC the doorbells arrive
 * as the supervisor software interrupt, which only a Linux built without
 * SMP leaves to us; readers then also re-poll once a jiffy.  A sampling
 * port has no events (a writer overwrites, it does not ring), and a
 * writer waits for room, which rings nothing: those re-poll once a jiffy.
 */
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/init_syscalls.h>
#include <linux/initrd.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kdev_t.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <asm/csr.h>

#include "sk_abi.h"
#include "skchan.h"

#define SKCHAN_MAX	64	/* doorbell bits: one per port id */

struct skchan {
	struct miscdevice misc;
	char name[32];
	char node[40];		/* "sk/<name>" */
	u32 id, kind, dir, msg_size, depth;
	u64 win_pa, win_size;
	wait_queue_head_t wq;
	int irq;		/* its doorbell's interrupt (virtual PLIC), or 0 */
	struct mutex lock;	/* the hypercall buffers below */
	int rang;		/* doorbell seen, not yet consumed */
	u32 room;		/* send queue: slots known free (under lock) */
	u32 doorbells;		/* interrupts taken for it, since boot */
	void *buf;		/* msg_size bytes, guest-physical for the kernel */
	struct sk_msg_info *info;
	struct sk_chan_status *st;
};

struct skfile {
	struct skchan *c;
	u32 type;			/* tag for writes */
	struct sk_msg_info last;	/* what the last read received */
};

static struct skchan *sk_chans[SKCHAN_MAX];
static unsigned int sk_nchans;
static struct timer_list sk_tick;

static long sk_call(unsigned long fid, unsigned long a0, unsigned long a1,
		    unsigned long a2, unsigned long a3, unsigned long a4,
		    long *value)
{
	/* by hand, not sbi_ecall(): sk_abi.h names the SBI errors too */
	register unsigned long r0 asm("a0") = a0;
	register unsigned long r1 asm("a1") = a1;
	register unsigned long r2 asm("a2") = a2;
	register unsigned long r3 asm("a3") = a3;
	register unsigned long r4 asm("a4") = a4;
	register unsigned long r6 asm("a6") = fid;
	register unsigned long r7 asm("a7") = SK_EID;

	asm volatile("ecall" : "+r"(r0), "+r"(r1)
		     : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7) : "memory");
	if (value)
		*value = (long)r1;
	return (long)r0;
}

/* sepkernel's answer as an errno: each refusal keeps its meaning. */
static int sk_errno(long err)
{
	switch (err) {
	case SK_ERR_FULL:
	case SK_ERR_EMPTY:
		return -EAGAIN;
	case SK_ERR_SIZE:
	case SK_ERR_MAX_SIZE:
		return -EMSGSIZE;
	case SK_ERR_POLICY:
	case SK_ERR_TYPE:
		return -EACCES;
	case SK_ERR_PROTOCOL:
		return -EPROTO;
	case SK_ERR_RATE:
		return -EBUSY;
	case SK_ERR_BAD_CHANNEL:
		return -ENODEV;
	case SK_ERR_DIRECTION:
		return -EBADF;
	case SK_ERR_KIND:
		return -EINVAL;
	case SBI_ERR_INVALID_ADDRESS:
		return -EFAULT;
	default:
		return -EIO;
	}
}

static long sk_status(struct skchan *c)
{
	return sk_call(SK_FID_CHAN_STATUS, c->id, __pa(c->st), 0, 0, 0, NULL);
}

/* Something to read (receive ports) or room to write (send ports)? */
static __poll_t sk_ready(struct skchan *c)
{
	__poll_t m = 0;

	if (c->kind == 3)	/* shared: the window is always there */
		return READ_ONCE(c->rang) ? EPOLLIN | EPOLLPRI | EPOLLRDNORM :
		       (c->dir == 1 ? EPOLLOUT : 0);
	mutex_lock(&c->lock);
	if (!sk_status(c)) {
		if (c->dir == 2 && c->st->count)
			m |= EPOLLIN | EPOLLRDNORM;
		if (c->dir == 1 && (c->kind == 2 || c->st->count < c->depth))
			m |= EPOLLOUT | EPOLLWRNORM;
	}
	mutex_unlock(&c->lock);
	return m;
}

static void sk_wake_all(void)
{
	unsigned int i;

	for (i = 0; i < sk_nchans; i++)
		wake_up_interruptible(&sk_chans[i]->wq);
}

static void sk_tick_fn(struct timer_list *t)
{
	sk_wake_all();
}

/* A receive port whose doorbell is an interrupt of its own: it waits for
 * that alone (a sampling port has no events, a writer waits for room). */
static bool sk_event_driven(struct skchan *c)
{
	return c->irq > 0 && c->dir == 2 && c->kind != 2;
}

/* Its own doorbell, from the virtual PLIC (the claim consumed it). */
static irqreturn_t sk_chan_irq(int irq, void *cookie)
{
	struct skchan *c = cookie;

	c->doorbells++;
	WRITE_ONCE(c->rang, 1);
	wake_up_interruptible(&c->wq);
	return IRQ_HANDLED;
}

/* A doorbell without a PLIC: which ports rang (the kernel clears them as
 * it answers). */
static irqreturn_t sk_irq(int irq, void *cookie)
{
	long bits = 0;
	unsigned int i;

	csr_clear(CSR_IP, IE_SIE);
	sk_call(SK_FID_INFO, SK_INFO_NOTIFIED, 0, 0, 0, 0, &bits);
	for (i = 0; i < sk_nchans; i++)
		if ((unsigned long)bits >> sk_chans[i]->id & 1) {
			sk_chans[i]->doorbells++;
			WRITE_ONCE(sk_chans[i]->rang, 1);
		}
	sk_wake_all();
	return IRQ_HANDLED;
}

static int sk_open(struct inode *inode, struct file *file)
{
	struct miscdevice *m = file->private_data;
	struct skfile *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->c = container_of(m, struct skchan, misc);
	file->private_data = f;
	return 0;
}

static int sk_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/*
 * Room for one more message in a send queue?  Only this partition writes
 * the queue and its reader only takes messages out, so room once seen
 * stays room: the kernel is asked (one status call) only when the room
 * last seen is used up.  Called with c->lock held.
 */
static int sk_room(struct skchan *c)
{
	if (c->kind != 1 || c->room)
		return 1;
	if (sk_status(c))
		return 1;		/* let the send say what is wrong */
	c->room = c->st->count < c->depth ? c->depth - c->st->count : 0;
	return c->room != 0;
}

/*
 * One message.  A full queue: O_NONBLOCK gets EAGAIN (the kernel's
 * refusal, counted as a drop); otherwise the writer sleeps until there is
 * room.  No doorbell says "room" (the reader's doorbell is for readers),
 * so a blocked writer looks again once a jiffy, and never sends into a
 * full queue: a blocking write is delayed, never counted as a drop.
 */
static ssize_t sk_write(struct file *file, const char __user *ubuf,
			size_t count, loff_t *off)
{
	struct skfile *f = file->private_data;
	struct skchan *c = f->c;
	int block = !(file->f_flags & O_NONBLOCK);
	long err;

	for (;;) {
		mutex_lock(&c->lock);
		if (!block || count > c->msg_size || sk_room(c))
			break;
		mutex_unlock(&c->lock);
		schedule_timeout_interruptible(1);
		if (signal_pending(current))
			return -ERESTARTSYS;	/* EINTR, or restarted */
	}
	/* Too long: still asked, so the kernel audits it (it never reads). */
	if (count <= c->msg_size && copy_from_user(c->buf, ubuf, count)) {
		mutex_unlock(&c->lock);
		return -EFAULT;
	}
	err = sk_call(SK_FID_CHAN_SEND, c->id, __pa(c->buf), count, f->type, 0,
		      NULL);
	if (!err && c->room)
		c->room--;
	mutex_unlock(&c->lock);
	return err ? sk_errno(err) : (ssize_t)count;
}

/* One receive: the length, or a negative sepkernel error. */
static long sk_recv_once(struct skfile *f, char __user *ubuf, size_t count)
{
	struct skchan *c = f->c;
	size_t cap = min_t(size_t, count, c->msg_size);
	long err, n = 0;

	mutex_lock(&c->lock);
	err = sk_call(SK_FID_CHAN_RECV, c->id, __pa(c->buf), cap,
		      __pa(c->info), SK_RECV_FRESH, &n);
	if (!err) {
		f->last = *c->info;
		if (copy_to_user(ubuf, c->buf, n))
			n = -EFAULT;
	}
	mutex_unlock(&c->lock);
	return err ? err : n;
}

static ssize_t sk_read(struct file *file, char __user *ubuf, size_t count,
		       loff_t *off)
{
	struct skfile *f = file->private_data;
	struct skchan *c = f->c;
	long n;

	for (;;) {
		if (c->kind == 3) {		/* shared: wait for the doorbell */
			if (xchg(&c->rang, 0))
				return 0;
			n = SK_ERR_EMPTY;
		} else {
			WRITE_ONCE(c->rang, 0);
			n = sk_recv_once(f, ubuf, count);
			if (n >= 0)
				return n;
		}
		if (n == -EFAULT)
			return n;
		if (n != SK_ERR_EMPTY || (file->f_flags & O_NONBLOCK))
			return sk_errno(n);
		if (sk_event_driven(c)) {	/* the doorbell wakes us */
			if (wait_event_interruptible(c->wq, READ_ONCE(c->rang)))
				return -ERESTARTSYS;
			continue;
		}
		mod_timer(&sk_tick, jiffies + 1);
		if (wait_event_interruptible_timeout(c->wq, READ_ONCE(c->rang),
						     1) < 0)
			return -ERESTARTSYS;
	}
}

static __poll_t sk_poll(struct file *file, poll_table *wait)
{
	struct skchan *c = ((struct skfile *)file->private_data)->c;
	__poll_t m;

	poll_wait(file, &c->wq, wait);
	m = sk_ready(c);
	if (!m && !sk_event_driven(c))
		mod_timer(&sk_tick, jiffies + 1);
	return m;
}

static long sk_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct skfile *f = file->private_data;
	struct skchan *c = f->c;
	struct skchan_status s;
	long err;

	switch (cmd) {
	case SKCHAN_SET_TYPE:
		return get_user(f->type, (u32 __user *)arg);
	case SKCHAN_NOTIFY:
		err = sk_call(SK_FID_CHAN_NOTIFY, c->id, 0, 0, 0, 0, NULL);
		return err ? sk_errno(err) : 0;
	case SKCHAN_STATUS:
		memset(&s, 0, sizeof(s));
		mutex_lock(&c->lock);
		err = sk_status(c);
		if (!err) {
			s.kind = c->st->kind;
			s.dir = c->st->dir;
			s.msg_size = c->st->msg_size;
			s.depth = c->st->depth;
			s.count = c->st->count;
			s.drops = c->st->drops;
			s.epoch = c->st->epoch;
			s.readers = c->st->readers;
		}
		mutex_unlock(&c->lock);
		if (err)
			return sk_errno(err);
		s.last_len = f->last.len;
		s.last_type = f->last.type;
		s.last_age = f->last.age;
		s.last_valid = f->last.valid;
		s.last_epoch = f->last.epoch;
		s.last_fresh = f->last.fresh;
		s.doorbells = READ_ONCE(c->doorbells);
		return copy_to_user((void __user *)arg, &s, sizeof(s)) ?
		       -EFAULT : 0;
	}
	return -ENOTTY;
}

/*
 * A shared window, mapped straight from its guest-physical address.  A
 * reader may map it only without write permission (and cannot add it
 * later), so its store is Linux's own SIGSEGV, never a G-stage fault.
 */
static int sk_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct skchan *c = ((struct skfile *)file->private_data)->c;
	unsigned long size = vma->vm_end - vma->vm_start;
	unsigned long off = vma->vm_pgoff << PAGE_SHIFT;

	if (c->kind != 3)
		return -ENODEV;
	if (off >= c->win_size || size > c->win_size - off)
		return -EINVAL;
	if (c->dir != 1) {
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		vma->vm_flags &= ~VM_MAYWRITE;
	}
	return remap_pfn_range(vma, vma->vm_start, (c->win_pa + off) >> PAGE_SHIFT,
			       size, vma->vm_page_prot);
}

static const struct file_operations sk_fops = {
	.owner = THIS_MODULE,
	.open = sk_open,
	.release = sk_release,
	.read = sk_read,
	.write = sk_write,
	.poll = sk_poll,
	.unlocked_ioctl = sk_ioctl,
	.mmap = sk_mmap,
	.llseek = noop_llseek,
};

static u32 sk_kind(const char *s)
{
	return !strcmp(s, "queuing") ? 1 : !strcmp(s, "sampling") ? 2 :
	       !strcmp(s, "shared") ? 3 : 0;
}

static int __init sk_add(struct device_node *np)
{
	struct skchan *c;
	const char *kind = "", *dir = "";
	u64 reg[2] = { 0, 0 };
	int err;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	strscpy(c->name, np->name, sizeof(c->name));
	snprintf(c->node, sizeof(c->node), "sk/%s", c->name);
	of_property_read_u32(np, "id", &c->id);
	of_property_read_string(np, "kind", &kind);
	of_property_read_string(np, "direction", &dir);
	of_property_read_u32(np, "msg-size", &c->msg_size);
	of_property_read_u32(np, "depth", &c->depth);
	of_property_read_u64_array(np, "reg", reg, 2);
	c->kind = sk_kind(kind);
	c->dir = !strcmp(dir, "send") ? 1 : 2;
	c->win_pa = reg[0];
	c->win_size = reg[1];
	if (!c->kind || c->id >= SKCHAN_MAX)
		goto bad;
	c->buf = kzalloc(ALIGN(max_t(u32, c->msg_size, 8), 8), GFP_KERNEL);
	c->info = kzalloc(sizeof(*c->info), GFP_KERNEL);
	c->st = kzalloc(sizeof(*c->st), GFP_KERNEL);
	if (!c->buf || !c->info || !c->st)
		goto bad;
	init_waitqueue_head(&c->wq);
	mutex_init(&c->lock);
	c->misc.minor = MISC_DYNAMIC_MINOR;
	c->misc.name = c->name;
	c->misc.nodename = c->node;
	c->misc.mode = 0600;
	c->misc.fops = &sk_fops;
	err = misc_register(&c->misc);
	if (err)
		goto bad;
	c->irq = irq_of_parse_and_map(np, 0);	/* 0: no interrupts property */
	if (c->irq > 0 && request_irq(c->irq, sk_chan_irq, 0, c->node, c)) {
		pr_warn("skchan: %s: doorbell interrupt %d refused\n", c->name,
			c->irq);
		c->irq = 0;
	}
	sk_chans[sk_nchans++] = c;
	return 0;
bad:
	pr_warn("skchan: %s: not usable (kind \"%s\", id %u)\n", c->name, kind,
		c->id);
	kfree(c->buf);
	kfree(c->info);
	kfree(c->st);
	kfree(c);
	return -EINVAL;
}

static DEFINE_PER_CPU(int, sk_irq_cookie);

/* The doorbell: supervisor software interrupt 1 of the cpu-intc. */
static void __init sk_irq_init(void)
{
#ifndef CONFIG_SMP
	struct device_node *np;
	struct irq_domain *dom;
	unsigned int virq;

	np = of_find_compatible_node(NULL, NULL, "riscv,cpu-intc");
	dom = np ? irq_find_host(np) : NULL;
	of_node_put(np);
	virq = dom ? irq_create_mapping(dom, RV_IRQ_SOFT) : 0;
	if (!virq || request_percpu_irq(virq, sk_irq, "skchan", &sk_irq_cookie)) {
		pr_warn("skchan: no doorbell interrupt: readers poll\n");
		return;
	}
	enable_percpu_irq(virq, 0);
	sk_irq(virq, NULL);	/* arms the doorbell, takes what already rang */
#else
	pr_warn("skchan: SMP Linux keeps the software interrupt: readers poll\n");
#endif
}

/*
 * /dev/sk/watchdog: each write kicks the partition's health-monitor
 * watchdog (its configuration's watchdog = N major frames).  A user-space
 * daemon that writes to it shows that Linux's processes still run; when
 * it stops (Linux or the daemon hung), the kernel's health monitor acts
 * on the partition: restart or halt, as configured.
 */
static ssize_t sk_wd_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *off)
{
	long err = sk_call(SK_FID_KICK, 0, 0, 0, 0, 0, NULL);

	return err ? sk_errno(err) : (ssize_t)count;
}

static const struct file_operations sk_wd_fops = {
	.owner = THIS_MODULE,
	.write = sk_wd_write,
	.llseek = noop_llseek,
};

static struct miscdevice sk_wd = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "sk-watchdog",
	.nodename = "sk/watchdog",
	.mode = 0600,
	.fops = &sk_wd_fops,
};
static bool sk_wd_ok;

static int __init sk_init(void)
{
	struct device_node *chans, *np;

	np = of_find_node_by_path("/sepkernel");	/* under sepkernel at all? */
	if (!np)
		return 0;
	of_node_put(np);
	sk_wd_ok = !misc_register(&sk_wd);
	timer_setup(&sk_tick, sk_tick_fn, 0);
	chans = of_find_node_by_path("/channels");
	if (!chans)
		return 0;
	for_each_child_of_node(chans, np)
		if (sk_nchans < SKCHAN_MAX)
			sk_add(np);
	of_node_put(chans);
	if (sk_nchans && !sk_chans[0]->irq)	/* no PLIC: the soft interrupt */
		sk_irq_init();
	pr_info("skchan: %u channel(s)\n", sk_nchans);
	return 0;
}
device_initcall(sk_init);

/* The nodes, in the initramfs (unpacked by now) before /init runs. */
static int __init sk_nodes(void)
{
	char path[48];
	unsigned int i;

	if (!sk_wd_ok && !sk_nchans)
		return 0;
	wait_for_initramfs();
	init_mkdir("/dev", 0755);
	init_mkdir("/dev/sk", 0755);
	if (sk_wd_ok)
		init_mknod("/dev/sk/watchdog", S_IFCHR | 0600,
			   new_encode_dev(MKDEV(MISC_MAJOR, sk_wd.minor)));
	for (i = 0; i < sk_nchans; i++) {
		snprintf(path, sizeof(path), "/dev/%s", sk_chans[i]->node);
		init_mknod(path, S_IFCHR | 0600,
			   new_encode_dev(MKDEV(MISC_MAJOR, sk_chans[i]->misc.minor)));
	}
	return 0;
}
late_initcall(sk_nodes);
