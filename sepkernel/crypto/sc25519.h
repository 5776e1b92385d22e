/* SPDX-License-Identifier: MIT */
/*
 * sc25519.h - scalars modulo the edwards25519 group order
 * L = 2^252 + 27742317777372353535851937790883648493.
 *
 * Scalars are 32-byte little-endian strings, as on the wire.
 */
#ifndef SK_CRYPTO_SC25519_H
#define SK_CRYPTO_SC25519_H

#include <stddef.h>
#include <stdint.h>

/* 1 if s < L (the RFC 8032 S range check), else 0. Constant time. */
int sc25519_is_canonical(const uint8_t s[32]);

/* out = in mod L, for a 64-byte little-endian in (a SHA-512 digest). */
void sc25519_reduce64(uint8_t out[32], const uint8_t in[64]);

/*
 * Width-w non-adjacent form of s (2 <= w <= 8, s < 2^253): s equals
 * sum(naf[i] * 2^i), every non-zero digit is odd with |digit| < 2^(w-1),
 * and any w consecutive digits hold at most one non-zero one.
 */
void sc25519_wnaf(int8_t naf[256], const uint8_t s[32], unsigned int w);

#endif /* SK_CRYPTO_SC25519_H */
