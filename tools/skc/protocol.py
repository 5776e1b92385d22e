# SPDX-License-Identifier: MIT
"""[[protocol]]: stateful channel policies.

A protocol is a finite state machine over the messages of one or more
queuing channels between the same two partitions (typically a request
channel and its reply channel).  Each transition names a trigger: a
message (`on = "req.open"`, a channel and one of its types) or a
restart of one side (`restart = "client"`).  The kernel refuses a send
whose trigger has no transition from the current state and moves the
state on every permitted send.

check_protocols() validates every table and resolves it into tables
the kernel reads as they are: `next[state][trigger]` and, per side,
`restart[state]`.  Counting (three failed replies, then lock out) is
written as states: a bounded counter is then just a chain of states,
visible in the table and in the diagram.
"""

import re
from dataclasses import dataclass, field

from .diag import suggest, type_name
from .schema import BAD, Section, _ok

PROTO_KEYS = ("name", "channels", "states", "initial", "final", "transitions",
              "on_restart", "trace")
TRANS_KEYS = ("from", "on", "restart", "to")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
MAX_STATES = 32
MAX_TRANSITIONS = 256
NONE = 0xff                 # next-state entry: no transition, refused


@dataclass
class Protocol:
    id: int
    label: str
    name: str = None
    channels: list = field(default_factory=list)    # Channel
    sides: list = field(default_factory=list)       # the two Partitions
    states: list = field(default_factory=list)      # names; index = state id
    initial: int = 0
    final: set = field(default_factory=set)
    triggers: list = field(default_factory=list)    # (Channel, tag)
    next: dict = field(default_factory=dict)        # (state, trigger) -> state
    on_restart: int = 0
    restart: dict = field(default_factory=dict)     # (side index, state) -> state
    transitions: list = field(default_factory=list)  # for layout.json / reports
    trace: bool = False
    line: int = 0
    broken: bool = False        # refers to a channel that has errors

    def trigger_name(self, k):
        c, tag = self.triggers[k]
        name = next((n for n, t in c.tnames.items() if t == tag), str(tag))
        return "%s.%s" % (c.name, name)

    def delta_table(self):
        """Column-major [1 + trigger][state]: what a permitted send adds
        to the kernel's word, moves << 8 | state << 1 (one move, 0x100,
        plus the change of the doubled state); 0 = refused.  Column 0,
        all zeros, serves every type no transition names."""
        n = len(self.states)
        out = [0] * n
        for k in range(len(self.triggers)):
            for s in range(n):
                d = self.next.get((s, k))
                out.append(0 if d is None else 0x100 + 2 * (d - s))
        return out

    def next_table(self):
        """Row-major [state][trigger], NONE where refused."""
        n = len(self.triggers)
        return [self.next.get((s, k), NONE) for s in range(len(self.states))
                for k in range(n)]

    def restart_table(self):
        """[side][state]: where a restart of that side leaves the protocol."""
        return [self.restart.get((i, s), self.on_restart) for i in range(2)
                for s in range(len(self.states))]


def check_protocols(diag, doc, chans):
    """Validate [[protocol]] tables; returns the resolved protocols."""
    tables = doc.get("protocol", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        diag.error(("protocol",), "protocol: expected [[protocol]] tables, not %s" %
                   type_name(tables), "write each one as a [[protocol]] table")
        return []
    by_name = {c.name: c for c in chans if c.name}
    protos, seen = [], {}
    for i, t in enumerate(tables):
        pr = _check_protocol(diag, i, t, by_name)
        if pr is None:
            continue
        if pr.name in seen:
            diag.error(("protocol", i, "name"), '%s: name = "%s": duplicate protocol '
                       "name, already used at line %d" % (pr.label, pr.name,
                                                         seen[pr.name].line),
                       'rename one of them, e.g. "%s_%d"' % (pr.name[:13], i))
            continue
        seen[pr.name] = pr
        pr.id = len(protos)
        protos.append(pr)
        for c in pr.channels:
            c.proto = pr
    return protos


def _check_protocol(diag, i, t, by_name):
    name = t.get("name")
    label = 'protocol "%s"' % name if isinstance(name, str) else "protocol #%d" % i
    pr = Protocol(id=i, label=label, line=diag.line(("protocol", i)))
    sec = Section(diag, ("protocol", i), label, t, PROTO_KEYS)
    sec.check_unknown()
    errors = diag.count()

    name = sec.get("name", "str", required='"session"')
    if isinstance(name, str) and not NAME_RE.match(name):
        sec.bad("name", "invalid name: must match [a-z][a-z0-9_]{0,15}",
                'use name = "%s"' % re.sub(r"[^a-z0-9_]", "_", name.lower())[:16])
        name = BAD
    pr.name = _ok(name)
    _check_channels(sec, t, pr, by_name)
    chans_ok = diag.count() == errors and not pr.broken and pr.channels
    _check_states(sec, t, pr)
    pr.trace = _ok(sec.get("trace", "bool", default=False)) or False
    if pr.states and chans_ok:
        _check_transitions(sec, t, pr)
    if diag.count() != errors or pr.broken:
        return None
    _check_graph(sec, t, pr)
    return None if diag.count() != errors else pr


def _check_channels(sec, t, pr, by_name):
    names = t.get("channels")
    if names is None:
        sec.missing("channels", '["req", "rep"]')
        return
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list) or not names or \
            not all(isinstance(x, str) for x in names):
        sec.bad("channels", "expected a non-empty array of channel names",
                'write channels = ["req", "rep"]')
        return
    for n in names:
        c = by_name.get(n)
        if c is None:
            sec.bad("channels", 'no channel named "%s"' % n,
                    suggest(n, by_name, "value"))
            return
        if c.kind is None or not c.readers or (c.writer is None and
                                               c.label != "the audit channel"):
            pr.broken = True        # its own errors are already reported
            return
        if c.kind == "shared":
            sec.bad("channels", 'channel "%s" is shared: its data is never copied, so '
                    "the monitor sees no message to check" % n,
                    "use a queuing channel for the protocol's messages")
            return
        if c.kind != "queuing":
            sec.bad("channels", 'channel "%s" is %s: a message that moved the state '
                    "could be overwritten before it is read" % (n, c.kind),
                    'make it kind = "queuing"')
            return
        if c.writer is None:
            sec.bad("channels", 'channel "%s" is written by the kernel' % n,
                    "a protocol governs channels between two partitions")
            return
        if c.proto is not None or c in pr.channels:
            sec.bad("channels", 'channel "%s" is already governed by %s' %
                    (n, c.proto.label if c.proto else "this protocol"),
                    "a channel follows one protocol: merge the two, or list it once")
            return
        pair = {c.writer.name, c.readers[0].name}
        if pr.sides and pair != {p.name for p in pr.sides}:
            sec.bad("channels", 'channel "%s" joins %s, not the protocol\'s %s' %
                    (n, " and ".join(sorted(pair)),
                     " and ".join(sorted(p.name for p in pr.sides))),
                    "a protocol governs channels between the same two partitions: "
                    "declare another protocol for it")
            return
        if not pr.sides:
            pr.sides = [c.writer, c.readers[0]]
        pr.channels.append(c)


def _check_states(sec, t, pr):
    states = t.get("states")
    if states is None:
        sec.missing("states", '["idle", "open"]')
        return
    if not isinstance(states, list) or not states or \
            not all(isinstance(x, str) for x in states):
        sec.bad("states", "expected a non-empty array of state names",
                'write states = ["idle", "open"]')
        return
    if len(states) > MAX_STATES:
        sec.bad("states", "%d states: at most %d" % (len(states), MAX_STATES),
                "split the protocol, or merge states")
        return
    for s in states:
        if not NAME_RE.match(s):
            sec.bad("states", 'state "%s": invalid name: must match '
                    "[a-z][a-z0-9_]{0,15}" % s, 'rename it, e.g. "%s"' %
                    (re.sub(r"[^a-z0-9_]", "_", s.lower()).lstrip("_0123456789")[:16]
                     or "s"))
            return
        if states.count(s) > 1:
            sec.bad("states", 'state "%s" listed twice' % s, "list each state once")
            return
    pr.states = list(states)
    ini = sec.get("initial", "str", default=states[0])
    if isinstance(ini, str) and ini not in states:
        sec.bad("initial", "not one of the protocol's states",
                suggest(ini, states, "value"))
        ini = BAD
    pr.initial = states.index(_ok(ini) or states[0])
    rs = sec.get("on_restart", "str", default=states[pr.initial])
    if isinstance(rs, str) and rs not in states:
        sec.bad("on_restart", "not one of the protocol's states",
                suggest(rs, states, "value"))
        rs = BAD
    pr.on_restart = states.index(_ok(rs) or states[pr.initial])
    final = t.get("final", [])
    if isinstance(final, str):
        final = [final]
    if not isinstance(final, list) or not all(isinstance(x, str) for x in final):
        sec.bad("final", "expected an array of state names", 'write final = ["closed"]')
        return
    for f in final:
        if f not in states:
            sec.bad("final", 'state "%s" is not one of the protocol\'s states' % f,
                    suggest(f, states, "value"))
            return
        pr.final.add(states.index(f))


def _state(diag, path, what, v, pr):
    if not isinstance(v, str):
        diag.error(path, "%s: expected a state name, not %s" % (what, type_name(v)),
                   'write a state name in quotes, e.g. "%s"' % pr.states[0])
        return None
    if v not in pr.states:
        diag.error(path, "%s: no such state" % what, suggest(v, pr.states, "value")
                   if suggest(v, pr.states, "value").startswith("did") else
                   "add it to states, or use one of " +
                   ", ".join('"%s"' % s for s in pr.states))
        return None
    return pr.states.index(v)


def _trigger(diag, path, what, v, pr):
    """on = "channel.type": the trigger's index (added on first use)."""
    if not isinstance(v, str) or "." not in v:
        diag.error(path, "%s: expected \"channel.type\"" % what,
                   'write on = "%s.%s"' % (pr.channels[0].name if pr.channels else "req",
                                           next(iter(pr.channels[0].tnames), "1")
                                           if pr.channels else "open"))
        return None
    cname, tname = v.split(".", 1)
    c = next((c for c in pr.channels if c.name == cname), None)
    if c is None:
        diag.error(path, '%s: channel "%s" is not one of the protocol\'s channels' %
                   (what, cname), "use one of %s, or add it to channels" %
                   ", ".join('"%s"' % c.name for c in pr.channels))
        return None
    if tname in c.tnames:
        tag = c.tnames[tname]
    elif tname.isdigit() and int(tname) <= 63:
        tag = int(tname)
    else:
        diag.error(path, '%s: channel "%s" has no type "%s"' % (what, cname, tname),
                   suggest(tname, c.tnames, "value") if c.tnames else
                   'name it in the channel: types = { %s = 1 }' % tname)
        return None
    if not c.types >> tag & 1:
        diag.error(path, '%s: channel "%s"\'s own policy forbids type %s: the send '
                   "would be refused before the protocol is asked" % (what, cname, tname),
                   "allow it in the channel's policy.types, or remove the transition")
        return None
    if (c, tag) not in pr.triggers:
        pr.triggers.append((c, tag))
    return pr.triggers.index((c, tag))


def _check_transitions(sec, t, pr):
    diag = sec.diag
    trans = t.get("transitions")
    if trans is None:
        sec.missing("transitions", '[ { from = "idle", on = "req.open", to = "open" } ]')
        return
    if not isinstance(trans, list) or not trans or \
            not all(isinstance(x, dict) for x in trans):
        sec.bad("transitions", "expected a non-empty array of tables",
                'write transitions = [ { from = "idle", on = "req.open", to = "open" } ]')
        return
    if len(trans) > MAX_TRANSITIONS:
        sec.bad("transitions", "%d transitions: at most %d" %
                (len(trans), MAX_TRANSITIONS), "split the protocol")
        return
    first = {}
    for j, tr in enumerate(trans):
        path = sec.path + ("transitions", j)
        lbl = "%s: transitions[%d]" % (pr.label, j)
        ts = Section(diag, path, lbl, tr, TRANS_KEYS)
        ts.check_unknown()
        for key in ("from", "to"):
            if key not in tr:
                ts.missing(key, '"%s"' % pr.states[0])
        if ("on" in tr) == ("restart" in tr):
            diag.error(path, "%s: needs exactly one trigger: on = \"channel.type\" "
                       "(a message) or restart = \"partition\"" % lbl,
                       'write on = "%s.%s"' % (pr.channels[0].name, "open")
                       if pr.channels else 'write on = "req.open"')
            continue
        if "from" not in tr or "to" not in tr:
            continue
        src = _state(diag, path + ("from",), '%s: from = "%s"' % (lbl, tr["from"]),
                     tr["from"], pr)
        dst = _state(diag, path + ("to",), '%s: to = "%s"' % (lbl, tr["to"]),
                     tr["to"], pr)
        if "on" in tr:
            what = '%s: on = "%s"' % (lbl, tr["on"])
            k = _trigger(diag, path + ("on",), what, tr["on"], pr)
            key = (src, "on", k)
        else:
            what = '%s: restart = "%s"' % (lbl, tr["restart"])
            sides = [p.name for p in pr.sides]
            k = sides.index(tr["restart"]) if tr["restart"] in sides else None
            if k is None:
                diag.error(path + ("restart",), "%s: not one of the protocol's two "
                           "partitions" % what, "use one of %s" %
                           ", ".join('"%s"' % s for s in sides))
            key = (src, "restart", k)
        if None in (src, dst, k):
            continue
        if key in first:
            diag.error(path, '%s: a second transition from "%s" on the same trigger '
                       "(the first is at line %d): the state machine must be "
                       "deterministic" % (what, tr["from"], first[key]),
                       "remove one of them, or give it another trigger")
            continue
        first[key] = diag.line(path)
        if key[1] == "on":
            pr.next[(src, k)] = dst
            pr.transitions.append({"from": pr.states[src], "on": tr["on"],
                                   "to": pr.states[dst], "line": diag.line(path)})
        else:
            pr.restart[(k, src)] = dst
            pr.transitions.append({"from": pr.states[src], "restart": tr["restart"],
                                   "to": pr.states[dst], "line": diag.line(path)})


def _check_graph(sec, t, pr):
    """Every state reachable; every non-final state has a way out; every
    channel of the protocol can carry at least one message."""
    diag = sec.diag
    n = len(pr.states)
    edges = {s: set() for s in range(n)}
    for (s, _), d in pr.next.items():
        edges[s].add(d)
    seen, todo = {pr.initial}, [pr.initial]
    while todo:
        s = todo.pop()
        # A restart of either side can happen in any state.
        outs = edges[s] | {pr.restart.get((i, s), pr.on_restart) for i in range(2)}
        for d in outs - seen:
            seen.add(d)
            todo.append(d)
    states_path = sec.path + ("states",)
    for s in range(n):
        name = pr.states[s]
        if s not in seen:
            diag.error(states_path, '%s: state "%s" is unreachable from the initial '
                       'state "%s"' % (pr.label, name, pr.states[pr.initial]),
                       'add a transition to "%s", or remove the state' % name)
        elif not edges[s] - {s} and s not in pr.final:
            diag.error(states_path, '%s: state "%s" has no way out: no message '
                       "leaves it" % (pr.label, name),
                       'add a transition from "%s", or mark it final = ["%s"] if the '
                       "protocol may end there" % (name, name))
    for c in pr.channels:
        if not any(tc is c for tc, _ in pr.triggers):
            diag.error(sec.path + ("channels",), '%s: channel "%s" has no transition: '
                       "every message on it would be refused" % (pr.label, c.name),
                       'add a transition on = "%s.<type>", or remove it from channels'
                       % c.name)
