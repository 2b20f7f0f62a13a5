"""The collaboration finder's rows: its pages and API. Targets: "a" a candidate pairing an
indicator of agency A with one of a third agency C, "b" one pairing agency B with C, "x" one
of the other instansi; "-" the list and the run. Readers: view_planning over one of the two
agencies (the instansi-wide readers, agency A's head and administrator for "a"); Bappeda and
the system administrator (manage_goals across the instansi) decide and run."""

from __future__ import annotations

from tests.matrix_base import SIGNED_IN, VIEWERS, VIEWERS_A, WIDE, Row

GOALERS = {"system_admin", "bappeda"}
READ = {"a": VIEWERS_A, "b": WIDE, "x": set()}
DECIDE = {"a": GOALERS, "b": GOALERS, "x": set()}
YEAR = 2026


def _status(objs, role):
    from kinerja.performance.models import CollaborationCandidate

    return CollaborationCandidate.objects.get(pk=objs["finder_candidate"]).status


def _runs(objs, role):
    from kinerja.audit.models import AuditEvent

    return AuditEvent.objects.filter(action="collaboration_candidate.run").count()


def _const(value):
    return lambda objs, role: value


ROWS = [
    Row("performance:finder_list", "get", {"-": VIEWERS}, training=True),
    Row(
        "performance:finder_detail",
        "get",
        READ,
        kwargs={"pk": "finder_candidate"},
        training=True,
    ),
    Row(
        "performance:finder_detail",
        "post",
        DECIDE,
        data={"decision": "dismiss", "dismiss-reason": "uji"},
        ok=(302,),
        state=_status,
        expect=_const("dismissed"),
        kwargs={"pk": "finder_candidate"},
        training=True,
    ),
    Row(
        "performance:finder_run",
        "post",
        {"-": GOALERS},
        data={"year": YEAR},
        ok=(302,),
        state=_runs,
        expect=_const(1),
        training=True,
    ),
    Row(
        "api:collaboration-candidate-list",
        "get",
        {"-": SIGNED_IN},
        api=True,
        training=True,
    ),
    Row(
        "api:collaboration-candidate-detail",
        "get",
        READ,
        api=True,
        kwargs={"pk": "finder_candidate"},
        training=True,
    ),
    Row(
        "api:collaboration-candidate-accept",
        "post",
        DECIDE,
        api=True,
        data=lambda objs, role: {"lead_unit": objs["finder_lead"], "weight": "20"},
        state=_status,
        expect=_const("accepted"),
        kwargs={"pk": "finder_candidate"},
        training=True,
    ),
    Row(
        "api:collaboration-candidate-dismiss",
        "post",
        DECIDE,
        api=True,
        data={"reason": "uji"},
        state=_status,
        expect=_const("dismissed"),
        kwargs={"pk": "finder_candidate"},
        training=True,
    ),
    Row(
        "api:collaboration-candidate-run",
        "post",
        {"-": GOALERS},
        api=True,
        data={"year": YEAR},
        state=_runs,
        expect=_const(1),
        training=True,
    ),
]


def _candidate(instansi, lead, other, key):
    """An indicator with a 2026 target in ``lead`` and in ``other`` (agencies), and the
    proposed candidate pairing them. Written straight."""
    from kinerja.performance.models import CollaborationCandidate, Goal, Indicator, Target

    made = []
    for n, unit in enumerate((lead, other)):
        goal = Goal.objects.create(
            instansi=instansi,
            level="agency_objective",
            code=f"FND-{key}-{n}",
            name="Tujuan uji",
            unit=unit,
        )
        indicator = Indicator.objects.create(
            instansi=instansi,
            goal=goal,
            unit=unit,
            code=f"FND-{key}-{n}",
            name="Prevalensi stunting pada balita" if n == 0 else "Persentase balita stunting",
            measure_unit="persen",
            control_level="outcome",
        )
        Target.objects.create(
            instansi=instansi, indicator=indicator, year=YEAR, shape="value", value=20
        )
        made.append(indicator)
    a, b = sorted(made, key=lambda i: i.pk)
    candidate = CollaborationCandidate.objects.create(
        instansi=instansi,
        year=YEAR,
        indicator_a=a,
        indicator_b=b,
        unit_a=a.unit,
        unit_b=b.unit,
        score="0.6000",
        terms=["stunting", "balita"],
    )
    return {"finder_candidate": candidate.pk, "finder_lead": lead.pk}


def extend(world, objects):
    from kinerja.organisations.tests.factories import OrgUnitFactory

    agency_c = OrgUnitFactory(instansi=world.instansi, code="FND-C", name="Dinas Sosial Uji")
    agency_y = OrgUnitFactory(instansi=world.other_instansi, code="FND-Y", name="Dinsos Malang")
    objects["a"].update(_candidate(world.instansi, world.agency_a, agency_c, "a"))
    objects["b"].update(_candidate(world.instansi, world.agency_b, agency_c, "b"))
    objects["x"].update(_candidate(world.other_instansi, world.agency_x, agency_y, "x"))
