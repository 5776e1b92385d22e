/* SPDX-License-Identifier: MIT */
/*
 * ed25519.h - strict Ed25519 signature verification (RFC 8032, pure
 * Ed25519, no context or prehash).
 *
 * Beyond RFC 8032 section 5.1.7 this rejects small-order public keys
 * and small-order R, so a signature cannot be valid for many messages
 * or many keys at once. The check is the cofactorless [S]B = R + [k]A.
 */
#ifndef SK_CRYPTO_ED25519_H
#define SK_CRYPTO_ED25519_H

#include <stddef.h>
#include <stdint.h>

#define ED25519_PUBLIC_KEY_SIZE	32
#define ED25519_SIGNATURE_SIZE	64

#define ED25519_ERR_S_RANGE		(-1)	/* S >= L */
#define ED25519_ERR_BAD_KEY		(-2)	/* A non-canonical or not on the curve */
#define ED25519_ERR_SMALL_ORDER		(-3)	/* A in the 8-torsion subgroup */
#define ED25519_ERR_BAD_R		(-4)	/* R non-canonical or not on the curve */
#define ED25519_ERR_SMALL_ORDER_R	(-5)	/* R in the 8-torsion subgroup */
#define ED25519_ERR_MISMATCH		(-6)	/* equation does not hold */

/*
 * Returns 0 when sig is a valid RFC 8032 Ed25519 signature of msg under
 * pub, a negative ED25519_ERR_* otherwise. msg may be NULL when len is
 * 0. Inputs are public, so timing may depend on them, except that the
 * final point comparison is constant time.
 */
int ed25519_verify(const uint8_t sig[64], const uint8_t *msg, size_t len,
		   const uint8_t pub[32]);

/*
 * Short lower_snake reason for a return value of ed25519_verify(), for
 * log lines such as "reason=bad_signature". Never NULL.
 */
const char *ed25519_strerror(int err);

#endif /* SK_CRYPTO_ED25519_H */
