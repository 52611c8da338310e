"""JSON Schemas of the contract, generated from the Pydantic models.

The published copies live in docs/exchange/schemas/ (<TYPE>.v<N>.json and envelope.json); an outside
party validates against them. `dealerhub exchange schemas` writes them, `--check` (and a test in
make test) fails when the published ones differ from what the code generates.
"""

from __future__ import annotations

import json
from pathlib import Path

from dealerhub.exchange.contracts import Envelope, all_specs

PUBLISHED_DIR = Path("docs/exchange/schemas")
BASE_URI = "https://dealerhub.example/exchange/schemas/"


def generate() -> dict[str, str]:
    """File name -> schema text, for every (type, version) and the envelope."""
    files = {}
    for spec in all_specs():
        schema = spec.model.model_json_schema()
        files[f"{spec.schema_name}.json"] = _text(
            schema,
            f"{spec.schema_name}.json",
            f"{spec.type.value} version {spec.version} ({spec.direction}): the payload of an exchange message. "
            "Quantities, weights and dimensions are decimal strings, never JSON numbers.",
        )
    files["envelope.json"] = _text(
        Envelope.model_json_schema(),
        "envelope.json",
        "The envelope of an exchange message: the columns of exchange_messages besides the payload "
        "and the processing state.",
    )
    return files


def _text(schema: dict, name: str, description: str) -> str:
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URI + name,
        "description": description,
        **{k: v for k, v in schema.items() if k != "description"},
    }
    if "description" in schema:
        document["description"] = f"{description} {schema['description']}"
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def differences(directory: Path = PUBLISHED_DIR) -> list[str]:
    """What differs between the published files and the generated ones (empty: they agree)."""
    generated = generate()
    problems = []
    for name, text in generated.items():
        path = directory / name
        if not path.exists():
            problems.append(f"{path}: missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{path}: differs from the code")
    if directory.exists():
        for path in sorted(directory.glob("*.json")):
            if path.name not in generated:
                problems.append(f"{path}: published but no such type in the code")
    return problems


def write(directory: Path = PUBLISHED_DIR) -> list[Path]:
    """Write every schema (and remove published ones the code no longer has); returns what changed."""
    directory.mkdir(parents=True, exist_ok=True)
    generated = generate()
    changed = []
    for name, text in generated.items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for path in directory.glob("*.json"):
        if path.name not in generated:
            path.unlink()
            changed.append(path)
    return changed
