# SPDX-License-Identifier: MIT
"""A minimal ELF reader: enough to check and flatten a partition image."""

import struct
from dataclasses import dataclass

EM_RISCV = 243
ET_EXEC = 2
PT_LOAD = 1
PF_X = 1

_ET_NAMES = {0: "ET_NONE", 1: "ET_REL", 2: "ET_EXEC", 3: "ET_DYN", 4: "ET_CORE"}
_EM_NAMES = {3: "x86", 40: "ARM", 62: "x86-64", 183: "AArch64", 243: "RISC-V"}

LINK_FIX = ("link it at 0x80000000 (the partition SDK's linker script, "
            "or -Wl,-Ttext=0x80000000)")
BUILD_FIX = ("build it with riscv64-unknown-elf-gcc -march=rv64imac -mabi=lp64 "
             "-mcmodel=medany")


class ElfError(Exception):
    """The file is not an image we can load: the reason and a fix."""

    def __init__(self, reason, fix):
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


@dataclass
class Segment:
    paddr: int
    vaddr: int
    filesz: int
    memsz: int
    flags: int
    data: bytes


@dataclass
class Image:
    entry: int
    segments: list         # PT_LOAD segments with memsz > 0


def parse(blob):
    """Parse a little-endian ELF64 RISC-V executable, or raise ElfError."""
    if len(blob) < 16 or blob[:4] != b"\x7fELF":
        head = blob[:4]
        raise ElfError("not an ELF file (it starts with %r)" % head,
                       "point image at the linked partition ELF, not a source, "
                       "text or raw binary file")
    if blob[4] == 1:
        raise ElfError("ELFCLASS32: a 32-bit ELF, but partitions are RV64", BUILD_FIX)
    if blob[4] != 2:
        raise ElfError("unknown ELF class %d" % blob[4], BUILD_FIX)
    if blob[5] == 2:
        raise ElfError("a big-endian ELF (ELFDATA2MSB), RISC-V is little-endian",
                       BUILD_FIX)
    if blob[5] != 1:
        raise ElfError("unknown ELF data encoding %d" % blob[5], BUILD_FIX)
    if len(blob) < 64:
        raise ElfError("truncated ELF header", "rebuild the image")
    (e_type, e_machine, _, e_entry, e_phoff, _, _, _, e_phentsize,
     e_phnum) = struct.unpack_from("<HHIQQQIHHH", blob, 16)
    if e_machine != EM_RISCV:
        raise ElfError("e_machine %d (%s), not RISC-V (%d)" %
                       (e_machine, _EM_NAMES.get(e_machine, "unknown"), EM_RISCV),
                       BUILD_FIX)
    if e_type != ET_EXEC:
        raise ElfError("%s (%d), not an executable (ET_EXEC)" %
                       (_ET_NAMES.get(e_type, "type"), e_type),
                       "link it statically without -pie or -shared; " + LINK_FIX)
    if e_phnum and (e_phentsize < 56 or e_phoff + e_phnum * e_phentsize > len(blob)):
        raise ElfError("truncated program header table", "rebuild the image")
    segs = []
    for n in range(e_phnum):
        (p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz,
         p_memsz, _) = struct.unpack_from("<IIQQQQQQ", blob, e_phoff + n * e_phentsize)
        if p_type != PT_LOAD or p_memsz == 0:
            continue
        if p_filesz > p_memsz or p_offset + p_filesz > len(blob):
            raise ElfError("PT_LOAD segment %d has a bad size or offset" % n,
                           "rebuild the image")
        segs.append(Segment(p_paddr, p_vaddr, p_filesz, p_memsz, p_flags,
                            bytes(blob[p_offset:p_offset + p_filesz])))
    if not segs:
        raise ElfError("no PT_LOAD segment: nothing to load",
                       "link it as an ordinary executable with code in .text")
    return Image(e_entry, segs)
