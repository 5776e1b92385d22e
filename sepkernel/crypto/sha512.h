/* SPDX-License-Identifier: MIT */
/*
 * sha512.h - SHA-512 (FIPS 180-4), as used by Ed25519.
 *
 * Streaming interface plus a one-shot helper; the context holds no pointers.
 */
#ifndef SK_CRYPTO_SHA512_H
#define SK_CRYPTO_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define SHA512_BLOCK_SIZE	128
#define SHA512_DIGEST_SIZE	64

struct sha512_ctx {
	uint64_t state[8];
	uint64_t nbytes;		/* total bytes hashed (< 2^64 is plenty) */
	uint32_t buflen;		/* bytes waiting in buf */
	uint8_t buf[SHA512_BLOCK_SIZE];
};

void sha512_init(struct sha512_ctx *c);
void sha512_update(struct sha512_ctx *c, const void *data, size_t len);
/* Writes the digest and wipes the context; re-init before reuse. */
void sha512_final(struct sha512_ctx *c, uint8_t out[SHA512_DIGEST_SIZE]);
void sha512(const void *data, size_t len, uint8_t out[SHA512_DIGEST_SIZE]);

#endif /* SK_CRYPTO_SHA512_H */
