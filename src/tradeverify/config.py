"""Settings: the only place that reads the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from tradeverify.errors import ConfigurationError
from tradeverify.reference.fingerprints import DEMO_REGISTRY_KEY

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


class Settings(BaseSettings):
    """Runtime settings, from ``TRADEVERIFY_*`` variables (and ``MLFLOW_TRACKING_URI``)."""

    model_config = SettingsConfigDict(env_prefix="TRADEVERIFY_", extra="ignore")

    reference_dir: Path = PROJECT_DIR / "data_samples" / "reference"
    model_dir: Path = PROJECT_DIR / "models" / "risk"
    # A registered model instead (models:/tradeverify-risk@champion or models:/NAME/VERSION):
    # fetched once per version from the tracking store into <work_dir>/registry-models/.
    model_uri: str = ""
    # The NER pipeline (parties, addresses, goods) trained by `make ner`; read, never downloaded.
    ner_model_dir: Path = PROJECT_DIR / "models" / "ner"
    # The document-type classifier trained by `make doctype` (JSON weights); absent: rules only.
    doctype_model: Path = PROJECT_DIR / "models" / "doctype" / "model.json"
    # The field scorer trained by `make fields` (JSON weights); absent: the caption rules only.
    field_model: Path = PROJECT_DIR / "models" / "fields" / "model.json"
    work_dir: Path = Path("out")
    mlflow_tracking_uri: str = Field(
        default="",
        validation_alias=AliasChoices("MLFLOW_TRACKING_URI", "TRADEVERIFY_MLFLOW_TRACKING_URI"),
    )
    registered_model_name: str = "tradeverify-risk"
    # Limits against hostile input: a 300-page "invoice" or a decompression bomb.
    max_pages: int = 50
    max_image_pixels: int = 80_000_000
    max_file_bytes: int = 50 * 1024 * 1024
    # Budget of one document, read in an isolated worker process (ingest/sandbox.py): wall clock
    # and CPU time of `document_seconds` plus `document_seconds_per_page` for each page (a
    # 50-page scan gets 320 s; English OCR takes about 1-2 s a page here), memory beyond the
    # worker's own; per page, the characters it shows, the inflated size of one stream and the
    # Form XObject draws it expands to (ingest/pdf_budget.py).
    isolate_documents: bool = True
    document_seconds: float = 20.0
    document_seconds_per_page: float = 6.0
    document_memory_mb: int = 1024
    max_chars_per_page: int = 100_000
    max_stream_mb: int = 64
    max_form_draws: int = 10_000
    # Third-party log lines, warnings and tracebacks reach stderr only when set (CLI --verbose).
    verbose: bool = False
    # REST API limits: whole request body, documents per request, requests a minute per API key,
    # verifications running at once (past it: 503 with Retry-After instead of a queue).
    max_request_bytes: int = 120 * 1024 * 1024
    max_files_per_request: int = 20
    rate_per_minute: int = 120
    max_inflight: int = 4
    ocr_dpi: int = 200
    ocr_lang: str = "eng"
    # OCR engine: "auto" reads with Tesseract and a page that reads badly again with RapidOCR
    # (ingest/rapid.py, bundled ONNX models); "tesseract" or "rapidocr" use that engine alone.
    ocr_engine: Literal["auto", "tesseract", "rapidocr"] = "auto"
    workers: int = 2
    # Documents of one submission read at once (OCR runs in Tesseract subprocesses, so threads
    # overlap for real). Batch workers use 1: the process pool already fills the cores.
    document_threads: int = 2
    # Document reader processes kept ready between documents; 0 means max(2, document_threads).
    # The API keeps max_inflight x document_threads: a reader started per document costs ~2 s.
    idle_readers: int = 0
    # Document readers run this much nicer than the process that started them, so a service's
    # event loop (health checks, refusals, uploads) gets a core when it needs one while readers
    # keep both busy (benchmarks/service.py: /healthz p99 at 16 clients).
    reader_niceness: int = Field(default=5, ge=0, le=19)
    # Fields read below this confidence are listed in the report for an officer to check.
    review_confidence: float = 0.6
    band_medium: float = 0.3
    band_high: float = 0.7
    # Key of the banks' shared duplicate-financing registry (HMAC). The demo key is public:
    # a deployment sets its consortium's key; the registry must be fingerprinted with the same.
    registry_key: str = DEMO_REGISTRY_KEY
    # "demo" runs on the embedded samples with the public key; "production" refuses that key,
    # since fingerprints made with a published key can be matched by anyone.
    deployment: Literal["demo", "production"] = "demo"
    # Every verified submission records its fingerprints here, so a later one reusing its B/L or
    # invoice is caught (default: <work_dir>/registry.sqlite). Off for read-only replays.
    registry_path: Path | None = None
    # Or a database URL for the registry (e.g. the service database on PostgreSQL, so that API
    # workers on several machines share one registry); registry_path is then unused.
    registry_url: str = ""
    # The service's database (API keys, audit trail, stored submissions, jobs): any SQLAlchemy
    # URL (e.g. postgresql+psycopg://user@host/db); else the SQLite file service_db, by default
    # <work_dir>/service.sqlite.
    database_url: str = ""
    service_db: Path | None = None
    # Job queue of asynchronous verifications (huey): "" is a SQLite file beside the database
    # (<work_dir>/queue.sqlite, no server); redis://host:port/db or postgresql://... for workers
    # on several machines. Jobs themselves live in the database: the queue only delivers them.
    queue_url: str = ""
    # A worker holds a job for job_lease_seconds and renews it while it runs; a job whose worker
    # died is taken again once its lease ran out, at most job_max_attempts times in all.
    job_lease_seconds: float = 60.0
    job_max_attempts: int = 3
    # A job still queued after this long may have lost its message; it is sent again (a
    # duplicate message is harmless: only one worker can claim the job).
    job_redeliver_seconds: float = 600.0
    # An Idempotency-Key whose first request never finished (its process was killed) may be
    # used again after this long; before, a retry gets 409 "still running".
    idempotency_pending_seconds: float = 900.0
    # Completion webhooks are signed (HMAC-SHA256) with a secret per bank derived from this one
    # (`tradeverify keys webhook-secret --bank ID`); none are sent without it.
    webhook_secret: str = ""
    # Callback URLs on loopback or private networks are refused (server-side request forgery:
    # a client would make the server call its internal services); a test or a closed network
    # that receives webhooks internally sets this.
    webhook_allow_private: bool = False
    record_submissions: bool = True
    # The review desk (/desk): a signed-in session lasts desk_session_minutes; with four eyes,
    # an officer's decision stands only once a second officer of the bank confirms it. Cookies
    # are marked Secure unless the desk is served over plain http on a trusted network (tests).
    desk_session_minutes: int = Field(default=480, ge=5)
    desk_four_eyes: bool = False
    desk_secure_cookies: bool = True
    # On-board date vs port call: an honest B/L may be dated a day off the AIS departure.
    port_call_tolerance_hours: float = 36.0

    def check_deployment(self) -> None:
        """Refuse settings that are only safe for a demo.

        Raises:
            ConfigurationError: a production deployment still uses the public demo registry key.

        """
        if self.deployment == "production" and self.registry_key == DEMO_REGISTRY_KEY:
            raise ConfigurationError(
                "TRADEVERIFY_REGISTRY_KEY is the public demo key; a production deployment must set "
                "its consortium's own key")

    def service_database(self) -> Path:
        """Return the path of the service's own database (API keys): <work_dir>/service.sqlite."""
        return self.service_db or self.work_dir / "service.sqlite"

    def service_url(self) -> str:
        """Return the service database URL: database_url, else the SQLite file service_database()."""
        if self.database_url:
            return self.database_url
        path = self.service_database()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"

    def queue_location(self) -> str:
        """Return the job queue: queue_url, else the SQLite file <work_dir>/queue.sqlite."""
        return self.queue_url or str(self.work_dir / "queue.sqlite")

    def registry_location(self) -> Path | str:
        """Return where submissions record their fingerprints: registry_url, else the SQLite file."""
        return self.registry_url or self.submissions_registry()

    def submissions_registry(self) -> Path:
        """Return the path of the SQLite submissions registry (when no registry_url is set)."""
        return self.registry_path or self.work_dir / "registry.sqlite"

    def tracking_uri(self) -> str:
        """Return the MLflow tracking URI: the environment's, else an embedded SQLite store."""
        if self.mlflow_tracking_uri:
            return self.mlflow_tracking_uri
        return f"sqlite:///{(self.work_dir / 'mlflow.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once)."""
    return Settings()
