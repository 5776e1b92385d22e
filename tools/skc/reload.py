# SPDX-License-Identifier: MIT
"""How long a partition's reload takes, in major frames.

A restart is resumable work charged to the partition's own slots
(sepkernel/core/part.c): the kernel hashes its package in 1 KiB chunks
(copying what is image into its RAM), clears the rest of its RAM in
32 KiB chunks, then finishes (digest compared with the one verified at
boot, vCPU reset, event line).  In each of its slots it starts a chunk
only if the chunk's cost, plus an eighth and a few ticks, ends before
the guard.  This module replays that with per-byte costs measured under
QEMU -icount (bench/run.py, "Integrity"), rounded up, so the figure is
an upper bound there; the kernel measures its own chunk costs at boot.

A restartable partition (max_restarts > 0: a fault with on_fault =
"restart", or a reboot through SBI SRST) whose watchdog or restart
window is shorter than its reload is an error.
"""

from . import units as u

CHUNK = 1024                 # package bytes hashed per chunk (part.c)
CLEAR = 32768                # RAM bytes cleared per chunk (part.c)
SLACK = 4                    # ticks added to every chunk's budget (part.c)
INSTR_PER_TICK = 100         # -icount shift=0: 1 ns per instruction, 10 MHz time
# Instructions per byte, measured (bench: 22.9 portable, 16.9 with Zbb;
# clearing 0.20), rounded up; the portable path, so any hart.
HASH_PER_BYTE = 24
CLEAR_PER_BYTE = 0.25
ENTRY_TICKS = 20             # from the slot's start to the first chunk


def _ceil_div(a, b):
    return -(-a // b)


def chunk_budgets():
    """Ticks the kernel budgets for a hash chunk and for a clear chunk."""
    hashc = _ceil_div(HASH_PER_BYTE * CHUNK, INSTR_PER_TICK)
    clearc = _ceil_div(int(CLEAR_PER_BYTE * CLEAR), INSTR_PER_TICK)
    return [c + c // 8 + SLACK for c in (hashc, clearc)]


def work(p):
    """(hash chunks, clear chunks) of p's reload."""
    clear = max(p.memory - p.image_size - getattr(p, "initrd_size", 0), 0)
    return _ceil_div(len(p.pkg), CHUNK), _ceil_div(clear, CLEAR)


def _slot_fill(avail, left, budgets):
    """Run chunks in one slot of avail ticks; returns (what is left,
    ticks into the slot when the last one ended)."""
    t = ENTRY_TICKS
    left = list(left)
    for kind in (0, 1):
        if left[kind] and t + budgets[kind] <= avail:
            n = min(left[kind], (avail - t) // budgets[kind])
            left[kind] -= n
            t += n * budgets[kind]
        if left[kind]:
            return left, t
    if left[2] and t + budgets[0] <= avail:      # the last step
        left[2] = 0
        t += budgets[0]
    return left, t


def frames(p, plan, guard):
    """Worst-case major frames from a restart request to p ready again,
    or None if p's slots can never hold one chunk."""
    mine = [s for s in plan.slots if s.part is p]
    budgets = chunk_budgets()
    if all(s.length - guard < ENTRY_TICKS + budgets[0] for s in mine):
        return None
    hashn, clearn = work(p)
    worst = 0
    # The worst case: requested just after the last instant a chunk could
    # still start in one of its slots, so the reload starts at the next.
    for j in range(len(mine)):
        left = [hashn, clearn, 1]
        prev = mine[j - 1]
        k = j
        start = max(prev.start, prev.start + prev.length - guard - budgets[0])
        if j == 0:
            start -= plan.major_frame
        while True:
            s = mine[k % len(mine)]
            left, t = _slot_fill(s.length - guard, left, budgets)
            if not any(left):
                end = (k // len(mine)) * plan.major_frame + s.start + t
                break
            k += 1
        worst = max(worst, _ceil_div(end - start, plan.major_frame))
    return worst


def check(diag, system, parts, plans):
    """p.reload_frames for every restartable partition; errors for a
    watchdog or restart window too short for it."""
    for p in parts:
        p.reload_frames = None
        if not p.max_restarts or p.hart is None or p.hart >= len(plans):
            continue
        if not any(s.part is p for s in plans[p.hart].slots):
            continue                    # never runs, so never restarts
        n = frames(p, plans[p.hart], system.guard)
        p.reload_frames = n
        detail = "%s package, %s of RAM to clear" % (
            kib(len(p.pkg)), kib(max(p.memory - p.image_size - getattr(p, "initrd_size", 0), 0)))
        if n is None:
            diag.error(("partition", p.id, "max_restarts"),
                       "%s: max_restarts = %d: its slots are too short for even "
                       "one reload chunk (%d ticks after the guard)"
                       % (p.label, p.max_restarts, ENTRY_TICKS + chunk_budgets()[0]),
                       "give it a slot of at least %s, or set max_restarts = 0"
                       % u.fmt_time(system.guard + u.MIN_SLOT_TICKS))
            continue
        if p.watchdog and p.watchdog < n:
            diag.error(("partition", p.id, "watchdog"),
                       "%s: watchdog = %d: shorter than its reload (%d major "
                       "frames: %s), so a restart alone outlasts the longest "
                       "silence the watchdog allows" % (p.label, p.watchdog, n, detail),
                       "set watchdog = %d or more, or give it longer slots" % n)
        if p.restart_window and p.restart_window < n * p.max_restarts:
            diag.error(("partition", p.id, "restart_window"),
                       "%s: restart_window = %d: %d reloads of up to %d major "
                       "frames each (%s) cannot fit in it, so max_restarts "
                       "could never be reached" % (p.label, p.restart_window,
                                                   p.max_restarts, n, detail),
                       "set restart_window = %d or more (or 0: since boot), "
                       "or lower max_restarts" % (n * p.max_restarts))


def kib(n):
    return "%.1f KiB" % (n / 1024)


def summary(parts):
    """One line per restartable partition, for the compiler's output."""
    return ["skc: reload %s: %d major frame%s (%s package, %s RAM)"
            % (p.name, p.reload_frames, "" if p.reload_frames == 1 else "s",
               kib(len(p.pkg)), u.fmt_size(p.memory))
            for p in parts if getattr(p, "reload_frames", None)]
