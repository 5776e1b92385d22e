# SPDX-License-Identifier: MIT
"""Linux 6.1, unmodified, in a partition (issue 9, part A).

The Image and the initramfs come from `make linux` (partitions/linux/);
make test builds them first.  Each boot is short: a tinyconfig kernel
reaches its /init in a few tens of milliseconds of guest time; most of
a run is verifying the 1.7 MB package.
"""
import re
import shutil
import subprocess

import pytest

from sk import BUILD, ROOT, boot, build, layout
from test_signing import patched, symbols

SYS = ROOT / "harness/systems"
LINUX = ROOT / "configs/linux.toml"
BANNER = re.compile(r"^Linux version 6\.1\.\d+ ")


def num(v):
    """layout.json writes addresses in hex strings, sizes as integers."""
    return int(v, 0) if isinstance(v, str) else v


def init_lines(run):
    return [l for l in run.output.get("linux", []) if l.startswith("init: ")]


def no_guest_fault(run):
    return not run.of("fault", part="linux")


def test_linux_boots_runs_its_init_and_powers_off():
    run = boot(LINUX, timeout=120)
    assert not run.timed_out, run.raw
    out = run.output["linux"]
    assert BANNER.match(out[0]), out[:3]
    assert init_lines(run) == [
        "init: hello from /init",
        "init: fp sum 1999999",                 # FP in user space works
        "init: child executes an illegal instruction",
        "init: child killed by signal 4",       # SIGILL, delivered by Linux
        "init: fp sum 1999999 after the child",
        "init: powering off",
    ]
    # Its process's illegal instruction was Linux's business alone.
    assert no_guest_fault(run), run.raw
    run.one("stop", part="linux", reason="srst_shutdown")
    assert run.output["ticker"][-1] == "slot 29 start=7990000 end=8000000 late=0"
    assert run.halt["reason"] == "all_stopped"
    assert not run.of("panic")
    assert run.one("timing")["late_entries"] == "0"


def test_ticker_beside_linux_is_byte_identical_to_beside_idle():
    """Linux boots, kills a faulting child, panics (on_fault = halt):
    the ticker beside it prints exactly what it prints beside idle."""
    busy = boot(SYS / "linux_beside.toml", timeout=120)
    calm = boot(SYS / "linux_idle.toml", timeout=120)
    assert not busy.timed_out and not calm.timed_out
    assert "init: child killed by signal 4" in init_lines(busy)
    assert any("Kernel panic - not syncing" in l for l in busy.output["linux"])
    assert len(busy.output["ticker"]) == 31
    assert busy.output["ticker"] == calm.output["ticker"]
    for r in (busy, calm):
        t = r.one("summary", part="ticker")
        assert t["faults"] == "0" and t["state"] == "stopped"
    # The panic was noticed: SRST reboot, on_fault = halt.
    busy.one("stop", part="linux", reason="srst_reboot")
    assert no_guest_fault(busy)
    assert busy.halt["reason"] == "all_stopped"     # the idle one never stops
    assert busy.one("timing")["late_entries"] == "0"


def test_linux_user_fp_survives_world_switches_beside_a_register_checker():
    run = boot(SYS / "linux_fp.toml", timeout=120)
    assert not run.timed_out, run.raw
    assert "init: fp long ok 3000000" in init_lines(run)
    check = run.output["check"][-1]
    assert check.startswith("regcheck rounds=2000 ") and check.endswith(" mismatches=0")
    assert int(check.split("switched_rounds=")[1].split()[0]) >= 100
    # The checker was still running when Linux finished its FP work.
    stops = [t for w, t in run.lines if w == "sk" and "event=stop" in t]
    assert "part=linux" in stops[0], stops
    assert not run.of("fault")
    assert run.one("timing")["late_entries"] == "0"


def test_linux_process_reading_a_withheld_counter_is_killed_by_linux():
    """counters = false: rdcycle from a Linux process traps to us as a
    virtual instruction from VU-mode, handed to Linux as illegal."""
    run = boot(SYS / "linux_cycle.toml", timeout=120)
    assert not run.timed_out, run.raw
    lines = init_lines(run)
    i = lines.index("init: child reads the cycle counter")
    assert lines[i + 1] == "init: child killed by signal 4"
    assert not any("must not happen" in l for l in lines)
    assert lines[-1] == "init: powering off"
    assert no_guest_fault(run), run.raw
    run.one("stop", part="linux", reason="srst_shutdown")
    assert len(run.output["ticker"]) == 31


@pytest.mark.parametrize("what,gpa,cause", [
    ("plic", "0xc000000", "load_guest_page_fault"),
    ("clint", "0x2000000", "load_guest_page_fault"),
    ("beyond", "0x90000000", "load_guest_page_fault"),
])
def test_linux_touching_what_it_was_not_given_is_contained(what, gpa, cause):
    run = boot(SYS / f"linux_{what}.toml", timeout=120)
    assert not run.timed_out, run.raw
    assert f"init: reading physical {int(gpa, 16)}" in init_lines(run)
    assert not any("must not happen" in l for l in run.output["linux"])
    ev = run.one("fault", part="linux")
    assert (ev["cause"], ev["gpa"], ev["action"]) == (cause, gpa, "halt")
    run.one("stop", part="linux", reason=cause)
    # The neighbour ran its whole course, on time.
    assert len(run.output["ticker"]) == 31
    assert run.one("summary", part="ticker")["faults"] == "0"
    assert run.one("timing")["late_entries"] == "0"


def test_linux_panic_is_its_on_fault_action_restart_then_limit():
    run = boot(SYS / "linux_panic.toml", timeout=180)
    assert not run.timed_out, run.raw
    banners = [l for l in run.output["linux"] if BANNER.match(l)]
    assert len(banners) == 2                  # booted, restarted, booted
    assert sum("Kernel panic - not syncing" in l for l in run.output["linux"]) == 2
    ev = run.one("restart", part="linux")
    assert (ev["cause"], ev["count"]) == ("srst_reboot", "1")
    run.one("stop", part="linux", reason="restart_limit")
    s = run.one("summary", part="linux")
    assert s["restarts"] == "1" and s["state"] == "stopped"
    assert no_guest_fault(run)
    assert len(run.output["ticker"]) == 61
    assert run.one("timing")["late_entries"] == "0"


def test_flipped_initramfs_byte_is_rejected(tmp_path):
    out = build(LINUX)
    lay = layout(LINUX)
    part = next(p for p in lay["partitions"] if p["name"] == "linux")
    assert num(part["initrd_size"]) > 0
    pkg = symbols(out / "image.elf")["sk_pkg_%d" % part["id"]]
    # A byte inside /init's code, in the initramfs part of the package.
    elf = patched(tmp_path, out, [(pkg + num(part["initrd_off"]) + 0x300, None)])
    run = boot(image=elf, timeout=120)
    assert not run.timed_out, run.raw
    run.one("reject", part="linux")
    assert "linux" not in run.output
    assert len(run.output["ticker"]) == 31     # on_reject = continue


def test_package_carries_no_gap_and_the_tree_what_linux_needs():
    out = build(LINUX)
    part = next(p for p in layout(LINUX)["partitions"] if p["name"] == "linux")
    image = (BUILD / "partitions/linux.Image").read_bytes()
    assert part["kind"] == "linux" and num(part["image_load"]) == 0x200000
    assert num(part["entry"]) == 0x80200000
    assert num(part["image_size"]) == len(image)  # no 2 MiB of zeros before it
    pkg = (out / "linux.pkg").read_bytes()
    assert pkg[:len(image)] == image
    cpio = (BUILD / "partitions/linux.cpio").read_bytes()
    rd = num(part["initrd_off"])
    assert pkg[rd:rd + len(cpio)] == cpio
    top = 0x80000000 + num(part["ram_size"])
    dts = (out / "linux.dts").read_text()
    assert 'riscv,cpu-intc' in dts and "interrupt-controller;" in dts
    assert "linux,initrd-start = /bits/ 64 <0x%x>;" % (top - 4096 * ((len(cpio) + 4095) // 4096)) in dts
    assert "linux,initrd-end = /bits/ 64 <0x%x>;" % (0x80000000 + num(part["initrd_load"]) + len(cpio)) in dts
    assert 'bootargs = "console=hvc0' in dts
    assert "stdout-path" not in dts               # no console device to point at


def test_guest_isa_is_the_real_harts_less_h(tmp_path):
    """The board's ISA string in tools/skc/units.py is QEMU's own."""
    dtb = tmp_path / "virt.dtb"
    subprocess.run(["qemu-system-riscv64", "-M", f"virt,dumpdtb={dtb}",
                    "-display", "none"], capture_output=True, timeout=30, check=True)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(dtb)],
                         capture_output=True, text=True, check=True).stdout
    isa = re.search(r'cpu@0 \{.*?riscv,isa = "([^"]+)"', dts, re.S).group(1)
    import sys
    sys.path.insert(0, str(ROOT / "tools"))
    from skc import units
    assert units.BOARD_ISA["qemu-virt"] == isa
    guest = units.GUEST_ISA["qemu-virt"]
    assert guest.startswith("rv64imafdc_") and "h" not in guest.split("_")[0]
    assert guest.endswith("_sstc")


def test_linux_on_a_hart_without_sstc_is_refused_unless_its_board_says_so():
    # Built for qemu-virt (its tree lists sstc), booted on a hart without
    # Sstc: Linux would write stimecmp and die; it is refused up front,
    # and the bare-metal ticker beside it (SBI timer) runs as usual.
    run = boot(ROOT / "configs/linux.toml", cpu="rv64,sstc=false", timeout=120)
    assert not run.timed_out, run.raw
    assert run.one("boot")["sstc"] == "0"
    run.one("reject", part="linux", reason="hart_lacks_sstc")
    assert not run.output.get("linux")
    assert len(run.output["ticker"]) == 31
    # The board that says so: no sstc in its tree, -cpu in qemu.args,
    # and Linux boots on its SBI timer.
    run = boot(SYS / "linux_nosstc.toml", timeout=120)
    assert not run.timed_out, run.raw
    assert run.one("boot")["sstc"] == "0"
    assert "init: powering off" in init_lines(run)
    dts = (ROOT / "build/linux_nosstc/linux.dts").read_text()
    assert 'riscv,isa = "rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs";' in dts
    assert "-cpu rv64,sstc=false" in (ROOT / "build/linux_nosstc/qemu.args").read_text()


def test_hung_linux_is_caught_by_its_watchdog_only_after_the_kicks_stop():
    # /init kicks through the driver's /dev/sk/watchdog, then hangs in
    # user space: the health monitor restarts Linux (once), then halts it.
    run = boot(SYS / "linux_watchdog.toml", timeout=200)
    assert not run.timed_out, run.raw
    seq = [t for w, t in run.lines
           if "kicked 10 times" in t or "event=watchdog" in t or
           "event=restart" in t or "event=stop part=linux" in t]
    assert [s.split()[0] if s.startswith("event") else "kicked" for s in seq] == \
        ["kicked", "event=watchdog", "event=restart", "kicked", "event=watchdog",
         "event=stop"], seq
    assert run.of("restart", part="linux", cause="watchdog")
    run.one("stop", part="linux", reason="restart_limit")
    assert not [l for l in run.output["linux"] if "kick refused" in l]
    assert len(run.output["ticker"]) == 301      # its neighbour unaffected
    assert run.one("timing")["late_entries"] == "0"


def test_os_sbi_calls_act_on_its_own_hart_only():
    run = boot(SYS / "sbios.toml", timeout=60)
    assert not run.timed_out, run.raw
    out = run.output["sbios"]
    probes = {l.split()[1]: l.split()[3:] for l in out if l.startswith("probe ")}
    supported = {"0x10", "0x54494d45", "0x735049", "0x52464e43", "0x48534d",
                 "0x53525354", "0x4442434e", "0x1"}
    for ext, (err, val) in probes.items():
        assert err == "0" and val == ("1" if ext in supported else "0"), (ext, val)
    assert len(probes) == 11
    expect = [
        "ssip before 0", "ipi self -> 0 0", "ssip after 1", "ssip cleared 0",
        "ipi all -> 0 0", "ipi none -> 0 0", "ssip none 0",
        "ipi hart 1 -> -3 0", "ipi base 1 -> -3 0",
        "fence.i self -> 0 0", "sfence.vma self -> 0 0",
        "sfence.vma.asid all -> 0 0", "sfence.vma hart 3 -> -3 0",
        "hfence.gvma -> -2 0", "hart 0 status -> 0 0", "hart 1 status -> -3 0",
        "hart 0 start -> -6 0", "hart 1 start -> -3 0", "hart stop -> -2 0",
        "pmu -> -2 0",
    ]
    assert [l for l in out if not l.startswith(("probe ", "hello", "bye"))] == expect
    assert not run.of("fault")


@pytest.mark.parametrize("image,extra,load,size,entry", [
    ("above.elf", "", 0x200000, 16, 0x80200000),        # like U-Boot's ELF
    ("flat.bin", 'load = "0x3000"\n', 0x3000, 16, 0x80003000),
    ("tiny.Image", "", 0x200000, 80, 0x80200000),
])
def test_images_are_packaged_without_gaps(tmp_path, image, extra, load, size, entry):
    import elfgen
    elfgen.write_images(str(tmp_path))
    cfg = tmp_path / "os.toml"
    cfg.write_text('[system]\nname = "os"\n\n[[partition]]\nname = "os"\n'
                   f'image = "{image}"\nmemory = "4M"\n{extra}')
    out = tmp_path / "out"
    r = subprocess.run(["/usr/bin/python3", str(ROOT / "tools/skc.py"), str(cfg),
                        "--out", str(out)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    import json
    p = json.loads((out / "layout.json").read_text())["partitions"][0]
    assert tuple(num(p[k]) for k in ("image_load", "image_size", "entry")) == \
        (load, size, entry)
    blob = (tmp_path / image).read_bytes()
    want = elfgen.LOOP * 4 if blob[:4] == b"\x7fELF" else blob
    assert (out / "os.pkg").read_bytes()[:size] == want
    assert ".image_load = 0x%xUL" % load in (out / "system.c").read_text()
