# SPDX-License-Identifier: MIT
"""The config compiler: bad configurations never become images.

- harness/invalid/*.toml: one mistake each, with the message it must
  produce (`# expect:`) and optionally its line (`# expect-line:`).
  Each is run with --check and with --out: exit 1, FILE:LINE: ...;
  fix: ..., and no output directory left behind.
- configs/*.toml: every shipped system passes --check.
- harness/valid/*.toml: the generated outputs are checked in detail.

Bad images come from elfgen.py; hello.elf from build/partitions (a
stand-in is built there if `make partitions` has not run).
"""

import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import elfgen
import sk

ROOT = Path(__file__).resolve().parent.parent
PY = "/usr/bin/python3"
SKC = str(ROOT / "tools" / "skc.py")
PARTS = ROOT / "build" / "partitions"
HELLO = PARTS / "hello.elf"
INVALID = sorted((ROOT / "harness" / "invalid").glob("*.toml"))
VALID = sorted((ROOT / "harness" / "valid").glob("*.toml"))
CONFIGS = sorted((ROOT / "configs").glob("*.toml"))
CC = "riscv64-unknown-elf-gcc"
CFLAGS = ["-march=rv64imac", "-mabi=lp64", "-mcmodel=medany", "-ffreestanding",
          "-Wall", "-Wextra", "-Werror"]
PAGE = 4096
MIB = 1 << 20

# Bytecode for the many skc runs, cached outside the tree.
ENV = dict(os.environ, PYTHONPYCACHEPREFIX=str(ROOT / "build" / "pycache"))
ENV.pop("PYTHONDONTWRITEBYTECODE", None)


def rel(path):
    return str(Path(path).relative_to(ROOT))


def skc(*args):
    return subprocess.run([PY, SKC, *map(str, args)], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="session")
def hello_elf():
    """build/partitions/hello.elf, or a stand-in built the same way."""
    if not HELLO.exists():
        PARTS.mkdir(parents=True, exist_ok=True)
        src = PARTS / (".hello-standin-%d.S" % os.getpid())
        tmp = PARTS / (".hello-standin-%d.elf" % os.getpid())
        src.write_text("\t.globl _start\n\t.text\n_start:\n\tj _start\n")
        subprocess.run([CC, "-nostdlib", "-march=rv64imac", "-mabi=lp64",
                        "-mcmodel=medany", "-Wl,-Ttext=0x80000000", "-o", str(tmp),
                        str(src)], check=True)
        src.unlink()
        os.replace(tmp, HELLO)      # atomic: parallel workers may race
    return HELLO


@pytest.fixture(scope="session")
def images(tmp_path_factory):
    """The directory of elfgen's images, good and bad."""
    d = tmp_path_factory.mktemp("images")
    elfgen.write_images(str(d))
    return d


@pytest.fixture
def search(hello_elf, images):
    return ["--search", rel(PARTS), "--search", str(images)]


def expectations(path):
    """The `# expect:` substring and `# expect-line:` number of a fixture."""
    expect, line = None, None
    for text in path.read_text().splitlines():
        if not text.startswith("#"):
            break
        if text.startswith("# expect:"):
            expect = text.split(":", 1)[1].strip()
        elif text.startswith("# expect-line:"):
            line = int(text.split(":", 1)[1])
    return expect, line


def check_failure(path, r):
    """Exit 1; every message FILE:LINE: ...; fix: ...; the expected one there."""
    name = rel(path)
    expect, line = expectations(path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "ok:" not in r.stdout
    msgs = r.stderr.strip().splitlines()
    assert msgs and msgs[-1].startswith("skc: "), r.stderr
    for m in msgs[:-1]:
        assert re.match(r"^%s:\d+: " % re.escape(name), m), m
        assert "; fix: " in m, m
    hits = [m for m in msgs[:-1] if expect in m]
    assert hits, "expected %r in:\n%s" % (expect, r.stderr)
    if line is not None:
        lines = [int(m[len(name) + 1:].split(":", 1)[0]) for m in hits]
        assert line in lines, "expected line %d, got %s" % (line, lines)
    numbers = [int(m[len(name) + 1:].split(":", 1)[0]) for m in msgs[:-1]]
    assert numbers == sorted(numbers), "errors not sorted by line"


# ---- the catalogue ----------------------------------------------------------

def test_catalogue_is_complete():
    assert len(INVALID) >= 30
    for path in INVALID:
        first = path.read_text().splitlines()[0]
        assert first.startswith("# expect: "), path
        assert expectations(path)[0], path


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_check(path, search):
    check_failure(path, skc(rel(path), "--check", *search))


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_build_leaves_nothing(path, search, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "system.c").write_text("/* stale */\n")     # an old build
    (tmp_path / "out.tmp").mkdir()                       # a partial one
    check_failure(path, skc(rel(path), "--out", out, *search))
    assert not out.exists()
    assert not (tmp_path / "out.tmp").exists()


# ---- the shipped systems ----------------------------------------------------

def test_configs_exist():
    assert CONFIGS, "configs/ holds no *.toml: the shipped systems are missing"


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.stem)
def test_config_passes(path, hello_elf):
    r = skc(rel(path), "--check", "--search", rel(PARTS))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok: %s (" % rel(path)), r.stdout


# ---- command line -----------------------------------------------------------

def test_usage_errors_exit_2():
    assert skc().returncode == 2
    r = skc("harness/valid/minimal.toml")            # neither --out nor --check
    assert r.returncode == 2 and "--out" in r.stderr


def test_missing_config_file(tmp_path):
    r = skc(tmp_path / "nothere.toml", "--check")
    assert r.returncode == 1 and "cannot read" in r.stderr


def test_all_errors_reported_sorted(tmp_path, search):
    cfg = tmp_path / "many.toml"
    cfg.write_text('[system]\nname = "Bad Name"\nharts = 0\n\n'
                   '[[partition]]\nname = "a"\nimage = "hello.elf"\nmemory = "90K"\n'
                   'on_fault = "explode"\n\n'
                   '[[partition]]\nname = "a"\nimage = "nothere.elf"\nmemroy = "1M"\n')
    r = skc(cfg, "--check", *search)
    assert r.returncode == 1
    lines = [int(m.split(":")[1]) for m in r.stderr.splitlines()[:-1]]
    assert lines == [2, 3, 8, 9, 12, 13, 14], r.stderr
    assert "skc: 7 errors" in r.stderr


def test_check_writes_nothing(tmp_path, search):
    out = tmp_path / "out"
    r = skc("harness/valid/minimal.toml", "--check", "--out", out, *search)
    assert r.returncode == 0
    lines = r.stdout.strip().splitlines()
    assert lines[0] == "ok: harness/valid/minimal.toml (1 partition, 1 hart)"
    # and each restartable partition's reload time (tools/skc/reload.py)
    assert re.fullmatch(r"skc: reload \w+: \d+ major frames? \(.* package, .* RAM\)",
                        lines[1]) and len(lines) == 2
    assert not out.exists() and not (tmp_path / "out.tmp").exists()


def test_rebuild_replaces_output(tmp_path, search):
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.pkg").write_bytes(b"old")
    r = skc("harness/valid/minimal.toml", "--out", out, *search)
    assert r.returncode == 0, r.stderr
    assert "minimal.toml -> " in r.stdout
    assert not (out / "stale.pkg").exists()
    assert (out / "hello.pkg").exists() and not (tmp_path / "out.tmp").exists()


def test_image_lookup_order(tmp_path, search, images):
    """Config dir first, then --search; a path with / only from the config dir."""
    (tmp_path / "hello.elf").write_bytes((images / "gapped.elf").read_bytes())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "mine.elf").write_bytes((images / "gapped.elf").read_bytes())
    cfg = tmp_path / "look.toml"
    cfg.write_text('[system]\nname = "look"\n\n'
                   '[[partition]]\nname = "a"\nimage = "hello.elf"\nmemory = "64K"\n\n'
                   '[[partition]]\nname = "b"\nimage = "sub/mine.elf"\nmemory = "64K"\n')
    out = tmp_path / "out"
    r = skc(cfg, "--out", out, *search)
    assert r.returncode == 0, r.stderr
    gapped = (out / "b.bin").read_bytes()
    assert (out / "a.bin").read_bytes() == gapped      # not build/partitions'
    cfg.write_text(cfg.read_text().replace("sub/mine.elf", "sub/hello.elf"))
    r = skc(cfg, "--check", *search)
    assert r.returncode == 1 and "file not found" in r.stderr


# ---- the outputs of good configurations -------------------------------------

def parse_elf(blob):
    """(entry, [(paddr, data, memsz, flags)]) of an ELF64 LE's PT_LOADs."""
    entry, phoff = struct.unpack_from("<QQ", blob, 24)
    phentsize, phnum = struct.unpack_from("<HH", blob, 54)
    segs = []
    for n in range(phnum):
        ptype, flags, off, _, paddr, filesz, memsz, _ = struct.unpack_from(
            "<IIQQQQQQ", blob, phoff + n * phentsize)
        if ptype == 1 and memsz:
            segs.append((paddr, blob[off:off + filesz], memsz, flags))
    return entry, segs


def padded(n):
    return (n + PAGE - 1) // PAGE * PAGE


class Built:
    """One good configuration, compiled into a temporary directory."""

    def __init__(self, cfg, out, images):
        self.cfg = cfg
        self.out = out
        self.images = images
        self.layout = json.loads((out / "layout.json").read_text(),
                                 object_hook=sk.addresses_as_ints)
        self.config = tomllib.loads(cfg.read_text())

    def part_cfg(self, name):
        return next(p for p in self.config["partition"] if p["name"] == name)

    def image_path(self, name):
        img = self.part_cfg(name)["image"]
        for d in (self.cfg.parent, PARTS, self.images):
            if (d / img).exists():
                return d / img
        raise FileNotFoundError(img)


@pytest.fixture(scope="module", params=VALID, ids=lambda p: p.stem)
def built(request, tmp_path_factory, hello_elf, images):
    out = tmp_path_factory.mktemp(request.param.stem) / "out"
    r = skc(rel(request.param), "--out", out, "--search", rel(PARTS),
            "--search", images)
    assert r.returncode == 0, r.stderr
    return Built(request.param, out, images)


def test_valid_set_is_rich():
    """At least: two harts with explicit schedules; phys with args."""
    docs = [tomllib.loads(p.read_text()) for p in VALID]
    assert any(d["system"].get("harts", 1) >= 2 and d.get("schedule") for d in docs)
    assert any(any("phys" in p and "args" in p for p in d["partition"]) for d in docs)


def test_output_files(built):
    names = {f.name for f in built.out.iterdir()}
    for p in built.layout["partitions"]:
        for ext in (".bin", ".dts", ".dtb", ".pkg"):
            assert p["name"] + ext in names
    assert {"system.c", "blobs.S", "layout.json", "qemu.args"} <= names
    mem = built.layout["memory"] // MIB
    assert (built.out / "qemu.args").read_text() == \
        "-smp %d -m %dM\n" % (built.layout["harts"], mem)


def test_system_c_compiles(built, tmp_path):
    r = subprocess.run([CC, *CFLAGS, "-I", str(ROOT / "sepkernel" / "include"),
                        "-I", str(ROOT / "sepkernel"),
                        "-I", str(ROOT / "sbi"), "-c", str(built.out / "system.c"),
                        "-o", str(tmp_path / "system.o")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_system_c_tables(built):
    text = (built.out / "system.c").read_text()
    lay = built.layout
    assert '#include "sk/system.h"' in text
    assert ".nparts = %d," % len(lay["partitions"]) in text
    assert ".nharts = %d," % lay["harts"] in text
    assert ".timebase_hz = 10000000UL," in text
    for p in lay["partitions"]:
        assert ".ram_hpa = 0x%xUL," % p["ram_hpa"] in text
        assert ".vmid = %d," % (p["id"] + 1) in text
        assert "extern const uint8_t sk_pkg_%d[]" % p["id"] in text
    for plan in lay["plans"]:
        assert ".major_frame = %d, .nslots = %d," % (plan["major_frame"],
                                                     len(plan["slots"])) in text


def test_blobs_assemble(built, tmp_path):
    text = (built.out / "blobs.S").read_text()
    assert ".set sk_kernel_limit, 0x%x" % built.layout["kernel_limit"] in text
    for path in re.findall(r'\.incbin "([^"]+)"', text):
        assert os.path.isabs(path) and path.startswith(str(built.out))
        if path.endswith(".sig") and not os.path.exists(path):
            Path(path).write_bytes(bytes(64))    # signing comes later
    obj = tmp_path / "blobs.o"
    r = subprocess.run([CC, "-march=rv64imac", "-mabi=lp64", "-c",
                        str(built.out / "blobs.S"), "-o", str(obj)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    syms = subprocess.run(["riscv64-unknown-elf-nm", str(obj)], capture_output=True,
                          text=True, check=True).stdout
    for p in built.layout["partitions"]:
        m = re.search(r"^([0-9a-f]+) R sk_pkg_%d$" % p["id"], syms, re.M)
        assert m and int(m.group(1), 16) % PAGE == 0, syms


def test_layout_consistent(built):
    lay = built.layout
    base, end = 0x80000000, 0x80000000 + lay["memory"]
    limit = lay["kernel_limit"]
    assert lay["kernel_base"] == 0x80200000
    pkgs = sum(-(-p["pkg_size"] // PAGE) * PAGE for p in lay["partitions"])
    assert limit % (2 * MIB) == 0 and limit >= 0x80200000 + 4 * MIB + pkgs
    spans = []
    for p in lay["partitions"]:
        lo, hi = p["ram_hpa"], p["ram_hpa"] + p["ram_size"]
        assert lo % PAGE == 0 and p["ram_size"] % PAGE == 0
        assert limit <= lo and hi <= end, p
        cfg = built.part_cfg(p["name"])
        if "phys" not in cfg and p["ram_size"] % (2 * MIB) == 0:
            assert lo % (2 * MIB) == 0, "2M multiples are 2M-aligned"
        spans.append((lo, hi, p["name"]))
    spans.sort()
    for (_, hi, a), (lo, _, b) in zip(spans, spans[1:]):
        assert hi <= lo, "%s overlaps %s" % (a, b)
    assert base + lay["memory"] == end


def test_explicit_placement(built):
    for p in built.layout["partitions"]:
        phys = built.part_cfg(p["name"]).get("phys")
        if phys is not None:
            assert p["ram_hpa"] == (int(phys, 16) if isinstance(phys, str) else phys)


def test_plans(built):
    lay = built.layout
    parts = {p["name"]: p for p in lay["partitions"]}
    assert [plan["hart"] for plan in lay["plans"]] == list(range(lay["harts"]))
    for plan in lay["plans"]:
        t = 0
        for s in plan["slots"]:
            assert s["start"] == t and s["length"] >= 1000
            t += s["length"]
            if s["partition"] is not None:
                assert parts[s["partition"]]["hart"] == plan["hart"]
        assert t == plan["major_frame"]
    if not built.config.get("schedule"):        # default: one slot per partition
        slot = {"1ms": 10000, "500us": 5000}[built.config["system"].get("slot", "1ms")]
        for plan in lay["plans"]:
            own = [p["name"] for p in lay["partitions"] if p["hart"] == plan["hart"]]
            assert [s["partition"] for s in plan["slots"]] == own
            assert all(s["length"] == slot for s in plan["slots"])


def test_flat_image_matches_elf(built):
    for p in built.layout["partitions"]:
        entry, segs = parse_elf(built.image_path(p["name"]).read_bytes())
        flat = (built.out / (p["name"] + ".bin")).read_bytes()
        size = max(a + len(d) for a, d, _, _ in segs if d) - 0x80000000
        assert len(flat) == size == p["image_size"]
        want = bytearray(size)
        for a, d, _, _ in segs:
            want[a - 0x80000000:a - 0x80000000 + len(d)] = d
        assert flat == bytes(want)
        assert p["entry"] == entry


def test_packages(built):
    for p in built.layout["partitions"]:
        name = p["name"]
        pkg = (built.out / (name + ".pkg")).read_bytes()
        flat = (built.out / (name + ".bin")).read_bytes()
        dtb = (built.out / (name + ".dtb")).read_bytes()
        assert len(pkg) == p["pkg_size"] == p["cfg_off"] + p["cfg_size"]
        assert p["dtb_off"] == padded(len(flat)) and p["dtb_size"] == len(dtb)
        assert p["cfg_off"] == p["dtb_off"] + padded(len(dtb))
        assert pkg[:len(flat)] == flat and not any(pkg[len(flat):p["dtb_off"]])
        assert pkg[p["dtb_off"]:p["dtb_off"] + len(dtb)] == dtb
        text = pkg[p["cfg_off"]:p["cfg_off"] + p["cfg_size"]]
        entry = json.loads(text)
        assert text == json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()
        assert not any(pkg[p["cfg_off"] + p["cfg_size"]:])
        assert entry["name"] == name and entry["id"] == p["id"]
        assert entry["ram_hpa"] == p["ram_hpa"] and entry["memory"] == p["ram_size"]
        assert entry["image_blake2b"] == hashlib.blake2b(flat).hexdigest()
        assert entry["args"] == built.part_cfg(name).get("args", {})
        assert p["blake2b"] == hashlib.blake2b(pkg).hexdigest()


def test_device_trees(built):
    for p in built.layout["partitions"]:
        r = subprocess.run(["dtc", "-I", "dtb", "-O", "dts",
                            str(built.out / (p["name"] + ".dtb"))],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        dts = r.stdout
        size = p["ram_size"]
        assert "reg = <0x00 0x80000000 0x%02x 0x%x>;" % (size >> 32, size) in dts
        assert 'sk,partition-name = "%s";' % p["name"] in dts
        assert "sk,partition-id = <0x%02x>;" % p["id"] in dts
        assert 'sk,system-name = "%s";' % built.layout["system"] in dts
        assert "timebase-frequency = <0x989680>;" in dts
        for k, v in built.part_cfg(p["name"]).get("args", {}).items():
            if isinstance(v, str):
                quoted = v.replace("\\", "\\\\").replace('"', '\\"')
                assert '%s = "%s";' % (k, quoted) in dts
            else:
                assert "%s = <0x%02x 0x%02x>;" % (k, v >> 32, v & 0xffffffff) in dts


def test_pool_size(built):
    """4 pages of root plus one per 1G and per 2M region, per partition."""
    total = 0
    for p in built.layout["partitions"]:
        ranges = [(0x80000000, 0x80000000 + p["ram_size"]),
                  (0x7fe00000, 0x7fe00000 + padded(p["dtb_size"]))]
        gigs = {g for lo, hi in ranges for g in range(lo >> 30, ((hi - 1) >> 30) + 1)}
        megs = {m for lo, hi in ranges for m in range(lo >> 21, ((hi - 1) >> 21) + 1)}
        total += 4 + len(gigs) + len(megs)
    text = (built.out / "system.c").read_text()
    assert "uint64_t sk_gstage_pool[%d][512]" % total in text
    assert "const uint32_t sk_gstage_pool_pages = %d;" % total in text
    assert "aligned(16384)" in text


# ---- the line locator, on generated configurations --------------------------

sys.path.insert(0, str(ROOT / "tools"))
from skc.locate import Locator          # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.lists(st.permutations(["name", "image", "memory", "hart"]),
                           min_size=1, max_size=5),
                  st.booleans(), st.integers(0, 3))
def test_locator_finds_every_key(orders, inline_args, blanks):
    lines, want = ['[system]', 'name = "x"'], {("system", "name"): 2}
    values = {"name": '"p"', "image": '"a.elf"', "memory": '"64K"', "hart": "0"}
    for i, order in enumerate(orders):
        lines += [""] * blanks + ["[[partition]]  # #%d" % i]
        want[("partition", i)] = len(lines)
        for key in order:
            lines.append("%s = %s   # [x]" % (key, values[key]))
            want[("partition", i, key)] = len(lines)
        if inline_args:
            lines.append('args = { s = "a]}#", n = 1 }')
            want[("partition", i, "args", "n")] = len(lines)
        else:
            lines += ["[partition.args]", "n = 1"]
            want[("partition", i, "args", "n")] = len(lines)
    lines += ["[[schedule]]", "slots = [", '  { length = "1ms" },', "",
              '  { partition = "p", length = "2ms" } ]']
    want[("schedule", 0, "slots", 1, "partition")] = len(lines)
    want[("schedule", 0, "slots", 0)] = len(lines) - 2
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)
    loc = Locator(text)
    for path, line in want.items():
        assert loc.line(path) == line, path
