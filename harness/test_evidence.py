"""build/evidence.md: the page `make test` writes (harness/conftest.py).

A real pytest run in a subprocess on a few host-only tests, with and without
xdist, writing to a temp path beside a fake results.json; and the renderer
fed failed, skipped and unmapped results directly.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import conftest as ev

ROOT = Path(__file__).resolve().parents[1]

# Fast, host-only, and never this module (no recursion).
SELECTION = ["harness/test_invalid_configs.py::test_catalogue_is_complete",
             "harness/test_invalid_configs.py::test_configs_exist",
             "harness/test_invalid_configs.py::test_valid_set_is_rich"]


def run_suite(tmp_path, bench, xdist):
    out = tmp_path / "evidence.md"
    env = dict(os.environ, SK_EVIDENCE=str(out), SK_BENCH_RESULTS=str(bench))
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            *(["-n", "2"] if xdist else ["-n", "0"]), *SELECTION]
    r = subprocess.run(args, cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=240)
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.is_file(), "the run wrote no evidence page:\n" + r.stdout
    return out.read_text()


@pytest.mark.parametrize("xdist", [False, True], ids=["plain", "xdist"])
def test_page_from_a_real_run(tmp_path, xdist):
    bench = tmp_path / "results.json"
    bench.write_text(json.dumps({"hcall": {"nop": [19, 19]},
                                 "meta": {"commit": "0000000"}}))
    page = run_suite(tmp_path, bench, xdist)
    head = ev.git_commit()
    assert f"- commit: {head}" in page
    assert "- QEMU: QEMU emulator version" in page
    for _, title, _ in ev.PROMISES:
        assert f"### Promise {title}" in page
    # the three tests, under promise 6, passed, with their docstring-less names
    sec = page.split("### Promise 6. Input", 1)[1].split("###", 1)[0]
    assert "3 scenarios: 3 passed" in sec and "Verdict: held" in sec
    for t in SELECTION:
        assert f"`test_invalid_configs.py :: {t.split('::')[1]}` |" in sec, sec
    # the docstring's first line rides along (through xdist's reports too)
    assert ("| `test_invalid_configs.py :: test_valid_set_is_rich` | At least: "
            "two harts with explicit schedules; phys with args. | passed |") in sec
    # nothing else ran: promise 1 says so instead of claiming anything
    sec1 = page.split("### Promise 1. Space", 1)[1].split("###", 1)[0]
    assert "not run in this session" in sec1
    # the fake figures are shown, and flagged as not from this commit
    assert "| `hcall.nop` | 19, 19 |" in page
    assert "older than the tested commit" in page
    assert "test_evidence" not in page.split("## Figures")[0]


def test_bench_absent_current_and_unrecorded(tmp_path):
    res = {"harness/test_signing.py::test_x": dict(
        outcome="passed", duration=0.5, reason="", doc="")}
    page = ev.render(res, bench=tmp_path / "none.json", head="abc1234")
    assert "**No figures**" in page and "`make bench` for current figures" in page
    b = tmp_path / "results.json"
    b.write_text(json.dumps({"chan": {"send": 253}, "failed": [],
                             "gap": [9, 1, 5, 3, 7],
                             "trips": [{"send": [222, 223]}, {"send": [224]}],
                             "meta": {"commit": "abc1234"}}))
    page = ev.render(res, bench=b, head="abc1234")
    assert "Same commit as the tests above." in page
    assert "| `chan.send` | 253 |" in page and "`make bench` for current figures" not in page
    assert "| `gap` | 1 / 5 / 9 (min / median / max of 5) |" in page
    assert "| `trips[*].send` | 222, 223, 224 |" in page
    page = ev.render(res, bench=b, head="abc1234 (dirty)")
    assert "older than the tested commit" in page
    b.write_text(json.dumps({"chan": {"send": 253}}))
    page = ev.render(res, bench=b, head="abc1234")
    assert "do not say which commit" in page


def test_failures_skips_and_unmapped_are_shown(tmp_path):
    res = {
        "harness/test_isolation.py::test_read[kernel]": dict(
            outcome="failed", duration=1.0, reason="assert 0 == 1",
            doc="Reads of kernel memory trap."),
        "harness/test_schedule.py::test_spin": dict(
            outcome="skipped", duration=0.0, reason="no qemu", doc=""),
        "harness/test_new_thing.py::test_y": dict(
            outcome="passed", duration=0.1, reason="", doc="")}
    page = ev.render(res, bench=tmp_path / "none.json", head="abc1234")
    s1 = page.split("### Promise 1. Space", 1)[1].split("###", 1)[0]
    assert "**NOT PROVEN: failures below**" in s1
    assert ("| `test_isolation.py :: test_read[kernel]` | Reads of kernel "
            "memory trap. | **failed**: assert 0 == 1 |") in s1
    s3 = page.split("### Promise 3. Time", 1)[1].split("###", 1)[0]
    assert "**skipped**: no qemu" in s3 and "1 skipped" in s3
    assert "### Other" in page and "test_new_thing.py :: test_y" in page


def test_every_test_module_is_mapped():
    mods = sorted(p.name for p in (ROOT / "harness").glob("test_*.py"))
    missing = [m for m in mods if m not in ev.MODULES]
    assert not missing, ("add these to MODULES in harness/conftest.py "
                         "(and README's table): %s" % missing)
