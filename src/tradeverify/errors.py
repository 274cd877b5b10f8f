"""Typed errors. Entry points translate them to exit codes / HTTP status in one place each."""

from __future__ import annotations


class TradeVerifyError(Exception):
    """Base of every error tradeverify raises on purpose.

    ``code`` is a stable machine-readable identifier that reports and API clients rely on.
    """

    code = "error"

    def __init__(self, message: str, *, file: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file

    def to_dict(self) -> dict[str, str | None]:
        """Return the error as the report's ``errors`` entry."""
        return {"code": self.code, "message": self.message, "file": self.file}


class InputError(TradeVerifyError):
    """The caller pointed at something that is not a usable input (missing path, bad args)."""

    code = "input_error"


class DocumentReadError(TradeVerifyError):
    """A document could not be read at all."""

    code = "document_unreadable"


class CorruptDocumentError(DocumentReadError):
    """The file is damaged or not what its extension says."""

    code = "document_corrupt"


class EmptyDocumentError(DocumentReadError):
    """The file has no bytes or no pages."""

    code = "document_empty"


class EncryptedDocumentError(DocumentReadError):
    """The PDF is password-protected."""

    code = "document_encrypted"


class UnsupportedFileTypeError(DocumentReadError):
    """The file type is not one tradeverify reads."""

    code = "unsupported_file_type"


class DocumentTooLargeError(DocumentReadError):
    """Page count or pixel count is above the configured limit."""

    code = "document_too_large"


class NotARegularFileError(DocumentReadError):
    """The path is a directory, FIFO, device or socket: nothing a document can be read from."""

    code = "not_a_regular_file"


class DocumentTooComplexError(DocumentReadError):
    """Reading the document needs more memory, characters or nesting than its budget allows."""

    code = "document_too_complex"


class DocumentTimeoutError(DocumentReadError):
    """Reading the document ran past its wall-clock or CPU-time budget."""

    code = "document_timeout"


class ReaderCrashedError(DocumentReadError):
    """The isolated process reading the document died (a signal, or an abort in a C library)."""

    code = "document_reader_crashed"


class OcrError(DocumentReadError):
    """Tesseract failed on a page."""

    code = "ocr_failed"


class ExtractionError(TradeVerifyError):
    """The document was read but its type or fields could not be determined."""

    code = "extraction_failed"


class MissingDocumentError(TradeVerifyError):
    """A document the trade model needs is absent from the submission."""

    code = "document_missing"


class WorkerCrashedError(TradeVerifyError):
    """A batch worker died while verifying a submission, twice: the submission fails alone."""

    code = "worker_crashed"


class AuthenticationError(TradeVerifyError):
    """The request carries no API key, or one that is wrong or revoked."""

    code = "unauthenticated"


class PermissionDeniedError(TradeVerifyError):
    """The caller's role does not allow this, or the request speaks for another bank."""

    code = "forbidden"


class NotFoundError(TradeVerifyError):
    """No such object for this caller (another bank's objects are not found either)."""

    code = "not_found"


class IdempotencyConflictError(TradeVerifyError):
    """An Idempotency-Key came back with another request, or while its first is still running."""

    code = "idempotency_conflict"


class JobStateError(TradeVerifyError):
    """The job is not in a state that allows this (e.g. cancelling a job that already runs)."""

    code = "job_state_conflict"


class DatabaseError(TradeVerifyError):
    """The service database or its job queue cannot be opened or migrated."""

    code = "database_unavailable"


class RetryLaterError(TradeVerifyError):
    """Refused for now; ``retry_after`` seconds is when trying again makes sense."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyRequestsError(RetryLaterError):
    """The API key has used up its rate limit."""

    code = "rate_limited"


class ServiceBusyError(RetryLaterError):
    """As many verifications as the service runs at once are running."""

    code = "service_busy"


class AuditChainBrokenError(TradeVerifyError):
    """The audit trail does not verify: an entry was changed, removed or reordered."""

    code = "audit_chain_broken"


class ReferenceDataError(TradeVerifyError):
    """Reference data is missing or malformed."""

    code = "reference_data_invalid"


class ConfigurationError(TradeVerifyError):
    """The settings are unsafe or inconsistent for this deployment (e.g. a public demo key)."""

    code = "configuration_invalid"


class ModelError(TradeVerifyError):
    """The risk model could not be loaded or applied."""

    code = "model_unavailable"


class NothingToScoreError(TradeVerifyError):
    """No document of the submission could be used, so no score can be given."""

    code = "nothing_to_score"
