"""Load the reference data of the training app (the competency dictionary and the training
types) from ``data/``: new codes are added, existing ones are left as an administrator keeps
them. Called by the data migration and by ``load_demo``."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_reference(competency_model, type_model) -> tuple[int, int]:
    """Add the competencies and training types of the data files that are missing; return how
    many of each were added."""
    have = set(competency_model.objects.values_list("code", flat=True))
    new_c = [
        competency_model(
            code=c["code"],
            name=c["name"],
            kind=c["kind"],
            description=c.get("description", ""),
            source="PermenPAN-RB 38/2017",
            sort=i,
        )
        for i, c in enumerate(read("competencies.json")["competencies"])
        if c["code"] not in have
    ]
    competency_model.objects.bulk_create(new_c)
    have = set(type_model.objects.values_list("code", flat=True))
    new_t = [
        type_model(sort=i, **t)
        for i, t in enumerate(read("training_types.json")["types"])
        if t["code"] not in have
    ]
    type_model.objects.bulk_create(new_t)
    return len(new_c), len(new_t)
