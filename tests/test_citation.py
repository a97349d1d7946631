"""CITATION.cff: valid Citation File Format 1.2.0, and its version is the package's version.

The schema in ``tests/data/cff-1.2.0.schema.json`` is the official JSON schema of the Citation
File Format 1.2.0 (https://citation-file-format.github.io/1.2.0/schema.json; CC-BY-4.0, the
Citation File Format authors), vendored so the test runs offline.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

import gantheory

ROOT = Path(__file__).resolve().parents[1]
CFF = ROOT / "CITATION.cff"
SCHEMA = Path(__file__).resolve().parent / "data" / "cff-1.2.0.schema.json"


@pytest.fixture(scope="module")
def cff() -> dict:
    # CFF is YAML 1.2; safe_load must not turn the version into a float or a date.
    data = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    return jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def test_citation_cff_is_valid_cff_1_2_0(cff: dict, validator: jsonschema.Draft7Validator) -> None:
    assert cff["cff-version"] == "1.2.0"
    errors = sorted(validator.iter_errors(cff), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_citation_version_is_the_package_version(cff: dict) -> None:
    assert isinstance(cff["version"], str), "quote the version so YAML keeps it a string"
    assert cff["version"] == gantheory.__version__


def test_citation_names_the_software_and_how_to_cite_claims(cff: dict) -> None:
    assert cff["type"] == "software"
    assert cff["title"].startswith("gantheory")
    assert cff["license"] == "MIT"
    assert "claim" in cff["message"] and "version" in cff["message"]


@pytest.mark.parametrize(
    ("mutate", "what"),
    [
        (lambda d: d.pop("authors"), "missing authors"),
        (lambda d: d.update({"cff-version": "1.1.0"}), "wrong cff-version"),
        (lambda d: d.update({"version": ["0.1.0"]}), "version not a string"),
        (lambda d: d.update({"date-released": "22 Nov 2026"}), "date not YYYY-MM-DD"),
        (lambda d: d.update({"titel": "typo"}), "unknown key"),
    ],
)
def test_the_schema_rejects_broken_files(
    cff: dict, validator: jsonschema.Draft7Validator, mutate: object, what: str
) -> None:
    broken = copy.deepcopy(cff)
    mutate(broken)  # type: ignore[operator]
    assert list(validator.iter_errors(broken)), f"schema accepted a file with {what}"
