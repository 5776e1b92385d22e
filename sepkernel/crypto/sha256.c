// SPDX-License-Identifier: MIT
/*
 * sha256.c - SHA-256 (FIPS 180-4).
 *
 * The message schedule is kept as a 16-word ring instead of the full
 * 64-word array: less stack and fewer stores, same result.
 */
#include <stddef.h>
#include <stdint.h>

#include "sk/lib.h"
#include "sha256.h"

/* First 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t sha256_ror(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t sha256_load_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void sha256_store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * One round. The eight working variables are rotated by renaming the
 * macro arguments rather than by moving data.
 */
#define SHA256_ROUND(a, b, c, d, e, f, g, h, i, wi)			\
	do {								\
		uint32_t t1_ = (h) + (sha256_ror(e, 6) ^		\
			sha256_ror(e, 11) ^ sha256_ror(e, 25)) +	\
			((g) ^ ((e) & ((f) ^ (g)))) +			\
			sha256_k[i] + (wi);				\
		(d) += t1_;						\
		(h) = t1_ + (sha256_ror(a, 2) ^ sha256_ror(a, 13) ^	\
			sha256_ror(a, 22)) +				\
			(((a) & (b)) | ((c) & ((a) | (b))));		\
	} while (0)

/* Word i >= 16 of the schedule, derived in place in the ring. */
static inline uint32_t sha256_sched(uint32_t w[16], unsigned int i)
{
	uint32_t w2, w15;

	w2 = w[(i - 2) & 15];
	w15 = w[(i - 15) & 15];
	w[i & 15] += (sha256_ror(w2, 17) ^ sha256_ror(w2, 19) ^ (w2 >> 10)) +
		     w[(i - 7) & 15] +
		     (sha256_ror(w15, 7) ^ sha256_ror(w15, 18) ^ (w15 >> 3));
	return w[i & 15];
}

static void sha256_block(uint32_t state[8], const uint8_t *p)
{
	uint32_t w[16];
	uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
	uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
	unsigned int i;

	for (i = 0; i < 16; i++)
		w[i] = sha256_load_be32(p + 4 * i);

	/* Rounds 0..15 use the message words as loaded. */
	for (i = 0; i < 16; i += 8) {
		SHA256_ROUND(a, b, c, d, e, f, g, h, i + 0, w[i + 0]);
		SHA256_ROUND(h, a, b, c, d, e, f, g, i + 1, w[i + 1]);
		SHA256_ROUND(g, h, a, b, c, d, e, f, i + 2, w[i + 2]);
		SHA256_ROUND(f, g, h, a, b, c, d, e, i + 3, w[i + 3]);
		SHA256_ROUND(e, f, g, h, a, b, c, d, i + 4, w[i + 4]);
		SHA256_ROUND(d, e, f, g, h, a, b, c, i + 5, w[i + 5]);
		SHA256_ROUND(c, d, e, f, g, h, a, b, i + 6, w[i + 6]);
		SHA256_ROUND(b, c, d, e, f, g, h, a, i + 7, w[i + 7]);
	}
	for (; i < 64; i += 8) {
		SHA256_ROUND(a, b, c, d, e, f, g, h, i + 0, sha256_sched(w, i + 0));
		SHA256_ROUND(h, a, b, c, d, e, f, g, i + 1, sha256_sched(w, i + 1));
		SHA256_ROUND(g, h, a, b, c, d, e, f, i + 2, sha256_sched(w, i + 2));
		SHA256_ROUND(f, g, h, a, b, c, d, e, i + 3, sha256_sched(w, i + 3));
		SHA256_ROUND(e, f, g, h, a, b, c, d, i + 4, sha256_sched(w, i + 4));
		SHA256_ROUND(d, e, f, g, h, a, b, c, i + 5, sha256_sched(w, i + 5));
		SHA256_ROUND(c, d, e, f, g, h, a, b, i + 6, sha256_sched(w, i + 6));
		SHA256_ROUND(b, c, d, e, f, g, h, a, i + 7, sha256_sched(w, i + 7));
	}

	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
	state[4] += e;
	state[5] += f;
	state[6] += g;
	state[7] += h;
}

void sha256_init(struct sha256_ctx *c)
{
	/* First 32 bits of the fractional parts of the square roots of the first 8 primes. */
	c->state[0] = 0x6a09e667;
	c->state[1] = 0xbb67ae85;
	c->state[2] = 0x3c6ef372;
	c->state[3] = 0xa54ff53a;
	c->state[4] = 0x510e527f;
	c->state[5] = 0x9b05688c;
	c->state[6] = 0x1f83d9ab;
	c->state[7] = 0x5be0cd19;
	c->nbytes = 0;
	c->buflen = 0;
}

void sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;

	if (!len)
		return;
	c->nbytes += len;

	if (c->buflen) {
		size_t take = SHA256_BLOCK_SIZE - c->buflen;

		if (take > len)
			take = len;
		memcpy(c->buf + c->buflen, p, take);
		c->buflen += (uint32_t)take;
		p += take;
		len -= take;
		if (c->buflen < SHA256_BLOCK_SIZE)
			return;
		sha256_block(c->state, c->buf);
		c->buflen = 0;
	}

	/* Whole blocks straight from the caller's buffer: no copy. */
	while (len >= SHA256_BLOCK_SIZE) {
		sha256_block(c->state, p);
		p += SHA256_BLOCK_SIZE;
		len -= SHA256_BLOCK_SIZE;
	}

	if (len) {
		memcpy(c->buf, p, len);
		c->buflen = (uint32_t)len;
	}
}

void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint64_t bits = c->nbytes << 3;
	uint32_t n = c->buflen;
	unsigned int i;

	c->buf[n++] = 0x80;
	if (n > SHA256_BLOCK_SIZE - 8) {
		memset(c->buf + n, 0, SHA256_BLOCK_SIZE - n);
		sha256_block(c->state, c->buf);
		n = 0;
	}
	memset(c->buf + n, 0, SHA256_BLOCK_SIZE - 8 - n);
	sha256_store_be32(c->buf + 56, (uint32_t)(bits >> 32));
	sha256_store_be32(c->buf + 60, (uint32_t)bits);
	sha256_block(c->state, c->buf);

	for (i = 0; i < 8; i++)
		sha256_store_be32(out + 4 * i, c->state[i]);
	memset(c, 0, sizeof(*c));
}

void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}
