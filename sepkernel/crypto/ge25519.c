// SPDX-License-Identifier: MIT
/*
 * ge25519.c - edwards25519 group operations for verification:
 * strict decoding, small-order test, and [a]A + [b]B by interleaved
 * wNAF (width 5 for A, built per call; width 8 for B, from the
 * generated table).
 *
 * Field-element bounds (see fe25519.h) are noted where they matter:
 * sums of two reduced values go straight into mul/sq or are used as a
 * subtrahend, never summed again.
 */
#include <stddef.h>
#include <stdint.h>

#include "sk/lib.h"
#include "fe25519.h"
#include "ge25519.h"
#include "sc25519.h"
#include "ed25519_tables.h"

#define GE25519_A_WINDOW	5

static void ge25519_p1p1_to_p2(struct ge25519_p2 *r,
			       const struct ge25519_p1p1 *p)
{
	fe25519_mul(&r->x, &p->x, &p->t);
	fe25519_mul(&r->y, &p->y, &p->z);
	fe25519_mul(&r->z, &p->z, &p->t);
}

static void ge25519_p1p1_to_p3(struct ge25519_p3 *r,
			       const struct ge25519_p1p1 *p)
{
	fe25519_mul(&r->x, &p->x, &p->t);
	fe25519_mul(&r->y, &p->y, &p->z);
	fe25519_mul(&r->z, &p->z, &p->t);
	fe25519_mul(&r->t, &p->x, &p->y);
}

static void ge25519_p3_to_cached(struct ge25519_cached *r,
				 const struct ge25519_p3 *p)
{
	fe25519_add(&r->ypx, &p->y, &p->x);
	fe25519_sub(&r->ymx, &p->y, &p->x);
	r->z = p->z;
	fe25519_mul(&r->t2d, &p->t, &ge25519_d2);
}

/*
 * Doubling from (X : Y : Z), T unused (dbl-2008-hwcd, a = -1). With
 * A = X^2, B = Y^2, C = 2Z^2, E = (X+Y)^2 - A - B, G = B - A:
 * x = E / G and y = (A + B) / (C - G); both signs of the textbook y
 * are flipped so no negation is needed.
 */
static void ge25519_dbl(struct ge25519_p1p1 *r, const struct fe25519 *x,
			const struct fe25519 *y, const struct fe25519 *z)
{
	struct fe25519 a, b, c, s;

	fe25519_sq(&a, x);
	fe25519_sq(&b, y);
	fe25519_sq(&c, z);
	fe25519_add(&c, &c, &c);		/* 2Z^2, sum of two */
	fe25519_add(&s, x, y);
	fe25519_sq(&s, &s);
	fe25519_add(&r->y, &a, &b);		/* A + B, sum of two */
	fe25519_sub(&r->x, &s, &r->y);		/* E */
	fe25519_sub(&r->z, &b, &a);		/* G */
	fe25519_sub(&r->t, &c, &r->z);		/* C - G */
}

/*
 * r = p + q or p - q (add-2008-hwcd-3, a = -1), q given as Y+X, Y-X,
 * 2dT and Z, or z == NULL for an affine table point (Z = 1: mixed
 * addition, one multiplication fewer).  Subtracting uses
 * -q = (-X, Y, Z, -T): Y+X and Y-X trade places and the sign of the
 * 2dT term flips.  One function for both forms keeps the kernel small.
 */
static void __attribute__((noinline))
ge25519_add(struct ge25519_p1p1 *r, const struct ge25519_p3 *p,
	    const struct fe25519 *ypx, const struct fe25519 *ymx,
	    const struct fe25519 *t2d, const struct fe25519 *z, int negate)
{
	struct fe25519 a, b, c, d, t;

	fe25519_sub(&t, &p->y, &p->x);
	fe25519_mul(&a, &t, negate ? ypx : ymx);
	fe25519_add(&t, &p->y, &p->x);
	fe25519_mul(&b, &t, negate ? ymx : ypx);
	fe25519_mul(&c, &p->t, t2d);
	if (z)
		fe25519_mul(&d, &p->z, z);
	else
		d = p->z;
	fe25519_add(&d, &d, &d);		/* 2 Z1 Z2, sum of two */

	fe25519_sub(&r->x, &b, &a);		/* E */
	fe25519_add(&r->y, &b, &a);		/* H */
	if (negate) {
		fe25519_sub(&r->z, &d, &c);	/* G */
		fe25519_add(&r->t, &d, &c);	/* F */
	} else {
		fe25519_add(&r->z, &d, &c);
		fe25519_sub(&r->t, &d, &c);
	}
}

static void ge25519_add_cached(struct ge25519_p1p1 *r,
			       const struct ge25519_p3 *p,
			       const struct ge25519_cached *q, int negate)
{
	ge25519_add(r, p, &q->ypx, &q->ymx, &q->t2d, &q->z, negate);
}

static void ge25519_add_niels(struct ge25519_p1p1 *r,
			      const struct ge25519_p3 *p,
			      const struct ge25519_niels *q, int negate)
{
	ge25519_add(r, p, &q->ypx, &q->ymx, &q->t2d, NULL, negate);
}

/*
 * RFC 8032 section 5.1.3. x is recovered as u v^3 (u v^7)^((p-5)/8),
 * which squares to u/v or -u/v; the second case is fixed with
 * sqrt(-1), anything else means y is not on the curve. Canonicity of
 * y is checked by re-encoding, which is exactly "y < p".
 */
int ge25519_frombytes(struct ge25519_p3 *p, const uint8_t s[32])
{
	struct fe25519 u, v, v3, vxx, chk, one;
	uint8_t canon[32];
	unsigned int diff = 0, sign = s[31] >> 7;
	unsigned int i;

	fe25519_frombytes(&p->y, s);
	fe25519_tobytes(canon, &p->y);
	canon[31] |= (uint8_t)(sign << 7);
	for (i = 0; i < 32; i++)
		diff |= canon[i] ^ s[i];
	if (diff)
		return -1;

	fe25519_set(&one, 1);
	fe25519_sq(&u, &p->y);
	fe25519_mul(&v, &u, &ge25519_d);
	fe25519_sub(&u, &u, &one);		/* u = y^2 - 1 */
	fe25519_add(&v, &v, &one);		/* v = d y^2 + 1 */

	fe25519_sq(&v3, &v);
	fe25519_mul(&v3, &v3, &v);		/* v^3 */
	fe25519_sq(&p->x, &v3);
	fe25519_mul(&p->x, &p->x, &v);
	fe25519_mul(&p->x, &p->x, &u);		/* u v^7 */
	fe25519_pow22523(&p->x, &p->x);
	fe25519_mul(&p->x, &p->x, &v3);
	fe25519_mul(&p->x, &p->x, &u);		/* candidate x */

	fe25519_sq(&vxx, &p->x);
	fe25519_mul(&vxx, &vxx, &v);
	fe25519_sub(&chk, &vxx, &u);
	if (!fe25519_iszero(&chk)) {
		fe25519_add(&chk, &vxx, &u);
		if (!fe25519_iszero(&chk))
			return -1;
		fe25519_mul(&p->x, &p->x, &ge25519_sqrtm1);
	}

	/* x = 0 has only one encoding: the sign bit must be clear. */
	if (fe25519_iszero(&p->x) && sign)
		return -1;
	if ((unsigned int)fe25519_isnegative(&p->x) != sign)
		fe25519_neg(&p->x, &p->x);

	fe25519_set(&p->z, 1);
	fe25519_mul(&p->t, &p->x, &p->y);
	return 0;
}

/*
 * The group has order 8L with no points of order 16, so [8]P is the
 * identity exactly when its x is 0 ((0, -1) would need order 16).
 */
int ge25519_is_small_order(const struct ge25519_p3 *p)
{
	struct ge25519_p1p1 t;
	struct ge25519_p2 q;

	ge25519_dbl(&t, &p->x, &p->y, &p->z);
	ge25519_p1p1_to_p2(&q, &t);
	ge25519_dbl(&t, &q.x, &q.y, &q.z);
	ge25519_p1p1_to_p2(&q, &t);
	ge25519_dbl(&t, &q.x, &q.y, &q.z);
	ge25519_p1p1_to_p2(&q, &t);
	return fe25519_iszero(&q.x);
}

void ge25519_neg(struct ge25519_p3 *r, const struct ge25519_p3 *p)
{
	fe25519_neg(&r->x, &p->x);
	r->y = p->y;
	r->z = p->z;
	fe25519_neg(&r->t, &p->t);
}

void ge25519_double_scalarmult_vartime(struct ge25519_p2 *r,
				       const uint8_t a[32],
				       const struct ge25519_p3 *A,
				       const uint8_t b[32])
{
	int8_t anaf[256], bnaf[256];
	/* A, 3A, 5A, ..., 15A */
	struct ge25519_cached ai[1 << (GE25519_A_WINDOW - 2)];
	struct ge25519_p1p1 t;
	struct ge25519_p3 u, a2;
	unsigned int j;
	int i;

	sc25519_wnaf(anaf, a, GE25519_A_WINDOW);
	sc25519_wnaf(bnaf, b, GE25519_BASE_WINDOW);

	ge25519_p3_to_cached(&ai[0], A);
	ge25519_dbl(&t, &A->x, &A->y, &A->z);
	ge25519_p1p1_to_p3(&a2, &t);
	for (j = 1; j < ARRAY_SIZE(ai); j++) {
		ge25519_add_cached(&t, &a2, &ai[j - 1], 0);
		ge25519_p1p1_to_p3(&u, &t);
		ge25519_p3_to_cached(&ai[j], &u);
	}

	/* Start at the identity, skipping the leading zero digits. */
	fe25519_set(&r->x, 0);
	fe25519_set(&r->y, 1);
	fe25519_set(&r->z, 1);
	for (i = 255; i >= 0 && !anaf[i] && !bnaf[i]; i--)
		;

	/*
	 * Each step doubles, then adds at most one A multiple and one B
	 * multiple. T is only computed (p1p1 -> p3) when an addition
	 * follows; a bare doubling chain stays in the cheaper p2.
	 */
	for (; i >= 0; i--) {
		ge25519_dbl(&t, &r->x, &r->y, &r->z);

		if (anaf[i]) {
			ge25519_p1p1_to_p3(&u, &t);
			if (anaf[i] > 0)
				ge25519_add_cached(&t, &u, &ai[anaf[i] / 2], 0);
			else
				ge25519_add_cached(&t, &u, &ai[-anaf[i] / 2], 1);
		}
		if (bnaf[i]) {
			ge25519_p1p1_to_p3(&u, &t);
			if (bnaf[i] > 0)
				ge25519_add_niels(&t, &u,
						  &ge25519_base_odd[bnaf[i] / 2], 0);
			else
				ge25519_add_niels(&t, &u,
						  &ge25519_base_odd[-bnaf[i] / 2], 1);
		}

		ge25519_p1p1_to_p2(r, &t);
	}
}

/*
 * Cross-multiplied comparison, X1 Z2 = X2 Z1 and Y1 Z2 = Y2 Z1, which
 * avoids an inversion. The encodings are compared by OR-ing XORs, with
 * no early exit, so the time does not depend on where they differ.
 */
int ge25519_equal(const struct ge25519_p2 *p, const struct ge25519_p3 *q)
{
	struct fe25519 l, rr;
	uint8_t sl[32], sr[32];
	unsigned int diff = 0;
	unsigned int i;

	fe25519_mul(&l, &p->x, &q->z);
	fe25519_mul(&rr, &q->x, &p->z);
	fe25519_tobytes(sl, &l);
	fe25519_tobytes(sr, &rr);
	for (i = 0; i < 32; i++)
		diff |= sl[i] ^ sr[i];

	fe25519_mul(&l, &p->y, &q->z);
	fe25519_mul(&rr, &q->y, &p->z);
	fe25519_tobytes(sl, &l);
	fe25519_tobytes(sr, &rr);
	for (i = 0; i < 32; i++)
		diff |= sl[i] ^ sr[i];

	return (int)(((diff - 1) >> 8) & 1);
}

void ge25519_tobytes(uint8_t s[32], const struct ge25519_p2 *p)
{
	struct fe25519 zi, x, y;

	fe25519_invert(&zi, &p->z);
	fe25519_mul(&x, &p->x, &zi);
	fe25519_mul(&y, &p->y, &zi);
	fe25519_tobytes(s, &y);
	s[31] |= (uint8_t)(fe25519_isnegative(&x) << 7);
}
