/* SPDX-License-Identifier: MIT */
/*
 * barrier.h - memory ordering, RVWMO's way.  A release store is a fence
 * that orders every earlier access before the store (fence rw,w), then a
 * plain aligned store, which RISC-V makes single-copy atomic.  GCC 12
 * emits an amoswap for __atomic_store_n, which needs its address in a
 * register of its own: one instruction more on the channels' hot paths.
 */
#ifndef ARCH_BARRIER_H
#define ARCH_BARRIER_H

#include <stdint.h>

static inline void store_release_u64(uint64_t *p, uint64_t v)
{
	__asm__ volatile("fence rw, w\n\tsd %1, %0" : "=m"(*p) : "r"(v) : "memory");
}

#endif /* ARCH_BARRIER_H */
