"""Time the source documents' IMDB LSTM recipe against the course's faster recipe, side by side.

    python benchmarks/imdb_recipes.py                      # profile from LSTM_COURSE_PROFILE (default standard)
    python benchmarks/imdb_recipes.py --profile quick      # about a minute: checks that it runs
    python benchmarks/imdb_recipes.py --profile full       # the source documents' sizes: an hour or more on a CPU

Both recipes (``lstm_course/recipes.py``, the same code as the chapter "Sentiment analysis on
IMDB") train the same LSTM(128) classifier on the same reviews, one after the other, on this
machine. The script prints the wall time of each ``fit`` and each model's test accuracy, the
fraction of the seed recipe's time the faster recipe needed, and whether it reached the 86.2%
test accuracy the source documents logged (only the ``full`` profile trains on enough reviews to
expect that). Results are also written to ``benchmarks/results/imdb_recipes_<profile>.csv``.

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

# The chapter's sizes: training reviews (20% of them validate), test reviews, epochs of each recipe.
SIZES = {
    "quick": {"n_train": 1_000, "n_test": 1_000, "seed_epochs": 3, "fast_epochs": 2},
    "standard": {"n_train": 5_000, "n_test": 5_000, "seed_epochs": 5, "fast_epochs": 3},
    "full": {"n_train": 25_000, "n_test": 25_000, "seed_epochs": 5, "fast_epochs": 3},
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
    args = parser.parse_args()
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

    lc.set_seed(args.seed)
    seed = recipes.fit_seed_recipe(x_train, y_train, "LSTM", epochs=sizes["seed_epochs"])
    seed_acc = recipes.evaluate_accuracy(seed.model, x_test, y_test)
    print(f"  seed recipe done: {seed.seconds:.0f} s, test accuracy {seed_acc:.1%}", flush=True)
    lc.set_seed(args.seed)
    fast = recipes.fit_faster_recipe(x_train, y_train, epochs=sizes["fast_epochs"], seed=args.seed)
    fast_acc = recipes.evaluate_accuracy(fast.model, x_test, y_test)
    print(f"  faster recipe done: {fast.seconds:.0f} s, test accuracy {fast_acc:.1%}", flush=True)

    rows = [
        ("seed recipe", len(seed.history["loss"]), sizes["seed_epochs"], seed, seed_acc),
        ("faster recipe", len(fast.history["loss"]), sizes["fast_epochs"], fast, fast_acc),
    ]
    print()
    print(f"{'recipe':<15}{'epochs run':>11}{'wall time':>12}{'CPU time':>12}{'test accuracy':>15}")
    for name, ran, planned, run, acc in rows:
        print(f"{name:<15}{f'{ran}/{planned}':>11}{run.seconds:>10.0f} s{run.cpu_seconds:>10.0f} s{acc:>15.1%}")
    target = recipes.SEED_TEST_ACCURACY["LSTM"]
    fraction = fast.seconds / seed.seconds
    print()
    print(f"faster recipe: {fraction:.0%} of the seed recipe's wall time ({1 / fraction:.1f}x faster), "
          f"{fast.cpu_seconds / seed.cpu_seconds:.0%} of its CPU time; "
          f"test accuracy {100 * (fast_acc - seed_acc):+.1f} points against the seed recipe in this run")
    reached = fast_acc >= target
    note = "" if args.profile == "full" else f" (the {args.profile} profile trains on {n_fit:,} of 20,000 reviews)"
    print(f"reached the source documents' {target:.1%}: {'yes' if reached else 'no'}, "
          f"{fast_acc:.1%} in {fraction:.0%} of the seed recipe's time{note}")
    print(f"load average at the end {load_average()}")

    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"imdb_recipes_{args.profile}.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["recipe", "epochs_run", "wall_seconds", "cpu_seconds", "test_accuracy", "n_train", "n_test"])
        for name, ran, _, run, acc in rows:
            writer.writerow([name, ran, round(run.seconds, 1), round(run.cpu_seconds, 1), round(acc, 4),
                             len(x_train), len(x_test)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
