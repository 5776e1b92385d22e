"""The evidence page: every run of the suite writes build/evidence.md.

For each of the six promises (docs: /work/shared/DESIGN.md section 5,
README "The scenarios") it lists the scenarios that prove it, their
outcome and duration, and then the latest `make bench` figures, flagged
when they are missing or older than the tested commit.

Under pytest-xdist the workers run the tests and forward their reports to
the controller (pytest_runtest_logreport); only the controller, or a run
without xdist, writes the page.

  SK_EVIDENCE=path        where to write it (default build/evidence.md;
                          "off" writes nothing)
  SK_BENCH_RESULTS=path   the bench figures to show
                          (default build/bench/results.json)
"""

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROMISES = [
    ("space", "1. Space",
     "a partition reaches only its RAM, its device tree and the channel "
     "windows granted to it, with the granted rights; anything else traps "
     "and is contained."),
    ("flow", "2. Flow",
     "channels are the only route; no hypercall reveals another "
     "partition's state."),
    ("time", "3. Time",
     "a partition runs only in its slots; one that spins forever delays "
     "no one else beyond the timer's resolution."),
    ("containment", "4. Containment",
     "whatever one partition does, every other partition's output is "
     "unchanged, byte for byte under -icount."),
    ("integrity", "5. Integrity",
     "a partition image that does not match its signature never runs."),
    ("input", "6. Input",
     "bad configurations and bad hypercall arguments get a clear error, "
     "never a crash."),
]

# Beyond the six promises: what else the suite shows works.
AREAS = [
    ("os", "OS guests", "Linux 6.1 and U-Boot, unmodified, in partitions; "
     "channels from Linux."),
    ("uart", "Virtual devices", "the trapped, emulated 16550 and console input; "
     "the virtual PLIC carrying doorbells and the UART's interrupt."),
    ("protocol", "Protocols", "stateful channel policies enforced by the monitor."),
    ("boot", "Boot", "booting partitioned images, SBI system reset."),
    ("sdk", "SDK and tools", "the SDK, out-of-tree projects, the signer."),
    ("fuzz", "Compiler fuzzing", "mutated configurations: a clean error or a build."),
    ("report", "Report and debug", "make report and make debug."),
    ("evidence", "This page", "the evidence page itself."),
]

# Test module -> section.  Keep in step with README's table of scenarios.
MODULES = {
    "test_isolation.py": "space",
    "test_channels.py": "flow",
    "test_fp_isolation.py": "flow",
    "test_chan_fastpath.py": "flow",
    "test_schedule.py": "time",
    "test_smp.py": "time",
    "test_guard.py": "time",
    "test_health.py": "containment",
    "test_signing.py": "integrity",
    "test_crypto_host.py": "integrity",
    "test_sksign.py": "integrity",
    "test_invalid_configs.py": "input",
    "test_compiler_fuzz.py": "fuzz",
    "test_linux.py": "os",
    "test_uboot.py": "os",
    "test_gateway.py": "os",
    "test_uart.py": "uart",
    "test_vplic.py": "uart",
    "test_redteam_plic.py": "uart",
    "test_protocol.py": "protocol",
    "test_boot.py": "boot",
    "test_sdk.py": "sdk",
    "test_project.py": "sdk",
    "test_report.py": "report",
    "test_debug.py": "report",
    "test_evidence.py": "evidence",
}

# Per-test overrides for modules that prove more than one thing:
# (module, test function name) -> section.
TESTS = {
    ("test_fp_isolation.py", "test_state_survives_a_neighbour_restarted_again_and_again"):
        "containment",
}


def section_of(nodeid):
    path, _, rest = nodeid.partition("::")
    module = path.rsplit("/", 1)[-1]
    func = rest.split("[", 1)[0].split("::")[-1]
    return TESTS.get((module, func)) or MODULES.get(module, "other")


def _evidence_path():
    p = os.environ.get("SK_EVIDENCE", "")
    if p.lower() in ("off", "0", "no"):
        return None
    return Path(p) if p else ROOT / "build" / "evidence.md"


def _bench_path():
    p = os.environ.get("SK_BENCH_RESULTS", "")
    return Path(p) if p else ROOT / "build" / "bench" / "results.json"


def _git(*args):
    try:
        r = subprocess.run(["git", *args], cwd=ROOT, capture_output=True,
                           text=True, timeout=20)
        return r.stdout.strip() if r.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def git_commit():
    """Short HEAD, with " (dirty)" when the tree has changes."""
    head = _git("rev-parse", "--short", "HEAD") or "unknown"
    if _git("status", "--porcelain", "--untracked-files=no"):
        head += " (dirty)"
    return head


def qemu_version():
    try:
        r = subprocess.run(["qemu-system-riscv64", "--version"],
                           capture_output=True, text=True, timeout=20)
        return r.stdout.splitlines()[0].strip()
    except (OSError, subprocess.SubprocessError, IndexError):
        return "qemu-system-riscv64 not found"


# ---- collecting -------------------------------------------------------------

_docs = {}          # nodeid -> first docstring line (filled where collected)
_results = {}       # nodeid -> dict(outcome, duration, reason)


def pytest_collection_modifyitems(session, config, items):
    for it in items:
        doc = getattr(getattr(it, "function", None), "__doc__", None)
        if doc and doc.strip():
            _docs[it.nodeid] = doc.strip().splitlines()[0]


def pytest_runtest_logreport(report):
    """Runs in the controller for every phase of every test (xdist forwards
    the workers' reports), so the results gather here."""
    r = _results.setdefault(report.nodeid, {"outcome": None, "duration": 0.0,
                                            "reason": "", "doc": ""})
    r["duration"] += getattr(report, "duration", 0.0) or 0.0
    # the docstring travels with the report so that xdist's controller,
    # which collects nothing itself, still knows it
    for name, val in getattr(report, "user_properties", []):
        if name == "sk_doc" and val:
            r["doc"] = val
    if report.skipped:
        r["outcome"] = "xfailed" if hasattr(report, "wasxfail") else "skipped"
        lr = report.longrepr
        if isinstance(lr, tuple) and len(lr) == 3:
            r["reason"] = str(lr[2]).removeprefix("Skipped: ")
        elif hasattr(report, "wasxfail"):
            r["reason"] = report.wasxfail
    elif report.failed:
        if report.when == "call" or r["outcome"] in (None, "passed"):
            r["outcome"] = "failed" if report.when == "call" else "error"
        crash = getattr(getattr(report.longrepr, "reprcrash", None), "message", "")
        lines = (crash or str(report.longrepr)).strip().splitlines()
        r["reason"] = r["reason"] or (lines[0][:200] if crash and lines
                                      else lines[-1][:200] if lines else "")
    elif report.when == "call" and r["outcome"] is None:
        r["outcome"] = "xpassed" if hasattr(report, "wasxfail") else "passed"


def pytest_runtest_setup(item):
    doc = getattr(getattr(item, "function", None), "__doc__", None)
    if doc and doc.strip():
        item.user_properties.append(("sk_doc", doc.strip().splitlines()[0]))


def pytest_sessionstart(session):
    session.config._sk_started = time.time()


def pytest_sessionfinish(session, exitstatus):
    if hasattr(session.config, "workerinput"):
        return                      # an xdist worker: the controller writes
    out = _evidence_path()
    if out is None or not _results:
        return
    for nodeid, r in _results.items():
        r["doc"] = r["doc"] or _docs.get(nodeid, "")
    command = " ".join(["pytest"] + list(session.config.invocation_params.args))
    wall = time.time() - getattr(session.config, "_sk_started", time.time())
    text = render(_results, command=command, wall=wall,
                  bench=_bench_path())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)


def pytest_terminal_summary(terminalreporter, config):
    out = _evidence_path()
    if out is not None and _results and not hasattr(config, "workerinput"):
        terminalreporter.write_line(f"evidence: {out}")


# ---- writing ----------------------------------------------------------------

def _readable(nodeid):
    path, _, rest = nodeid.partition("::")
    return f"{path.rsplit('/', 1)[-1]} :: {rest.replace('::', ' :: ')}"


def _cell(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def _section(title, blurb, rows):
    n = {k: 0 for k in ("passed", "failed", "error", "skipped",
                        "xfailed", "xpassed")}
    for _, r in rows:
        n[r["outcome"] or "error"] = n.get(r["outcome"] or "error", 0) + 1
    dur = sum(r["duration"] for _, r in rows)
    counts = ", ".join(f"{v} {k}" for k, v in n.items() if v) or "no scenarios"
    bad = n["failed"] + n["error"]
    verdict = ("**NOT PROVEN: failures below**" if bad else
               "not run in this session" if not rows else "held")
    out = [f"### {title}", "", f"*{blurb}*", "",
           f"{len(rows)} scenarios: {counts}; {dur:.1f} s. Verdict: {verdict}.",
           ""]
    if rows:
        out += ["| scenario | what it shows | result | s |", "|---|---|---|---|"]
        for nodeid, r in sorted(rows, key=lambda x: x[0]):
            res = r["outcome"] or "error"
            if res != "passed":
                res = f"**{res}**" + (f": {_cell(r['reason'])}" if r["reason"] else "")
            out.append(f"| `{_cell(_readable(nodeid))}` | {_cell(r['doc'])} "
                       f"| {res} | {r['duration']:.2f} |")
        out.append("")
    return out


def _num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _summary(values):
    """Short lists whole; long lists of numbers as min / median / max."""
    if not values:
        return "(none)"
    if len(values) <= 4 or not all(_num(v) for v in values):
        return ", ".join(str(v) for v in values)
    v = sorted(values)
    return f"{v[0]} / {v[len(v) // 2]} / {v[-1]} (min / median / max of {len(v)})"


def _bench_lines(value, prefix=""):
    """Flatten results.json into (key, value) rows.  A list of records
    (e.g. ping-pong trips) becomes one row per field over all records."""
    rows = []
    if isinstance(value, dict):
        for k, v in value.items():
            rows += _bench_lines(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        merged = {}
        for rec in value:
            for k, v in rec.items():
                merged.setdefault(k, []).extend(v if isinstance(v, list) else [v])
        if all(_num(x) for vs in merged.values() for x in vs):
            rows += [(f"{prefix}[*].{k}", _summary(vs)) for k, vs in merged.items()]
        else:
            for i, v in enumerate(value):
                rows += _bench_lines(v, f"{prefix}[{i}]")
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, v in enumerate(value):
            rows += _bench_lines(v, f"{prefix}[{i}]")
    else:
        rows.append((prefix, _summary(value) if isinstance(value, list) else value))
    return rows


def bench_section(path, head):
    """The bench figures and how far they can be trusted for `head`."""
    out = ["## Figures (`make bench`)", ""]
    if not path.is_file():
        return out + [f"**No figures**: `{path}` does not exist. "
                      "Run `make bench` for current figures.", ""]
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        return out + [f"**Unreadable figures** in `{path}` ({e}). "
                      "Run `make bench` for current figures.", ""]
    mtime = datetime.datetime.fromtimestamp(path.stat().st_mtime,
                                            datetime.timezone.utc)
    meta = data.pop("meta", {}) if isinstance(data, dict) else {}
    commit = meta.get("commit") if isinstance(meta, dict) else None
    out.append(f"From `{path}`, written {mtime:%Y-%m-%d %H:%M UTC}, "
               f"commit {commit or 'not recorded'}.")
    tested = head.split(" ")[0]
    if not commit:
        out.append("**These figures do not say which commit they measured**: "
                   "run `make bench` for current figures.")
    elif commit.split(" ")[0] != tested or "dirty" in commit or "dirty" in head:
        out.append(f"**These figures are older than the tested commit "
                   f"({head})**, or from a changed tree: "
                   "run `make bench` for current figures.")
    else:
        out.append("Same commit as the tests above.")
    if isinstance(data, dict) and data.get("failed"):
        out.append("**Bench sections that failed**: "
                   + "; ".join(_cell(f) for f in data["failed"]))
    out += ["", "Instructions under QEMU `-icount shift=0` unless the key says "
            "otherwise (see `bench/run.py`); lists are one value per run, "
            "long ones as min / median / max.", "",
            "| figure | value |", "|---|---|"]
    for k, v in _bench_lines(data):
        if k != "failed":
            out.append(f"| `{_cell(k)}` | {_cell(v)} |")
    return out + [""]


def render(results, command="pytest", wall=0.0, bench=None, head=None):
    head = head or git_commit()
    now = datetime.datetime.now(datetime.timezone.utc)
    total = {}
    for r in results.values():
        total[r["outcome"] or "error"] = total.get(r["outcome"] or "error", 0) + 1
    summary = ", ".join(f"{v} {k}" for k, v in sorted(total.items()))
    out = ["# sepkernel: evidence", "",
           "Generated by the scenario suite (`harness/conftest.py`); do not edit.",
           "",
           f"- date: {now:%Y-%m-%d %H:%M:%S} UTC",
           f"- commit: {head}",
           f"- QEMU: {qemu_version()}",
           f"- command: `{command}`",
           f"- result: {len(results)} scenarios, {summary}; {wall:.1f} s wall clock",
           "", "## The six promises", ""]
    by = {}
    for nodeid, r in results.items():
        by.setdefault(section_of(nodeid), []).append((nodeid, r))
    for key, title, blurb in PROMISES:
        out += _section(f"Promise {title}", blurb, by.get(key, []))
    out += ["## Beyond the promises", ""]
    for key, title, blurb in AREAS:
        if by.get(key):
            out += _section(title, blurb, by[key])
    if by.get("other"):
        out += _section("Other", "test modules not yet mapped in "
                        "harness/conftest.py (MODULES).", by["other"])
    out += bench_section(bench or _bench_path(), head)
    return "\n".join(out) + "\n"
