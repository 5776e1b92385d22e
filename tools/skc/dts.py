# SPDX-License-Identifier: MIT
"""Per-partition device trees: fill dts/partition.dts.in, run dtc."""

import os
import string
import subprocess

from . import units as u

TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "..", "..", "dts", "partition.dts.in")


class DtsError(Exception):
    pass


def _quote(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def render(template, system, part, channels=()):
    """The DTS text of one partition."""
    args = ""
    for k, v in part.args.items():
        if isinstance(v, str):
            args += "\t\t%s = %s;\n" % (k, _quote(v))
        else:
            args += "\t\t%s = /bits/ 64 <0x%x>;\n" % (k, v)
    text = string.Template(template).substitute(
        name=part.name,
        id=part.id,
        system=system.name,
        timebase=u.TIMEBASE_HZ,
        mem_hi="0x%x" % (part.memory >> 32),
        mem_lo="0x%x" % (part.memory & 0xffffffff),
        args=args,
        isa=u.GUEST_ISA.get(system.board or "qemu-virt", u.GUEST_ISA["qemu-virt"]),
        chosen=_render_chosen(part),
        channels=_render_channels(part, channels))
    return text + _render_uart(part) + _render_plic(part)


def _render_chosen(part):
    """/chosen: bootargs and where the initramfs was put (as Linux reads them)."""
    s = ""
    if getattr(part, "bootargs", None) is not None:
        s += "\t\tbootargs = %s;\n" % _quote(part.bootargs)
    if getattr(part, "initrd_data", None):
        start = u.GUEST_RAM + part.initrd_load
        s += "\t\tlinux,initrd-start = /bits/ 64 <0x%x>;\n" % start
        s += "\t\tlinux,initrd-end = /bits/ 64 <0x%x>;\n" % (
            start + len(part.initrd_data))
    return s


def _render_channels(part, channels):
    """The /channels node: one subnode per grant, named after the channel."""
    ports = getattr(part, "ports", [])
    if not ports:
        return ""
    s = "\tchannels {\n\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n"
    for i, port in enumerate(ports):
        c = port.chan
        s += "\n\t\t%s {\n" % c.name
        s += "\t\t\tid = <%d>;\n" % i
        s += "\t\t\tkind = %s;\n" % _quote(c.kind)
        s += "\t\t\tdirection = %s;\n" % _quote(port.dir)
        s += "\t\t\tpeer = %s;\n" % _quote(
            (c.writer.name if c.writer else "sk") if port.dir == "receive"
            else ",".join(r.name for r in c.readers))
        if c.kind in ("queuing", "sampling"):
            s += "\t\t\tmsg-size = <%d>;\n" % c.msg_size
        if c.kind == "queuing":
            s += "\t\t\tdepth = <%d>;\n" % c.depth
        if c.kind == "sampling":
            s += "\t\t\trefresh = /bits/ 64 <%d>;\n" % c.refresh
        if c.kind == "shared":
            s += "\t\t\treg = <0x%x 0x%x 0x%x 0x%x>;\n" % (
                port.win_gpa >> 32, port.win_gpa & 0xffffffff,
                c.size >> 32, c.size & 0xffffffff)
            s += "\t\t\tread-only;\n" if port.dir == "receive" else ""
        if getattr(part, "plic", False):        # its doorbell
            s += "\t\t\tinterrupts-extended = <&vplic %d>;\n" % (
                PLIC_SRC_DOORBELL + i)
        s += "\t\t};\n"
    return s + "\t};\n"


# The virtual 16550 (sepkernel/core/vuart.c): byte registers at offsets
# 0..7 of an unmapped page; QEMU virt's address and clock, so drivers
# written for that board (U-Boot, Linux's 8250) find what they expect.
UART_BASE = 0x10000000
UART_CLOCK = 3686400


def _render_uart(part):
    """With uart = true: a serial node and /chosen/stdout-path.

    A second root block, which dtc merges into the first: the template's
    /chosen stays whatever else fills it (bootargs, initrd)."""
    if not getattr(part, "uart", False):
        return ""
    node = "/soc/serial@%x" % UART_BASE
    return ("\n/ {\n\taliases {\n\t\tserial0 = \"%s\";\n\t};\n\n"
            "\tchosen {\n\t\tstdout-path = \"%s\";\n\t};\n\n"
            "\tsoc {\n\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n"
            "\t\tcompatible = \"simple-bus\";\n\t\tranges;\n\n"
            "\t\tserial@%x {\n\t\t\tcompatible = \"ns16550a\";\n"
            "\t\t\treg = <0x0 0x%x 0x0 0x100>;\n"
            "\t\t\tclock-frequency = <%d>;\n"
            "\t\t\treg-shift = <0>;\n\t\t\treg-io-width = <1>;\n%s"
            "\t\t};\n\t};\n};\n" % (
                node, node, UART_BASE, UART_BASE, UART_CLOCK,
                "\t\t\tinterrupts-extended = <&vplic %d>;\n" % PLIC_SRC_UART
                if getattr(part, "plic", False) else ""))


# The virtual PLIC (sepkernel/core/vplic.c): QEMU virt's address, one
# context (the hart's supervisor external interrupt, cpu-intc line 9).
# Source 1 is the virtual UART, source 2 + i the doorbell of grant i.
PLIC_BASE = 0x0c000000
PLIC_SIZE = 0x4000000
PLIC_SRC_UART = 1
PLIC_SRC_DOORBELL = 2


def _render_plic(part):
    """With plic = true: a sifive,plic-1.0.0 node that Linux drives as is."""
    if not getattr(part, "plic", False):
        return ""
    ndev = PLIC_SRC_DOORBELL + len(getattr(part, "ports", [])) - 1
    return ("\n/ {\n\tsoc {\n\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n"
            "\t\tcompatible = \"simple-bus\";\n\t\tranges;\n\n"
            "\t\tvplic: interrupt-controller@%x {\n"
            "\t\t\tcompatible = \"sifive,plic-1.0.0\";\n"
            "\t\t\treg = <0x0 0x%x 0x0 0x%x>;\n"
            "\t\t\t#address-cells = <0>;\n\t\t\t#interrupt-cells = <1>;\n"
            "\t\t\tinterrupt-controller;\n"
            "\t\t\tinterrupts-extended = <&cpu0_intc 9>;\n"
            "\t\t\triscv,ndev = <%d>;\n"
            "\t\t};\n\t};\n};\n" % (PLIC_BASE, PLIC_BASE, PLIC_SIZE, ndev))


def compile_dts(text):
    """DTS text -> DTB bytes, by dtc; raises DtsError with dtc's words."""
    try:
        r = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", "-", "-"],
                           input=text.encode(), capture_output=True, check=False)
    except OSError as e:
        raise DtsError("cannot run dtc: %s" % e.strerror) from None
    if r.returncode != 0 or not r.stdout:
        msg = r.stderr.decode(errors="replace").strip().replace("\n", " | ")
        raise DtsError("dtc failed (exit %d): %s" % (r.returncode, msg))
    return r.stdout
