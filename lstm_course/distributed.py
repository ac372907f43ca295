"""Two replicas of a model on one CPU: synchronous data parallelism that a two-core machine can run.

TensorFlow splits a physical CPU into logical devices only before it runs its first operation,
and a notebook has usually run one by then. :func:`run_two_replicas` therefore trains in a
fresh Python process, which splits the CPU into ``/cpu:0`` and ``/cpu:1`` first and then runs
:func:`_child` with a ``tf.distribute.MirroredStrategy`` over both:

1. one training step by hand, :func:`replica_step` on each replica: the loss and the gradients of
   its slice of the first global batch, then the gradients summed over the replicas (all-reduce);
2. which examples each replica gets from ``distribute_datasets_from_function``;
3. ``fit`` on the whole data set, unchanged, and the two copies of every weight afterwards.

The model is the IMDB classifier of ``recipes.build_seed_classifier("LSTM")``, built from ``seed``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

# What the child process runs: split the CPU before TensorFlow runs anything, then do the work.
_CHILD = """
import sys
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
from lstm_course.distributed import _child
_child(sys.argv[1])
"""


def replica_step(model, loss_fn, inputs):
    """What each replica runs in one synchronous step (inside ``strategy.run``).

    Returns the slice size, the replica's loss, its local gradients and the gradients summed over
    all replicas. Keras's losses divide a replica's mean by the number of replicas, so the sum is
    the gradient of the mean loss over the whole global batch.
    """
    import tensorflow as tf

    x, y = inputs
    with tf.GradientTape() as tape:
        loss = loss_fn(y[:, None], model(x, training=True))  # the slice's mean, divided by R already
    local = [tf.convert_to_tensor(g) for g in tape.gradient(loss, model.trainable_variables)]
    summed = tf.distribute.get_replica_context().all_reduce(tf.distribute.ReduceOp.SUM, local)
    return tf.shape(x)[0], loss, local, summed


def run_two_replicas(x, y, *, batch: int, epochs: int, seed: int, folder: str | None = None) -> dict:
    """Train the IMDB classifier with two replicas in a fresh process; return its report.

    ``x`` holds padded token ids (n, maxlen), ``y`` the labels; ``batch`` is the *global* batch,
    even, and must divide ``len(x)`` (only full batches, so that every step splits evenly). The
    report holds ``replicas``, ``devices``, ``slice_sizes``, ``replica_losses``, the largest
    differences between the replicas' local gradients and between their summed gradients,
    ``summed_gradients`` (arrays, in the order of ``model.trainable_variables``), ``pipelines``,
    ``per_replica_batch``, ``first_ids`` (first and last example of each replica's first batch),
    ``history``, ``fit_cpu_seconds``, ``copies_differ_by`` and the trained ``weights``.
    """
    x, y = np.asarray(x), np.asarray(y, dtype="float32")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} examples but y has {len(y)} labels")
    if batch < 2 or batch % 2 or len(x) % batch:
        raise ValueError(
            f"the global batch must be even and divide the number of examples ({len(x)}), got {batch}: "
            "drop the remainder first, e.g. x[: len(x) // batch * batch]"
        )
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, not {epochs}")
    folder = folder or tempfile.mkdtemp(prefix="two_replicas_")
    np.savez(os.path.join(folder, "data.npz"), x=x, y=y, batch=batch, epochs=epochs, seed=seed)
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(
        os.environ,
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    )
    child = subprocess.run([sys.executable, "-c", _CHILD, folder], capture_output=True, text=True, env=env, check=False)
    if child.returncode != 0:
        raise RuntimeError(f"the two-replica process failed:\n{child.stderr[-3000:]}")
    with open(os.path.join(folder, "report.json")) as f:
        report = json.load(f)
    for name in ("summed_gradients", "weights"):
        with np.load(os.path.join(folder, f"{name}.npz")) as saved:
            report[name] = [saved[f"arr_{i}"] for i in range(len(saved.files))]
    return report


def _child(folder: str) -> None:
    """Runs in the process that :func:`run_two_replicas` starts, after the CPU was split."""
    import keras
    import tensorflow as tf

    from . import recipes

    with np.load(os.path.join(folder, "data.npz")) as data:
        x, y = data["x"], data["y"]
        batch, epochs, seed = int(data["batch"]), int(data["epochs"]), int(data["seed"])
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    keras.utils.set_random_seed(seed)
    with strategy.scope():
        model = recipes.build_seed_classifier("LSTM")
    report = {"replicas": strategy.num_replicas_in_sync, "devices": list(strategy.extended.worker_devices)}
    each = strategy.experimental_local_results

    # 1. One step by hand: local gradients, then the all-reduce.
    first = tf.data.Dataset.from_tensor_slices((x[:batch], y[:batch])).batch(batch)
    inputs = next(iter(strategy.experimental_distribute_dataset(first)))
    loss_fn = keras.losses.BinaryCrossentropy()
    step = tf.function(lambda inputs: replica_step(model, loss_fn, inputs))
    sizes, losses, local, summed = strategy.run(step, args=(inputs,))
    report["slice_sizes"] = [int(s) for s in each(sizes)]
    report["replica_losses"] = [float(v) for v in each(losses)]
    report["local_gradients_differ_by"] = max(float(np.abs(a - b).max()) for a, b in (each(g) for g in local))
    report["summed_gradients_differ_by"] = max(float(np.abs(a - b).max()) for a, b in (each(g) for g in summed))
    np.savez(os.path.join(folder, "summed_gradients.npz"), *[each(g)[0].numpy() for g in summed])

    # 2. Which examples each replica gets from a pipeline of per-replica batches.
    def pipeline(context):
        report["pipelines"] = context.num_input_pipelines
        report["per_replica_batch"] = context.get_per_replica_batch_size(batch)
        return tf.data.Dataset.range(len(x)).batch(report["per_replica_batch"])

    ids = next(iter(strategy.distribute_datasets_from_function(pipeline)))
    report["first_ids"] = [[int(v) for v in t.numpy()[[0, -1]]] for t in each(ids)]

    # 3. fit, unchanged.
    start = time.process_time()
    data = tf.data.Dataset.from_tensor_slices((x, y)).batch(batch)
    history = model.fit(data, epochs=epochs, shuffle=False, verbose=0)
    report["fit_cpu_seconds"] = time.process_time() - start
    report["history"] = history.history
    report["copies_differ_by"] = max(
        float(np.abs(w.value.values[0].numpy() - w.value.values[1].numpy()).max()) for w in model.trainable_weights
    )
    np.savez(os.path.join(folder, "weights.npz"), *model.get_weights())
    with open(os.path.join(folder, "report.json"), "w") as f:
        json.dump(report, f)
