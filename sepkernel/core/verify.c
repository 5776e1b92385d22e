// SPDX-License-Identifier: MIT
/*
 * verify.c - measured and verified boot of partitions (promise 5).
 *
 * A package (flat image, device tree and configuration entry) is hashed
 * once, with BLAKE2b-512, while it is copied (part.c).  That one digest
 * is both the measurement printed in event=verified and what the
 * build signed: the signature is a pure Ed25519 (RFC 8032) signature
 * of the 96-byte message
 *
 *	"sepkernel-package-v1/blake2b-512" || BLAKE2b-512(package)
 *
 * The 32-byte prefix names the scheme and its hash, so such a signature
 * can never be taken for one over anything else the key signs.  The
 * kernel embeds only the public key.  A restart re-hashes the pristine
 * package and compares with the digest verified at boot: no curve
 * arithmetic then, and no second pass ever.
 */
#include "arch/csr.h"
#include "crypto/blake2b.h"
#include "crypto/ed25519.h"
#include "sk/console.h"
#include "sk/lib.h"
#include "sk/verify.h"

extern const uint8_t sk_signing_pubkey[32];

static const char sign_context[VERIFY_CONTEXT_SIZE] =
	"sepkernel-package-v1/blake2b-512";

/*
 * Does this hart have Zbb?  Try one rori (t5 = t5 ror 0) under the probe
 * trap vector that sched_probe uses for Sstc: if it traps, t6 is cleared.
 */
void verify_probe(void)
{
	extern void sk_probe_trap(void);
	uint64_t old = csr_read(stvec);
	register uint64_t ok __asm__("t6") = 1;

	csr_write(stvec, (uint64_t)sk_probe_trap);
	__asm__ volatile(".insn i 0x13, 5, t5, t5, 0x600"
			 : "+r"(ok) :: "t5", "memory");
	csr_write(stvec, old);
	blake2b_zbb = (int)ok;
}

static void hex64(char out[2 * BLAKE2B_DIGEST_SIZE + 1], const uint8_t *b)
{
	for (int i = 0; i < BLAKE2B_DIGEST_SIZE; i++) {
		out[2 * i] = "0123456789abcdef"[b[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[b[i] & 15];
	}
	out[2 * BLAKE2B_DIGEST_SIZE] = 0;
}

int verify_digest(const struct sk_part_desc *d,
		  const uint8_t digest[BLAKE2B_DIGEST_SIZE])
{
	uint8_t msg[VERIFY_CONTEXT_SIZE + BLAKE2B_DIGEST_SIZE];
	char hex[2 * BLAKE2B_DIGEST_SIZE + 1];
	int err;

	memcpy(msg, sign_context, VERIFY_CONTEXT_SIZE);
	memcpy(msg + VERIFY_CONTEXT_SIZE, digest, BLAKE2B_DIGEST_SIZE);
	err = ed25519_verify(d->sig, msg, sizeof(msg), sk_signing_pubkey);
	if (err) {
		sk_event("event=reject part=%s reason=%s", d->name,
			 ed25519_strerror(err));
		return err;
	}
	hex64(hex, digest);
	sk_event("event=verified part=%s blake2b=%s", d->name, hex);
	return 0;
}
