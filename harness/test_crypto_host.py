# SPDX-License-Identifier: MIT
"""Host tests for sepkernel/crypto: BLAKE2b-512, SHA-512 and strict Ed25519.

The kernel's crypto sources are compiled with the host gcc into a shared
library (once per session) and driven through ctypes. References are
hashlib, the `cryptography` package, and a small pure-Python model of
edwards25519 below (used for points no signer would produce).
"""
import ctypes
import hashlib
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parents[1]
CRYPTO = ROOT / "sepkernel" / "crypto"
INCLUDE = ROOT / "sepkernel" / "include"
HOST_CFLAGS = ["-O2", "-Wall", "-Wextra", "-Werror", "-fPIC"]
RV_CFLAGS = ["-march=rv64imac_zicsr_zifencei", "-mabi=lp64", "-mcmodel=medany",
             "-ffreestanding", "-nostdlib", "-O2", "-Wall", "-Wextra", "-Werror"]
PROPERTY = settings(max_examples=200, deadline=None)

# ---- edwards25519 reference model ------------------------------------------
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRTM1 = pow(2, (P - 1) // 4, P)
IDENTITY = (0, 1)


def _inv(x):
    return pow(x, P - 2, P)


def pt_add(p1, p2):
    (x1, y1), (x2, y2) = p1, p2
    t = D * x1 * x2 * y1 * y2 % P
    return ((x1 * y2 + x2 * y1) * _inv(1 + t) % P,
            (y1 * y2 + x1 * x2) * _inv(1 - t) % P)


def pt_mul(n, pt):
    acc = IDENTITY
    while n:
        if n & 1:
            acc = pt_add(acc, pt)
        pt = pt_add(pt, pt)
        n >>= 1
    return acc


def x_for_y(y):
    """Some x with (x, y) on the curve, or None."""
    xx = (y * y - 1) * _inv(D * y * y + 1) % P
    x = pow(xx, (P + 3) // 8, P)
    if (x * x - xx) % P:
        x = x * SQRTM1 % P
    return x if (x * x - xx) % P == 0 else None


def encode(pt):
    x, y = pt
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def decode(b):
    v = int.from_bytes(b, "little")
    y, sign = v & ((1 << 255) - 1), v >> 255
    x = x_for_y(y)
    if x & 1 != sign:
        x = P - x
    return x, y


BASE = decode((4 * _inv(5) % P).to_bytes(32, "little"))


def small_order_points():
    """All eight points of the 8-torsion subgroup (canonical encodings)."""
    y = 2
    while True:
        x = x_for_y(y)
        if x is not None:
            t = pt_mul(L, (x, y))       # kills the prime-order part
            if pt_mul(4, t) != IDENTITY:  # so t has order exactly 8
                break
        y += 1
    pts, acc = [], IDENTITY
    for _ in range(8):
        pts.append(acc)
        acc = pt_add(acc, t)
    assert acc == IDENTITY and len(set(pts)) == 8
    return pts


SMALL_ORDER = [encode(p) for p in small_order_points()]
# A y with no x on the curve.
OFF_CURVE_Y = next(y for y in range(2, 100) if x_for_y(y) is None)

# ---- RFC 8032 section 7.1 test vectors (secret, public, message, sig) -------
TEST_1024_MSG = (
    "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
    "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
    "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
    "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
    "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
    "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
    "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
    "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
    "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
    "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
    "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
    "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
    "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
    "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
    "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
    "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
    "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
    "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
    "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
    "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
    "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
    "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
    "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
    "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
    "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
    "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
    "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
    "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
    "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
    "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
    "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
    "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0")

RFC8032 = {
    "test1": (
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    "test2": (
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    "test3": (
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
        "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
    "test1024": (
        "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
        "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
        TEST_1024_MSG,
        "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
        "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"),
    "test_sha_abc": (
        "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
        "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
        "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"),
}


def vector(name):
    return tuple(bytes.fromhex(h) for h in RFC8032[name])


def error_codes():
    """ED25519_ERR_* values as the header defines them."""
    text = (CRYPTO / "ed25519.h").read_text()
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r"#define\s+ED25519_ERR_(\w+)\s+\((-?\d+)\)", text)}


ERR = error_codes()

# ---- the library under test ------------------------------------------------


class Crypto:
    """ctypes wrapper over the compiled sources with bytes in, bytes out."""

    def __init__(self, path):
        lib = self.lib = ctypes.CDLL(str(path))
        sz, buf, vp = ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p
        for name in ("blake2b", "sha512"):
            getattr(lib, name).argtypes = [buf, sz, buf]
            getattr(lib, name + "_init").argtypes = [vp]
            getattr(lib, name + "_update").argtypes = [vp, buf, sz]
            getattr(lib, name + "_final").argtypes = [vp, buf]
        lib.ed25519_verify.argtypes = [buf, buf, sz, buf]
        lib.ed25519_verify.restype = ctypes.c_int
        lib.ed25519_strerror.argtypes = [ctypes.c_int]
        lib.ed25519_strerror.restype = ctypes.c_char_p
        lib.sc25519_is_canonical.argtypes = [buf]
        lib.sc25519_reduce64.argtypes = [buf, buf]
        lib.sc25519_wnaf.argtypes = [vp, buf, ctypes.c_uint]
        lib.ge25519_frombytes.argtypes = [vp, buf]
        lib.ge25519_double_scalarmult_vartime.argtypes = [vp, buf, vp, buf]
        lib.ge25519_tobytes.argtypes = [buf, vp]

    def hash(self, name, data):
        out = ctypes.create_string_buffer(64)
        getattr(self.lib, name)(data, len(data), out)
        return out.raw

    def hash_chunks(self, name, chunks):
        ctx = ctypes.create_string_buffer(1024)  # > sizeof any ctx
        out = ctypes.create_string_buffer(64)
        getattr(self.lib, name + "_init")(ctx)
        for c in chunks:
            getattr(self.lib, name + "_update")(ctx, c, len(c))
        getattr(self.lib, name + "_final")(ctx, out)
        return out.raw

    def verify(self, sig, msg, pub):
        assert len(sig) == 64 and len(pub) == 32
        return self.lib.ed25519_verify(sig, msg, len(msg), pub)

    def strerror(self, err):
        return self.lib.ed25519_strerror(err).decode()

    def reduce64(self, b):
        out = ctypes.create_string_buffer(32)
        self.lib.sc25519_reduce64(out, b)
        return int.from_bytes(out.raw, "little")

    def wnaf(self, s, w):
        naf = (ctypes.c_int8 * 256)()
        self.lib.sc25519_wnaf(naf, s.to_bytes(32, "little"), w)
        return list(naf)

    def double_scalarmult(self, a, point, b):
        """Encoding of [a]point + [b]B, or None if point does not decode."""
        p3 = ctypes.create_string_buffer(512)
        if self.lib.ge25519_frombytes(p3, point):
            return None
        p2 = ctypes.create_string_buffer(512)
        self.lib.ge25519_double_scalarmult_vartime(
            p2, a.to_bytes(32, "little"), p3, b.to_bytes(32, "little"))
        out = ctypes.create_string_buffer(32)
        self.lib.ge25519_tobytes(out, p2)
        return out.raw


@pytest.fixture(scope="session")
def crypto(tmp_path_factory):
    out = tmp_path_factory.mktemp("crypto") / "libskcrypto.so"
    srcs = sorted(str(p) for p in CRYPTO.glob("*.c"))
    r = subprocess.run(["gcc", *HOST_CFLAGS, "-shared", "-I", str(INCLUDE),
                        *srcs, "-o", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return Crypto(out)


def keypair(seed):
    key = Ed25519PrivateKey.from_private_bytes(seed)
    pub = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return key, pub


def with_s(sig, s):
    return sig[:32] + s.to_bytes(32, "little")


# ---- build -----------------------------------------------------------------


@pytest.mark.skipif(shutil.which("riscv64-unknown-elf-gcc") is None,
                    reason="riscv64-unknown-elf-gcc not installed")
def test_riscv_build_is_warning_free(tmp_path):
    for src in sorted(CRYPTO.glob("*.c")):
        r = subprocess.run(["riscv64-unknown-elf-gcc", *RV_CFLAGS, "-I",
                            str(INCLUDE), "-c", str(src), "-o",
                            str(tmp_path / (src.stem + ".o"))],
                           capture_output=True, text=True)
        assert r.returncode == 0 and not r.stderr, f"{src.name}:\n{r.stderr}"


def test_generated_tables_are_current():
    r = subprocess.run([sys.executable, str(ROOT / "tools" /
                                            "gen_ed25519_tables.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


# ---- BLAKE2b / SHA-512 ------------------------------------------------------

SIZES = [0, 1, 3, 55, 56, 57, 63, 64, 65, 111, 112, 113, 119, 120, 127, 128,
         129, 191, 192, 255, 256, 1000, 4096]


@pytest.mark.parametrize("name", ["blake2b", "sha512"])
@pytest.mark.parametrize("size", SIZES)
def test_sha_one_shot(crypto, name, size):
    data = bytes((i * 131 + size) & 0xFF for i in range(size))
    assert crypto.hash(name, data) == hashlib.new(name, data).digest()


@pytest.mark.parametrize("name", ["blake2b", "sha512"])
def test_sha_known_answers(crypto, name):
    # RFC 7693 appendix A and FIPS 180-4 examples, independent of hashlib.
    expect = {
        "blake2b": "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                   "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
        "sha512": "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    }
    assert crypto.hash(name, b"abc").hex() == expect[name]


@pytest.mark.parametrize("name", ["blake2b", "sha512"])
def test_sha_long_data(crypto, name):
    data = hashlib.shake_256(b"sepkernel").digest(1 << 20)
    assert crypto.hash(name, data) == hashlib.new(name, data).digest()
    assert crypto.hash_chunks(name, [data]) == hashlib.new(name, data).digest()


@pytest.mark.parametrize("name", ["blake2b", "sha512"])
def test_sha_byte_at_a_time(crypto, name):
    data = bytes(range(256)) * 2
    chunks = [data[i:i + 1] for i in range(len(data))]
    assert crypto.hash_chunks(name, chunks) == hashlib.new(name, data).digest()


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(["blake2b", "sha512"]),
       chunks=st.lists(st.binary(max_size=300), max_size=12))
def test_sha_update_splits(crypto, name, chunks):
    data = b"".join(chunks)
    assert crypto.hash_chunks(name, chunks) == hashlib.new(name, data).digest()
    assert crypto.hash(name, data) == hashlib.new(name, data).digest()


@pytest.mark.parametrize("shift", range(8))
def test_blake2b_unaligned_input(crypto, shift):
    # Packages are 8-byte aligned (plain loads); anything else takes the
    # byte-assembling path.  Both must give the same digest.
    data = hashlib.shake_256(b"align").digest(1000)
    buf = ctypes.create_string_buffer(bytes(shift) + data)
    out = ctypes.create_string_buffer(64)
    crypto.lib.blake2b.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
    crypto.lib.blake2b(ctypes.addressof(buf) + shift, len(data), out)
    crypto.lib.blake2b.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p]
    assert out.raw == hashlib.blake2b(data).digest()


# ---- the package signing scheme --------------------------------------------

def kernel_context():
    """The scheme prefix as sepkernel/core/verify.c spells it."""
    src = (ROOT / "sepkernel" / "core" / "verify.c").read_text()
    m = re.search(r'sign_context\[VERIFY_CONTEXT_SIZE\] =\s*"([^"]*)"', src)
    return m.group(1).encode()


def test_scheme_prefix_is_the_signers_and_32_bytes():
    sys.path.insert(0, str(ROOT / "tools"))
    import sksign
    assert kernel_context() == sksign.CONTEXT and len(sksign.CONTEXT) == 32


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=3000), flip=st.integers(min_value=0))
def test_package_signature_as_the_kernel_checks_it(crypto, data, flip):
    # What tools/sksign.py signs, checked the kernel's way: one BLAKE2b
    # pass, the 32-byte prefix, pure Ed25519 over the 96-byte message.
    key, pub = keypair(bytes(range(32)))
    digest = crypto.hash("blake2b", data)
    assert digest == hashlib.blake2b(data).digest()
    msg = kernel_context() + digest
    sig = key.sign(msg)
    assert crypto.verify(sig, msg, pub) == 0
    assert crypto.verify(key.sign(data), msg, pub) == ERR["MISMATCH"]   # raw-file signature
    if data:
        bad = bytearray(data)
        bad[flip % len(data)] ^= 1 << (flip % 8)
        bad_msg = kernel_context() + crypto.hash("blake2b", bytes(bad))
        assert crypto.verify(sig, bad_msg, pub) == ERR["MISMATCH"]


# ---- scalars ---------------------------------------------------------------


@pytest.mark.parametrize("s, ok", [(0, 1), (1, 1), (L - 1, 1), (L, 0),
                                   (L + 1, 0), (2**253, 0), (2**255, 0),
                                   (2**256 - 1, 0)])
def test_scalar_range(crypto, s, ok):
    assert crypto.lib.sc25519_is_canonical(s.to_bytes(32, "little")) == ok


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=64, max_size=64))
def test_reduce64_matches_python(crypto, b):
    assert crypto.reduce64(b) == int.from_bytes(b, "little") % L


@pytest.mark.parametrize("x", [0, 1, L - 1, L, L + 1, 2 * L, 3 * L - 1,
                               2**512 - 1, 2**511, (2**512 - 1) // L * L])
def test_reduce64_edges(crypto, x):
    assert crypto.reduce64(x.to_bytes(64, "little")) == x % L


@settings(max_examples=200, deadline=None)
@given(s=st.integers(min_value=0, max_value=2**253 - 1),
       w=st.integers(min_value=2, max_value=8))
def test_wnaf_recoding(crypto, s, w):
    naf = crypto.wnaf(s, w)
    assert sum(d << i for i, d in enumerate(naf)) == s
    nz = [i for i, d in enumerate(naf) if d]
    assert all(naf[i] & 1 and abs(naf[i]) < 1 << (w - 1) for i in nz)
    assert all(b - a >= w for a, b in zip(nz, nz[1:]))


# ---- group arithmetic against the Python model -----------------------------


@pytest.mark.parametrize("seed", range(12))
def test_double_scalarmult_matches_model(crypto, seed):
    rnd = random.Random(seed)
    a, b, k = (rnd.randrange(1, L) for _ in range(3))
    point = pt_mul(k, BASE)
    expect = pt_add(pt_mul(a, point), pt_mul(b, BASE))
    assert crypto.double_scalarmult(a, encode(point), b) == encode(expect)


def test_double_scalarmult_edges(crypto):
    enc_b = encode(BASE)
    assert crypto.double_scalarmult(0, enc_b, 0) == encode(IDENTITY)
    assert crypto.double_scalarmult(1, enc_b, 0) == enc_b
    assert crypto.double_scalarmult(0, enc_b, 1) == enc_b
    assert crypto.double_scalarmult(L - 1, enc_b, 1) == encode(IDENTITY)
    assert crypto.double_scalarmult(2**253 - 1, enc_b, 0) == \
        encode(pt_mul(2**253 - 1, BASE))
    # a torsion point mixed in: [8]T vanishes whatever the other term
    t = decode(SMALL_ORDER[1])
    assert crypto.double_scalarmult(8, SMALL_ORDER[1], 5) == \
        encode(pt_add(pt_mul(8, t), pt_mul(5, BASE)))


# ---- Ed25519: RFC 8032 vectors ---------------------------------------------


@pytest.mark.parametrize("name", sorted(RFC8032))
def test_rfc8032_vector(crypto, name):
    secret, pub, msg, sig = vector(name)
    # The embedded data really is the RFC's: Ed25519 signing is
    # deterministic, so an independent signer must reproduce it.
    key, derived = keypair(secret)
    assert derived == pub and key.sign(msg) == sig
    assert crypto.verify(sig, msg, pub) == 0
    assert crypto.verify(sig, msg + b"\0", pub) == ERR["MISMATCH"]


def test_rfc8032_vector_lengths():
    assert len(vector("test1024")[2]) == 1023
    assert len(vector("test_sha_abc")[2]) == 64


def test_empty_message_may_be_null(crypto):
    _, pub, _, sig = vector("test1")
    assert crypto.lib.ed25519_verify(sig, None, 0, pub) == 0


def test_vectors_do_not_cross_verify(crypto):
    _, pub1, msg1, sig1 = vector("test1")
    _, pub2, msg2, sig2 = vector("test2")
    assert crypto.verify(sig1, msg1, pub2) == ERR["MISMATCH"]
    assert crypto.verify(sig2, msg2, pub1) == ERR["MISMATCH"]
    assert crypto.verify(sig1, msg2, pub1) == ERR["MISMATCH"]


# ---- Ed25519: strictness ---------------------------------------------------


def test_error_codes_distinct_and_named(crypto):
    assert set(ERR) >= {"S_RANGE", "BAD_KEY", "SMALL_ORDER", "BAD_R",
                        "SMALL_ORDER_R", "MISMATCH"}
    assert len(set(ERR.values())) == len(ERR)
    assert all(v < 0 for v in ERR.values())
    words = {k: crypto.strerror(v) for k, v in ERR.items()}
    assert words["S_RANGE"] == "s_out_of_range"
    assert words["BAD_KEY"] == "bad_key"
    assert words["SMALL_ORDER"] == "small_order_key"
    assert words["MISMATCH"] == "bad_signature"
    assert len(set(words.values())) == len(words)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", w) for w in words.values())
    assert crypto.strerror(0) == "ok"
    assert crypto.strerror(-999) == "unknown_error"


@pytest.mark.parametrize("extra", [L, 2 * L, 3 * L])
def test_s_plus_multiple_of_l_rejected(crypto, extra):
    _, pub, msg, sig = vector("test2")
    s = int.from_bytes(sig[32:], "little")
    assert crypto.verify(with_s(sig, s + extra), msg, pub) == ERR["S_RANGE"]


@pytest.mark.parametrize("s", [L, L + 1, 2**255, 2**256 - 1])
def test_s_out_of_range_rejected(crypto, s):
    _, pub, msg, sig = vector("test1")
    assert crypto.verify(with_s(sig, s), msg, pub) == ERR["S_RANGE"]


# y = p + j for j in 0..18 encodes j non-canonically; several of those j
# (0, 1, ...) are on the curve, so only the canonicity check can stop them.
NONCANONICAL = [((P + j) | (sign << 255)).to_bytes(32, "little")
                for j in range(19) for sign in (0, 1)]


def test_noncanonical_encodings_are_on_curve_when_reduced():
    # Guards the test below: at least y = 0 and y = 1 would decode.
    assert x_for_y(0) is not None and x_for_y(1) is not None


@pytest.mark.parametrize("enc", NONCANONICAL, ids=lambda e: e[:1].hex() + e[31:].hex())
def test_noncanonical_key_rejected(crypto, enc):
    _, _, msg, sig = vector("test1")
    assert crypto.verify(sig, msg, enc) == ERR["BAD_KEY"]


@pytest.mark.parametrize("enc", NONCANONICAL, ids=lambda e: e[:1].hex() + e[31:].hex())
def test_noncanonical_r_rejected(crypto, enc):
    _, pub, msg, sig = vector("test1")
    assert crypto.verify(enc + sig[32:], msg, pub) == ERR["BAD_R"]


def test_decoder_refuses_noncanonical_spellings(crypto):
    # y + p spells the same y as y; the decoder must take only the
    # canonical one. (sqrt(-1), 0) has a canonical encoding for each sign.
    for y in (0, 1):
        for sign in (0, 1):
            enc = ((P + y) | (sign << 255)).to_bytes(32, "little")
            assert crypto.double_scalarmult(1, enc, 0) is None
    for canon in (bytes(32), bytes(31) + b"\x80"):
        assert crypto.double_scalarmult(1, canon, 0) == canon


@pytest.mark.parametrize("y", [1, P - 1])
def test_x_zero_with_sign_bit_rejected(crypto, y):
    _, pub, msg, sig = vector("test1")
    enc = (y | (1 << 255)).to_bytes(32, "little")
    assert crypto.verify(sig, msg, enc) == ERR["BAD_KEY"]
    assert crypto.verify(enc + sig[32:], msg, pub) == ERR["BAD_R"]


@pytest.mark.parametrize("sign", [0, 1])
def test_off_curve_rejected(crypto, sign):
    _, pub, msg, sig = vector("test3")
    enc = (OFF_CURVE_Y | (sign << 255)).to_bytes(32, "little")
    assert crypto.verify(sig, msg, enc) == ERR["BAD_KEY"]
    assert crypto.verify(enc + sig[32:], msg, pub) == ERR["BAD_R"]


def test_small_order_list():
    assert SMALL_ORDER[0] == bytes([1]) + bytes(31)          # identity
    assert bytes.fromhex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f") \
        in SMALL_ORDER                                          # (0, -1), order 2
    assert bytes(32) in SMALL_ORDER                             # (+-sqrt(-1), 0)
    assert bytes(31) + b"\x80" in SMALL_ORDER                  # order 4


@pytest.mark.parametrize("enc", SMALL_ORDER, ids=lambda e: e.hex()[:8])
def test_small_order_key_rejected(crypto, enc):
    _, _, msg, sig = vector("test1")
    assert crypto.verify(sig, msg, enc) == ERR["SMALL_ORDER"]


@pytest.mark.parametrize("enc", SMALL_ORDER, ids=lambda e: e.hex()[:8])
def test_small_order_r_rejected(crypto, enc):
    _, pub, msg, sig = vector("test1")
    assert crypto.verify(enc + sig[32:], msg, pub) == ERR["SMALL_ORDER_R"]


def test_identity_key_forgery_rejected(crypto):
    # A = R = identity, S = 0 satisfies [S]B = R + [k]A for every message:
    # the classic forgery a lax verifier accepts.
    ident = SMALL_ORDER[0]
    assert crypto.verify(ident + bytes(32), b"any message", ident) == \
        ERR["SMALL_ORDER"]


def test_torsion_added_to_r_rejected(crypto):
    # R' = R + T (T of order 8) keeps R' valid and of large order but
    # breaks the cofactorless equation.
    _, pub, msg, sig = vector("test2")
    r2 = encode(pt_add(decode(sig[:32]), decode(SMALL_ORDER[1])))
    assert crypto.verify(r2 + sig[32:], msg, pub) == ERR["MISMATCH"]


# ---- Ed25519: properties against `cryptography` ----------------------------

seeds = st.binary(min_size=32, max_size=32)
messages = st.binary(min_size=0, max_size=2000)


@PROPERTY
@given(seed=seeds, msg=messages)
def test_signatures_from_cryptography_verify(crypto, seed, msg):
    key, pub = keypair(seed)
    assert crypto.verify(key.sign(msg), msg, pub) == 0


@PROPERTY
@given(seed=seeds, msg=messages, data=st.data())
def test_signature_bit_flip_rejected(crypto, seed, msg, data):
    key, pub = keypair(seed)
    sig = bytearray(key.sign(msg))
    bit = data.draw(st.integers(min_value=0, max_value=511))
    sig[bit // 8] ^= 1 << (bit % 8)
    rc = crypto.verify(bytes(sig), msg, pub)
    allowed = {ERR["MISMATCH"], ERR["BAD_R"], ERR["SMALL_ORDER_R"]} if bit < 256 \
        else {ERR["MISMATCH"], ERR["S_RANGE"]}
    assert rc in allowed


@PROPERTY
@given(seed=seeds, msg=messages, data=st.data())
def test_public_key_bit_flip_rejected(crypto, seed, msg, data):
    key, pub = keypair(seed)
    sig = key.sign(msg)
    bit = data.draw(st.integers(min_value=0, max_value=255))
    bad = bytearray(pub)
    bad[bit // 8] ^= 1 << (bit % 8)
    assert crypto.verify(sig, msg, bytes(bad)) in \
        {ERR["MISMATCH"], ERR["BAD_KEY"], ERR["SMALL_ORDER"]}


@PROPERTY
@given(seed=seeds, msg=st.binary(min_size=1, max_size=2000), data=st.data())
def test_message_bit_flip_rejected(crypto, seed, msg, data):
    key, pub = keypair(seed)
    sig = key.sign(msg)
    bit = data.draw(st.integers(min_value=0, max_value=8 * len(msg) - 1))
    bad = bytearray(msg)
    bad[bit // 8] ^= 1 << (bit % 8)
    assert crypto.verify(sig, bytes(bad), pub) == ERR["MISMATCH"]
