/* SPDX-License-Identifier: MIT */
/*
 * spinlock.h - the kernel's only lock: a test-and-set spinlock (RV64A
 * amoswap).  Held for a few instructions at a time: a console line, an
 * audit record.  Never taken on the channel or hypercall hot paths.
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

#endif /* SK_SPINLOCK_H */
