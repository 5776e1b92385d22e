#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""sksign - Ed25519 signing for sepkernel images (host side).

    sksign.py keygen --out DIR [--force]
        DIR/dev-signing-key.pem   private key, PKCS#8 PEM, unencrypted
        DIR/dev-signing-key.pub   public key, 32 raw bytes as hex
        DIR/README                says this is a DEVELOPMENT key
    sksign.py sign --key PEM FILE...
        FILE.sig                  raw 64-byte Ed25519 signature (scheme below)
    sksign.py pubkey-c --key PEM|PUB --out FILE.c
        C source defining const uint8_t sk_signing_pubkey[32]
    sksign.py verify --key PEM|PUB FILE...
        checks FILE.sig for each FILE (the build refuses unsigned images)

The signing scheme ("sepkernel package v1"): a package is hashed once,
with unkeyed BLAKE2b-512 (RFC 7693), and FILE.sig is the pure Ed25519
(RFC 8032) signature of the 96-byte message

    CONTEXT || BLAKE2b-512(FILE)      CONTEXT = b"sepkernel-package-v1/blake2b-512"

which is what the kernel's verify_digest() checks; the same digest is
the measured-boot record (event=verified blake2b=...). Exit status: 0 on success,
1 on an error (the message names the file and the fix), 2 on bad usage.
"""
import argparse
import hashlib
import os
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey, Ed25519PublicKey)

KEY_NAME = "dev-signing-key.pem"
PUB_NAME = "dev-signing-key.pub"
README_NAME = "README"
KEYGEN_HINT = "create one with: tools/sksign.py keygen --out DIR"

README_TEXT = """\
DEVELOPMENT SIGNING KEY - NEVER USE IN PRODUCTION

{key} is an unencrypted Ed25519 private key made by
tools/sksign.py keygen for development and testing of sepkernel image
verification. Anyone with this directory can sign images that a kernel
built with {pub} will accept.

Do not ship it, do not build release kernels with its public key, and
do not commit it (keys/ is git-ignored). Production keys belong in an
HSM or an offline signer, never in a working tree.
""".format(key=KEY_NAME, pub=PUB_NAME)


# The 32-byte prefix names the scheme and its hash (domain separation).
CONTEXT = b"sepkernel-package-v1/blake2b-512"
assert len(CONTEXT) == 32


def package_digest(data):
    """The one digest of a package: signed and measured."""
    return hashlib.blake2b(data, digest_size=64).digest()


def signed_message(data):
    """What the Ed25519 signature of a package covers."""
    return CONTEXT + package_digest(data)


class SkSignError(Exception):
    """An error with a message fit for the user; exit status 1."""


def raw_public(pub):
    return pub.public_bytes(serialization.Encoding.Raw,
                            serialization.PublicFormat.Raw)


def read_file(path, what):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        hint = KEYGEN_HINT if what.endswith("key") else "check the path"
        raise SkSignError(f"{path}: {what} not found; {hint}") from None
    except IsADirectoryError:
        raise SkSignError(f"{path}: is a directory, expected a {what} "
                          "file") from None
    except OSError as e:
        raise SkSignError(f"{path}: cannot read {what}: {e.strerror}") from None


def load_private_key(path):
    data = read_file(path, "private key")
    if b"-----BEGIN" not in data:
        raise SkSignError(f"{path}: not a PEM file; pass the "
                          f"{KEY_NAME} written by keygen ({KEYGEN_HINT})")
    if b"ENCRYPTED" in data:
        raise SkSignError(f"{path}: key is encrypted; sksign takes an "
                          "unencrypted PKCS#8 PEM (openssl pkcs8 -topk8 "
                          "-nocrypt) or a new key from keygen")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        raise SkSignError(f"{path}: cannot parse private key ({e}); "
                          f"expected a PKCS#8 PEM Ed25519 key, "
                          f"{KEYGEN_HINT}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SkSignError(f"{path}: not an Ed25519 key "
                          f"({type(key).__name__}); {KEYGEN_HINT}")
    return key


def load_public_key(path):
    """Raw 32-byte public key from a private PEM, public PEM or hex .pub."""
    data = read_file(path, "key")
    if b"PRIVATE KEY" in data:
        return raw_public(load_private_key(path).public_key())
    if b"-----BEGIN PUBLIC KEY" in data:
        try:
            pub = serialization.load_pem_public_key(data)
        except ValueError as e:
            raise SkSignError(f"{path}: cannot parse public key ({e})") from None
        if not isinstance(pub, Ed25519PublicKey):
            raise SkSignError(f"{path}: not an Ed25519 public key")
        return raw_public(pub)
    text = data.decode("ascii", "replace").strip()
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise SkSignError(f"{path}: expected a PEM key or 64 hex digits "
                          f"(the {PUB_NAME} written by keygen)")
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as e:
        raise SkSignError(f"{path}: not a valid Ed25519 public key ({e})") \
            from None
    return raw


def write_file(path, data, mode=0o644):
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(path, mode)
    except OSError as e:
        raise SkSignError(f"{path}: cannot write: {e.strerror}") from None


def cmd_keygen(args):
    out = args.out
    paths = [os.path.join(out, n) for n in (KEY_NAME, PUB_NAME, README_NAME)]
    existing = [p for p in paths[:2] if os.path.exists(p)]
    if existing and not args.force:
        raise SkSignError(f"{existing[0]}: already exists; refusing to "
                          "overwrite a key (pass --force to replace it)")
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise SkSignError(f"{out}: cannot create directory: {e.strerror}") \
            from None
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM,
                            serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    write_file(paths[0], pem, 0o600)
    write_file(paths[1], (raw_public(key.public_key()).hex() + "\n").encode())
    write_file(paths[2], README_TEXT.encode())
    print(f"wrote {paths[0]} (DEVELOPMENT key, see {paths[2]})")
    print(f"wrote {paths[1]}")
    return 0


def cmd_sign(args):
    key = load_private_key(args.key)
    pub = key.public_key()
    for path in args.files:
        data = read_file(path, "input file")
        msg = signed_message(data)
        sig = key.sign(msg)
        try:
            pub.verify(sig, msg)    # never hand out a bad signature
        except InvalidSignature:
            raise SkSignError(f"{path}: signature failed self-check") from None
        write_file(path + ".sig", sig)
        print(f"signed {path} blake2b={package_digest(data).hex()}")
    return 0


def cmd_pubkey_c(args):
    raw = load_public_key(args.key)
    rows = ["\t" + ", ".join(f"0x{b:02x}" for b in raw[i:i + 8]) + ","
            for i in range(0, 32, 8)]
    src = ("/* SPDX-License-Identifier: MIT */\n"
           f"/* Generated by tools/sksign.py pubkey-c from "
           f"{os.path.basename(args.key)}; do not edit. */\n"
           "#include <stdint.h>\n\n"
           "const uint8_t sk_signing_pubkey[32] = {\n" +
           "\n".join(rows) + "\n};\n")
    write_file(args.out, src.encode())
    print(f"wrote {args.out} pubkey={raw.hex()}")
    return 0


def cmd_verify(args):
    raw = load_public_key(args.key)
    pub = Ed25519PublicKey.from_public_bytes(raw)
    for path in args.files:
        data = read_file(path, "input file")
        if not os.path.exists(path + ".sig"):
            raise SkSignError(f"{path}: unsigned (no {path}.sig); sign it "
                              "with: tools/sksign.py sign --key PEM "
                              f"{path}")
        sig = read_file(path + ".sig", "signature")
        try:
            pub.verify(sig, signed_message(data))
        except InvalidSignature:
            raise SkSignError(f"{path}.sig: does not match {path} under "
                              f"{args.key}; sign it again with that key"
                              ) from None
    return 0


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="sksign.py", description="Ed25519 signing for sepkernel images.")
    sub = ap.add_subparsers(dest="cmd", required=True, metavar="COMMAND")

    p = sub.add_parser("keygen", help="make a development key pair")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--force", action="store_true",
                   help="overwrite an existing key")
    p.set_defaults(func=cmd_keygen)

    p = sub.add_parser("sign", help="write FILE.sig for each FILE")
    p.add_argument("--key", required=True, metavar="PEM")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_sign)

    p = sub.add_parser("pubkey-c", help="emit the public key as C source")
    p.add_argument("--key", required=True, metavar="PEM|PUB")
    p.add_argument("--out", required=True, metavar="FILE.c")
    p.set_defaults(func=cmd_pubkey_c)

    p = sub.add_parser("verify", help="check FILE.sig for each FILE")
    p.add_argument("--key", required=True, metavar="PEM|PUB")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_verify)
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return args.func(args)
    except SkSignError as e:
        print(f"sksign: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
