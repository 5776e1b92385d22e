/* SPDX-License-Identifier: MIT */
/* verify.h - signature check and measurement of a partition's package. */
#ifndef SK_VERIFY_H
#define SK_VERIFY_H

#include "sk/system.h"

/* 0 if d's package carries a valid signature; else prints the rejection. */
int verify_part(const struct sk_part_desc *d);
/* Print d's measured-boot record: the SHA-256 of its package. */
void measure_part(const struct sk_part_desc *d);

#endif /* SK_VERIFY_H */
