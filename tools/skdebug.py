#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""skdebug.py - boot a built system halted under QEMU's gdb stub and
attach gdb-multiarch with the kernel's symbols and one partition's.

    tools/skdebug.py --layout build/demo/layout.json --image build/demo/image.elf
                     [--part beta] [--batch cmds.gdb] [--timeout 60]

(`make debug CONFIG=... [PART=name]` runs it.)  QEMU listens on a free
TCP port the system picks (never a fixed :1234), its console goes to
build/<sys>/debug-console.log.  QEMU runs without -icount here: QEMU 7.2
does not step past a breakpoint under -icount (the same breakpoint hits
for ever), so slots take host time.

Every partition is linked at guest-physical 0x80000000, so a plain
breakpoint on a partition function stops in every partition running that
code (and in OpenSBI, which sits at host-physical 0x80000000).  The
kernel gives partition N the VMID N+1 in hgatp, the register that
selects its G-stage table, and QEMU's stub shows hgatp while a guest
runs; the gdb command this script defines,

    pbreak LOCATION      a breakpoint that stops only in the chosen partition

checks it (VMID and V=1) each time the address is reached; `sk-where`
says which partition (or the kernel, or OpenSBI) the CPU is in.
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

FW = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
QEMU = "qemu-system-riscv64"
GDB = "gdb-multiarch"

GDB_SCRIPT = r'''
import gdb

SK_PARTS = %(parts)r          # vmid -> name
SK_VMID = %(vmid)r            # the chosen partition's VMID, or None


def sk_current():
    """Who runs now: a partition's name, "kernel" or "OpenSBI"."""
    priv = int(gdb.parse_and_eval("$priv")) & 0xff
    hgatp = int(gdb.parse_and_eval("$hgatp")) & (2**64 - 1)
    vmid = (hgatp >> 44) & 0x3fff
    if priv == 3:
        return "OpenSBI", None
    # QEMU's $priv does not show V: in HS the PC is a kernel address.
    pc = int(gdb.parse_and_eval("$pc")) & (2**64 - 1)
    if %(klo)d <= pc < %(khi)d:
        return "kernel", None
    return SK_PARTS.get(vmid, "vmid %%d" %% vmid), vmid


class PartBreak(gdb.Breakpoint):
    """Stops only when the chosen partition reaches the location."""

    def __init__(self, spec, vmid):
        super().__init__(spec)
        self.vmid = vmid

    def stop(self):
        who, vmid = sk_current()
        return vmid == self.vmid


class PBreak(gdb.Command):
    """pbreak LOCATION: break at LOCATION in the chosen partition only."""

    def __init__(self):
        super().__init__("pbreak", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        if SK_VMID is None:
            raise gdb.GdbError("no partition chosen: make debug PART=name")
        b = PartBreak(arg, SK_VMID)
        print("breakpoint %%d: %%s, only in partition %%s (VMID %%d)" %%
              (b.number, arg, SK_PARTS[SK_VMID], SK_VMID))


class Where(gdb.Command):
    """sk-where: which partition (or the kernel, or OpenSBI) runs now."""

    def __init__(self):
        super().__init__("sk-where", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        who, vmid = sk_current()
        print("in %%s%%s" %% (who, " (VMID %%d)" %% vmid if vmid else ""))


PBreak()
Where()
gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("target remote 127.0.0.1:%(port)d")
%(symbols)s
print("sepkernel: stopped at the first instruction; console in %(console)s")
print("sepkernel: `pbreak LOCATION` stops only in %(chosen)s; `sk-where` says who runs")
'''


def free_port():
    """A TCP port nobody listens on now (the kernel picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    """Is something listening on 127.0.0.1:port?  From /proc/net/tcp, so
    that nothing connects to QEMU's stub before gdb does (a first client
    that leaves would let the halted system run)."""
    try:
        with open("/proc/net/tcp") as f:
            rows = [l.split() for l in f.readlines()[1:]]
    except OSError:
        return True                     # no /proc: assume QEMU is quick
    want = "0100007F:%04X" % port
    return any(r[1] == want and r[3] == "0A" for r in rows)  # 0A: LISTEN


def start_qemu(qemu_for, wait=20.0):
    """Start QEMU with its gdb stub on a free port and wait until it
    listens; if the port was taken meanwhile (QEMU exits), try another.
    Returns (process, port)."""
    for _ in range(5):
        port = free_port()
        q = subprocess.Popen(qemu_for(port), stdin=subprocess.DEVNULL)
        end = time.monotonic() + wait
        while q.poll() is None and not listening(port) and time.monotonic() < end:
            time.sleep(0.05)
        if q.poll() is None:
            return q, port
    raise SystemExit("skdebug: QEMU exited five times (its message is above), "
                     "or no gdb port could be opened")


def kernel_range(image):
    """[lo, hi) of the kernel's text, from its ELF symbols."""
    out = subprocess.run(["riscv64-unknown-elf-nm", image], capture_output=True,
                         text=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3:
            syms[f[2]] = int(f[0], 16)
    return syms.get("__kernel_start", 0x80200000), syms.get("__text_end", 0x80400000)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layout", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--part", help="the partition whose symbols gdb loads")
    ap.add_argument("--search", action="append", default=[],
                    help="unused; kept for the make fragment")
    ap.add_argument("--batch", help="a gdb command file to run, then exit")
    ap.add_argument("--timeout", type=int, default=120,
                    help="batch mode: seconds before everything is stopped")
    a = ap.parse_args(argv)
    for f in (a.layout, a.image):
        if not os.path.isfile(f):
            print("skdebug: %s: no such file; build the system first (make image "
                  "CONFIG=...)" % f, file=sys.stderr)
            return 1
    with open(a.layout) as f:
        layout = json.load(f)
    parts = {p.get("vmid", p["id"] + 1): p for p in layout["partitions"]}
    chosen = None
    if a.part:
        chosen = next((p for p in layout["partitions"] if p["name"] == a.part), None)
        if chosen is None:
            print("skdebug: PART=%s: no such partition; this system has: %s" %
                  (a.part, ", ".join(p["name"] for p in layout["partitions"])),
                  file=sys.stderr)
            return 1
    outdir = os.path.dirname(os.path.abspath(a.layout))
    console = os.path.join(outdir, "debug-console.log")
    symbols = ""
    if chosen:
        img = chosen.get("image")
        if not img or not os.path.isfile(img):
            print("skdebug: %s: its image %s is missing; rebuild the system" %
                  (chosen["name"], img), file=sys.stderr)
            return 1
        symbols = "gdb.execute(%r)" % ("add-symbol-file %s" % img)
    klo, khi = kernel_range(a.image)
    with open(os.path.join(outdir, "qemu.args")) as f:
        qargs = f.read().split()

    def qemu_for(port):
        return [QEMU, "-M", "virt", *qargs, "-display", "none", "-monitor", "none",
                "-serial", "file:" + console, "-bios", FW, "-kernel", a.image,
                "-S", "-gdb", "tcp:127.0.0.1:%d" % port]

    q, port = start_qemu(qemu_for)
    print("skdebug: %s" % " ".join(qemu_for(port)))
    print("skdebug: gdb stub on 127.0.0.1:%d" % port, flush=True)
    script = GDB_SCRIPT % {
        "parts": {v: p["name"] for v, p in parts.items()},
        "vmid": chosen.get("vmid", chosen["id"] + 1) if chosen else None,
        "port": port, "symbols": symbols, "console": console,
        "chosen": chosen["name"] if chosen else "(no partition chosen)",
        "klo": klo, "khi": khi}
    fd, script_path = tempfile.mkstemp(prefix="skdebug-", suffix=".py", dir=outdir)
    with os.fdopen(fd, "w") as f:
        f.write(script)
    gdb = [GDB, "-q", "-nx", a.image, "-x", script_path]
    try:
        if a.batch:
            gdb[2:2] = ["-batch"]
            gdb += ["-x", a.batch]
            r = subprocess.run(gdb, timeout=a.timeout)
        else:
            # gdb owns the terminal; Ctrl-C goes to it, not to us
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            r = subprocess.run(gdb)
        return r.returncode
    except subprocess.TimeoutExpired:
        print("skdebug: gdb did not finish in %ds" % a.timeout, file=sys.stderr)
        return 1
    finally:
        if q.poll() is None:
            q.terminate()
            try:
                q.wait(timeout=5)
            except subprocess.TimeoutExpired:
                q.kill()
                q.wait()
        os.remove(script_path)


if __name__ == "__main__":
    sys.exit(main())
