#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""mkcpio.py OUT INIT - write the Linux partition's initramfs: a newc
("070701") cpio archive holding /dev/console, /dev/mem, /dev/ttyS0 and /init.

Every field is fixed (owner 0, mtime 0, inode numbers in order), so the
same init gives the same bytes, and so the same signature."""
import sys

S_IFDIR, S_IFREG, S_IFCHR = 0o040000, 0o100000, 0o020000


def entry(ino, name, mode, data=b"", rdev=(0, 0), nlink=1):
    name = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1],
              len(name), 0]
    head = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = head + name
    out += b"\0" * (-len(out) % 4)
    out += data
    return out + b"\0" * (-len(out) % 4)


def main():
    out, init = sys.argv[1], sys.argv[2]
    with open(init, "rb") as f:
        code = f.read()
    blob = b"".join([
        entry(1, "dev", S_IFDIR | 0o755, nlink=2),
        entry(2, "dev/console", S_IFCHR | 0o600, rdev=(5, 1)),
        entry(3, "dev/mem", S_IFCHR | 0o600, rdev=(1, 1)),
        entry(4, "dev/ttyS0", S_IFCHR | 0o600, rdev=(4, 64)),
        entry(5, "init", S_IFREG | 0o755, code),
        entry(0, "TRAILER!!!", 0),
    ])
    blob += b"\0" * (-len(blob) % 512)
    with open(out, "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main()
