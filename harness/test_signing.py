# SPDX-License-Identifier: MIT
"""Promise 5 (integrity): a partition's package runs only if its Ed25519
signature checks out under the key built into the kernel."""
import hashlib
import re
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sk import BUILD, ROOT, boot, build, layout

CONFIG = ROOT / "configs/demo.toml"
CROSS = "riscv64-unknown-elf-"
CONTEXT = b"sepkernel-package-v1/blake2b-512"     # README, Signed images


def symbols(elf):
    """name -> (address, file offset) for the package/signature symbols."""
    out = subprocess.run([CROSS + "readelf", "-SW", str(elf)], capture_output=True,
                         text=True, check=True).stdout
    sec = next(l for l in out.splitlines() if " .sk_pkgs " in l).split()
    i = sec.index(".sk_pkgs")
    addr, off = int(sec[i + 2], 16), int(sec[i + 3], 16)
    nm = subprocess.run([CROSS + "nm", str(elf)], capture_output=True, text=True,
                        check=True).stdout
    syms = {}
    for line in nm.splitlines():
        a, _, name = line.split()
        if re.fullmatch(r"sk_(pkg|sig)_\d+", name):
            syms[name] = int(a, 16) - addr + off
    return syms


@pytest.fixture(scope="module")
def demo():
    out = build(CONFIG)
    return out, layout(CONFIG), symbols(out / "image.elf")


def patched(tmp_path, out, edits):
    """A copy of the system with bytes of image.elf changed."""
    dst = tmp_path / "sys"
    dst.mkdir()
    shutil.copy(out / "qemu.args", dst)
    data = bytearray((out / "image.elf").read_bytes())
    for off, value in edits:
        data[off] = value if isinstance(value, int) else data[off] ^ 0xFF
    (dst / "image.elf").write_bytes(bytes(data))
    return dst / "image.elf"


def test_measured_boot_records_match_the_build(demo):
    out, lay, _ = demo
    run = boot(CONFIG)
    log = (out / "signing.log").read_text()
    for p in lay["partitions"]:
        ev = run.one("verified", part=p["name"])
        assert ev["blake2b"] == p["blake2b"]
        assert f"{p['name']}.pkg blake2b={p['blake2b']}" in log
        assert run.output[p["name"]][-1] == "bye"
    assert not run.of("reject")


def test_portable_hash_path_measures_the_same(demo):
    # Without Zbb the kernel hashes with the portable rotate: same digest.
    out, lay, _ = demo
    run = boot(CONFIG, cpu="rv64,zbb=false")
    assert run.one("boot")["zbb"] == "0"
    for p in lay["partitions"]:
        assert run.one("verified", part=p["name"])["blake2b"] == p["blake2b"]
        assert run.output[p["name"]][-1] == "bye"
    assert boot(CONFIG).one("boot")["zbb"] == "1"   # QEMU 7.2's rv64 has Zbb


def test_a_signature_over_the_raw_package_is_refused(demo, tmp_path):
    # The right key, but over the package itself (not the scheme's
    # prefix and digest): no other use of the key can stand in for it.
    out, lay, syms = demo
    key = serialization.load_pem_private_key(
        (ROOT / "keys" / "dev-signing-key.pem").read_bytes(), password=None)
    p = lay["partitions"][0]
    sig = key.sign((out / f"{p['name']}.pkg").read_bytes())
    edits = [(syms[f"sk_sig_{p['id']}"] + i, b) for i, b in enumerate(sig)]
    run = boot(image=patched(tmp_path, out, edits))
    assert run.one("reject", part=p["name"])["reason"] == "bad_signature"
    assert p["name"] not in run.output


# Where to flip a byte in one partition's signed region: its code, its
# data, its device tree, its config entry, its signature.
SITES = {
    "code_start": lambda p: p["entry"] - 0x80000000,
    "image_end": lambda p: p["image_size"] - 1,
    "dtb_header": lambda p: p["dtb_off"],
    "dtb_body": lambda p: p["dtb_off"] + p["dtb_size"] // 2,
    "config": lambda p: p["cfg_off"] + 3,
    "config_end": lambda p: p["pkg_size"] - 1,
    "padding": lambda p: p["image_size"],       # zeros before the device tree
}


@pytest.mark.parametrize("victim", [0, 1])
@pytest.mark.parametrize("site", sorted(SITES) + ["signature_r", "signature_s"])
def test_one_flipped_byte_rejects_that_partition_only(demo, tmp_path, victim, site):
    out, lay, syms = demo
    parts = lay["partitions"]
    p = parts[victim]
    if site == "signature_r":
        off = syms[f"sk_sig_{victim}"] + 5
    elif site == "signature_s":
        off = syms[f"sk_sig_{victim}"] + 40
    else:
        off = syms[f"sk_pkg_{victim}"] + SITES[site](p)
    run = boot(image=patched(tmp_path, out, [(off, None)]))
    assert not run.timed_out, run.raw
    rej = run.one("reject", part=p["name"])
    assert rej["reason"] in ("bad_signature", "bad_r", "s_out_of_range",
                             "small_order_r")
    assert p["name"] not in run.output           # never ran a single instruction
    other = parts[1 - victim]
    run.one("verified", part=other["name"])
    assert run.output[other["name"]][-1] == "bye"


def test_signed_with_another_key_is_rejected_whole(demo, tmp_path):
    out, lay, syms = demo
    other = Ed25519PrivateKey.generate()
    edits = []
    for p in lay["partitions"]:
        pkg = (out / f"{p['name']}.pkg").read_bytes()
        sig = other.sign(CONTEXT + hashlib.blake2b(pkg).digest())
        edits += [(syms[f"sk_sig_{p['id']}"] + i, b) for i, b in enumerate(sig)]
    run = boot(image=patched(tmp_path, out, edits))
    assert not run.timed_out, run.raw
    assert len(run.of("reject")) == len(lay["partitions"])
    assert not run.output
    assert run.halt["reason"] == "all_stopped"


def test_an_unsigned_image_is_refused_by_the_build(tmp_path):
    b = tmp_path / "b"
    r = subprocess.run(["make", "--no-print-directory", "image", f"B={b}",
                        f"CONFIG={CONFIG}"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    (b / "demo" / "beta.pkg.sig").unlink()
    (b / "demo" / "image.elf").unlink()
    (b / "demo" / "signed").touch()
    r = subprocess.run(["make", "--no-print-directory", "image", f"B={b}",
                        f"CONFIG={CONFIG}"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode != 0
    assert "beta.pkg: unsigned" in r.stderr
    assert not (b / "demo" / "image.elf").exists()


def test_a_missing_key_is_a_clear_error(tmp_path):
    r = subprocess.run(["make", "--no-print-directory", "image", f"B={tmp_path}",
                        f"CONFIG={CONFIG}", f"SK_KEY={tmp_path}/nokey.pem"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode != 0
    assert "nokey.pem: private key not found" in r.stderr


def test_on_reject_halt_stops_the_system_before_anything_runs(tmp_path):
    cfg = ROOT / "harness/systems/reject_halt.toml"
    out = build(cfg)
    lay = layout(cfg)
    syms = symbols(out / "image.elf")
    run = boot(image=patched(tmp_path, out, [(syms["sk_pkg_0"] + 100, None)]))
    assert not run.timed_out, run.raw
    run.one("reject", part=lay["partitions"][0]["name"])
    assert run.halt["reason"] == "rejected"
    assert not run.output                       # nothing ran


def _free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(shutil.which("gdb-multiarch") is None,
                    reason="gdb-multiarch not installed")
def test_a_pristine_package_corrupted_after_boot_is_rejected_at_restart(tmp_path):
    # The pristine copy is kernel memory no partition can reach, so only
    # a debugger can change it: gdb flips one byte of crashy's package
    # after boot, as its first restart begins.  The restart re-hashes
    # the package, finds a digest other than the one verified at boot,
    # and stops crashy instead of running what it loaded.
    import sk
    cfg = ROOT / "harness/systems/restart_short.toml"
    out = build(cfg)
    lay = layout(cfg)
    crashy = next(p for p in lay["partitions"] if p["name"] == "crashy")
    image = out / "image.elf"
    port = _free_port()
    qargs = (out / "qemu.args").read_text().split()
    qemu = subprocess.Popen(
        [sk.QEMU, "-M", "virt", *qargs, "-display", "none", "-bios", str(sk.FW),
         "-kernel", str(image), "-monitor", "none", "-serial", "stdio",
         "-icount", "shift=0,sleep=off", "-gdb", f"tcp:127.0.0.1:{port}", "-S"],
        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    byte = f"((unsigned char *)&sk_pkg_{crashy['id']})[{crashy['image_size'] // 2}]"
    script = tmp_path / "flip.gdb"
    script.write_text("set pagination off\nset confirm off\n"
                      f"target remote 127.0.0.1:{port}\n"
                      "break part_restart\ncontinue\n"
                      f"set var {byte} = {byte} ^ 0x10\n"
                      "delete\ndetach\nquit\n")
    try:
        g = subprocess.run(["gdb-multiarch", "-batch", "-nx", "-x", str(script),
                            str(image)], capture_output=True, text=True, timeout=60)
        text = qemu.communicate(timeout=60)[0].decode(errors="replace")
    finally:
        if qemu.poll() is None:
            qemu.kill()
            qemu.wait()
    run = sk.parse(text)
    assert "Breakpoint 1" in g.stdout, g.stdout + g.stderr
    run.one("fault", part="crashy", action="restart")
    run.one("reject", part="crashy", reason="digest_mismatch")
    run.one("stop", part="crashy", reason="rejected")
    assert not run.of("restart")
    assert run.output["crashy"] == ["run 0"]          # the corrupt load never ran
    assert run.output["ticker"][-1].startswith("slot 49 ")
    assert run.halt["reason"] == "all_stopped"
