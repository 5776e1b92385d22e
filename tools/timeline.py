#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""timeline.py - draw each hart's static plan from build/<sys>/layout.json.

    tools/timeline.py build/schedule/layout.json [--width 60] [--frames 2]

One row per hart, one character per time step, each slot drawn with its
partition's initial (the legend says which is which), '.' for idle.
"""
import argparse
import json
import sys


def draw(layout, width, frames):
    plans = [p for p in layout["plans"] if p["slots"]]
    if not plans:
        return "no plans"
    span = max(p["major_frame"] for p in plans) * frames
    step = span / width
    names = sorted({s["partition"] for p in plans for s in p["slots"] if s["partition"]})
    marks, used = {}, set()
    for n in names:
        c = next((ch for ch in n + n.upper() + "abcdefghijklmnopqrstuvwxyz0123456789"
                  if ch.isalnum() and ch not in used), "?")
        marks[n] = c
        used.add(c)
    us = lambda ticks: "%gms" % (ticks / 10000) if ticks % 10000 == 0 else "%gus" % (ticks / 10)
    out = ["time  0%s%s" % (" " * (width - len(us(span)) - 1), us(span))]
    for p in plans:
        row = []
        for i in range(width):
            t = (i + 0.5) * step % p["major_frame"]
            s = next((s for s in p["slots"] if s["start"] <= t < s["start"] + s["length"]),
                     None)
            row.append(marks[s["partition"]] if s and s["partition"] else ".")
        out.append("hart %d |%s| frame %s" % (p["hart"], "".join(row), us(p["major_frame"])))
    out.append("       " + "  ".join("%s = %s" % (marks[n], n) for n in names) + "  . = idle")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("layout")
    ap.add_argument("--width", type=int, default=60)
    ap.add_argument("--frames", type=int, default=2)
    a = ap.parse_args()
    try:
        with open(a.layout) as f:
            layout = json.load(f)
    except FileNotFoundError:
        print("timeline.py: %s: no such file; build the system first (make image "
              "CONFIG=...), then give build/<system>/layout.json" % a.layout,
              file=sys.stderr)
        return 1
    except (OSError, ValueError) as e:
        print("timeline.py: %s: cannot read it as layout.json: %s" % (a.layout, e),
              file=sys.stderr)
        return 1
    if a.width < 10 or a.frames < 1:
        print("timeline.py: --width must be at least 10 and --frames at least 1",
              file=sys.stderr)
        return 1
    try:
        print(draw(layout, a.width, a.frames))
    except (KeyError, TypeError) as e:
        print("timeline.py: %s: not a layout.json (missing %s); fix: give "
              "build/<system>/layout.json" % (a.layout, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
