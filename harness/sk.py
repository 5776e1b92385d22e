# SPDX-License-Identifier: MIT
"""The QEMU runner the scenarios use: build a system, boot it with a hard
timeout, and turn the console into kernel events and per-partition output.

Console protocol (README, "Console protocol"): every line the kernel
writes is "[sk] event=NAME key=value ...", every partition line is
"[name] text".  Anything else (OpenSBI's banner) is ignored.
"""
import fcntl
import json
import re
import subprocess
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


def boot(config=None, image=None, timeout=60, icount=True, smp=None,
         memory=None, cpu=None):
    """Boot a built system (by config, or an explicit image.elf) on QEMU.

    QEMU is killed after timeout seconds; the run then has timed_out set
    and whatever the console showed so far.
    """
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
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        return parse(r.stdout.decode(errors="replace"))
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if e.stdout else ""
        return parse(out, timed_out=True)
