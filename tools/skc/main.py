# SPDX-License-Identifier: MIT
"""The command line: validate a configuration, then write its build."""

import argparse
import os
import re
import shutil
import sys
import tomllib
from types import SimpleNamespace

from . import channels, emit, image, layout, sched, schema
from . import units as u
from .diag import Diag
from .locate import Locator

USAGE = "%(prog)s CONFIG.toml --out DIR [--search DIR]... [--check]"

# Hints for tomllib's messages, by prefix.
_TOML_HINTS = (
    ("Unterminated string", "close the string with a matching quote on the same line"),
    ("Invalid value", 'quote strings ("256K"), write booleans as true/false'),
    ("Expected '=' after a key", "write key = value, one per line"),
    ("Cannot overwrite a value", "a key is set twice: remove one of them"),
    ("Cannot declare", "a table is declared twice: use [[...]] for repeated tables"),
    ("Invalid statement", "each line is a key = value, a [table] or a [[table]]"),
)


def load(path, diag):
    """Read and parse the file; None (with errors reported) if impossible."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        diag.error_at(1, "cannot read the configuration: %s" % e.strerror,
                      "check the file name")
        return None, None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        diag.error_at(raw.count(b"\n", 0, e.start) + 1, "not UTF-8 text",
                      "save the file as UTF-8")
        return None, None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        if m:
            line, where = int(m.group(1)), "line %s, column %s" % m.groups()
        else:
            line, where = text.count("\n") + 1, "the end of the file"
        reason = re.sub(r"\s*\(at [^)]*\)\s*$", "", msg)
        hint = next((h for p, h in _TOML_HINTS if reason.startswith(p)), None)
        fix = "correct the TOML at %s" % where + ("; " + hint if hint else "")
        diag.error_at(line, "TOML syntax error: %s" % reason, fix)
        return None, None


def compile_config(path, search_dirs):
    """Validate everything; returns (diag, model or None)."""
    diag = Diag(path)
    doc, text = load(path, diag)
    if doc is None:
        return diag, None
    diag.locator = Locator(text)

    schema.check_top(diag, doc)
    system = schema.check_system(diag, doc)
    parts = schema.check_partitions(diag, doc, system)
    chans = channels.check_channels(diag, doc, parts, system)
    image.check_images(diag, parts, os.path.dirname(path) or ".", search_dirs)
    image.check_initrds(diag, parts, os.path.dirname(path) or ".", search_dirs)
    plans = sched.build_plans(diag, doc, system, parts)

    limit = None
    if (parts and len(parts) <= u.MAX_PARTS and all(p.complete() for p in parts)
            and None not in (system.name, system.memory)):
        limit = layout.build(diag, system, parts, chans)
    if diag or limit is None or plans is None:
        return diag, None
    return diag, SimpleNamespace(system=system, parts=parts, plans=plans,
                                 limit=limit, channels=chans)


def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="skc.py", usage=USAGE,
        description="Validate a sepkernel configuration and generate its build.")
    ap.add_argument("config", help="the system's TOML configuration")
    ap.add_argument("--out", help="output directory, e.g. build/demo")
    ap.add_argument("--search", action="append", default=[], metavar="DIR",
                    help="where to look for partition images (repeatable)")
    ap.add_argument("--check", action="store_true",
                    help="validate only; write nothing")
    a = ap.parse_args(argv)
    if not a.check and not a.out:
        ap.error("--out DIR is required (or --check)")
    out = a.out.rstrip("/") if a.out else None
    if out is not None and not out:
        ap.error("--out must not be the root directory")

    diag, model = compile_config(a.config, a.search)
    if model is None:
        for msg in diag.messages():
            print(msg, file=sys.stderr)
        if not diag:
            print("%s: internal error: nothing to build" % a.config, file=sys.stderr)
        n = diag.count()
        if a.check or out is None:
            print("skc: %d error%s in %s" % (n, "" if n == 1 else "s", a.config),
                  file=sys.stderr)
        else:
            _remove(out + ".tmp")
            _remove(out)
            print("skc: %d error%s in %s; %s not written" %
                  (n, "" if n == 1 else "s", a.config, out), file=sys.stderr)
        return 1

    s = model.system
    if a.check:
        print("ok: %s (%d partition%s, %d hart%s)" %
              (a.config, len(model.parts), "" if len(model.parts) == 1 else "s",
               s.harts, "" if s.harts == 1 else "s"))
        return 0

    tmp = out + ".tmp"
    try:
        _remove(tmp)
        os.makedirs(tmp)
        emit.write_all(tmp, out, a.config, s, model.parts, model.plans, model.limit,
                       model.channels)
        _remove(out)
        os.rename(tmp, out)
    except OSError as e:
        print("%s: cannot write %s: %s" % (a.config, e.filename or out, e.strerror),
              file=sys.stderr)
        _remove(tmp)
        _remove(out)
        return 1
    pool = sum(layout.pool_pages(p) for p in model.parts)
    print("skc: %s -> %s: %d partition%s, %d hart%s, kernel_limit 0x%x, pool %d pages"
          % (a.config, out, len(model.parts), "" if len(model.parts) == 1 else "s",
             s.harts, "" if s.harts == 1 else "s", model.limit, pool))
    return 0
