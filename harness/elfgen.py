# SPDX-License-Identifier: MIT
"""elfgen - tiny ELF writer for skc's test images, good and bad.

write_images(dir) writes every image the catalogue refers to; run it
as `python3 harness/elfgen.py DIR` to look at them with readelf.
"""

import os
import struct
import sys

EM_RISCV = 243
EM_X86_64 = 62
ET_EXEC = 2
ET_DYN = 3
PT_LOAD = 1
PT_NOTE = 4
PF_X, PF_W, PF_R = 1, 2, 4

RAM = 0x80000000
LOOP = struct.pack("<I", 0x0000006F)     # j . (jal x0, 0)


def seg(paddr, data, memsz=None, flags=PF_R | PF_X, ptype=PT_LOAD):
    """One program header's worth: vaddr = paddr."""
    return dict(type=ptype, paddr=paddr, data=data,
                memsz=len(data) if memsz is None else memsz, flags=flags)


def elf(segments, entry=RAM, cls=64, big=False, machine=EM_RISCV, etype=ET_EXEC):
    """An ELF file image with the given program headers and no sections."""
    e = ">" if big else "<"
    ehsize, phentsize = (64, 56) if cls == 64 else (52, 32)
    phoff = ehsize
    off = phoff + phentsize * len(segments)
    phdrs, body = b"", b""
    for s in segments:
        pad = -off % 16
        body += bytes(pad)
        off += pad
        if cls == 64:
            phdrs += struct.pack(e + "IIQQQQQQ", s["type"], s["flags"], off,
                                 s["paddr"], s["paddr"], len(s["data"]), s["memsz"], 16)
        else:
            phdrs += struct.pack(e + "IIIIIIII", s["type"], off, s["paddr"],
                                 s["paddr"], len(s["data"]), s["memsz"], s["flags"], 16)
        body += s["data"]
        off += len(s["data"])
    ident = b"\x7fELF" + bytes([2 if cls == 64 else 1, 2 if big else 1, 1, 0]) + bytes(8)
    if cls == 64:
        hdr = struct.pack(e + "HHIQQQIHHHHHH", etype, machine, 1, entry, phoff, 0,
                          0, ehsize, phentsize, len(segments), 64, 0, 0)
    else:
        hdr = struct.pack(e + "HHIIIIIHHHHHH", etype, machine, 1, entry, phoff, 0,
                          0, ehsize, phentsize, len(segments), 40, 0, 0)
    return ident + hdr + phdrs + body


def _code():
    return [seg(RAM, LOOP * 4)]


# name -> file contents; the invalid catalogue names these images.
IMAGES = {
    "not_elf.elf": lambda: b"this is a text file, not a program\n",
    "bad_class.elf": lambda: elf(_code(), cls=32),
    "big_endian.elf": lambda: elf(_code(), big=True),
    "x86.elf": lambda: elf(_code(), machine=EM_X86_64),
    "dyn.elf": lambda: elf(_code(), etype=ET_DYN),
    "no_load.elf": lambda: elf([seg(RAM, b"note", ptype=PT_NOTE)]),
    "low_link.elf": lambda: elf([seg(0x40000000, LOOP * 4)], entry=0x40000000),
    "high_link.elf": lambda: elf([seg(0x90000000, LOOP * 4)], entry=0x90000000),
    "bad_entry.elf": lambda: elf(_code(), entry=RAM + 0x100000),
    "entry_in_data.elf": lambda: elf(
        [seg(RAM, LOOP * 4), seg(RAM + 0x1000, b"data" * 4, flags=PF_R | PF_W)],
        entry=RAM + 0x1000),
    "big_bss.elf": lambda: elf([seg(RAM, LOOP * 4, memsz=64 * 1024,
                                    flags=PF_R | PF_W | PF_X)]),
    # Good: code, a gap, data with a zero tail (bss) - for the flat image.
    "gapped.elf": lambda: elf([
        seg(RAM, LOOP * 8),
        seg(RAM + 0x3000, bytes(range(1, 200)), memsz=0x2000, flags=PF_R | PF_W)]),
    # OS partitions: raw RISC-V Linux Images (header only, a loop for code),
    # flat binaries and initramfs files.
    "tiny.Image": lambda: linux_image(0x200000, 0x100000),
    "odd.Image": lambda: linux_image(0x200010, 0x100000),
    "flat.bin": lambda: LOOP * 4,
    "empty.cpio": lambda: b"",
    "small.cpio": lambda: b"070701" + bytes(506),
    "big.cpio": lambda: b"070701" + bytes(300 * 1024),
    # Linked above the RAM base, like U-Boot: no gap is packaged.
    "above.elf": lambda: elf([seg(RAM + 0x200000, LOOP * 4)], entry=RAM + 0x200000),
}


def linux_image(text_offset, image_size):
    """A 64-byte RISC-V Image header (magic "RISCV" at 0x30), then code."""
    hdr = struct.pack("<IIQQQIIQ8sI4s", 0x0000006f, 0, text_offset, image_size,
                      0, 2, 0, 0, b"RISCV\0\0\0", 0x05435352, b"\0" * 4)
    return hdr + LOOP * 4


def write_images(outdir):
    """Write every image into outdir; returns {name: path}."""
    os.makedirs(outdir, exist_ok=True)
    paths = {}
    for name, make in IMAGES.items():
        paths[name] = os.path.join(outdir, name)
        with open(paths[name], "wb") as f:
            f.write(make())
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: elfgen.py DIR")
    for path in write_images(sys.argv[1]).values():
        print(path)
