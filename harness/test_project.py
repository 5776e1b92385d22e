# SPDX-License-Identifier: MIT
"""A user's own system (issue 13): nothing boots stale, and a project
outside the tree builds and boots from `make sdk` + `make new-system`."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sk import BUILD, ROOT, make, parse

SDKSRC = sorted(str(p) for p in (ROOT / "partitions/sdk").glob("*.[cS]"))
PCFLAGS = ["--specs=picolibc.specs", "-misa-spec=2.2", "-march=rv64imac", "-mabi=lp64",
           "-mcmodel=medany", "-O2", "-I%s" % (ROOT / "partitions/sdk/include"),
           "-I%s" % (ROOT / "sbi"), "-nostartfiles",
           "-T%s" % (ROOT / "partitions/sdk/partition.ld"), "-Wl,--no-warn-rwx-segments"]
PROG = '#include <stdio.h>\n#include "sk.h"\nint main(void)\n{\n\tprintf("%s\\n");\n\treturn 0;\n}\n'
CONFIG = """[system]
name = "stale_ux"
stop_after = "10ms"

[[partition]]
name = "filter"
image = "filter.elf"
memory = "64K"
"""
QEMU_TIMEOUT = 60


def compile_prog(d, text):
    (d / "main.c").write_text(PROG % text)
    subprocess.run(["riscv64-unknown-elf-gcc", *PCFLAGS, *SDKSRC, str(d / "main.c"),
                    "-o", str(d / "filter.elf")], check=True, timeout=120)


def digest(stem):
    p = json.loads((BUILD / stem / "layout.json").read_text())["partitions"][0]
    return p.get("blake2b") or p["sha256"]


def boot_image(image, qemu_args):
    r = subprocess.run(["qemu-system-riscv64", "-M", "virt", *qemu_args.split(),
                        "-nographic", "-bios",
                        "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
                        "-icount", "shift=0,sleep=off", "-kernel", str(image)],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=QEMU_TIMEOUT)
    return parse(r.stdout)


def test_an_image_next_to_the_config_never_boots_stale(tmp_path):
    cfg = tmp_path / "stale_ux.toml"
    cfg.write_text(CONFIG)
    compile_prog(tmp_path, "version A")
    try:
        make("image", config=cfg)
        first = digest("stale_ux")
        deps = (BUILD / "stale_ux/system.d").read_text()
        assert str(tmp_path / "filter.elf") in deps and str(cfg) in deps
        run = boot_image(BUILD / "stale_ux/image.elf", "-smp 1 -m 128M")
        assert run.output["filter"] == ["version A"]

        compile_prog(tmp_path, "version B")          # rebuilt outside partitions/
        os.utime(tmp_path / "filter.elf")
        make("image", config=cfg)
        assert digest("stale_ux") != first
        run = boot_image(BUILD / "stale_ux/image.elf", "-smp 1 -m 128M")
        assert run.output["filter"] == ["version B"]
        ev = run.one("verified", part="filter")
        assert (ev.get("blake2b") or ev.get("sha256")) == digest("stale_ux")

        # a vanished image: the compiler says so, not make's "No rule"
        (tmp_path / "filter.elf").unlink()
        with pytest.raises(RuntimeError) as e:
            make("image", config=cfg)
        assert 'image = "filter.elf": file not found' in str(e.value)
        assert "No rule to make target" not in str(e.value)
    finally:
        shutil.rmtree(BUILD / "stale_ux", ignore_errors=True)


def project_make(proj, *args, timeout=300):
    r = subprocess.run(["make", "--no-print-directory", *args], cwd=proj,
                       capture_output=True, text=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def test_out_of_tree_project_from_the_template(tmp_path):
    sdk = tmp_path / "sdk-build"
    make("sdk", "SDK_DIR=%s" % sdk)
    # The SDK is a folder of its own: move it, and nothing of the tree is used.
    moved = tmp_path / "opt" / "sepkernel-sdk"
    moved.parent.mkdir()
    shutil.move(str(sdk), str(moved))
    assert (moved / "include/sk.h").exists() and (moved / "include/sk_abi.h").exists()
    for f in ("sdk.mk", "tools/skc.py", "tools/sksign.py", "lib/partition.ld",
              "kernel/kernel.ld", "template/Makefile"):
        assert (moved / f).exists(), f
    make("new-system", "NAME=mysys", "DIR=%s" % tmp_path, "SDK_DIR=%s" % sdk)
    proj = tmp_path / "mysys"
    assert sorted(p.name for p in proj.iterdir()) == ["Makefile", "hello", "mysys.toml"]
    mk = (proj / "Makefile").read_text()
    assert len([l for l in mk.splitlines() if l and not l.startswith("#")]) == 2
    env_sdk = "SDK=%s" % moved

    out = project_make(proj, env_sdk)
    assert (proj / "build/mysys/image.elf").exists()
    out = project_make(proj, env_sdk, "run", "ICOUNT=-icount shift=0,sleep=off",
                       timeout=QEMU_TIMEOUT + 60)
    run = parse(out)
    assert run.output["hello"] == ["hello %d from hello, frame %d" % (i, i - 1)
                                   for i in (1, 2, 3)]
    assert run.halt["reason"] == "all_stopped"

    # its own program changed: rebuilt, re-signed, booted new
    old = json.loads((proj / "build/mysys/layout.json").read_text())["partitions"][0]
    src = proj / "hello/main.c"
    src.write_text(src.read_text().replace('"hello %lu', '"hi %lu'))
    out = project_make(proj, env_sdk, "run", timeout=QEMU_TIMEOUT + 60)
    new = json.loads((proj / "build/mysys/layout.json").read_text())["partitions"][0]
    assert new != old and new.get("blake2b", new.get("sha256")) != \
        old.get("blake2b", old.get("sha256"))
    assert parse(out).output["hello"][0].startswith("hi 1 from hello")

    # a typo in args is a build error with a fix
    cfg = proj / "mysys.toml"
    cfg.write_text(cfg.read_text().replace("lines = 3", "line = 3"))
    r = subprocess.run(["make", env_sdk], cwd=proj, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode != 0
    assert 'args.line = 3' in r.stderr and 'did you mean "lines"?' in r.stderr
    cfg.write_text(cfg.read_text().replace("line = 3", "lines = 3"))
    project_make(proj, env_sdk, "report")
    assert "<svg" in (proj / "build/mysys/report.html").read_text()
    gdb = tmp_path / "cmds.gdb"
    gdb.write_text("pbreak main\ncontinue\nsk-where\nkill\n")
    out = project_make(proj, env_sdk, "debug", "PART=hello", "GDB_BATCH=%s" % gdb,
                       timeout=120)
    assert "Breakpoint 1, main () at hello/main.c" in out
    assert "in hello (VMID 1)" in out
