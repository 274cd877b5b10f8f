"""The ``tradeverify`` command line. Thin: every command calls library functions.

Exit codes (documented in README): 0 ok; 1 unexpected error; 2 bad input or arguments;
3 nothing could be scored; 4 reference data error; 5 model error; 6 unsafe configuration;
7 the audit trail does not verify.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, Any

import typer

from tradeverify.cli_reference import reference_app
from tradeverify.cli_service import (
    audit_app,
    db_app,
    feedback_app,
    get_settings,
    keys_app,
    officers_app,
    worker,
)
from tradeverify.errors import (
    AuditChainBrokenError,
    ConfigurationError,
    DatabaseError,
    InputError,
    ModelError,
    ReferenceDataError,
    TradeVerifyError,
)
from tradeverify.progress import progress_bar

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
app.add_typer(reference_app, name="reference")
app.add_typer(keys_app, name="keys")
app.add_typer(officers_app, name="officers")
app.add_typer(feedback_app, name="feedback")
app.add_typer(audit_app, name="audit")
app.add_typer(db_app, name="db")
app.command("worker")(worker)
EXIT_CODES: dict[type[TradeVerifyError], int] = {
    InputError: 2, ReferenceDataError: 4, ModelError: 5, ConfigurationError: 6,
    AuditChainBrokenError: 7, DatabaseError: 8}
EXIT_NOTHING_SCORED = 3
TRAINING_COMMANDS = ("synth", "train", "evaluate", "evaluate-extraction", "model", "features")
TRAINING_INSTALL = "pip install -e ./training  (or the train extra: pip install 'tradeverify[train]')"


def _missing_training(name: str) -> Callable[..., None]:
    """Return a stand-in for a training command when the training package is not installed."""
    def command(args: Annotated[list[str] | None, typer.Argument(hidden=True)] = None) -> None:
        raise ConfigurationError(f"`tradeverify {name}` is a training command and the training "
                                 f"package (tradeverify-train) is not installed: {TRAINING_INSTALL}")
    command.__doc__ = f"[needs tradeverify-train] {name}: {TRAINING_INSTALL}"
    return command


def _add_training_commands(cli: typer.Typer) -> None:
    """Add synth/train/evaluate/model from the training package, or say how to install it.

    The training distribution offers its commands through the ``tradeverify.commands`` entry
    point, so serving never imports training code (an import-linter contract checks it) and a
    bank's deployment carries no generator, Optuna or plotting.
    """
    plugins = entry_points(group="tradeverify.commands")
    for plugin in plugins:
        plugin.load()(cli)
    if not plugins:
        for name in TRAINING_COMMANDS:
            cli.command(name, context_settings={"allow_extra_args": True,
                                                "ignore_unknown_options": True})(
                _missing_training(name))


@app.callback()
def options(
    verbose: Annotated[bool, typer.Option("--verbose", help="show third-party log lines, warnings "
                                          "and the document readers' stderr")] = False,
) -> None:
    """Verify offshore trade deals: extract, match, score (see README)."""
    if verbose:
        get_settings().verbose = True


ReferenceOpt = Annotated[Path | None, typer.Option("--reference", help="reference data folder")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]


@app.command()
def verify(
    submission: Path, json_out: JsonOpt = False, reference: ReferenceOpt = None,
    html: Annotated[Path | None, typer.Option("--html", help="also write the printable report (one "
                                              "self-contained HTML file with the page images)")] = None,
) -> None:
    """Verify one submission folder and print its risk report."""
    from tradeverify.extract.sandbox import start_readers

    settings = get_settings()
    start_readers(settings)  # the readers' start-up (~1.5 s) overlaps the pipeline's imports
    from tradeverify.pipeline import Engine, verify_submission
    from tradeverify.report.text import render_text

    report = verify_submission(submission, Engine.load(settings, reference))
    typer.echo(report.model_dump_json(indent=2) if json_out else render_text(report))
    if html is not None:
        _write_html(report, submission, html, settings)
    if report.status == "failed":
        raise typer.Exit(EXIT_NOTHING_SCORED)


def _write_html(report: Any, folder: Path, out: Path, settings: Any) -> None:
    """Write the printable report, its page images rendered from the submission's own files."""
    import tempfile

    from tradeverify.report.html import embedded_pages, render_html

    def source_of(name: str) -> Path | None:
        return folder / name if (folder / name).is_file() else None

    with tempfile.TemporaryDirectory(dir=settings.work_dir if settings.work_dir.is_dir() else None) as tmp:
        pages = embedded_pages(report, source_of, Path(tmp))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(report, pages, review=settings.review_confidence), encoding="utf-8")
    typer.echo(f"printable report written to {out}", err=True)


@app.command()
def extract(file: Path, json_out: JsonOpt = False) -> None:
    """Extract one document's type and canonical fields."""
    from tradeverify.extract.sandbox import document_reader

    if not file.exists():
        raise InputError(f"file not found: {file}")
    doc = document_reader(get_settings()).extract(file)
    out = {"doc_type": doc.doc_type, "fields": {k: v.model_dump(mode="json") for k, v in doc.fields.items()},
           "errors": [e.model_dump() for e in doc.errors]}
    if json_out:
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        typer.echo(f"{file.name}: {doc.doc_type}{' (OCR)' if doc.ocr else ''}")
        for name, f in doc.fields.items():
            typer.echo(f"  {name:24} {f.value!s:40} conf={f.confidence:.2f}")
        for e in doc.errors:
            typer.echo(f"  error {e.code}: {e.message}")
    if doc.errors and not doc.fields:
        raise typer.Exit(EXIT_NOTHING_SCORED)


@app.command()
def batch(
    input_dir: Annotated[Path, typer.Argument(metavar="INPUT")],
    out: Annotated[Path, typer.Option("--out", help="rows file: .csv or .jsonl")],
    reference: ReferenceOpt = None,
    reports_dir: Annotated[Path | None, typer.Option(help="write one RiskReport JSON each")] = None,
    resume: Annotated[bool, typer.Option(help="skip submissions already in --out")] = False,
    engine: Annotated[str, typer.Option(help="local (worker processes) or spark")] = "local",
    master: Annotated[str, typer.Option(help="Spark master: local[N] or spark://host:port")] = "local[*]",
) -> None:
    """Verify every submission folder under INPUT; one row per submission."""
    from tradeverify.batch import batch_to_file, done_ids, submission_folders
    from tradeverify.pipeline import submission_id
    from tradeverify.report.text import summary_table

    if engine not in ("local", "spark"):
        raise typer.BadParameter("expected local or spark", param_hint="--engine")
    settings = get_settings()
    skip = done_ids(out) if resume else set()
    everything = submission_folders(input_dir)
    folders = [f for f in everything if not skip or submission_id(f) not in skip]
    if not folders:
        typer.echo(f"nothing to do: all {len(everything)} submissions are already in {out}")
        return
    runner = None
    if engine == "spark":
        from tradeverify.spark_batch import spark_runner

        runner = spark_runner(master)
    rows = batch_to_file(folders, settings, out, reference=reference, reports_dir=reports_dir,
                         append=resume, progress=progress_bar("verify"), runner=runner)
    typer.echo(summary_table(rows))
    typer.echo(f"rows: {out}" + (f"  reports: {reports_dir}/" if reports_dir else ""))


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """Start the REST API (FastAPI; OpenAPI at /docs; JSON log lines on stderr).

    One process: verification scales out through ``tradeverify worker --processes N``.
    """
    import uvicorn

    from tradeverify.service.app import create_app
    from tradeverify.service.observe import configure_logging

    configure_logging()
    uvicorn.run(create_app(), host=host, port=port, access_log=False)  # our own line per request


_add_training_commands(app)  # after serving's own, so --help lists those first


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI, translating typed errors to exit codes in this one place."""
    try:
        code = app(args=argv, standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except TradeVerifyError as exc:
        typer.echo(f"error [{exc.code}]: {exc.message}", err=True)
        code = next((c for t, c in EXIT_CODES.items() if isinstance(exc, t)), 1)
        sys.exit(code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("aborted", err=True)
        sys.exit(130)
    except Exception as exc:  # usage errors and the unexpected: no traceback for users
        # Typer vendors click, so usage errors are recognized by behaviour, not by class.
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(2)
        typer.echo(f"unexpected error: {exc!r}", err=True)
        sys.exit(1)
