# SPDX-License-Identifier: MIT
"""Line numbers for TOML key paths.

tomllib gives none, so the text is scanned once more.  The text has
already been accepted by tomllib, so this scanner only tracks
structure: table headers (array-of-tables counted in order), keys,
and the elements of arrays and inline tables.  A path is a tuple of
keys and array indices, e.g. ("partition", 2, "memory") or
("schedule", 0, "slots", 1, "length").
"""

import re

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class Locator:
    """Maps key paths to the line that defines them."""

    def __init__(self, text):
        self.lines = {}
        try:
            _Scanner(text, self.lines).run()
        except (IndexError, ValueError, RecursionError):
            pass        # keep what was found; the rest falls back

    def line(self, path):
        """The line of path, or of its nearest located ancestor."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


class _Scanner:
    def __init__(self, text, lines):
        self.s = text
        self.i = 0
        self.ln = 1
        self.lines = lines
        self.aot = {}       # array-of-tables key -> elements so far

    def peek(self, n=1):
        return self.s[self.i:self.i + n]

    def adv(self, n=1):
        self.ln += self.s.count("\n", self.i, self.i + n)
        self.i += n

    def eof(self):
        return self.i >= len(self.s)

    def record(self, path, exact=True):
        if exact:
            self.lines[path] = self.ln
        else:
            self.lines.setdefault(path, self.ln)

    def skip_ws(self, newlines):
        while not self.eof():
            c = self.s[self.i]
            if c in " \t":
                self.adv()
            elif c == "#":
                end = self.s.find("\n", self.i)
                self.adv((end if end >= 0 else len(self.s)) - self.i)
            elif newlines and c in "\r\n":
                self.adv()
            else:
                break

    def expect(self, tok):
        if not self.s.startswith(tok, self.i):
            raise ValueError("expected %r at line %d" % (tok, self.ln))
        self.adv(len(tok))

    def string(self):
        """Skip a string; return its raw content (enough for key names)."""
        for q in ('"""', "'''", '"', "'"):
            if self.s.startswith(q, self.i):
                break
        self.adv(len(q))
        start = self.i
        while not self.s.startswith(q, self.i):
            if self.eof():
                raise ValueError("unterminated string")
            self.adv(2 if q[0] == '"' and self.s[self.i] == "\\" else 1)
        body = self.s[start:self.i]
        self.adv(len(q))
        if len(q) == 3:         # up to two quotes may end the body too
            while self.peek() == q[0]:
                self.adv()
        return body

    def key(self):
        parts = []
        while True:
            self.skip_ws(False)
            if self.peek() in ('"', "'"):
                parts.append(self.string())
            else:
                m = _BARE_KEY.match(self.s, self.i)
                if not m:
                    raise ValueError("expected a key at line %d" % self.ln)
                parts.append(m.group(0))
                self.adv(len(m.group(0)))
            self.skip_ws(False)
            if self.peek() != ".":
                return tuple(parts)
            self.adv()

    def resolve(self, key, new_element):
        """Insert the current index after every array-of-tables prefix."""
        path = []
        for n in range(1, len(key) + 1):
            path.append(key[n - 1])
            sub = key[:n]
            if n == len(key) and new_element:
                count = self.aot.get(sub, 0)
                self.aot[sub] = count + 1
                path.append(count)
            elif sub in self.aot:
                path.append(self.aot[sub] - 1)
        return tuple(path)

    def keyval(self, prefix):
        key = self.key()
        for n in range(1, len(key)):
            self.record(prefix + key[:n], exact=False)
        path = prefix + key
        self.record(path)
        self.expect("=")
        self.skip_ws(False)
        self.value(path)

    def value(self, path):
        c = self.peek()
        if c == "[":
            self.adv()
            n = 0
            while True:
                self.skip_ws(True)
                if self.peek() == "]":
                    self.adv()
                    return
                self.record(path + (n,))
                self.value(path + (n,))
                self.skip_ws(True)
                if self.peek() == ",":
                    self.adv()
                n += 1
        elif c == "{":
            self.adv()
            while True:
                self.skip_ws(False)
                if self.peek() == "}":
                    self.adv()
                    return
                self.keyval(path)
                self.skip_ws(False)
                if self.peek() == ",":
                    self.adv()
        elif c in ('"', "'"):
            self.string()
        else:
            m = re.compile(r"[^,\]}#\r\n]*").match(self.s, self.i)
            self.adv(len(m.group(0)))

    def run(self):
        prefix = ()
        while True:
            self.skip_ws(True)
            if self.eof():
                return
            if self.s.startswith("[[", self.i):
                self.adv(2)
                prefix = self.resolve(self.key(), True)
                self.expect("]]")
                self.record(prefix)
                self.record(prefix[:-1], exact=False)   # the array itself
            elif self.peek() == "[":
                self.adv()
                prefix = self.resolve(self.key(), False)
                self.expect("]")
                self.record(prefix, exact=False)
            else:
                self.keyval(prefix)
