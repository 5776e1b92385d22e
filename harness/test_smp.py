# SPDX-License-Identifier: MIT
"""Multiple harts: each runs its own plan with its own partitions.  With
-icount and several harts QEMU interleaves them, so SMP runs are checked
for placement, order and completeness, not exact times."""
import re

from sk import ROOT, boot

SLOT = re.compile(r"slot (\d+) start=(\d+) end=(\d+) late=(\d+)")


def test_four_harts_each_run_their_own_partitions():
    run = boot(ROOT / "configs/smp.toml")
    assert not run.timed_out, run.raw
    assert run.one("boot")["harts"] == "4" and run.one("boot")["parts"] == "7"
    for name, hart, period in (("h0_tick", 0, 20000), ("h1_tick", 1, 20000),
                               ("h3_tick", 3, 10000)):
        out = run.output[name]
        assert out[0] == f"ticker on hart {hart}"
        rows = [tuple(map(int, SLOT.match(l).groups())) for l in out[1:]]
        # In order; how many fit before stop_after depends on how QEMU
        # interleaves the emulated harts (the plan allows all 20).
        assert [r[0] for r in rows] == list(range(len(rows))) and len(rows) >= 10
        ends = [r[2] for r in rows]
        # Slot ends stay on the plan's grid (no drift), though QEMU may run
        # an emulated hart too late for some slots of a multi-hart run.
        assert all(b > a and (b - a) % period == 0 for a, b in zip(ends, ends[1:]))
        assert all(start < end for _, start, end, _ in rows)
    assert run.output["h2_hello"][0].startswith("hello from h2_hello")
    # The spinner on hart 1 never stopped hart 1's ticker.
    assert run.one("summary", part="h1_spin")["state"] == "ready"
    assert run.halt["reason"] == "stop_after"
    # The halting hart keeps the console: nothing follows the halt line.
    assert run.lines[-1] == ("sk", "event=halt reason=stop_after")


def test_cross_hart_ping_pong_keeps_order_and_loses_nothing():
    run = boot(ROOT / "configs/smp.toml")
    assert not run.timed_out, run.raw
    # QEMU interleaves emulated harts as the host lets it, so how many
    # rounds fit before stop_after varies; what must hold is order,
    # integrity and that nothing is ever lost.
    rounds = [l for l in run.output["x_ping"] if l.startswith("round ")]
    n = len(rounds)
    assert n >= 10, run.raw
    assert [int(l.split()[1]) for l in rounds] == list(range(1, n + 1))
    if n == 30:
        assert run.output["x_ping"][-1] == "ping done rounds=30 bad=0"
    sent = {ch: run.one("chan", name=ch) for ch in ("ping", "pong")}
    assert all(e["drops"] == "0" for e in sent.values())
    # Every ping was answered or is the one in flight; every pong arrived.
    pongs, pings = int(sent["pong"]["sent"]), int(sent["ping"]["sent"])
    assert n <= pongs <= n + 1 and pongs <= pings <= pongs + 1
    assert not [l for l in run.output["x_ping"] if "bad=" in l and "bad=0" not in l]
