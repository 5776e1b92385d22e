# SPDX-License-Identifier: MIT
"""[[schedule]]: one static cyclic plan per hart.

Times are timer ticks (100 ns).  A plan's slots cover its major frame
exactly: a remainder after the last configured slot becomes an idle
slot, so the kernel never has to special-case the end of a frame.
"""

from dataclasses import dataclass, field

from . import units as u
from .diag import suggest
from .schema import BAD, Section, time_max

SCHED_KEYS = ("hart", "major_frame", "slots")
SLOT_KEYS = ("partition", "length")


@dataclass
class Slot:
    start: int
    length: int
    part: object = None         # a Partition, or None for idle


@dataclass
class Plan:
    major_frame: int = 0
    slots: list = field(default_factory=list)


def build_plans(diag, doc, system, parts):
    """Validate the schedules; returns one Plan per hart, or None."""
    tables = doc.get("schedule")
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        tables = []
    if not tables:
        return _default_plans(system, parts)

    raw = doc.get("partition")
    raw_names = {t.get("name") for t in (raw if isinstance(raw, list) else [])
                 if isinstance(t, dict) and isinstance(t.get("name"), str)}
    by_name = {p.name: p for p in parts if p.name is not None}
    plans = {}
    plan_line = {}
    scheduled = set()
    hart_unknown = False
    ok = True

    for j, t in enumerate(tables):
        sec = Section(diag, ("schedule", j), "schedule #%d" % j, t, SCHED_KEYS)
        sec.check_unknown()
        hart = sec.get("hart", "int", required="0")
        if hart is not BAD:
            sec.label = "schedule for hart %d" % hart
            if system.harts is not None and not 0 <= hart < system.harts:
                sec.bad("hart", "out of range: the system has %d hart%s (0..%d)" %
                        (system.harts, "s" if system.harts > 1 else "",
                         system.harts - 1),
                        "use a hart from 0 to %d" % (system.harts - 1))
                hart = BAD
            elif hart in plan_line:
                sec.bad("hart", "a second [[schedule]] for hart %d (the first is at "
                        "line %d)" % (hart, plan_line[hart]),
                        "merge the two into one [[schedule]] for hart %d" % hart)
                hart = BAD
            else:
                plan_line[hart] = diag.line(("schedule", j))
        if hart is BAD:
            hart_unknown = True

        major = time_max(sec, "major_frame",
                         sec.get("major_frame", u.parse_time, required='"10ms"'),
                         u.MAX_FRAME_TICKS)
        if major == 0:
            sec.bad("major_frame", "must be greater than zero",
                    'use the sum of its slots, e.g. major_frame = "10ms"')
            major = BAD

        slots = _check_slots(diag, sec, t, major, hart, by_name, raw_names, scheduled)
        if slots is None or BAD in (hart, major):
            ok = False
            continue
        plan = Plan(major)
        start = 0
        for length, p in slots:
            plan.slots.append(Slot(start, length, p))
            start += length
        if start < major:
            plan.slots.append(Slot(start, major - start, None))
        plans[hart] = plan

    if system.harts is None:
        return None
    _check_coverage(diag, system, parts, plans, plan_line, scheduled, hart_unknown)
    if not ok:
        return None
    return [plans.get(h, Plan()) for h in range(system.harts)]


def _check_slots(diag, sec, t, major, hart, by_name, raw_names, scheduled):
    """The slots of one schedule as (ticks, Partition or None), or None."""
    slots = t.get("slots")
    if slots is None:
        sec.missing("slots", '[ { partition = "hello", length = "1ms" } ]')
        return None
    if not isinstance(slots, list) or not all(isinstance(s, dict) for s in slots):
        sec.bad("slots", "expected an array of inline tables",
                'write slots = [ { partition = "hello", length = "1ms" } ]')
        return None
    if not slots:
        sec.bad("slots", "no slots", 'add at least one { partition = "...", length = "1ms" }')
        return None
    out = []
    good = True
    for k, st in enumerate(slots):
        ssec = Section(diag, sec.path + ("slots", k), "%s: slot %d" % (sec.label, k),
                       st, SLOT_KEYS)
        ssec.check_unknown()
        length = ssec.get("length", u.parse_time, required='"1ms"')
        if length is not BAD:
            if length < u.MIN_SLOT_TICKS:
                ssec.bad("length", "shorter than the minimum of %s the kernel can "
                         "honour" % u.fmt_time(u.MIN_SLOT_TICKS),
                         'use length = "%s" or longer, or merge it with a neighbour'
                         % u.fmt_time(u.MIN_SLOT_TICKS))
                length = BAD
            elif major not in (BAD, None) and length > major:
                ssec.bad("length", "longer than the major frame (%s)" % u.fmt_time(major),
                         'shorten it to at most "%s", or raise major_frame'
                         % u.fmt_time(major))
                length = BAD
        part = None
        name = ssec.get("partition", "str", default=None)
        if isinstance(name, str):
            part = by_name.get(name)
            if part is None:
                if name not in raw_names:
                    ssec.bad("partition", "unknown partition",
                             suggest(name, by_name, "value"))
                name = BAD
            elif part.hart is not None and hart is not BAD and part.hart != hart:
                ssec.bad("partition", "%s runs on hart %d, but this schedule is for "
                         "hart %d" % (part.label, part.hart, hart),
                         "move the slot to the schedule for hart %d, or set hart = %d "
                         "in %s" % (part.hart, hart, part.label))
                name = BAD
            else:
                scheduled.add(part.id)
        if BAD in (length, name):
            good = False
        else:
            out.append((length, part))
    if not good:
        return None
    total = sum(length for length, _ in out)
    if major not in (BAD, None) and total > major:
        diag.error(sec.path + ("slots",),
                   '%s: slots overflow major_frame = "%s" by %s (they add up to %s)'
                   % (sec.label, u.fmt_time(major), u.fmt_time(total - major),
                      u.fmt_time(total)),
                   'shorten the slots by %s, or set major_frame = "%s"'
                   % (u.fmt_time(total - major), u.fmt_time(total)))
        return None
    return out


def _check_coverage(diag, system, parts, plans, plan_line, scheduled, hart_unknown):
    """Every hart with partitions has a plan; every partition gets a slot."""
    if hart_unknown:
        return          # a schedule's hart is unknown: cannot tell who is missing
    reported = set()
    for p in parts:
        if p.hart is None or p.name is None:
            continue
        if p.hart not in plan_line:
            if p.hart not in reported:
                reported.add(p.hart)
                diag.error(("partition", p.id, "hart"),
                           "%s: hart %d has partitions but no [[schedule]], while "
                           "other harts have one" % (p.label, p.hart),
                           "add a [[schedule]] with hart = %d and a slot for %s"
                           % (p.hart, p.label))
            continue
        if p.hart not in plans:
            continue    # its schedule is broken: that error says enough
        if p.id not in scheduled and not p.allow_unscheduled:
            diag.error(("partition", p.id, "name"),
                       "%s: never gets a slot in the schedule for hart %d (line %d)"
                       % (p.label, p.hart, plan_line[p.hart]),
                       'add { partition = "%s", length = "1ms" } to its slots, or set '
                       "allow_unscheduled = true" % p.name)


def _default_plans(system, parts):
    """No [[schedule]]: one slot of system.slot per partition, per hart."""
    if system.harts is None or system.slot is None:
        return None
    plans = [Plan() for _ in range(system.harts)]
    for p in parts:
        if p.hart is None:
            return None
        plan = plans[p.hart]
        plan.slots.append(Slot(plan.major_frame, system.slot, p))
        plan.major_frame += system.slot
    return plans
