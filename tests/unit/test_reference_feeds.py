import csv
import re
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tradeverify.cli_reference import reference_app
from tradeverify.errors import InputError, ReferenceDataError
from tradeverify.reference.feeds import NOTES, ROW_CHECKS, describe_tables, load_feed, render_doc
from tradeverify.reference.fingerprints import keyed_hash
from tradeverify.reference.loaders import read_table
from tradeverify.reference.schemas import TABLES
from tradeverify.reference.store import ReferenceStore

PROJECT = Path(__file__).resolve().parents[2]
DOC = PROJECT / "docs" / "reference-data.md"
FP = [keyed_hash("test-key", "bl", str(i)) for i in range(4)]

# Two valid rows a table (values as text, as in a CSV feed).
VALID: dict[str, list[dict[str, str]]] = {
    "ports": [
        {"locode": "SGSIN", "name": "Singapore", "country": "Singapore", "lat": "1.264", "lon": "103.84"},
        {"locode": "NLRTM", "name": "Rotterdam", "country": "Netherlands", "lat": "51.95", "lon": "4.14"},
    ],
    "vessels": [
        {"imo": "9074729", "name": "OCEANIC ANNA", "flag": "Panama", "vessel_type": "container",
         "dwt": "120000", "mmsi": "355000000", "build_year": "2010", "former_names": "ANNA K|SEA ANNA",
         "former_flags": "Liberia|Malta"},
        {"imo": "9176187", "name": "CAPE UNITY", "flag": "Liberia", "vessel_type": "bulk",
         "dwt": "80000.5", "mmsi": "636012345", "build_year": "1999", "former_names": "",
         "former_flags": ""},
    ],
    "port_calls": [
        {"imo": "9074729", "locode": "SGSIN", "arrival": "2025-03-01T10:00", "departure": "2025-03-02T08:00"},
        {"imo": "9074729", "locode": "NLRTM", "arrival": "2025-03-20T10:00",
         "departure": "2025-03-20T10:00:30"},
    ],
    "container_events": [
        {"container_number": "MSCU1234565", "event": "gate_in", "locode": "SGSIN", "imo": "", "voyage": "",
         "time": "2025-02-28T08:00"},
        {"container_number": "MSCU1234565", "event": "loaded", "locode": "SGSIN", "imo": "9074729",
         "voyage": "063S", "time": "2025-03-02T06:30"},
    ],
    "customs_declarations": [
        {"country": "Singapore", "declaration_id": "SG-1", "date": "2025-03-02", "flow": "export",
         "exporter": "Riverstone Trading Ltd.", "importer": "Ningbo Pinnacle Materials Co., Ltd.",
         "hs_code": "740311", "quantity": "102.0", "unit": "MT", "value_usd": "918000", "locode": "SGSIN"},
        {"country": "India", "declaration_id": "IN-2", "date": "2025-03-04", "flow": "export",
         "exporter": "Granite Energy Ltd.", "importer": "Qingdao Horizon Energy Co., Ltd.",
         "hs_code": "0901110000", "quantity": "20", "unit": "MT", "value_usd": "81000", "locode": "INMUN"},
    ],
    "price_benchmarks": [
        {"hs_code": "740311", "month": "2025-03", "unit": "MT", "median_usd": "9000", "p10_usd": "8000",
         "p90_usd": "10125"},
        {"hs_code": "090111", "month": "2025-03", "unit": "MT", "median_usd": "4000", "p10_usd": "3500",
         "p90_usd": "4600"},
    ],
    "companies": [
        {"company_id": "C1", "name": "Ningbo Lumen Commodities Co., Ltd.", "country": "China",
         "incorporated": "2017-11-01", "address": "107 Harbour Road, Ningbo", "directors": "Li Wei|Zhang Min",
         "related_to": "C2"},
        {"company_id": "C2", "name": "Riverstone Trading Ltd.", "country": "United Arab Emirates",
         "incorporated": "2024-12-01", "address": "JAFZA, Dubai", "directors": "", "related_to": ""},
    ],
    "watchlists": [
        {"kind": "entity", "value": "Sable Horizon Trading FZE", "list": "sanctions"},
        {"kind": "jurisdiction", "value": "Iran", "list": "FATF high-risk"},
    ],
    "processing_routes": [
        {"input_hs": "120190", "output_hs": "230400", "yield_min": "0.76", "yield_max": "0.80"},
        {"input_hs": "740311", "output_hs": "740811", "yield_min": "0.97", "yield_max": "0.995"},
    ],
    "commodities": [
        {"hs_code": "270900", "description": "Crude petroleum oil", "unit": "BBL", "vessel_types": "tanker"},
        {"hs_code": "740311", "description": "Copper cathodes", "unit": "MT",
         "vessel_types": "container|bulk"},
    ],
    "document_registry": [
        {"submission_id": "H1", "bank_id": "BANK002", "submitted_at": "2025-01-05",
         "doc_type": "bill_of_lading", "number_fp": FP[0], "voyage_fp": FP[1], "cargo_fp": FP[2],
         "container_fps": f"{FP[2]}|{FP[3]}"},
        {"submission_id": "H1", "bank_id": "BANK002", "submitted_at": "2025-01-05T09:30",
         "doc_type": "commercial_invoice", "number_fp": FP[3], "voyage_fp": "", "cargo_fp": "",
         "container_fps": ""},
    ],
}

# (table, column, bad value, what the error must say): schema rules, then the row checks.
BAD = [
    ("vessels", "dwt", "heavy", "dwt' is not REAL"),
    ("vessels", "build_year", "2010.5", "build_year' is not INTEGER"),
    ("ports", "name", "", "name' is empty"),
    ("ports", "lat", "nan", "lat' is not REAL"),
    ("ports", "lat", "91", "lat=91.0: expected a number from -90 to 90"),
    ("ports", "locode", "sgsin", "locode='sgsin': expected a UN/LOCODE"),
    ("vessels", "imo", "907472", "imo='907472': expected an IMO number"),
    ("port_calls", "arrival", "2025-03-01 10:00", "arrival='2025-03-01 10:00': expected a UTC timestamp"),
    ("port_calls", "arrival", "2025-02-30T10:00", "expected a UTC timestamp"),
    ("port_calls", "departure", "2025-03-01T09:59", "expected departure ≥ arrival"),
    ("container_events", "container_number", "MSC1234565", "expected an ISO 6346 container number"),
    ("container_events", "imo", "IMO9074729", "expected an IMO number"),
    ("customs_declarations", "date", "02/03/2025", "expected an ISO date"),
    ("customs_declarations", "hs_code", "74031", "expected an HS code"),
    ("price_benchmarks", "hs_code", "74031100", "expected an HS subheading: 6 digits"),
    ("price_benchmarks", "month", "2025-13", "expected a month"),
    ("price_benchmarks", "p10_usd", "9500", "expected 0 < p10_usd ≤ median_usd ≤ p90_usd"),
    ("companies", "incorporated", "2017", "expected an ISO date"),
    ("watchlists", "kind", "person", "expected `entity`, `vessel` or `jurisdiction`"),
    ("processing_routes", "yield_max", "0.5", "expected 0 < yield_min ≤ yield_max"),
    ("processing_routes", "output_hs", "2304", "expected an HS subheading: 6 digits"),
    ("document_registry", "number_fp", "OSLB123456789", "expected a keyed fingerprint"),
    ("document_registry", "goods_fp", "7403", "expected a keyed fingerprint"),
    ("document_registry", "container_fps", f"{FP[0]}|MSCU1234565", "expected `|`-joined fingerprints"),
]

_ARROW = {"TEXT": pa.string(), "REAL": pa.float64(), "INTEGER": pa.int64()}
_TYPED = {"TEXT": str, "REAL": float, "INTEGER": int}


def write_csv(path: Path, table: str, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, [c.name for c in TABLES[table]], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_parquet(path: Path, table: str, rows: list[dict[str, str]], typed: bool = True) -> Path:
    """Write rows with the schema's Arrow types (or all strings), empty cells as nulls."""
    columns = [c for c in TABLES[table] if any(c.name in r for r in rows)]
    schema = pa.schema([(c.name, _ARROW[c.sql_type] if typed else pa.string()) for c in columns])
    data = {c.name: [None if r.get(c.name, "") == "" else _TYPED[c.sql_type if typed else "TEXT"](r[c.name])
                     for r in rows] for c in columns}
    pq.write_table(pa.table(data, schema=schema), path)
    return path


def write_feed(path: Path, table: str, rows: list[dict[str, str]]) -> Path:
    return write_csv(path, table, rows) if path.suffix == ".csv" else write_parquet(path, table, rows)


def with_bad(table: str, column: str, value: str) -> list[dict[str, str]]:
    rows = [dict(r) for r in VALID[table]]
    rows[1][column] = value
    return rows


@pytest.fixture()
def ref(tmp_path: Path) -> Path:
    folder = tmp_path / "reference"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("table", list(TABLES))
def test_feed_loads_and_store_sees_rows(table: str, suffix: str, tmp_path: Path, ref: Path) -> None:
    feed = write_feed(tmp_path / f"feed{suffix}", table, VALID[table])
    assert load_feed(table, feed, ref, mode="replace") == 2
    assert ReferenceStore.open(ref).count(table) == 2
    with (ref / f"{table}.csv").open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == [c.name for c in TABLES[table]]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize(("table", "column", "value", "message"), BAD)
def test_malformed_row_is_rejected_with_place_and_nothing_written(
    table: str, column: str, value: str, message: str, suffix: str, tmp_path: Path, ref: Path
) -> None:
    existing = write_csv(ref / f"{table}.csv", table, VALID[table][:1])
    before = existing.read_bytes()
    # Parquet feeds here are all-string, so a bad number reaches the same parse as in a CSV.
    rows = with_bad(table, column, value)
    feed = write_csv(tmp_path / "feed.csv", table, rows) if suffix == ".csv" else write_parquet(
        tmp_path / "feed.parquet", table, rows, typed=False)
    place = "feed.csv:3" if suffix == ".csv" else "feed.parquet:row 2"
    with pytest.raises(ReferenceDataError, match=re.escape(place) + ".*" + re.escape(message)) as exc:
        load_feed(table, feed, ref, mode="append")
    assert exc.value.file == str(feed)
    assert existing.read_bytes() == before
    assert sorted(p.name for p in ref.iterdir()) == [f"{table}.csv"]  # no temp file left behind


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_missing_columns_are_listed(suffix: str, tmp_path: Path, ref: Path) -> None:
    rows = [{k: v for k, v in r.items() if k not in ("arrival", "departure")} for r in VALID["port_calls"]]
    feed = tmp_path / f"calls{suffix}"
    if suffix == ".csv":
        feed.write_text("imo,locode\n9074729,SGSIN\n")
    else:
        write_parquet(feed, "port_calls", rows)
    with pytest.raises(ReferenceDataError, match=r"missing columns \['arrival', 'departure'\]"):
        load_feed("port_calls", feed, ref)
    assert not (ref / "port_calls.csv").exists()


def test_optional_columns_may_be_absent(tmp_path: Path, ref: Path) -> None:
    feed = tmp_path / "vessels.csv"
    feed.write_text("imo,name,flag,vessel_type,dwt,mmsi,build_year,owner\n"
                    "9074729,OCEANIC ANNA,Panama,container,120000,355000000,2010,Someone\n")
    assert load_feed("vessels", feed, ref) == 1
    vessel = ReferenceStore.open(ref).vessel("9074729")
    assert vessel is not None and vessel["former_names"] is None


def test_unknown_table(tmp_path: Path, ref: Path) -> None:
    feed = write_csv(tmp_path / "feed.csv", "ports", VALID["ports"])
    with pytest.raises(ReferenceDataError, match="unknown reference table 'harbours'; known: ports, vessels"):
        load_feed("harbours", feed, ref)


def test_unsupported_suffix(tmp_path: Path, ref: Path) -> None:
    feed = tmp_path / "ports.xlsx"
    feed.write_bytes(b"PK\x03\x04")
    with pytest.raises(ReferenceDataError, match=r"unsupported reference file type '\.xlsx'; supported: "
                                                 r"\.csv, \.parquet"):
        load_feed("ports", feed, ref)
    assert list(ref.iterdir()) == []


def test_missing_feed_or_folder_is_an_input_error(tmp_path: Path, ref: Path) -> None:
    with pytest.raises(InputError, match="feed file not found"):
        load_feed("ports", tmp_path / "nope.csv", ref)
    feed = write_csv(tmp_path / "ports.csv", "ports", VALID["ports"])
    with pytest.raises(InputError, match="reference folder not found"):
        load_feed("ports", feed, tmp_path / "nowhere")


def test_append_deduplicates_and_store_rebuilds(tmp_path: Path, ref: Path) -> None:
    calls = VALID["port_calls"]
    load_feed("port_calls", write_csv(tmp_path / "a.csv", "port_calls", calls), ref)
    assert ReferenceStore.open(ref).count("port_calls") == 2
    third = {**calls[0], "locode": "DEHAM", "arrival": "2025-03-22T10:00", "departure": "2025-03-23T08:00"}
    feed = write_parquet(tmp_path / "b.parquet", "port_calls", [calls[1], third, third])
    assert load_feed("port_calls", feed, ref, mode="append") == 1
    store = ReferenceStore.open(ref)
    assert store.count("port_calls") == 3
    assert [c.locode for c in store.port_calls("9074729")] == ["SGSIN", "NLRTM", "DEHAM"]
    assert load_feed("port_calls", feed, ref, mode="append") == 0
    assert load_feed("port_calls", feed, ref, mode="replace") == 2


def test_empty_feed_does_not_empty_a_table(tmp_path: Path, ref: Path) -> None:
    existing = write_csv(ref / "watchlists.csv", "watchlists", VALID["watchlists"])
    feed = write_csv(tmp_path / "empty.csv", "watchlists", [])
    with pytest.raises(ReferenceDataError, match="no rows"):
        load_feed("watchlists", feed, ref)
    assert load_feed("watchlists", feed, ref, mode="append") == 0
    assert len(list(read_table("watchlists", existing))) == 2


def test_csv_field_count_and_encoding_are_checked(tmp_path: Path, ref: Path) -> None:
    feed = tmp_path / "companies.csv"
    feed.write_text("company_id,name,country,incorporated,address\n"
                    "C1,Acme,China,2017-11-01,Ningbo\n"
                    "C2,Ningbo Lumen Co., Ltd.,China,2017-11-01,Ningbo\n")
    with pytest.raises(ReferenceDataError, match=r"companies.csv:3: 6 fields, the header has 5"):
        load_feed("companies", feed, ref)
    feed.write_bytes("company_id,name,country,incorporated,address\nC1,Société Générale,France,"
                     "1864-05-04,Paris\n".encode("latin-1"))
    with pytest.raises(ReferenceDataError, match="not UTF-8"):
        load_feed("companies", feed, ref)


def test_spreadsheet_bom_is_accepted(tmp_path: Path, ref: Path) -> None:
    feed = tmp_path / "watchlists.csv"
    feed.write_text("kind,value,list\nvessel,9305609,sanctions\n", encoding="utf-8-sig")
    assert load_feed("watchlists", feed, ref) == 1


def test_parquet_native_types_become_documented_text(tmp_path: Path) -> None:
    feed = tmp_path / "events.parquet"
    pq.write_table(pa.table({
        "container_number": ["MSCU1234565"], "event": ["loaded"], "locode": ["SGSIN"],
        "imo": pa.array([9074729], pa.int64()), "voyage": [None],
        "time": pa.array([datetime(2025, 3, 2, 14, 30, tzinfo=UTC)], pa.timestamp("s", tz="Asia/Singapore")),
    }), feed)
    assert list(read_table("container_events", feed)) == [
        ("MSCU1234565", "loaded", "SGSIN", "9074729", None, "2025-03-02T14:30")]
    feed = tmp_path / "vessels.parquet"
    pq.write_table(pa.table({
        "imo": ["9074729"], "name": ["A"], "flag": ["Panama"], "vessel_type": ["bulk"], "dwt": [1.0],
        "mmsi": ["355000000"], "build_year": [2010.0], "former_names": [["B", "C"]],
    }), feed)
    assert list(read_table("vessels", feed))[0][6:8] == (2010, "B|C")


def test_unreadable_parquet(tmp_path: Path, ref: Path) -> None:
    feed = tmp_path / "ports.parquet"
    feed.write_bytes(b"not parquet at all")
    with pytest.raises(ReferenceDataError, match="unreadable Parquet"):
        load_feed("ports", feed, ref)


def test_cli_load_append_and_errors(tmp_path: Path, ref: Path) -> None:
    runner = CliRunner()
    feed = write_parquet(tmp_path / "ais_calls.parquet", "port_calls", VALID["port_calls"])
    result = runner.invoke(reference_app, ["load", "port_calls", str(feed), "--reference", str(ref)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"loaded 2 rows into port_calls ({ref})"
    args = ["load", "port_calls", str(feed), "--reference", str(ref)]
    result = runner.invoke(reference_app, [*args, "--append"])
    assert result.output.strip() == f"loaded 0 rows into port_calls ({ref})"
    bad = write_csv(tmp_path / "bad.csv", "port_calls", with_bad("port_calls", "imo", "1"))
    result = runner.invoke(reference_app, ["load", "port_calls", str(bad), "--reference", str(ref)])
    assert isinstance(result.exception, ReferenceDataError)  # cli.main maps it to exit code 4
    assert "bad.csv:3" in result.exception.message
    assert ReferenceStore.open(ref).count("port_calls") == 2


def test_cli_tables() -> None:
    runner = CliRunner()
    result = runner.invoke(reference_app, ["tables"])
    assert result.exit_code == 0
    for table, columns in TABLES.items():
        line = next(ln for ln in result.output.splitlines() if ln.split()[0] == table)
        assert [w.rstrip("?") for w in line.split()[1:]] == [c.name for c in columns]
    assert runner.invoke(reference_app, ["tables", "--markdown"]).output.strip() == describe_tables().strip()


def test_row_checks_and_notes_name_real_columns() -> None:
    for table, checks in ROW_CHECKS.items():
        names = {c.name for c in TABLES[table]}
        for check in checks:
            assert set(check.columns) <= names, (table, check.columns)
    every = {c.name for cols in TABLES.values() for c in cols}
    assert set(NOTES) <= every


def test_doc_is_current_and_covers_every_table_and_column() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert render_doc(doc) == doc, "run: python -m tradeverify.reference.feeds docs/reference-data.md"
    for table, columns in TABLES.items():
        assert f"### `{table}`" in doc
        assert f"<!-- BEGIN columns {table} -->" in doc
        assert f"tradeverify reference load {table} " in doc
        for column in columns:
            assert f"| `{column.name}` |" in doc, (table, column.name)


def test_doc_examples_are_valid_rows(tmp_path: Path) -> None:
    examples = dict(re.findall(r"<!-- example (\w+) -->\n```csv\n(.*?)```", DOC.read_text(encoding="utf-8"),
                               re.DOTALL))
    assert set(examples) == set(TABLES)
    for table, text in examples.items():
        path = tmp_path / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        assert len(list(read_table(table, path))) == 1, table


def test_shipped_sample_reference_passes_the_checks() -> None:
    for table in TABLES:
        path = PROJECT / "data_samples" / "reference" / f"{table}.csv"
        if path.exists():
            assert sum(1 for _ in read_table(table, path)) > 0
