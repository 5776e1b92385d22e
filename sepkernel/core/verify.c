// SPDX-License-Identifier: MIT
/*
 * verify.c - measured and verified boot of partitions (promise 5).
 *
 * Each partition's package - flat image, device tree and configuration
 * entry - was signed at build time with Ed25519; the kernel embeds only
 * the public key.  Before a partition's first instruction, and again
 * before every restart, the package is hashed (SHA-256, the measurement
 * the build printed too) and its signature checked.  A package that
 * fails never runs.
 */
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "sk/console.h"
#include "sk/verify.h"

extern const uint8_t sk_signing_pubkey[32];

int verify_part(const struct sk_part_desc *d)
{
	int err = ed25519_verify(d->sig, d->pkg, d->pkg_size, sk_signing_pubkey);

	if (err)
		sk_event("event=reject part=%s reason=%s", d->name,
			 ed25519_strerror(err));
	return err;
}

void measure_part(const struct sk_part_desc *d)
{
	uint8_t digest[32];
	char hex[65];

	sha256(d->pkg, d->pkg_size, digest);
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = "0123456789abcdef"[digest[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[digest[i] & 15];
	}
	hex[64] = 0;
	sk_event("event=verified part=%s sha256=%s", d->name, hex);
}
