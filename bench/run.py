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
-icount shift=0) or in ticks of the 10 MHz time CSR (100 instructions),
but for the window copy ratio (host time: its image is booted once
without -icount) and the verification shares.
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


def run(stem, icount=True):
    """Build bench/systems/<stem>.toml, boot it once (under -icount
    unless told otherwise); cached."""
    key = stem if icount else f"{stem}_noicount"
    if key in _runs:
        return _runs[key]
    cfg = f"{SYSTEMS}/{stem}.toml"
    t = time.monotonic()
    try:
        out = sk.build(cfg)
    except RuntimeError as e:
        raise NoFigures(f"{stem}: build failed: {str(e).strip()[-400:]}") from None
    r = sk.boot(image=out / "image.elf", timeout=BOOT_TIMEOUT, icount=icount)
    layout = json.loads((out / "layout.json").read_text())
    wall = time.monotonic() - t
    (OUT / f"{key}.log").write_text(r.raw)
    if r.timed_out:
        raise NoFigures(f"{key}: QEMU still running after {BOOT_TIMEOUT}s "
                        f"(log: build/bench/{key}.log)")
    for ev in r.events:
        if ev["event"] in ("panic", "fault", "reject"):
            raise NoFigures(f"{key}: kernel reported {ev} "
                            f"(log: build/bench/{key}.log)")
    _runs[key] = (r, layout, wall)
    return _runs[key]


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


# ---- Linux boot ---------------------------------------------------------

def linux_figures(res, notes):
    """Kernel entry -> Linux's first instruction and -> its /init."""
    r, layout, _ = run("linux_boot")
    t0 = boot_t0(r)
    done = r.of("boot_done")
    got = [kv(t) for t in r.output.get("linux", [])
           if t.startswith("init: bench ")]
    if not done or not got:
        raise NoFigures("linux_boot: no boot_done event or no init bench line")
    instret, = ints(got[0], "instret")
    # The first frame starts 50 ticks after boot_done (main.c), whose
    # ticks count from kernel entry.
    first = (int(done[0]["ticks"]) + 50) * TICK
    to_init = instret - TICK * t0
    part = layout["partitions"][0]
    res["linux"] = {"first_instruction": first, "init": to_init,
                    "linux_to_init": to_init - first,
                    "package_bytes": part["pkg_size"]}
    return [("Linux: kernel entry -> Linux's first instruction", "linux_boot",
             f"{first:,}", f"verify + load a {part['pkg_size'] / 1e6:.2f} MB package "
             "(Image, initramfs, tree), clear 32M; (boot_done+50)*100"),
            ("Linux: kernel entry -> its /init", "linux_boot", f"{to_init:,}",
             f"Linux's own boot to /init: {to_init - first:,} (init's first "
             "rdinstret - 100*t0)")]


# ---- Channels from Linux (issue 10) -------------------------------------

def gateway_figures(res, notes):
    """A Linux program's request to the bare-metal keystore and back."""
    r, layout, _ = run("gateway_rt")
    got = [kv(t[len("skctl: "):]) for t in r.output.get("linux", [])
           if t.startswith("skctl: bench ")]
    if not got:
        raise NoFigures("gateway_rt: no skctl bench line")
    n, rt, rt_min, wake, wake_min, ticks = ints(
        got[0], "n", "rt_avg", "rt_min", "wake_avg", "wake_min", "ticks_avg")
    slots, frame = plan_slots(layout)
    ks = slots["keystore"][1] * TICK
    res["gateway"] = {"n": n, "rt_avg": rt, "rt_min": rt_min,
                      "wake_avg": wake, "wake_min": wake_min,
                      "ticks_avg": ticks, "frame": frame * TICK,
                      "keystore_slot": ks}
    return [("Linux program -> bare-metal keystore -> back (write + blocking "
             "read of /dev/sk/*)", "gateway_rt", f"{rt:,} (min {rt_min:,})",
             f"avg of {n}; one major frame ({frame * TICK:,}) by the "
             "schedule: the keystore answers in its own slot"),
            ("doorbell -> Linux reader awake in user space", "gateway_rt",
             f"{wake:,} (min {wake_min:,})",
             f"the keystore's slot is {ks:,} (the reader runs in Linux's "
             f"next slot): the switch, the interrupt, the wakeup and the "
             f"return to user space take at least {wake_min - ks:,}")]


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
                f"{round(per_part):,}", "G-stage table, verification (one BLAKE2b-512 "
                "pass over the package that also copies the image, Ed25519 over its digest)"))
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
    med = statistics.median
    return [("Null hypercall: SK_FID_NOP", f"N={n}, {len(nop)} rounds",
             f"{min(nop):.1f} (median {med(nop):.1f})",
             "answered in trap.S before any register is saved: the floor of a "
             "kernel entry (ecall, three tests, sret); target <= 50; Bao ~265"),
            ("Smallest hypercall through C: SBI BASE get_spec_version",
             f"N={n}, {len(nop)} rounds", f"{min(spec):.1f} (median {med(spec):.1f})",
             "17 registers saved and restored, vsbi_handle, vsbi_call, "
             "sbi_std, sbi_base")]


# ---- virtual UART --------------------------------------------------------

def access_rounds(system, part, tag, keys):
    """(N, {key: [per-access cost of each round]}) from a partition that
    prints `tag n= base= <keys>= t_end= slot_end=` lines: (loop - the same
    loop on RAM) / N, rounds cut by a slot boundary left out."""
    r, _, _ = run(system)
    rounds = lines(r, part, tag)
    if not rounds:
        raise NoFigures(f"{system}: no measurements printed")
    per = {k: [] for k in keys}
    n = 0
    for d in rounds:
        n, base, te, se = ints(d, "n", "base", "t_end", "slot_end")
        if te >= se:
            continue
        for k in per:
            per[k].append((int(d[k]) - base) / n)
    if not per[keys[0]]:
        raise NoFigures(f"{system}: every round was cut by a slot boundary")
    return n, per


def uart_figures(res, notes):
    """One emulated access to the virtual 16550: trap, full-frame save,
    instruction read (hlvx) and decode, the register, resume."""
    n, per = access_rounds("uart_byte", "ub", "uartbench", ("thr", "scr", "lsr"))
    res["uart"] = {"n": n, "rounds": len(per["thr"]), **per}
    what = (("thr", "Virtual UART: THR write (one byte out)",
             "into the partition's line buffer; the line's console write not included"),
            ("scr", "Virtual UART: SCR write", "the emulation alone"),
            ("lsr", "Virtual UART: LSR read", "console_input partition: polls the board UART"))
    return [(name, f"N={n}, {len(per[k])} rounds", f"{min(per[k]):.1f}", note)
            for k, name, note in what]


def plic_figures(res, notes):
    """One emulated access to the virtual PLIC: trap, full-frame save,
    instruction read and decode, the register, the line recomputed."""
    n, per = access_rounds("plic_access", "pb", "plicbench", ("claim", "prio"))
    res["plic"] = {"n": n, "rounds": len(per["claim"]), **per}
    what = (("claim", "Virtual PLIC: claim (nothing pending)",
             "each priority level above the threshold; VSEIP recomputed"),
            ("prio", "Virtual PLIC: priority write", "VSEIP recomputed"))
    return [(name, f"N={n}, {len(per[k])} rounds", f"{min(per[k]):.1f}", note)
            for k, name, note in what]


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
                    "; target <= 200, flat in N"))
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
        loss, lat = a["per_switch_frame_mean"], a["latency"]
        out.append(("World switch (default guard): boundary -> guest",
                    f"{n} parts, 100us slots", f"{med(lat):.0f}",
                    f"median, {min(lat)}..{max(lat)} (frame start "
                    f"{med(a['latency_frame_start']):.0f}): the switch work is done "
                    f"in the guard, and the exact exit path (tick_sync) reaches the "
                    f"incoming guest this long after its boundary, every time"))
        out.append(("Slot time lost to the guard", f"{n} parts, 100us slots",
                    f"{med(loss):.0f}",
                    f"median per slot = guard {g:,} (the owner stops early; the hart "
                    f"idles after one scheduler pass) + boundary->guest {med(lat):.0f}"))
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


# ---- 5. channel send and receive ---------------------------------------

CHAN_SIZES = (8, 64)


def chan_figures(res, notes):
    r, layout, _ = run("chan_burst")
    depth = max(c["depth"] for c in layout["channels"] if c["name"] == "c8")
    per = {}
    for part, what in (("w", "send"), ("r", "recv")):
        head = lines(r, part, "chan")
        rounds = lines(r, part, "round")
        if not head or not rounds:
            raise NoFigures(f"chan_burst: {part} printed no measurements")
        n = int(head[0]["n"])
        if head[0].get("content_ok") != "1":
            raise NoFigures("chan_burst: the reader received other bytes than were sent")
        got, dropped, failed = {size: [] for size in CHAN_SIZES}, 0, 0
        for d in rounds:
            b, c8, c64, e8, e64, te, se = ints(d, "base", "c8", "c64", "err8",
                                               "err64", "t_end", "slot_end")
            if e8 or e64 or (what == "recv" and ints(d, "sum8", "sum64") != [8 * n, 64 * n]):
                failed += 1         # a call failed (full, empty, denied)
                continue
            if te >= se:            # a slot boundary fell inside the round
                dropped += 1
                continue
            got[8].append((c8 - b) / n)
            got[64].append((c64 - b) / n)
        if not got[8]:
            raise NoFigures(f"chan_burst: no {what} round was whole "
                            f"({dropped} cut by the slot end, {failed} with failed calls)")
        if failed:
            notes.append(f"chan_burst: {failed} {what} round(s) had failed calls and were left out")
        per[what] = {"n": n, "rounds": len(got[8]), "dropped": dropped,
                     "failed": failed, **{f"{k}B": v for k, v in got.items()}}
    res["chan"] = per
    med = statistics.median
    out, n = [], per["send"]["n"]
    what = f"burst of {n}, depth {depth}"
    for size in CHAN_SIZES:
        snd, rcv = per["send"][f"{size}B"], per["recv"][f"{size}B"]
        out.append((f"Channel send, {size} B (policy checked)", what,
                    f"{min(snd):.1f}", f"median {med(snd):.1f} over {len(snd)} rounds; "
                    "CHAN_SEND ecall to return"))
        out.append((f"Channel receive, {size} B", what, f"{min(rcv):.1f}",
                    f"median {med(rcv):.1f} over {len(rcv)} rounds; CHAN_RECV with "
                    "an sk_msg_info to fill"))
        out.append((f"Channel send + receive, {size} B", what,
                    f"{min(snd) + min(rcv):.1f}",
                    "target <= 300 (64 B, policy included)" if size == 64 else "-"))
    return out


# ---- 5b. protocol check on the send path ---------------------------------

def send_costs(stem):
    """Per-call CHAN_SEND cost of bench_chan's writer w in system stem:
    {8: [...], 64: [...]} over the whole rounds (as chan_figures)."""
    r, _, _ = run(stem)
    head, rounds = lines(r, "w", "chan"), lines(r, "w", "round")
    if not head or not rounds:
        raise NoFigures(f"{stem}: w printed no measurements")
    n = int(head[0]["n"])
    got = {8: [], 64: []}
    for d in rounds:
        b, c8, c64, e8, e64, te, se = ints(d, "base", "c8", "c64", "err8", "err64",
                                           "t_end", "slot_end")
        if e8 or e64 or te >= se:
            continue
        got[8].append((c8 - b) / n)
        got[64].append((c64 - b) / n)
    if not got[8]:
        raise NoFigures(f"{stem}: no whole round")
    return got


def proto_figures(res, notes):
    """chan_proto is chan_burst with a one-state protocol on both
    channels: the difference is what the protocol check costs a send."""
    plain, proto = send_costs("chan_burst"), send_costs("chan_proto")
    r, _, _ = run("chan_proto")
    ev = r.of("protocol", name="stream")
    if not ev or ev[0]["denials"] != "0":
        raise NoFigures(f"chan_proto: protocol summary missing or refusals: {ev}")
    res["proto"] = {"plain": plain, "proto": proto, "moves": int(ev[0]["moves"])}
    out = []
    for size in (8, 64):
        a, b = min(plain[size]), min(proto[size])
        out.append((f"Channel send, {size} B, protocol checked", "chan_proto vs chan_burst",
                    f"{b:.1f}", f"+{b - a:.1f} over the same send without a protocol "
                    f"({a:.1f}); target <= +20"))
    return out


# ---- 6. ping-pong round trip, measured end to end ----------------------

PP_KEYS = ("g", "se", "r0", "r1", "rerr", "rseq", "rlen", "s0", "s1", "serr", "sseq")


def pingpong_measured(res, notes):
    r, layout, _ = run("pp_roundtrip")
    slots, major = plan_slots(layout)
    side = {}
    for part in ("ping", "pong"):
        head = lines(r, part, "pp")
        recs = lines(r, part, "rec")
        if not head or not recs:
            raise NoFigures(f"pp_roundtrip: {part} printed no records")
        base, size = ints(head[0], "base", "len")
        side[part] = (base, [dict(zip(PP_KEYS, ints(d, *PP_KEYS))) for d in recs])
    (bp, ping), (bq, pong) = side["ping"], side["pong"]
    lp, lq = slots["ping"][1], slots["pong"][1]
    sent = {x["sseq"]: x for x in ping if x["serr"] == 0}
    answered = {x["rseq"]: x for x in pong if x["rerr"] == 0 and x["serr"] == 0
                and x["sseq"] == x["rseq"] and x["rlen"] == size}
    back = {x["rseq"]: x for x in ping if x["rerr"] == 0 and x["rlen"] == size}
    trips, skipped = [], 0
    for k, a in sorted(sent.items()):
        q, b = answered.get(k), back.get(k)
        # pong's slot must follow ping's, and ping's next follow pong's
        if not q or not b or q["se"] - lq != a["se"] or b["se"] - lp != q["se"]:
            skipped += 1
            continue
        send = [a["s1"] - a["s0"] - bp, q["s1"] - q["s0"] - bq]
        recv = [q["r1"] - q["r0"] - bq, b["r1"] - b["r0"] - bp]
        entry = [q["g"] - TICK * (q["se"] - lq), b["g"] - TICK * (b["se"] - lp)]
        trips.append({"seq": k, "send": send, "recv": recv, "slot_entry": entry,
                      "total": sum(send) + sum(recv) + sum(entry),
                      "latency": b["r1"] - a["s0"]})
    if not trips:
        raise NoFigures("pp_roundtrip: no round trip was seen whole in adjacent slots")
    res["pingpong"] = {"size": size, "slot_ticks": [lp, lq], "trips": trips,
                       "skipped": skipped}
    med = statistics.median
    tot = [t["total"] for t in trips]
    ent = [e for t in trips for e in t["slot_entry"]]
    snd = [x for t in trips for x in t["send"]]
    rcv = [x for t in trips for x in t["recv"]]
    lat = [t["latency"] for t in trips]
    return [(f"Ping-pong round trip, measured, {size} B",
             f"2 parts, {lp // 10} us slots, yield, guard 0",
             f"{med(tot):,.0f}",
             f"median, {min(tot):,}..{max(tot):,} over {len(tot)} round trips"
             f"{f' ({skipped} skipped)' if skipped else ''}: 2 sends {med(snd):.0f}, "
             f"2 receives {med(rcv):.0f} (no sk_msg_info), 2 slot entries after a "
             f"yield {med(ent):.0f} ({min(ent)}..{max(ent)}, QEMU's <=99 timer "
             f"lateness included); request->reply latency {med(lat):,.0f} "
             f"= the {TICK * major // 1000} us frame")]


# ---- 7. shared window vs RAM copy -----------------------------------------

def copy_records(stem, icount):
    r, layout, _ = run(stem, icount=icount)
    w = lines(r, "writer", "copy")
    reps = lines(r, "writer", "rep")
    rd = lines(r, "reader", "copy")
    if not w or not reps:
        raise NoFigures(f"{stem}: the writer printed no measurements")
    head = w[0]
    if not (head.get("sum") == head.get("ram_sum") == head.get("win_sum") and rd
            and rd[0].get("sum") == head["sum"]):
        raise NoFigures(f"{stem}: a copy did not arrive intact (writer {head}, reader {rd})")
    recs = [dict(zip(("ram_i", "win_i", "ram_t", "win_t"),
                     ints(d, "ram_i", "win_i", "ram_t", "win_t"))) for d in reps]
    nbytes, empty, te, se = ints(head, "bytes", "empty", "t_end", "slot_end")
    return nbytes, empty, te >= se, recs


def copy_figures(res, notes):
    """Under -icount both copies run the same loop and so count the same
    instructions by construction: that ratio says nothing.  The -icount
    run only checks that the window carries the data; the speed ratio is
    taken from a second boot in host time, with its caveat."""
    nbytes, _, _, recs = copy_records("copy_window", True)
    kib = nbytes / 1024
    res["copy"] = {"bytes": nbytes, "reps": len(recs), "icount_checked": True}
    what = f"{kib:.0f} KiB x {len(recs)}"
    try:
        wb, _, wcut, wrecs = copy_records("copy_window", False)
        # the fastest of each: the host's noise only ever adds time
        rt = min(x["ram_t"] for x in wrecs)
        wt = min(x["win_t"] for x in wrecs)
        if not rt or not wt:
            raise NoFigures("copies too short for the time CSR")
    except NoFigures as e:
        return [("Shared window / RAM copy speed, host time", what, "n/a", str(e))]
    res["copy"]["wall_ticks"] = wrecs
    res["copy"]["ratio_wall"] = rt / wt
    return [("Shared window / RAM copy speed, host time", what, f"{rt / wt:.2f}",
             f"a ratio, not instructions: the image booted without -icount, fastest "
             f"of {len(wrecs)} copies each by the time CSR (RAM {wb / (rt * 100):.2f}, "
             f"window {wb / (wt * 100):.2f} GB/s of host time); moves by ~10% with "
             f"the host's load{'; some cut by the slot end' if wcut else ''}; the "
             f"reader saw the same checksum")]


# ---- 8. verification -----------------------------------------------------

VERIFY = ("boot_1p1m", "verify_64k", "verify_256k")


def verify_figures(res, notes):
    pts = []
    for stem in VERIFY:
        r, layout, _ = run(stem)
        done = r.of("boot_done")
        if not done or len(layout["partitions"]) != 1:
            raise NoFigures(f"{stem}: no boot_done event, or not one partition")
        p = layout["partitions"][0]
        pts.append({"system": stem, "pkg_size": p["pkg_size"],
                    "image_size": p["image_size"], "ram_size": p["ram_size"],
                    "boot_done": TICK * int(done[0]["ticks"])})
    if len({p["ram_size"] for p in pts}) != 1:
        notes.append("verification systems differ in RAM size: the slope mixes in "
                     "RAM clearing")
    xs = [p["pkg_size"] for p in pts]
    ys = [p["boot_done"] for p in pts]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = (sum((x - mx) * (y - my) for x, y in zip(xs, ys)) /
             sum((x - mx) ** 2 for x in xs))
    resid = max(abs(y - my - slope * (x - mx)) for x, y in zip(xs, ys))
    v = res["verify"] = {"systems": pts, "per_byte": slope, "max_residual": resid}
    sizes = "/".join(f"{x >> 10}K" for x in xs)
    out = [("Verification: cost per KiB of signed package",
            f"1 part, {pts[0]['ram_size'] >> 10}K RAM, packages {sizes}",
            f"{slope * 1024:,.0f}/KiB",
            f"slope of boot_done vs package size ({slope:.1f}/B, fit within "
            f"{resid:,.0f}): one BLAKE2b-512 pass (signature and measurement) "
            f"that also copies the image bytes")]
    boot = res.get("boot")
    if not boot:
        out.append(("Verification: fixed cost per partition", "-", "n/a",
                     "needs this run's boot figures, which failed"))
        return out
    pkg0 = run(BOOT_REPORT[0])[1]["partitions"][0]["pkg_size"]
    fixed = boot["per_extra_partition_without_ram"] - slope * pkg0
    v["fixed_per_partition"] = round(fixed)
    out.append(("Verification: fixed cost per partition", "3 parts vs 1",
                f"{fixed:,.0f}", f"extra partition ({boot['per_extra_partition_without_ram']:,}) "
                f"- slope x its {pkg0 >> 10}K package: the Ed25519 point arithmetic, plus "
                "a few K of G-stage root, vCPU set-up and event line"))
    for stem in BOOT_REPORT:
        b = boot["systems"][stem]
        parts = run(stem)[1]["partitions"]
        cost = sum(fixed + slope * p["pkg_size"] for p in parts)
        v[f"share_{stem}"] = cost / b["instructions"]
        out.append(("Verification: share of boot",
                    f"{b['partitions']} part x {b['ram_each'] >> 10}K",
                    f"{100 * cost / b['instructions']:.1f}%",
                    f"{cost:,.0f} of {b['instructions']:,} (packages of "
                    f"{', '.join(str(p['pkg_size'] >> 10) + 'K' for p in parts)})"))
    return out


# ---- 9. integrity: a Linux-sized package --------------------------------

HUGE = "verify_16m"


def integrity_figures(res, notes):
    """Boot verification and restart of one 16 MiB package (bench_huge,
    16 MiB of constant data), on the Zbb and the portable hash path.
    The system faults on purpose, so it is booted here, not by run()."""
    try:
        out = sk.build(f"{SYSTEMS}/{HUGE}.toml")
    except RuntimeError as e:
        raise NoFigures(f"{HUGE}: build failed: {str(e).strip()[-400:]}") from None
    p = json.loads((out / "layout.json").read_text())["partitions"][0]
    kib = p["pkg_size"] / 1024
    fig = res["integrity"] = {"pkg_size": p["pkg_size"], "ram_size": p["ram_size"],
                              "reload_frames_skc": p["reload_frames"]}
    rows = []
    for cpu, tag in ((None, "zbb"), ("rv64,zbb=false", "portable")):
        t = time.monotonic()
        r = sk.boot(image=out / "image.elf", timeout=4 * BOOT_TIMEOUT, cpu=cpu)
        _runs[f"{HUGE}_{tag}"] = (r, None, time.monotonic() - t)
        (OUT / f"{HUGE}_{tag}.log").write_text(r.raw)
        runs, crash = lines(r, "p0", "run"), lines(r, "p0", "crash")
        done, rst = r.of("boot_done"), r.of("restart", part="p0")
        if r.timed_out or not done or len(runs) < 2 or not crash or not rst:
            raise NoFigures(f"{HUGE} ({tag}): no boot_done, restart or second run "
                            f"(log: build/bench/{HUGE}_{tag}.log)")
        if r.one("boot")["zbb"] != ("1" if tag == "zbb" else "0"):
            raise NoFigures(f"{HUGE} ({tag}): the kernel did not take the {tag} path")
        boot = TICK * int(done[0]["ticks"])
        restart = TICK * (int(runs[1]["t"]) - int(crash[0]["t"]))
        fig[tag] = {"boot_done": boot, "restart": restart,
                    "reload_frames": int(rst[0]["frames"])}
        path = "Zbb rori" if tag == "zbb" else "portable, no Zbb"
        rows += [("Integrity: boot, one 16 MiB package", path, f"{boot / 1e6:,.1f} M",
                  f"{boot / p['pkg_size']:.1f}/B all included: one BLAKE2b-512 pass "
                  f"that copies the image too, one Ed25519 check (~0.64 M), clearing "
                  f"{(p['ram_size'] - p['image_size']) >> 20} MiB of RAM"),
                 ("Integrity: restart cost per KiB of package", path,
                  f"{restart / kib:,.0f}/KiB",
                  f"crash -> first instruction of main() again: {restart / 1e6:,.1f} M "
                  f"over {rst[0]['frames']} frames (skc predicted <= "
                  f"{p['reload_frames']}); re-hash + copy, RAM clear, no Ed25519")]
    return rows


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
  SK_FID_NOP is answered in trap.S before any register is saved, so it
  is the floor of a kernel entry; get_spec_version shows the cost of the
  smallest call that goes through C.
- World switch: N partitions spin on instret (a read every 3
  instructions) and log each jump (last read before, first read after,
  SK_INFO_SLOT_END).  A switch = outgoing partition's last read ->
  incoming one's first (slot timer interrupt, save, schedule, load,
  sret; + 1 to 3 of the loop's own instructions), matched by slot
  boundary.  The per-frame form, (frame - sum of what each partition
  ran) / N, is shown too.  guard = 0 puts the whole switch at the
  boundary, where sched_boundary() (no call, no stack frame) decides it.  With the default guard the slot's owner is stopped 10 us
  early; the kernel then chooses the next partition in one pass, idles
  (wfi) until 1 us before the boundary, does the switch work and
  finishes the wait with tick_sync, so the incoming guest starts a fixed
  number of instructions after its boundary (boundary->guest, measured
  from the boundary itself).  A slot loses the guard plus that.
- Virtual PLIC: pb (plicheck mode 2) loads the claim register N times
  with nothing pending and stores a priority N times; (loop - the same
  loop loading a RAM word) / N, minimum over the rounds that ended
  inside the slot.
- Virtual UART: ub stores N bytes to THR, N to SCR and loads LSR N
  times (each a trapped, decoded and emulated access), in a fresh 20 ms
  slot; per access = (loop - the same loop storing to RAM) / N.
- Jitter: first `time` read in each of j's slots minus the slot's
  boundary (slot end - length), over >= 50 frames; max - min.
- Channels: on one hart, w makes n raw CHAN_SEND ecalls in a burst
  (8-B messages on one queue, then 64-B ones on another; depth 1024,
  policy types [1], max_size = msg_size, max_per_frame 100000, so every
  send passes the monitor) at the start of its slot; r makes n
  CHAN_RECV ecalls on each (64-B buffer, sk_msg_info filled) in its
  slot right after.  Per call = (loop with the ecall - same loop with a
  nop) / n, as for the null hypercall; SDK wrappers not included; min
  over rounds, rounds cut by a slot end or with any failed call left
  out.  Messages are copied twice (sender -> kernel slot -> reader).  A
  queuing send or receive with 8-byte aligned buffers in the caller's RAM
  and a whole number of words (as here) takes the fast path
  (chan_send_fast/chan_recv_fast, inlined in vsbi_handle: no call, no
  stack frame, eight words a step); anything else takes the full path
  (chan_send/chan_recv, memcpy).
- Ping-pong, measured end to end: ping and pong (8-B messages, policy
  on both queues) in 100 us slots, guard 0, each yielding after its
  turn; for each round trip, from both partitions' instret records
  (instret is the hart's clock, shared by both): ping's send + pong's
  slot entry (its first instruction after its yield returns - 100 x slot
  start, so the world switch and QEMU's <= 99 timer lateness are in it)
  + pong's receive and send + ping's next slot entry + ping's receive.
  Each ecall is timed in situ (instret around it - two reads alone).
  Not in it: what the yield ecall does before the hart idles (hidden in
  the slot it gives away) and the partitions' own code.  The
  request->reply latency itself is the schedule's: one frame.
- Window copy: the writer of a 256 KiB shared window copies a 256 KiB
  buffer from its RAM into another RAM buffer and into the window, 16
  times each, alternating, with one 8-byte load/store loop.  Under
  -icount both count the same instructions by construction, so that run
  only checks the data; the ratio RAM time / window time (1 = as fast)
  comes from the same image booted once more without -icount, where
  `time` follows the host's clock: fastest copy of each kind.
- Verification: boot_done (ticks since kernel entry, x100) of three
  1-partition systems with 1M of RAM whose packages differ only by
  constant data (bench_boot, bench_big64, bench_big): slope per
  package byte (the one BLAKE2b pass, on the path the hart has: Zbb on
  QEMU's default rv64; it also copies, instead of clears, the extra
  image bytes: ~0.15/B).  Fixed cost = the boot table's extra-partition cost minus
  slope x bench_boot's package.  Share = partitions x (fixed + slope x
  package) / the boot figure above (the fixed part is an upper bound).
- Integrity: verify_16m (bench_huge: 16 MiB of constant data, 20M of
  RAM, one 1 ms slot per frame, guard 0) booted with QEMU's default
  rv64 (Zbb) and with -cpu rv64,zbb=false.  Boot = boot_done.  Restart
  = the partition's `time` at its crash to its `time` first thing in
  main() of the next run (x100), divided by the package's KiB; the
  reload is the kernel's only work in between (guard 0, no neighbour).
- Linux: linux_boot (make linux's Image and initramfs, 32M, alone on
  hart 0, counters = true, no epoch).  First instruction = (boot_done
  ticks + 50) x 100: the first frame starts 50 ticks after boot_done
  and the partition's first slot is its first instruction.  /init =
  the instret its init reads first thing (sktest=bench) - 100 x t0.
- Gateway: gateway_rt (Linux with the skchan driver and plic = true, so
  the doorbell is its virtual PLIC interrupt; a 1.8 ms slot, and the
  keystore gwkeys, 0.2 ms, in a 2 ms frame; counters = true).  skctl
  (gw=bench,200) sends one request at a time: round trip = its instret
  after the read returned - before the write (under -icount, instret is
  the hart's clock in instructions: idle included); doorbell -> wakeup =
  that instret - the keystore's instret stamped into the reply just
  before it rang rep's doorbell.  Both are bound by the schedule: the
  reply waits for Linux's next slot."""


def table(rows):
    out = ["| figure | system | instructions | notes |",
           "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(out)


def bench_meta():
    """Which tree the figures measured (build/evidence.md compares it with
    the commit it tests): short HEAD, " (dirty)" if the tree had changes."""
    def git(*a):
        r = subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else ""
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (dirty)"
    return {"commit": commit,
            "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    res, rows, notes, failed = {}, [], [], []
    for name, fn in (("boot", boot_figures), ("hcall", hcall_figures),
                     ("uart", uart_figures),
                     ("plic", plic_figures),
                     ("switch", switch_figures), ("jitter", jitter_figures),
                     ("chan", chan_figures), ("proto", proto_figures),
                     ("pingpong measured", pingpong_measured),
                     ("copy", copy_figures), ("verify", verify_figures),
                     ("integrity", integrity_figures),
                     ("linux", linux_figures),
                     ("gateway", gateway_figures)):
        try:
            rows += fn(res, notes)
        except NoFigures as e:
            failed.append(f"{name}: {e}")
            rows.append((name, "-", "n/a", f"run failed: {e}"))
    res["wall_seconds"] = {s: round(w, 2) for s, (_, _, w) in _runs.items()}
    res["failed"] = failed
    res["meta"] = bench_meta()
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
