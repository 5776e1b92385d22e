#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""make soak: the fuzzer against the kernel for as long as asked.

    make soak [SOAK_SECONDS=60] [SOAK_SEED=1]

Builds contain_fuzz.toml with the seed and a stop_after of the asked
(virtual) time, boots it under -icount, and reports how many hostile
operations the system survived, whether the kernel ever stopped, and
whether the well-behaved partitions finished their work intact.  Not part
of make test.  Exit status 1 if anything went wrong.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sk import BUILD, ROOT, boot  # noqa: E402


def main():
    seconds = float(os.environ.get("SOAK_SECONDS", "60"))
    seed = int(os.environ.get("SOAK_SEED", "1"))
    frames = int(seconds * 1000 / 6)            # 6 ms major frames
    src = (ROOT / "harness/systems/contain_fuzz.toml").read_text()
    cfg = src.replace('name = "contain_fuzz"', 'name = "soak"')
    cfg = re.sub(r'stop_after = "\d+ms"', 'stop_after = "%dms"' % (frames * 6 + 300), cfg)
    cfg = re.sub(r"seed = \d+", "seed = %d" % seed, cfg)
    cfg = re.sub(r"count = \d+", "count = %d" % frames, cfg)
    cfg = re.sub(r"frames = \d+", "frames = %d" % frames, cfg)
    path = BUILD / "soak.toml"
    BUILD.mkdir(exist_ok=True)
    path.write_text(cfg)
    t0 = time.time()
    run = boot(path, timeout=max(600, seconds * 30))
    wall = time.time() - t0
    ops = sum(int(m.group(1)) for l in run.output.get("hostile", [])
              for m in [re.search(r"ops=(\d+)$", l)] if m)
    hostile = run.of("summary", part="hostile")
    faults = int(hostile[0]["faults"]) if hostile else 0
    ok = (not run.timed_out and run.halt and run.halt["reason"] == "stop_after"
          and not run.of("panic")
          and run.output.get("client", [""])[-1] == "ping done rounds=%d bad=0" % frames)
    print("soak: seed %d, %.0f s of system time in %.0f s: %d hostile operations, "
          "%d faults contained, kernel %s, neighbours %s" %
          (seed, seconds, wall, ops, faults,
           "never stopped" if run.halt and not run.of("panic") else "STOPPED",
           "intact" if ok else "DISTURBED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
