/* SPDX-License-Identifier: MIT */
/*
 * fe25519.h - arithmetic in GF(2^255 - 19) for Ed25519 verification.
 *
 * An element is five 51-bit limbs, least significant first, so that a
 * limb product fits a 128-bit accumulator with headroom to add five of
 * them. Limbs are allowed to grow past 51 bits between reductions; the
 * bounds each routine accepts and produces are stated below and the
 * group code (ge25519.c) is written to stay within them:
 *
 *   "reduced"  every limb < 2^51 + 2^15  (output of mul, sq, sub, frombytes)
 *   mul/sq     accept limbs < 2^54
 *   add        no carry: output limb = sum of input limbs
 *   sub        accepts a subtrahend with limbs < 2^53 - 76, output reduced
 *
 * Only fe25519_tobytes() produces the unique (canonical) value.
 */
#ifndef SK_CRYPTO_FE25519_H
#define SK_CRYPTO_FE25519_H

#include <stddef.h>
#include <stdint.h>

#define FE25519_MASK	((UINT64_C(1) << 51) - 1)

struct fe25519 {
	uint64_t v[5];
};

/* Loads bits 0..254 of s; bit 255 is ignored (the caller owns it). */
void fe25519_frombytes(struct fe25519 *h, const uint8_t s[32]);
/* Stores the canonical encoding (value fully reduced mod p). */
void fe25519_tobytes(uint8_t s[32], const struct fe25519 *f);

void fe25519_mul(struct fe25519 *h, const struct fe25519 *f,
		 const struct fe25519 *g);
void fe25519_sq(struct fe25519 *h, const struct fe25519 *f);
/* h = f^((p - 5) / 8) = f^(2^252 - 3), the square-root helper exponent */
void fe25519_pow22523(struct fe25519 *h, const struct fe25519 *f);

/* h = 1/f (0 if f == 0) */
void fe25519_invert(struct fe25519 *h, const struct fe25519 *f);

/* Constant time; 1 if f == 0 mod p, else 0. */
int fe25519_iszero(const struct fe25519 *f);
/* Constant time; low bit of the canonical encoding ("sign" of x). */
int fe25519_isnegative(const struct fe25519 *f);

static inline void fe25519_set(struct fe25519 *h, uint64_t small)
{
	h->v[0] = small;
	h->v[1] = 0;
	h->v[2] = 0;
	h->v[3] = 0;
	h->v[4] = 0;
}

static inline void fe25519_add(struct fe25519 *h, const struct fe25519 *f,
			       const struct fe25519 *g)
{
	h->v[0] = f->v[0] + g->v[0];
	h->v[1] = f->v[1] + g->v[1];
	h->v[2] = f->v[2] + g->v[2];
	h->v[3] = f->v[3] + g->v[3];
	h->v[4] = f->v[4] + g->v[4];
}

/*
 * h = f - g, carried back to "reduced" (see fe25519.c).  Out of line:
 * inlined at every use it cost over a kilobyte of kernel text.
 */
void fe25519_sub(struct fe25519 *h, const struct fe25519 *f,
		 const struct fe25519 *g);

static inline void fe25519_neg(struct fe25519 *h, const struct fe25519 *f)
{
	struct fe25519 zero;

	fe25519_set(&zero, 0);
	fe25519_sub(h, &zero, f);
}

#endif /* SK_CRYPTO_FE25519_H */
