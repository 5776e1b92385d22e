#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""report.py - one self-contained HTML page that draws a built system.

    tools/report.py build/<sys>          writes build/<sys>/report.html

Everything comes from build/<sys>/layout.json (and signing.log when it
is there): the host memory map, each partition's guest-physical map,
the channel graph, each hart's schedule over one major frame, the
signing digests and the figures that matter.  The page has no external
resource (inline CSS and SVG, a few lines of script that measure the
drawings once rendered, for the browser test).  Fields other tools add
to layout.json later (protocols, reload time...) are shown when present
and never required.
"""
import argparse
import html
import json
import math
import os
import sys

GUEST_RAM = 0x80000000
GUEST_DTB = 0x7fe00000
BOARD_RAM = 0x80000000
OPENSBI_END = 0x80200000
COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
           "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
# Fields of the compiler's own that the tables show in fixed columns.
PART_KNOWN = {"name", "id", "hart", "ram_hpa", "ram_size", "entry", "pkg_size",
              "image_size", "dtb_off", "dtb_size", "cfg_off", "cfg_size", "sha256",
              "blake2b",
              "ports", "vmid", "image"}
CHAN_KNOWN = {"name", "id", "kind", "writer", "readers", "msg_size", "depth",
              "refresh", "size", "win_hpa", "types", "max_size", "max_per_frame",
              "protocol"}


class ReportError(Exception):
    pass


def num(v):
    """An address or size: an int, or a hex/decimal string."""
    if isinstance(v, bool) or v is None:
        return 0
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        try:
            return int(v, 0)
        except ValueError:
            return 0
    return 0


def esc(s):
    return html.escape(str(s), quote=True)


def size(n):
    for unit, shift in (("G", 30), ("M", 20), ("K", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return "%d%s" % (n >> shift, unit)
    if n >= 1 << 20:
        return "%.1fM" % (n / (1 << 20))
    if n >= 1 << 10:
        return "%.1fK" % (n / 1024)
    return "%dB" % n


def ticks(t, hz):
    us = t * 1e6 / hz
    if us >= 1000 and us % 1000 == 0:
        return "%dms" % (us // 1000)
    if us >= 1000:
        return "%.3gms" % (us / 1000)
    return "%gus" % us


def colour_map(layout):
    return {p["name"]: COLOURS[i % len(COLOURS)]
            for i, p in enumerate(layout.get("partitions", []))}


def mem_svg(svg_id, regions, title):
    """A vertical map: one band per region, heights by log2 of the size so
    a 4 KiB window and a 64 MiB partition are both readable."""
    rows, y = [], 30
    width = 560
    for r in regions:
        h = max(22, min(90, 8 * math.log2(max(r["size"], 4096)) - 70))
        rows.append((y, h, r))
        y += h
    out = ['<svg id="%s" class="memmap" xmlns="http://www.w3.org/2000/svg" '
           'width="%d" height="%d" role="img"><title>%s</title>' %
           (svg_id, width, y + 10, esc(title))]
    out.append('<text x="4" y="18" class="h">%s</text>' % esc(title))
    for y0, h, r in rows:
        out.append('<g class="region" data-name="%s" data-kind="%s" data-start="0x%x" '
                   'data-size="0x%x">' % (esc(r["name"]), r["kind"], r["start"], r["size"]))
        out.append('<rect x="150" y="%d" width="250" height="%d" fill="%s" '
                   'stroke="#333"/>' % (y0, h, r["colour"]))
        out.append('<text x="146" y="%d" text-anchor="end" class="addr">0x%x</text>' %
                   (y0 + 11, r["start"]))
        out.append('<text x="275" y="%d" text-anchor="middle" class="lbl">%s</text>' %
                   (y0 + h / 2 + 4, esc(r["name"])))
        out.append('<text x="406" y="%d" class="addr">%s</text></g>' %
                   (y0 + h / 2 + 4, size(r["size"])))
    if rows:
        y0, h, r = rows[-1]
        out.append('<text x="146" y="%d" text-anchor="end" class="addr">0x%x</text>' %
                   (y0 + h, r["start"] + r["size"]))
    out.append("</svg>")
    return "".join(out)


def host_regions(layout, colours):
    regions = [{"name": "OpenSBI", "kind": "firmware", "start": BOARD_RAM,
                "size": OPENSBI_END - BOARD_RAM, "colour": "#ddd"}]
    kb, kl = num(layout.get("kernel_base")), num(layout.get("kernel_limit"))
    pkgs = sum(-(-p.get("pkg_size", 0) // 4096) * 4096
               for p in layout.get("partitions", []))
    if kl > kb:
        regions.append({"name": "kernel + %s of packages" % size(pkgs),
                        "kind": "kernel", "start": kb, "size": kl - kb,
                        "colour": "#999"})
    for p in layout.get("partitions", []):
        regions.append({"name": "%s RAM" % p["name"], "kind": "partition",
                        "start": num(p.get("ram_hpa")), "size": p.get("ram_size", 0),
                        "colour": colours[p["name"]]})
    for c in layout.get("channels", []):
        if num(c.get("win_hpa")):
            regions.append({"name": "window %s" % c["name"], "kind": "window",
                            "start": num(c["win_hpa"]), "size": c.get("size", 0),
                            "colour": "#c9b3e6"})
    regions.sort(key=lambda r: r["start"])
    end = BOARD_RAM + layout.get("memory", 0)
    filled, cursor = [], BOARD_RAM
    for r in regions:
        if r["start"] > cursor:
            filled.append({"name": "free", "kind": "free", "start": cursor,
                           "size": r["start"] - cursor, "colour": "#fff"})
        filled.append(r)
        cursor = max(cursor, r["start"] + r["size"])
    if end > cursor:
        filled.append({"name": "free", "kind": "free", "start": cursor,
                       "size": end - cursor, "colour": "#fff"})
    return filled


def guest_regions(p, colour):
    regions = [{"name": "device tree (read-only)", "kind": "dtb", "start": GUEST_DTB,
                "size": max(4096, -(-p.get("dtb_size", 0) // 4096) * 4096),
                "colour": "#e8e8e8"},
               {"name": "RAM (image %s)" % size(p.get("image_size", 0)), "kind": "ram",
                "start": GUEST_RAM, "size": p.get("ram_size", 0), "colour": colour}]
    for pt in p.get("ports", []):
        if num(pt.get("win_gpa")):
            regions.append({"name": "window %s (%s)" % (pt["channel"],
                                                         "rw" if pt["dir"] == "send" else "ro"),
                            "kind": "window", "start": num(pt["win_gpa"]),
                            "size": pt.get("size", 0) or 4096, "colour": "#c9b3e6"})
    if p.get("uart"):
        regions.append({"name": "virtual UART (trapped)", "kind": "uart",
                        "start": 0x10000000, "size": 4096, "colour": "#f3d9a4"})
    return sorted(regions, key=lambda r: r["start"])


def policy_text(c):
    bits = []
    types = num(c.get("types"))
    if types and types != (1 << 64) - 1:
        bits.append("types " + ",".join(str(t) for t in range(64) if types >> t & 1))
    if c.get("max_size") and c.get("max_size") != c.get("msg_size"):
        bits.append("max %dB" % c["max_size"])
    if c.get("max_per_frame"):
        bits.append("%d/frame" % c["max_per_frame"])
    if c.get("protocol"):
        pr = c["protocol"]
        bits.append("protocol %s" % (pr if isinstance(pr, str) else
                                     pr.get("name", "") if isinstance(pr, dict) else pr))
    return "; ".join(bits)


def chan_label(c):
    if c["kind"] == "shared":
        return "%s: shared %s" % (c["name"], size(c.get("size", 0)))
    if c["kind"] == "queuing":
        return "%s: queuing %dx%dB" % (c["name"], c.get("depth", 0), c.get("msg_size", 0))
    return "%s: sampling %dB" % (c["name"], c.get("msg_size", 0))


def graph_svg(layout, colours):
    parts = [p["name"] for p in layout.get("partitions", [])]
    chans = layout.get("channels", [])
    nodes = list(parts)
    if any(c.get("writer") is None for c in chans):
        nodes.append("kernel")
    n = max(len(nodes), 1)
    w, hgt = 720, 200 + 60 * n
    cx, cy, rad = w / 2, hgt / 2, min(w, hgt) / 2 - 70
    pos = {name: (cx + rad * math.cos(2 * math.pi * i / n - math.pi / 2),
                  cy + rad * math.sin(2 * math.pi * i / n - math.pi / 2))
           for i, name in enumerate(nodes)}
    out = ['<svg id="channel-graph" xmlns="http://www.w3.org/2000/svg" width="%d" '
           'height="%d" role="img"><title>channel graph</title>' % (w, hgt),
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
           'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
           '<path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>']
    pair = {}
    for c in chans:
        src = c.get("writer") or "kernel"
        for r in c.get("readers", []):
            if src not in pos or r not in pos:
                continue
            (x1, y1), (x2, y2) = pos[src], pos[r]
            d = math.hypot(x2 - x1, y2 - y1) or 1
            ux, uy = (x2 - x1) / d, (y2 - y1) / d
            k = pair.get((src, r), 0)
            pair[(src, r)] = k + 1
            bend = 35 + 60 * k      # edges between one pair fan out
            mx, my = (x1 + x2) / 2 - uy * bend, (y1 + y2) / 2 + ux * bend
            sx, sy, ex, ey = x1 + ux * 34, y1 + uy * 34, x2 - ux * 36, y2 - uy * 36
            dash = {"sampling": "6,3", "shared": "2,3"}.get(c["kind"], "")
            pol = policy_text(c)
            audit = c.get("writer") is None
            out.append('<g class="edge" data-channel="%s" data-kind="%s" data-from="%s" '
                       'data-to="%s"%s>' % (esc(c["name"]), c["kind"], esc(src), esc(r),
                                            ' data-audit="1"' if audit else ""))
            out.append('<path d="M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f" fill="none" '
                       'stroke="%s" stroke-width="2" stroke-dasharray="%s" '
                       'marker-end="url(#arrow)"/>' %
                       (sx, sy, mx, my, ex, ey, "#b22" if audit else "#333", dash))
            lx, ly = (sx + 2 * mx + ex) / 4, (sy + 2 * my + ey) / 4
            out.append('<text x="%.1f" y="%.1f" text-anchor="middle" class="elbl">%s</text>'
                       % (lx, ly, esc(chan_label(c) + (" (audit)" if audit else ""))))
            if pol:
                out.append('<text x="%.1f" y="%.1f" text-anchor="middle" class="pol">%s'
                           '</text>' % (lx, ly + 12, esc(pol)))
            out.append("</g>")
    for name, (x, y) in pos.items():
        fill = colours.get(name, "#999")
        out.append('<g class="node" data-name="%s"><circle cx="%.1f" cy="%.1f" r="32" '
                   'fill="%s" stroke="#333"/><text x="%.1f" y="%.1f" text-anchor="middle" '
                   'class="nlbl">%s</text></g>' % (esc(name), x, y, fill, x, y + 4, esc(name)))
    out.append("</svg>")
    return "".join(out)


def protocol_svg(pr):
    """A protocol as a state diagram: states on a circle (double ring:
    final; thick ring and an entry arrow: initial), one arrow per
    transition labelled with its trigger, restart transitions dashed."""
    states = pr.get("states", [])
    n = max(len(states), 1)
    w = 760
    hgt = 260 + 36 * n
    cx, cy, rad = w / 2, hgt / 2, min(w, hgt) / 2 - 80
    pos = {st: (cx + rad * math.cos(2 * math.pi * i / n - math.pi / 2),
                cy + rad * math.sin(2 * math.pi * i / n - math.pi / 2))
           for i, st in enumerate(states)}
    sid = "protocol-%s" % pr.get("name", "?")
    out = ['<svg id="%s" class="protocol" xmlns="http://www.w3.org/2000/svg" width="%d" '
           'height="%d" role="img"><title>protocol %s</title>' %
           (esc(sid), w, hgt, esc(pr.get("name", "?"))),
           '<defs><marker id="%s-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
           'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
           '<path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>' % esc(sid)]
    pair, loops = {}, {}
    for t in pr.get("transitions", []):
        a, b = t.get("from"), t.get("to")
        if a not in pos or b not in pos:
            continue
        label = t["on"] if "on" in t else "restart %s" % t.get("restart", "?")
        dash = "" if "on" in t else "5,4"
        colour = "#333" if "on" in t else "#888"
        out.append('<g class="transition" data-from="%s" data-to="%s" data-on="%s">' %
                   (esc(a), esc(b), esc(label)))
        (x1, y1), (x2, y2) = pos[a], pos[b]
        if a == b:                  # a loop outward from the centre
            k = loops.get(a, 0)
            loops[a] = k + 1
            ang = math.atan2(y1 - cy, x1 - cx) + (k - 0.5) * 0.5
            ux, uy = math.cos(ang), math.sin(ang)
            px, py = -uy, ux
            sx, sy = x1 + ux * 26 + px * 12, y1 + uy * 26 + py * 12
            ex, ey = x1 + ux * 26 - px * 12, y1 + uy * 26 - py * 12
            c1 = (sx + ux * 50 + px * 25, sy + uy * 50 + py * 25)
            c2 = (ex + ux * 50 - px * 25, ey + uy * 50 - py * 25)
            out.append('<path d="M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="none" '
                       'stroke="%s" stroke-width="1.5" stroke-dasharray="%s" '
                       'marker-end="url(#%s-arrow)"/>' %
                       (sx, sy, c1[0], c1[1], c2[0], c2[1], ex, ey, colour, dash, esc(sid)))
            lx, ly = x1 + ux * 80, y1 + uy * 80
        else:
            d = math.hypot(x2 - x1, y2 - y1) or 1
            ux, uy = (x2 - x1) / d, (y2 - y1) / d
            k = pair.get((a, b), 0)
            pair[(a, b)] = k + 1
            bend = 40 + 30 * k      # a -> b and b -> a bend to opposite sides
            mx, my = (x1 + x2) / 2 - uy * bend, (y1 + y2) / 2 + ux * bend
            sx, sy, ex, ey = x1 + ux * 26, y1 + uy * 26, x2 - ux * 28, y2 - uy * 28
            out.append('<path d="M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f" fill="none" '
                       'stroke="%s" stroke-width="1.5" stroke-dasharray="%s" '
                       'marker-end="url(#%s-arrow)"/>' %
                       (sx, sy, mx, my, ex, ey, colour, dash, esc(sid)))
            lx, ly = (sx + 2 * mx + ex) / 4 - uy * 14, (sy + 2 * my + ey) / 4 + ux * 14
        out.append('<text x="%.1f" y="%.1f" text-anchor="middle" class="elbl">%s</text>'
                   '</g>' % (lx, ly, esc(label)))
    final = set(pr.get("final", []))
    for st, (x, y) in pos.items():
        ini = st == pr.get("initial")
        out.append('<g class="state" data-name="%s"%s%s>' %
                   (esc(st), ' data-initial="1"' if ini else "",
                    ' data-final="1"' if st in final else ""))
        if ini:
            out.append('<path d="M%.1f,%.1f L%.1f,%.1f" stroke="#333" stroke-width="2" '
                       'marker-end="url(#%s-arrow)"/>' % (x - 60, y - 40, x - 20, y - 16,
                                                          esc(sid)))
        out.append('<circle cx="%.1f" cy="%.1f" r="24" fill="#eef3f8" stroke="#333" '
                   'stroke-width="%d"/>' % (x, y, 3 if ini else 1))
        if st in final:
            out.append('<circle cx="%.1f" cy="%.1f" r="19" fill="none" stroke="#333"/>'
                       % (x, y))
        out.append('<text x="%.1f" y="%.1f" text-anchor="middle" class="nlbl">%s</text>'
                   '</g>' % (x, y + 4, esc(st)))
    out.append("</svg>")
    return "".join(out)


def schedule_svg(plan, layout, colours):
    hz = layout.get("timebase_hz", 10_000_000)
    frame = plan.get("major_frame") or 1
    guard = layout.get("guard", 0)
    w, left = 700, 60
    scale = (w - left - 20) / frame
    out = ['<svg id="schedule-hart-%d" class="sched" xmlns="http://www.w3.org/2000/svg" '
           'width="%d" height="92" role="img"><title>hart %d schedule</title>' %
           (plan["hart"], w, plan["hart"]),
           '<defs><pattern id="guard%d" width="4" height="4" patternUnits="userSpaceOnUse">'
           '<path d="M0,4 L4,0" stroke="#000" stroke-width="1"/></pattern></defs>'
           % plan["hart"],
           '<text x="4" y="34" class="h">hart %d</text>' % plan["hart"]]
    for s in plan.get("slots", []):
        x, sw = left + s["start"] * scale, max(1.0, s["length"] * scale)
        name = s.get("partition")
        out.append('<g class="slot" data-partition="%s" data-start="%d" data-length="%d">'
                   % (esc(name or "idle"), s["start"], s["length"]))
        out.append('<rect x="%.1f" y="14" width="%.1f" height="30" fill="%s" stroke="#333"/>'
                   % (x, sw, colours.get(name, "#fff") if name else "#fff"))
        if name and guard and guard < s["length"]:
            gw = guard * scale
            out.append('<rect class="guard" x="%.1f" y="14" width="%.1f" height="30" '
                       'fill="url(#guard%d)"/>' % (x + sw - gw, gw, plan["hart"]))
        if sw > 40:
            out.append('<text x="%.1f" y="33" text-anchor="middle" class="lbl">%s</text>'
                       % (x + sw / 2, esc(name or "idle")))
        out.append('<text x="%.1f" y="58" class="tick">%s</text></g>' %
                   (x + 1, ticks(s["start"], hz)))
    out.append('<text x="%.1f" y="74" text-anchor="end" class="tick">frame %s</text>' %
               (w - 20, ticks(frame, hz)))
    out.append("</svg>")
    return "".join(out)


def extra_fields(d, known):
    extra = {k: v for k, v in d.items() if k not in known}
    return "; ".join("%s=%s" % (k, json.dumps(v, separators=(",", ":")))
                     for k, v in sorted(extra.items()))


def figures_table(layout):
    hz = layout.get("timebase_hz", 10_000_000)
    rows = []
    for p in layout.get("partitions", []):
        slots = [s for pl in layout.get("plans", []) for s in pl.get("slots", [])
                 if s.get("partition") == p["name"]]
        frame = next((pl["major_frame"] for pl in layout.get("plans", [])
                      if pl["hart"] == p.get("hart")), 0)
        per = sum(s["length"] for s in slots)
        reload = next((p[k] for k in ("reload_frames", "reload_time_frames", "reload")
                       if k in p), None)
        rows.append("<tr data-partition=\"%s\"><td>%s</td><td>%s</td><td>%s</td>"
                    "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
                        esc(p["name"]), esc(p["name"]), p.get("hart", 0),
                        size(p.get("ram_size", 0)),
                        esc(", ".join(ticks(s["length"], hz) for s in slots) or "none"),
                        "%.1f%%" % (100 * per / frame) if frame else "-",
                        size(p.get("pkg_size", 0)),
                        esc(reload if reload is not None else "-"),
                        esc(extra_fields(p, PART_KNOWN | {"reload_frames",
                                                          "reload_time_frames",
                                                          "reload"}))))
    return ('<table id="figures"><tr><th>partition</th><th>hart</th><th>RAM</th>'
            '<th>slots per frame</th><th>share</th><th>package</th>'
            '<th>reload (frames)</th><th>more</th></tr>%s</table>' % "".join(rows))


def channels_table(layout):
    hz = layout.get("timebase_hz", 10_000_000)
    rows = []
    for c in layout.get("channels", []):
        what = {"queuing": "%d x %d B" % (c.get("depth", 0), c.get("msg_size", 0)),
                "sampling": "%d B, valid %s" % (c.get("msg_size", 0),
                                                ticks(c.get("refresh", 0), hz)),
                "shared": "%s window" % size(c.get("size", 0))}.get(c["kind"], "")
        rows.append("<tr data-channel=\"%s\"><td>%s</td><td>%s</td><td>%s</td>"
                    "<td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
                        esc(c["name"]), esc(c["name"]), esc(c["kind"]),
                        esc(c.get("writer") or "kernel (audit)"),
                        esc(", ".join(c.get("readers", []))), esc(what),
                        esc(policy_text(c) or "-"), esc(extra_fields(c, CHAN_KNOWN))))
    return ('<table id="channels"><tr><th>channel</th><th>kind</th><th>writer</th>'
            '<th>readers</th><th>size</th><th>policy</th><th>more</th></tr>%s</table>'
            % "".join(rows))


def digest_of(p):
    """(algorithm, hex) of a package's measurement, whichever the build used."""
    for k in ("blake2b", "sha256"):
        if p.get(k):
            return k, p[k]
    return "digest", ""


def digests_table(layout, signing):
    signed = {}
    for line in signing.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "signed" and "=" in parts[2]:
            signed[os.path.basename(parts[1])[:-4]] = parts[2].split("=", 1)[1]
    rows, algo = [], "digest"
    for p in layout.get("partitions", []):
        algo, d = digest_of(p)
        s = signed.get(p["name"])
        state = "signed" if s and s == d else (
            "MISMATCH" if s else "not signed yet")
        rows.append('<tr data-partition="%s"><td>%s</td><td><code>%s</code></td>'
                    '<td>%s</td></tr>' % (esc(p["name"]), esc(p["name"]), esc(d), state))
    return ('<table id="digests"><tr><th>package</th><th>%s (the boot\'s '
            'event=verified)</th><th>signing.log</th></tr>%s</table>' %
            (esc(algo), "".join(rows)))


CSS = """body{font:14px sans-serif;margin:20px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 7px;
text-align:left;vertical-align:top}code{font-size:11px;word-break:break-all}svg{display:block;margin:6px 0}
.h{font-weight:bold;font-size:14px}.addr,.tick{font:11px monospace;fill:#444}
.lbl,.nlbl{font-size:12px}.elbl{font-size:11px;fill:#111}.pol{font-size:10px;fill:#a22}
.guests{display:flex;flex-wrap:wrap;gap:10px}.note{color:#555}"""

SCRIPT = """// Once rendered, record each drawing's size: the browser test reads it.
window.addEventListener('load', function () {
  document.querySelectorAll('svg').forEach(function (s) {
    var b = s.getBBox();
    s.setAttribute('data-rendered', Math.round(b.width) + 'x' + Math.round(b.height));
  });
  document.body.setAttribute('data-ready', '1');
});"""


def render(layout, signing=""):
    colours = colour_map(layout)
    hz = layout.get("timebase_hz", 10_000_000)
    name = layout.get("system", "?")
    plans = [p for p in layout.get("plans", []) if p.get("slots")]
    head = ("%d hart%s, %s board RAM, %d partition%s, %d channel%s, guard %s%s" % (
        layout.get("harts", 1), "" if layout.get("harts", 1) == 1 else "s",
        size(layout.get("memory", 0)), len(layout.get("partitions", [])),
        "" if len(layout.get("partitions", [])) == 1 else "s",
        len(layout.get("channels", [])), "" if len(layout.get("channels", [])) == 1 else "s",
        ticks(layout.get("guard", 0), hz),
        ", stops after %s" % ticks(layout["stop_after"], hz)
        if layout.get("stop_after") else ""))
    body = ['<h1>system <span id="system-name">%s</span></h1>' % esc(name),
            '<p id="summary">%s</p>' % esc(head),
            "<h2>Figures</h2>", figures_table(layout),
            "<h2>Host memory map</h2>",
            '<p class="note">board RAM from 0x80000000; band heights grow with the '
            "log of the size</p>",
            mem_svg("host-map", host_regions(layout, colours), "host-physical"),
            "<h2>Each partition's guest-physical map</h2><div class=\"guests\">"]
    csize = {c["name"]: c.get("size", 0) for c in layout.get("channels", [])}
    for p in layout.get("partitions", []):
        for pt in p.get("ports", []):
            pt.setdefault("size", csize.get(pt.get("channel"), 0))
        body.append(mem_svg("guest-map-%s" % p["name"],
                            guest_regions(p, colours[p["name"]]), p["name"]))
    body += ["</div>", "<h2>Channels</h2>",
             '<p class="note">solid: queuing, dashed: sampling, dotted: shared; red: '
             "the kernel's audit channel; policies in red under each label</p>",
             graph_svg(layout, colours), channels_table(layout),
             "<h2>Schedule, one major frame per hart</h2>",
             '<p class="note">hatched: the guard at the end of each slot (%s)</p>' %
             ticks(layout.get("guard", 0), hz)]
    body += [schedule_svg(p, layout, colours) for p in plans]
    if not plans:
        body.append("<p>no schedule</p>")
    protos = layout.get("protocols") or []
    if protos:
        body.append("<h2>Protocols</h2>")
        body.append('<p class="note">the security monitor follows each protocol: a send '
                    "that follows no arrow from the current state is refused "
                    "(SK_ERR_PROTOCOL, audited); thick ring and entry arrow: initial "
                    "state, double ring: final state, dashed: where a restart of that "
                    "side leaves it when that is not the protocol's on_restart state</p>")
    for pr in protos:
        body.append("<h3>%s: %s over %s; a restart goes to %s unless drawn</h3>" % (
            esc(pr.get("name", "?")), esc(" and ".join(pr.get("partitions", []))),
            esc(", ".join(pr.get("channels", []))), esc(pr.get("on_restart", "?"))))
        body.append(protocol_svg(pr))
    body += ["<h2>Signing</h2>", digests_table(layout, signing)]
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s - sepkernel "
            "system report</title><style>%s</style></head><body>\n%s\n<script>%s</script>"
            "</body></html>\n" % (esc(name), CSS, "\n".join(body), SCRIPT))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", help="build/<sys>, where layout.json is")
    ap.add_argument("-o", "--output", help="default: OUTDIR/report.html")
    a = ap.parse_args(argv)
    path = os.path.join(a.outdir, "layout.json")
    try:
        with open(path) as f:
            layout = json.load(f)
    except FileNotFoundError:
        print("report.py: %s: no such file; build the system first (make image "
              "CONFIG=...)" % path, file=sys.stderr)
        return 1
    except (OSError, ValueError) as e:
        print("report.py: %s: cannot read it: %s" % (path, e), file=sys.stderr)
        return 1
    try:
        with open(os.path.join(a.outdir, "signing.log")) as f:
            signing = f.read()
    except OSError:
        signing = ""
    out = a.output or os.path.join(a.outdir, "report.html")
    with open(out, "w") as f:
        f.write(render(layout, signing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
