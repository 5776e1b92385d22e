/* SPDX-License-Identifier: MIT */
/* verify.h - signature check and measurement of a partition's package. */
#ifndef SK_VERIFY_H
#define SK_VERIFY_H

#include "sk/system.h"

/* 0 if d's package carries a valid signature; prints the measurement
 * (announce) or the rejection. */
int verify_part(const struct sk_part_desc *d, int announce);

#endif /* SK_VERIFY_H */
