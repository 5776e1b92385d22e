# SPDX-License-Identifier: MIT
"""The virtual 16550 (uart = true): the kernel traps every access to its
unmapped page, decodes the load or store and emulates the register.

uartcheck (partitions/uartcheck/) runs 510 instructions against it, every
load/store form (full and compressed, every width) with every register as
destination or source, and checks the value and that all other registers
survived; then one hostile access per run, each a contained fault."""
import subprocess

import pytest

from sk import ROOT, Session, boot, build

# Runs in host time (gdb, typed input or a race without -icount): the
# host's load can stretch it past a timeout, so a failure is retried up
# to twice; a real failure fails all three runs.
pytestmark = pytest.mark.flaky(reruns=2)


SYS = ROOT / "harness/systems"


@pytest.fixture(scope="module")
def run():
    r = boot(SYS / "uartcheck.toml", timeout=120)
    assert not r.timed_out
    return r


def test_decoder_every_form_and_register(run):
    out = run.output["uartcheck"]
    assert "decoder tests=510 failed=0" in out, out
    assert not [l for l in out if l.startswith("FAIL")]
    assert "device checks failed=0" in out


def test_uart_output_is_a_console_line(run):
    out = run.output["uartcheck"]
    # "uart\tout\bT\n": the tab to column 8, the backspace erased a "t".
    assert "uart    ouT" in out
    # A forged kernel line written to THR stays inside the partition's.
    assert "?[sk] event=halt reason=forged" in out
    assert not run.of("halt", reason="forged")
    assert run.halt["reason"] == "all_stopped"


HOSTILE = [   # case, cause, gpa: each one a contained fault, then a restart
    ("offset", "load_guest_page_fault", "0x10000008"),
    ("misaligned", "load_guest_page_fault", "0x10000001"),
    ("wide", "store_guest_page_fault", "0x10000004"),
    ("span", "load_guest_page_fault", "0x10000ffc"),
    ("amo", "load_guest_page_fault", "0x10000004"),     # QEMU 7.2 says load
    ("fp_load", "load_guest_page_fault", "0x10000000"),
    ("fp_store", "store_guest_page_fault", "0x10000000"),
    ("fetch", "load_guest_page_fault", "0x10000007"),   # instruction unreadable
]


def test_hostile_accesses_are_contained(run):
    out = run.output["uartcheck"]
    faults = run.of("fault", part="uartcheck")
    assert len(faults) == len(HOSTILE), faults
    for (case, cause, gpa), f in zip(HOSTILE, faults):
        assert "hostile " + case in out
        assert (f["cause"], f["gpa"], f["action"]) == (cause, gpa, "restart"), (case, f)
    assert not [l for l in out if "survived" in l], out
    assert [e["count"] for e in run.of("restart", part="uartcheck")] == \
        [str(i) for i in range(1, 9)]
    assert out[-1] == "hostile done"
    assert not run.of("panic")


def test_no_uart_no_device(run):
    # Without uart = true the page is unmapped as before: a plain fault.
    f = run.one("fault", part="nouart")
    assert (f["cause"], f["gpa"], f["action"]) == \
        ("load_guest_page_fault", "0x10000005", "halt")
    assert "not contained" not in run.output["nouart"]


def test_device_tree_serial_node():
    out = build(ROOT / "configs/uboot.toml")
    dts = (out / "uboot.dts").read_text()     # what dtc compiled
    subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(out / "uboot.dtb")],
                   capture_output=True, check=True)
    assert 'stdout-path = "/soc/serial@10000000";' in dts
    assert 'compatible = "ns16550a";' in dts
    assert "reg = <0x0 0x10000000 0x0 0x100>;" in dts
    assert "clock-frequency = <3686400>;" in dts
    assert "reg-shift = <0>;" in dts and "reg-io-width = <1>;" in dts
    assert 'compatible = "simple-bus";' in dts
    other = (out / "ticker.dts").read_text()
    assert "serial" not in other and "stdout-path" not in other
    src = (out / "system.c").read_text()
    assert ".console_input = 1," in src      # 1 + id of "uboot"


@pytest.mark.parametrize("system", ["uartinput", "uartinput_sbi"])
def test_console_input_reaches_only_its_partition(system):
    # uartinput_sbi: console = "sbi", input through OpenSBI's getchar.
    # Without -icount: typed input arrives in host time anyway, and under
    # -icount sleep=off QEMU 7.2 at times left the hart halted until the
    # next byte was typed when one arrived as the hart went idle (the
    # line's last byte then waited forever; 1 run in 3 with console =
    # "sbi" on a loaded host, never without -icount).
    with Session(SYS / f"{system}.toml", timeout=120, icount=False) as s:
        for how in ("getchar", "dbcn", "rbr"):
            s.expect(r"\[typist\] ready %s\r?\n" % how, timeout=60)
            s.send("typed to %s\n" % how)
            s.expect(r"\[typist\] %s got typed to %s\r?\n" % (how, how))
        s.expect(r"\[sk\] event=halt reason=system_shutdown")
        s.close(wait=5)
    run = s.run
    assert run.halt["reason"] == "system_shutdown"
    assert run.output["eavesdropper"] == ["listening"]
    assert not run.of("fault")
