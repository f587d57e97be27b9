#!/usr/bin/env python3
"""Reads nextpnr's --report JSON of each board built by bitstreams/build.sh,
prints utilisation and Fmax per board, writes them to OUT/summary.md and
fails (exit 1) when a board breaks a limit of bitstreams/limits.toml."""

import argparse
import json
import sys
import tomllib
from pathlib import Path

CELLS = [("comb", "TRELLIS_COMB", "LUT4 (comb)"), ("ff", "TRELLIS_FF", "FF"),
         ("bram", "DP16KD", "DP16KD"), (None, "MULT18X18D", "MULT18X18D")]


def card_clock(fmax):
    """The card's clock: the net the board top drives the card with."""
    for name in fmax:
        if "card_clk" in name:
            return name
    if len(fmax) == 1:
        return next(iter(fmax))
    raise SystemExit(f"report: no card clock among {list(fmax)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limits", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("boards", nargs="+")
    a = ap.parse_args()
    limits = tomllib.loads(Path(a.limits).read_text())
    out = Path(a.out)
    lines = ["| board | device | LUT4 (comb) | FF | DP16KD | MULT18X18D | Fmax (card clock) | target | build time |",
             "|---|---|---|---|---|---|---|---|---|"]
    notes = []
    failures = []
    for board in a.boards:
        lim = limits.get(board)
        if lim is None:
            raise SystemExit(f"report: no limits for {board} in {a.limits}")
        rep = json.loads((out / board / "report.json").read_text())
        times = json.loads((out / board / "times.json").read_text())
        util = rep["utilization"]
        cols = []
        for key, cell, label in CELLS:
            u = util.get(cell, {"used": 0, "available": 0})
            cols.append(f"{u['used']} / {u['available']}")
            if key is not None and u["used"] > lim[f"max_{key}"]:
                failures.append(f"{board}: {label} {u['used']} > limit {lim['max_' + key]}")
        fmax = rep["fmax"]
        clk = card_clock(fmax)
        achieved = fmax[clk]["achieved"]
        constraint = fmax[clk]["constraint"]
        if achieved < lim["min_fmax_mhz"]:
            failures.append(
                f"{board}: Fmax {achieved:.2f} MHz < floor {lim['min_fmax_mhz']} MHz "
                f"(short by {lim['min_fmax_mhz'] - achieved:.2f} MHz, "
                f"{100 * (lim['min_fmax_mhz'] - achieved) / lim['min_fmax_mhz']:.1f} %)")
        target = lim["target_fmax_mhz"]
        if achieved < target:
            verdict = f"missed by {target - achieved:.1f} MHz ({100 * (target - achieved) / target:.0f} %)"
            notes.append(f"{board}: the {target:.0f} MHz target is missed by "
                         f"{target - achieved:.1f} MHz; the board clocks the card at "
                         f"{constraint:.0f} MHz, which it meets")
        else:
            verdict = "met"
        lines.append(f"| {board} | {lim['device']} | {' | '.join(cols)} | "
                     f"{achieved:.2f} MHz (clock {constraint:.0f} MHz) | {target:.0f} MHz: {verdict} | "
                     f"{times['total_s']} s |")
    text = "\n".join(lines) + "\n"
    if notes:
        text += "\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    if failures:
        text += "\nLIMITS BROKEN:\n" + "\n".join(f"- {f}" for f in failures) + "\n"
    else:
        text += "\nAll limits met (bitstreams/limits.toml).\n"
    (out / "summary.md").write_text(text)
    print(text, end="")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
