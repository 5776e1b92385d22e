# SPDX-License-Identifier: MIT
"""[[channel]]: the only routes between partitions.

check_channels() validates every [[channel]] table and resolves it:
its writer and readers, sizes, policy, and each partition's ports
(the ids a partition uses, in config order of the channels).  The
audit channel named by [system] audit is added here too: the kernel
writes it, the audit partition reads it.  layout.py places shared
windows, dts.py renders /channels, emit.py writes the tables.
"""

import re
from dataclasses import dataclass, field

from . import units as u
from .diag import fmt_value, suggest, type_name
from .schema import BAD, Section, _ok, sanitize_name, time_max

CHAN_KEYS = ("name", "kind", "from", "to", "msg_size", "depth", "refresh",
             "size", "types", "policy")
POLICY_KEYS = ("types", "max_size", "max_per_frame")
KINDS = ("queuing", "sampling", "shared")
KIND_ID = {"queuing": 1, "sampling": 2, "shared": 3}
ONLY = {"depth": "queuing", "refresh": "sampling", "size": "shared"}
MAX_READERS = {"queuing": 1, "sampling": 8, "shared": 8}
CHAN_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
TYPE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
MSG_MAX = 4096
DEPTH_MAX = 1024
WINDOW_MAX = 16 * u.MIB
MAX_PORTS = 64          # a partition's doorbells fit one 64-bit mask
PLIC_PORTS = 62         # with plic: sources 2..63 (1 is the UART) in one mask
AUDIT_NAME = "audit"
AUDIT_MSG = 24          # sizeof(struct sk_audit_rec)


@dataclass
class Channel:
    id: int
    label: str
    name: str = None
    kind: str = None
    writer: object = None       # Partition, or None for the kernel
    readers: list = field(default_factory=list)
    msg_size: int = 0
    depth: int = 0
    refresh: int = 0
    size: int = 0               # shared window bytes
    types: int = (1 << 64) - 1
    max_size: int = 0
    max_per_frame: int = 0
    tnames: dict = field(default_factory=dict)  # named types: name -> tag
    proto: object = None        # the Protocol governing it (protocol.py)
    win_hpa: int = 0            # filled by layout.py
    line: int = 0

    def buf_size(self):
        """Kernel storage: one 8-byte header plus payload per slot."""
        slot = 8 + u.align_up(self.msg_size, 8)
        return {"queuing": self.depth * slot, "sampling": slot}.get(self.kind, 0)


@dataclass
class Port:
    chan: Channel
    dir: str                    # "send" or "receive"
    win_gpa: int = 0


def check_channels(diag, doc, parts, system):
    """Validate [[channel]] tables; returns the resolved channels.

    Also sets p.ports on every partition: its grants, id = index.
    """
    by_name = {p.name: p for p in parts if p.name is not None}
    for p in parts:
        p.ports = []
    tables = doc.get("channel", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        diag.error(("channel",), "channel: expected [[channel]] tables, not %s" %
                   type_name(tables), "write each one as a [[channel]] table")
        return []
    chans = [_check_channel(diag, i, t, by_name) for i, t in enumerate(tables)]
    _check_unique(diag, chans)
    audit = _audit_channel(diag, doc, system, by_name, len(chans))
    if audit:
        chans.append(audit)
    good = [c for c in chans if c.name and c.kind and c.readers is not None]
    for c in good:
        if c.writer is not None:
            c.writer.ports.append(Port(c, "send"))
        for r in c.readers:
            r.ports.append(Port(c, "receive"))
    for p in parts:
        gpa = u.GUEST_WIN
        for port in p.ports:        # each window 2M-aligned in its space
            if port.chan.kind == "shared" and port.chan.size:
                port.win_gpa = gpa
                gpa += u.align_up(port.chan.size, 2 * u.MIB)
        if len(p.ports) > MAX_PORTS:
            diag.error(("partition", p.id), "%s: %d channels: at most %d per partition"
                       % (p.label, len(p.ports), MAX_PORTS),
                       "split the partition or merge channels")
        elif getattr(p, "plic", False) and len(p.ports) > PLIC_PORTS:
            diag.error(("partition", p.id, "plic"),
                       "%s: %d channels: its virtual PLIC has interrupts for at most %d"
                       % (p.label, len(p.ports), PLIC_PORTS),
                       "split the partition or merge channels")
    _check_budget(diag, chans, system)
    return chans


def _check_channel(diag, i, t, by_name):
    name = t.get("name")
    label = 'channel "%s"' % name if isinstance(name, str) else "channel #%d" % i
    c = Channel(id=i, label=label, line=diag.line(("channel", i)))
    sec = Section(diag, ("channel", i), label, t, CHAN_KEYS)
    sec.check_unknown()

    name = sec.get("name", "str", required='"ch%d"' % i)
    if isinstance(name, str) and not CHAN_NAME_RE.match(name):
        sec.bad("name", "invalid name: must match [a-z][a-z0-9_]{0,15}",
                'use name = "%s"' % sanitize_name(name, 15))
        name = BAD
    c.name = _ok(name)

    kind = sec.get("kind", "str", required='"queuing"')
    if isinstance(kind, str) and kind not in KINDS:
        sec.bad("kind", "not a channel kind", suggest(kind, KINDS, "value"))
        kind = BAD
    c.kind = _ok(kind)

    writer = sec.get("from", "str", required='"sensor"')
    c.writer = _partition(sec, "from", writer, by_name)
    c.readers = _readers(sec, t, by_name, c)
    if c.kind:
        for key, kind in ONLY.items():
            if key in t and c.kind != kind:
                sec.bad(key, "only %s channels have %s" % (kind, key),
                        "remove %s, or make the channel kind = \"%s\"" % (key, kind))
        if "msg_size" in t and c.kind == "shared":
            sec.bad("msg_size", "shared channels carry no messages",
                    "remove msg_size; give the window's size = \"64K\"")
        if "types" in t and c.kind == "shared":
            sec.bad("types", "shared windows carry no typed messages",
                    "remove types, or use a queuing or sampling channel")
        if "policy" in t and c.kind == "shared":
            sec.bad("policy", "shared windows are not copied, so no policy applies",
                    "remove policy, or use a queuing or sampling channel")
        if c.readers and len(c.readers) > MAX_READERS[c.kind]:
            sec.bad("to", "%d readers: a %s channel supports at most %d" %
                    (len(c.readers), c.kind, MAX_READERS[c.kind]),
                    "declare one channel per reader" if c.kind == "queuing" else
                    "split the readers over two channels")
            c.readers = None
        _check_sizes(sec, t, c)
        if c.kind != "shared":
            _check_types(sec, t, c)
            _check_policy(sec, t, c)
    return c


def _partition(sec, key, name, by_name):
    if not isinstance(name, str):
        return None
    p = by_name.get(name)
    if p is None:
        sec.bad(key, "no partition of that name", suggest(name, by_name, "value"))
    return p


def _readers(sec, t, by_name, c):
    to = t.get("to")
    if to is None:
        sec.missing("to", '["logger"]')
        return None
    if isinstance(to, str):
        to = [to]
    if not isinstance(to, list) or not to or not all(isinstance(x, str) for x in to):
        sec.bad("to", "expected a non-empty array of partition names",
                'write to = ["%s"]' % (to if isinstance(to, str) else "reader"))
        return None
    readers = []
    for name in to:
        p = _partition(sec, "to", name, by_name)
        if p is None:
            return None
        if p is c.writer:
            sec.bad("to", 'partition "%s" would read its own channel' % name,
                    "a channel joins two different partitions: remove it from to")
            return None
        if p in readers:
            sec.bad("to", 'partition "%s" listed twice' % name, "list each reader once")
            return None
        readers.append(p)
    return readers


def _check_sizes(sec, t, c):
    if c.kind in ("queuing", "sampling"):
        m = sec.get("msg_size", u.parse_size, required="64")
        if m is not BAD and not 1 <= m <= MSG_MAX:
            sec.bad("msg_size", "out of range 1..%d bytes" % MSG_MAX,
                    "use a msg_size from 1 to %d; bulk data belongs in a shared "
                    "channel" % MSG_MAX)
            m = BAD
        c.msg_size = _ok(m) or 0
    if c.kind == "queuing":
        d = sec.get("depth", "int", default=8)
        c.depth = _ok(sec.in_range("depth", d, 1, DEPTH_MAX)) or 0
    if c.kind == "sampling":
        r = time_max(sec, "refresh", sec.get("refresh", u.parse_time, required='"10ms"'),
                     u.MAX_REFRESH_TICKS)
        if r is not BAD and r == 0:
            sec.bad("refresh", "must be greater than zero",
                    'give how long a value stays valid, e.g. refresh = "10ms"')
            r = BAD
        c.refresh = _ok(r) or 0
    if c.kind == "shared":
        s = sec.get("size", u.parse_size, required='"64K"')
        if s is not BAD:
            if s == 0 or s > WINDOW_MAX:
                sec.bad("size", "out of range 4K..%s" % u.fmt_size(WINDOW_MAX),
                        'use a size from "4K" to "%s"' % u.fmt_size(WINDOW_MAX))
                s = BAD
            elif s % u.PAGE:
                lo = u.align_down(s, u.PAGE)
                sec.bad("size", "a window must be a whole number of 4K pages",
                        "use " + " or ".join('"%s"' % u.fmt_size(x)
                                             for x in (lo, lo + u.PAGE) if x))
                s = BAD
        c.size = _ok(s) or 0
    c.max_size = c.msg_size


def _check_types(sec, t, c):
    """types = { open = 1, sign = 2 }: the channel's named type tags.

    Naming them makes them the channel's vocabulary: only these tags
    pass (policy.types may narrow them further), and the kernel prints
    them by name.
    """
    names = t.get("types")
    if names is None:
        return
    if not isinstance(names, dict) or not names:
        sec.bad("types", "expected a table of type names and tags, not %s" %
                ("an empty table" if isinstance(names, dict) else type_name(names)),
                "write types = { open = 1, sign = 2 }" +
                ("; a list of allowed tags goes in policy = { types = [1, 2] }"
                 if isinstance(names, list) else ""))
        return
    seen = {}
    for name, tag in names.items():
        path = sec.path + ("types", name)
        what = "%s: types.%s = %s" % (c.label, name, fmt_value(tag))
        if not TYPE_NAME_RE.match(name):
            sec.diag.error(path, "%s: invalid type name: must match [a-z][a-z0-9_]{0,15}"
                           % what, 'rename it, e.g. "%s"' %
                           (re.sub(r"[^a-z0-9_]", "_", name.lower()).lstrip("_0123456789")
                            [:16] or "t%s" % tag))
        elif not u.is_int(tag) or not 0 <= tag <= 63:
            sec.diag.error(path, "%s: a type tag is an integer 0..63" % what,
                           "use a tag from 0 to 63")
        elif tag in seen:
            sec.diag.error(path, "%s: tag %d is already named %s" % (what, tag, seen[tag]),
                           "give each name its own tag")
        else:
            seen[tag] = name
            c.tnames[name] = tag
    c.types = sum(1 << x for x in c.tnames.values()) if c.tnames else c.types


def _check_policy(sec, t, c):
    pol = t.get("policy")
    if pol is None:
        return
    path = sec.path + ("policy",)
    if not isinstance(pol, dict):
        sec.bad("policy", "expected a table, not %s" % type_name(pol),
                "write policy = { types = [1, 2], max_size = 32, max_per_frame = 10 }")
        return
    ps = Section(sec.diag, path, c.label + ": policy", pol, POLICY_KEYS)
    ps.check_unknown()
    types = pol.get("types")
    if types is not None and c.tnames and isinstance(types, list):
        named = [x for x in types if isinstance(x, str)]
        unknown = [x for x in named if x not in c.tnames]
        if unknown:
            ps.bad("types", 'type "%s" is not one of the channel\'s types' % unknown[0],
                   suggest(unknown[0], c.tnames, "value"))
            return
        types = [c.tnames[x] if isinstance(x, str) else x for x in types]
        extra = [x for x in types if u.is_int(x) and not c.types >> x & 1]
        if extra and all(0 <= x <= 63 for x in extra):
            ps.bad("types", "tag %d is not one of the channel's named types" % extra[0],
                   "name it in the channel's types, or use the names: %s" %
                   ", ".join('"%s"' % n for n in c.tnames))
            return
    if types is not None:
        if not isinstance(types, list) or not all(u.is_int(x) for x in types):
            ps.bad("types", "expected an array of type tags (integers 0..63)" +
                   (" or names" if c.tnames else ""), "write types = [1, 2]")
        elif not types:
            ps.bad("types", "an empty list allows no message: the channel could never "
                   "carry one", "list the allowed type tags, or remove types to allow all")
        elif any(not 0 <= x <= 63 for x in types):
            bad = [x for x in types if not 0 <= x <= 63]
            ps.bad("types", "tag%s %s out of range: type tags are 0..63" %
                   ("s" if len(bad) > 1 else "", ", ".join(map(str, bad))),
                   "use tags from 0 to 63")
        else:
            c.types = sum(1 << x for x in set(types))
    ms = ps.get("max_size", u.parse_size, default=None)
    if ms is not BAD and ms is not None:
        if ms == 0:
            ps.bad("max_size", "a maximum of 0 bytes: no message could ever pass",
                   "give a maximum of at least 1, or remove max_size")
        elif c.msg_size and ms > c.msg_size:
            ps.bad("max_size", "larger than the channel's msg_size = %d: the limit "
                   "could never apply" % c.msg_size,
                   "use max_size = %d or less, or raise msg_size" % c.msg_size)
        else:
            c.max_size = ms
    rate = ps.get("max_per_frame", "int", default=None)
    if rate is not BAD and rate is not None:
        if rate == 0:
            ps.bad("max_per_frame", "0 messages per frame: no message could ever pass",
                   "give a positive rate, or remove max_per_frame for no limit")
        else:
            c.max_per_frame = _ok(ps.in_range("max_per_frame", rate, 1, u.U32_MAX)) or 0


def _check_unique(diag, chans):
    seen = {}
    for c in chans:
        if c.name is None:
            continue
        if c.name in seen:
            diag.error(("channel", c.id, "name"),
                       '%s: name = "%s": duplicate channel name, already used at line %d'
                       % (c.label, c.name, seen[c.name].line),
                       'rename one of them, e.g. "%s_%d"' % (c.name[:13], c.id))
            c.name = None
        else:
            seen[c.name] = c


def _audit_channel(diag, doc, system, by_name, index):
    """The kernel's audit records, read by the partition [system] audit names."""
    if not system.audit:
        return None
    p = by_name.get(system.audit)
    if p is None:
        diag.error(("system", "audit"), 'system: audit = "%s": no partition of that name'
                   % system.audit, suggest(system.audit, by_name, "value"))
        return None
    for i, t in enumerate(doc.get("channel", [])):
        if isinstance(t, dict) and t.get("name") == AUDIT_NAME:
            diag.error(("channel", i, "name"), 'channel "audit": name = "audit": reserved '
                       'for the audit channel of [system] audit = "%s"' % system.audit,
                       'rename the channel, e.g. name = "audit_%d"' % i)
    return Channel(id=index, label="the audit channel", name=AUDIT_NAME,
                   kind="queuing", writer=None, readers=[p], msg_size=AUDIT_MSG,
                   depth=system.audit_depth, max_size=AUDIT_MSG,
                   line=diag.line(("system", "audit")))


def _check_budget(diag, chans, system):
    total = sum(c.buf_size() for c in chans if c.kind and c.msg_size)
    if system.channel_memory is not None and total > system.channel_memory:
        worst = max((c for c in chans if c.kind and c.msg_size), key=lambda c: c.buf_size())
        audit = worst.writer is None and worst.label == "the audit channel"
        diag.error(("system", "audit") if audit else ("channel", worst.id),
                   "channels: the kernel's message buffers need %s, over the budget of "
                   "%s (largest: %s, %s)" %
                   (u.fmt_size(total), u.fmt_size(system.channel_memory), worst.label,
                    u.fmt_size(worst.buf_size())),
                   'reduce depth or msg_size, use a shared channel for bulk data, or '
                   'raise [system] channel_memory = "%s"' %
                   u.fmt_size(u.align_up(total, u.KIB)))
