# SPDX-License-Identifier: MIT
"""Booting a partitioned image: the demo, and SBI system reset (SRST)."""
from sk import ROOT, boot, layout


def test_demo_boots_and_every_partition_greets():
    run = boot(ROOT / "configs/demo.toml")
    assert not run.timed_out, run.raw
    boot_ev = run.one("boot")
    assert boot_ev["system"] == "demo" and boot_ev["parts"] == "2"
    assert run.one("boot_done")["parts"] == "2"
    lay = layout(ROOT / "configs/demo.toml")
    for p in lay["partitions"]:
        out = run.output[p["name"]]
        # Name, id and RAM size come from the partition's own device tree.
        assert out[0] == (f"hello from {p['name']} (partition {p['id']}, "
                          f"run 0, {p['ram_size'] >> 10} KiB of RAM)")
        assert out[-1] == "bye"
        run.one("stop", part=p["name"], reason="srst_shutdown")
    assert run.halt["reason"] == "all_stopped"
    assert run.lines[-1][0] == "sk" and run.lines[-1][1].startswith("event=halt")


def test_partitions_share_the_hart_by_slots():
    run = boot(ROOT / "configs/demo.toml")
    who = [w for w, _ in run.lines if w in ("alpha", "beta")]
    # Each prints one tick per slot: their lines alternate.
    assert who[:6] == ["alpha", "alpha", "beta", "beta", "alpha", "beta"], run.raw
    assert run.output["alpha"][1:4] == ["tick 1", "tick 2", "tick 3"]


def test_srst_stops_or_restarts_only_the_caller():
    run = boot(ROOT / "harness/systems/srst.toml")
    assert not run.timed_out, run.raw
    run.one("stop", part="quitter", reason="srst_shutdown")
    restarts = run.of("restart", part="rebooter", cause="srst_reboot")
    assert [e["count"] for e in restarts] == ["1", "2"]
    assert [l for l in run.output["rebooter"] if l.startswith("hello")] == [
        f"hello from rebooter (partition 1, run {n}, 64 KiB of RAM)"
        for n in range(3)]
    assert run.output["survivor"][1:] == [f"tick {i}" for i in range(1, 9)] + ["bye"]
    assert run.halt["reason"] == "all_stopped"
    # The survivor's last line comes after the quitter stopped.
    order = [w for w, _ in run.lines]
    assert max(i for i, w in enumerate(order) if w == "survivor") > \
        min(i for i, (w, t) in enumerate(run.lines) if w == "sk" and "part=quitter" in t)


def test_srst_with_system_rights_stops_the_system():
    run = boot(ROOT / "harness/systems/srst_system.toml")
    assert not run.timed_out, run.raw
    assert run.halt["reason"] == "system_shutdown"
    assert run.halt["part"] == "boss"
    assert "bye" not in run.output["worker"]      # cut short by the boss
    summary = run.one("summary", part="worker")
    assert summary["state"] == "ready"
