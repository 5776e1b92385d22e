// SPDX-License-Identifier: MIT
/*
 * ed25519.c - strict Ed25519 verification, RFC 8032 section 5.1.7.
 *
 * Order of checks: the cheap S range test first, then decoding (one
 * square root each for A and R), then the small-order tests, then one
 * SHA-512 and one double-scalar multiplication.
 */
#include <stddef.h>
#include <stdint.h>

#include "sk/lib.h"
#include "ed25519.h"
#include "ge25519.h"
#include "sc25519.h"
#include "sha512.h"

int ed25519_verify(const uint8_t sig[64], const uint8_t *msg, size_t len,
		   const uint8_t pub[32])
{
	struct ge25519_p3 a, r;
	struct ge25519_p2 chk;
	struct sha512_ctx h;
	uint8_t digest[SHA512_DIGEST_SIZE];
	uint8_t k[32];
	const uint8_t *s = sig + 32;

	if (!sc25519_is_canonical(s))
		return ED25519_ERR_S_RANGE;
	if (ge25519_frombytes(&a, pub))
		return ED25519_ERR_BAD_KEY;
	if (ge25519_is_small_order(&a))
		return ED25519_ERR_SMALL_ORDER;
	if (ge25519_frombytes(&r, sig))
		return ED25519_ERR_BAD_R;
	if (ge25519_is_small_order(&r))
		return ED25519_ERR_SMALL_ORDER_R;

	/* k = SHA-512(R || A || M) mod L, hashing the bytes as received */
	sha512_init(&h);
	sha512_update(&h, sig, 32);
	sha512_update(&h, pub, 32);
	sha512_update(&h, msg, len);
	sha512_final(&h, digest);
	sc25519_reduce64(k, digest);

	/* [S]B - [k]A must equal R; compared without early exit. */
	ge25519_neg(&a, &a);
	ge25519_double_scalarmult_vartime(&chk, k, &a, s);
	if (!ge25519_equal(&chk, &r))
		return ED25519_ERR_MISMATCH;
	return 0;
}

const char *ed25519_strerror(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case ED25519_ERR_S_RANGE:
		return "s_out_of_range";
	case ED25519_ERR_BAD_KEY:
		return "bad_key";
	case ED25519_ERR_SMALL_ORDER:
		return "small_order_key";
	case ED25519_ERR_BAD_R:
		return "bad_r";
	case ED25519_ERR_SMALL_ORDER_R:
		return "small_order_r";
	case ED25519_ERR_MISMATCH:
		return "bad_signature";
	default:
		return "unknown_error";
	}
}
