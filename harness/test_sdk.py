# SPDX-License-Identifier: MIT
"""The SDK's conveniences (issue 13): a clear line for an ungranted
channel, one error code per refusal and sk_strerror(), sk_wait_next_frame()
and the "fresh" flag of sampling reads, with the old 24-byte
sk_msg_info left untouched."""
import re

import pytest

from sk import ROOT, boot

ABI = (ROOT / "sbi/sk_abi.h").read_text()


@pytest.fixture(scope="module")
def run():
    r = boot(ROOT / "harness/systems/sdkcheck.toml")
    assert not r.timed_out, r.raw
    return r


def test_ungranted_channel_says_which_and_what_it_has(run):
    out = run.output["checker"]
    assert out[0] == ('sk: sk_chan("alert"): not granted to checker '
                      '(it has: level); fix: a [[channel]] with checker in from/to')
    assert out[1] == ('sk_chan("alert") = -104: bad channel: the id is not one '
                      "of this partition's grants")
    # the quiet variant prints nothing
    assert out[2] == "quiet lookup = -104"
    # the writer's lookup succeeded silently
    assert not [l for l in run.output.get("producer", []) if l.startswith("sk:")]


def test_every_error_code_is_distinct_and_named(run):
    codes = re.findall(r"#define (SK_ERR_\w+|SBI_ERR_\w+)\s+\((-\d+)\)", ABI)
    values = [int(v) for _, v in codes]
    assert len(values) == len(set(values)), codes
    names = {int(l.split()[1].rstrip(":")): l.split(": ", 1)[1]
             for l in run.output["checker"] if l.startswith("strerror")}
    assert sorted(names) == list(range(-109, -99))
    assert len(set(names.values())) == 10          # all different
    assert "unknown" not in " ".join(names.values())


def test_wait_next_frame_runs_once_per_frame(run):
    # the checker owns two slots per frame, yet each wait ends in the next frame
    frames = [l for l in run.output["checker"] if l.startswith("frame +")]
    assert len(frames) == 6
    assert all(" step=1 " in l for l in frames), frames


def test_sampling_fresh_flag(run):
    frames = [l for l in run.output["checker"] if l.startswith("frame +")]
    fresh = [l.split("fresh=")[1] for l in frames]
    # 3 writes, one per frame: new once, then the same value again;
    # after the writer stops nothing is new
    assert fresh == ["1,0"] * 3 + ["0,0"] * 3, frames
    assert all("read=8,8" in l for l in frames)


def test_old_abi_struct_is_not_overwritten(run):
    assert "old abi: err=0 len=8 tail=5eed,5eed" in run.output["checker"]
