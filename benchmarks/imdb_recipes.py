"""Time the source documents' IMDB LSTM recipe against the course's faster and best recipes.

    python benchmarks/imdb_recipes.py                      # profile from LSTM_COURSE_PROFILE (default standard)
    python benchmarks/imdb_recipes.py --profile quick      # about a minute: checks that it runs
    python benchmarks/imdb_recipes.py --profile full       # the source documents' sizes: an hour or more on a CPU

The recipes (``lstm_course/recipes.py``, the same code as the chapter "Sentiment analysis on
IMDB") train on the same reviews, one after the other, on this machine: the seed and faster
recipes the same LSTM(128) classifier, the best recipe a masked bidirectional LSTM that reads up to
``BEST_RECIPE["maxlen"]`` words. The script prints, for each, the wall time and CPU time of
``fit``, the test accuracy, and the CPU time as a fraction of the seed recipe's; then whether the
faster recipe reached the 86.2% test accuracy the source documents logged within a third of the
seed's CPU time, and whether the best recipe reached 88% (only the ``full`` profile trains on
enough reviews to expect either). ``--skip-seed SECONDS`` replaces the seed run by a CPU time
measured before (the accuracy column then shows the source documents' 86.2%). Results are also
written to ``benchmarks/results/imdb_recipes_<profile>.csv``.

This is a benchmark, not a test: it never fails on a slow or inaccurate run. Timings on a shared
machine vary with its load (the load average is printed at the start and the end); the CPU time
of each ``fit``, summed over this process's threads, varies much less.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The chapter's sizes: training reviews (20% of them validate), test reviews, epochs of each recipe
# (None: the recipe's own default for that many reviews).
SIZES = {
    "quick": {"n_train": 1_000, "n_test": 1_000, "seed_epochs": 3, "fast_epochs": 2, "best_epochs": 2},
    "standard": {"n_train": 5_000, "n_test": 5_000, "seed_epochs": 5, "fast_epochs": 3, "best_epochs": 4},
    "full": {"n_train": 25_000, "n_test": 25_000, "seed_epochs": 5, "fast_epochs": None, "best_epochs": None},
}


def load_average() -> str:
    try:
        return " ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=tuple(SIZES),
                        default=os.environ.get("LSTM_COURSE_PROFILE", "").strip().lower() or "standard")
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--recipes", default="seed,faster,best",
                        help="comma-separated subset of seed,faster,best (default: all three)")
    parser.add_argument("--skip-seed", type=float, metavar="CPU_SECONDS",
                        help="do not train the seed recipe; compare with this CPU time measured before")
    args = parser.parse_args()
    wanted = {name.strip() for name in args.recipes.split(",")}
    os.environ["LSTM_COURSE_PROFILE"] = args.profile
    sys.path.insert(0, str(ROOT))

    import lstm_course as lc  # first: it keeps TensorFlow's start-up log quiet
    from lstm_course import recipes

    sizes = SIZES[args.profile]
    print(f"profile {args.profile}; {os.cpu_count()} CPU cores; {platform.processor() or platform.machine()}; "
          f"Python {platform.python_version()}; load average at start {load_average()}")
    (x_train, y_train), (x_test, y_test) = lc.load_imdb(num_words=10_000)
    x_train, y_train = x_train[:sizes["n_train"]], y_train[:sizes["n_train"]]
    x_test, y_test = x_test[:sizes["n_test"]], y_test[:sizes["n_test"]]
    n_fit = int(round(0.8 * len(x_train)))
    print(f"training on {n_fit:,} reviews (+{len(x_train) - n_fit:,} for validation), "
          f"testing on {len(x_test):,}", flush=True)

    rows = []  # (name, epochs run, epochs planned, wall s, CPU s, test accuracy)
    if args.skip_seed is not None:
        rows.append(("seed (earlier run)", sizes["seed_epochs"], sizes["seed_epochs"], float("nan"),
                     args.skip_seed, recipes.SEED_TEST_ACCURACY["LSTM"]))
    elif "seed" in wanted:
        lc.set_seed(args.seed)
        run = recipes.fit_seed_recipe(x_train, y_train, "LSTM", epochs=sizes["seed_epochs"])
        acc = recipes.evaluate_accuracy(run.model, x_test, y_test)
        rows.append(("seed", len(run.history["loss"]), sizes["seed_epochs"], run.seconds, run.cpu_seconds, acc))
        print(f"  seed recipe done: {run.seconds:.0f} s, test accuracy {acc:.1%}", flush=True)
    if "faster" in wanted:
        lc.set_seed(args.seed)
        run = recipes.fit_faster_recipe(x_train, y_train, epochs=sizes["fast_epochs"], seed=args.seed)
        acc = recipes.evaluate_accuracy(run.model, x_test, y_test, recipes.FASTER_RECIPE["maxlen"], bucketed=True)
        rows.append(("faster", len(run.history["loss"]), run.notes["settings"]["epochs"], run.seconds,
                     run.cpu_seconds, acc))
        print(f"  faster recipe done ({run.notes['settings']}): {run.seconds:.0f} s, "
              f"test accuracy {acc:.1%}", flush=True)
    if "best" in wanted:
        best_epochs = sizes["best_epochs"] or recipes.BEST_RECIPE["epochs"]
        lc.set_seed(args.seed)
        run = recipes.fit_best_recipe(x_train, y_train, epochs=best_epochs, seed=args.seed)
        acc = recipes.evaluate_accuracy(run.model, x_test, y_test, recipes.BEST_RECIPE["maxlen"], bucketed=True)
        rows.append(("best", len(run.history["loss"]), best_epochs, run.seconds, run.cpu_seconds, acc))
        print(f"  best recipe done: {run.seconds:.0f} s, test accuracy {acc:.1%}", flush=True)

    seed_cpu = next((cpu for name, _, _, _, cpu, _ in rows if name.startswith("seed")), None)
    print()
    print(f"{'recipe':<20}{'epochs run':>11}{'wall time':>12}{'CPU time':>12}{'CPU / seed':>12}{'test accuracy':>15}")
    for name, ran, planned, wall, cpu, acc in rows:
        ratio = f"{cpu / seed_cpu:.0%}" if seed_cpu else "n/a"
        print(f"{name:<20}{f'{ran}/{planned}':>11}{wall:>10.0f} s{cpu:>10.0f} s{ratio:>12}{acc:>15.1%}")
    print()
    note = "" if args.profile == "full" else f" (the {args.profile} profile trains on {n_fit:,} of 20,000 reviews)"
    target = recipes.SEED_TEST_ACCURACY["LSTM"]
    for name, _, _, _, cpu, acc in rows:
        if name == "faster" and seed_cpu:
            ok = acc >= target and cpu <= seed_cpu / 3
            print(f"faster recipe: {acc:.1%} (target {target:.1%}) in {cpu / seed_cpu:.0%} of the seed's CPU "
                  f"time (target at most 33%): {'met' if ok else 'not met'}{note}")
        if name == "best":
            print(f"best recipe: {acc:.1%} (target 88.0%): {'met' if acc >= 0.88 else 'not met'}{note}")
    print(f"load average at the end {load_average()}")

    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"imdb_recipes_{args.profile}.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["recipe", "epochs_run", "wall_seconds", "cpu_seconds", "test_accuracy", "n_train", "n_test"])
        for name, ran, _, wall, cpu, acc in rows:
            writer.writerow([name, ran, round(wall, 1), round(cpu, 1), round(acc, 4), len(x_train), len(x_test)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
