# SPDX-License-Identifier: MIT
"""The virtual PLIC (plic = true): a sifive,plic-1.0.0 the kernel
emulates for one partition, carrying its channel doorbells and its
virtual UART's interrupt, so that unmodified OS drivers take them the
usual way.

plicheck (partitions/plicheck/) drives it register by register, with a
partner that rings its doorbell on demand, then makes one hostile access
per run (each a contained fault, after which the PLIC is back at reset).
Linux takes the same interrupts: its 8250 driver reads a typed line
through the UART's receive interrupt (linux_tty), and its channel driver
sleeps on doorbells (test_gateway.py)."""
import re
import subprocess

import pytest

from sk import ROOT, Session, boot, build

SYS = ROOT / "harness/systems"

HOSTILE = [   # case, cause, gpa: widths and offsets the PLIC does not have
    ("byte", "load_guest_page_fault", "0xc000004"),
    ("double", "load_guest_page_fault", "0xc001000"),
    ("context1", "load_guest_page_fault", "0xc201000"),
    ("last_word", "store_guest_page_fault", "0xffffffc"),
    ("amo", "load_guest_page_fault", "0xc200004"),
]


# plicheck_top grants 60 unused channels first: its doorbell is source 63,
# the last one, in the second word of the pending and enable registers.
@pytest.fixture(scope="module", params=["plicheck", "plicheck_top"])
def run(request):
    r = boot(SYS / f"{request.param}.toml", timeout=120)
    assert not r.timed_out, r.raw
    r.name, r.bell = request.param, 3 if request.param == "plicheck" else 63
    return r


def test_every_register_behaves_as_a_plic(run):
    out = run.output["plicheck"]
    assert "plic checks 38 bad 0" in out, out
    dts = (ROOT / "build" / run.name / "plicheck.dts").read_text()
    bell = dts[dts.index("bell {"):]
    assert "interrupts-extended = <&vplic %d>;" % run.bell in bell[:bell.index("};")]
    assert not [l for l in out if l.startswith("FAIL")], out


def test_hostile_accesses_are_contained_and_a_restart_resets_it(run):
    out = run.output["plicheck"]
    faults = run.of("fault", part="plicheck")
    assert len(faults) == len(HOSTILE), faults
    for (case, cause, gpa), f in zip(HOSTILE, faults):
        assert "hostile " + case in out
        assert (f["cause"], f["gpa"], f["action"]) == (cause, gpa, "restart"), (case, f)
    assert not [l for l in out if l.startswith("survived")], out
    # after each restart: priorities and enables read zero again
    assert out.count("plic checks 2 bad 0") == len(HOSTILE), out
    assert out[-1] == "hostile done"
    assert run.one("summary", part="ringer")["faults"] == "0"
    assert not run.of("panic")


def test_device_tree_plic_node_and_interrupt_sources():
    out = build(SYS / "plicheck.toml")
    dts = (out / "plicheck.dts").read_text()
    subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(out / "plicheck.dtb")],
                   capture_output=True, check=True)
    node = dts[dts.index("vplic: interrupt-controller@c000000"):]
    node = node[:node.index("};")]
    for want in ('compatible = "sifive,plic-1.0.0";',
                 "reg = <0x0 0xc000000 0x0 0x4000000>;",
                 "interrupt-controller;", "#interrupt-cells = <1>;",
                 "interrupts-extended = <&cpu0_intc 9>;",   # S-mode external
                 "riscv,ndev = <3>;"):                     # UART + 2 ports
        assert want in node, node
    chans = dts[dts.index("channels {"):]
    ask = chans[chans.index("ask {"):]
    bell = chans[chans.index("bell {"):]
    assert "interrupts-extended = <&vplic 2>;" in ask[:ask.index("};")]
    assert "interrupts-extended = <&vplic 3>;" in bell[:bell.index("};")]
    serial = dts[dts.index("serial@10000000 {"):]
    assert "interrupts-extended = <&vplic 1>;" in serial[:serial.index("};")]
    # a partition without plic = true has no such node, no interrupts
    other = (out / "ringer.dts").read_text()
    assert "sifive,plic" not in other and "interrupts-extended" not in other
    assert ".devices = 3," in (out / "system.c").read_text()


def test_too_many_channels_for_the_plic_is_refused(tmp_path):
    chans = "".join(
        '[[channel]]\nname = "c%d"\nkind = "queuing"\nfrom = "a"\nto = ["b"]\n'
        'msg_size = 8\ndepth = 1\n\n' % i for i in range(63))
    cfg = tmp_path / "many.toml"
    cfg.write_text('[system]\nname = "many"\nslot = "1ms"\nchannel_memory = "64K"\n\n'
                   '[[partition]]\nname = "a"\nimage = "hello.elf"\nmemory = "64K"\n\n'
                   '[[partition]]\nname = "b"\nimage = "hello.elf"\nmemory = "64K"\n'
                   'plic = true\n\n' + chans)
    r = subprocess.run(["/usr/bin/python3", str(ROOT / "tools/skc.py"), str(cfg),
                        "--out", str(tmp_path / "out"), "--search",
                        str(ROOT / "build/partitions"), "--check"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode != 0
    assert re.search(r"many\.toml:15: partition \"b\": 63 channels: its virtual PLIC has "
                     r"interrupts for at most 62; fix: ", r.stderr + r.stdout), r.stderr


@pytest.mark.flaky(reruns=2)      # typed input: host time
def test_linux_8250_takes_the_uart_receive_interrupt():
    with Session(SYS / "linux_tty.toml", timeout=200) as s:
        s.expect(r"tty: type a line\r?\n", timeout=150)
        s.send("hello plic\n")
        s.expect(r"\[linux\] tty: got hello plic\r?\n", timeout=60)
        s.expect(r"\[sk\] event=halt", timeout=60)
        s.close(wait=5)
    run = s.run
    out = run.output["linux"]
    # the 8250 driver was given its interrupt from the virtual PLIC ...
    tty = [l for l in out if "ttyS0 at MMIO 0x10000000" in l]
    assert tty and re.search(r"irq = [1-9]\d*", tty[0]), out
    assert not [l for l in out if "plic" in l.lower() and "fail" in l.lower()]
    assert run.halt["reason"] == "all_stopped"
    assert not run.of("fault")
    # looking at the board UART for it at its switch-in kept slots exact
    assert run.one("timing")["late_entries"] == "0"
