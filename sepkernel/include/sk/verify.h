/* SPDX-License-Identifier: MIT */
/* verify.h - signature check and measurement of a partition's package. */
#ifndef SK_VERIFY_H
#define SK_VERIFY_H

#include "crypto/blake2b.h"
#include "sk/system.h"

/* Length of the scheme's prefix in the signed message (see verify.c). */
#define VERIFY_CONTEXT_SIZE	32

/* Probe for Zbb once at boot: the package hash uses rori if it is there. */
void verify_probe(void);
/*
 * 0 if d's signature covers this package digest; prints the measured-
 * boot record (event=verified) or the rejection.
 */
int verify_digest(const struct sk_part_desc *d,
		  const uint8_t digest[BLAKE2B_DIGEST_SIZE]);

#endif /* SK_VERIFY_H */
