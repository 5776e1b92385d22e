# SPDX-License-Identifier: MIT
"""Sizes, times, addresses and the constants of the target machine."""

import re

KIB = 1 << 10
MIB = 1 << 20
GIB = 1 << 30
PAGE = 4 * KIB

# The board: QEMU virt under OpenSBI fw_dynamic.
BOARDS = ("qemu-virt", "qemu-virt-nosstc")
BOARD_RAM = 0x80000000      # host-physical base of board RAM
KERNEL_BASE = 0x80200000    # where fw_dynamic jumps; below it is OpenSBI
KERNEL_RESERVE = 4 * MIB    # code, data, stacks, page-table pool
TIMEBASE_HZ = 10_000_000    # 1 tick = 100 ns

# The hart's ISA as the board reports it (QEMU 7.2 virt's default CPU,
# `-M virt,dumpdtb=`; harness/test_linux.py checks it against QEMU) and
# what a partition is told: without h (the kernel's own), keeping only
# what runs unchanged in VS-mode - FP (the kernel swaps f0-f31), Sstc
# (the kernel enables vstimecmp through henvcfg.STCE).
BOARD_ISA = {
    "qemu-virt": "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc",
    "qemu-virt-nosstc": "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs",
}
# The QEMU -cpu a board stands for (qemu.args), where not the default.
BOARD_QEMU_CPU = {"qemu-virt-nosstc": "rv64,sstc=false"}
GUEST_ISA_EXT = ("zicsr", "zifencei", "zihintpause", "zba", "zbb", "zbc", "zbs",
                 "sstc")


def guest_isa(isa):
    """The partition's riscv,isa: the base letters less h, known extensions."""
    base, *exts = isa.split("_")
    return "_".join([base.replace("h", "")] + [e for e in exts if e in GUEST_ISA_EXT])


GUEST_ISA = {b: guest_isa(i) for b, i in BOARD_ISA.items()}

# What every partition sees (guest-physical), as in sk/system.h.
GUEST_RAM = 0x80000000
GUEST_DTB = 0x7fe00000
GUEST_DTB_MAX = GUEST_RAM - GUEST_DTB
GUEST_WIN = 0xc0000000      # shared channel windows

# Limits.
MAX_HARTS = 8
MAX_PARTS = 64
PART_MEM_MIN = 16 * KIB
PART_MEM_MAX = 1 * GIB
BOARD_MEM_MIN = 16 * MIB
BOARD_MEM_ALIGN = 2 * MIB
MIN_SLOT_TICKS = 1000       # 100 us: the shortest slot the kernel honours

# Ranges of times (ticks), so that every sum the kernel forms stays far
# below 2^64: epoch + stop_after + a major frame, frame_start + a slot.
MAX_FRAME_TICKS = 3600 * TIMEBASE_HZ            # a major frame, a slot: 1 hour
MAX_EPOCH_TICKS = 3600 * TIMEBASE_HZ            # the first frame within 1 hour
MAX_RUN_TICKS = 10 * 365 * 86400 * TIMEBASE_HZ  # stop_after: 10 years
MAX_REFRESH_TICKS = 3600 * TIMEBASE_HZ          # a sampling value's validity
BOARD_MEM_MAX = 4 * GIB     # QEMU allocates it all up front on the host
CHAN_MEM_MAX = 2 * MIB      # channel buffers, inside KERNEL_RESERVE
MAX_NESTING = 32            # arrays and inline tables inside each other

U16_MAX = 0xffff
U32_MAX = 0xffffffff
U64_MAX = 0xffffffffffffffff

_SIZE_UNITS = {"": 1, "K": KIB, "M": MIB, "G": GIB}
_SIZE_RE = re.compile(r"^([0-9]+)([KMG]?)$")
_TIME_UNITS = {"us": 10, "ms": 10_000, "s": TIMEBASE_HZ}
_TIME_RE = re.compile(r"^([0-9]+)(us|ms|s)$")


class UnitError(ValueError):
    """A value that does not parse: the reason and a fix."""

    def __init__(self, reason, fix):
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


def align_up(x, a):
    return (x + a - 1) // a * a


def align_down(x, a):
    return x // a * a


def is_int(v):
    """True for a TOML integer (Python's bool is an int: not for us)."""
    return isinstance(v, int) and not isinstance(v, bool)


def parse_size(v):
    """A size: integer bytes or "<n>", "<n>K", "<n>M", "<n>G"."""
    if is_int(v):
        if v < 0:
            raise UnitError("negative size", "use a positive size such as \"256K\"")
        return v
    if not isinstance(v, str):
        raise UnitError("expected a size (integer bytes or a string like \"256K\")",
                "write a size such as \"256K\", \"2M\" or 65536")
    m = _SIZE_RE.match(v.strip())
    if not m:
        return _bad_size(v)
    return int(m.group(1)) * _SIZE_UNITS[m.group(2)]


def _bad_size(v):
    digits = re.match(r"^\s*([0-9]+)", v)
    n = digits.group(1) if digits else "256"
    fix = 'write bytes or "<n>K", "<n>M", "<n>G", e.g. "%sK" or "%sM"' % (n, n)
    raise UnitError("not a size", fix)


def fmt_size(n):
    """The shortest exact spelling of a size: "96K", "2M", "1G" or bytes."""
    for unit in ("G", "M", "K"):
        if n and n % _SIZE_UNITS[unit] == 0:
            return "%d%s" % (n // _SIZE_UNITS[unit], unit)
    return str(n)


def parse_time(v):
    """A time: "<n>us", "<n>ms" or "<n>s"; returns timer ticks."""
    if not isinstance(v, str):
        raise UnitError("expected a time string",
                'write a time such as "500us", "10ms" or "2s"')
    m = _TIME_RE.match(v.strip())
    if not m:
        raise UnitError("not a time",
                'write "<n>us", "<n>ms" or "<n>s" with a whole number, e.g. "500us"')
    return int(m.group(1)) * _TIME_UNITS[m.group(2)]


def fmt_time(ticks):
    """The shortest exact spelling of a tick count: "2ms", "150us"."""
    for unit in ("s", "ms", "us"):
        if ticks and ticks % _TIME_UNITS[unit] == 0:
            return "%d%s" % (ticks // _TIME_UNITS[unit], unit)
    if ticks == 0:
        return "0us"
    return "%d ticks" % ticks


def parse_addr(v):
    """An address: an integer or a string "0x..." (or decimal)."""
    if is_int(v):
        if v < 0:
            raise UnitError("negative address", 'write an address such as "0x81000000"')
        return v
    if not isinstance(v, str):
        raise UnitError("expected an address (\"0x...\" or an integer)",
                'write an address such as "0x81000000"')
    s = v.strip().replace("_", "")
    try:
        if s.lower().startswith("0x"):
            return int(s[2:], 16)
        return int(s, 10)
    except ValueError:
        raise UnitError("not an address",
                'write a hexadecimal address such as "0x81000000"') from None
