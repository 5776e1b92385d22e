# SPDX-License-Identifier: MIT
"""The health monitor and promise 4 (containment): whatever one partition
does, every other partition's output is unchanged, byte for byte."""
import re

import pytest

from sk import ROOT, boot, layout

SYS = ROOT / "harness/systems"


def well_behaved(run, names):
    return {n: run.output[n] for n in names}


def test_fuzzer_changes_nothing_for_its_neighbours():
    hostile = boot(SYS / "contain_fuzz.toml", timeout=180)
    idle = boot(SYS / "contain_idle.toml", timeout=180)
    assert not hostile.timed_out and not idle.timed_out
    names = ("client", "service", "ticker")
    # Byte for byte, including every time they print.
    assert well_behaved(hostile, names) == well_behaved(idle, names)
    assert hostile.output["client"][-1] == "ping done rounds=200 bad=0"
    assert len(hostile.output["ticker"]) == 201
    for n in names:
        assert hostile.one("summary", part=n) == idle.one("summary", part=n)
    # The fuzzer really was hostile: at least 100,000 operations, most
    # runs ended by a fault, and the kernel never stopped.
    ops = sum(int(m.group(1)) for l in hostile.output["hostile"]
              for m in [re.search(r"ops=(\d+)$", l)] if m)
    assert ops >= 100_000, ops
    assert int(hostile.one("summary", part="hostile")["faults"]) >= 150
    assert hostile.halt["reason"] == "stop_after" == idle.halt["reason"]
    assert not hostile.of("panic")
    assert hostile.one("timing")["late_entries"] == "0"


def test_thousand_restarts_leave_the_others_unchanged():
    crash = boot(SYS / "restarts1000.toml", timeout=180)
    calm = boot(SYS / "restarts_idle.toml", timeout=180)
    assert not crash.timed_out and not calm.timed_out
    assert crash.output["ticker"] == calm.output["ticker"]
    assert crash.one("summary", part="ticker") == calm.one("summary", part="ticker")
    restarts = crash.of("restart", part="crasher")
    assert [int(e["count"]) for e in restarts] == list(range(1, 1001))
    crash.one("stop", part="crasher", reason="restart_limit")
    s = crash.one("summary", part="crasher")
    assert s["restarts"] == "1000" and s["faults"] == "1001"


FAULTS = [
    ("load_unmapped", "load_guest_page_fault", "0x1000"),
    ("store_unmapped", "store_guest_page_fault", "0x1000"),
    ("fetch_unmapped", "instruction_guest_page_fault", "0x40000000"),
    ("illegal", "illegal_instruction", None),
    ("virtual", "virtual_instruction", None),
    ("fp_disabled", "illegal_instruction", None),
    ("breakpoint_unhandled", "instruction_guest_page_fault", "0x0"),
    ("store_own_dtb", "store_guest_page_fault", "0x7fe00010"),
]


@pytest.fixture(scope="module")
def faults():
    r = boot(SYS / "faults.toml")
    assert not r.timed_out, r.raw
    return r


@pytest.mark.parametrize("name,cause,gpa", FAULTS)
def test_each_fault_class_ends_in_the_configured_action(faults, name, cause, gpa):
    i = faults.lines.index(("faulter", f"fault {name}"))
    ev = next(t for w, t in faults.lines[i + 1:] if w == "sk")
    fields = dict(kv.split("=", 1) for kv in ev.split())
    assert fields["event"] == "fault" and fields["cause"] == cause
    assert fields["action"] == "restart"
    if gpa:
        assert fields["gpa"] == gpa


def test_faulter_finishes_and_the_victim_is_untouched(faults):
    out = faults.output["faulter"]
    assert out[-1] == "all faults done"
    assert not [l for l in out if "BREACH" in l]
    # Misaligned loads and stores are completed for the guest (by QEMU or
    # the firmware): no fault, and it says so.
    assert out.count("no fault: misaligned access handled") == 1
    assert faults.output["victim"][-1] == "bye"
    assert faults.one("summary", part="victim")["faults"] == "0"


def test_restart_limit_within_window_halts_for_good():
    run = boot(SYS / "restart_limit.toml")
    assert not run.timed_out, run.raw
    assert [e["count"] for e in run.of("restart", part="crashy")] == ["1", "2", "3"]
    actions = [e["action"] for e in run.of("fault", part="crashy")]
    assert actions == ["restart", "restart", "restart", "halt"]
    run.one("stop", part="crashy", reason="restart_limit")
    assert run.output["victim"][-1] == "bye"


def test_resilience_restarts_within_the_window_while_service_carries_on():
    run = boot(ROOT / "configs/resilience.toml")
    assert not run.timed_out, run.raw
    assert run.output["client"][-1] == "ping done rounds=25 bad=0"
    # Crashing every 4 frames with 2 restarts allowed per 6 frames: never
    # over the limit, so it is always restarted.
    restarts = run.of("restart", part="crashy")
    assert len(restarts) >= 6
    assert not run.of("stop", part="crashy")
    assert [l for l in run.output["crashy"] if l.startswith("run ")][:3] == \
        ["run 0", "run 1", "run 2"]


def test_watchdog_restarts_then_halts_a_silent_partition():
    run = boot(SYS / "watchdog.toml")
    assert not run.timed_out, run.raw
    wd = run.of("watchdog", part="kicker")
    assert len(wd) == 2 and all(e["frames"] == "3" for e in wd)
    run.one("restart", part="kicker", cause="watchdog")
    run.one("stop", part="kicker", reason="restart_limit")
    assert run.output["kicker"].count("stopped kicking") == 2
    assert run.output["victim"][-1] == "bye"


def test_critical_failure_is_a_safe_announced_shutdown():
    run = boot(SYS / "critical.toml")
    assert not run.timed_out, run.raw
    run.one("fault", part="controller", action="halt")
    assert run.halt["reason"] == "critical" and run.halt["part"] == "controller"
    # The summary comes before the last line, and the display was cut short.
    assert run.one("summary", part="display")["state"] == "ready"
    assert "bye" not in run.output["display"]
    assert run.lines[-1] == ("sk", "event=halt reason=critical part=controller")


def test_a_restart_in_a_short_slot_completes_across_slots():
    # crashy's 100 us slot holds a few 1 KiB chunks of its reload, not
    # all of it: the reload resumes in its next slots, and the ticker
    # beside it prints the same bytes as beside an idle partition.
    run = boot(SYS / "restart_short.toml")
    idle = boot(SYS / "restart_short_idle.toml")
    assert not run.timed_out and not idle.timed_out, run.raw
    assert not run.of("stop", part="crashy", reason="restart_exceeds_slot")
    restarts = run.of("restart", part="crashy")
    assert [e["count"] for e in restarts] == [str(i) for i in range(1, 11)]
    predicted = layout(SYS / "restart_short.toml")["partitions"][1]["reload_frames"]
    for e in restarts:           # several slots, within what skc printed
        assert 2 <= int(e["frames"]) <= predicted
    run.one("stop", part="crashy", reason="restart_limit")
    assert run.output["crashy"] == ["run %d" % i for i in range(11)]
    assert run.output["ticker"] == idle.output["ticker"]
    assert len(run.output["ticker"]) == 51
    lates = {l.split("late=")[1] for l in run.output["ticker"][2:] if "late=" in l}
    assert lates == {"0"}                      # the ticker's slots never moved
    assert run.one("timing")["late_entries"] == "0"


def test_a_critical_partition_in_a_short_slot_restarts_instead_of_halting():
    run = boot(SYS / "critical_short.toml")
    assert not run.timed_out, run.raw
    restarts = run.of("restart", part="controller")
    assert len(restarts) >= 5
    assert all(f["action"] == "restart" for f in run.of("fault", part="controller"))
    assert not run.of("stop", part="controller")
    assert run.halt["reason"] != "critical"
    assert run.one("timing")["late_entries"] == "0"


def test_a_big_package_restarts_across_many_frames():
    # 4 MiB of data reloaded in 1 KiB chunks across hundreds of 500 us
    # slots; every run checks all of it and gets the same sum.
    cfg = SYS / "restart_big.toml"
    run = boot(cfg, timeout=180)
    assert not run.timed_out, run.raw
    big = layout(cfg)["partitions"][1]
    assert big["pkg_size"] > 4 << 20
    restarts = run.of("restart", part="big")
    assert len(restarts) == 2
    assert all(100 <= int(e["frames"]) <= big["reload_frames"] for e in restarts)
    runs = [l for l in run.output["big"] if l.startswith("run ")]
    assert len(runs) == 3
    assert len({l.split(" ", 2)[2].split(" ", 1)[1] for l in runs}) == 1
    run.one("stop", part="big", reason="restart_limit")
    lates = {l.split("late=")[1] for l in run.output["ticker"][2:] if "late=" in l}
    assert lates == {"0"}
    assert run.one("timing")["late_entries"] == "0"
