# SPDX-License-Identifier: MIT
"""Promise 3 (time) against the kernel's longest operations, and the
bounds the compiler derives from them (tools/skc/bounds.py).

worstop starts, one tick before its stop, each operation a partition can
make the kernel do at length (a DBCN line, a flood of lines, a refused
call with its audit record, a 4 KiB copy, a doorbell, a legacy putchar
finishing a line, a fault); with the smallest guard the compiler accepts,
the ticker's slot right after must start exactly as without worstop, and
the kernel must count no late entry.  Under -icount a single hart is
deterministic, so this is byte for byte.

Across harts the same bound holds by construction, checked on the
sources: no path a partition can start waits for another hart (the
console is only tried, its lines queued; the audit lock is a ticket
lock counted into the bound).
"""
import re
import sys

import pytest

from sk import ROOT, boot, build, make

sys.path.insert(0, str(ROOT / "tools"))
from skc import bounds  # noqa: E402

SYS = ROOT / "harness/systems"


@pytest.mark.parametrize("console", ["uart", "sbi"])
def test_longest_operations_at_the_stop_leave_the_next_slot_exact(console):
    quiet = boot(SYS / ("guard_quiet%s.toml" % ("" if console == "uart" else "_sbi")),
                 timeout=120)
    assert not quiet.timed_out, quiet.raw
    r = boot(SYS / f"guard_{console}.toml", timeout=180)
    assert not r.timed_out, r.raw
    assert r.halt["reason"] == "stop_after"
    # The smallest guard the compiler accepts for this system.
    assert bounds.guard_bound(console, 1) > 90       # 9us would be refused
    t = r.one("timing")
    assert t["exact"] == "1" and t["late_entries"] == "0", t
    assert int(t["line_max"]) <= int(t["line_bound"]) == bounds.LINE_TICKS[console]
    # The ticker right after worstop: byte for byte as with a quiet neighbour.
    assert r.output["ticker"] == quiet.output["ticker"]
    assert len(r.output["ticker"]) == 26
    # worstop really did every operation, many times.
    assert len(r.of("deny", part="worstop")) >= 3
    assert len(r.of("fault", part="worstop")) >= 3
    assert len(r.of("restart", part="worstop")) >= 3
    assert r.one("chan", name="big")["sent"] != "0"
    assert sum(1 for l in r.output["worstop"] if l == "w" * 160) >= 5
    assert sum(1 for l in r.output["worstop"] if l == "p" * 160) >= 3
    assert not r.of("console_lost")


def test_a_guard_below_the_bound_is_late_and_says_exact_0():
    """Below the bound the next slot does start late, and the kernel says
    so: exact=1 is never printed while entries were late.  The compiler
    refuses such a guard, so the image is relinked with its system.c
    edited (guard 20 ticks), and worstop starts its DBCN line there."""
    out = build(SYS / "guard_late.toml")
    c = out / "system.c"
    text = c.read_text()
    assert "\t.guard = 100UL," in text
    c.write_text(text.replace("\t.guard = 100UL,", "\t.guard = 20UL,"))
    try:
        make("image", config="harness/systems/guard_late.toml")
        r = boot(image=out / "image.elf", timeout=120)
    finally:
        (out / "system.c").unlink()     # the next build starts afresh
    assert not r.timed_out, r.raw
    assert not r.timed_out, r.raw
    t = r.one("timing")
    assert int(t["late_entries"]) > 0 and t["exact"] == "0", t


@pytest.mark.parametrize("console", ["uart", "sbi"])
def test_measured_costs_are_within_the_compiler_bounds(console):
    name = "guard_measure" + ("" if console == "uart" else "_sbi")
    r = boot(SYS / f"{name}.toml", timeout=120)
    assert not r.timed_out, r.raw
    cost = {}
    for l in r.output["worstop"]:
        m = re.match(r"cost op=(\w+) n=(\d+) ticks=(\d+)", l)
        if m:
            cost[m.group(1)] = int(m.group(3)) / int(m.group(2))
    line = int(r.one("timing")["line_max"])
    assert 0 < line <= bounds.LINE_TICKS[console]
    # A DBCN line call writes its line when it fits: without it, the bound.
    assert cost["line"] - line <= bounds.OP_TICKS["dbcn_line"], cost
    assert cost["send4k"] <= bounds.OP_TICKS["send_4k"], cost
    assert cost["notify"] <= bounds.OP_TICKS["notify_ipi"], cost
    assert cost["deny"] <= bounds.OP_TICKS["deny_audit"] + line, cost


def _functions(path):
    """name -> body of each top-level C function in path."""
    text = path.read_text()
    out = {}
    for m in re.finditer(r"^(?:static |int |void |long |struct )[^\n;]*?\b(\w+)\(([^;{]*?)\)\s*\n\{",
                         text, re.M):
        end = text.find("\n}\n", m.end())
        out[m.group(1)] = text[m.end():end]
    return out


# Kernel-only paths: boot, halt, summaries, and the verification of a
# package (at boot, or a restart's re-check, which only a tampered image
# in kernel memory could fail).
KERNEL_ONLY = {"summary", "sk_halt", "sk_panic", "part_boot_all", "chan_summary",
               "monitor_summary", "sched_summary", "cons_lost_summary", "sk_main",
               "verify_part", "measure_part", "cons_take", "sk_event",
               "proto_summary", "verify_digest", "isa_ok"}   # isa_ok: boot only


def test_no_path_a_partition_starts_waits_for_another_hart():
    files = [ROOT / "sbi/vsbi.c"] + sorted((ROOT / "sepkernel/core").glob("*.c"))
    seen = 0
    for f in files:
        for name, body in _functions(f).items():
            seen += 1
            if name in KERNEL_ONLY:
                continue
            # A blocking console line, or the blocking test-and-set lock.
            assert "sk_event(" not in body, f"{f.name}: {name} writes a line at once"
            assert "spin_lock(" not in body or name == "lock", f"{f.name}: {name}"
    assert seen > 50
    cons = _functions(ROOT / "sepkernel/core/console.c")
    assert "spin_trylock(" in cons["q_drain"] and "spin_lock(" not in cons["q_drain"]
    audit = (ROOT / "sepkernel/core/audit.c").read_text()
    assert "ticket_lock(&audit_lock)" in audit and "spin_lock(" not in audit


def test_unscheduled_partition_does_not_keep_the_system_alive():
    r = boot(SYS / "unscheduled_halt.toml", timeout=60)
    assert not r.timed_out, r.raw
    assert r.halt["reason"] == "all_stopped"
    assert r.one("summary", part="spare")["slots"] == "0"
    assert r.output["worker"]
