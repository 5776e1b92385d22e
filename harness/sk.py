# SPDX-License-Identifier: MIT
"""The QEMU runner the scenarios use: build a system, boot it with a hard
timeout, and turn the console into kernel events and per-partition output.

Console protocol (README, "Console protocol"): every line the kernel
writes is "[sk] event=NAME key=value ...", every partition line is
"[name] text".  Anything else (OpenSBI's banner) is ignored.
"""
import fcntl
import json
import os
import re
import select
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
FW = Path("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin")
QEMU = "qemu-system-riscv64"
LINE = re.compile(r"^\[([a-z][a-z0-9_]*)\] ?(.*)$")


def make(*targets, config=None):
    """Run make (serialised across xdist workers); raise with its output."""
    args = ["make", "--no-print-directory", *targets]
    if config:
        args.append(f"CONFIG={config}")
    BUILD.mkdir(exist_ok=True)
    with open(BUILD / ".make.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        r = subprocess.run(args, cwd=ROOT, capture_output=True, text=True,
                           timeout=600)
    if r.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{r.stdout}\n{r.stderr}")
    return r


def build(config):
    """Build a system from its config; returns build/<stem>/."""
    config = Path(config)
    make("image", config=config.relative_to(ROOT) if config.is_absolute() else config)
    return BUILD / config.stem


ADDRESS_KEYS = ("kernel_base", "kernel_limit", "ram_hpa", "entry", "win_gpa",
                "win_hpa")


def addresses_as_ints(d):
    """json object_hook: layout.json's hex address strings back to ints."""
    return {k: int(v, 16) if k in ADDRESS_KEYS and isinstance(v, str) else v
            for k, v in d.items()}


def layout(config):
    return json.loads((BUILD / Path(config).stem / "layout.json").read_text(),
                      object_hook=addresses_as_ints)


@dataclass
class Run:
    raw: str
    timed_out: bool
    events: list = field(default_factory=list)     # dicts, in order
    output: dict = field(default_factory=dict)     # partition -> [lines]
    lines: list = field(default_factory=list)      # (who, text), in order

    def of(self, ev, /, **match):
        """Events called ev whose keys match (values compared as str)."""
        return [e for e in self.events if e["event"] == ev and
                all(e.get(k) == str(v) for k, v in match.items())]

    def one(self, ev, /, **match):
        found = self.of(ev, **match)
        assert len(found) == 1, f"expected one {ev} {match}, got {found}\n{self.raw}"
        return found[0]

    @property
    def halt(self):
        h = self.of("halt")
        return h[-1] if h else None


def parse(text, timed_out=False):
    run = Run(raw=text, timed_out=timed_out)
    for line in text.splitlines():
        m = LINE.match(line.rstrip("\r"))
        if not m:
            continue
        who, rest = m.groups()
        run.lines.append((who, rest))
        if who == "sk":
            ev = dict(kv.split("=", 1) for kv in rest.split() if "=" in kv)
            if "event" in ev:
                run.events.append(ev)
        else:
            run.output.setdefault(who, []).append(rest)
    return run


def qemu_cmd(config=None, image=None, icount=True, smp=None, memory=None,
             cpu=None):
    """The QEMU command line that boots a built system."""
    if image is None:
        out = build(config)
        image = out / "image.elf"
        qargs = (out / "qemu.args").read_text().split()
    else:
        qargs = (Path(image).parent / "qemu.args").read_text().split()
    if smp is not None:
        qargs[qargs.index("-smp") + 1] = str(smp)
    if memory is not None:
        qargs[qargs.index("-m") + 1] = memory
    cmd = [QEMU, "-M", "virt", *qargs, "-nographic", "-bios", str(FW),
           "-kernel", str(image), "-monitor", "none", "-serial", "stdio"]
    cmd[cmd.index("-nographic")] = "-display"
    cmd.insert(cmd.index("-display") + 1, "none")
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    if cpu:
        cmd += ["-cpu", cpu]          # e.g. "rv64,sstc=false"
    return cmd


def boot(config=None, image=None, timeout=60, icount=True, smp=None,
         memory=None, cpu=None):
    """Boot a built system (by config, or an explicit image.elf) on QEMU.

    QEMU is killed after timeout seconds; the run then has timed_out set
    and whatever the console showed so far.
    """
    cmd = qemu_cmd(config, image, icount, smp, memory, cpu)
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        return parse(r.stdout.decode(errors="replace"))
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if e.stdout else ""
        return parse(out, timed_out=True)


class Session:
    r"""A running system the test types into: QEMU's console on pipes.

    with sk.Session("configs/uboot.toml") as s:
        s.expect(r"=> ")             # wait (host time) for a pattern
        s.send("version\n")          # the board UART receives it
        s.expect(r"U-Boot \d+")
    run = s.run                       # parsed like boot()'s result

    Typed input reaches the console_input partition.  Under -icount the
    guest's output is deterministic, but when a byte arrives depends on
    the host: assert what is answered, not at what virtual time.
    Every wait has a timeout; QEMU is killed on exit in any case.
    """

    def __init__(self, config=None, image=None, timeout=120, **kw):
        self.cmd = qemu_cmd(config, image, **kw)
        self.deadline = time.monotonic() + timeout
        self.text = ""
        self.pos = 0            # where the next expect() starts looking
        self.run = None
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        os.set_blocking(self.proc.stdout.fileno(), False)
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _read(self, until):
        """Read what QEMU printed, waiting at most until (monotonic)."""
        fd = self.proc.stdout.fileno()
        r, _, _ = select.select([fd], [], [], max(0.0, until - time.monotonic()))
        if not r:
            return False
        chunk = os.read(fd, 65536)
        if not chunk:
            return None         # QEMU exited
        self.text += chunk.decode(errors="replace")
        return True

    def expect(self, pattern, timeout=30):
        """Wait for pattern (a regex) after the last match; return the match.

        The console arrives in pieces: end a pattern whose last part is
        variable (a number) with \\r?\\n, or it may match half a line.
        Fails the test with the console so far on timeout or exit."""
        rx = re.compile(pattern)
        until = min(time.monotonic() + timeout, self.deadline)
        while True:
            m = rx.search(self.text, self.pos)
            if m:
                self.pos = m.end()
                return m
            if time.monotonic() >= until or self._read(until) is None:
                raise AssertionError("no %r within %ss; console:\n%s" %
                                     (pattern, timeout, self.text[-4000:]))

    def send(self, text, pace=0.05):
        """Type text into the board UART, a byte at a time, paced."""
        for ch in text.encode():
            self.proc.stdin.write(bytes([ch]))
            self.proc.stdin.flush()
            time.sleep(pace)

    def close(self, wait=0):
        """Let QEMU run up to wait more seconds (until it exits), then stop it."""
        if self.proc is None or self.run is not None:
            return self.run
        until = time.monotonic() + wait
        while time.monotonic() < until and self._read(until) is not None:
            pass
        timed_out = self.proc.poll() is None
        if timed_out:
            self.proc.kill()
        self.proc.wait()
        while self._read(time.monotonic()):
            pass
        self.proc.stdin.close()
        self.proc.stdout.close()
        self.run = parse(self.text, timed_out=timed_out)
        return self.run
