# SPDX-License-Identifier: MIT
"""Checks that need the whole system: what the kernel must honour at run
time, checked here so that `make check` refuses what it could not.

- the guard against the kernel's longest non-preemptible operation for
  the chosen console (OP_TICKS, LINE_TICKS, measured: see README, Time);
- the guard against the shortest slot;
- every major frame within range (the default plan sums slots);
- the kernel's fixed reserve: code, stacks, channel buffers, G-stage pool.

The reload-time checks (a restartable partition's reload in major frames
against its watchdog and restart window) are reload.py's, called by
main.py after the layout, which they need.
"""

from . import layout
from . import units as u
from .diag import fmt_value

# The kernel's longest operations that a partition can start, in ticks
# (100 instructions under -icount shift=0).  Measured by the worstop
# partition (harness/systems/guard_measure*.toml, harness/test_guard.py:
# `cost` lines) and by the smallest guard under which the op started one
# tick before the stop still let the next slot start exactly, then
# rounded up.  None of them writes to the console device: a line is
# queued and written only when the whole of it fits before the stop
# (LINE_TICKS), so the console kind does not enter the guard.
OP_TICKS = {
    "dbcn_line": 80,    # a 161-byte DBCN write finishing a 160-char line: ~77
    "deny_audit": 20,   # a refused call: its audit line queued, its record
    "send_4k": 20,      # a 4 KiB message copied: ~17
    "notify_ipi": 20,   # a doorbell, with the IPI to another hart
    "fault": 20,        # a fault: its lines queued, restart or stop marked
}
AUDIT_HOLD = 3          # the audit ticket lock, per other hart that may hold it
SWITCH_TICKS = 12       # the stop trap, the pick, tick_sync's one-tick margin

# The longest console line (a "[sk] " event of 199 characters and its
# newline) written on each console, in ticks, with a margin: measured
# 171-char lines took 24 (uart) and 603 (sbi: an M-mode round trip a
# character).  The kernel writes a queued line only when this much time
# is left before the partition's stop or the next boundary
# (sk_system.line_ticks), and reports the longest it saw
# (event=timing line_max=).
LINE_TICKS = {"uart": 40, "sbi": 900}

# What the kernel itself takes of its reserve besides the channel buffers
# and the G-stage pool: text, data, bss, stacks, the partition table and
# per-hart console buffers (measured on the largest configuration, with
# room to grow).
KERNEL_FIXED = 1 * u.MIB


def guard_bound(console, harts):
    """Ticks the guard must cover for this console and number of harts.

    The same for both consoles: no guest-started path writes a line that
    does not fit before the stop (console is kept for the message and in
    case a console ever needs more)."""
    ops = dict(OP_TICKS)
    ops["deny_audit"] += AUDIT_HOLD * (harts - 1)
    return max(ops.values()) + SWITCH_TICKS


def check(diag, system, parts, plans):
    """Everything that needs [system] and the plans together."""
    if plans is None:
        return
    _check_frames(diag, system, plans)
    _check_guard(diag, system, plans)


def _check_frames(diag, system, plans):
    for h, plan in enumerate(plans):
        if plan.major_frame > u.MAX_FRAME_TICKS:
            # Only the default plan (one [system] slot per partition) can
            # get here: a [[schedule]]'s major_frame is range-checked.
            diag.error(("system", "slot"), 'system: slot = "%s": the default plan of '
                       "hart %d adds up to %s, over the maximum major frame of %s"
                       % (u.fmt_time(system.slot or 0), h, u.fmt_time(plan.major_frame),
                          u.fmt_time(u.MAX_FRAME_TICKS)),
                       "use a shorter slot, or give hart %d a [[schedule]]" % h)


def _check_guard(diag, system, plans):
    g = system.guard
    if g is None or system.console is None or system.harts is None:
        return
    lengths = [s.length for plan in plans for s in plan.slots if s.part is not None]
    if not lengths:
        return
    shortest = min(lengths)
    need = guard_bound(system.console, system.harts)
    where = ("system", "guard")
    shown = fmt_value(u.fmt_time(g))
    if g * 2 > shortest:
        diag.error(where, "system: guard = %s: longer than half the shortest slot (%s)"
                   % (shown, u.fmt_time(shortest)),
                   'use a guard of at most "%s", or lengthen the shortest slot'
                   % _us_down(shortest // 2))
    elif g and g < need:
        fix = 'use guard = "%s" or more' % _us_up(need)
        if need * 2 > shortest:
            fix += ', with every slot at least "%s"' % _us_up(2 * need)
        diag.error(where, 'system: guard = %s: shorter than the kernel\'s longest '
                   'operation a partition can start with console = "%s" on %d hart%s'
                   ", %s: the next slot could start late" %
                   (shown, system.console, system.harts,
                    "" if system.harts == 1 else "s", _ticks(need)), fix)
    line = LINE_TICKS[system.console]
    if g * 2 <= shortest and shortest - g < line:
        diag.error(where, 'system: guard = %s: the shortest slot (%s) leaves %s before '
                   'its stop, less than one console line takes with console = "%s" '
                   "(%s): its partition's lines would wait for idle time" %
                   (shown, u.fmt_time(shortest), u.fmt_time(shortest - g),
                    system.console, _ticks(line)),
                   'make every slot at least "%s" long, or use a smaller guard'
                   % _us_up(line + g))


def _ticks(t):
    """A tick count for people: "9.2us (92 ticks)"."""
    return "%gus (%d ticks)" % (t / 10, t)


def _us_up(ticks):
    return u.fmt_time(u.align_up(ticks, 10))


def _us_down(ticks):
    return u.fmt_time(max(u.align_down(ticks, 10), 10))


def check_reserve(diag, system, parts, chans):
    """The kernel's reserve holds its fixed part, the channel buffers and
    the G-stage pool (kernel.ld would otherwise fail the link)."""
    bufs = sum(c.buf_size() for c in chans if c.kind and c.msg_size)
    pool = sum(layout.pool_pages(p) for p in parts) * u.PAGE
    need = KERNEL_FIXED + bufs + pool
    if need > u.KERNEL_RESERVE:
        diag.error(("system", "channel_memory"),
                   "system: the kernel's %s reserve cannot hold its own %s, the "
                   "channels' buffers (%s) and the G-stage tables (%s)" %
                   (u.fmt_size(u.KERNEL_RESERVE), u.fmt_size(KERNEL_FIXED),
                    u.fmt_size(bufs), u.fmt_size(pool)),
                   "reduce channel depth or msg_size (use shared channels for bulk "
                   "data), or use fewer partitions")
        return False
    return True
