# SPDX-License-Identifier: MIT
"""Channels from Linux (issue 10): the skchan driver, the gateway demo.

Linux's /init is skctl (partitions/linux/skctl.c), which reaches the
bare-metal keystore (partitions/gwkeys) only through /dev/sk/<channel>;
harness/systems/gateway_*.toml are configs/gateway.toml with a scripted
skctl.  One boot serves several scenarios (a module-scoped fixture), so
the suite pays for few Linux boots.
"""
import re

import pytest

from sk import ROOT, boot

# Runs in host time (gdb, typed input or a race without -icount): the
# host's load can stretch it past a timeout, so a failure is retried up
# to twice; a real failure fails all three runs.
pytestmark = pytest.mark.flaky(reruns=2)


SYS = ROOT / "harness/systems"
REFRESH = 50000          # readings' refresh, 5 ms in 10 MHz ticks


def skctl(run):
    return [l[len("skctl: "):] for l in run.output.get("linux", [])
            if l.startswith("skctl: ")]


def mac(t, data):
    """gwkeys's keyed hash (partitions/gwkeys/main.c), key included: the
    host knows it, Linux never does."""
    h = 0xcbf29ce484222325 ^ 0x6b657973746f7265 ^ t
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & (2**64 - 1)
    return h


@pytest.fixture(scope="module")
def traffic():
    run = boot(SYS / "gateway_test.toml", timeout=240)
    assert not run.timed_out, run.raw
    return run


def test_round_trips_from_linux_in_order_nothing_lost(traffic):
    lines = skctl(traffic)
    last = 1999
    assert (f"round trips 2000 out of order or lost 0 last mac "
            f"0x{mac(1 + (last & 1), b'msg %d' % last):x}") in lines, lines
    assert "gwkeys: served 2000" in traffic.output["keystore"]
    assert not any("lost" in l for l in traffic.output["keystore"])
    assert not traffic.of("fault")


@pytest.mark.parametrize("what,result,reason", [
    ("forbidden type dump", "errno 13", "type"),        # EACCES
    ("oversized 65 bytes", "errno 90", "too_long"),     # EMSGSIZE
    ("write to rep (a receive port)", "errno 9", "direction"),   # EBADF
    ("spill when full", "errno 11", None),              # EAGAIN, a drop
    ("read empty rep", "errno 11", None),               # EAGAIN
])
def test_each_refusal_has_its_errno_and_audit(traffic, what, result, reason):
    assert f"{what} -> {result}" in skctl(traffic), skctl(traffic)
    chan = {"type": "req", "too_long": "req", "direction": "rep"}
    if reason:
        traffic.one("deny", part="linux", chan=chan[reason], reason=reason)


def test_full_queue_is_counted_not_lost_silently(traffic):
    lines = skctl(traffic)
    assert lines.count("spill -> ok 8") == 4
    assert "spill count 4 drops 1" in lines
    # only the refusals that break a rule are audited (the protocol's is
    # the flood's, below); a full queue is a drop, not a denial
    assert sorted(e["reason"] for e in traffic.of("deny")) == [
        "direction", "protocol", "too_long", "type"]


def test_blocking_write_waits_for_room_nothing_lost_nothing_refused(traffic):
    """Linux writes 100 blocks to "stream" faster than the keystore takes
    them (one per slot, one slot per 2 ms frame): each write past the
    queue's depth sleeps until there is room, none is refused, none is
    counted as a drop, and the keystore gets them all in sequence."""
    m = next(re.match(r"stream blocking sent (\d+) refused (\d+) drops (\d+) "
                      r"ticks (\d+)", l) for l in skctl(traffic)
             if l.startswith("stream blocking"))
    sent, refused, drops, ticks = map(int, m.groups())
    assert (sent, refused, drops) == (100, 0, 0)
    # it waited for the keystore: 96 blocks beyond the depth of 4, one
    # per frame (20,000 ticks), not refused and retried at once
    assert ticks >= 90 * 20000, ticks
    total = int(next(l for l in skctl(traffic)
                     if l.startswith("stream total")).split()[-1])
    assert f"gwkeys: stream {total} blocks, out of sequence 0" in \
        traffic.output["keystore"]


def test_nonblocking_write_gets_eagain_each_refusal_a_counted_drop(traffic):
    m = next(re.match(r"stream nonblocking tried (\d+) sent (\d+) eagain (\d+) "
                      r"other (\d+) drops (\d+)", l) for l in skctl(traffic)
             if l.startswith("stream nonblocking"))
    tried, sent, eagain, other, drops = map(int, m.groups())
    assert eagain > 0 and sent + eagain == tried and other == 0
    assert drops == eagain                       # the kernel counted each
    assert int(traffic.one("chan", name="stream")["drops"]) == eagain
    # every accepted block arrived: 100 blocking, the accepted, the last
    total = int(next(l for l in skctl(traffic)
                     if l.startswith("stream total")).split()[-1])
    assert total == 100 + sent + 1
    assert "stream last block -> ok 16" in skctl(traffic)


def test_blocking_write_is_interrupted_by_a_signal(traffic):
    # spill is full and never read: only the signal ends the wait (EINTR)
    assert ("blocking write to a full queue, a signal after 50 ms -> errno 4"
            in skctl(traffic))
    assert "spill count 4 drops 1" in skctl(traffic)   # no drop from waiting


def test_protocol_broken_from_linux_is_refused_and_the_keystore_serves_on(
        traffic):
    """Requests without reading the replies: the keystore answers four
    (rep full) and takes no more; four more wait unanswered; the ninth
    breaks the protocol (at most four unanswered): EPROTO in Linux, the
    monitor's denial, and nothing reaches the keystore."""
    lines = skctl(traffic)
    assert "flood accepted 8" in lines
    assert "flood: one request too many -> errno 71" in lines    # EPROTO
    ev = traffic.one("deny", reason="protocol")
    assert (ev["part"], ev["chan"], ev["state"], ev["type"]) == (
        "linux", "req", "four", "sign")
    assert "flood replies 8 out of order or lost 0" in lines
    assert f"after the flood: mac 0x{mac(2, b'after'):x}" in lines
    assert not any("lost" in l for l in traffic.output["keystore"])
    proto = traffic.one("protocol", name="requests")
    assert (proto["state"], proto["denials"]) == ("idle", "1")


def test_sampling_age_and_validity_match_the_kernel(traffic):
    samples = [l for l in skctl(traffic) if l.startswith("sample ")]
    assert len(samples) == 2, samples
    written = {int(m.group(1)): int(m.group(2)) for m in
               (re.match(r"wrote seq=(\d+) value=(\d+) err=0", l)
                for l in traffic.output["sensor"]) if m}
    for s in samples:
        seq, value, age, valid, epoch = map(
            int, re.match(r"sample seq (\d+) value (\d+) age (\d+) valid (\d) "
                          r"epoch (\d+)", s).groups())
        assert written[seq] == value             # what the sensor wrote
        assert valid == (age <= REFRESH)         # the kernel's rule
        assert epoch == 0
    # the last one comes after the sensor stopped: its last value, stale
    last = [int(x) for x in re.findall(r"\d+", samples[-1])]
    assert last[0] == max(written) and last[3] == 0


def test_ticker_beside_the_gateway_is_byte_identical_to_beside_idle(traffic):
    idle = boot(SYS / "gateway_idle.toml", timeout=240)
    assert not idle.timed_out, idle.raw
    assert not skctl(idle)[1:], skctl(idle)      # only its banner
    assert len(traffic.output["ticker"]) == 601
    assert traffic.output["ticker"] == idle.output["ticker"]
    assert traffic.one("timing")["late_entries"] == "0"


def test_linux_root_reading_the_keystore_is_contained():
    run = boot(SYS / "gateway_attack.toml", timeout=240)
    assert not run.timed_out, run.raw
    lines = skctl(run)
    assert "round trips 200 out of order or lost 0" in " ".join(lines)
    assert "reading the keystore's memory through /dev/mem" in lines
    assert not any("must not happen" in l for l in lines)
    ev = run.one("fault", part="linux")
    assert (ev["cause"], ev["action"]) == ("load_guest_page_fault", "halt")
    run.one("stop", part="linux", reason="load_guest_page_fault")
    # the keystore carries on after Linux is gone
    after = run.lines[run.lines.index(("sk", next(
        t for w, t in run.lines if w == "sk" and "event=fault" in t))):]
    assert any(w == "keystore" and t.startswith("gwkeys: alive")
               for w, t in after)
    assert run.one("summary", part="keystore")["faults"] == "0"


def test_shared_window_from_linux_read_only_and_its_doorbell_wakes_poll():
    run = boot(SYS / "gateway_window.toml", timeout=120)
    assert not run.timed_out, run.raw
    lines = skctl(run)
    assert "mmap the window writable -> errno 13" in lines      # EACCES
    polls = [re.match(r"window poll 1 revents (\d+) round (\d+) len (\d+)", l)
             for l in lines if l.startswith("window poll")]
    assert len(polls) == 2 and all(polls), lines
    for m in polls:
        assert int(m.group(1)) & 3 == 3           # POLLIN | POLLPRI
        assert int(m.group(3)) == 61440           # bulkw's header, read
    # the second poll waited for a new doorbell: a later round
    assert int(polls[1].group(2)) > int(polls[0].group(2))
    # the reader's store is Linux's own SIGSEGV, not a partition fault
    assert "child writing the window killed by signal 11" in lines
    assert not run.of("fault")
    run.one("stop", part="linux", reason="srst_shutdown")


def test_the_demo_on_the_console():
    """configs/gateway.toml as README shows it: typed commands."""
    from sk import Session
    with Session(ROOT / "configs/gateway.toml", timeout=120) as s:
        s.expect(r"skctl> ", timeout=60)
        s.send("sign hello\r")
        sig = s.expect(r"signature 0x([0-9a-f]+)")
        s.expect(r"skctl> ")
        s.send("dump\r")
        s.expect(r"ask the keystore to dump its key -> errno 13")
        s.expect(r"skctl> ")
        s.send("flood\r")
        s.expect(r"flood: one request too many -> errno 71")
        s.expect(r"skctl> ")
        s.send("peek\r")
        s.expect(r"event=stop part=linux reason=load_guest_page_fault")
        s.close(wait=1)
    run = s.run
    assert int(sig.group(1), 16) == mac(1, b"hello")
    run.one("deny", part="linux", chan="req", reason="type")
    run.one("deny", part="linux", chan="req", reason="protocol")
    assert run.one("fault", part="linux")["action"] == "halt"
    assert not any("must not happen" in l for l in run.output["linux"])


def test_blocked_reads_wake_on_plic_doorbells_not_polling(traffic):
    # plic = true: the rep channel's doorbell is its own interrupt of the
    # virtual PLIC, and a blocked read waits for it alone (no timer): the
    # 2,000 answers above each woke a read.  Several answers rung in one
    # keystore slot coalesce into one interrupt (the pending bit is set
    # until Linux claims it): at most 4 per slot, the queue's depth.
    n = int(next(l for l in skctl(traffic) if l.startswith("rep doorbells "))
            .split()[-1])
    assert 2000 // 4 <= n <= 2000, n
    dts = (ROOT / "build/gateway_test/linux.dts").read_text()
    assert 'compatible = "sifive,plic-1.0.0";' in dts
    rep = dts[dts.index("rep {"):]
    assert "interrupts-extended = <&vplic" in rep[:rep.index("};")]
