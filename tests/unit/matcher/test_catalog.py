from __future__ import annotations

import json
import subprocess
import sys

import pytest

from matcher.catalog import Catalog, Exercise, load_catalog


def test_loads_the_whole_packaged_catalog() -> None:
    catalog = load_catalog()
    assert len(catalog) == 873
    squat = catalog["Barbell_Squat"]
    assert squat.name == "Barbell Squat"
    assert squat.equipment == "barbell"
    assert "quadriceps" in squat.primary_muscles
    assert squat.mechanic == "compound"


def test_lookup_and_iteration_agree() -> None:
    catalog = load_catalog()
    ids = [ex.id for ex in catalog]
    assert len(ids) == len(set(ids)) == len(catalog)
    assert all(catalog.get(i) is catalog[i] for i in ids[:50])
    assert catalog.get("No_Such_Lift") is None
    assert "No_Such_Lift" not in catalog
    with pytest.raises(KeyError):
        catalog["No_Such_Lift"]


def test_null_fields_are_kept_as_none() -> None:
    data = json.dumps(
        [
            {
                "id": "X",
                "name": "X",
                "equipment": None,
                "mechanic": None,
                "primaryMuscles": [],
                "secondaryMuscles": [],
                "instructions": ["ignored"],
            }
        ]
    )
    catalog = Catalog.from_json(data.encode())
    assert catalog["X"] == Exercise(id="X", name="X")


def test_duplicate_ids_are_refused() -> None:
    data = json.dumps([{"id": "X", "name": "A"}, {"id": "X", "name": "B"}])
    with pytest.raises(ValueError, match="duplicate"):
        Catalog.from_json(data.encode())


def test_loads_from_any_working_directory(tmp_path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from matcher.catalog import load_catalog; print(len(load_catalog()))"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "873"
