# SPDX-License-Identifier: MIT
"""Promise 3 (time): static cyclic schedules.  Under -icount the runs are
deterministic, so exact rhythm can be asserted."""
import re

import pytest

from sk import ROOT, boot, layout

SLOT = re.compile(r"slot (\d+) start=(\d+) end=(\d+) late=(\d+)")
FRAME = 30000          # 3 ms in 10 MHz ticks


def starts(run, name):
    return [tuple(map(int, SLOT.match(l).groups())) for l in run.output[name]
            if SLOT.match(l)]


@pytest.fixture(scope="module")
def spinning():
    r = boot(ROOT / "configs/schedule.toml")
    assert not r.timed_out, r.raw
    return r


@pytest.fixture(scope="module")
def quiet():
    r = boot(ROOT / "harness/systems/schedule_quiet.toml")
    assert not r.timed_out, r.raw
    return r


@pytest.mark.parametrize("name", ["tick_a", "tick_b"])
def test_spinner_never_delays_a_slot_start(spinning, name):
    s = starts(spinning, name)
    assert len(s) == 60
    # Past the first slot (which also runs crt0), every slot starts at its
    # planned time plus the same switch cost, give or take one tick.
    late = [l for (_, _, _, l) in s[1:]]
    assert max(late) - min(late) <= 1, late
    assert max(late) <= 10          # 10 ticks = 1000 instructions
    # Consecutive starts are exactly one major frame apart (no drift).
    gaps = {b[1] - a[1] for a, b in zip(s[1:], s[2:])}
    assert gaps <= {FRAME - 1, FRAME, FRAME + 1}, gaps
    ends = [e for (_, _, e, _) in s]
    assert all(b - a == FRAME for a, b in zip(ends, ends[1:]))


@pytest.mark.parametrize("name", ["tick_a", "tick_b"])
def test_rhythm_is_the_same_with_or_without_the_spinner(spinning, quiet, name):
    a = [l for (_, _, _, l) in starts(spinning, name)[1:]]
    b = [l for (_, _, _, l) in starts(quiet, name)[1:]]
    assert len(a) == len(b) == 59
    # The spinner's only effect is the cost of saving its dirty FP state
    # at the switch: under one tick (100 instructions) more at worst.
    assert max(a) - max(b) <= 1 and min(a) - min(b) <= 1, (a, b)


def test_slots_follow_the_plan(spinning):
    a = starts(spinning, "tick_a")
    b = starts(spinning, "tick_b")
    # tick_b's slot starts 2 ms after tick_a's, each frame.
    for (_, _, ea, _), (_, _, eb, _) in zip(a, b):
        assert eb - ea == 15000 - 10000 + 10000      # end_b - end_a = 1.5ms
    # The spinner got its slots and was never stopped; the run ended on time.
    assert spinning.halt["reason"] == "stop_after"
    assert spinning.one("summary", part="spinner")["state"] == "ready"
    assert not spinning.of("fault")


def test_each_partition_gets_its_share_per_frame(spinning):
    slots = {p: int(spinning.one("summary", part=p)["slots"])
             for p in ("tick_a", "spinner", "tick_b")}
    # 200 ms of 3 ms frames: 66 or 67 slots each, the same for all three.
    assert max(slots.values()) - min(slots.values()) <= 1
    assert 66 <= slots["spinner"] <= 67


TIMER = re.compile(r"timer (\d+) set=(\d+) want=(\d+) got=(\d+) slot_end=(\d+)")


@pytest.mark.parametrize("cpu,slack", [(None, 1), ("rv64,sstc=false", 10)],
                         ids=["sstc", "no_sstc"])
def test_virtual_timer_fires_on_time_or_at_the_next_slot(cpu, slack):
    # Without Sstc the kernel stands in with its own timer and hvip:
    # later by the SBI round trip, but still never early.
    run = boot(ROOT / "harness/systems/vtimer.toml", cpu=cpu)
    assert not run.timed_out, run.raw
    assert run.one("boot")["sstc"] == ("0" if cpu else "1")
    rows = [tuple(map(int, TIMER.match(l).groups())) for l in run.output["timer"]
            if TIMER.match(l)]
    assert len(rows) == 20
    frame, slot = 20000, 10000
    inside = outside = 0
    for _, _, want, got, end in rows:
        assert got >= want                       # never early
        start = end - slot                       # the slot it was set in
        # Where does want fall in the plan?  timer owns [k*frame, k*frame+slot).
        off = (want - start) % frame
        if off < slot:                           # while it runs: on time
            assert got - want <= slack, (want, got)
            inside += 1
        else:                                    # at its next slot start
            next_start = want - off + frame
            assert 0 <= got - next_start <= 10 + slack, (want, got, next_start)
            outside += 1
    assert inside >= 5 and outside >= 5


def test_state_survives_thousands_of_switches():
    run = boot(ROOT / "harness/systems/regcheck.toml")
    assert not run.timed_out, run.raw
    for name in ("check_a", "check_b"):
        m = re.match(r"regcheck rounds=(\d+) switched_rounds=(\d+) mismatches=(\d+)",
                     run.output[name][-1])
        assert m, run.output[name]
        rounds, switched, bad = map(int, m.groups())
        assert rounds == 1500 and bad == 0
        assert switched >= 400                   # switched out mid-check, often
        assert int(run.one("summary", part=name)["slots"]) >= 1000
        run.one("stop", part=name, reason="srst_shutdown")
    assert int(run.one("summary", part="spinner")["slots"]) >= 1000


def test_32_partitions_on_one_hart_all_run():
    run = boot(ROOT / "harness/systems/many.toml")
    assert not run.timed_out, run.raw
    assert len(run.output) == 32
    for i in range(32):
        assert run.output[f"p{i:02d}"] == [
            f"hello from p{i:02d} (partition {i}, run 0, 32 KiB of RAM)",
            "tick 1", "tick 2", "bye"]
    assert run.halt["reason"] == "all_stopped"
    # Round robin: everyone's first tick comes before anyone's second.
    ticks = [(w, t) for w, t in run.lines if t.startswith("tick")]
    assert all(t == "tick 1" for _, t in ticks[:32])
