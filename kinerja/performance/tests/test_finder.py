"""The collaboration finder: Indonesian text processing, scores with concrete numbers, the
threshold's edges, which pairs are never proposed, and Bappeda's decisions (accept creates the
shared target through the collaboration services, dismiss keeps the pair from coming back)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import translation

from kinerja.audit.models import AuditEvent
from kinerja.organisations.tests.factories import OrgUnitFactory
from kinerja.performance import services
from kinerja.performance.choices import GoalLevel
from kinerja.performance.finder import (
    Doc,
    find_pairs,
    finder_policy,
    highlight,
    names_own_agency,
    precision_at,
    score_texts,
    stem,
    terms,
    words,
)
from kinerja.performance.models import (
    CandidateStatus,
    Collaboration,
    CollaborationCandidate,
    CollaborationMember,
)
from kinerja.performance.selectors_finder import candidates_within
from kinerja.performance.services import collaboration as collab_services
from kinerja.performance.services import finder as svc

POLICY = finder_policy()
YEAR = 2026

STUNTING_A = {
    "name": "Persentase balita stunting",
    "definition": "Persentase balita dengan tinggi badan menurut umur kurang dari minus dua "
    "standar deviasi.",
}
STUNTING_B = {
    "name": "Prevalensi stunting pada anak usia di bawah lima tahun",
    "definition": "Proporsi anak usia di bawah lima tahun yang bertubuh pendek (stunting) "
    "terhadap seluruh anak usia di bawah lima tahun yang diukur.",
}
SMK_A = (
    "Persentase lulusan SMK yang bekerja atau berwirausaha",
    "Jumlah lulusan SMK yang bekerja atau berwirausaha dalam satu tahun setelah lulus dibagi "
    "jumlah lulusan SMK tahun tersebut.",
)
SMK_B = (
    "Tingkat penyerapan lulusan sekolah menengah kejuruan di dunia kerja",
    "Persentase lulusan sekolah menengah kejuruan yang terserap di dunia kerja atau membuka "
    "usaha sendiri dalam satu tahun setelah lulus.",
)
ROAD = (
    "Persentase jalan provinsi dalam kondisi mantap",
    "Panjang jalan provinsi dengan kondisi baik dan sedang dibagi panjang seluruh jalan.",
)
BRIDGE = (
    "Persentase jembatan dalam kondisi baik",
    "Jumlah jembatan pada ruas provinsi yang kondisinya baik dibagi seluruh jembatan.",
)


# Words ----------------------------------------------------------------------------------------


def test_sastrawi_stems_concrete_words():
    assert stem("meningkatnya") == "tingkat"
    assert stem("pelayanan") == "layan"
    assert stem("penurunan") == "turun"
    assert stem("terakreditasi") == "akreditasi"
    assert stem("kemiskinan") == "miskin"
    assert stem("bekerja") == "kerja"


def test_stopwords_go_and_the_rest_is_stemmed_in_order():
    text = "Meningkatnya pelayanan kesehatan yang merata di Provinsi Jawa Timur"
    assert terms(text, POLICY) == ["tingkat", "layan", "sehat", "rata"]


def test_meaningful_words_sastrawi_would_drop_are_kept():
    # Sastrawi's own stopword list drops "bekerja", "baik" and "bawah"; an indicator needs them.
    assert terms("lulusan yang bekerja dalam kondisi baik di bawah", POLICY) == [
        "lulus",
        "kerja",
        "kondisi",
        "baik",
        "bawah",
    ]


def test_an_abbreviation_is_read_with_its_words():
    assert terms("Persentase balita stunting", POLICY) == [
        "persentase",
        "balita",
        "anak",
        "bawah",
        "lima",
        "stunting",
    ]
    assert terms("lulusan SMK", POLICY) == ["lulus", "smk", "sekolah", "tengah", "juru"]


def test_regulation_names_are_kept_whole():
    # Sastrawi would read "perpres" as per- + "pres".
    assert stem("perpres") == "pres"
    assert terms("Proyek Perpres 80 Tahun 2019", POLICY) == ["proyek", "perpres"]


def test_numbers_alone_and_single_letters_are_not_words():
    assert words("Perpres 80/2019: x 100 % ODGJ") == ["perpres", "odgj"]


# Scores ---------------------------------------------------------------------------------------


def test_the_score_of_a_concrete_pair():
    score, shared = score_texts(STUNTING_A, STUNTING_B, POLICY)
    assert score == pytest.approx(0.2359, abs=1e-4)
    assert shared == ["anak", "bawah", "bawah lima", "lima", "stunting"]


def test_a_hard_negative_scores_below_the_threshold():
    score, shared = score_texts(
        {"name": ROAD[0], "definition": ROAD[1]},
        {"name": BRIDGE[0], "definition": BRIDGE[1]},
        POLICY,
    )
    assert score < POLICY.threshold
    assert "kondisi" in shared


def test_the_shared_stems_are_marked_in_the_text():
    _score, shared = score_texts(STUNTING_A, STUNTING_B, POLICY)
    marked = highlight("Persentase balita stunting pada anak", shared, POLICY)
    assert [t for t, hit in marked if hit] == ["balita", "stunting", "anak"]
    assert "".join(t for t, _hit in marked) == "Persentase balita stunting pada anak"


def _docs():
    return [
        Doc(1, 10, {"name": SMK_A[0], "definition": SMK_A[1]}),
        Doc(2, 20, {"name": SMK_B[0], "definition": SMK_B[1]}),
        Doc(3, 10, {"name": ROAD[0], "definition": ROAD[1]}),
        Doc(4, 20, {"name": BRIDGE[0], "definition": BRIDGE[1]}),
        Doc(5, 10, {"name": "Persentase lulusan SMK yang bekerja", "definition": SMK_A[1]}),
    ]


def test_pairs_of_two_agencies_above_the_threshold_best_first():
    result = find_pairs(_docs(), POLICY)
    assert [(p.a, p.b) for p in result.pairs] == [(2, 5), (1, 2)]
    assert result.pairs[0].score >= result.pairs[1].score >= POLICY.threshold
    assert "lulus" in result.pairs[1].terms


def test_the_threshold_is_inclusive_at_its_edge():
    score = find_pairs(_docs(), POLICY).pairs[1].score  # (1, 2)
    at = find_pairs(_docs(), POLICY.with_threshold(score - 0.00005))
    above = find_pairs(_docs(), POLICY.with_threshold(score + 0.0001))
    assert (1, 2) in {(p.a, p.b) for p in at.pairs}
    assert (1, 2) not in {(p.a, p.b) for p in above.pairs}


def test_two_indicators_of_one_agency_are_never_a_pair():
    docs = [Doc(1, 10, {"name": SMK_A[0]}), Doc(2, 10, {"name": SMK_A[0]})]
    assert find_pairs(docs, POLICY.with_threshold(0.0)).pairs == []


def test_a_standard_indicator_kept_alike_by_many_agencies_is_not_proposed():
    docs = [
        Doc(i, i, {"name": "Persentase tindak lanjut rekomendasi hasil pengawasan"})
        for i in range(1, 6)  # five agencies, one text
    ] + [
        Doc(10, 10, {"name": SMK_A[0], "definition": SMK_A[1]}),
        Doc(11, 11, {"name": SMK_B[0], "definition": SMK_B[1]}),
    ]
    result = find_pairs(docs, POLICY)
    assert result.standard == {1, 2, 3, 4, 5}
    assert [(p.a, p.b) for p in result.pairs] == [(10, 11)]
    # Three agencies alike (each near two others) are still candidates.
    few = find_pairs(docs[:3], POLICY)
    assert few.standard == set() and len(few.pairs) == 3


def test_an_indicator_naming_its_own_agency_measures_the_agency_itself():
    own = Doc(1, 10, {"name": "Nilai SAKIP Dinas Kesehatan"}, ("Dinas Kesehatan", "Dinkes"))
    short = Doc(2, 20, {"name": "Nilai SAKIP Dinsos"}, ("Dinas Sosial", "Dinsos"))
    other = Doc(3, 30, {"name": "Nilai SAKIP provinsi"}, ("Biro Organisasi",))
    assert names_own_agency(own) and names_own_agency(short)
    assert not names_own_agency(other)
    assert find_pairs([own, short, other], POLICY.with_threshold(0.0)).pairs == []


def test_precision_at_k():
    assert precision_at([True, False, True, True], 2) == 0.5
    assert precision_at([True] * 3, 20) == 1.0
    assert precision_at([], 20) == 0.0


# Runs, decisions ------------------------------------------------------------------------------


@pytest.fixture
def fx(world, scopes, plan):
    """Agency A (Dinas Pendidikan) and agency B (Dinas Kesehatan) with 2026 targets: A's SMK
    graduates at work and B's reading of the same measure; A's roads and B's bridges (a hard
    negative); A's second SMK indicator (same agency as the first)."""
    bappeda, scope = world.users["bappeda"], scopes["bappeda"]

    def indicator(goal, code, texts, value="60"):
        made = plan.indicator(goal, code, texts[0], definition=texts[1])
        services.target_set(
            actor=bappeda,
            scope=scope,
            indicator=made,
            year=YEAR,
            data={"shape": "value", "value": value},
        )
        return made

    f = SimpleNamespace(world=world, plan=plan, bappeda=bappeda, scope=scope, scopes=scopes)
    f.smk_a = indicator(plan.target_a, "DIK-SMK", SMK_A)
    f.smk_b = indicator(plan.objective_b, "KES-SMK", SMK_B)
    f.road_a = indicator(plan.target_a, "DIK-JLN", ROAD)
    f.bridge_b = indicator(plan.objective_b, "KES-JMB", BRIDGE)
    f.smk_a2 = indicator(
        plan.target_a, "DIK-SMK2", ("Persentase lulusan SMK yang bekerja", SMK_A[1])
    )

    def run(**kw):
        return svc.finder_run(
            actor=bappeda, scope=scopes["bappeda"], instansi=world.instansi, year=YEAR, **kw
        )

    f.run = run
    return f


def pairs():
    return {
        (c.indicator_a.code, c.indicator_b.code): c.status
        for c in CollaborationCandidate.objects.select_related("indicator_a", "indicator_b")
    }


def test_a_run_proposes_the_pairs_of_two_agencies(fx):
    summary = fx.run()
    assert pairs() == {
        ("DIK-SMK", "KES-SMK"): "proposed",
        ("KES-SMK", "DIK-SMK2"): "proposed",
    }
    assert (summary.indicators, summary.proposed, summary.updated) == (5, 2, 0)
    smk = CollaborationCandidate.objects.get(indicator_a=fx.smk_a)
    assert (smk.unit_a, smk.unit_b, smk.year) == (fx.world.agency_a, fx.world.agency_b, YEAR)
    assert Decimal("0.3") <= smk.score <= 1 and "lulus" in smk.terms
    event = AuditEvent.objects.get(action="collaboration_candidate.run")
    assert event.changes["proposed"] == [None, 2]
    assert event.changes["indicators"] == [None, 5]


def test_indicators_without_a_target_of_the_year_are_not_compared(fx):
    summary = svc.finder_run(
        actor=fx.bappeda, scope=fx.scopes["bappeda"], instansi=fx.world.instansi, year=2025
    )
    assert (summary.indicators, summary.proposed) == (0, 0)


def test_a_second_run_refreshes_and_never_duplicates(fx):
    fx.run()
    again = fx.run()
    assert (again.proposed, again.updated, again.withdrawn) == (0, 0, 0)
    assert CollaborationCandidate.objects.count() == 2


def test_pairs_already_working_together_are_not_proposed_and_are_withdrawn(fx):
    fx.run()
    target = fx.smk_a.targets.get(year=YEAR)
    shared = collab_services.collaboration_create(
        actor=fx.bappeda,
        scope=fx.scope,
        instansi=fx.world.instansi,
        data={"target": target, "title": "Lulusan SMK bekerja"},
    )
    collab_services.collaboration_invite(
        actor=fx.bappeda,
        scope=fx.scope,
        collaboration=shared,
        version=1,
        unit=fx.world.agency_b,
        weight="30",
    )
    summary = fx.run()
    assert (summary.together, summary.withdrawn) == (1, 1)
    assert pairs() == {("KES-SMK", "DIK-SMK2"): "proposed"}


def test_a_dismissed_pair_is_not_proposed_again(fx):
    fx.run()
    candidate = CollaborationCandidate.objects.get(indicator_a=fx.smk_a)
    svc.candidate_dismiss(
        actor=fx.bappeda, scope=fx.scope, candidate=candidate, reason="Ukuran berbeda"
    )
    summary = fx.run()
    assert (summary.proposed, summary.decided) == (0, 1)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.reason) == ("dismissed", "Ukuran berbeda")
    assert candidate.decided_by == fx.bappeda and candidate.decided_at is not None
    event = AuditEvent.objects.get(action="collaboration_candidate.dismiss")
    assert event.reason == "Ukuran berbeda"


def test_accepting_shares_the_leads_target_and_invites_the_other_with_the_weight(fx):
    fx.run()
    candidate = CollaborationCandidate.objects.get(indicator_a=fx.smk_a)
    svc.candidate_accept(
        actor=fx.bappeda,
        scope=fx.scope,
        candidate=candidate,
        lead_unit=fx.world.agency_b,
        weight="25",
        title="Lulusan SMK terserap kerja",
    )
    candidate.refresh_from_db()
    collaboration = candidate.collaboration
    assert candidate.status == CandidateStatus.ACCEPTED
    assert collaboration.target == fx.smk_b.targets.get(year=YEAR)
    assert (collaboration.lead_unit, collaboration.title) == (
        fx.world.agency_b,
        "Lulusan SMK terserap kerja",
    )
    member = CollaborationMember.objects.get(collaboration=collaboration)
    assert (member.unit, member.weight, member.status) == (
        fx.world.agency_a,
        Decimal("25"),
        "invited",
    )
    assert collaboration.lead_weight == 100  # moves when agency A accepts the invitation
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "collaboration.create",
        "collaboration.invite",
        "collaboration_candidate.accept",
    } <= actions
    # The pair now works together: the next run neither proposes it nor touches the row.
    assert fx.run().proposed == 0
    assert CollaborationCandidate.objects.get(pk=candidate.pk).status == "accepted"


def test_accepting_joins_the_leads_open_collaboration_on_that_target(fx):
    fx.run()
    target = fx.smk_a.targets.get(year=YEAR)
    existing = collab_services.collaboration_create(
        actor=fx.bappeda,
        scope=fx.scope,
        instansi=fx.world.instansi,
        data={"target": target, "title": "Sudah ada"},
    )
    candidate = CollaborationCandidate.objects.get(indicator_a=fx.smk_a)
    svc.candidate_accept(
        actor=fx.bappeda,
        scope=fx.scope,
        candidate=candidate,
        lead_unit=fx.world.agency_a,
        weight="30",
        title="Diabaikan",
    )
    assert Collaboration.objects.count() == 1
    assert CollaborationCandidate.objects.get(pk=candidate.pk).collaboration == existing
    assert existing.members.get().unit == fx.world.agency_b


@pytest.mark.parametrize(
    ("given", "field", "words_id"),
    [
        ({"weight": "0"}, "weight", "bobot"),
        ({"weight": "101"}, "weight", "bobot"),
        ({"title": "  "}, "title", "judul"),
        ({"lead": "c"}, "lead_unit", "perangkat daerah"),
    ],
)
def test_refusals_come_back_on_their_field_in_indonesian_and_write_nothing(
    fx, given, field, words_id
):
    fx.run()
    candidate = CollaborationCandidate.objects.get(indicator_a=fx.smk_a)
    lead = fx.world.agency_a
    if given.get("lead") == "c":
        lead = OrgUnitFactory(instansi=fx.world.instansi, code="DINSOS", name="Dinas Sosial")
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        svc.candidate_accept(
            actor=fx.bappeda,
            scope=fx.scope,
            candidate=candidate,
            lead_unit=lead,
            weight=given.get("weight", "30"),
            title=given.get("title", "Judul"),
        )
    messages = refused.value.message_dict[field]
    assert words_id in " ".join(messages).lower(), messages
    assert Collaboration.objects.count() == 0
    assert CollaborationCandidate.objects.get(pk=candidate.pk).status == "proposed"


def test_a_dismissal_needs_a_reason(fx):
    fx.run()
    candidate = CollaborationCandidate.objects.get(indicator_a=fx.smk_a)
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        svc.candidate_dismiss(actor=fx.bappeda, scope=fx.scope, candidate=candidate, reason=" ")
    assert "alasan" in refused.value.message_dict["reason"][0].lower()


def test_a_decided_candidate_is_not_decided_again(fx):
    fx.run()
    candidate = CollaborationCandidate.objects.get(indicator_a=fx.smk_a)
    svc.candidate_dismiss(actor=fx.bappeda, scope=fx.scope, candidate=candidate, reason="Beda")
    with pytest.raises(ValidationError) as refused:
        svc.candidate_accept(
            actor=fx.bappeda,
            scope=fx.scope,
            candidate=candidate,
            lead_unit=fx.world.agency_a,
            weight="30",
            title="x",
        )
    assert "status" in refused.value.message_dict


@pytest.mark.parametrize("role", ["opd_admin", "opd_head", "leadership", "inspektorat", "bkd"])
def test_only_bappeda_runs_and_decides(fx, role):
    fx.run()
    candidate = CollaborationCandidate.objects.get(indicator_a=fx.smk_a)
    scope, actor = fx.scopes[role], fx.world.users[role]
    with pytest.raises(PermissionDenied):
        svc.finder_run(actor=actor, scope=scope, instansi=fx.world.instansi, year=YEAR)
    with pytest.raises(PermissionDenied):
        svc.candidate_dismiss(actor=actor, scope=scope, candidate=candidate, reason="x")
    with pytest.raises(PermissionDenied):
        svc.candidate_accept(
            actor=actor,
            scope=scope,
            candidate=candidate,
            lead_unit=fx.world.agency_a,
            weight="30",
            title="x",
        )


def test_an_agency_reads_the_candidates_involving_it(fx, scopes):
    agency_c = OrgUnitFactory(instansi=fx.world.instansi, code="DINSOS", name="Dinas Sosial")
    goal_c = services.goal_create(
        actor=fx.bappeda,
        scope=fx.scope,
        instansi=fx.world.instansi,
        data={
            "level": GoalLevel.AGENCY_OBJECTIVE,
            "code": "SOS.T1",
            "name": "Perlindungan sosial",
            "parent": fx.plan.target,
            "unit": agency_c,
        },
    )
    made = fx.plan.indicator(goal_c, "SOS-JMB", BRIDGE[0], definition=BRIDGE[1])
    services.target_set(
        actor=fx.bappeda,
        scope=fx.scope,
        indicator=made,
        year=YEAR,
        data={"shape": "value", "value": "50"},
    )
    fx.run()
    b_c = CollaborationCandidate.objects.get(indicator_a=fx.bridge_b, indicator_b=made)
    assert set(candidates_within(scopes["bappeda"])) == set(CollaborationCandidate.objects.all())
    assert b_c in set(candidates_within(scopes["leadership"]))
    mine = set(candidates_within(scopes["opd_head"]))
    assert b_c not in mine
    assert mine == set(CollaborationCandidate.objects.involving(fx.world.agency_a.pk))
    assert len(mine) == 2
    assert not candidates_within(scopes["employee"]).exists()


def test_the_command_runs_every_instansi_with_a_system_actor(fx, capsys):
    call_command("find_collaborations", "--year", str(YEAR), "--instansi", "jatim")
    assert CollaborationCandidate.objects.count() == 2
    event = AuditEvent.objects.get(action="collaboration_candidate.run")
    assert event.actor_id is None
    assert "2 kandidat baru" in capsys.readouterr().out  # the command speaks Indonesian


def test_the_demo_step_gives_templated_indicators_their_manual_and_finds_the_pair(
    world, scopes, plan
):
    from kinerja.performance.demo_finder import demo_finder

    bappeda, scope = world.users["bappeda"], scopes["bappeda"]
    naker = OrgUnitFactory(
        instansi=world.instansi,
        code="DISNAKERTRANS",
        name="Dinas Tenaga Kerja dan Transmigrasi",
        short_name="Disnakertrans",
    )
    goal = services.goal_create(
        actor=bappeda,
        scope=scope,
        instansi=world.instansi,
        data={
            "level": GoalLevel.AGENCY_OBJECTIVE,
            "code": "NAKER.T1",
            "name": "Kesempatan kerja",
            "parent": plan.target,
            "unit": naker,
        },
    )
    made = [
        plan.indicator(
            goal, "NAKER-01", "Persentase kelompok sasaran Disnakertrans yang terlayani"
        ),
        plan.indicator(goal, "NAKER-02", "Nilai SAKIP Disnakertrans"),
        plan.indicator(plan.target_a, "DINDIK-02", SMK_A[0]),
        plan.indicator(plan.objective_b, "KES-SAKIP", "Nilai SAKIP Dinkes"),
    ]
    for indicator in made:
        services.target_set(
            actor=bappeda,
            scope=scope,
            indicator=indicator,
            year=YEAR,
            data={"shape": "value", "value": "70"},
        )
    counts = demo_finder(world.instansi, YEAR)
    renamed = made[0].__class__.objects.get(pk=made[0].pk)
    assert renamed.name.startswith("Tingkat penyerapan lulusan sekolah menengah kejuruan")
    assert renamed.measure_unit == "persen" and renamed.definition
    assert made[2].__class__.objects.get(pk=made[2].pk).definition.startswith("Persentase lulusan")
    assert counts["candidates"] == 1  # the two SAKIP scores name their agency
    assert pairs() == {("NAKER-01", "DINDIK-02"): "proposed"}
