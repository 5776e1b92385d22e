# SPDX-License-Identifier: MIT
"""Promise 2 (flow) for the FP registers: the world switch keeps what
f0-f31 and fcsr hold in the hart's own sstatus.FS and skips the FP work
when it can, so these scenarios look for the switch it should not have
skipped.  A partition that never wrote an FP register must read zeros in
all 33 of them, whoever ran before it (fp_snoop.toml); a partition reset
with its registers Dirty (restarted after a fault, or stopped) leaves
nothing behind, neither to the next partition nor to its own next life;
and its neighbours keep every register of theirs (fp_reset.toml).
The partitions are partitions/fpprobe (roles: snoop, writer, fcsr,
crash, quit) and partitions/regcheck."""
import re

import pytest

from sk import ROOT, boot

SYS = ROOT / "harness/systems"
SNOOP = re.compile(r"fpsnoop slots=(\d+) checks=(\d+) nonzero=(\d+) fs=(\d+)$")
WRITER = re.compile(r"fp(?:writer|fcsr|flags) slots=(\d+) mismatches=(\d+)")
FRESH = re.compile(r"fpcrash run=(\d+) fresh_nonzero=(\d+)$")
KEPT = re.compile(r"fpcrash run=(\d+) kept_mismatches=(\d+)$")


def boot_to_stop(system):
    """Boot one of this file's systems; it must run until stop_after."""
    r = boot(SYS / system, timeout=40)
    assert not r.timed_out, r.raw
    assert r.halt["reason"] == "stop_after"
    return r


@pytest.fixture(scope="module")
def snooped():
    return boot_to_stop("fp_snoop.toml")


@pytest.fixture(scope="module")
def reset():
    return boot_to_stop("fp_reset.toml")


def snoop_result(run, name):
    """(slots, checks, nonzero) from the snoop's last summary line, after
    checking it printed no leak and its own FS stayed Initial (it never
    wrote an FP register, so the snoop itself is honest)."""
    out = run.output[name]
    leaks = [l for l in out if l.startswith("leak")]
    assert not leaks, leaks[:8]
    m = SNOOP.match(out[-1])
    assert m, out
    slots, checks, nonzero, fs = map(int, m.groups())
    assert fs == 1, out[-1]                     # Initial: it wrote nothing
    return slots, checks, nonzero


def test_fp_registers_never_leak_to_a_partition_that_did_not_write_them(snooped):
    # snoop_a runs right after writer, which fills all 33 with non-zero
    # patterns (Dirty at every other switch, Clean at the others).
    slots, checks, nonzero = snoop_result(snooped, "snoop_a")
    assert nonzero == 0
    assert slots >= 400 and checks >= 400 * 100     # hundreds of switches
    # The writer really wrote, and its own values came back every slot.
    m = WRITER.match(snooped.output["writer"][-1])
    assert m and int(m.group(1)) >= 400 and int(m.group(2)) == 0
    assert int(snooped.one("summary", part="writer")["slots"]) >= 400


def test_fcsr_written_alone_never_leaks_and_is_kept(snooped):
    # fcsrw writes fcsr through the CSR only (never an f register), a new
    # value every slot; snoop_b runs right after it.
    slots, _, nonzero = snoop_result(snooped, "snoop_b")
    assert nonzero == 0 and slots >= 400
    # ... and fcsrw finds its own fcsr (and zeros in f0-f31) every slot.
    m = WRITER.match(snooped.output["fcsrw"][-1])
    assert m and int(m.group(1)) >= 400 and int(m.group(2)) == 0, \
        snooped.output["fcsrw"][:8]


def test_fflags_raised_without_writing_an_f_register_are_kept(snooped):
    # flagger loads a signalling NaN (saved by the switch), then in its
    # next slot raises fflags.NV with feq.d, which writes no f register,
    # and looks for the flag after the following switch.
    out = snooped.output["flagger"]
    assert not [l for l in out if l.startswith("lost")], out[:8]
    m = WRITER.match(out[-1])
    assert m and int(m.group(1)) >= 300 and int(m.group(2)) == 0, out[-1]


def test_a_restarted_writer_leaves_nothing_to_the_next_partition(reset):
    # crash_a fills every FP register and faults with them Dirty, over and
    # over; snoop runs right after it, often entered from a hart whose
    # loaded vcpu was dropped (h->loaded = NULL).
    restarts = reset.of("restart", part="crash_a")
    assert len(restarts) >= 200
    # Its slot holds a whole reload: many lives begin in the slot where
    # the last one faulted (the switch from a dropped vcpu to its own
    # fresh one).
    assert len([e for e in restarts if e["frames"] == "0"]) >= 100
    assert len(reset.of("fault", part="crash_a", cause="illegal_instruction",
                        action="restart")) >= 25
    assert len(reset.of("fault", part="crash_a", cause="store_guest_page_fault",
                        action="restart")) >= 25
    slots, _, nonzero = snoop_result(reset, "snoop")
    assert nonzero == 0 and slots >= 300


def test_a_restarted_writer_starts_its_new_life_with_zeros(reset):
    # Each life of a crasher reads all 33 registers before it writes any:
    # zeros, never the values of its previous life (which were non-zero,
    # and on odd runs saved once by a switch before the fault).
    for name in ("crash_a", "crash_b"):
        out = reset.output[name]
        assert not [l for l in out if l.startswith("leak")], out[:8]
        fresh = [tuple(map(int, m.groups())) for l in out
                 for m in [FRESH.match(l)] if m]
        assert [run for run, _ in fresh] == list(range(len(fresh)))
        assert len(fresh) >= 50
        assert all(n == 0 for _, n in fresh)
        # Odd runs were switched out and back in between fill and fault:
        # their own values came back each time.
        kept = [tuple(map(int, m.groups())) for l in out
                for m in [KEPT.match(l)] if m]
        assert len(kept) >= 25 and all(n == 0 for _, n in kept)
        assert reset.one("summary", part=name)["restarts"] == str(len(fresh) - 1)


def test_a_stopped_writer_leaves_nothing_to_the_next_partition(reset):
    # quitter fills every FP register, is switched out and in once (its
    # values come back), refills them and stops with them Dirty; snoop2
    # runs next, from then on after an idle slot.
    assert reset.output["quitter"] == ["fpcrash run=0 fresh_nonzero=0",
                                       "fpcrash run=0 kept_mismatches=0"]
    reset.one("stop", part="quitter", reason="srst_shutdown")
    slots, _, nonzero = snoop_result(reset, "snoop2")
    assert nonzero == 0 and slots >= 300


def test_state_survives_a_neighbour_restarted_again_and_again(reset):
    # regcheck runs right after crash_b: many of its slots begin with a
    # switch from a dropped vcpu (its CSRs to the hart's sink, its
    # registers nowhere).  Every general, FP and supervisor register of
    # regcheck's must survive all of them.
    m = re.match(r"regcheck rounds=(\d+) switched_rounds=(\d+) mismatches=(\d+)",
                 reset.output["check"][-1])
    assert m, reset.output["check"]
    rounds, switched, bad = map(int, m.groups())
    assert rounds == 600 and bad == 0
    assert switched >= 200
    reset.one("stop", part="check", reason="srst_shutdown")
    # crash_b was restarted often while regcheck was still checking.
    done = reset.lines.index(("check", reset.output["check"][-1]))
    during = [t for w, t in reset.lines[:done]
              if w == "sk" and t.startswith("event=restart part=crash_b")]
    assert len(during) >= 50


# ---- the supervisor CSRs a guest can change (csr_swap.toml) ------------

CSRSUM = re.compile(r"csrcheck slots=(\d+) checks=(\d+) mismatches=(\d+)$")
CSRRUN = re.compile(r"csrcheck run=(\d+) (fresh|kept)_mismatches=(\d+)$")


@pytest.fixture(scope="module")
def csrs():
    return boot_to_stop("csr_swap.toml")


def test_supervisor_csrs_survive_a_neighbour_writing_the_same_ones(csrs):
    # csr_a and csr_b write satp (Sv39 on), scause, stval, sscratch, sepc,
    # stvec, sie, sstatus.SUM/MXR, senvcfg and scounteren with values of
    # their own seeds, and check all ten in a loop across every switch;
    # csr_a is entered after csr_crash, often a dropped vcpu.
    kept = {}
    for name in ("csr_a", "csr_b"):
        out = csrs.output[name]
        assert not [l for l in out if l.startswith("lost")], out[:8]
        m = CSRSUM.match(out[-1])
        assert m, out
        slots, checks, bad = map(int, m.groups())
        assert slots >= 400 and checks >= 400 * 100 and bad == 0
        assert out[0].startswith("csrcheck kept ")
        kept[name] = dict(kv.split("=") for kv in out[0].split()[2:])
    # The two really hold different values in each (not just what the
    # hardware would give both anyway).
    assert all(kept["csr_a"][k] != kept["csr_b"][k] for k in kept["csr_a"])


def test_a_restarted_partition_starts_with_reset_csrs(csrs):
    # Each life of csr_crash checks it begins with reset values (zero, and
    # scounteren's default), writes its own, sees them survive one switch
    # and faults: its old values must never come back.
    out = csrs.output["csr_crash"]
    assert not [l for l in out if l.startswith(("stale", "lost"))], out[:8]
    runs = [m.groups() for l in out for m in [CSRRUN.match(l)] if m]
    fresh = [int(r) for r, kind, n in runs if kind == "fresh" and n == "0"]
    kept = [int(r) for r, kind, n in runs if kind == "kept" and n == "0"]
    assert len(runs) == len(fresh) + len(kept)
    assert fresh == list(range(len(fresh))) and len(fresh) >= 50
    assert len(kept) >= len(fresh) - 1
    assert csrs.one("summary", part="csr_crash")["restarts"] == str(len(fresh) - 1)
