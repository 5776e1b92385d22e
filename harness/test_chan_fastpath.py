# SPDX-License-Identifier: MIT
"""Promise 2 (flow) on the channel hypercalls' fast paths (chan.c
chan_send_fast/chan_recv_fast, trap.S .Lanswered): they may only ever
answer as the full path would.  partitions/chanedge attacks them at
their edges, partitions/chansink is the far end and prints every
message it gets (length, type, FNV-1a of the bytes, sk_msg_info)."""
import re
import subprocess

import pytest

from sk import ROOT, boot, layout, make

PY = "/usr/bin/python3"
SYSTEMS = ROOT / "harness/systems"


def pattern(n, seed):
    """chanedge's message bytes: byte j of seed s."""
    return bytes((seed * 37 + j * 11 + 5) & 0xff for j in range(n))


def fnv(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xffffffff
    return "%08x" % h


GOT = re.compile(r"got (\w+) r=(-?\d+) len=(\d+) type=(\d+) sum=([0-9a-f]{8}) "
                 r"age=(\d+) valid=(\d+) epoch=(\d+) fresh=(\d+)$")


def got(run, chan):
    """What the sink received on chan: (r, len, type, sum, age, valid, epoch, fresh)."""
    rows = []
    for line in run.output.get("sink", []):
        m = GOT.match(line)
        if m and m.group(1) == chan:
            g = m.groups()[1:]
            rows.append((int(g[0]), int(g[1]), int(g[2]), g[3], *map(int, g[4:])))
    return rows


def delivered(length, type_, data):
    """A sink row for a queued message, as both paths must deliver it."""
    return (length, length, type_, fnv(data), 0, 1, 0, 1)


def sink_total(run):
    """The sink's last whole count line (quiet): (got, bad).  The run may
    halt in the middle of a line."""
    rows = [re.match(r"sink bulk frame=\d+ got=(\d+) bad=(\d+)$", l)
            for l in run.output.get("sink", [])]
    rows = [tuple(map(int, m.groups())) for m in rows if m]
    assert rows, run.output.get("sink")
    return rows[-1]


def denials_before(run, who, line):
    """The deny events the console shows between who's previous line and line."""
    i = run.lines.index((who, line))
    out = []
    for w, t in reversed(run.lines[:i]):
        if w == who:
            break
        if w == "sk" and "event=deny" in t:
            out.insert(0, t)
    return out


@pytest.fixture(scope="module")
def probe():
    r = boot(SYSTEMS / "chanedge.toml")
    assert not r.timed_out, r.raw
    assert r.output["edge"][-1] == "done", r.raw
    # Every refusal reached the console: the test reads them all.
    assert all(a["suppressed"] == "0" for a in r.of("audit"))
    assert r.one("summary", part="edge")["denials"] == str(len(r.of("deny")))
    assert not r.of("fault")
    return r


# ---- registers ----------------------------------------------------------------

REGS = {
    # name: (a0, a1) the call must return; every other register unchanged
    "recv_fresh": (0, 16),              # fast receive, sk_msg_info + FRESH
    "recv_noinfo": (0, 16),             # fast, no info
    "recv_info_nofresh": (0, 16),       # fast, 24-byte info
    "recv_block_ready": (0, 16),        # fast, SK_RECV_BLOCK with a message there
    "recv_misaligned": (0, 16),         # full path: odd buffer
    "recv_short": (-103, 0),            # full path: SK_ERR_SIZE, left queued
    "recv_odd_cap": (0, 16),            # fast: an odd capacity is no obstacle
    "recv_drained": (-101, 0),          # full path: SK_ERR_EMPTY
    "recv_block_parked": (0, 16),       # parked, switched away, then fast
    "send_fast": (0, 0),
    "send_odd_len": (0, 0),             # full path: 13 bytes
    "send_misaligned": (0, 0),          # full path: odd source
    "send_fast_last": (0, 0),           # fills the queue (depth 4)
    "send_full": (-100, 0),             # full path: SK_ERR_FULL
    "send_bad_type": (-107, 0),         # full path: refused, audited
    "send_sampling": (0, 0),            # full path: sampling
    "nop": (0, 0),                      # answered in trap.S itself
    "info_part_id": (0, 0),             # full path with a value (edge is id 0)
    "status": (0, 0),
}
REGS_LINE = re.compile(r"regs (\w+) a0=(-?\d+) a1=(-?\d+) bad=(\d+) odd=(\d+)$")


def test_registers_survive_fast_and_full_channel_calls(probe):
    """Every general register (sp, gp, tp, ra included) set to a random
    pattern around an ecall: a fast-path answer (trap.S .Lanswered) and a
    full-path one both bring back all of them but a0/a1, and a0/a1 are
    the answer (a0 = 0, a1 = the length of a receive), 4 rounds each."""
    out = probe.output["edge"]
    assert not [l for l in out if re.match(r"regs \w+: x\d+", l)], out
    rows = {m.group(1): tuple(map(int, m.groups()[1:]))
            for m in map(REGS_LINE.match, out) if m}
    assert set(rows) == set(REGS)
    for name, (a0, a1) in REGS.items():
        assert rows[name] == (a0, a1, 0, 0), name
    edge = next(p for p in layout(SYSTEMS / "chanedge.toml")["partitions"]
                if p["name"] == "edge")
    assert edge["id"] == 0


def test_sends_around_the_register_checks_deliver_their_bytes(probe):
    """The four sends of each round (fast, odd length, odd source, fast)
    arrive with the bytes the stub pointed at."""
    buf = pattern(128, 3)
    one = [delivered(16, 1, buf[:16]), delivered(13, 1, buf[:13]),
           delivered(16, 1, buf[1:17]), delivered(16, 1, buf[:16])]
    assert got(probe, "rs")[:16] == one * 4
    deny = [d for d in probe.of("deny", part="edge") if d["chan"] == "rs"]
    assert [d["reason"] for d in deny[:4]] == ["type"] * 4


# ---- the ends of RAM ----------------------------------------------------------

BOUNDS = [
    # (what, a0, a1, deny reason or None)
    ("send ending at the last byte of RAM", 0, 0, None),
    ("send a word past the end of RAM", -5, 0, "bad_address"),
    ("send a byte past the end of RAM", -5, 0, "bad_address"),
    ("send an odd length a byte past the end of RAM", -5, 0, "bad_address"),
    ("send from just below RAM", -5, 0, "bad_address"),
    ("send from far above RAM", -5, 0, "bad_address"),
    ("send a length that wraps", -103, 0, "too_long"),
    ("send from the device tree", 0, 0, None),      # readable: full path
    ("receive ending at the last byte of RAM", 0, 16, None),
    ("receive a word past the end of RAM", -5, 0, "bad_address"),
    ("receive into just below RAM", -5, 0, "bad_address"),
    ("receive with a capacity that wraps", -5, 0, "bad_address"),
    ("receive a capacity past the end of RAM", -5, 0, "bad_address"),
    ("info in the last 32 bytes with FRESH", 0, 16, None),
    ("info in the last 24 bytes without FRESH", 0, 16, None),   # full path
    ("info in the last 24 bytes with FRESH", -5, 0, "bad_address"),
    ("info in the last 16 bytes without FRESH", -5, 0, "bad_address"),
    ("info just below RAM", -5, 0, "bad_address"),
    ("info at the end of RAM", -5, 0, "bad_address"),
    ("info misaligned", -5, 0, "bad_address"),
    ("info without FRESH inside RAM", 0, 16, None),
    ("receive after the refusals", 0, 16, None),
]


@pytest.mark.parametrize("what,a0,a1,reason", BOUNDS, ids=[b[0] for b in BOUNDS])
def test_ram_edges_accepted_to_the_last_byte_refused_past_it(probe, what, a0, a1,
                                                              reason):
    line = next(l for l in probe.output["edge"] if l.startswith(what + " ->"))
    assert line.split(" seq=")[0] == f"{what} -> a0={a0} a1={a1}"
    chan = "rs" if what.startswith("send") else "rr"
    want = [f"event=deny part=edge chan={chan} reason={reason}"] if reason else []
    assert denials_before(probe, "edge", line) == want


def test_refused_receives_leave_the_message_queued(probe):
    """Receives refused at the edges of RAM take nothing: the ones that
    succeed get the sink's sequence numbers one after another."""
    seqs = [int(l.split("seq=")[1]) for l in probe.output["edge"]
            if " -> a0=0 a1=16 seq=" in l]
    assert len(seqs) == 5 and seqs == list(range(seqs[0], seqs[0] + 5))


def test_msg_info_at_the_end_of_ram_written_only_where_asked(probe):
    out = probe.output["edge"]
    # The sink restarted once before it wrote rr: its epoch is 1.
    info = "info len=16 type=1 age=0 valid=1 epoch=1"
    i = out.index(next(l for l in out if l.startswith("info in the last 32 bytes with FRESH")))
    assert out[i + 1:i + 3] == [info, "info fresh=1"]
    i = out.index(next(l for l in out if l.startswith("info in the last 24 bytes without")))
    assert out[i + 1] == info
    # Without SK_RECV_FRESH nothing past the 24 bytes is touched, even by
    # the fast path, which checks all 32 bytes lie in RAM.
    assert "info fresh=0xeeeeeeee reserved=0xeeeeeeee" in out


def test_sends_at_the_edges_deliver_the_right_bytes(probe):
    rows = got(probe, "rs")[16:]
    dtb = (ROOT / "build/chanedge/edge.dtb").read_bytes()
    assert rows == [delivered(16, 1, pattern(64, 9)[48:]), delivered(8, 1, dtb[:8])]


# ---- one message list, fast and full -----------------------------------------

# (len, type) as chanedge's eq_len/eq_type; fa/fm/fp: msg_size 72,
# max_size 64, types {0, 1, 63}
EQ = [(8, 1), (16, 0), (24, 63), (64, 1), (72, 1), (65, 1), (80, 1), (1, 1),
      (7, 63), (0, 0), (8, 64), (8, 2), (56, 0), (40, 63), (8, (1 << 32) | 1),
      ((1 << 32) | 8, 1), (48, 1)]
EQ_CODE = {4: -109, 5: -109, 6: -103, 10: -107, 11: -107, 14: -107, 15: -103}
EQ_REASON = {-109: "size", -103: "too_long", -107: "type"}


def eq_codes(run, chan):
    rx = re.compile(r"eq %s (\d+) -> (-?\d+)$" % chan)
    return [int(m.group(2)) for m in map(rx.match, run.output["edge"]) if m]


def eq_expected_rows():
    return [delivered(n, t, pattern(n, i)) for i, (n, t) in enumerate(EQ)
            if i not in EQ_CODE]


@pytest.fixture(scope="module")
def smp():
    r = boot(SYSTEMS / "chanedge_smp.toml")
    assert not r.timed_out, r.raw
    assert r.output["edge"][-1] == "done", r.raw
    return r


@pytest.mark.parametrize("chan", ["fa", "fm", "fp"])
def test_fast_and_full_paths_answer_alike(probe, chan):
    """fa is served by the fast paths, fm always by the full send (an odd
    source) and receive (an odd buffer), fp by the full send (a traced
    protocol): the same list gives the same codes, the same audit
    reasons and the same bytes, lengths, types and sk_msg_info."""
    want = [EQ_CODE.get(i, 0) for i in range(len(EQ))]
    assert eq_codes(probe, chan) == want
    reasons = [d["reason"] for d in probe.of("deny", part="edge", chan=chan)]
    assert reasons == [EQ_REASON[EQ_CODE[i]] for i in sorted(EQ_CODE)]
    assert got(probe, chan) == eq_expected_rows()
    assert probe.one("chan", name=chan)["sent"] == str(len(eq_expected_rows()))


def test_traced_protocol_moved_once_per_delivered_message(probe):
    moves = probe.of("proto", name="anything", part="edge")
    assert [m["on"] for m in moves] == ["fp.t%d" % t for i, (n, t) in enumerate(EQ)
                                        if i not in EQ_CODE]
    # ... and once for the sink's restart (rr's epoch 1)
    assert probe.one("protocol", name="anything")["moves"] == str(len(moves) + 1)
    assert probe.one("protocol", name="anything")["denials"] == "0"


@pytest.mark.parametrize("chan", ["fa", "fm", "fp"])
def test_a_reader_on_another_hart_gets_the_same(probe, smp, chan):
    """With the reader on hart 1 no send is fast (the writer must wake
    it) while every aligned receive is: answers and bytes as on one hart."""
    assert eq_codes(smp, chan) == eq_codes(probe, chan)
    assert ([d["reason"] for d in smp.of("deny", chan=chan)] ==
            [d["reason"] for d in probe.of("deny", chan=chan)])
    assert got(smp, chan) == got(probe, chan)


# ---- sizes that are not a multiple of 64 --------------------------------------

@pytest.mark.parametrize("size", [120, 72, 8])
def test_messages_of_msg_size_arrive_whole(probe, smp, size):
    """msg_size 120 and 72: the copy's 64-byte steps and then its words;
    8: words only.  Three messages each, every byte checked; a word
    more than msg_size is too long."""
    for run in (probe, smp):
        codes = [l for l in run.output["edge"] if l.startswith(f"size {size} ")]
        assert codes == [f"size {size} seed {s} -> 0" for s in (101, 102, 103)] + \
            [f"size {size} plus 8 -> -103"]
        # max_size defaults to msg_size: the fast send's only size test
        assert denials_before(run, "edge", codes[-1]) == \
            [f"event=deny part=edge chan=w{size} reason=too_long"]
        assert got(run, f"w{size}") == [delivered(size, 1, pattern(size, s))
                                        for s in (101, 102, 103)]


def test_full_queue_leaves_an_untraced_protocol_where_it_was(probe):
    """fu's protocol is not traced, so its sends are fast: a send that
    finds the queue full is refused (-100, not audited) and the state
    does not move; only the four sent messages (and the sink's restart)
    move it."""
    assert [l for l in probe.output["edge"] if l.startswith("proto ")] == \
        ["proto codes=0,0,-100,-100", "proto codes=0,0,-100"]
    ev = probe.one("protocol", name="toggle")
    assert (ev["state"], ev["moves"], ev["denials"]) == ("even", "5", "0")
    chan = probe.one("chan", name="fu")
    assert (chan["sent"], chan["drops"]) == ("4", "3")
    assert not probe.of("deny", chan="fu")
    assert len(got(probe, "fu")) == 4


# ---- rate ---------------------------------------------------------------------

RATES = [
    ("aaaaaaa", [0] * 5 + [-108] * 2),          # fast sends
    ("mmmmmmm", [0] * 5 + [-108] * 2),          # full-path sends
    ("amamamam", [0] * 5 + [-108] * 3),         # both, one count
    ("aaaaaaa", [0] * 5 + [-108] * 2),          # a new frame, a new count
]


def test_rate_limit_counts_fast_and_full_sends_alike(probe):
    """max_per_frame = 5: exactly 5 pass in a frame, whichever path takes
    them, the sixth and later are refused (reason=rate), and the next
    frame passes 5 again."""
    rx = re.compile(r"rate (\w+) codes=([-\d,]+) frames=(\d+)$")
    rows = [m.groups() for m in map(rx.match, probe.output["edge"]) if m]
    assert [(h, [int(c) for c in codes.split(",")], int(f)) for h, codes, f in rows] == \
        [(h, codes, 0) for h, codes in RATES]
    deny = probe.of("deny", part="edge", chan="rated")
    assert [d["reason"] for d in deny] == ["rate"] * sum(c.count(-108) for _, c in RATES)
    assert probe.one("chan", name="rated")["sent"] == str(5 * len(RATES))
    assert len(got(probe, "rated")) == 5 * len(RATES)


def test_no_rate_limit_lets_thousands_through_one_frame():
    """Without max_per_frame the count still runs (one pass, rate_max =
    UINT32_MAX): over 4000 fast sends in a single frame, none refused,
    none lost, the reader draining between the writer's slots."""
    run = boot(SYSTEMS / "chanedge_flood.toml")
    assert not run.timed_out, run.raw
    # First: max_per_frame = 5 on "rated" spans the writer's slots of a frame.
    assert run.output["edge"][0] == "rate slots codes=0,0,0,0,0,-108 frames=0"
    # A full queue's refusals use none of the frame's rate: 2 queued, 2
    # full (-100, not audited), drained, 1 more queued, then the limit.
    assert run.output["edge"][1] == "rate full codes=0,0,-100,-100,0,-108 frames=0"
    assert [(d["chan"], d["reason"]) for d in run.of("deny")] == \
        [("rated", "rate"), ("ratefull", "rate")]
    assert "sink rated frame=1 got=5 bad=0" in run.output["sink"]
    m = re.match(r"flood frame=(\d+) sent=(\d+) full=(\d+) other=(\d+)$",
                 run.output["edge"][-1])
    assert m, run.output["edge"]
    sent, full, other = map(int, m.groups()[1:])
    assert sent >= 4000 and full >= 3 and other == 0
    assert run.one("chan", name="bulk")["sent"] == str(sent)
    assert sink_total(run) == (sent, 0)


# ---- which ports the fast paths serve -----------------------------------------

PORT = re.compile(r"\.dir = SK_PORT_(\w+), \.fast_send = (\d), \.fast_recv = (\d),"
                  r".*/\* (\w+) \*/")


def test_compiler_marks_only_eligible_ports_fast(tmp_path):
    """sk_port.fast_send: a queue whose reader is on the writer's hart
    and whose protocol, if any, is not traced; fast_recv: any queue's
    reader.  Never a sampling channel (nor a window: the same branch)."""
    make("partitions")
    out = tmp_path / "out"
    r = subprocess.run([PY, str(ROOT / "tools/skc.py"), "harness/valid/fastflags.toml",
                        "--out", str(out), "--search", str(ROOT / "build/partitions")],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    text = (out / "system.c").read_text()
    ports = {}
    for part in ("w", "near", "far"):
        block = re.search(r"sk_ports_\d+\[\d+\] = \{\t/\* %s \*/\n(.*?)\n\};" % part,
                          text, re.S).group(1)
        for m in PORT.finditer(block):
            ports[part, m.group(4)] = (m.group(1), int(m.group(2)), int(m.group(3)))
    assert ports == {
        ("w", "q_near"): ("SEND", 1, 0),
        ("w", "q_far"): ("SEND", 0, 0),         # reader on hart 1
        ("w", "far_back"): ("RECV", 0, 1),
        ("w", "q_traced"): ("SEND", 0, 0),      # every move is printed
        ("w", "q_untraced"): ("SEND", 1, 0),     # as chanedge's fu
        ("w", "s_near"): ("SEND", 0, 0),
        ("near", "q_near"): ("RECV", 0, 1),
        ("near", "q_traced"): ("RECV", 0, 1),
        ("near", "q_untraced"): ("RECV", 0, 1),
        ("near", "s_near"): ("RECV", 0, 0),
        ("far", "q_far"): ("RECV", 0, 1),
        ("far", "far_back"): ("SEND", 0, 0),    # its reader is on hart 0
    }
    # No limit is UINT32_MAX, never 0; and max_size <= msg_size is asserted.
    assert "rate_max = UINT32_MAX" in text and ".rate_max = 0," not in text
    checked = re.findall(r'_Static_assert\((\d+) <= (\d+), "(\w+): max_size <= msg_size"\)',
                         text)
    assert sorted(c for _, _, c in checked) == sorted(
        ["q_near", "q_far", "far_back", "q_traced", "q_untraced", "s_near"])
    assert all(int(a) <= int(b) for a, b, _ in checked)


@pytest.mark.flaky(reruns=2)
def test_a_reader_on_another_hart_drains_while_the_writer_writes():
    """Host time (no -icount: QEMU runs both harts at once): the writer's
    full-path sends and the remote reader's fast receives race on one
    queue of 16; every message arrives once and in order (the sink counts
    any first word out of sequence as bad)."""
    run = boot(SYSTEMS / "chanedge_flood_smp.toml", icount=False)
    assert not run.timed_out, run.raw
    m = re.match(r"flood frame=\d+ sent=(\d+) full=(\d+) other=0$",
                 run.output["edge"][-1])
    assert m, run.output["edge"]
    sent = int(m.group(1))
    assert sent == 200                  # however many frames that took
    assert run.one("chan", name="bulk")["sent"] == str(sent)
    assert sink_total(run) == (sent, 0)
