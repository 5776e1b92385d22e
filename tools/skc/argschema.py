# SPDX-License-Identifier: MIT
"""args checked against what the program reads.

A program that reads its args with the SDK's sk_arg_u64()/sk_arg_str()
declares each key in a section .sk_args of its ELF (never loaded:
strings "u64:name" / "str:name").  When a partition's image carries
that section, every key of its `args` must be one the program reads,
with the type it reads: `treshold = 99` next to a program reading
"threshold" is an error with a did-you-mean, not a default silently
used.  Images without the section (other toolchains, OS kernels) are
not checked.
"""

import struct

from . import units as u
from .diag import fmt_value

SECTION = b".sk_args"
_KINDS = {"u64": "an integer", "str": "a string"}


def declared(blob):
    """{key: kind} from the ELF's .sk_args section, or None without one."""
    try:
        shoff, = struct.unpack_from("<Q", blob, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", blob, 0x3a)
        if not shoff or shentsize < 64 or shstrndx >= shnum:
            return None
        secs = [struct.unpack_from("<IIQQQQIIQQ", blob, shoff + i * shentsize)
                for i in range(shnum)]
        names = secs[shstrndx]
        for s in secs:
            off = names[4] + s[0]
            name = blob[off:blob.index(b"\0", off)]
            if name == SECTION:
                data = blob[s[4]:s[4] + s[5]]
                break
        else:
            return None
    except (struct.error, ValueError, IndexError):
        return None
    keys = {}
    for item in data.split(b"\0"):
        kind, _, key = item.decode("ascii", "replace").partition(":")
        if key and kind in _KINDS:
            keys[key] = kind
    return keys


def check(diag, parts):
    for p in parts:
        path = getattr(p, "image_path", None)
        if not path or not p.args_ok or not p.args:
            continue
        try:
            with open(path, "rb") as f:
                keys = declared(f.read())
        except OSError:
            continue
        if keys is None:
            continue
        for k, v in p.args.items():
            where = ("partition", p.id, "args", k)
            what = "%s: args.%s = %s" % (p.label, k, fmt_value(v))
            if k not in keys:
                reads = ", ".join(sorted(keys)) or "no args at all"
                close = [c for c in _close(k, keys)]
                fix = ('did you mean "%s"?' % close[0] if close else
                       "remove it, or read it in the program with sk_arg_u64(\"%s\", ...)"
                       % k)
                diag.error(where, "%s: %s does not read this key (it reads: %s)" %
                           (what, path, reads), fix)
            elif (keys[k] == "u64") != u.is_int(v):
                diag.error(where, "%s: the program reads it as %s" %
                           (what, _KINDS[keys[k]]),
                           "write it as %s" % _KINDS[keys[k]])


def _close(word, keys):
    import difflib
    return difflib.get_close_matches(word, list(keys), n=1, cutoff=0.6)
