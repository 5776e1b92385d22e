# SPDX-License-Identifier: MIT
"""Debian's U-Boot (u-boot-qemu, qemu-riscv64_smode), unmodified, in a
partition: it finds its console in the virtual 16550 the kernel emulates,
reaches its prompt, answers what the harness types through the board
UART (console_input), and its `reset` (SBI SRST) is a counted restart."""
import re

from sk import ROOT, Session, boot
import pytest

# Runs in host time (gdb, typed input or a race without -icount): the
# host's load can stretch it past a timeout, so a failure is retried up
# to twice; a real failure fails all three runs.
pytestmark = pytest.mark.flaky(reruns=2)


CONFIG = ROOT / "configs/uboot.toml"
PROMPT = r"\[uboot\] => "


def prompt(s):
    """Stop the autoboot countdown with a key (it would spin through two
    seconds of virtual time and a boot scan first), wait for the prompt."""
    s.expect(r"\[uboot\] Hit any key to stop autoboot", timeout=60)
    s.send(" ")
    s.expect(PROMPT)


def test_uboot_prompt_version_bdinfo():
    with Session(CONFIG, timeout=150) as s:
        prompt(s)
        s.send("version\n")
        s.expect(r"\[uboot\] U-Boot 2023\.\d+\S* \(")
        s.expect(PROMPT)
        s.send("bdinfo\n")
        start = s.expect(r"\[uboot\] -> start\s*= (0x[0-9a-f]+)\r?\n")
        size = s.expect(r"\[uboot\] -> size\s*= (0x[0-9a-f]+)\r?\n")
        s.expect(PROMPT)
    run = s.run
    out = run.output["uboot"]
    # The prompt is shown as soon as U-Boot waits for input; the command
    # it echoed while we typed goes out as the next line.
    i = out.index("=> ")
    assert out[i + 1].strip() == "version", out
    assert any(re.search(r"gcc .*\d", l) for l in out)       # the toolchain line
    # bdinfo reports the RAM its device tree gave it: 32M at 0x80000000.
    assert int(start.group(1), 16) == 0x80000000
    assert int(size.group(1), 16) == 32 << 20
    assert any("serial@10000000" in l for l in out)
    # U-Boot polled a UART and nothing went wrong in the kernel.
    assert not run.of("fault") and not run.of("panic")
    # The neighbour had its slot before U-Boot's, on time.
    assert run.output["ticker"][1].startswith("slot 0 "), run.output["ticker"]


def test_uboot_reset_is_a_counted_restart():
    with Session(CONFIG, timeout=200) as s:
        for n in range(1, 4):
            prompt(s)
            s.send("reset\n")
            s.expect(r"\[sk\] event=restart part=uboot cause=srst_reboot count=%d" % n)
        prompt(s)                       # the third restart came up again
        s.send("reset\n")               # the fourth is past max_restarts = 3
        s.expect(r"\[sk\] event=stop part=uboot reason=restart_limit")
        s.close(wait=10)
    run = s.run
    assert [e["count"] for e in run.of("restart", part="uboot")] == ["1", "2", "3"]
    assert run.one("stop", part="uboot")["reason"] == "restart_limit"
    assert not run.of("fault")
    # Each life printed its banner again.
    assert sum(1 for l in run.output["uboot"] if l.startswith("U-Boot 2023")) == 4


def test_uboot_traps_change_nothing_for_its_neighbour():
    # U-Boot boots (every character a few trapped UART accesses) beside a
    # ticker that prints when each of its slots starts: byte-identical to
    # the ticker beside an idle partition.  Promise 4 with an OS guest.
    guest = boot(ROOT / "harness/systems/uboot_contain.toml", timeout=120)
    idle = boot(ROOT / "harness/systems/uboot_idle.toml", timeout=120)
    assert not guest.timed_out and not idle.timed_out
    assert guest.output["ticker"] == idle.output["ticker"]
    assert len(guest.output["ticker"]) == 13
    assert any(l.startswith("U-Boot 2023") for l in guest.output["guest"])
    assert any("Hit any key" in l for l in guest.output["guest"])
    for r in (guest, idle):
        assert r.one("timing")["late_entries"] == "0"
        assert r.halt["reason"] == "stop_after"
    assert not guest.of("fault")
