#!/usr/bin/env python3
"""Run the dialer's pacing simulator across seeds and print, per mode, what
agents and called people get.

    python3 tests/bench/simulate_dialer.py --seeds 20 [--agents 20 --hours 8
        --answer-rate 0.3 --ceiling 0.03 --power-ratio 2.0]

No Odoo needed: the plain-Python engines of
``addons/contact_center_dialer/tools`` are loaded on their own (as a
package, so their relative imports work). For each mode (preview,
progressive, power, predictive) and seed, one campaign run
(``tools/simulator.py``); the table shows over the seeds: agent talk-time
share (mean, min), calls bridged per agent-hour, dials per agent-hour, the
abandon rate (mean, max, and the seeds above the ceiling), calls started
outside a calling window and calls to DNC numbers (summed over the seeds,
found by an audit of every started call), and the contacts turned away at
dial time because their window had closed or their number was on the DNC
list (summed).
Then the checks the issue asks for; the exit status is 1 if one fails:
predictive at or under the ceiling in every seed with a higher talk share
than progressive, and no call outside a window or to a DNC number in power
and predictive.
"""

import argparse
import importlib.util
import os
import statistics
import sys
import time

TOOLS = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    os.pardir,
    os.pardir,
    "addons",
    "contact_center_dialer",
    "tools",
)


def load_tools():
    """Import ``addons/contact_center_dialer/tools`` as a stand-alone
    package (the addon's own ``__init__`` imports Odoo models)."""
    name = "contact_center_dialer_tools"
    path = os.path.normpath(TOOLS)
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(path, "__init__.py"), submodule_search_locations=[path]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    return importlib.import_module(f"{name}.simulator"), importlib.import_module(
        f"{name}.pacing"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--hours", type=float, default=8.0)
    parser.add_argument("--answer-rate", type=float, default=0.3)
    parser.add_argument("--ceiling", type=float, default=0.03)
    parser.add_argument("--power-ratio", type=float, default=2.0)
    parser.add_argument(
        "--safety-margin",
        type=float,
        default=None,
        help="predictive: alpha = ceiling x (1 - margin)",
    )
    args = parser.parse_args()

    simulator, pacing = load_tools()
    margin = (
        pacing.DEFAULT_SAFETY_MARGIN
        if args.safety_margin is None
        else args.safety_margin
    )
    started = time.perf_counter()
    print(
        f"{args.seeds} seeds, {args.agents} agents, {args.hours:g} h, answer rate {args.answer_rate:.0%}, "
        f"abandon ceiling {args.ceiling:.1%}, power {args.power_ratio:g} lines/ready agent, "
        f"predictive alpha {args.ceiling * (1 - margin):.2%}"
    )
    header = (
        f"{'mode':<12} {'talk mean':>9} {'talk min':>8} {'calls/ah':>8} {'dials/ah':>8} "
        f"{'aband mean':>10} {'aband max':>9} {'>ceiling':>8} {'outside win':>11} {'to DNC':>6} "
        f"{'blocked win/DNC':>15}"
    )
    print(header)
    print("-" * len(header))
    summary = {}
    for mode in pacing.MODES:
        runs = [
            simulator.simulate(
                simulator.SimulationConfig(
                    mode=mode,
                    agents=args.agents,
                    hours=args.hours,
                    answer_rate=args.answer_rate,
                    ceiling=args.ceiling,
                    power_ratio=args.power_ratio,
                    safety_margin=margin,
                ),
                seed,
            )
            for seed in range(args.seeds)
        ]
        talk = [run["talk_share"] for run in runs]
        abandon = [run["abandon_rate"] for run in runs]
        row = {
            "talk_mean": statistics.fmean(talk),
            "talk_min": min(talk),
            "calls": statistics.fmean(run["calls_per_agent_hour"] for run in runs),
            "dials": statistics.fmean(run["dials_per_agent_hour"] for run in runs),
            "abandon_mean": statistics.fmean(abandon),
            "abandon_max": max(abandon),
            "over": sum(rate > args.ceiling for rate in abandon),
            "outside": sum(run["outside_window"] for run in runs),
            "dnc": sum(run["to_dnc"] for run in runs),
            "blocked": f"{sum(run['blocked_window'] for run in runs)}/{sum(run['blocked_dnc'] for run in runs)}",
        }
        summary[mode] = row
        print(
            f"{mode:<12} {row['talk_mean']:>9.1%} {row['talk_min']:>8.1%} {row['calls']:>8.2f} {row['dials']:>8.2f} "
            f"{row['abandon_mean']:>10.2%} {row['abandon_max']:>9.2%} {row['over']:>8} {row['outside']:>11} "
            f"{row['dnc']:>6} {row['blocked']:>15}"
        )
    predictive, progressive = summary[pacing.PREDICTIVE], summary[pacing.PROGRESSIVE]
    gain = (
        predictive["talk_mean"] / progressive["talk_mean"] - 1
        if progressive["talk_mean"]
        else float("inf")
    )
    print(
        f"predictive vs progressive: talk share {predictive['talk_mean']:.1%} vs {progressive['talk_mean']:.1%} "
        f"({gain:+.0%}), worst seed {predictive['talk_min']:.1%} vs {progressive['talk_min']:.1%}; "
        f"abandon max {predictive['abandon_max']:.2%} (ceiling {args.ceiling:.1%})"
    )
    checks = [
        (
            f"predictive abandon <= ceiling in every seed ({predictive['over']} over)",
            predictive["over"] == 0,
        ),
        (
            "predictive talk share > progressive",
            predictive["talk_mean"] > progressive["talk_mean"],
        ),
        (
            "power and predictive: no call outside a window or to DNC",
            not any(
                summary[mode][key]
                for mode in (pacing.POWER, pacing.PREDICTIVE)
                for key in ("outside", "dnc")
            ),
        ),
    ]
    for label, passed in checks:
        print(f"{'OK  ' if passed else 'FAIL'} {label}")
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0 if all(passed for _label, passed in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
