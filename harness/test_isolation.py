# SPDX-License-Identifier: MIT
"""Promise 1 (space): every attempt of the attacker partition to reach
memory, devices or CSRs it was not given traps, is reported with the
right cause and address, and is contained; the victim runs on."""
import re

import pytest

from sk import ROOT, boot, layout

CONFIG = ROOT / "configs/isolation.toml"

# attempt number -> (cause, address the fault must name); None = tval
EXPECTED = [
    ("load_guest_page_fault", "ram_end"),
    ("store_guest_page_fault", "ram_end"),
    ("load_guest_page_fault", "victim"),
    ("store_guest_page_fault", "victim"),
    ("load_guest_page_fault", 0x80200000),
    ("store_guest_page_fault", 0x80200000),
    ("load_guest_page_fault", 0x7ffff000),
    ("load_guest_page_fault", 0x10000000),
    ("store_guest_page_fault", 0x10000000),
    ("load_guest_page_fault", 0x0C000000),
    ("store_guest_page_fault", 0x0C000000),
    ("load_guest_page_fault", 0x0200BFF8),
    ("store_guest_page_fault", 0x02000000),
    ("store_guest_page_fault", 0x7FE00000),
    ("instruction_guest_page_fault", 0x7FE00000),
    ("virtual_instruction", None),
    ("virtual_instruction", None),
    ("illegal_instruction", None),
    ("illegal_instruction", None),
    ("virtual_instruction", None),      # cycle: not granted (counters = false)
]


@pytest.fixture(scope="module")
def run():
    r = boot(CONFIG)
    assert not r.timed_out, r.raw
    return r


def test_no_attack_succeeds(run):
    assert not [l for l in run.output["attacker"] if "BREACH" in l], run.raw
    assert "attacks done" in run.output["attacker"]


@pytest.mark.parametrize("n", range(len(EXPECTED)))
def test_attempt_is_trapped_with_the_right_cause(run, n):
    lay = {p["name"]: p for p in layout(CONFIG)["partitions"]}
    cause, where = EXPECTED[n]
    att = [l for l in run.output["attacker"] if l.startswith(f"attempt {n}:")]
    assert len(att) == 1, run.raw
    faults = run.of("fault", part="attacker")
    fault = faults[n]
    assert fault["cause"] == cause
    assert fault["action"] == "restart"
    if where is not None:
        addr = {"ram_end": 0x80000000 + lay["attacker"]["ram_size"],
                "victim": lay["victim"]["ram_hpa"]}.get(where, where)
        assert int(fault["gpa"], 16) == addr
        assert att[0].endswith(f"at {addr:#x}")
    else:
        assert "tval" in fault
    # The attempt was announced before the fault, and the fault was the next event.
    idx = run.lines.index(("attacker", att[0]))
    nxt = next(t for w, t in run.lines[idx + 1:] if w == "sk")
    assert nxt.startswith(f"event=fault part=attacker cause={cause}")


def test_victim_keeps_running_throughout(run):
    out = run.output["victim"]
    assert out[1:] == [f"tick {i}" for i in range(1, 31)] + ["bye"]
    # Victim lines appear between the attacker's faults, not only after.
    who = [w for w, _ in run.lines]
    first, last = (i for i in (who.index("attacker"),
                                len(who) - 1 - who[::-1].index("attacker")))
    assert who[first:last].count("victim") >= 15
    assert run.one("summary", part="victim")["faults"] == "0"


def test_unoffered_hypercalls_are_not_supported(run):
    probes = [l for l in run.output["attacker"] if l.startswith("sbi ")]
    assert len(probes) == 8
    for line in probes:
        assert line.endswith("-> error -2"), line        # SBI_ERR_NOT_SUPPORTED


def test_attacker_restarts_are_counted(run):
    counts = [int(e["count"]) for e in run.of("restart", part="attacker")]
    assert counts == list(range(1, len(EXPECTED) + 1))
    s = run.one("summary", part="attacker")
    assert s["faults"] == str(len(EXPECTED)) and s["restarts"] == str(len(EXPECTED))
    assert run.halt["reason"] == "all_stopped"
