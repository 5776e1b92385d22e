/* SPDX-License-Identifier: MIT */
/* hm.h - the health monitor: faults, restart policy, system halt. */
#ifndef SK_HM_H
#define SK_HM_H

#include <stdint.h>
#include "sk/part.h"

void hm_fault(struct part *p, uint64_t cause, uint64_t tval, uint64_t gpa);
void hm_check_watchdog(struct part *p, uint64_t frame);
void hm_reboot(struct part *p);
/* cold: runs once, at the end, so it is built for size. */
void sk_halt(const char *reason, const char *part) __attribute__((noreturn, cold));
void sk_panic(const char *what, uint64_t cause, uint64_t epc, uint64_t tval)
	__attribute__((noreturn));

#endif /* SK_HM_H */
