# SPDX-License-Identifier: MIT
"""Validation of the document's top level, [system] and [[partition]].

Each check reports through Diag and leaves the field None when the
value is unusable, so later stages can tell what they may rely on.
"""

import re
from dataclasses import dataclass, field

from . import units as u
from .diag import fmt_value, suggest, type_name

TOP_KEYS = ("system", "partition", "schedule", "channel", "protocol")
SYSTEM_KEYS = ("name", "harts", "memory", "slot", "stop_after", "board", "guard",
               "epoch", "on_reject", "audit", "audit_depth", "channel_memory",
               "console", "counters", "console_input")
CONSOLES = ("uart", "sbi")
REJECT_ACTIONS = ("continue", "halt")
PART_KEYS = ("name", "image", "memory", "hart", "on_fault", "max_restarts",
             "restart_window", "watchdog", "critical", "system_rights",
             "allow_unscheduled", "phys", "args", "uart", "load", "initrd",
             "bootargs", "delegate_faults", "plic")
BOOTARGS_MAX = 1024
FAULT_ACTIONS = ("halt", "restart")

SYSTEM_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
PART_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
ARG_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
ARG_RESERVED = ("name", "phandle")     # dtc gives these a meaning
ARG_STR_MAX = 255
RESERVED_PART_NAMES = ("sk",)           # the kernel's console prefix

BAD = object()      # a value that was present but unusable


@dataclass
class System:
    name: str = None
    harts: int = None
    memory: int = None
    slot: int = None            # ticks
    stop_after: int = 0         # ticks, 0 = never
    board: str = "qemu-virt"
    guard: int = 100            # ticks kept at each slot's end (10 us)
    epoch: int = 0              # ticks since power-on of the first frame
    on_reject: str = "continue"
    audit: str = None           # partition receiving audit records
    audit_depth: int = 64
    channel_memory: int = 512 * u.KIB
    console: str = "uart"       # the kernel drives the UART, or asks the SBI
    counters: bool = False      # partitions may read cycle and instret
    console_input: str = None   # the partition the board UART's input goes to


@dataclass
class Partition:
    id: int
    label: str
    name: str = None
    image: str = None
    memory: int = None
    hart: int = None
    on_fault: str = "halt"
    max_restarts: int = 10
    restart_window: int = 0
    watchdog: int = 0
    critical: bool = False
    system_rights: bool = False
    allow_unscheduled: bool = False
    uart: bool = False          # a virtual 16550 at guest-physical 0x10000000
    plic: bool = False          # a virtual PLIC at guest-physical 0x0c000000
    phys: int = None
    args: dict = field(default_factory=dict)
    args_ok: bool = True
    load: int = None            # flat binary: offset of its first byte in RAM
    initrd: str = None          # initramfs file, placed in its RAM
    bootargs: str = None        # /chosen/bootargs
    delegate_faults: bool = False   # the guest handles its own traps (hedeleg)
    image_path: str = None      # filled by image.py
    kind: str = None            # "elf", "linux" (raw Image) or "flat"
    image_end: int = None       # end of image + bss, offset in RAM
    initrd_path: str = None
    initrd_data: bytes = None
    initrd_load: int = None     # offset in RAM
    elf: object = None
    flat: bytes = None

    def complete(self):
        """Everything the packages and the layout depend on is valid."""
        return None not in (self.name, self.memory, self.hart, self.elf,
                            self.flat) and self.args_ok


class Section:
    """One TOML table under validation: known keys and typed getters."""

    def __init__(self, diag, path, label, table, keys):
        self.diag = diag
        self.path = tuple(path)
        self.label = label
        self.t = table
        self.keys = keys

    def check_unknown(self):
        for k in self.t:
            if k not in self.keys:
                self.diag.error(self.path + (k,),
                                '%s: unknown key "%s"' % (self.label, k),
                                suggest(k, self.keys))

    def bad(self, key, reason, fix):
        self.diag.error(self.path + (key,), "%s: %s = %s: %s" %
                        (self.label, key, fmt_value(self.t[key]), reason), fix)

    def missing(self, key, example):
        if any(k not in self.keys and suggest(k, self.keys) == 'did you mean "%s"?' % key
               for k in self.t):
            return      # the misspelt key's error already names this one
        self.diag.error(self.path, '%s: missing required key "%s"' %
                        (self.label, key), "add %s = %s" % (key, example))

    def get(self, key, kind, default=None, required=None):
        """The parsed value, default if absent, BAD if unusable.

        kind is "int", "bool", "str" or a parser from units; required
        is an example value to show when the key is missing.
        """
        if key not in self.t:
            if required is not None:
                self.missing(key, required)
                return BAD
            return default
        v = self.t[key]
        if kind == "int":
            if u.is_int(v):
                return v
            if isinstance(v, str) and v.strip().isascii() and v.strip().isdigit():
                fix = "write %s = %s without quotes" % (key, v.strip())
            else:
                fix = "write an integer, e.g. %s = %s" % (key, fmt_value(default or 0))
            self.bad(key, "expected an integer, not %s" % type_name(v), fix)
            return BAD
        if kind == "bool":
            if isinstance(v, bool):
                return v
            word = "true" if str(v).lower() in ("true", "yes", "1", "on") else "false"
            self.bad(key, "expected a boolean, not %s" % type_name(v),
                     "write %s = %s (no quotes)" % (key, word))
            return BAD
        if kind == "str":
            if isinstance(v, str):
                return v
            self.bad(key, "expected a string, not %s" % type_name(v),
                     'write %s = "%s"' % (key, v if u.is_int(v) else "..."))
            return BAD
        try:
            return kind(v)
        except u.UnitError as e:
            reason = e.reason
            if reason.startswith("expected") and not isinstance(v, str):
                reason += ", not %s" % type_name(v)
            self.bad(key, reason, e.fix)
            return BAD

    def in_range(self, key, v, lo, hi, fix=None):
        if v is BAD or v is None or lo <= v <= hi:
            return v
        self.bad(key, "out of range %d..%d" % (lo, hi),
                 fix or "use a value from %d to %d" % (lo, hi))
        return BAD


def _ok(v):
    return None if v is BAD else v


def time_max(sec, key, v, hi):
    """A time of at most hi ticks (sums the kernel forms stay far from 2^64)."""
    if v is BAD or v is None or v <= hi:
        return v
    sec.bad(key, "longer than the maximum of %s" % u.fmt_time(hi),
            'use at most %s = "%s"' % (key, u.fmt_time(hi)))
    return BAD


def sanitize_name(name, maxlen):
    """A valid identifier close to name, for a fix."""
    s = re.sub(r"[^a-z0-9_]+", "_", str(name).lower()).strip("_")
    if not s or not s[0].isalpha():
        s = "p" + s
    s = s[:maxlen + 1]
    return "part" if s in RESERVED_PART_NAMES else s


def check_top(diag, doc):
    """Unknown top-level keys and the shapes of the main tables."""
    for k, v in doc.items():
        if k in ("channel", "protocol"):
            continue            # channels.py and protocol.py speak for these
        if k not in TOP_KEYS:
            what = "table" if isinstance(v, (dict, list)) else "key"
            diag.error((k,), 'unknown top-level %s "%s"' % (what, k),
                       suggest(k, TOP_KEYS))
    if "system" in doc and not isinstance(doc["system"], dict):
        diag.error(("system",), "system: expected one [system] table, not %s"
                   % type_name(doc["system"]),
                   "write a single [system] table header")
    for k in ("partition", "schedule"):
        v = doc.get(k)
        if v is not None and not (isinstance(v, list) and
                                   all(isinstance(x, dict) for x in v)):
            diag.error((k,), "%s: expected [[%s]] tables, not %s" %
                       (k, k, type_name(v)),
                       "write each one as a [[%s]] table (double brackets)" % k)


def check_system(diag, doc):
    """[system]: returns a System whose unusable fields are None."""
    sysd = doc.get("system")
    s = System()
    if sysd is None:
        diag.error_at(1, "missing [system] table",
                      'add [system] with name = "..." at the top')
        return s
    if not isinstance(sysd, dict):
        return s
    sec = Section(diag, ("system",), "system", sysd, SYSTEM_KEYS)
    sec.check_unknown()

    name = sec.get("name", "str", required='"demo"')
    if isinstance(name, str) and not SYSTEM_NAME_RE.match(name):
        sec.bad("name", "invalid name: must match [a-z][a-z0-9_]{0,30}",
                'use name = "%s"' % sanitize_name(name, 30))
        name = BAD
    s.name = _ok(name)

    harts = sec.get("harts", "int", default=1)
    s.harts = _ok(sec.in_range("harts", harts, 1, u.MAX_HARTS,
                               "use harts = 1 to %d" % u.MAX_HARTS))

    mem = sec.get("memory", u.parse_size, default=128 * u.MIB)
    if mem is not BAD and "memory" in sysd:
        if mem == 0:
            sec.bad("memory", "must not be zero", 'use memory = "128M"')
            mem = BAD
        elif mem % u.BOARD_MEM_ALIGN:
            lo = u.align_down(mem, u.BOARD_MEM_ALIGN)
            hi = lo + u.BOARD_MEM_ALIGN
            alts = [x for x in (lo, hi) if u.BOARD_MEM_MIN <= x <= u.BOARD_MEM_MAX]
            alts = alts or [min(max(lo, u.BOARD_MEM_MIN), u.BOARD_MEM_MAX)]
            sec.bad("memory", "not a multiple of 2M",
                    "use " + " or ".join('"%s"' % u.fmt_size(x) for x in alts))
            mem = BAD
        elif mem < u.BOARD_MEM_MIN:
            sec.bad("memory", "below the minimum of %s" % u.fmt_size(u.BOARD_MEM_MIN),
                    'use at least memory = "%s"' % u.fmt_size(u.BOARD_MEM_MIN))
            mem = BAD
        elif mem > u.BOARD_MEM_MAX:
            sec.bad("memory", "above the maximum of %s (QEMU must allocate all of "
                    "it on the host)" % u.fmt_size(u.BOARD_MEM_MAX),
                    'use at most memory = "%s"' % u.fmt_size(u.BOARD_MEM_MAX))
            mem = BAD
    s.memory = _ok(mem)

    slot = sec.get("slot", u.parse_time, default=u.MIN_SLOT_TICKS * 10)
    slot = time_max(sec, "slot", slot, u.MAX_FRAME_TICKS)
    if slot is not BAD and slot < u.MIN_SLOT_TICKS:
        sec.bad("slot", "shorter than the minimum of %s the kernel can honour"
                % u.fmt_time(u.MIN_SLOT_TICKS),
                'use slot = "%s" or longer' % u.fmt_time(u.MIN_SLOT_TICKS))
        slot = BAD
    s.slot = _ok(slot)

    stop = time_max(sec, "stop_after", sec.get("stop_after", u.parse_time, default=0),
                    u.MAX_RUN_TICKS)
    if stop is not BAD and "stop_after" in sysd and stop == 0:
        sec.bad("stop_after", "must be greater than zero",
                "remove stop_after to run forever, or give a time such as \"2s\"")
        stop = BAD
    s.stop_after = _ok(stop)

    board = sec.get("board", "str", default="qemu-virt")
    if isinstance(board, str) and board not in u.BOARDS:
        sec.bad("board", "unknown board", suggest(board, u.BOARDS, "value"))
        board = BAD
    s.board = _ok(board)

    # The guard against the shortest slot and the kernel's longest
    # operation is checked by bounds.py, once the schedule is known.
    guard = sec.get("guard", u.parse_time, default=s.guard)
    s.guard = _ok(time_max(sec, "guard", guard, u.MAX_FRAME_TICKS // 2))
    s.epoch = _ok(time_max(sec, "epoch", sec.get("epoch", u.parse_time, default=0),
                           u.MAX_EPOCH_TICKS))
    rej = sec.get("on_reject", "str", default="continue")
    if isinstance(rej, str) and rej not in REJECT_ACTIONS:
        sec.bad("on_reject", "not an action (continue or halt)",
                suggest(rej, REJECT_ACTIONS, "value"))
        rej = BAD
    s.on_reject = _ok(rej)
    s.audit = _ok(sec.get("audit", "str", default=None))
    s.audit_depth = _ok(sec.in_range(
        "audit_depth", sec.get("audit_depth", "int", default=64), 1, 1024))
    cm = sec.get("channel_memory", u.parse_size, default=512 * u.KIB)
    if cm is not BAD and cm > u.CHAN_MEM_MAX:
        sec.bad("channel_memory", "above the maximum of %s (the channels' buffers live "
                "in the kernel's %s reserve)" % (u.fmt_size(u.CHAN_MEM_MAX),
                                                 u.fmt_size(u.KERNEL_RESERVE)),
                'use at most channel_memory = "%s"' % u.fmt_size(u.CHAN_MEM_MAX))
        cm = BAD
    s.channel_memory = _ok(cm)
    con = sec.get("console", "str", default="uart")
    if isinstance(con, str) and con not in CONSOLES:
        sec.bad("console", "not a console (uart or sbi)",
                suggest(con, CONSOLES, "value"))
        con = BAD
    s.console = _ok(con)
    s.counters = _ok(sec.get("counters", "bool", default=False))
    ci = sysd.get("console_input")
    if ci is not None and not isinstance(ci, str):
        sec.bad("console_input", "expected a partition name, not %s" % type_name(ci),
                'write console_input = "NAME" with the name of a [[partition]]')
    else:
        s.console_input = ci
    return s


def check_partitions(diag, doc, system):
    """[[partition]]: returns one Partition per table, in config order."""
    tables = doc.get("partition")
    if not isinstance(tables, list) or not all(isinstance(x, dict) for x in tables):
        tables = None
    if tables is None or not tables:
        if "partition" not in doc:
            diag.error_at(diag.line(("system",)), "no [[partition]] tables",
                          "add at least one [[partition]] with name, image and memory")
        elif tables is not None:
            diag.error(("partition",), "partition = []: no partitions",
                       "replace it with at least one [[partition]] table with name, "
                       "image and memory")
        return []
    if len(tables) > u.MAX_PARTS:
        diag.error(("partition", u.MAX_PARTS),
                   "%d partitions: at most %d are supported" % (len(tables), u.MAX_PARTS),
                   "merge or remove %d partition%s" % (len(tables) - u.MAX_PARTS,
                                                        "" if len(tables) == u.MAX_PARTS + 1 else "s"))
    parts = [_check_partition(diag, i, t, system) for i, t in enumerate(tables)]
    _check_unique_names(diag, parts)
    _check_explicit_phys(diag, parts, system)
    _check_console_input(diag, parts, system)
    return parts


def _check_partition(diag, i, t, system):
    name = t.get("name")
    label = 'partition "%s"' % name if isinstance(name, str) else "partition #%d" % i
    p = Partition(id=i, label=label)
    sec = Section(diag, ("partition", i), label, t, PART_KEYS)
    sec.check_unknown()

    name = sec.get("name", "str", required='"part%d"' % i)
    if isinstance(name, str):
        if name in RESERVED_PART_NAMES:
            sec.bad("name", 'the name "%s" is reserved for the kernel' % name,
                    'choose another name, e.g. "%s_part"' % name)
            name = BAD
        elif not PART_NAME_RE.match(name):
            sec.bad("name", "invalid name: must match [a-z][a-z0-9_]{0,15}",
                    'use name = "%s"' % sanitize_name(name, 15))
            name = BAD
    p.name = _ok(name)

    image = sec.get("image", "str", required='"%s.elf"' % (p.name or "hello"))
    if isinstance(image, str) and not image.strip():
        sec.bad("image", "empty file name", 'use image = "%s.elf"' % (p.name or "hello"))
        image = BAD
    p.image = _ok(image)

    p.memory = _ok(_check_part_memory(sec))

    hart = sec.get("hart", "int", default=0)
    if hart is not BAD and system.harts is not None and not 0 <= hart < system.harts:
        if system.harts == 1:
            fix = "use hart = 0"
        else:
            fix = "use hart = 0 to %d" % (system.harts - 1)
        if system.harts <= hart < u.MAX_HARTS:
            fix += ", or set [system] harts = %d" % (hart + 1)
        sec.bad("hart", "out of range: the system has %d hart%s (0..%d)" %
                (system.harts, "s" if system.harts > 1 else "", system.harts - 1), fix)
        hart = BAD
    p.hart = _ok(hart) if system.harts is not None else None

    on_fault = sec.get("on_fault", "str", default="halt")
    if isinstance(on_fault, str) and on_fault not in FAULT_ACTIONS:
        sec.bad("on_fault", "not a fault action (halt or restart)",
                suggest(on_fault, FAULT_ACTIONS, "value"))
        on_fault = BAD
    p.on_fault = _ok(on_fault)

    p.max_restarts = _ok(sec.in_range(
        "max_restarts", sec.get("max_restarts", "int", default=10), 0, u.U16_MAX))
    p.restart_window = _ok(sec.in_range(
        "restart_window", sec.get("restart_window", "int", default=0), 0, u.U32_MAX,
        "use a count of major frames from 0 (forever) to %d" % u.U32_MAX))
    p.watchdog = _ok(sec.in_range(
        "watchdog", sec.get("watchdog", "int", default=0), 0, u.U32_MAX,
        "use a count of major frames from 0 (no watchdog) to %d" % u.U32_MAX))
    for key in ("critical", "system_rights", "allow_unscheduled", "uart",
                "plic"):
        setattr(p, key, _ok(sec.get(key, "bool", default=False)))

    phys = sec.get("phys", u.parse_addr, default=None)
    if phys is not BAD and phys is not None and phys % u.PAGE:
        lo = u.align_down(phys, u.PAGE)
        sec.bad("phys", "not page-aligned (4K)",
                'use phys = "0x%x" or "0x%x"' % (lo, lo + u.PAGE))
        phys = BAD
    p.phys = _ok(phys)
    _check_args(sec, p)
    _check_os_keys(sec, p)
    return p


def _check_os_keys(sec, p):
    """load, initrd, bootargs, delegate_faults: what an OS partition needs."""
    load = sec.get("load", u.parse_addr, default=None)
    if load is not BAD and load is not None and load % u.PAGE:
        sec.bad("load", "not page-aligned (4K)",
                'use load = "0x%x"' % u.align_up(load, u.PAGE))
        load = BAD
    if load is not BAD and load is not None and p.memory is not None and \
            load >= p.memory:
        sec.bad("load", "outside its RAM (memory = \"%s\")" % u.fmt_size(p.memory),
                'use an offset below 0x%x, e.g. load = "0x200000"' % p.memory)
        load = BAD
    p.load = _ok(load)
    initrd = sec.get("initrd", "str", default=None)
    if isinstance(initrd, str) and not initrd.strip():
        sec.bad("initrd", "empty file name", 'use initrd = "linux.cpio"')
        initrd = BAD
    p.initrd = _ok(initrd)
    args = sec.get("bootargs", "str", default=None)
    if isinstance(args, str) and (len(args) > BOOTARGS_MAX or
                                  any(not " " <= c <= "~" for c in args)):
        sec.bad("bootargs", "must be printable ASCII of at most %d characters"
                % BOOTARGS_MAX, "drop control and non-ASCII characters")
        args = BAD
    p.bootargs = _ok(args)
    p.delegate_faults = _ok(sec.get("delegate_faults", "bool", default=False))


def _check_part_memory(sec):
    mem = sec.get("memory", u.parse_size, required='"256K"')
    if mem is BAD:
        return mem
    if mem == 0:
        sec.bad("memory", "must not be zero",
                'use at least memory = "%s"' % u.fmt_size(u.PART_MEM_MIN))
        return BAD
    if mem % u.PAGE:
        lo = u.align_down(mem, u.PAGE)
        alts = [x for x in (lo, lo + u.PAGE) if u.PART_MEM_MIN <= x <= u.PART_MEM_MAX]
        alts = alts or [min(max(lo, u.PART_MEM_MIN), u.PART_MEM_MAX)]
        sec.bad("memory", "not a multiple of the 4K page size",
                "use " + " or ".join('"%s"' % u.fmt_size(x) for x in alts))
        return BAD
    if mem < u.PART_MEM_MIN:
        sec.bad("memory", "below the minimum of %s" % u.fmt_size(u.PART_MEM_MIN),
                'use at least memory = "%s"' % u.fmt_size(u.PART_MEM_MIN))
        return BAD
    if mem > u.PART_MEM_MAX:
        sec.bad("memory", "above the maximum of %s" % u.fmt_size(u.PART_MEM_MAX),
                'use at most memory = "%s"' % u.fmt_size(u.PART_MEM_MAX))
        return BAD
    return mem


def _check_args(sec, p):
    """args: a table of name -> u64 integer or printable string."""
    args = sec.t.get("args")
    if args is None:
        return
    if not isinstance(args, dict):
        sec.bad("args", "expected a table, not %s" % type_name(args),
                "write args = { seed = 42, mode = \"fast\" }")
        p.args_ok = False
        return
    diag = sec.diag
    for k, v in args.items():
        path = sec.path + ("args", k)
        what = "%s: args.%s = %s" % (sec.label, k, fmt_value(v))
        if not ARG_NAME_RE.match(k) or k in ARG_RESERVED:
            reason = ("reserved by the device tree format" if k in ARG_RESERVED else
                      "invalid argument name: must match [a-z][a-z0-9_-]{0,30}")
            better = sanitize_name(k, 30).replace("_", "-")
            if better in ARG_RESERVED:
                better = "%s-%s" % (p.name or "part", better)
            diag.error(path, "%s: %s" % (what, reason), 'rename it, e.g. "%s"' % better)
            p.args_ok = False
        elif u.is_int(v):
            if not 0 <= v <= u.U64_MAX:
                diag.error(path, "%s: out of range for an unsigned 64-bit integer" % what,
                           "use a value from 0 to %d (0x%x)" % (u.U64_MAX, u.U64_MAX))
                p.args_ok = False
        elif isinstance(v, str):
            if len(v) > ARG_STR_MAX or any(not " " <= c <= "~" for c in v):
                diag.error(path, "%s: strings must be printable ASCII of at most %d "
                           "characters" % (what, ARG_STR_MAX),
                           "drop control and non-ASCII characters")
                p.args_ok = False
        else:
            diag.error(path, "%s: expected an integer or a string, not %s" %
                       (what, type_name(v)),
                       "use an unsigned integer (scaled if need be) or a string")
            p.args_ok = False
    if p.args_ok:
        p.args = dict(args)


def _check_unique_names(diag, parts):
    first = {}
    for p in parts:
        if p.name is None:
            continue
        if p.name in first:
            q = first[p.name]
            diag.error(("partition", p.id, "name"),
                       '%s: name = "%s": duplicate partition name, already used by '
                       "partition #%d at line %d" %
                       (p.label, p.name, q.id, diag.line(("partition", q.id, "name"))),
                       'rename one of them, e.g. "%s_%d"' % (p.name[:13], p.id))
            p.name = None
        else:
            first[p.name] = p


def _check_explicit_phys(diag, parts, system):
    """phys: inside board RAM, and explicit placements must not overlap.

    The kernel's reserve depends on the packages and is checked by layout.
    """
    placed = []
    for p in parts:
        if p.phys is None or p.memory is None:
            continue
        path = ("partition", p.id, "phys")
        what = '%s: phys = "0x%x"' % (p.label, p.phys)
        end = p.phys + p.memory
        if system.memory is not None:
            ram_end = u.BOARD_RAM + system.memory
            if p.phys < u.BOARD_RAM or end > ram_end:
                diag.error(path, "%s: [0x%x, 0x%x) is outside board RAM [0x%x, 0x%x)" %
                           (what, p.phys, end, u.BOARD_RAM, ram_end),
                           "use a phys between the kernel's reserve and 0x%x, or "
                           "remove phys to place it automatically" % (ram_end - p.memory))
                p.phys = None
                continue
        for q in placed:
            if p.phys < q.phys + q.memory and q.phys < end:
                diag.error(path, "%s: [0x%x, 0x%x) overlaps %s at [0x%x, 0x%x)" %
                           (what, p.phys, end, q.label, q.phys, q.phys + q.memory),
                           'move it, e.g. phys = "0x%x", or remove phys' %
                           u.align_up(q.phys + q.memory, u.PAGE))
                p.phys = None
                break
        else:
            placed.append(p)


def _check_console_input(diag, parts, system):
    """[system] console_input names one existing partition."""
    name = system.console_input
    if name is None:
        return
    names = [p.name for p in parts if p.name is not None]
    if name not in names:
        diag.error(("system", "console_input"),
                   'system: console_input = "%s": no partition of that name' % name,
                   suggest(name, names, "value") if names else
                   "name the [[partition]] that should read the console")
        system.console_input = None
