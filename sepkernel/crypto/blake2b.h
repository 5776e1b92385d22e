/* SPDX-License-Identifier: MIT */
/*
 * blake2b.h - BLAKE2b-512 (RFC 7693), unkeyed: the one hash a package
 * goes through, whose digest is both signed and measured.
 *
 * Streaming, with a context that holds no pointers, so a reload can
 * keep one in its partition's state and go on hashing in a later slot.
 */
#ifndef SK_CRYPTO_BLAKE2B_H
#define SK_CRYPTO_BLAKE2B_H

#include <stddef.h>
#include <stdint.h>

#define BLAKE2B_BLOCK_SIZE	128
#define BLAKE2B_DIGEST_SIZE	64

struct blake2b_ctx {
	uint64_t h[8];
	uint64_t nbytes;		/* bytes compressed so far */
	uint32_t buflen;		/* bytes waiting in buf */
	uint8_t buf[BLAKE2B_BLOCK_SIZE] __attribute__((aligned(8)));
};

/*
 * Nonzero: use the Zbb rotate (rori).  Set once at boot by a probe;
 * the portable path is the default.
 */
extern int blake2b_zbb;

void blake2b_init(struct blake2b_ctx *c);
void blake2b_update(struct blake2b_ctx *c, const void *data, size_t len);
/* Writes the digest and wipes the context; re-init before reuse. */
void blake2b_final(struct blake2b_ctx *c, uint8_t out[BLAKE2B_DIGEST_SIZE]);
void blake2b(const void *data, size_t len, uint8_t out[BLAKE2B_DIGEST_SIZE]);

#endif /* SK_CRYPTO_BLAKE2B_H */
