/* SPDX-License-Identifier: MIT */
/*
 * sha256.h - SHA-256 (FIPS 180-4).
 *
 * Streaming interface plus a one-shot helper. The context holds no
 * pointers, so it can live on the stack of any caller.
 */
#ifndef SK_CRYPTO_SHA256_H
#define SK_CRYPTO_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BLOCK_SIZE	64
#define SHA256_DIGEST_SIZE	32

struct sha256_ctx {
	uint32_t state[8];
	uint64_t nbytes;		/* total bytes hashed so far */
	uint32_t buflen;		/* bytes waiting in buf */
	uint8_t buf[SHA256_BLOCK_SIZE];
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
/* Writes the digest and wipes the context; re-init before reuse. */
void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

#endif /* SK_CRYPTO_SHA256_H */
