#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""checkconfig.py FRAGMENT DOTCONFIG - fail if Kconfig dropped any line of
the fragment (an unmet dependency turns a wanted option silently off)."""
import re
import sys


def read(path):
    opts = {}
    for line in open(path):
        m = re.match(r"(CONFIG_\w+)=(.*)", line.strip())
        if m:
            opts[m[1]] = m[2]
        m = re.match(r"# (CONFIG_\w+) is not set", line.strip())
        if m:
            opts[m[1]] = "n"
    return opts


want, got = read(sys.argv[1]), read(sys.argv[2])
bad = [(k, v, got.get(k, "n")) for k, v in want.items() if got.get(k, "n") != v]
for k, v, g in bad:
    print("%s: %s=%s wanted, .config has %s (a dependency is missing)"
          % (sys.argv[1], k, v, g), file=sys.stderr)
sys.exit(1 if bad else 0)
