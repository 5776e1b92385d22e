# SPDX-License-Identifier: MIT
"""make report: one self-contained HTML page per system, checked in a
real headless browser (Debian's chromium): it renders, every drawing
has a size once laid out, and the elements say what layout.json says."""
import json
import re
import os
import struct
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from sk import BUILD, ROOT, addresses_as_ints, make

sys.path.insert(0, str(ROOT / "tools"))
import report  # noqa: E402

CHROMIUM = "chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-dev-shm-usage"]


class Dom(HTMLParser):
    """Every element as (tag, attrs), in document order, plus text."""

    def __init__(self):
        super().__init__()
        self.els, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.els.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag=None, **attrs):
        return [a for t, a in self.els if (tag is None or t == tag) and
                all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]


def chromium(*args, timeout=90):
    r = subprocess.run([CHROMIUM, *FLAGS, *args], capture_output=True, text=True,
                       timeout=timeout, cwd="/tmp")
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def built(config):
    make("report", config=config)
    out = BUILD / os.path.splitext(os.path.basename(config))[0]
    lay = json.loads((out / "layout.json").read_text(), object_hook=addresses_as_ints)
    return out, lay


@pytest.fixture(scope="module", params=["harness/systems/chanattack.toml",
                                        "configs/smp.toml", "configs/bulk.toml",
                                        "configs/keystore.toml"])
def page(request):
    out, lay = built(request.param)
    html = out / "report.html"
    dom = Dom()
    dom.feed(chromium("--virtual-time-budget=3000", "--dump-dom", html.as_uri()))
    return out, lay, dom


def test_page_rendered_and_every_drawing_has_a_size(page):
    out, lay, dom = page
    assert dom.find("body", data_ready="1"), "the page's script did not run"
    svgs = dom.find("svg")
    # host map, one guest map per partition, the graph, a schedule per plan
    plans = [p for p in lay["plans"] if p["slots"]]
    protos = lay.get("protocols") or []
    assert len(svgs) == 2 + len(lay["partitions"]) + len(plans) + len(protos)
    for s in svgs:
        w, h = map(int, s["data-rendered"].split("x"))
        assert w > 50 and h > 15, s


def test_host_map_places_every_partition_and_window(page):
    _, lay, dom = page
    regions = {r["data-name"]: r for r in dom.find("g", **{"class": "region"})
               if r.get("data-kind") in ("partition", "window")}
    for p in lay["partitions"]:
        r = regions["%s RAM" % p["name"]]
        assert int(r["data-start"], 16) == p["ram_hpa"]
        assert int(r["data-size"], 16) == p["ram_size"]
    for c in lay["channels"]:
        if c["kind"] == "shared":
            assert int(regions["window %s" % c["name"]]["data-start"], 16) == c["win_hpa"]
    # the bands tile board RAM exactly, in address order
    host = [(int(r["data-start"], 16), int(r["data-size"], 16))
            for r in dom.find("g", **{"class": "region"})
            [:len(dom.find("g", **{"class": "region"}))]]
    first = next(i for i, (a, _) in enumerate(host) if a == 0x80000000)
    cur = 0x80000000
    for a, n in host[first:]:
        if a < cur:
            break       # the guest maps follow
        assert a == cur
        cur = a + n
    assert cur == 0x80000000 + lay["memory"]


def test_channel_graph_has_an_arrow_per_reader(page):
    _, lay, dom = page
    edges = dom.find("g", **{"class": "edge"})
    want = sorted((c["name"], c["writer"] or "kernel", r, c["kind"])
                  for c in lay["channels"] for r in c["readers"])
    got = sorted((e["data-channel"], e["data-from"], e["data-to"], e["data-kind"])
                 for e in edges)
    assert got == want
    audit = [c["name"] for c in lay["channels"] if c["writer"] is None]
    assert sorted(e["data-channel"] for e in edges if e.get("data-audit")) == audit


def test_protocols_are_drawn(page):
    _, lay, dom = page
    for pr in lay.get("protocols") or []:
        states = [g["data-name"] for g in dom.find("g", **{"class": "state"})]
        assert set(pr["states"]) <= set(states)
        got = {(t["data-from"], t["data-to"]) for t in dom.find("g", **{"class": "transition"})}
        assert {(t["from"], t["to"]) for t in pr["transitions"]} <= got


def test_schedule_shows_every_slot(page):
    _, lay, dom = page
    for plan in lay["plans"]:
        if not plan["slots"]:
            continue
        got = [(int(s["data-start"]), int(s["data-length"]), s["data-partition"])
               for s in dom.find("g", **{"class": "slot"})]
        for s in plan["slots"]:
            assert (s["start"], s["length"], s["partition"] or "idle") in got


def test_digests_match_the_signing_log(page):
    out, lay, dom = page
    text = " ".join(dom.text)
    log = (out / "signing.log").read_text()
    for p in lay["partitions"]:
        d = report.digest_of(p)[1]
        assert len(d) >= 64 and d in text and d in log
    assert "MISMATCH" not in text and "not signed" not in text
    assert len(dom.find("tr", data_partition=lay["partitions"][0]["name"])) == 2


def test_screenshot(tmp_path):
    out, _ = built("configs/sensors.toml")
    png = tmp_path / "report.png"
    chromium("--window-size=1000,1800", "--screenshot=%s" % png,
             (out / "report.html").as_uri())
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", data[16:24])
    assert (w, h) == (1000, 1800)
    assert len(data) > 20000          # a blank page compresses to ~5 KB


def test_optional_fields_are_shown_and_missing_ones_tolerated():
    _, lay = built("configs/sensors.toml")
    lay = json.loads(json.dumps(lay))
    lay["partitions"][0]["reload_frames"] = 3
    lay["channels"][0]["protocol"] = "handshake"
    del lay["guard"], lay["epoch"], lay["stop_after"]
    for p in lay["partitions"]:
        p.pop("ports", None)
    text = report.render(lay)
    assert "protocol handshake" in text and ">3<" in text
    assert report.render({"system": "empty"}).startswith("<!DOCTYPE html>")


def test_missing_layout_is_a_clear_error(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "tools/report.py"), str(tmp_path)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert "layout.json: no such file; build the system first" in r.stderr
    assert "Traceback" not in r.stderr


def test_timeline_missing_file_is_a_clear_error(tmp_path):
    tl = str(ROOT / "tools/timeline.py")
    r = subprocess.run([sys.executable, tl, str(tmp_path / "nope.json")],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "nope.json: no such file; build the system first" in r.stderr
    (tmp_path / "x.json").write_text("{}")
    r = subprocess.run([sys.executable, tl, str(tmp_path / "x.json")],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and "not a layout.json" in r.stderr


def test_figures_show_reload_time_in_frames():
    out, lay = built("configs/resilience.toml")
    text = (out / "report.html").read_text()
    for p in lay["partitions"]:
        row = re.search(r'<tr data-partition="%s"><td>%s</td>(.*?)</tr>' %
                        (p["name"], p["name"]), text).group(1)
        cells = re.findall(r"<td>(.*?)</td>", row)
        want = "-" if p.get("reload_frames") is None else str(p["reload_frames"])
        assert cells[5] == want, (p["name"], cells)
