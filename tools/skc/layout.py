# SPDX-License-Identifier: MIT
"""Packages, the kernel's reserve, host-physical placement, the pool.

Host-physical map of the board:
  [0x80000000, 0x80200000)     OpenSBI
  [0x80200000, kernel_limit)   the kernel image: code, data, stacks,
                               page-table pool and every package
  [kernel_limit, RAM end)      partition RAM, explicit phys first,
                               the rest placed upward in config order

kernel_limit depends on the package sizes, and a package holds its
partition's ram_hpa (in its config text), so the two are iterated to
a fixed point; it is reached at once unless a size crosses a page.
"""

import hashlib
import json

from . import dts
from . import units as u
from .diag import fmt_value


def pad(blob, align=u.PAGE):
    return blob + bytes(u.align_up(len(blob), align) - len(blob))


def cfg_entry(p):
    """The fully resolved config entry that a package carries."""
    return {
        "name": p.name, "id": p.id, "hart": p.hart, "memory": p.memory,
        "ram_hpa": p.ram_hpa, "entry": p.elf.entry, "on_fault": p.on_fault,
        "max_restarts": p.max_restarts, "restart_window": p.restart_window,
        "watchdog": p.watchdog, "critical": p.critical,
        "system_rights": p.system_rights, "args": p.args,
        "image_blake2b": hashlib.blake2b(p.flat).hexdigest(),
        "image_load": p.load, "delegate_faults": p.delegate_faults,
        "initrd_load": p.initrd_load,
        "initrd_blake2b": (hashlib.blake2b(p.initrd_data).hexdigest()
                           if p.initrd_data else None),
    }


def make_package(p):
    """Fill p.cfg, p.pkg and the offsets from p.flat, p.dtb, p.ram_hpa."""
    p.cfg = json.dumps(cfg_entry(p), sort_keys=True, separators=(",", ":")).encode()
    img = pad(p.flat)
    rd = pad(p.initrd_data or b"")
    dtb = pad(p.dtb)
    p.image_size = len(p.flat)
    p.initrd_off, p.initrd_size = len(img), len(p.initrd_data or b"")
    p.dtb_off, p.dtb_size = len(img) + len(rd), len(p.dtb)
    p.cfg_off, p.cfg_size = p.dtb_off + len(dtb), len(p.cfg)
    # No padding after the config entry: every byte of a package is hashed
    # at each boot and restart, so none is wasted on zeros.
    p.pkg = img + rd + dtb + p.cfg
    # The one digest the kernel prints in event=verified and the build
    # signs (tools/sksign.py: Ed25519 over a prefix and this digest).
    p.blake2b = hashlib.blake2b(p.pkg).hexdigest()


def kernel_limit(parts):
    total = sum(u.align_up(len(p.pkg), u.PAGE) for p in parts)   # blobs.S aligns each
    return u.align_up(u.KERNEL_BASE + u.KERNEL_RESERVE + total, 2 * u.MIB)


def pool_pages(p):
    """G-stage tables of one partition: 16K root + one page per 1G and 2M region."""
    ranges = [(u.GUEST_RAM, u.GUEST_RAM + p.memory),
              (u.GUEST_DTB, u.GUEST_DTB + u.align_up(p.dtb_size, u.PAGE))]
    ranges += [(w.win_gpa, w.win_gpa + w.chan.size)
               for w in getattr(p, "ports", ()) if w.win_gpa]
    gigs, megs = set(), set()
    for lo, hi in ranges:
        gigs.update(range(lo >> 30, ((hi - 1) >> 30) + 1))
        megs.update(range(lo >> 21, ((hi - 1) >> 21) + 1))
    return 4 + len(gigs) + len(megs)


def build(diag, system, parts, channels):
    """Device trees, packages and placement; returns kernel_limit or None."""
    with open(dts.TEMPLATE) as f:
        template = f.read()
    for p in parts:
        p.dts = dts.render(template, system, p, channels)
        try:
            p.dtb = dts.compile_dts(p.dts)
        except dts.DtsError as e:
            diag.error(("partition", p.id), "%s: device tree: %s" % (p.label, e),
                       "check the partition's args; otherwise report an skc bug")
            continue
        if u.align_up(len(p.dtb), u.PAGE) > u.GUEST_DTB_MAX:
            diag.error(("partition", p.id, "args"),
                       "%s: device tree of %d bytes exceeds its %s window" %
                       (p.label, len(p.dtb), u.fmt_size(u.GUEST_DTB_MAX)),
                       "shorten the args")
            p.dtb = None
    if any(p.dtb is None for p in parts):
        return None

    for p in parts:
        p.ram_hpa = 0
        make_package(p)
    limit = kernel_limit(parts)
    for _ in range(8):
        if not _place(diag, system, parts, limit, report=False):
            break
        for p in parts:
            make_package(p)
        new = kernel_limit(parts)
        if new == limit:
            break
        limit = new
    if not _check_reserve(diag, system, parts, limit):
        return None
    if not _place(diag, system, parts, limit, report=True):
        return None
    if not _place_windows(diag, system, parts, channels):
        return None
    for p in parts:
        make_package(p)
    assert kernel_limit(parts) == limit, "kernel_limit did not converge"
    return limit


def _check_reserve(diag, system, parts, limit):
    """Explicit phys above the reserve; everything fits in board RAM."""
    ok = True
    for p in parts:
        if p.phys is not None and p.phys < limit:
            diag.error(("partition", p.id, "phys"),
                       '%s: phys = "0x%x": inside the kernel\'s reserve [0x%x, 0x%x) '
                       "(OpenSBI, the kernel and all packages)" %
                       (p.label, p.phys, u.BOARD_RAM, limit),
                       'use phys = "0x%x" or higher, or remove phys' % limit)
            ok = False
    reserve = limit - u.BOARD_RAM
    mem = sum(p.memory for p in parts) + sum(
        c.size for c in _windows(parts) if c.size)
    need = reserve + mem
    if need > system.memory:
        diag.error(("system", "memory"),
                   "system: memory = %s: too small: the kernel's reserve (%s, up to "
                   "0x%x) and the partitions (%s) need %s, %s more than the board has"
                   % (fmt_value(u.fmt_size(system.memory)), u.fmt_size(reserve), limit,
                      u.fmt_size(mem), u.fmt_size(need), u.fmt_size(need - system.memory)),
                   'use memory = "%s" or more, or give the partitions less memory'
                   % u.fmt_size(u.align_up(need, u.BOARD_MEM_ALIGN)))
        ok = False
    return ok


def _windows(parts):
    seen = []
    for p in parts:
        for w in getattr(p, "ports", ()):
            if w.win_gpa and w.chan not in seen:
                seen.append(w.chan)
    return seen


def _place_windows(diag, system, parts, channels):
    """Shared windows go above every partition's RAM."""
    cursor = max(p.ram_hpa + p.memory for p in parts)
    ram_end = u.BOARD_RAM + system.memory
    for c in _windows(parts):
        align = 2 * u.MIB if c.size % (2 * u.MIB) == 0 else u.PAGE
        c.win_hpa = u.align_up(cursor, align)
        cursor = c.win_hpa + c.size
        if cursor > ram_end:
            diag.error(("channel", c.id, "size"),
                       '%s: size = "%s": no room left in board RAM for the window'
                       % (c.label, u.fmt_size(c.size)),
                       "raise [system] memory or make the window smaller")
            return False
    return True


def _place(diag, system, parts, limit, report):
    """Set p.ram_hpa: explicit phys as given, the rest upward from limit."""
    ram_end = u.BOARD_RAM + system.memory
    fixed = [(p.phys, p.phys + p.memory) for p in parts if p.phys is not None]
    cursor = limit
    ok = True
    for p in parts:
        if p.phys is not None:
            p.ram_hpa = p.phys
            continue
        align = 2 * u.MIB if p.memory % (2 * u.MIB) == 0 else u.PAGE
        a = u.align_up(cursor, align)
        while True:
            hit = [hi for lo, hi in fixed if a < hi and lo < a + p.memory]
            if not hit:
                break
            a = u.align_up(max(hit), align)
        if a + p.memory > ram_end:
            if report:
                diag.error(("partition", p.id, "memory"),
                           "%s: memory = \"%s\": no room left in board RAM: placed at "
                           "0x%x it would end at 0x%x, past 0x%x" %
                           (p.label, u.fmt_size(p.memory), a, a + p.memory, ram_end),
                           "raise [system] memory, or move or remove explicit phys "
                           "placements")
            ok = False
            a = ram_end     # keep the iteration going with a plausible value
        p.ram_hpa = a
        cursor = a + p.memory
    return ok
