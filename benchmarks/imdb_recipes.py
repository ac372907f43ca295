"""Time the source documents' IMDB LSTM recipe against the course's faster and best recipes.

    python benchmarks/imdb_recipes.py                      # profile from LSTM_COURSE_PROFILE (default standard)
    python benchmarks/imdb_recipes.py --profile quick      # about a minute: checks that it runs
    python benchmarks/imdb_recipes.py --profile full       # the source documents' sizes: an hour or more on a CPU

The recipes (``lstm_course/recipes.py``, the same code as the chapter "Sentiment analysis on
IMDB") train on the same reviews, one after the other on this machine, each in a fresh Python
process (a recipe trained second in a used process ran up to a third slower): the seed recipe the
source documents' LSTM(128) classifier; the faster recipe the seed's embedding and output layer
around an LSTM(64), reading the average of its outputs over up to ``FASTER_RECIPE["maxlen"]``
words; the best recipe a masked
bidirectional LSTM that reads up to ``BEST_RECIPE["maxlen"]`` words, its embedding pretrained by
an LSTM language model on the unlabelled reviews (``--recipes best-no-lm`` trains it without the
pretraining). The script prints, for each, the wall time and CPU time of ``fit`` (for the best
recipe, of the language model's ``fit`` too), the test accuracy, and the CPU time as a fraction of the
seed recipe's; then whether the faster recipe reached the 86.2% test accuracy the source
documents logged within a third of the seed's time (wall time, the goal on an idle machine, and
CPU time, which a busy machine distorts less), and whether the best recipe reached 88% (only the
``full`` profile trains on enough reviews to expect either). ``--skip-seed SECONDS`` replaces
the seed run by a CPU time measured before (the accuracy column then shows the source documents'
86.2%). ``--repeats N`` trains every recipe N times, interleaved, and reports the median times
(wall times on a virtual machine vary by up to a third between identical runs). Results are also
written to ``benchmarks/results/imdb_recipes_<profile>.csv``.

This is a benchmark, not a test: it never fails on a slow or inaccurate run. Timings on a shared
machine vary with its load (the load average is printed at the start and the end); the CPU time
of each ``fit``, summed over this process's threads, varies much less.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULT = "RESULT "  # prefix of the line where a child process reports its recipe

# The chapter's sizes: training reviews (20% of them validate), test reviews, unlabelled reviews the
# best recipe pretrains on, epochs of each recipe (None: the recipe's own default for that many reviews).
RECIPES = ("seed", "faster", "best", "best-no-lm")
SIZES = {
    "quick": {
        "n_train": 1_000,
        "n_test": 1_000,
        "n_unlabelled": 1_000,
        "seed_epochs": 3,
        "fast_epochs": None,
        "best_epochs": 2,
    },
    "standard": {
        "n_train": 5_000,
        "n_test": 5_000,
        "n_unlabelled": 6_000,
        "seed_epochs": 5,
        "fast_epochs": None,
        "best_epochs": None,
    },
    "full": {
        "n_train": 25_000,
        "n_test": 25_000,
        "n_unlabelled": 50_000,
        "seed_epochs": 5,
        "fast_epochs": None,
        "best_epochs": None,
    },
}


def load_average() -> str:
    try:
        return " ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def train_one(name: str, profile: str, seed: int) -> tuple:
    """Train one recipe and return (name, epochs run, epochs planned, wall s, CPU s, test accuracy)."""
    import lstm_course as lc  # first: it keeps TensorFlow's start-up log quiet
    from lstm_course import recipes

    sizes = SIZES[profile]
    (x_train, y_train), (x_test, y_test) = lc.load_imdb(num_words=10_000)
    x_train, y_train = x_train[: sizes["n_train"]], y_train[: sizes["n_train"]]
    x_test, y_test = x_test[: sizes["n_test"]], y_test[: sizes["n_test"]]
    lc.set_seed(seed)
    if name == "seed":
        run = recipes.fit_seed_recipe(x_train, y_train, "LSTM", epochs=sizes["seed_epochs"])
        planned, acc = sizes["seed_epochs"], recipes.evaluate_accuracy(run.model, x_test, y_test)
    elif name == "faster":
        run = recipes.fit_faster_recipe(x_train, y_train, epochs=sizes["fast_epochs"], seed=seed)
        planned = run.notes["settings"]["epochs"]
        acc = recipes.evaluate_accuracy(run.model, x_test, y_test, recipes.FASTER_RECIPE["maxlen"], bucketed=True)
    else:  # "best", or "best-no-lm": the same without pretraining, to measure what pretraining adds
        planned = sizes["best_epochs"] or recipes.BEST_RECIPE["epochs"]
        unlabelled = None
        if name == "best":
            unlabelled = lc.load_imdb_unlabelled(num_words=10_000, max_samples=sizes["n_unlabelled"])
        run = recipes.fit_best_recipe(x_train, y_train, unlabelled, epochs=planned, seed=seed)
        acc = recipes.evaluate_accuracy(run.model, x_test, y_test, recipes.BEST_RECIPE["maxlen"], bucketed=True)
    return name, len(run.history["loss"]), planned, run.seconds, run.cpu_seconds, acc


def train_in_child(name: str, profile: str, seed: int) -> tuple:
    """Run :func:`train_one` in a fresh Python process, so that no recipe runs in a process that an
    earlier one has already used (in one process, the recipe trained second ran up to a third slower)."""
    command = [sys.executable, __file__, "--profile", profile, "--seed", str(seed), "--child", name]
    result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, LSTM_COURSE_PROFILE=profile))
    lines = [line for line in result.stdout.splitlines() if line.startswith(RESULT)]
    if result.returncode != 0 or not lines:
        print(result.stdout[-2000:], result.stderr[-4000:], sep="\n")
        raise SystemExit(f"the {name} recipe failed (exit {result.returncode})")
    return tuple(json.loads(lines[-1][len(RESULT) :]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--profile",
        choices=tuple(SIZES),
        default=os.environ.get("LSTM_COURSE_PROFILE", "").strip().lower() or "standard",
    )
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument(
        "--recipes",
        default="seed,faster,best",
        help=f"comma-separated subset of {','.join(RECIPES)} (default: seed,faster,best); "
        f"best-no-lm is the best recipe without its pretraining",
    )
    parser.add_argument(
        "--skip-seed",
        type=float,
        metavar="CPU_SECONDS",
        help="do not train the seed recipe; compare with this CPU time measured before",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="train every recipe this many times, interleaved, and report the median times",
    )
    parser.add_argument("--child", choices=RECIPES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    asked = {n.strip() for n in args.recipes.split(",")}
    if asked - set(RECIPES):
        parser.error(f"unknown recipe(s) {', '.join(sorted(asked - set(RECIPES)))}; choose from {', '.join(RECIPES)}")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    wanted = [name for name in RECIPES if name in asked]
    os.environ["LSTM_COURSE_PROFILE"] = args.profile
    sys.path.insert(0, str(ROOT))
    if args.child:
        print(RESULT + json.dumps(train_one(args.child, args.profile, args.seed)), flush=True)
        return 0

    from lstm_course import recipes  # for the published accuracy; this process trains nothing

    sizes = SIZES[args.profile]
    print(
        f"profile {args.profile}; {os.cpu_count()} CPU cores; {platform.processor() or platform.machine()}; "
        f"Python {platform.python_version()}; load average at start {load_average()}"
    )
    n_fit = int(round(0.8 * sizes["n_train"]))
    print(
        f"training on {n_fit:,} reviews (+{sizes['n_train'] - n_fit:,} for validation), "
        f"testing on {sizes['n_test']:,}; the best recipe pretrains on those {n_fit:,} and "
        f"{sizes['n_unlabelled']:,} unlabelled reviews (its times include the pretraining); "
        f"each recipe in a fresh process",
        flush=True,
    )

    rows = []  # (name, epochs run, epochs planned, wall s, CPU s, test accuracy)
    if args.skip_seed is not None:
        rows.append(
            (
                "seed (earlier run)",
                sizes["seed_epochs"],
                sizes["seed_epochs"],
                float("nan"),
                args.skip_seed,
                recipes.SEED_TEST_ACCURACY["LSTM"],
            )
        )
        wanted = [name for name in wanted if name != "seed"]
    runs = {name: [] for name in wanted}
    for repeat in range(args.repeats):  # interleaved, so that a slow spell of the machine hits every recipe
        for name in wanted:
            runs[name].append(train_in_child(name, args.profile, args.seed))
            which = f" (run {repeat + 1} of {args.repeats})" if args.repeats > 1 else ""
            print(
                f"  {name} recipe done{which}: {runs[name][-1][3]:.0f} s wall, {runs[name][-1][4]:.0f} s CPU, "
                f"test accuracy {runs[name][-1][5]:.1%}",
                flush=True,
            )
    if args.repeats > 1 and {"seed", "faster"} <= set(wanted):
        shares = [f"{fast[3] / seed[3]:.0%}" for seed, fast in zip(runs["seed"], runs["faster"])]
        print(f"  faster recipe's share of the seed's wall time, run by run: {', '.join(shares)}")
    for name in wanted:  # the median run of each recipe (its accuracy is the same in every run)
        results = runs[name]
        medians = (float(np.median([r[i] for r in results])) for i in (3, 4, 5))  # wall, CPU, accuracy
        rows.append((name, results[0][1], results[0][2], *medians))

    seed_cpu = next((cpu for name, _, _, _, cpu, _ in rows if name.startswith("seed")), None)
    print()
    if args.repeats > 1:
        print(f"medians of {args.repeats} runs:")
    print(f"{'recipe':<20}{'epochs run':>11}{'wall time':>12}{'CPU time':>12}{'CPU / seed':>12}{'test accuracy':>15}")
    for name, ran, planned, wall, cpu, acc in rows:
        ratio = f"{cpu / seed_cpu:.0%}" if seed_cpu else "n/a"
        print(f"{name:<20}{f'{ran}/{planned}':>11}{wall:>10.0f} s{cpu:>10.0f} s{ratio:>12}{acc:>15.1%}")
    print()
    note = "" if args.profile == "full" else f" (the {args.profile} profile trains on {n_fit:,} of 20,000 reviews)"
    target = recipes.SEED_TEST_ACCURACY["LSTM"]
    seed_wall = next((wall for name, _, _, wall, _, _ in rows if name == "seed"), None)
    for name, _, _, wall, cpu, acc in rows:
        if name == "faster" and seed_cpu:
            # The goal is a third of the seed's time: wall time on an idle machine, CPU time on a busy one.
            shares = [f"{cpu / seed_cpu:.0%} of its CPU time"]
            if seed_wall:
                shares.insert(0, f"{wall / seed_wall:.0%} of the seed's wall time")
            ok_wall = seed_wall is not None and wall <= seed_wall / 3
            ok_cpu = cpu <= seed_cpu / 3
            print(
                f"faster recipe: {acc:.1%} (target {target:.1%}) in {' and '.join(shares)} (target at most 33%): "
                f"{'met' if acc >= target and (ok_wall or ok_cpu) else 'not met'}"
                f"{'' if ok_wall == ok_cpu else ' (met on ' + ('wall' if ok_wall else 'CPU') + ' time only)'}{note}"
            )
        if name == "best":
            print(f"best recipe: {acc:.1%} (target 88.0%): {'met' if acc >= 0.88 else 'not met'}{note}")
    print(f"load average at the end {load_average()}")

    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"imdb_recipes_{args.profile}.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["recipe", "epochs_run", "wall_seconds", "cpu_seconds", "test_accuracy", "n_train", "n_test"])
        for name, ran, _, wall, cpu, acc in rows:
            writer.writerow(
                [name, ran, round(wall, 1), round(cpu, 1), round(acc, 4), sizes["n_train"], sizes["n_test"]]
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
