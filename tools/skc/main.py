# SPDX-License-Identifier: MIT
"""The command line: validate a configuration, then write its build."""

import argparse
import os
import re
import shutil
import sys
import tomllib
from types import SimpleNamespace

from . import (argschema, bounds, channels, depfile, emit, image, layout,
               protocol, reload, sched, schema)
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
    deep = _too_deep(text)
    if deep:
        diag.error_at(deep, "arrays or inline tables nested more than %d levels deep"
                      % u.MAX_NESTING, "flatten the value: no key needs more than "
                      "two levels")
        return None, None
    try:
        return tomllib.loads(text), text
    except RecursionError:
        diag.error_at(1, "the document is nested too deeply to read",
                      "flatten the arrays and inline tables")
        return None, None
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


def _too_deep(text):
    """The line where [ and { nest past MAX_NESTING inside a value, or 0.

    tomllib reads nested values recursively, so very deep nesting would
    exhaust Python's stack; strings and comments are skipped roughly
    (an unbalanced guess only matters for text tomllib rejects anyway).
    """
    depth, line, quote, i, n = 0, 1, None, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            if quote in ('"', "'"):
                quote = None
        elif quote:
            if c == "\\" and quote[0] == '"':
                i += 1
            elif text.startswith(quote, i):
                i += len(quote) - 1
                quote = None
        elif c == "#":
            j = text.find("\n", i)
            i = (j if j >= 0 else n) - 1
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote) - 1
        elif c in "[{":
            depth += 1
            if depth > u.MAX_NESTING:
                return line
        elif c in "]}":
            depth = max(depth - 1, 0)
        i += 1
    return 0


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
    protos = protocol.check_protocols(diag, doc, chans)
    image.check_images(diag, parts, os.path.dirname(path) or ".", search_dirs)
    image.check_initrds(diag, parts, os.path.dirname(path) or ".", search_dirs)
    argschema.check(diag, parts)
    plans = sched.build_plans(diag, doc, system, parts)
    bounds.check(diag, system, parts, plans)

    limit = None
    if (parts and len(parts) <= u.MAX_PARTS and all(p.complete() for p in parts)
            and None not in (system.name, system.memory)):
        limit = layout.build(diag, system, parts, chans)
        if limit is not None and not bounds.check_reserve(diag, system, parts, chans):
            limit = None
    if limit is not None and plans is not None and system.guard is not None:
        reload.check(diag, system, parts, plans)
    if diag or limit is None or plans is None:
        return diag, None
    return diag, SimpleNamespace(system=system, parts=parts, plans=plans,
                                 limit=limit, channels=chans, protocols=protos)


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

    try:
        diag, model = compile_config(a.config, a.search)
    except Exception as e:      # a bug in skc: still one clean line, no traceback
        print("%s:1: internal error in skc: %s: %s; fix: report this configuration "
              "as an skc bug" % (a.config, type(e).__name__, e), file=sys.stderr)
        print("skc: 1 error in %s" % a.config, file=sys.stderr)
        if out is not None and not a.check:
            _remove(out + ".tmp")
            _remove(out)
        return 1
    if model is None:
        for msg in diag.messages():
            print(msg, file=sys.stderr)
        if not diag:
            print("%s:1: internal error in skc: nothing to build; fix: report this "
                  "configuration as an skc bug" % a.config, file=sys.stderr)
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
        for line in reload.summary(model.parts):
            print(line)
        return 0

    tmp = out + ".tmp"
    try:
        _remove(tmp)
        os.makedirs(tmp)
        emit.write_all(tmp, out, a.config, s, model.parts, model.plans, model.limit,
                       model.channels, model.protocols)
        with open(os.path.join(tmp, "system.d"), "w") as f:
            f.write(depfile.text(os.path.join(out, "system.c"),
                                 depfile.inputs(a.config, model.parts)))
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
    for line in reload.summary(model.parts):
        print(line)
    return 0
