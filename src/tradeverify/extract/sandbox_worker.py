"""The isolated document reader, run as ``python -m tradeverify.extract.sandbox_worker``.

One process reads one document at a time for :mod:`tradeverify.extract.sandbox`. Protocol: JSON
lines, never pickle (what a hostile document made the reader produce is parsed as data). The
first line on stdin is the settings; each further line ``{"path", "doc_type"}`` is answered by
zero or more ``{"pages": n}`` lines (the page count, which sets the budget) and one
``{"result": DocumentResult}`` or ``{"error": {"code", "message"}}`` line on the protocol pipe.

The worker limits its own address space (its size after start-up plus the memory budget) and
CPU time (per document), and kills its whole process group, Tesseract included, as soon as its
parent is gone, however the parent died.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import sys
import warnings
from pathlib import Path
from typing import IO, Any

from tradeverify.lifecycle import die_with_parent


def _quiet(verbose: bool) -> None:
    """Keep pdfminer/PIL warnings and log lines off the user's stderr unless asked for."""
    if not verbose:
        logging.disable(logging.CRITICAL)
        warnings.simplefilter("ignore")


# Address space the NER model takes when the fallback first loads it (about 90 MB measured; spaCy
# and the pipeline). It loads on first need, after the cap is set, so the cap leaves room for it.
NER_RESERVE_MB = 128


def _limit_memory(budget_mb: int) -> None:
    """Cap the address space at its size now plus the budget (a bomb raises MemoryError)."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = size + (budget_mb + NER_RESERVE_MB) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _limit_cpu(seconds: float) -> None:
    """Allow this many more CPU seconds; past them the kernel sends SIGXCPU, which ends us."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    resource.setrlimit(resource.RLIMIT_CPU, (int(used + seconds) + 1, resource.RLIM_INFINITY))


def _warm(settings: Any) -> None:
    """Import the readers and read the built-in invoice before the memory cap (the cap is the budget).

    The NER model is not loaded here: only a document whose parties or goods carry no known
    label asks for it (:mod:`tradeverify.extract.fallback`), and loading spaCy first made every
    worker, and so every one-shot ``verify``, wait about 1.5 s for a model most documents never use.
    """
    from tradeverify.extract.warmup import warm_up

    warm_up(settings)  # first-use loads (vocabularies, rankers, port lists) happen now, overlapped


def _serve(out: IO[str], settings: Any) -> None:
    """Answer requests until stdin closes."""
    from tradeverify.errors import DocumentTooComplexError
    from tradeverify.extract.document import extract_document

    def send(message: dict[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    def on_pages(count: int) -> None:
        _limit_cpu(settings.document_seconds + settings.document_seconds_per_page * count)
        send({"pages": count})

    send({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        _limit_cpu(settings.document_seconds)
        path = Path(request["path"])
        try:
            doc = extract_document(path, settings, doc_type=request.get("doc_type"), on_pages=on_pages)
        except MemoryError:  # past the budget; a process that ran out of memory takes no more work
            error = DocumentTooComplexError(f"{path.name}: reading it needs more than "
                                            f"{settings.document_memory_mb} MB")
            send({"error": error.to_dict()})
            return
        send({"result": doc.dump_with_profile()})


def main() -> None:
    """Read the settings line, set the limits, then serve documents."""
    # The protocol gets a private copy of stdout; whatever a library prints goes to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    die_with_parent(whole_group=True)
    from tradeverify.config import Settings

    settings = Settings.model_validate_json(sys.stdin.readline())
    os.nice(settings.reader_niceness)  # before any work: Tesseract, started from here, inherits it
    _quiet(settings.verbose)
    _warm(settings)
    _limit_memory(settings.document_memory_mb)
    _serve(out, settings)


if __name__ == "__main__":
    main()
