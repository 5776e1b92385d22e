#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""skc - the sepkernel configuration compiler.

usage: /usr/bin/python3 tools/skc.py CONFIG.toml --out build/<stem>
                                     [--search DIR]... [--check]

Validates the configuration and every partition image.  On success it
writes build/<stem>/ (system.c, blobs.S, layout.json, qemu.args and
per partition .bin, .dts, .dtb, .pkg); on any error it prints each
one as FILE:LINE: ...; fix: ..., writes nothing, removes the old
output directory and exits 1.  Bad usage exits 2.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from skc.main import main  # noqa: E402  (the package beside this file)

if __name__ == "__main__":
    sys.exit(main())
