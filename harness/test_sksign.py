# SPDX-License-Identifier: MIT
"""tools/sksign.py: keygen, sign, pubkey-c and their error paths.

Signatures are checked both with `cryptography` and with the kernel's
own ed25519_verify() compiled for the host, so what the tool writes is
what the kernel accepts.
"""
import ctypes
import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey, Ed25519PublicKey)

ROOT = Path(__file__).resolve().parents[1]
SKSIGN = ROOT / "tools" / "sksign.py"
CRYPTO = ROOT / "sepkernel" / "crypto"
CONTEXT = b"sepkernel-package-v1/blake2b-512"     # README, Signed images


def sksign(*args):
    return subprocess.run([sys.executable, str(SKSIGN), *map(str, args)],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def kernel_verify(tmp_path_factory):
    """The kernel's ed25519_verify(), built for the host."""
    out = tmp_path_factory.mktemp("sksign") / "libverify.so"
    r = subprocess.run(["gcc", "-O2", "-fPIC", "-shared", "-I",
                        str(ROOT / "sepkernel" / "include"),
                        *sorted(map(str, CRYPTO.glob("*.c"))), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lib = ctypes.CDLL(str(out))
    fn = lib.ed25519_verify
    fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t,
                   ctypes.c_char_p]
    lib.blake2b.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p]

    def verify_package(sig, data, pub):
        """As the kernel does: one BLAKE2b pass, then Ed25519 over the
        scheme's prefix and that digest."""
        digest = ctypes.create_string_buffer(64)
        lib.blake2b(data, len(data), digest)
        assert digest.raw == hashlib.blake2b(data).digest()
        msg = CONTEXT + digest.raw
        return fn(sig, msg, len(msg), pub)
    return verify_package


@pytest.fixture
def keydir(tmp_path):
    d = tmp_path / "keys"
    r = sksign("keygen", "--out", d)
    assert r.returncode == 0, r.stderr
    return d


def test_keygen_writes_key_pub_and_readme(keydir):
    pem = (keydir / "dev-signing-key.pem").read_bytes()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")   # PKCS#8, clear
    key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(key, Ed25519PrivateKey)
    pub = bytes.fromhex((keydir / "dev-signing-key.pub").read_text())
    assert pub == key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    readme = (keydir / "README").read_text()
    assert "DEVELOPMENT" in readme and "production" in readme.lower()
    assert stat.S_IMODE(os.stat(keydir / "dev-signing-key.pem").st_mode) == 0o600


def test_keygen_refuses_to_overwrite(keydir):
    before = (keydir / "dev-signing-key.pem").read_bytes()
    r = sksign("keygen", "--out", keydir)
    assert r.returncode == 1
    assert "dev-signing-key.pem" in r.stderr and "--force" in r.stderr
    assert (keydir / "dev-signing-key.pem").read_bytes() == before

    r = sksign("keygen", "--out", keydir, "--force")
    assert r.returncode == 0, r.stderr
    assert (keydir / "dev-signing-key.pem").read_bytes() != before


def test_sign_writes_valid_signatures(keydir, tmp_path, kernel_verify):
    files = []
    for i, size in enumerate([0, 1, 5000]):
        f = tmp_path / f"image{i}.bin"
        f.write_bytes(os.urandom(size))
        files.append(f)
    r = sksign("sign", "--key", keydir / "dev-signing-key.pem", *files)
    assert r.returncode == 0, r.stderr
    pub = bytes.fromhex((keydir / "dev-signing-key.pub").read_text())
    lines = r.stdout.splitlines()
    for f in files:
        data = f.read_bytes()
        sig = Path(str(f) + ".sig").read_bytes()
        assert len(sig) == 64
        digest = hashlib.blake2b(data).digest()
        Ed25519PublicKey.from_public_bytes(pub).verify(sig, CONTEXT + digest)
        assert kernel_verify(sig, data, pub) == 0
        assert kernel_verify(sig, data + b"x", pub) != 0
        assert f"signed {f} blake2b={digest.hex()}" in lines


def test_pubkey_c_from_pem_and_pub_agree_and_compile(keydir, tmp_path):
    out_pem, out_pub = tmp_path / "a.c", tmp_path / "b.c"
    r = sksign("pubkey-c", "--key", keydir / "dev-signing-key.pem", "--out", out_pem)
    assert r.returncode == 0, r.stderr
    r = sksign("pubkey-c", "--key", keydir / "dev-signing-key.pub", "--out", out_pub)
    assert r.returncode == 0, r.stderr
    src = out_pem.read_text()
    assert "const uint8_t sk_signing_pubkey[32] = {" in src
    assert src.replace("dev-signing-key.pem", "X") == \
        out_pub.read_text().replace("dev-signing-key.pub", "X")

    so = tmp_path / "pub.so"
    r = subprocess.run(["gcc", "-Wall", "-Wextra", "-Werror", "-fPIC", "-shared",
                        str(out_pem), "-o", str(so)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    arr = (ctypes.c_uint8 * 32).in_dll(ctypes.CDLL(str(so)), "sk_signing_pubkey")
    assert bytes(arr) == bytes.fromhex((keydir / "dev-signing-key.pub").read_text())


def test_pubkey_c_accepts_public_pem(keydir, tmp_path):
    key = serialization.load_pem_private_key(
        (keydir / "dev-signing-key.pem").read_bytes(), password=None)
    pem = tmp_path / "pub.pem"
    pem.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    r = sksign("pubkey-c", "--key", pem, "--out", tmp_path / "k.c")
    assert r.returncode == 0, r.stderr
    assert (keydir / "dev-signing-key.pub").read_text().strip() in r.stdout


# ---- error paths -------------------------------------------------------------


def test_missing_key_file(tmp_path):
    img = tmp_path / "img"
    img.write_bytes(b"x")
    missing = tmp_path / "nope.pem"
    for args in (["sign", "--key", missing, img],
                 ["pubkey-c", "--key", missing, "--out", tmp_path / "k.c"]):
        r = sksign(*args)
        assert r.returncode == 1
        assert str(missing) in r.stderr and "keygen" in r.stderr
        assert "Traceback" not in r.stderr
    assert not (tmp_path / "img.sig").exists()
    assert not (tmp_path / "k.c").exists()


def write_key(path, key, password=None):
    enc = (serialization.BestAvailableEncryption(password) if password
           else serialization.NoEncryption())
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8, enc))


@pytest.mark.parametrize("kind, needle", [
    ("garbage", "not a PEM"),
    ("truncated", "cannot parse"),
    ("ecdsa", "not an Ed25519"),
    ("encrypted", "encrypted"),
])
def test_bad_private_key(tmp_path, kind, needle):
    bad = tmp_path / "bad.pem"
    if kind == "garbage":
        bad.write_bytes(b"hello\n")
    elif kind == "truncated":
        write_key(bad, Ed25519PrivateKey.generate())
        bad.write_bytes(bad.read_bytes()[:40] + b"\n-----END PRIVATE KEY-----\n")
    elif kind == "ecdsa":
        write_key(bad, ec.generate_private_key(ec.SECP256R1()))
    else:
        write_key(bad, Ed25519PrivateKey.generate(), b"secret")
    img = tmp_path / "img"
    img.write_bytes(b"x")
    r = sksign("sign", "--key", bad, img)
    assert r.returncode == 1
    assert str(bad) in r.stderr and needle in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "img.sig").exists()


@pytest.mark.parametrize("text", ["zz" * 32, "ab" * 31, ""])
def test_bad_pub_file(tmp_path, text):
    pub = tmp_path / "k.pub"
    pub.write_text(text + "\n")
    r = sksign("pubkey-c", "--key", pub, "--out", tmp_path / "k.c")
    assert r.returncode == 1
    assert str(pub) in r.stderr and "64 hex digits" in r.stderr
    assert not (tmp_path / "k.c").exists()


def test_missing_input_file(keydir, tmp_path):
    missing = tmp_path / "absent.bin"
    r = sksign("sign", "--key", keydir / "dev-signing-key.pem", missing)
    assert r.returncode == 1
    assert str(missing) in r.stderr and "not found" in r.stderr


def test_usage_errors():
    assert sksign().returncode == 2
    assert sksign("sign", "--key", "x").returncode == 2     # no FILE
    assert sksign("keygen").returncode == 2                 # no --out
