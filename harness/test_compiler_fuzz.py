# SPDX-License-Identifier: MIT
"""Fuzzing the configuration compiler (promise 6: bad input gets a clear
error, never a crash).

Every shipped and harness configuration is a seed.  Hypothesis mutates
them structurally (keys dropped, values replaced by other types, huge,
negative, Unicode or unit-like values, tables and arrays nested deep) and
as raw text (lines dropped, doubled, cut, bytes inserted), and skc runs
in-process on each mutant, through its command-line entry main().

The property: either a successful check, or exit 1 with every message
FILE:LINE: ...; fix: <something>, and never a traceback or an "internal
error".  A successful --check has done everything `make image` depends on
but the C compiler and the signer: validation, images, device trees (dtc
runs), packages, placement and the kernel reserve; the numbers it accepts
are range-checked so that system.c always compiles.  To show that, a
sample of accepted mutants is built with `make image` and booted, and
must reach event=halt.

SK_FUZZ_EXAMPLES (default 2000, split over the tests below) sets the
number of cases; SK_FUZZ_EXAMPLES=50000 for a long run, which also draws
fresh random cases (the default run is derandomized: the same cases each
time).
"""
import contextlib
import io
import json
import math
import os
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sk import BUILD, ROOT, boot

sys.path.insert(0, str(ROOT / "tools"))
from skc.main import main as skc_main  # noqa: E402

SEEDS = sorted(list((ROOT / "configs").glob("*.toml")) +
               list((ROOT / "harness/systems").glob("*.toml")) +
               list((ROOT / "harness/valid").glob("*.toml")))
TEXTS = {p: p.read_text() for p in SEEDS}
DOCS = {p: tomllib.loads(t) for p, t in TEXTS.items()}
TOTAL = int(os.environ.get("SK_FUZZ_EXAMPLES", "2000"))
LONG = TOTAL > 2000
FUZZ = BUILD / "fuzz"
ACCEPTED = []           # (seed, text) of accepted mutants, for the boot sample

MSG = re.compile(r"^(.*?):(\d+): (.+); fix: (\S.*)$")


def run_skc(text, tag):
    """skc --check on text; returns (exit code, stdout, stderr)."""
    FUZZ.mkdir(parents=True, exist_ok=True)
    path = FUZZ / ("m_%s_%d.toml" % (tag, os.getpid()))
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = skc_main([str(path), "--check", "--search", str(BUILD / "partitions"),
                           "--search", str(ROOT / "configs"),
                           "--search", str(ROOT / "harness/systems")])
        except SystemExit as e:
            rc = e.code
    return rc, out.getvalue(), err.getvalue(), str(path)


def check_property(text, tag):
    rc, out, err, path = run_skc(text, tag)
    if rc == 0:
        assert out.startswith("ok: ") and not err, (out, err)
        return True
    assert rc == 1, (rc, out, err, text)
    lines = err.strip().splitlines()
    assert lines and lines[-1].startswith("skc: "), err
    assert len(lines) >= 2, err
    for m in lines[:-1]:
        g = MSG.match(m)
        assert g, "not FILE:LINE: ...; fix: ...:\n%s\n--- config:\n%s" % (m, text)
        assert g.group(1) == path, m
        assert "internal error" not in m, "%s\n--- config:\n%s" % (m, text)
    return False


# ---- a small TOML writer for mutated documents --------------------------------

def _key(k):
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def _val(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_val(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join("%s = %s" % (_key(k), _val(x)) for k, x in v.items()) + " }"
    return json.dumps(str(v))


def dumps(doc):
    """TOML text: scalars first, then [tables] and [[arrays of tables]]."""
    out, later = [], []
    for k, v in doc.items():
        if isinstance(v, dict) and v:
            later.append("[%s]\n" % _key(k) + "".join(
                "%s = %s\n" % (_key(a), _val(b)) for a, b in v.items()))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for t in v:
                later.append("[[%s]]\n" % _key(k) + "".join(
                    "%s = %s\n" % (_key(a), _val(b)) for a, b in t.items()))
        else:
            out.append("%s = %s\n" % (_key(k), _val(v)))
    return "".join(out) + "\n".join(later)


# ---- strategies -----------------------------------------------------------------

UNITS = ["K", "M", "G", "us", "ms", "s", "", "T", "KiB"]
scalars = st.one_of(
    st.integers(min_value=-2**70, max_value=2**70),
    st.sampled_from([0, 1, -1, 2**32, 2**63 - 1, 2**63, 2**64 - 1, 2**64, 4096, 65535]),
    st.booleans(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.text(alphabet="０１２３ａｂçñ日本ßİ\u200b\t\n\"'\\[]{}=#", max_size=6),
    st.builds(lambda n, u: "%d%s" % (n, u),
              st.sampled_from([0, 1, 3, 7, 64, 100, 4096, 2**31, 2**64 - 1, 10**20]),
              st.sampled_from(UNITS)),
    st.sampled_from(["hello.elf", "ticker.elf", "uart", "sbi", "queuing", "sampling",
                     "shared", "restart", "halt", "0x80000000", "0x90000000", "hello",
                     "", " ", "audit", "sk", "512G", "1M", "5000", "18446744073709551615us"]),
)


def nested(depth):
    s = scalars
    for _ in range(depth):
        s = st.one_of(st.lists(s, max_size=3),
                      st.dictionaries(st.text(max_size=4), s, max_size=3))
    return s


values = st.one_of(scalars, nested(2), st.integers(1, 40).map(
    lambda d: json.loads("[" * d + "1" + "]" * d)))


def _children(node):
    if isinstance(node, dict):
        return list(node.keys())
    if isinstance(node, list):
        return list(range(len(node)))
    return []


@st.composite
def structural(draw):
    seed = draw(st.sampled_from(SEEDS))
    doc = json.loads(json.dumps(DOCS[seed], default=str))
    for _ in range(draw(st.integers(1, 3))):
        node, parent, key = doc, None, None
        while _children(node) and (parent is None or draw(st.booleans())):
            parent, key = node, draw(st.sampled_from(_children(node)))
            node = parent[key]
        if parent is None:
            continue
        how = draw(st.sampled_from(["drop", "replace", "replace", "wrap", "dup"]))
        if how == "drop":
            del parent[key]
        elif how == "replace":
            parent[key] = draw(values)
        elif how == "wrap":
            parent[key] = [parent[key]] if draw(st.booleans()) else {"x": parent[key]}
        elif isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[key])))
        else:
            parent[draw(st.text(min_size=1, max_size=8))] = parent[key]
    return seed, doc


@st.composite
def raw_text(draw):
    seed = draw(st.sampled_from(SEEDS))
    lines = TEXTS[seed].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["drop", "dup", "cut", "insert", "swap"]))
        if how == "drop":
            del lines[i]
        elif how == "dup":
            lines.insert(i, lines[i])
        elif how == "cut":
            lines[i] = lines[i][:draw(st.integers(0, max(len(lines[i]) - 1, 0)))]
        elif how == "insert":
            pos = draw(st.integers(0, len(lines[i])))
            ins = draw(st.one_of(st.text(max_size=4),
                                 st.sampled_from(["[", "]", "{", "}", "\"", "'", "=",
                                                  "[[", "\n[[partition]]\n", "0", "９",
                                                  "\\", "#", "\x00", "\ufeff", "-"])))
            lines[i] = lines[i][:pos] + ins + lines[i][pos:]
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return seed, "".join(lines)


def keep_accepted(seed, doc, text):
    """An accepted mutant that differs from its seed and stops by itself."""
    sysd = doc.get("system")
    if doc != DOCS[seed] and isinstance(sysd, dict) and "stop_after" in sysd:
        ACCEPTED.append((seed, text))


def fuzz_settings(share):
    return settings(max_examples=max(TOTAL * share // 100, 1), deadline=None,
                    derandomize=not LONG, database=None,
                    suppress_health_check=list(HealthCheck))


@fuzz_settings(35)
@given(structural())
def test_structural_mutants_half_a(case):
    seed, doc = case
    text = dumps(doc)
    if check_property(text, "sa"):
        keep_accepted(seed, doc, text)


@fuzz_settings(35)
@given(structural())
def test_structural_mutants_half_b(case):
    seed, doc = case
    check_property(dumps(doc), "sb")


@fuzz_settings(30)
@given(raw_text())
def test_raw_text_mutants(case):
    seed, text = case
    check_property(text, "rt")


def test_writer_round_trips_every_seed():
    """The writer the mutants go through changes nothing by itself."""
    for p, d in DOCS.items():
        assert tomllib.loads(dumps(d)) == d, p


@pytest.mark.parametrize("depth", [30, 33, 100, 5000])
def test_deep_nesting_is_a_clean_error(depth):
    text = ('[system]\nname = "n"\nx = ' + "[" * depth + "1" + "]" * depth +
            '\n[[partition]]\nname = "hello"\nimage = "hello.elf"\nmemory = "64K"\n')
    check_property(text, "deep")


def test_a_sample_of_accepted_mutants_builds_and_halts():
    """Accepted mutants (with a stop_after) build with `make image` and boot
    to event=halt: nothing --check accepts fails later."""
    if len(ACCEPTED) < 3:
        # Run alone (or in another worker): make our own accepted mutants.
        @settings(max_examples=200, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(structural())
        def collect(case):
            seed, doc = case
            text = dumps(doc)
            if check_property(text, "acc"):
                keep_accepted(seed, doc, text)
        collect()
    sample = []
    for seed, text in ACCEPTED:
        if seed not in [s for s, _ in sample]:
            sample.append((seed, text))
        if len(sample) == 3:
            break
    assert sample
    d = BUILD / "fuzzboot"
    d.mkdir(parents=True, exist_ok=True)
    for i, (seed, text) in enumerate(sample):
        doc = tomllib.loads(text)
        doc["system"]["stop_after"] = "50ms"       # keep the boot short
        doc["system"].pop("epoch", None)
        cfg = d / ("fz%d_%d.toml" % (i, os.getpid()))
        cfg.write_text(dumps(doc))
        try:
            r = boot(cfg, timeout=120)
        finally:
            cfg.unlink()
            shutil.rmtree(BUILD / cfg.stem, ignore_errors=True)
        assert not r.timed_out, (seed, text, r.raw[-2000:])
        assert r.of("halt"), (seed, text, r.raw[-2000:])
