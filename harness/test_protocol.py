# SPDX-License-Identifier: MIT
"""Stateful channel policies: [[protocol]] state machines in the monitor.

The keystore systems (configs/keystore.toml, harness/systems/proto_*.toml)
run a scripted client (ksclient) against a keystore over a request and a
reply channel, governed by the "session" protocol: open (password) ->
sign* -> close, three failed opens lock the client out, only the
keystore's restart lifts a lockout.  With trace = true the kernel prints
every move as `event=proto name=P n=N from=S to=T on=chan.type part=X`
(n counts moves, restarts included), so the path the protocol took can
be compared with the table.  proto_race runs a token protocol whose two
sides race on two harts.
"""

import json
import re

import pytest

import sk

# Runs in host time (gdb, typed input or a race without -icount): the
# host's load can stretch it past a timeout, so a failure is retried up
# to twice; a real failure fails all three runs.
pytestmark = pytest.mark.flaky(reruns=2)

ROOT = sk.ROOT
SYS = ROOT / "harness" / "systems"


def keyed_hash(data):
    """The keystore's toy signature (partitions/keystore/main.c)."""
    h = 0xcbf29ce484222325 ^ 0x6b657973746f7265
    for b in data.encode():
        h = ((h ^ b) * 0x100000001b3) & (2 ** 64 - 1)
    return h


def trace(run, name="session"):
    """The protocol's moves, checked to be one unbroken path from its
    initial state: [(from, to, on, part)]."""
    moves = run.of("proto", name=name)
    assert moves, run.raw
    assert [int(m["n"]) for m in moves] == list(range(1, len(moves) + 1)), run.raw
    for a, b in zip(moves, moves[1:]):
        assert a["to"] == b["from"], (a, b)
    return [(m["from"], m["to"], m["on"], m["part"]) for m in moves]


def states(path):
    return [path[0][0]] + [t for _, t, _, _ in path]


def final(run, name="session"):
    return run.one("protocol", name=name)


def denials(run):
    return [(d["part"], d["chan"], d["state"], d["type"])
            for d in run.of("deny", reason="protocol")]


def sent(run, chan):
    return int(run.one("chan", name=chan)["sent"])


def order(run, *patterns):
    """Index in run.lines of the first line matching each pattern, in
    turn, each after the previous one."""
    at, out = 0, []
    for pat in patterns:
        for i in range(at, len(run.lines)):
            who, text = run.lines[i]
            if re.search(pat, "[%s] %s" % (who, text)):
                out.append(i)
                at = i + 1
                break
        else:
            raise AssertionError("no %r after line %d:\n%s" % (pat, at, run.raw))
    return out


@pytest.fixture(scope="module")
def demo():
    return sk.boot(ROOT / "configs" / "keystore.toml")


def test_layout_has_the_state_machine(demo):
    lay = sk.layout(ROOT / "configs" / "keystore.toml")
    (p,) = lay["protocols"]
    assert p["name"] == "session" and p["partitions"] == ["client", "keystore"]
    assert p["channels"] == ["req", "rep"] and p["initial"] == "idle"
    assert p["final"] == ["locked"] and p["on_restart"] == "idle"
    i = p["triggers"].index
    nxt = dict(zip(p["states"], p["next"]))
    assert nxt["idle"][i("req.open")] == "check"
    assert nxt["idle"][i("req.sign")] is None
    assert nxt["check2"][i("rep.fail")] == "locked"
    assert all(x is None for x in nxt["locked"])
    rs = dict(zip(p["states"], p["restart"]["client"]))
    assert rs["locked"] == "locked" and rs["retry2"] == "retry2" and rs["open"] == "idle"
    assert set(p["restart"]["keystore"]) == {"idle"}
    chans = {c["name"]: c for c in lay["channels"]}
    assert chans["req"]["type_names"] == {"open": 1, "sign": 2, "close": 3}
    assert chans["rep"]["protocol"] == "session"


def test_demo_one_refusal_then_the_work(demo):
    r = demo
    assert r.halt["reason"] == "stop_after"
    # The early sign: refused in idle, audited, never delivered.
    assert denials(r) == [("client", "req", "idle", "sign")]
    assert r.output["client"][0] == "send sign -> -110"
    assert r.output["auditor"] == ["audit part=0 chan=0 reason=protocol state=0 type=2"]
    got = [t for t in r.output["keystore"] if t.startswith("got ")]
    assert got == ["got open", "got open", "got sign", "got sign", "got close"]
    # The work: a wrong password, the right one, two signatures, close.
    sigs = [t for t in r.output["client"] if t.startswith("reply ")]
    assert sigs == ["reply fail", "reply ok",
                    "reply sig=%016x" % keyed_hash("hello"),
                    "reply sig=%016x" % keyed_hash("world"), "reply ok"]
    assert states(trace(r)) == ["idle", "check", "retry1", "check1", "open", "signing",
                                "open", "signing", "open", "closing", "idle"]
    f = final(r)
    assert (f["state"], f["moves"], f["denials"]) == ("idle", "10", "1")


def test_follow_protocol_trace_as_declared():
    r = sk.boot(SYS / "proto_follow.toml")
    path = trace(r)
    assert states(path) == ["idle", "check", "open"] + ["signing", "open"] * 3 + \
        ["closing", "idle", "check", "open", "closing", "idle"]
    # Each move by the side the table expects: requests by the client,
    # replies by the keystore.
    for _, _, on, part in path:
        assert part == ("client" if on.startswith("req.") else "keystore"), path
    assert not r.of("deny")
    c = r.output["client"]
    assert [t for t in c if t.startswith("reply sig")] == [
        "reply sig=%016x" % keyed_hash(w) for w in ("alpha", "beta", "gamma")]
    assert "script done" in c and not [t for t in c if "-110" in t or "no reply" in t]
    f = final(r)
    assert (f["state"], f["moves"], f["denials"]) == ("idle", "14", "0")
    # Every move is one delivered message, and every message a move.
    assert sent(r, "req") + sent(r, "rep") == 14


def test_out_of_order_refused_audited_not_delivered():
    r = sk.boot(SYS / "proto_abuse.toml")
    assert denials(r) == [
        ("keystore", "rep", "idle", "sig"),     # a reply nobody asked for
        ("client", "req", "idle", "sign"),      # sign before open
        ("client", "req", "idle", "close"),     # close before open
        ("client", "req", "open", "open"),      # valid type, wrong state
        ("client", "req", "idle", "sign"),      # sign after close
    ]
    assert r.output["keystore"][0] == "reply sig -> -110"
    c = r.output["client"]
    assert [t for t in c if t.startswith("send ")] == [
        "send raw:2 -> -110", "send raw:3 -> -110", "send open -> 0",
        "send raw:1 -> -110", "send sign -> 0", "send close -> 0", "send raw:2 -> -110"]
    # Nothing refused was delivered: the keystore saw the three requests
    # the protocol allowed, the client only the three replies.
    assert [t for t in r.output["keystore"] if t.startswith("got ")] == [
        "got open", "got sign", "got close"]
    assert [t for t in c if t.startswith("reply ")] == [
        "reply ok", "reply sig=%016x" % keyed_hash("data"), "reply ok"]
    assert sent(r, "req") == 3 and sent(r, "rep") == 3
    audit = r.output["auditor"]
    # The records carry the state (index in the protocol's states) and the
    # type tag; the auditor runs after both, so it sees them in this order.
    assert audit == ["audit part=1 chan=1 reason=protocol state=0 type=3",   # idle, sig
                     "audit part=0 chan=0 reason=protocol state=0 type=2",   # idle, sign
                     "audit part=0 chan=0 reason=protocol state=0 type=3",   # idle, close
                     "audit part=0 chan=0 reason=protocol state=7 type=1",   # open, open
                     "audit part=0 chan=0 reason=protocol state=0 type=2"]   # idle, sign
    f = final(r)
    assert (f["state"], f["moves"], f["denials"]) == ("idle", "6", "5")
    assert r.one("summary", part="client")["denials"] == "4"


def test_lockout_holds_until_the_keystore_restarts():
    r = sk.boot(SYS / "proto_lock.toml")
    path = trace(r)
    assert states(path)[:7] == ["idle", "check", "retry1", "check1", "retry2",
                                "check2", "locked"]
    order(r,
          r"event=proto .*from=check2 to=locked on=rep.fail",
          r"reason=protocol state=locked type=open",       # the right password, too late
          r"\[client\] send open -> -110",
          # the client's own reboot does not lift it
          r"event=proto .*from=locked to=locked on=restart part=client",
          r"event=restart part=client",
          r"reason=protocol state=locked type=open",
          # the keystore's restart does, as declared (on_restart = "idle")
          r"event=proto .*from=locked to=idle on=restart part=keystore",
          r"event=restart part=keystore",
          r"event=proto .*from=idle to=check on=req.open part=client",
          r"\[client\] reply ok",
          r"\[client\] reply sig=%016x" % keyed_hash("after"),
          r"\[client\] script done")
    # While locked, nothing reached the keystore.
    got = [t for t in r.output["keystore"] if t.startswith("got ")]
    assert got == ["got open"] * 4 + ["got sign", "got close"]
    assert len(denials(r)) == 2
    assert final(r)["state"] == "idle"


def test_restart_of_either_side_resets_as_declared():
    r = sk.boot(SYS / "proto_reset.toml")
    trace(r)
    order(r,
          r"event=proto .*from=check to=open on=rep.ok",
          r"event=proto .*from=open to=idle on=restart part=client",
          r"reason=protocol state=idle type=sign",          # its old session is gone
          r"event=proto .*from=idle to=check on=req.open part=client",
          r"event=proto .*from=signing to=open on=rep.sig",
          r"event=proto .*from=open to=idle on=restart part=keystore",
          r"reason=protocol state=idle type=sign",          # gone on this side too
          r"event=proto .*from=idle to=check",
          r"event=proto .*from=closing to=idle on=rep.ok",
          r"\[client\] script done")
    f = final(r)
    assert (f["state"], f["denials"]) == ("idle", "2")


def test_full_queue_does_not_move_the_state():
    r = sk.boot(SYS / "proto_full.toml")
    c = [t for t in r.output["client"] if t.startswith("send ")]
    assert c == ["send raw:1 -> 0"] * 2 + ["send raw:1 -> -100"] * 3
    assert states(trace(r, "toggle")) == ["up", "down", "up"]
    f = final(r, "toggle")
    assert (f["state"], f["moves"]) == ("up", "2")
    ch = r.one("chan", name="req")
    assert (ch["sent"], ch["drops"]) == ("2", "3")


@pytest.mark.parametrize("system", ["proto_race", "proto_hammer"])
def test_two_harts_racing_stay_inside_the_table(system):
    """left (hart 0) and right (hart 1) race for a token; QEMU runs the
    harts on host threads (no -icount), so their sends can really
    overlap.  Each side checks what the table promises (a held token
    gives back, a refused take means a refused give) and the kernel's
    count of moves must be the count of delivered messages (a lost
    update would break it).  proto_race holds the token across slot ends
    half the time, so the other side surely tries while it is held;
    proto_hammer never pauses, for the overlaps a busy host allows."""
    r = sk.boot(SYS / (system + ".toml"), icount=False, timeout=120)
    assert not r.timed_out and r.halt, r.raw
    assert not r.of("fault") and not r.of("panic")
    res = {}
    for side in ("left", "right"):
        line = [t for t in r.output.get(side, []) if t.startswith("race took=")]
        assert line, r.raw
        res[side] = {k: int(v) for k, v in (w.split("=") for w in line[0].split()[1:])}
        assert res[side]["bad"] == 0, res
    assert sum(x["took"] for x in res.values()) > 0
    if system == "proto_race":
        assert sum(x["refused"] for x in res.values()) > 0, "no contention at all"
    f = final(r, "token")
    assert f["state"] == "free"
    moves = int(f["moves"])
    assert moves == sent(r, "l2r") + sent(r, "r2l")
    # Every take was given back: two messages per successful take.
    assert moves == 2 * sum(x["took"] for x in res.values())
    # Refusals: a refused take and its refused give, each audited.
    assert int(f["denials"]) == 2 * sum(x["refused"] for x in res.values())


# ---- the compiler: tables and random protocols (host only) -----------------

import subprocess  # noqa: E402

from hypothesis import event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PY = "/usr/bin/python3"
SKC = str(ROOT / "tools" / "skc.py")
PARTS = ROOT / "build" / "partitions"


def c_tables(system_c, k=0):
    """sk_proto_delta_k from system.c, as a list of ints."""
    m = re.search(r"sk_proto_delta_%d\[\d+\] = \{(.*?)\};" % k, system_c, re.S)
    return [int(x, 16) for x in re.findall(r"0x[0-9a-f]+", re.sub(r"/\*.*?\*/", "",
                                                                      m.group(1)))]


def check_tables(out):
    """The C delta table says what layout.json's next table says."""
    lay = json.loads((out / "layout.json").read_text())
    text = (out / "system.c").read_text()
    for k, p in enumerate(lay["protocols"]):
        n, trig = len(p["states"]), p["triggers"]
        delta = c_tables(text, k)
        assert len(delta) == (1 + len(trig)) * n and delta[:n] == [0] * n
        for s, row in enumerate(p["next"]):
            for t, to in enumerate(row):
                d = delta[(1 + t) * n + s]
                want = 0 if to is None else 0x100 + 2 * (p["states"].index(to) - s)
                assert d == want, (p["name"], p["states"][s], trig[t], d, to)
        # The table is the transitions, nothing more.
        msgs = {(t["from"], t["on"]): t["to"] for t in p["transitions"] if "on" in t}
        for s, row in enumerate(p["next"]):
            for t, to in enumerate(row):
                assert msgs.get((p["states"][s], trig[t])) == to
    return lay


def test_valid_protocol_tables(tmp_path):
    out = tmp_path / "out"
    r = subprocess.run([PY, SKC, "harness/valid/protocol.toml", "--out", str(out),
                        "--search", str(PARTS)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lay = check_tables(out)
    (p,) = lay["protocols"]
    assert p["restart"] == {"client": ["ready", "ready", "done"],
                            "server": ["ready", "ready", "ready"]}
    # Named types: the channel carries only its names, narrowed by policy.
    ch = {c["name"]: c for c in lay["channels"]}
    assert ch["req"]["types"] == (1 << 1) | (1 << 7)
    assert ch["rep"]["types"] == 1 << 2


TRIGGERS = ["a.x", "a.y", "a.z", "b.u", "b.v"]


@st.composite
def protocols(draw):
    n = draw(st.integers(1, 6))
    states = ["s%d" % i for i in range(n)]
    trans = []
    if n > 1 and draw(st.booleans()):   # a ring through every state, both channels
        ring = ["a.x", "b.u", "a.y", "b.v", "a.z", "b.u"]
        trans = [(states[i], ring[i], states[(i + 1) % n]) for i in range(n)]
    trans += draw(st.lists(st.tuples(st.sampled_from(states),
                                     st.sampled_from(TRIGGERS + ["restart:p", "restart:q"]),
                                     st.sampled_from(states)), max_size=8))
    trans = draw(st.permutations(trans))
    final = draw(st.lists(st.sampled_from(states), unique=True, max_size=n))
    return states, trans, final


@settings(max_examples=40, deadline=None)
@given(protocols())
def test_random_protocols_compile_or_explain(tmp_path_factory, proto):
    """Any protocol: the compiler either builds tables that match the
    transitions exactly, or explains each error with FILE:LINE and a fix;
    never a traceback."""
    states, trans, final = proto
    rows = []
    for s, trig, d in trans:
        if trig.startswith("restart:"):
            rows.append('  { from = "%s", restart = "%s", to = "%s" },' % (s, trig[8:], d))
        else:
            rows.append('  { from = "%s", on = "%s", to = "%s" },' % (s, trig, d))
    text = '''[system]
name = "fuzz"

[[partition]]
name = "p"
image = "hello.elf"
memory = "64K"

[[partition]]
name = "q"
image = "hello.elf"
memory = "64K"

[[channel]]
name = "a"
kind = "queuing"
from = "p"
to = ["q"]
msg_size = 8
types = { x = 1, y = 2, z = 3 }

[[channel]]
name = "b"
kind = "queuing"
from = "q"
to = ["p"]
msg_size = 8
types = { u = 4, v = 5 }

[[protocol]]
name = "fz"
channels = ["a", "b"]
states = [%s]
final = [%s]
transitions = [
%s
]
''' % (", ".join('"%s"' % s for s in states), ", ".join('"%s"' % s for s in final),
       "\n".join(rows))
    d = tmp_path_factory.mktemp("fz")
    cfg = d / "fz.toml"
    cfg.write_text(text)
    r = subprocess.run([PY, SKC, str(cfg), "--out", str(d / "out"), "--search",
                        str(PARTS)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in r.stderr
    event("built" if r.returncode == 0 else "refused")
    if r.returncode == 0:
        check_tables(d / "out")
        return
    assert r.returncode == 1
    msgs = r.stderr.strip().splitlines()
    assert msgs[-1].startswith("skc: ")
    for m in msgs[:-1]:
        assert re.match(r"^%s:\d+: .*; fix: .+" % re.escape(str(cfg)), m), m


def test_report_draws_the_state_machine():
    """make report: one state per state, one arrow per transition, the
    initial and final states marked, and its drawing has a size once a
    real browser has laid it out (test_report.py renders this page)."""
    sk.make("report", config="configs/keystore.toml")
    out = sk.BUILD / "keystore"
    lay = sk.layout(ROOT / "configs" / "keystore.toml")
    (p,) = lay["protocols"]
    page = (out / "report.html").read_text()
    svg = re.search(r'<svg id="protocol-session".*?</svg>', page, re.S).group(0)
    drawn = re.findall(r'<g class="state" data-name="([a-z0-9_]+)"', svg)
    assert drawn == p["states"]
    assert re.findall(r'data-name="([a-z0-9_]+)" data-initial="1"', svg) == ["idle"]
    assert re.findall(r'data-name="([a-z0-9_]+)"(?: data-initial="1")? data-final="1"',
                      svg) == ["locked"]
    edges = re.findall(r'<g class="transition" data-from="(\w+)" data-to="(\w+)" '
                       r'data-on="([^"]+)"', svg)
    want = [(t["from"], t["to"], t["on"] if "on" in t else "restart " + t["restart"])
            for t in p["transitions"]]
    assert edges == want and len(edges) == 18
