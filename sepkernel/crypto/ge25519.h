/* SPDX-License-Identifier: MIT */
/*
 * ge25519.h - points of edwards25519, -x^2 + y^2 = 1 + d x^2 y^2,
 * for signature verification.
 *
 * Representations (x, y are the affine coordinates):
 *   p2      (X : Y : Z)          x = X/Z, y = Y/Z
 *   p3      (X : Y : Z : T)      as p2 plus T = XY/Z ("extended")
 *   p1p1    ((X : Z), (Y : T))   x = X/Z, y = Y/T ("completed"), the
 *                                output of an addition or doubling
 *   cached  (Y+X, Y-X, Z, 2dT)   a p3 addend prepared for addition
 *   niels   (y+x, y-x, 2dxy)     an affine addend (Z = 1), as tabled
 * Formulas are those of Hisil, Wong, Carter and Dawson (Asiacrypt 2008)
 * for a = -1; they are complete on this curve, so no special cases.
 */
#ifndef SK_CRYPTO_GE25519_H
#define SK_CRYPTO_GE25519_H

#include <stddef.h>
#include <stdint.h>

#include "fe25519.h"

struct ge25519_p2 {
	struct fe25519 x, y, z;
};

struct ge25519_p3 {
	struct fe25519 x, y, z, t;
};

struct ge25519_p1p1 {
	struct fe25519 x, y, z, t;
};

struct ge25519_cached {
	struct fe25519 ypx, ymx, z, t2d;
};

struct ge25519_niels {
	struct fe25519 ypx, ymx, t2d;
};

/*
 * Decode a 32-byte point strictly (RFC 8032 section 5.1.3): returns 0,
 * or -1 if y is not canonical (y >= p), x would be 0 with the sign bit
 * set, or no point on the curve has that y.
 */
int ge25519_frombytes(struct ge25519_p3 *p, const uint8_t s[32]);

/* 1 if [8]P is the identity, i.e. P lies in the 8-torsion subgroup. */
int ge25519_is_small_order(const struct ge25519_p3 *p);

void ge25519_neg(struct ge25519_p3 *r, const struct ge25519_p3 *p);

/*
 * r = [a]A + [b]B, B the base point; a, b < 2^253. Variable time: for
 * public inputs only.
 */
void ge25519_double_scalarmult_vartime(struct ge25519_p2 *r,
				       const uint8_t a[32],
				       const struct ge25519_p3 *A,
				       const uint8_t b[32]);

/* Constant time; 1 if p and q are the same point, else 0. */
int ge25519_equal(const struct ge25519_p2 *p, const struct ge25519_p3 *q);

/* Canonical 32-byte encoding of p (costs an inversion). */
void ge25519_tobytes(uint8_t s[32], const struct ge25519_p2 *p);

#endif /* SK_CRYPTO_GE25519_H */
