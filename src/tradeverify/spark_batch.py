"""Batch verification on Apache Spark: the same pipeline, one engine per executor process.

``tradeverify batch INPUT --engine spark --master local[2]|spark://host:7077`` gives each
partition of submission paths to ``mapInPandas``. An executor's Python worker loads its
:class:`tradeverify.batch.BatchVerifier` (reference store, model, reader sandbox) once and
keeps it for every partition it runs. The reference folder and the model are shipped once per
executor with ``SparkContext.addFile``; submission folders must be readable at the same path
on every executor (a shared file system).

The driver sends the submissions in rounds of ``ROUND_TASKS`` tasks per core and writes each
round's rows through the same :class:`tradeverify.batch.RowWriter` as the local engine: a stop
loses at most the round in flight, and ``--resume`` skips the ids already written. Duplicate-
financing registry rows come back with each report and are written by the driver, as in the
local engine. Reports travel as JSON strings, never pickles.

:func:`spark_map` runs any module-level function of one path the same way (rounds, results
back as JSON, in the paths' order); ``tradeverify features build --engine spark`` extracts a
world's or a batch input's submissions with it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import warnings
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from tradeverify.batch import BatchVerifier, Runner
from tradeverify.config import Settings
from tradeverify.errors import ConfigurationError

ROUND_TASKS = 4  # tasks per core in one round: enough to even out slow submissions
PER_TASK = 4  # submissions per task
SCHEMA = "i long, report string, registry string"
MAP_SCHEMA = "i long, out string"


def _session(master: str, verbose: bool) -> Any:
    """Return a Spark session on ``master``; a clear error when Spark or Java is missing."""
    if not verbose:  # pyspark 4.3 warns that it does not test pandas 3; the columns used here are plain
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ConfigurationError("--engine spark needs pyspark: pip install -e '.[spark]' (make setup does)"
                                 ) from exc
    if shutil.which("java") is None:
        raise ConfigurationError("--engine spark needs Java 17 or newer (make setup installs "
                                 "default-jre-headless)")
    os.environ["PYSPARK_PYTHON"] = sys.executable  # executors run this interpreter, with our packages
    builder = SparkSession.builder.master(master).appName("tradeverify-batch")
    for key, value in {"spark.ui.enabled": "false", "spark.python.worker.reuse": "true",
                       "spark.sql.execution.arrow.pyspark.enabled": "true"}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if not verbose:
        spark.sparkContext.setLogLevel("ERROR")
    return spark


@lru_cache(maxsize=1)
def _executor_verifier(settings_json: str, reference: str | None, model: str | None) -> BatchVerifier:
    """Load the executor's verifier once (cached for the Python worker's lifetime)."""
    from pyspark import SparkFiles

    settings = Settings.model_validate_json(settings_json)
    ref = Path(SparkFiles.get(reference)) if reference else None
    mod = Path(SparkFiles.get(model)) if model else None
    return BatchVerifier(settings, ref, mod)


def _partition_fn(settings_json: str, reference: str | None, model: str | None) -> Any:
    """Return the ``mapInPandas`` function: each batch of paths in, their reports out as JSON."""

    def verify_partition(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        verifier = _executor_verifier(settings_json, reference, model)
        for batch in batches:
            done = [verifier.verify(Path(p)) for p in batch["path"]]
            yield pd.DataFrame({"i": batch["i"], "report": [json.dumps(r) for r, _ in done],
                                "registry": [json.dumps(rows) for _, rows in done]})

    return verify_partition


def _ship(spark: Any, folder: Path | None) -> str | None:
    """Ship a folder to every executor once; return the name executors find it under."""
    if folder is None:
        return None
    if not folder.is_dir():
        raise ConfigurationError(f"not a folder: {folder}")
    spark.sparkContext.addFile(str(folder.absolute()), recursive=True)
    return folder.absolute().name


def _rounds(spark: Any, paths: list[str], fn: Any, schema: str) -> Iterator[list[Any]]:
    """Yield each round's result rows, in the paths' order (column ``i`` is the path's index).

    A round is ``ROUND_TASKS`` tasks of ``PER_TASK`` paths per core: small enough that a stop
    loses little and progress moves, large enough to even out slow submissions.
    """
    size = spark.sparkContext.defaultParallelism * ROUND_TASKS * PER_TASK
    for start in range(0, len(paths), size):
        part = [(start + k, p) for k, p in enumerate(paths[start:start + size])]
        frame = spark.createDataFrame(part, "i long, path string").repartition(
            max(1, -(-len(part) // PER_TASK)))
        yield sorted(frame.mapInPandas(fn, schema).collect(), key=lambda row: int(row["i"]))


def spark_runner(master: str) -> Runner:
    """Return a batch runner that verifies on the Spark cluster at ``master``."""

    def run(folders: list[Path], settings: Settings, reference: Path | None,
            ) -> Iterator[tuple[dict[str, Any], list[list[Any]]]]:
        spark = _session(master, settings.verbose)
        per_executor = settings.model_copy(update={"document_threads": 1})  # one task per core
        fn = _partition_fn(per_executor.model_dump_json(), _ship(spark, reference or settings.reference_dir),
                           _ship(spark, settings.model_dir))
        for rows in _rounds(spark, [str(f.absolute()) for f in folders], fn, SCHEMA):
            for row in rows:
                yield json.loads(row["report"]), json.loads(row["registry"])

    return run


def _map_fn(fn: Callable[[Path], dict[str, Any]]) -> Any:
    """Return the ``mapInPandas`` function that applies ``fn`` to each path, results as JSON."""

    def map_partition(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        for batch in batches:
            yield pd.DataFrame({"i": batch["i"], "out": [json.dumps(fn(Path(p))) for p in batch["path"]]})

    return map_partition


def spark_map(
    master: str, paths: list[Path], fn: Callable[[Path], dict[str, Any]], settings: Settings,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Return ``fn(path)`` for every path, computed on the Spark cluster at ``master``, in order.

    ``fn`` must be a module-level function of an installed package (executors import it by
    name) and return JSON-able data; paths must be readable at the same place on every executor.
    """
    spark = _session(master, settings.verbose)
    out: list[dict[str, Any]] = []
    for rows in _rounds(spark, [str(p.absolute()) for p in paths], _map_fn(fn), MAP_SCHEMA):
        out.extend(json.loads(row["out"]) for row in rows)
        if progress:
            progress(len(out), len(paths))
    return out
