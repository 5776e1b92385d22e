/* SPDX-License-Identifier: MIT */
/*
 * spinlock.h - the kernel's locks (RV64A atomics).  Never taken on the
 * channel or hypercall hot paths.
 *
 * A path a partition can start never waits for another hart for longer
 * than the compiler counted into the guard: the console is only ever
 * tried (spin_trylock: a busy console leaves the line queued), and the
 * audit channel's lock is a ticket lock, first come first served, so a
 * waiter waits at most one short hold per other hart.  The blocking
 * test-and-set lock remains for kernel-only lines (boot, halt).
 */
#ifndef SK_SPINLOCK_H
#define SK_SPINLOCK_H

#include <stdint.h>

static inline void spin_lock(volatile uint32_t *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		;
}

static inline void spin_unlock(volatile uint32_t *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

/* Take the lock if it is free; 1 if taken.  Never waits. */
static inline int spin_trylock(volatile uint32_t *l)
{
	return !__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE);
}

/* A fair lock: each taker draws a ticket and waits for its turn. */
struct ticket_lock {
	uint32_t next;
	uint32_t owner;
};

static inline void ticket_lock(struct ticket_lock *l)
{
	uint32_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		;
}

static inline void ticket_unlock(struct ticket_lock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

#endif /* SK_SPINLOCK_H */
