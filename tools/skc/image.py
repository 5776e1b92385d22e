# SPDX-License-Identifier: MIT
"""Finding partition images and checking them against their partition."""

import os
import struct

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


LINUX_MAGIC = b"RISCV\0\0\0"     # a raw RISC-V Linux Image: at 0x30
LINUX_HDR = 64


def _fmt_load(off):
    return '"0x%x"' % off


def load_image(blob, p):
    """(kind, Image, load offset, flat bytes) for an ELF, a raw Linux Image
    or a flat binary (with p.load); raises ElfError with a reason and a fix."""
    if blob[:4] == b"\x7fELF":
        if p.load is not None:
            raise elf.ElfError("load = %s is given, but the image is an ELF file, "
                               "which says where it goes" % _fmt_load(p.load),
                               "remove load (it is for flat binaries only)")
        img = elf.parse(blob)
        return "elf", img, None, None
    if len(blob) >= LINUX_HDR and blob[0x30:0x38] == LINUX_MAGIC:
        if p.load is not None:
            raise elf.ElfError("load = %s is given, but the image is a RISC-V Linux "
                               "Image, whose header says where it goes"
                               % _fmt_load(p.load),
                               "remove load (it is for flat binaries only)")
        text_offset, image_size = struct.unpack_from("<QQ", blob, 0x08)
        if text_offset % u.PAGE or image_size == 0:
            raise elf.ElfError("a Linux Image header with text_offset 0x%x and "
                               "image_size 0x%x" % (text_offset, image_size),
                               "rebuild the kernel (make linux)")
        size = max(image_size, len(blob))
        seg = elf.Segment(u.GUEST_RAM + text_offset, u.GUEST_RAM + text_offset,
                          len(blob), size, elf.PF_X, bytes(blob))
        return "linux", elf.Image(u.GUEST_RAM + text_offset, [seg]), text_offset, blob
    if p.load is None:
        raise elf.ElfError("not an ELF file, nor a RISC-V Linux Image (it starts "
                           "with %r)" % blob[:4],
                           "point image at the linked partition ELF or a Linux "
                           "Image; for a flat binary give load = \"0x200000\" (its "
                           "offset in the partition's RAM)")
    if p.load % u.PAGE:
        raise elf.ElfError("load = %s is not page-aligned (4K)" % _fmt_load(p.load),
                           "use load = %s" % _fmt_load(u.align_up(p.load, u.PAGE)))
    if not blob:
        raise elf.ElfError("an empty flat binary", "rebuild the image")
    seg = elf.Segment(u.GUEST_RAM + p.load, u.GUEST_RAM + p.load, len(blob),
                      len(blob), elf.PF_X, bytes(blob))
    return "flat", elf.Image(u.GUEST_RAM + p.load, [seg]), p.load, bytes(blob)


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
                fix = ("run `make partitions` (`make linux` for a Linux Image), "
                       "or give a path relative to the config file")
            diag.error(path, "%s: file not found (looked in %s)" % (what, dirs), fix)
            continue
        p.image_path = found[0]
        try:
            with open(p.image_path, "rb") as f:
                kind, img, load, flat = load_image(f.read(), p)
        except OSError as e:
            diag.error(path, "%s: cannot read %s: %s" % (what, p.image_path, e.strerror),
                       "check the file's permissions")
            continue
        except elf.ElfError as e:
            where = ("partition", p.id, "load") if "load =" in e.reason else path
            diag.error(where, "%s: %s: %s" % (what, p.image_path, e.reason), e.fix)
            continue
        if _check_fit(diag, p, img, path, what, kind):
            p.kind = kind
            p.elf = img
            if flat is None:
                load, flat = flatten(img)
            p.load, p.flat = load, flat
            p.image_end = max(s.paddr + s.memsz for s in img.segments) - u.GUEST_RAM


def _check_fit(diag, p, img, path, what, kind="elf"):
    """Every segment inside [0x80000000, +memory); entry in loaded code."""
    if kind != "elf":
        s = img.segments[0]
        end = s.paddr + s.memsz
        if p.memory is not None and end > u.GUEST_RAM + p.memory:
            how = ("text_offset 0x%x + image_size 0x%x from its header"
                   % (s.paddr - u.GUEST_RAM, s.memsz) if kind == "linux" else
                   "load 0x%x + %d bytes" % (s.paddr - u.GUEST_RAM, s.memsz))
            diag.error(path, "%s: the image needs [0x%x, 0x%x) (%s): too big for "
                       "its RAM [0x%x, 0x%x)" % (what, s.paddr, end, how, u.GUEST_RAM,
                                                 u.GUEST_RAM + p.memory),
                       'set memory = "%s" or more' % u.fmt_size(
                           u.align_up(end - u.GUEST_RAM, u.MIB)))
            return False
        return True
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
    """(load, flat): the image from its lowest page (offset load into its
    RAM) to its last file byte, gaps between segments zero.  An ELF
    linked above the RAM base (U-Boot at 0x80200000) carries no gap
    below it: the kernel zeroes the RAM the package does not cover."""
    low = u.align_down(min(s.paddr for s in img.segments), u.PAGE)
    top = max((s.paddr + s.filesz for s in img.segments if s.filesz), default=low)
    flat = bytearray(max(top - low, 0))
    for s in img.segments:
        off = s.paddr - low
        flat[off:off + s.filesz] = s.data
    return low - u.GUEST_RAM, bytes(flat)


def check_initrds(diag, parts, config_dir, search_dirs):
    """initrd = "file": found like an image, placed at the top of its RAM
    (page aligned), never over the image and its bss."""
    for p in parts:
        if p.initrd is None:
            continue
        path = ("partition", p.id, "initrd")
        what = "%s: initrd = %s" % (p.label, fmt_value(p.initrd))
        found = [f for f in search_path(config_dir, search_dirs, p.initrd)
                 if os.path.isfile(f)]
        if not found:
            where = search_path(config_dir, search_dirs, p.initrd)
            dirs = ", ".join(os.path.dirname(f) or "." for f in where)
            diag.error(path, "%s: file not found (looked in %s)" % (what, dirs),
                       "run `make linux` for build/partitions/linux.cpio, or give "
                       "a path relative to the config file")
            continue
        try:
            with open(found[0], "rb") as f:
                data = f.read()
        except OSError as e:
            diag.error(path, "%s: cannot read %s: %s" % (what, found[0], e.strerror),
                       "check the file's permissions")
            continue
        if not data:
            diag.error(path, "%s: %s is empty" % (what, found[0]),
                       "rebuild the initramfs (make linux), or remove initrd")
            continue
        if p.memory is None or p.image_end is None:
            continue
        need = u.align_up(p.image_end, u.PAGE) + u.align_up(len(data), u.PAGE)
        if need > p.memory:
            diag.error(path, "%s: %s (%d bytes) does not fit in its RAM above the "
                       "image, which ends at 0x%x (memory = \"%s\")"
                       % (what, found[0], len(data), u.GUEST_RAM + p.image_end,
                          u.fmt_size(p.memory)),
                       'set memory = "%s" or more, or make the initramfs smaller'
                       % u.fmt_size(u.align_up(need + need // 2, u.MIB)))
            continue
        p.initrd_path = found[0]
        p.initrd_data = data
        p.initrd_load = u.align_down(p.memory - len(data), u.PAGE)
