# SPDX-License-Identifier: MIT
"""Finding partition images and checking them against their partition."""

import os

from . import elf
from . import units as u
from .diag import fmt_value


def search_path(config_dir, search_dirs, image):
    """The candidate files for image, in lookup order."""
    if os.path.isabs(image):
        return [image]
    if "/" in image:
        return [os.path.join(config_dir, image)]
    return [os.path.join(d, image) for d in [config_dir] + list(search_dirs)]


def check_images(diag, parts, config_dir, search_dirs):
    """Locate, parse and check every image; flatten the good ones."""
    for p in parts:
        if p.image is None:
            continue
        path = ("partition", p.id, "image")
        what = "%s: image = %s" % (p.label, fmt_value(p.image))
        found = [f for f in search_path(config_dir, search_dirs, p.image)
                 if os.path.isfile(f)]
        dirs_only = [f for f in search_path(config_dir, search_dirs, p.image)
                     if os.path.isdir(f)]
        if not found and dirs_only:
            diag.error(path, "%s: %s is a directory, not an image file" %
                       (what, dirs_only[0]),
                       'name the ELF file itself, e.g. image = "%s"' %
                       os.path.join(p.image.rstrip("/"), (p.name or "hello") + ".elf"))
            continue
        if not found:
            where = search_path(config_dir, search_dirs, p.image)
            dirs = ", ".join(os.path.dirname(f) or "." for f in where)
            if os.path.isabs(p.image) and p.image.startswith("/usr/"):
                fix = ("install the Debian package that provides it "
                       "(tools/install-deps.sh installs u-boot-qemu)")
            else:
                fix = ("run `make partitions`, or give a path relative to the "
                       "config file")
            diag.error(path, "%s: file not found (looked in %s)" % (what, dirs), fix)
            continue
        p.image_path = found[0]
        try:
            with open(p.image_path, "rb") as f:
                img = elf.parse(f.read())
        except OSError as e:
            diag.error(path, "%s: cannot read %s: %s" % (what, p.image_path, e.strerror),
                       "check the file's permissions")
            continue
        except elf.ElfError as e:
            diag.error(path, "%s: %s: %s" % (what, p.image_path, e.reason), e.fix)
            continue
        if _check_fit(diag, p, img, path, what):
            p.elf = img
            p.flat = flatten(img)


def _check_fit(diag, p, img, path, what):
    """Every segment inside [0x80000000, +memory); entry in loaded code."""
    ok = True
    low = [s for s in img.segments if s.paddr < u.GUEST_RAM]
    if low:
        s = low[0]
        diag.error(path, "%s: a PT_LOAD segment is at 0x%x, below guest RAM at 0x%x" %
                   (what, s.paddr, u.GUEST_RAM), elf.LINK_FIX)
        return False
    end = max(s.paddr + s.memsz for s in img.segments)
    need = u.align_up(end - u.GUEST_RAM, u.PAGE)
    if p.memory is not None and end > u.GUEST_RAM + p.memory:
        ram_end = u.GUEST_RAM + p.memory
        outside = [s for s in img.segments if s.paddr >= ram_end]
        if outside:
            reason = ("a PT_LOAD segment at 0x%x lies outside its RAM [0x%x, 0x%x); "
                      "it needs [0x%x, 0x%x)" % (outside[0].paddr, u.GUEST_RAM, ram_end,
                                                 u.GUEST_RAM, end))
        else:
            reason = ("its loaded size %s (up to 0x%x) leaves no room in memory = \"%s\""
                      % (u.fmt_size(need), end, u.fmt_size(p.memory)))
        sizes = 'set memory = "%s" or more' % u.fmt_size(max(need, u.PART_MEM_MIN))
        first = min(s.paddr for s in img.segments)
        if first >= ram_end or first - u.GUEST_RAM >= u.MIB:
            # Linked elsewhere, not merely too big: more memory is not the cure.
            sizes = elf.LINK_FIX
        elif need > u.PART_MEM_MAX:
            sizes = "shrink the image or " + elf.LINK_FIX
        diag.error(path, "%s: %s" % (what, reason), sizes)
        ok = False
    code = [s for s in img.segments
            if s.flags & elf.PF_X and s.paddr <= img.entry < s.paddr + s.filesz]
    if not code:
        diag.error(path, "%s: entry point 0x%x is not inside a loaded executable segment"
                   % (what, img.entry),
                   "put the entry symbol (_start) in .text and " + elf.LINK_FIX)
        ok = False
    return ok


def flatten(img):
    """The flat image for GPA 0x80000000: file bytes at p_paddr, gaps zero."""
    size = max((s.paddr + s.filesz for s in img.segments if s.filesz),
               default=u.GUEST_RAM) - u.GUEST_RAM
    flat = bytearray(size)
    for s in img.segments:
        off = s.paddr - u.GUEST_RAM
        flat[off:off + s.filesz] = s.data
    return bytes(flat)
