"""The training app's part of the permission matrix.

`training_objects(world)` writes the objects every training row reads, per target: "a" agency
A (the employee role's own enrolment, staff_a, in the instansi's event), "b" agency B (staff_b
in the same event), "x" the other instansi's event and enrolment, "-" the instansi's event with
no person. Each capability adds its rows and objects in a module of its own,
``tests/matrix_training_<name>.py``, holding ``ROWS`` (a list of `Row` with ``training=True``)
and optionally ``extend(world, objects)``, which adds keys to each target's dict; they are
collected here in name order.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

from kinerja.training.tests.factories import (
    EventFactory,
    ParticipantFactory,
    SessionFactory,
    SpeakerFactory,
)

# The apps above training add their rows the same way (their rows set ``training=True`` to get
# these objects and what their ``extend`` adds).
PREFIXES = (
    "matrix_training_",
    "matrix_regional_",
    "matrix_analytics_",
    "matrix_performance_",
    "matrix_akip_",
    "matrix_risks_",
)


def _modules():
    here = Path(__file__).resolve().parent
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if info.name.startswith(PREFIXES):
            yield importlib.import_module(f"tests.{info.name}")


def training_rows() -> list:
    rows = []
    for module in _modules():
        rows.extend(module.ROWS)
    return rows


def training_objects(world) -> dict[str, dict[str, Any]]:
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    speaker = SpeakerFactory(instansi=world.instansi, name="Prof. Uji Narasumber")
    session = SessionFactory(event=event, speakers=[speaker])
    event_x = EventFactory(instansi=world.other_instansi, organiser_unit=world.agency_x)
    session_x = SessionFactory(event=event_x)
    part_a = ParticipantFactory(event=event, employee=world.staff_a)
    part_b = ParticipantFactory(event=event, employee=world.staff_b)
    part_x = ParticipantFactory(event=event_x, employee=world.staff_x)
    common = {"event": event.pk, "session": session.pk, "speaker": speaker.pk}
    objects = {
        "a": {**common, "participant": part_a.pk},
        "b": {**common, "participant": part_b.pk},
        "x": {
            "event": event_x.pk,
            "session": session_x.pk,
            "speaker": speaker.pk,
            "participant": part_x.pk,
        },
        "-": dict(common),
    }
    objects["own"] = objects["a"]
    for module in _modules():
        extend = getattr(module, "extend", None)
        if extend is not None:
            extend(world, objects)
    return objects
