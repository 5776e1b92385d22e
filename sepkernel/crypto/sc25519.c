// SPDX-License-Identifier: MIT
/*
 * sc25519.c - arithmetic modulo the group order L.
 *
 * Only what verification needs: a range check for S, reduction of the
 * 512-bit challenge hash, and wNAF recoding for the multi-scalar
 * multiplication. Reduction is Barrett's (HAC algorithm 14.42) with
 * 64-bit limbs, so it needs no division at run time.
 */
#include <stddef.h>
#include <stdint.h>

#include "sk/lib.h"
#include "sc25519.h"

typedef unsigned __int128 sc25519_u128;

/* L, least significant 64-bit limb first */
static const uint64_t sc25519_l[5] = {
	0x5812631a5cf5d3edULL, 0x14def9dea2f79cd6ULL,
	0x0000000000000000ULL, 0x1000000000000000ULL, 0,
};

/* Barrett constant floor(2^512 / L), 260 bits */
static const uint64_t sc25519_mu[5] = {
	0xed9ce5a30a2c131bULL, 0x2106215d086329a7ULL,
	0xffffffffffffffebULL, 0xffffffffffffffffULL, 0xfULL,
};

static inline uint64_t sc25519_load_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* r = a - b over n limbs; returns the final borrow (1 if a < b). */
static uint64_t sc25519_sub(uint64_t *r, const uint64_t *a,
			    const uint64_t *b, unsigned int n)
{
	uint64_t borrow = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		sc25519_u128 d = (sc25519_u128)a[i] - b[i] - borrow;

		r[i] = (uint64_t)d;
		borrow = (uint64_t)(d >> 64) & 1;
	}
	return borrow;
}

int sc25519_is_canonical(const uint8_t s[32])
{
	uint64_t x[4], scratch[4];
	unsigned int i;

	for (i = 0; i < 4; i++)
		x[i] = sc25519_load_le64(s + 8 * i);
	/* s - L borrows exactly when s < L. */
	return (int)sc25519_sub(scratch, x, sc25519_l, 4);
}

/* Subtract L from the 5-limb r when r >= L, without a branch. */
static void sc25519_csub_l(uint64_t r[5])
{
	uint64_t d[5], keep;
	unsigned int i;

	keep = -sc25519_sub(d, r, sc25519_l, 5);	/* all-ones if r < L */
	for (i = 0; i < 5; i++)
		r[i] = (r[i] & keep) | (d[i] & ~keep);
}

void sc25519_reduce64(uint8_t out[32], const uint8_t in[64])
{
	uint64_t x[8], q2[10], q3[5], r2[5], r[5];
	unsigned int i, j;

	for (i = 0; i < 8; i++)
		x[i] = sc25519_load_le64(in + 8 * i);

	/* q2 = floor(x / 2^192) * mu */
	memset(q2, 0, sizeof(q2));
	for (i = 0; i < 5; i++) {
		uint64_t carry = 0;

		for (j = 0; j < 5; j++) {
			sc25519_u128 t = (sc25519_u128)x[3 + i] *
					 sc25519_mu[j] + q2[i + j] + carry;

			q2[i + j] = (uint64_t)t;
			carry = (uint64_t)(t >> 64);
		}
		q2[i + 5] = carry;
	}

	/* q3 = floor(q2 / 2^320) estimates x / L, low by at most 2. */
	for (i = 0; i < 5; i++)
		q3[i] = q2[5 + i];

	/* r2 = (q3 * L) mod 2^320 */
	memset(r2, 0, sizeof(r2));
	for (i = 0; i < 5; i++) {
		uint64_t carry = 0;

		for (j = 0; i + j < 5; j++) {
			sc25519_u128 t = (sc25519_u128)q3[i] *
					 sc25519_l[j] + r2[i + j] + carry;

			r2[i + j] = (uint64_t)t;
			carry = (uint64_t)(t >> 64);
		}
	}

	/* r = x - q3 * L, which is in [0, 3L) and so exact mod 2^320 */
	sc25519_sub(r, x, r2, 5);
	sc25519_csub_l(r);
	sc25519_csub_l(r);

	for (i = 0; i < 32; i++)
		out[i] = (uint8_t)(r[i / 8] >> (8 * (i % 8)));
}

/* w bits of x starting at bit pos; x has one zero limb of padding. */
static inline unsigned int sc25519_bits(const uint64_t x[5], unsigned int pos,
					unsigned int w)
{
	unsigned int limb = pos / 64, shift = pos % 64;
	uint64_t v = x[limb] >> shift;

	if (shift + w > 64)
		v |= x[limb + 1] << (64 - shift);
	return (unsigned int)v & ((1U << w) - 1);
}

/*
 * Recoding runs from the least significant bit: where the remaining
 * value is odd, take the next w bits plus the pending carry as the
 * digit, and make values >= 2^(w-1) negative by carrying one into the
 * next window. For s < 2^253 the last carry lands below bit 256.
 * Variable time: scalars here are public.
 */
void sc25519_wnaf(int8_t naf[256], const uint8_t s[32], unsigned int w)
{
	const unsigned int half = 1U << (w - 1);
	uint64_t x[5];
	unsigned int pos = 0, carry = 0;
	unsigned int i;

	for (i = 0; i < 4; i++)
		x[i] = sc25519_load_le64(s + 8 * i);
	x[4] = 0;
	memset(naf, 0, 256);

	while (pos < 256) {
		unsigned int bit = (unsigned int)(x[pos / 64] >> (pos % 64)) & 1;
		unsigned int win;

		if (bit == carry) {
			/* bit + carry is even: digit 0, carry unchanged */
			pos++;
			continue;
		}
		win = sc25519_bits(x, pos, w) + carry;
		if (win & half) {
			naf[pos] = (int8_t)((int)win - (int)(2 * half));
			carry = 1;
		} else {
			naf[pos] = (int8_t)win;
			carry = 0;
		}
		pos += w;
	}
}
