#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""make bench: build and boot the benchmark systems under QEMU -icount
shift=0, read the figures the bench partitions print, and report them.

Prints one markdown table (and a short account of the method) on stdout
and writes build/bench/results.json.  It never judges speed: targets are
printed next to the figures, nothing fails on them.  It exits non-zero
only when a run does not produce its figures (build error, timeout,
missing or malformed output).

Every figure is in instructions (1 ns of virtual time under
-icount shift=0) or in ticks of the 10 MHz time CSR (100 instructions).
"""
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "harness"))
import sk  # noqa: E402  (the scenario suite's QEMU runner)

SYSTEMS = "bench/systems"
OUT = ROOT / "build" / "bench"
TICK = 100                      # instructions per tick of `time`
BOOT_TIMEOUT = 60               # seconds of wall clock per QEMU run

BOOT_RAM = ("boot_1p64k", "boot_1p256k", "boot_1p1m")
BOOT_REPORT = ("boot_1p64k", "boot_3p256k")
SWITCH_N = (2, 8, 16, 32, 64)
SWITCH_GUARD = (2, 64)
JITTER = (("jitter_spin", "spinning neighbour, default guard"),
          ("jitter_hcall", "hypercall-hammering neighbour, default guard"),
          ("jitter_hcall_noguard", "hypercall-hammering neighbour, guard = 0"))
JITTER_MIN_FRAMES = 50


class NoFigures(Exception):
    """A run that did not produce what its figure needs."""


def kv(text):
    return dict(w.split("=", 1) for w in text.split() if "=" in w)


def ints(d, *keys):
    try:
        return [int(d[k], 0) for k in keys]
    except (KeyError, ValueError) as e:
        raise NoFigures(f"malformed line {d}: {e}") from None


# ---- running a system ----------------------------------------------------

_runs = {}


def run(stem):
    """Build bench/systems/<stem>.toml, boot it once; cached."""
    if stem in _runs:
        return _runs[stem]
    cfg = f"{SYSTEMS}/{stem}.toml"
    t = time.monotonic()
    try:
        out = sk.build(cfg)
    except RuntimeError as e:
        raise NoFigures(f"{stem}: build failed: {str(e).strip()[-400:]}") from None
    r = sk.boot(image=out / "image.elf", timeout=BOOT_TIMEOUT, icount=True)
    layout = json.loads((out / "layout.json").read_text())
    wall = time.monotonic() - t
    (OUT / f"{stem}.log").write_text(r.raw)
    if r.timed_out:
        raise NoFigures(f"{stem}: QEMU still running after {BOOT_TIMEOUT}s "
                        f"(log: build/bench/{stem}.log)")
    for ev in r.events:
        if ev["event"] in ("panic", "fault", "reject"):
            raise NoFigures(f"{stem}: kernel reported {ev} "
                            f"(log: build/bench/{stem}.log)")
    _runs[stem] = (r, layout, wall)
    return _runs[stem]


def lines(r, part, tag):
    """The partition's lines starting with tag, parsed as key=value."""
    return [kv(t) for t in r.output.get(part, []) if t.startswith(tag + " ")]


def boot_t0(r):
    ev = r.of("boot")
    if not ev:
        raise NoFigures("no event=boot line")
    return int(ev[0]["t0"])


def plan_slots(layout):
    """partition -> (start, length) in ticks, and the major frame, hart 0."""
    plan = next(p for p in layout["plans"] if p["hart"] == 0)
    slots = {s["partition"]: (s["start"], s["length"])
             for s in plan["slots"] if s["partition"]}
    return slots, plan["major_frame"]


# ---- 1. boot -------------------------------------------------------------

def premain_instructions():
    """Instructions the SDK runs before main()'s first instret read, from
    the disassembly of bench_boot.elf: crt0 (its .bss loop once per
    8-byte word), sk_start, and main's prologue.  Returns (fixed, per
    .bss word) or None if the code does not have the expected shape."""
    elf = ROOT / "build" / "partitions" / "bench_boot.elf"
    try:
        dis = subprocess.run(["riscv64-unknown-elf-objdump", "-d",
                              "--no-show-raw-insn", str(elf)],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    funcs, cur = {}, None
    for ln in dis.splitlines():
        m = re.match(r"^[0-9a-f]+ <([^>]+)>:$", ln)
        if m:
            cur = funcs.setdefault(m.group(1), [])
        elif cur is not None and re.match(r"^\s+[0-9a-f]+:\s", ln):
            cur.append(ln.split(":", 1)[1].split()[0])
    try:
        st, ss, mn = funcs["_start"], funcs["sk_start"], funcs["main"]
        b = st.index("bgeu")
        j = st.index("j", b)
        call = next(i for i in range(j + 1, len(st)) if st[i] in ("jal", "call"))
        to_main = next(i for i, op in enumerate(ss) if op in ("jal", "call")) + 1
        prologue = mn.index("rdinstret")
    except (KeyError, ValueError, StopIteration):
        return None
    fixed = b + 1 + (call - j) + to_main + prologue    # exit bgeu, jal, ...
    return fixed, j - b + 1


def boot_figures(res, notes):
    for stem in dict.fromkeys(BOOT_RAM + BOOT_REPORT):
        run(stem)               # builds bench_boot.elf before it is read
    pre = premain_instructions()
    rows = {}
    for stem in dict.fromkeys(BOOT_RAM + BOOT_REPORT):
        r, layout, _ = run(stem)
        t0 = boot_t0(r)
        got = lines(r, "p0", "boot")
        clk = lines(r, "p0", "clock")
        if not got or not clk:
            raise NoFigures(f"{stem}: p0 printed no boot/clock line")
        instret, tfirst, bss = ints(got[0], "instret", "time", "bss")
        dmin, dmax = ints(clk[0], "dmin", "dmax")
        words = (bss + 7) // 8
        pre_n = pre[0] + pre[1] * words if pre else 0
        parts = layout["partitions"]
        done = r.of("boot_done")
        rows[stem] = {
            "partitions": len(parts),
            "ram_each": parts[0]["ram_size"],
            "cleared_bytes": sum(p["ram_size"] - p["image_size"] for p in parts),
            "t0_ticks": t0,
            "main_instret": instret,
            "premain_instructions": pre_n if pre else None,
            # first partition instruction, from the kernel's first (t0 is
            # in ticks: +-100)
            "instructions": instret - pre_n - TICK * t0,
            "ticks_formula": (tfirst - t0) * TICK,
            "boot_done_ticks": int(done[0]["ticks"]) if done else None,
            "clock_dmin": dmin, "clock_dmax": dmax,
        }
    # RAM-size dependence: least squares over the 1-partition systems.
    xs = [rows[s]["cleared_bytes"] for s in BOOT_RAM]
    ys = [rows[s]["instructions"] for s in BOOT_RAM]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = (sum((x - mx) * (y - my) for x, y in zip(xs, ys)) /
             sum((x - mx) ** 2 for x in xs))
    one, three = rows["boot_1p64k"], rows["boot_3p256k"]
    fixed = [b["instructions"] - slope * b["cleared_bytes"] for b in (one, three)]
    per_part = (fixed[1] - fixed[0]) / (three["partitions"] - one["partitions"])
    res["boot"] = {"systems": rows, "instructions_per_cleared_byte": slope,
                   "per_extra_partition_without_ram": round(per_part)}
    out = []
    for stem in BOOT_REPORT:
        b = rows[stem]
        clear = slope * b["cleared_bytes"]
        what = (f"{b['partitions']} part x {b['ram_each'] >> 10}K")
        b["ram_dependent_instructions"] = round(clear)
        out.append(("Boot: kernel entry -> first partition instruction", what,
                    f"{b['instructions']:,}",
                    f"RAM clearing (+4K G-stage PTEs) ~{round(clear):,} "
                    f"({100 * clear / b['instructions']:.1f}%); "
                    f"(t_first-t0)*100 = {b['ticks_formula']:,}"))
    out.append(("Boot: cost per byte of partition RAM", "1 part, 64K/256K/1M",
                f"{slope:.3f}/B", f"= {slope * 1024:.0f} per KiB (slope of boot vs RAM size)"))
    out.append(("Boot: each extra partition, RAM clearing excluded", "3 parts vs 1",
                f"{round(per_part):,}", "G-stage table, verification (Ed25519 + "
                "SHA-256 of the package), image copy"))
    if not pre:
        notes.append("could not disassemble crt0: boot figures are to main(), "
                     "not to the first partition instruction")
    return out


# ---- 2. null hypercall ---------------------------------------------------

def hcall_figures(res, notes):
    r, layout, _ = run("hcall")
    head = lines(r, "hc", "hcall")
    rounds = lines(r, "hc", "round")
    if not head or not rounds:
        raise NoFigures("hcall: no measurements printed")
    n = int(head[0]["n"])
    nop, spec, base, dropped = [], [], [], 0
    for d in rounds:
        b, x, s, te, se = ints(d, "base", "nop", "spec", "t_end", "slot_end")
        if te >= se:             # a slot boundary fell inside the round
            dropped += 1
            continue
        base.append(b / n)
        nop.append((x - b) / n)
        spec.append((s - b) / n)
    if not nop:
        raise NoFigures("hcall: every round was cut by a slot boundary")
    res["hcall"] = {"n": n, "rounds": len(nop), "dropped": dropped,
                    "baseline_per_iter": base, "nop": nop, "spec_version": spec,
                    "returns": head[0]}
    out = []
    for name, v in (("SK_FID_NOP", nop), ("SBI BASE get_spec_version", spec)):
        out.append((f"Null hypercall: {name}", f"N={n}, {len(nop)} rounds",
                    f"{min(v):.1f} (median {statistics.median(v):.1f})",
                    "target <= 100; Bao ~265"))
    return out


# ---- 3. world switch -----------------------------------------------------

def switch_records(r, layout):
    """part -> list of (gs, ge, te, se) for every switch-in it saw."""
    recs = {}
    for p in layout["partitions"]:
        got = lines(r, p["name"], "rec")
        if not got:
            raise NoFigures(f"partition {p['name']} printed no records")
        recs[p["name"]] = [tuple(ints(d, "gs", "ge", "te", "se")) for d in got]
    return recs


def switch_analysis(stem):
    r, layout, _ = run(stem)
    slots, major = plan_slots(layout)
    recs = switch_records(r, layout)
    guard = layout.get("guard", 0)
    first_slot = min(slots, key=lambda p: slots[p][0])
    # Number every major frame from the slot ends the partitions saw.
    epochs = [se - (slots[p][0] + slots[p][1]) for p, rs in recs.items()
              for *_, se in rs]
    base = min(epochs)
    if any((e - base) % major for e in epochs):
        raise NoFigures(f"{stem}: slot ends off the plan's grid")
    spans, ends, starts, lat, lat0, skew, tail = {}, {}, {}, [], [], [], []
    for p, rs in recs.items():
        start, length = slots[p]
        # The last record's slot comes after a neighbour that may have
        # finished (and stopped): only the ones before it are steady.
        for k, (gs, ge, te, se) in enumerate(rs[:-1]):
            s0 = se - length                         # slot boundary, ticks
            (lat0 if p == first_slot else lat).append(ge - TICK * s0)
            skew.append(ge - TICK * te)
            starts[s0] = (p, ge)
            frame = (se - start - length - base) // major
            last = rs[k + 1][0]
            spans.setdefault(frame, {})[p] = last - ge
            ends[se] = last
            # last instruction of this slot, past its end (or its guard stop)
            tail.append(last - TICK * (se - guard))
    n = len(recs)
    frames = {f: s for f, s in spans.items() if len(s) == n}
    if not frames:
        raise NoFigures(f"{stem}: no frame in which every partition ran")
    # (major frame - time the partitions ran) / switches in the frame
    per = [(TICK * major - sum(s.values())) / n for s in frames.values()]
    # Each boundary: outgoing partition's last instruction -> incoming's first.
    inner, frame_start = [], []
    for s0, (p, ge) in starts.items():
        if s0 in ends:
            (frame_start if p == first_slot else inner).append(ge - ends[s0])
    if not inner or not frame_start:
        raise NoFigures(f"{stem}: no boundary seen from both sides")
    return {"partitions": n, "guard_ticks": guard, "frames": len(frames),
            "per_switch_frame_mean": per, "boundary_gap": inner,
            "boundary_gap_frame_start": frame_start, "latency": lat,
            "latency_frame_start": lat0,
            "overrun": [min(tail), max(tail)],
            "instret_minus_100time": [min(skew), max(skew)]}


def switch_figures(res, notes):
    out, sweep = [], {}
    med = statistics.median
    for n in SWITCH_N:
        a = switch_analysis(f"switch_{n}")
        sweep[n] = a
        g, f = a["boundary_gap"], a["boundary_gap_frame_start"]
        out.append(("World switch (guard = 0)", f"{n} parts, 100us slots",
                    f"{med(g):.0f}",
                    f"median, {min(g)}..{max(g)} over {len(g)} switches; frame-start "
                    f"switch {med(f):.0f}; per-frame mean {med(a['per_switch_frame_mean']):.0f}"
                    "; target <= 300, flat in N"))
    over = [x for a in sweep.values() for x in a["overrun"]]
    out.append(("Slot timer lateness (QEMU, not the kernel)", "all of the above",
                f"{min(over)}..{max(over)}",
                "a partition still runs this long past its slot end: QEMU 7.2 arms "
                "the Sstc timer at now_ns + whole ticks, so it fires up to 99 ns late"))
    guarded = {}
    for n in SWITCH_GUARD:
        a = switch_analysis(f"switch_{n}_guard")
        guarded[n] = a
        g = a["guard_ticks"] * TICK
        loss = a["per_switch_frame_mean"]
        out.append(("Slot loss with the default guard", f"{n} parts, 100us slots",
                    f"{med(loss):.0f}",
                    f"median per slot = guard {g:,} + boundary->guest "
                    f"{med(a['latency']):.0f} ({min(a['latency'])}..{max(a['latency'])}; "
                    f"frame start {med(a['latency_frame_start']):.0f})"))
    res["switch"] = {"guard0": sweep, "default_guard": guarded}
    skews = [x for a in list(sweep.values()) + list(guarded.values())
             for x in a["instret_minus_100time"]]
    res["switch"]["instret_minus_100time"] = [min(skews), max(skews)]
    return out


# ---- 4. slot-start jitter ------------------------------------------------

def jitter_figures(res, notes):
    out, all_ = [], {}
    for stem, what in JITTER:
        r, layout, _ = run(stem)
        slots, major = plan_slots(layout)
        got = [tuple(ints(d, "gs", "ge", "te", "se")) for d in lines(r, "j", "rec")]
        if len(got) < JITTER_MIN_FRAMES:
            raise NoFigures(f"{stem}: only {len(got)} slot starts recorded")
        length = slots["j"][1]
        ticks = [te - (se - length) for _, _, te, se in got]
        instr = [ge - TICK * (se - length) for _, ge, _, se in got]
        all_[stem] = {"frames": len(got), "start_minus_expected_ticks": ticks,
                      "start_minus_expected_instructions": instr}
        out.append(("Slot-start jitter (max-min)", f"{what}",
                    f"{max(ticks) - min(ticks)} tick(s)",
                    f"{len(got)} frames; start-expected {min(ticks)}..{max(ticks)} "
                    f"ticks = {min(instr)}..{max(instr)} instructions"))
    res["jitter"] = all_
    return out


# ---- report --------------------------------------------------------------

METHOD = """\
Method.  Each system in bench/systems/ is built (make image) and booted
once on QEMU 7.2 virt with -icount shift=0,sleep=off: 1 instruction =
1 ns, 1 tick of `time` = 100 instructions.  Under -icount QEMU's instret
(and cycle) CSR is the hart's virtual clock: it counts every instruction
in every mode (OpenSBI, kernel, other partitions) and idle (wfi) time at
1 per ns.  Checked in this run: instret - 100*time stays in {clk} at a
partition's start and across every switch (including guard idle), a
partition's first instret is ~100*t0 + boot, and a loop with an ecall
costs ~{hc} more per iteration than the same loop with a nop.
- Boot: p0 (first slot) reads instret first thing in main(); the {pre}
  instructions of crt0/sk_start/prologue before that read are counted
  from the disassembly and subtracted; t0 (kernel entry) is in ticks, so
  +-100.  RAM share = slope of boot vs partition RAM (64K/256K/1M, 4K
  G-stage entries included) x bytes cleared.
- Null hypercall: (instret over N iterations with the ecall - same loop
  with a nop instead) / N; each round starts a fresh 20 ms slot.
- World switch: N partitions spin on instret and log each jump (last read
  before, first read after, SK_INFO_SLOT_END).  A switch = outgoing
  partition's last read -> incoming one's first (slot timer interrupt,
  save, schedule, load, sret; +<=5 of loop granularity), matched by slot
  boundary.  The brief's per-frame form, (frame - sum of what each
  partition ran) / N, is shown too.  guard = 0 puts the whole switch at
  the boundary; with the default guard the slot's owner is stopped 10 us
  early and the kernel waits for the exact boundary (boundary->guest is
  then measured from the boundary itself).
- Jitter: first `time` read in each of j's slots minus the slot's
  boundary (slot end - length), over >= 50 frames; max - min."""


def table(rows):
    out = ["| figure | system | instructions | notes |",
           "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(out)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    res, rows, notes, failed = {}, [], [], []
    for name, fn in (("boot", boot_figures), ("hcall", hcall_figures),
                     ("switch", switch_figures), ("jitter", jitter_figures)):
        try:
            rows += fn(res, notes)
        except NoFigures as e:
            failed.append(f"{name}: {e}")
            rows.append((name, "-", "n/a", f"run failed: {e}"))
    res["wall_seconds"] = {s: round(w, 2) for s, (_, _, w) in _runs.items()}
    res["failed"] = failed
    (OUT / "results.json").write_text(json.dumps(res, indent=1) + "\n")

    clk = res.get("switch", {}).get("instret_minus_100time")
    if "boot" in res:
        ds = [(b["clock_dmin"], b["clock_dmax"])
              for b in res["boot"]["systems"].values()]
        lo = min([d[0] for d in ds] + ([clk[0]] if clk else []))
        hi = max([d[1] for d in ds] + ([clk[1]] if clk else []))
        clk = [lo, hi]
    pre_n = "?"
    if "boot" in res and res["boot"]["systems"]["boot_1p64k"]["premain_instructions"]:
        pre_n = str(res["boot"]["systems"]["boot_1p64k"]["premain_instructions"])
    print(table(rows))
    print()
    hc = res.get("hcall", {}).get("nop")
    print(METHOD.format(clk=f"[{clk[0]}, {clk[1]}]" if clk else "(not measured)",
                        pre=pre_n, hc=f"{min(hc):.0f}" if hc else "?"))
    for n in notes:
        print(f"Note: {n}")
    print(f"\n{len(_runs)} systems booted in {time.monotonic() - started:.1f}s; "
          f"raw figures in build/bench/results.json, console logs in build/bench/*.log")
    if failed:
        for f in failed:
            print(f"FAILED {f}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
