# SPDX-License-Identifier: MIT
"""make debug: QEMU's gdb stub on a free port, gdb-multiarch with the
kernel's and one partition's symbols, and a breakpoint that stops only
in the chosen partition although every partition is linked at the same
address (demo: alpha and beta both run hello.elf, lines = 3 and 2)."""
import re
import socket
import subprocess

import pytest

from sk import ROOT, build

# Runs in host time (gdb, typed input or a race without -icount): the
# host's load can stretch it past a timeout, so a failure is retried up
# to twice; a real failure fails all three runs.
pytestmark = pytest.mark.flaky(reruns=2)


SCRIPT = """pbreak main.c:17
continue
sk-where
p lines
p/x $hgatp
kill
"""


def debug(tmp_path, part, script=SCRIPT):
    build(ROOT / "configs/demo.toml")
    cmds = tmp_path / "cmds.gdb"
    cmds.write_text(script)
    args = ["/usr/bin/python3", "tools/skdebug.py", "--layout", "build/demo/layout.json",
            "--image", "build/demo/image.elf", "--batch", str(cmds), "--timeout", "60"]
    if part:
        args += ["--part", part]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=90)


@pytest.mark.parametrize("part,lines,vmid", [("alpha", 3, 1), ("beta", 2, 2)])
def test_breakpoint_stops_only_in_the_chosen_partition(tmp_path, part, lines, vmid):
    # A socket on gdb's usual port: make debug must not care.
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", 1234))
            s.listen()
        except OSError:
            pass
        r = debug(tmp_path, part)
    out = r.stdout
    assert r.returncode == 0, out + r.stderr
    port = int(re.search(r"gdb stub on 127.0.0.1:(\d+)", out).group(1))
    assert port != 1234
    assert "only in partition %s (VMID %d)" % (part, vmid) in out
    assert "Breakpoint 1, main () at partitions/hello/main.c:17" in out
    assert "in %s (VMID %d)" % (part, vmid) in out
    assert re.search(r"\$1 = %d\b" % lines, out), out
    hgatp = int(re.search(r"\$2 = (0x[0-9a-f]+)", out).group(1), 16)
    assert (hgatp >> 44) & 0x3fff == vmid


def test_kernel_symbols_are_loaded(tmp_path):
    r = debug(tmp_path, None, "break sbi_std\ncontinue\nsk-where\nkill\n")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"Breakpoint 1, (0x[0-9a-f]+ in )?sbi_std", r.stdout), r.stdout
    assert "in kernel" in r.stdout


def test_unknown_partition_is_a_clear_error(tmp_path):
    r = debug(tmp_path, "gamma")
    assert r.returncode == 1
    assert "PART=gamma: no such partition; this system has: alpha, beta" in r.stderr
