// SPDX-License-Identifier: MIT
/*
 * fe25519.c - multiplication, squaring, exponentiation and encoding in
 * GF(2^255 - 19), radix 2^51.
 *
 * Reduction uses 2^255 = 19 (mod p): a limb product that lands at
 * weight 2^255 or above is folded back multiplied by 19.
 */
#include <stddef.h>
#include <stdint.h>

#include "sk/lib.h"
#include "fe25519.h"

typedef unsigned __int128 fe25519_u128;

static inline fe25519_u128 fe25519_mul64(uint64_t a, uint64_t b)
{
	return (fe25519_u128)a * b;
}

static inline uint64_t fe25519_load_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static inline void fe25519_store_le64(uint8_t *p, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * Carry the five 128-bit column sums into reduced limbs. With input
 * limbs < 2^54 every column is < 2^115 and column 4 (which has no
 * factor 19) < 2^111, so the top carry times 19 still fits 64 bits.
 */
static inline void fe25519_carry(struct fe25519 *h, fe25519_u128 r0,
				 fe25519_u128 r1, fe25519_u128 r2,
				 fe25519_u128 r3, fe25519_u128 r4)
{
	uint64_t h0, h1, h2, h3, h4, c;

	r1 += (uint64_t)(r0 >> 51);
	h0 = (uint64_t)r0 & FE25519_MASK;
	r2 += (uint64_t)(r1 >> 51);
	h1 = (uint64_t)r1 & FE25519_MASK;
	r3 += (uint64_t)(r2 >> 51);
	h2 = (uint64_t)r2 & FE25519_MASK;
	r4 += (uint64_t)(r3 >> 51);
	h3 = (uint64_t)r3 & FE25519_MASK;
	c = (uint64_t)(r4 >> 51);
	h4 = (uint64_t)r4 & FE25519_MASK;

	h0 += c * 19;
	h1 += h0 >> 51;
	h0 &= FE25519_MASK;

	h->v[0] = h0;
	h->v[1] = h1;
	h->v[2] = h2;
	h->v[3] = h3;
	h->v[4] = h4;
}

void fe25519_mul(struct fe25519 *h, const struct fe25519 *f,
		 const struct fe25519 *g)
{
	uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2];
	uint64_t f3 = f->v[3], f4 = f->v[4];
	uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2];
	uint64_t g3 = g->v[3], g4 = g->v[4];
	uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2;
	uint64_t g3_19 = 19 * g3, g4_19 = 19 * g4;
	fe25519_u128 r0, r1, r2, r3, r4;

	r0 = fe25519_mul64(f0, g0) + fe25519_mul64(f1, g4_19) +
	     fe25519_mul64(f2, g3_19) + fe25519_mul64(f3, g2_19) +
	     fe25519_mul64(f4, g1_19);
	r1 = fe25519_mul64(f0, g1) + fe25519_mul64(f1, g0) +
	     fe25519_mul64(f2, g4_19) + fe25519_mul64(f3, g3_19) +
	     fe25519_mul64(f4, g2_19);
	r2 = fe25519_mul64(f0, g2) + fe25519_mul64(f1, g1) +
	     fe25519_mul64(f2, g0) + fe25519_mul64(f3, g4_19) +
	     fe25519_mul64(f4, g3_19);
	r3 = fe25519_mul64(f0, g3) + fe25519_mul64(f1, g2) +
	     fe25519_mul64(f2, g1) + fe25519_mul64(f3, g0) +
	     fe25519_mul64(f4, g4_19);
	r4 = fe25519_mul64(f0, g4) + fe25519_mul64(f1, g3) +
	     fe25519_mul64(f2, g2) + fe25519_mul64(f3, g1) +
	     fe25519_mul64(f4, g0);

	fe25519_carry(h, r0, r1, r2, r3, r4);
}

/* Squaring shares the symmetric cross products: 15 multiplies, not 25. */
void fe25519_sq(struct fe25519 *h, const struct fe25519 *f)
{
	uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2];
	uint64_t f3 = f->v[3], f4 = f->v[4];
	uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1;
	uint64_t f3_19 = 19 * f3, f4_19 = 19 * f4;
	fe25519_u128 r0, r1, r2, r3, r4;

	r0 = fe25519_mul64(f0, f0) + fe25519_mul64(f1_2, f4_19) +
	     fe25519_mul64(2 * f2, f3_19);
	r1 = fe25519_mul64(f0_2, f1) + fe25519_mul64(2 * f2, f4_19) +
	     fe25519_mul64(f3, f3_19);
	r2 = fe25519_mul64(f0_2, f2) + fe25519_mul64(f1, f1) +
	     fe25519_mul64(2 * f3, f4_19);
	r3 = fe25519_mul64(f0_2, f3) + fe25519_mul64(f1_2, f2) +
	     fe25519_mul64(f4, f4_19);
	r4 = fe25519_mul64(f0_2, f4) + fe25519_mul64(f1_2, f3) +
	     fe25519_mul64(f2, f2);

	fe25519_carry(h, r0, r1, r2, r3, r4);
}

/* h = f^(2^n), n >= 1 */
static void fe25519_sqn(struct fe25519 *h, const struct fe25519 *f,
			unsigned int n)
{
	fe25519_sq(h, f);
	while (--n)
		fe25519_sq(h, h);
}

/*
 * Shared head of the two exponentiation chains: t250 = f^(2^250 - 1)
 * and f11 = f^11, in 249 squarings and 10 multiplications.
 */
static void fe25519_pow250(struct fe25519 *t250, struct fe25519 *f11,
			   const struct fe25519 *f)
{
	struct fe25519 t0, t1, t2;

	fe25519_sq(&t0, f);			/* f^2 */
	fe25519_sqn(&t1, &t0, 2);		/* f^8 */
	fe25519_mul(&t1, f, &t1);		/* f^9 */
	fe25519_mul(f11, &t0, &t1);		/* f^11 */
	fe25519_sq(&t0, f11);			/* f^22 */
	fe25519_mul(&t0, &t1, &t0);		/* f^(2^5 - 1) */
	fe25519_sqn(&t1, &t0, 5);
	fe25519_mul(&t0, &t1, &t0);		/* f^(2^10 - 1) */
	fe25519_sqn(&t1, &t0, 10);
	fe25519_mul(&t1, &t1, &t0);		/* f^(2^20 - 1) */
	fe25519_sqn(&t2, &t1, 20);
	fe25519_mul(&t1, &t2, &t1);		/* f^(2^40 - 1) */
	fe25519_sqn(&t1, &t1, 10);
	fe25519_mul(&t0, &t1, &t0);		/* f^(2^50 - 1) */
	fe25519_sqn(&t1, &t0, 50);
	fe25519_mul(&t1, &t1, &t0);		/* f^(2^100 - 1) */
	fe25519_sqn(&t2, &t1, 100);
	fe25519_mul(&t1, &t2, &t1);		/* f^(2^200 - 1) */
	fe25519_sqn(&t1, &t1, 50);
	fe25519_mul(t250, &t1, &t0);		/* f^(2^250 - 1) */
}

void fe25519_pow22523(struct fe25519 *h, const struct fe25519 *f)
{
	struct fe25519 t, f11;

	fe25519_pow250(&t, &f11, f);
	fe25519_sqn(&t, &t, 2);			/* f^(2^252 - 4) */
	fe25519_mul(h, &t, f);			/* f^(2^252 - 3) */
}

/* Fermat: f^(p - 2) = f^(2^255 - 21); 0 maps to 0. */
void fe25519_invert(struct fe25519 *h, const struct fe25519 *f)
{
	struct fe25519 t, f11;

	fe25519_pow250(&t, &f11, f);
	fe25519_sqn(&t, &t, 5);			/* f^(2^255 - 32) */
	fe25519_mul(h, &t, &f11);		/* f^(2^255 - 21) */
}

void fe25519_frombytes(struct fe25519 *h, const uint8_t s[32])
{
	uint64_t w0 = fe25519_load_le64(s);
	uint64_t w1 = fe25519_load_le64(s + 8);
	uint64_t w2 = fe25519_load_le64(s + 16);
	uint64_t w3 = fe25519_load_le64(s + 24);

	h->v[0] = w0 & FE25519_MASK;
	h->v[1] = ((w0 >> 51) | (w1 << 13)) & FE25519_MASK;
	h->v[2] = ((w1 >> 38) | (w2 << 26)) & FE25519_MASK;
	h->v[3] = ((w2 >> 25) | (w3 << 39)) & FE25519_MASK;
	h->v[4] = (w3 >> 12) & FE25519_MASK;
}

/*
 * Full reduction. After one carry pass the value is below 2p, so it is
 * >= p exactly when value + 19 reaches 2^255; q is that carry-out,
 * found by propagating +19 through the limbs. Adding 19q and dropping
 * bit 255 then subtracts q * p. Branch-free.
 */
void fe25519_tobytes(uint8_t s[32], const struct fe25519 *f)
{
	uint64_t h0 = f->v[0], h1 = f->v[1], h2 = f->v[2];
	uint64_t h3 = f->v[3], h4 = f->v[4];
	uint64_t q;

	h1 += h0 >> 51;
	h0 &= FE25519_MASK;
	h2 += h1 >> 51;
	h1 &= FE25519_MASK;
	h3 += h2 >> 51;
	h2 &= FE25519_MASK;
	h4 += h3 >> 51;
	h3 &= FE25519_MASK;
	h0 += 19 * (h4 >> 51);
	h4 &= FE25519_MASK;

	q = (h0 + 19) >> 51;
	q = (h1 + q) >> 51;
	q = (h2 + q) >> 51;
	q = (h3 + q) >> 51;
	q = (h4 + q) >> 51;

	h0 += 19 * q;
	h1 += h0 >> 51;
	h0 &= FE25519_MASK;
	h2 += h1 >> 51;
	h1 &= FE25519_MASK;
	h3 += h2 >> 51;
	h2 &= FE25519_MASK;
	h4 += h3 >> 51;
	h3 &= FE25519_MASK;
	h4 &= FE25519_MASK;

	fe25519_store_le64(s, h0 | (h1 << 51));
	fe25519_store_le64(s + 8, (h1 >> 13) | (h2 << 38));
	fe25519_store_le64(s + 16, (h2 >> 26) | (h3 << 25));
	fe25519_store_le64(s + 24, (h3 >> 39) | (h4 << 12));
}

int fe25519_iszero(const struct fe25519 *f)
{
	uint8_t s[32];
	unsigned int acc = 0;
	unsigned int i;

	fe25519_tobytes(s, f);
	for (i = 0; i < 32; i++)
		acc |= s[i];
	/* acc is 0..255: acc - 1 borrows into bit 8 only when acc == 0. */
	return (int)(((acc - 1) >> 8) & 1);
}

int fe25519_isnegative(const struct fe25519 *f)
{
	uint8_t s[32];

	fe25519_tobytes(s, f);
	return s[0] & 1;
}

/*
 * h = f - g. Adding 4p first keeps every limb non-negative for any g
 * below the documented bound; one carry pass brings the result back to
 * "reduced" so chains of subtractions cannot creep towards overflow.
 */
void fe25519_sub(struct fe25519 *h, const struct fe25519 *f,
		 const struct fe25519 *g)
{
	const uint64_t four_p0 = (UINT64_C(1) << 53) - 76;
	const uint64_t four_pi = (UINT64_C(1) << 53) - 4;
	uint64_t h0, h1, h2, h3, h4;

	h0 = f->v[0] + four_p0 - g->v[0];
	h1 = f->v[1] + four_pi - g->v[1];
	h2 = f->v[2] + four_pi - g->v[2];
	h3 = f->v[3] + four_pi - g->v[3];
	h4 = f->v[4] + four_pi - g->v[4];

	h1 += h0 >> 51;
	h0 &= FE25519_MASK;
	h2 += h1 >> 51;
	h1 &= FE25519_MASK;
	h3 += h2 >> 51;
	h2 &= FE25519_MASK;
	h4 += h3 >> 51;
	h3 &= FE25519_MASK;
	h0 += 19 * (h4 >> 51);
	h4 &= FE25519_MASK;

	h->v[0] = h0;
	h->v[1] = h1;
	h->v[2] = h2;
	h->v[3] = h3;
	h->v[4] = h4;
}
