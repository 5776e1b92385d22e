# SPDX-License-Identifier: MIT
"""Promise 2 (flow): channels are the only route between partitions, and
every copied message passes the security monitor."""
import re

import pytest

from sk import ROOT, boot, layout


def test_pingpong_round_trips():
    run = boot(ROOT / "configs/pingpong.toml")
    assert not run.timed_out, run.raw
    rounds = [l for l in run.output["ping"] if l.startswith("round ")]
    assert [int(l.split()[1]) for l in rounds] == list(range(1, 21))
    assert run.output["ping"][-1] == "ping done rounds=20 bad=0"
    assert run.output["pong"][-1] == "pong done echoed=20"
    for ch in ("ping", "pong"):
        ev = run.one("chan", name=ch)
        assert ev["sent"] == "20" and ev["drops"] == "0"
    assert not run.of("deny")


def test_long_stream_keeps_order_and_loses_nothing():
    run = boot(ROOT / "harness/systems/stream.toml")
    assert not run.timed_out, run.raw
    out = run.output["consumer"]
    assert out[0] == "empty queue -> -101"              # SK_ERR_EMPTY
    assert out[1] == "short buffer -> -103"             # SK_ERR_SIZE, kept queued
    m = re.match(r"received=2000 bad=0 waits=(\d+) drops=(\d+)", out[-1])
    assert m, out
    sent = re.match(r"sent=2000 full=(\d+)", run.output["producer"][-1])
    full = int(sent.group(1))
    # A full queue is an error the sender sees and the kernel counts: no
    # message is ever dropped silently.
    assert full > 0 and int(m.group(2)) == full
    assert run.one("chan", name="stream")["drops"] == str(full)
    assert run.one("chan", name="stream")["sent"] == "2000"


def test_odd_lengths_and_misaligned_buffers_share_a_queue():
    """Messages of 1 to 24 B from and into misaligned buffers, with and
    without an sk_msg_info: the kernel's fast path (aligned whole words)
    and its full path take turns on one queue, and every byte arrives."""
    run = boot(ROOT / "harness/systems/stream_shapes.toml")
    assert not run.timed_out, run.raw
    assert run.output["consumer"][-1] == "shaped received=500 bad=0"
    assert re.match(r"sent=500 full=\d+", run.output["producer"][-1])
    assert run.one("chan", name="stream")["sent"] == "500"
    assert not run.of("deny")


SAMPLE = re.compile(r"frame (\d+) seq=(\d+) value=(\d+) age=(\d+) valid=(\d)")


def test_sampling_gives_latest_value_age_and_validity():
    run = boot(ROOT / "configs/sensors.toml")
    assert not run.timed_out, run.raw
    refresh = 25000
    for reader in ("display", "logger"):
        rows = [tuple(map(int, SAMPLE.match(l).groups())) for l in run.output[reader]]
        assert len(rows) == 16
        for frame, seq, value, age, valid in rows:
            assert seq == min(frame + 1, 10)        # the latest written
            assert value == seq * 7
            assert valid == (age <= refresh)
        ages = [r[3] for r in rows[9:]]
        assert ages == sorted(ages) and ages[-1] > refresh   # aging, then stale
        assert any(r[4] == 1 for r in rows) and any(r[4] == 0 for r in rows)


def test_shared_window_carries_data_without_copies():
    run = boot(ROOT / "configs/bulk.toml")
    assert not run.timed_out, run.raw
    sent = [l for l in run.output["writer"] if l.startswith("round")]
    got = [l for l in run.output["reader"] if l.startswith("round")]
    assert len(sent) == len(got) == 4
    for s, g in zip(sent, got):
        assert g.endswith(" ok") and s.split("sum=")[1] == g.split("sum=")[1].split()[0]
        assert "61440 bytes" in g


def test_reader_cannot_write_a_shared_window():
    run = boot(ROOT / "harness/systems/bulk_rw.toml")
    assert not run.timed_out, run.raw
    lay = layout(ROOT / "harness/systems/bulk_rw.toml")
    reader = next(p for p in lay["partitions"] if p["name"] == "reader")
    win = reader["ports"][0]["win_gpa"]
    f = run.one("fault", part="reader")
    assert f["cause"] == "store_guest_page_fault" and int(f["gpa"], 16) == win
    assert not [l for l in run.output["reader"] if "BREACH" in l]
    assert len([l for l in run.output["writer"] if l.startswith("round")]) == 3


ABUSES = [
    ("send on an id it was not granted", -104, "-", "bad_channel"),
    ("send on its receive channel", -105, "in", "direction"),
    ("receive on its send channel", -105, "out", "direction"),
    ("send from outside its RAM", -5, "out", "bad_address"),
    ("send from the kernel", -5, "out", "bad_address"),
    ("send across its RAM end", -5, "out", "bad_address"),
    ("send longer than the channel", -103, "out", "too_long"),
    ("send with a huge length", -103, "out", "too_long"),
    ("send a forbidden type", -107, "out", "type"),
    ("send over the policy size", -109, "out", "size"),
    ("send a fifth message in one frame", -108, "out", "rate"),
    ("receive into its device tree", -5, "in", "bad_address"),
    ("status into the kernel", -5, "out", "bad_address"),
    ("notify on its receive channel", -105, "in", "direction"),
    ("send on a shared window", -106, "win", "kind"),
]


@pytest.fixture(scope="module")
def attack():
    r = boot(ROOT / "harness/systems/chanattack.toml")
    assert not r.timed_out, r.raw
    return r


@pytest.mark.parametrize("what,code,chan,reason", ABUSES)
def test_channel_abuse_is_refused_and_audited(attack, what, code, chan, reason):
    line = next(l for l in attack.output["attacker"] if l.startswith(what + " ->"))
    assert line == f"{what} -> {code}"
    # The audit record is written before the call returns.
    i = attack.lines.index(("attacker", line))
    prev = [t for w, t in attack.lines[:i] if w == "sk" and "event=deny" in t][-1]
    assert prev == f"event=deny part=attacker chan={chan} reason={reason}"


def test_attacker_lives_and_valid_traffic_still_flows(attack):
    out = attack.output["attacker"]
    assert out[-1] == "still alive"
    assert "status kind=1 dir=1 msg_size=64 depth=16 count=4" in out
    assert attack.one("summary", part="attacker")["denials"] == str(len(ABUSES))
    assert attack.one("chan", name="out")["sent"] == "4"
    assert not attack.of("fault")


def test_audit_partition_receives_exactly_the_console_denials(attack):
    chans = {"-": "-1", "out": "0", "in": "1", "win": "2"}
    console = [(d["chan"], d["reason"]) for d in attack.of("deny")]
    audited = [re.match(r"audit part=0 chan=(-?\d+) reason=(\w+)", l).groups()
               for l in attack.output["auditor"]]
    assert audited == [(chans[c], r) for c, r in console]
    assert len(audited) == len(ABUSES)
    assert attack.one("audit")["dropped"] == "0"


def test_no_hypercall_reaches_a_partition_without_a_channel():
    busy = boot(ROOT / "harness/systems/nochan.toml")
    idle = boot(ROOT / "harness/systems/nochan_alone.toml")
    assert not busy.timed_out and not idle.timed_out
    assert busy.output["ping"][-1] == "ping done rounds=30 bad=0"
    spy = busy.output["spy"]
    assert spy[:3] == ["channel calls answered otherwise: 0",
                       "unknown info keys answered: 0", "doorbells: 0"]
    assert all(d["reason"] == "bad_channel" for d in busy.of("deny", part="spy"))
    # Control characters are defused: no partition can forge a kernel line.
    assert "forge?[sk] event=halt reason=forged" in spy
    assert not busy.of("halt", reason="forged")
    # What the spy sees, timing included, is the same next to idle neighbours.
    assert spy == idle.output["spy"]
