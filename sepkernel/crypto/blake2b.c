// SPDX-License-Identifier: MIT
/*
 * blake2b.c - BLAKE2b-512 (RFC 7693), unkeyed.
 *
 * Chosen over SHA-512 for the package hash because it is cheaper per
 * byte on a 64-bit hart: 12 rounds of 8 G mixes per 128-byte block,
 * each G only adds, xors and four rotates, and no message schedule.
 * Without Zbb a rotate costs three instructions (two shifts and an
 * or); with Zbb it is one rori.  The compression function is built
 * twice from one macro, and blake2b_zbb (probed at boot) picks one.
 */
#include <stddef.h>
#include <stdint.h>

#include "sk/lib.h"
#include "blake2b.h"

int blake2b_zbb;

/* The SHA-512 initial values; h[0] also takes the parameter block. */
static const uint64_t blake2b_iv[8] = {
	0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
	0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
	0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
	0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

/*
 * Message word order per round (RFC 7693 sigma; rounds 10 and 11 repeat
 * 0 and 1), stored as byte offsets into the block so that fetching a
 * word is one lbu, one add and one ld.
 */
static const uint8_t blake2b_sigma[12][16] = {
	{ 0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120 },
	{ 112, 80, 32, 64, 72, 120, 104, 48, 8, 96, 0, 16, 88, 56, 40, 24 },
	{ 88, 64, 96, 0, 40, 16, 120, 104, 80, 112, 24, 48, 56, 8, 72, 32 },
	{ 56, 72, 24, 8, 104, 96, 88, 112, 16, 48, 40, 80, 32, 0, 120, 64 },
	{ 72, 0, 40, 56, 16, 32, 80, 120, 112, 8, 88, 96, 48, 64, 24, 104 },
	{ 16, 96, 48, 80, 0, 88, 64, 24, 32, 104, 56, 40, 120, 112, 8, 72 },
	{ 96, 40, 8, 120, 112, 104, 32, 80, 0, 56, 48, 24, 72, 16, 64, 88 },
	{ 104, 88, 56, 112, 96, 8, 24, 72, 40, 0, 120, 32, 64, 48, 16, 80 },
	{ 48, 120, 112, 72, 88, 24, 0, 64, 96, 16, 104, 56, 8, 32, 80, 40 },
	{ 80, 16, 64, 32, 56, 48, 8, 40, 120, 88, 72, 112, 24, 96, 104, 0 },
	{ 0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120 },
	{ 112, 80, 32, 64, 72, 120, 104, 48, 8, 96, 0, 16, 88, 56, 40, 24 },
};

static inline uint64_t ror_base(uint64_t x, unsigned int n)
{
	return (x >> n) | (x << (64 - n));
}

#ifdef __riscv
/* rori rd, rs, n (Zbb), spelled with .insn so the assembler needs no Zbb. */
#define ror_zbb(x, n)							\
	({								\
		uint64_t r_;						\
		__asm__(".insn i 0x13, 5, %0, %1, %2"			\
			: "=r"(r_) : "r"(x), "i"(0x600 | (n)));		\
		r_;							\
	})
#else
#define ror_zbb(x, n) ror_base(x, n)
#endif

/*
 * The 16 message words, little-endian.  A package chunk is 8-byte
 * aligned, so the usual case is 16 plain loads (the kernel is built
 * -fno-builtin: a memcpy here would be a call per word).
 */
static inline void load_block(uint64_t m[16], const uint8_t *blk)
{
	if (!((uintptr_t)blk & 7)) {
		for (int i = 0; i < 16; i++)
			m[i] = ((const uint64_t *)blk)[i];
		return;
	}
	for (int i = 0; i < 16; i++) {
		uint64_t v = 0;

		for (int j = 7; j >= 0; j--)
			v = v << 8 | blk[8 * i + j];
		m[i] = v;
	}
}

#define G(ROR, a, b, c, d, x, y)					\
	do {								\
		a = a + b + (x);					\
		d = ROR(d ^ a, 32);					\
		c = c + d;						\
		b = ROR(b ^ c, 24);					\
		a = a + b + (y);					\
		d = ROR(d ^ a, 16);					\
		c = c + d;						\
		b = ROR(b ^ c, 63);					\
	} while (0)

/*
 * One compression of a 128-byte block.  The sixteen working words stay
 * in registers; each round reads its message words through the sigma
 * row.  last is nonzero for the final block.
 */
#define M(k) (*(const uint64_t *)(mb + s[k]))
#define BLAKE2B_COMPRESS(NAME, ROR)					\
__attribute__((optimize("no-schedule-insns")))	/* no spills */ \
static void NAME(uint64_t h[8], const uint8_t *blk, uint64_t t, int last) \
{									\
	uint64_t m[16];							\
	const uint8_t *mb = (const uint8_t *)m;				\
	uint64_t v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3];		\
	uint64_t v4 = h[4], v5 = h[5], v6 = h[6], v7 = h[7];		\
	uint64_t v8 = blake2b_iv[0], v9 = blake2b_iv[1];		\
	uint64_t v10 = blake2b_iv[2], v11 = blake2b_iv[3];		\
	uint64_t v12 = blake2b_iv[4] ^ t, v13 = blake2b_iv[5];		\
	uint64_t v14 = last ? ~blake2b_iv[6] : blake2b_iv[6];		\
	uint64_t v15 = blake2b_iv[7];					\
									\
	load_block(m, blk);						\
	__asm__("" : "+r"(mb) : : "memory");	/* keep mb in a register */ \
	for (int r = 0; r < 12; r++) {					\
		const uint8_t *s = blake2b_sigma[r];			\
									\
		G(ROR, v0, v4, v8, v12, M(0), M(1));		\
		G(ROR, v1, v5, v9, v13, M(2), M(3));		\
		G(ROR, v2, v6, v10, v14, M(4), M(5));		\
		G(ROR, v3, v7, v11, v15, M(6), M(7));		\
		G(ROR, v0, v5, v10, v15, M(8), M(9));		\
		G(ROR, v1, v6, v11, v12, M(10), M(11));		\
		G(ROR, v2, v7, v8, v13, M(12), M(13));		\
		G(ROR, v3, v4, v9, v14, M(14), M(15));		\
	}								\
	h[0] ^= v0 ^ v8;						\
	h[1] ^= v1 ^ v9;						\
	h[2] ^= v2 ^ v10;						\
	h[3] ^= v3 ^ v11;						\
	h[4] ^= v4 ^ v12;						\
	h[5] ^= v5 ^ v13;						\
	h[6] ^= v6 ^ v14;						\
	h[7] ^= v7 ^ v15;						\
}

BLAKE2B_COMPRESS(compress_base, ror_base)
BLAKE2B_COMPRESS(compress_zbb, ror_zbb)

static void compress(struct blake2b_ctx *c, const uint8_t *blk, int last)
{
	if (blake2b_zbb)
		compress_zbb(c->h, blk, c->nbytes, last);
	else
		compress_base(c->h, blk, c->nbytes, last);
}

void blake2b_init(struct blake2b_ctx *c)
{
	for (int i = 0; i < 8; i++)
		c->h[i] = blake2b_iv[i];
	/* Parameter block: digest length 64, no key, fanout 1, depth 1. */
	c->h[0] ^= 0x01010000ULL | BLAKE2B_DIGEST_SIZE;
	c->nbytes = 0;
	c->buflen = 0;
}

/*
 * The last block must be compressed with the final flag, so a full
 * buffer is only compressed once more data is known to follow.
 */
void blake2b_update(struct blake2b_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		size_t take;

		if (c->buflen == BLAKE2B_BLOCK_SIZE) {
			c->nbytes += BLAKE2B_BLOCK_SIZE;
			compress(c, c->buf, 0);
			c->buflen = 0;
		}
		/* Whole blocks straight from the caller's buffer: no copy. */
		while (!c->buflen && len > BLAKE2B_BLOCK_SIZE) {
			c->nbytes += BLAKE2B_BLOCK_SIZE;
			compress(c, p, 0);
			p += BLAKE2B_BLOCK_SIZE;
			len -= BLAKE2B_BLOCK_SIZE;
		}
		take = BLAKE2B_BLOCK_SIZE - c->buflen;
		if (take > len)
			take = len;
		memcpy(c->buf + c->buflen, p, take);
		c->buflen += (uint32_t)take;
		p += take;
		len -= take;
	}
}

void blake2b_final(struct blake2b_ctx *c, uint8_t out[BLAKE2B_DIGEST_SIZE])
{
	c->nbytes += c->buflen;
	memset(c->buf + c->buflen, 0, BLAKE2B_BLOCK_SIZE - c->buflen);
	compress(c, c->buf, 1);
	memcpy(out, c->h, BLAKE2B_DIGEST_SIZE);	/* little-endian words */
	memset(c, 0, sizeof(*c));
}

void blake2b(const void *data, size_t len, uint8_t out[BLAKE2B_DIGEST_SIZE])
{
	struct blake2b_ctx c;

	blake2b_init(&c);
	blake2b_update(&c, data, len);
	blake2b_final(&c, out);
}
