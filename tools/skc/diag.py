# SPDX-License-Identifier: MIT
"""Error collection: every error carries a line, a reason and a fix."""

import difflib
import json
import unicodedata


class Diag:
    """Collects errors for one configuration file and prints them sorted."""

    def __init__(self, filename, locator=None):
        self.filename = filename
        self.locator = locator
        self.errors = []            # (line, sequence, text)

    def line(self, path):
        return self.locator.line(path) if self.locator else 1

    def error(self, path, text, fix):
        """Record an error at the line of the TOML key path."""
        self.error_at(self.line(path), text, fix)

    def error_at(self, line, text, fix):
        msg = "%s:%d: %s" % (self.filename, line, printable(text))
        if fix:
            msg += "; fix: " + printable(fix)
        self.errors.append((line, len(self.errors), msg))

    def __bool__(self):
        return bool(self.errors)

    def count(self):
        return len(self.errors)

    def messages(self):
        return [text for _, _, text in sorted(self.errors)]


def printable(s):
    """s with control and invisible characters escaped: one message, one line."""
    return "".join(c if unicodedata.category(c)[0] != "C" and
                   unicodedata.category(c) not in ("Zl", "Zp") else
                   "\\x%02x" % ord(c) if ord(c) < 0x100 else "\\u%04x" % ord(c)
                   for c in s)


def fmt_value(v, limit=60):
    """A value as it would be written in TOML, shortened if long."""
    if isinstance(v, bool):
        s = "true" if v else "false"
    elif isinstance(v, str):
        s = json.dumps(v, ensure_ascii=False)
    elif isinstance(v, (int, float)):
        s = repr(v)
    elif isinstance(v, dict):
        s = "{ " + ", ".join("%s = %s" % (k, fmt_value(x, limit))
                             for k, x in v.items()) + " }"
    elif isinstance(v, list):
        s = "[" + ", ".join(fmt_value(x, limit) for x in v) + "]"
    else:
        s = str(v)
    if len(s) > limit:
        s = s[:limit - 3] + "..."
    return s


def type_name(v):
    """How a TOML value's type is named in messages."""
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, int):
        return "an integer"
    if isinstance(v, float):
        return "a float"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "an array"
    if isinstance(v, dict):
        return "a table"
    return "a date/time"


def suggest(word, choices, what="key"):
    """A fix naming the closest valid choice, or listing them all."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return 'did you mean "%s"?' % close[0]
    names = ", ".join('"%s"' % c for c in sorted(choices))
    if what == "key":
        return "remove it; valid keys are " + names
    return "use one of " + names
