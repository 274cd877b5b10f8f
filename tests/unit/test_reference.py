from pathlib import Path

import pytest

from tradeverify.errors import ReferenceDataError
from tradeverify.reference.sea import distance_nm
from tradeverify.reference.store import ReferenceStore


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text(text)


def test_store_builds_and_looks_up(tmp_path: Path) -> None:
    _write(tmp_path, "vessels", "imo,name,flag,vessel_type,dwt,mmsi,build_year\n"
           "9074729,OCEANIC ANNA,Panama,container,120000,355000000,2010\n")
    _write(tmp_path, "port_calls", "imo,locode,arrival,departure\n"
           "9074729,SGSIN,2025-03-01T10:00,2025-03-02T08:00\n"
           "9074729,NLRTM,2025-03-20T10:00,2025-03-21T08:00\n")
    store = ReferenceStore.open(tmp_path)
    assert store.vessel("9074729")["name"] == "OCEANIC ANNA"
    assert store.vessel("1234567") is None
    calls = store.port_calls("9074729")
    assert [c.locode for c in calls] == ["SGSIN", "NLRTM"]
    assert store.count("price_benchmarks") == 0  # absent table: empty, not an error


def test_malformed_row_names_file_and_line(tmp_path: Path) -> None:
    _write(tmp_path, "vessels", "imo,name,flag,vessel_type,dwt,mmsi,build_year\n"
           "9074729,A,Panama,bulk,80000,1,2010\n9074729,B,Panama,bulk,heavy,1,2010\n")
    with pytest.raises(ReferenceDataError, match=r"vessels.csv:3.*dwt"):
        ReferenceStore.open(tmp_path)


def test_missing_column_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path, "port_calls", "imo,locode,arrival\n9074729,SGSIN,2025-03-01T10:00\n")
    with pytest.raises(ReferenceDataError, match="missing columns"):
        ReferenceStore.open(tmp_path)


def test_missing_folder() -> None:
    with pytest.raises(ReferenceDataError, match="not found"):
        ReferenceStore.open(Path("/nonexistent/reference"))


@pytest.mark.parametrize(("a", "b", "low", "high"), [
    ("CNSHA", "SGSIN", 2000, 2400),   # East China Sea to Singapore Strait
    ("SGSIN", "NLRTM", 8000, 8700),   # via Suez
    ("BRSSZ", "CNSHA", 10500, 11800),  # via the Cape of Good Hope
])
def test_sea_distances_are_real_routes(a: str, b: str, low: float, high: float) -> None:
    assert low < distance_nm(a, b) < high
    assert distance_nm(a, b) == distance_nm(b, a)
