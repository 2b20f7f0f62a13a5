"""Pages of the AKIP evaluation (``/akip/``): the instansi's overview with its Excel export,
the worksheet (LKE) of an agency and year with the predicted score, the answer form, the
recommendations and their follow-ups.

Readers (`querysets`): the Inspektorat, the system administrator, the leadership and Bappeda
across the instansi; an agency's head and administrator their own agency. Another role gets
403; a sheet or recommendation out of reach 404. Writes go through `services`."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import View

from kinerja.core.excel import Report, export_response
from kinerja.organisations.models import OrgUnit

from . import lke_rules, selectors, services
from .choices import RecommendationStatus
from .forms import (
    AnswerForm,
    FollowUpForm,
    RecommendationEditForm,
    RecommendationForm,
    RefreshForm,
    StartForm,
)
from .models import Evaluation, Recommendation
from .querysets import evaluates, reads_any


def _year(value, default: int | None = None) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default if default is not None else timezone.localdate().year
    return year if 2000 <= year <= 2100 else (default or timezone.localdate().year)


def _errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _flash(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


class _Reader(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not reads_any(request.scope):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def evaluation(self, pk) -> Evaluation:
        found = (
            Evaluation.objects.within(self.request.scope)
            .select_related("agency", "evaluator", "finalised_by")
            .filter(pk=pk)
            .first()
        )
        if found is None:
            raise Http404
        return found

    def recommendation(self, pk) -> Recommendation:
        found = (
            Recommendation.objects.within(self.request.scope)
            .select_related("evaluation__agency", "responsible_unit")
            .filter(pk=pk)
            .first()
        )
        if found is None:
            raise Http404
        return found


class _Evaluator(_Reader):
    """The Inspektorat's writes: readers who are not evaluators get 403 after the lookup."""

    def must_evaluate(self):
        if not evaluates(self.request.scope):
            raise PermissionDenied


# Overview ----------------------------------------------------------------------------------


class OverviewView(_Reader, View):
    def get(self, request):
        year = _year(request.GET.get("year"))
        sort = request.GET.get("sort", "agency")
        p = lke_rules.policy_for_year(year)
        this = timezone.localdate().year

        # Read only when the page's kept part is not kept yet ({% kept %} in the template).
        @functools.cache
        def rows():
            return selectors.overview(request.scope, year, sort)

        return render(
            request,
            "akip/overview.html",
            {
                "rows": rows,
                "year": year,
                "sort": sort,
                "years": list(range(this, this - 5, -1)),
                "policy": p,
                "evaluates": evaluates(request.scope),
                "final_count": lambda: sum(
                    1 for r in rows() if r.evaluation and r.evaluation.is_final
                ),
                "draft_count": lambda: sum(
                    1 for r in rows() if r.evaluation and not r.evaluation.is_final
                ),
            },
        )


class OverviewReport(Report):
    def __init__(self, rows, year):
        self.rows_ = rows
        self.title = _("AKIP evaluation %(year)d") % {"year": year}
        self.columns = [
            _("Code"),
            _("Agency"),
            _("Status"),
            _("Score"),
            _("Predikat"),
            _("Predicted"),
            _("Criteria answered"),
            _("Criteria"),
            _("Open recommendations"),
        ]
        self.widths = [14, 44, 14, 10, 10, 10, 12, 10, 14]

    def rows(self):
        for r in self.rows_:
            status = r.evaluation.get_status_display() if r.evaluation else _("Not started")
            yield (
                r.agency.code,
                r.agency.name,
                str(status),
                float(r.score) if r.score is not None else None,
                r.predikat,
                _("Yes") if r.predicted else _("No"),
                r.answered,
                r.count,
                r.open_recommendations,
            )


class OverviewXlsxView(_Reader, View):
    def get(self, request):
        year = _year(request.GET.get("year"))
        rows = selectors.overview(request.scope, year, request.GET.get("sort", "agency"))
        return export_response(OverviewReport(rows, year), filename=f"evaluasi-akip-{year}")


# The sheet ---------------------------------------------------------------------------------


class SheetView(_Reader, View):
    def get(self, request, agency, year):
        unit = selectors.agencies_for(request.scope).filter(pk=agency).first()
        if unit is None or not 2000 <= year <= 2100:
            raise Http404
        # What the forms around the kept parts need: its status and evaluator.
        evaluation = (
            Evaluation.objects.within(request.scope)
            .select_related("evaluator")
            .filter(agency=unit, year=year)
            .first()
        )
        if evaluation is not None:
            evaluation.agency = unit

        # The sheet and its recommendations are read only when the page's kept parts are not
        # kept yet ({% kept %} in the template); the forms around them are rendered each time.
        def sheet():
            if evaluation is not None:
                return selectors.evaluation_sheet(evaluation)
            return selectors.predicted_sheet(unit, year)

        def recommendations():
            if evaluation is None:
                return []
            return list(
                evaluation.recommendations.select_related("responsible_unit").prefetch_related(
                    "follow_ups"
                )
            )

        return render(
            request,
            "akip/sheet.html",
            {
                "agency": unit,
                "year": year,
                "evaluation": evaluation,
                "sheet": SimpleLazyObject(sheet),
                "recommendations": recommendations,
                "evaluates": evaluates(request.scope),
                "start_form": StartForm(),
                "refresh_form": RefreshForm(
                    initial={"budget_approved_on": evaluation.budget_approved_on}
                )
                if evaluation
                else None,
            },
        )


class SheetReport(Report):
    """The worksheet as one table: a row per component, sub-component and criterion, and the
    total, with the answer, its state, the system's suggestion and reason, and the evidence."""

    def __init__(self, sheet, evaluation, agency, year):
        self.sheet = sheet
        self.evaluation = evaluation
        self.title = f"LKE {year}"
        self.columns = [
            _("Code"),
            _("Component, sub-component or criterion"),
            _("Weight"),
            pgettext("LKE", "Answer"),
            _("Value"),
            _("Score"),
            _("Source"),
            _("System's suggestion"),
            _("Reason of the suggestion"),
            _("Evidence"),
            _("Evidence link"),
        ]
        self.widths = [8, 60, 8, 8, 8, 8, 14, 10, 60, 40, 30]

    def rows(self):
        states = {
            "answered": _("answered"),
            "predicted": _("predicted"),
            "missing": _("not answered"),
        }
        for comp in self.sheet.components:
            yield (comp.code, comp.name, float(comp.weight), None, None, float(comp.score))
            for sub in comp.subs:
                score = None if sub.score is None else float(sub.score)
                yield (sub.code, sub.name, float(sub.weight), None, None, score)
                for c in sub.criteria:
                    a = c.answer
                    yield (
                        c.code,
                        c.text,
                        None,
                        c.grade,
                        None if c.value is None else float(c.value),
                        None,
                        str(states[c.state]),
                        c.suggestion,
                        c.reason,
                        a.evidence_note if a else "",
                        a.evidence_link if a else "",
                    )
        final = self.evaluation is not None and self.evaluation.is_final
        total = self.evaluation.score if final else self.sheet.score.total
        yield ("", _("Total"), 100.0, None, None, float(total))
        if not final and self.sheet.score.predicted is not None:
            yield (
                "",
                _("Predicted score"),
                None,
                self.sheet.score.predikat,
                None,
                float(self.sheet.score.predicted),
            )
        if final:
            yield ("", _("Predikat"), None, self.evaluation.predikat, None, None)


class SheetXlsxView(SheetView):
    def get(self, request, agency, year):
        unit = selectors.agencies_for(request.scope).filter(pk=agency).first()
        if unit is None or not 2000 <= year <= 2100:
            raise Http404
        evaluation = Evaluation.objects.within(request.scope).filter(agency=unit, year=year).first()
        if evaluation is not None:
            sheet = selectors.evaluation_sheet(evaluation)
        else:
            sheet = selectors.predicted_sheet(unit, year)
        report = SheetReport(sheet, evaluation, unit, year)
        return export_response(report, filename=f"lke-{year}-{unit.code}".lower())


class StartView(_Evaluator, View):
    def post(self, request, agency, year):
        unit = selectors.agencies_for(request.scope).filter(pk=agency).first()
        if unit is None:
            raise Http404
        self.must_evaluate()
        form = StartForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a valid date."))
        else:
            try:
                services.evaluation_start(
                    actor=request.user,
                    scope=request.scope,
                    agency=unit,
                    year=year,
                    budget_approved_on=form.cleaned_data["budget_approved_on"],
                )
            except ValidationError as exc:
                _flash(request, exc)
            else:
                messages.success(request, _("The evaluation is started with the suggestions."))
        return redirect("akip:sheet", agency=unit.pk, year=year)


class RefreshView(_Evaluator, View):
    def post(self, request, pk):
        evaluation = self.evaluation(pk)
        self.must_evaluate()
        form = RefreshForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a valid date."))
        else:
            try:
                services.evaluation_refresh(
                    actor=request.user,
                    scope=request.scope,
                    evaluation=evaluation,
                    budget_approved_on=form.cleaned_data["budget_approved_on"],
                )
            except ValidationError as exc:
                _flash(request, exc)
            else:
                messages.success(request, _("The suggestions are brought up to date."))
        return redirect(evaluation.get_absolute_url())


class FinaliseView(_Evaluator, View):
    def post(self, request, pk):
        evaluation = self.evaluation(pk)
        self.must_evaluate()
        try:
            services.evaluation_finalise(
                actor=request.user, scope=request.scope, evaluation=evaluation
            )
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("The evaluation is final."))
        return redirect(evaluation.get_absolute_url())


class AnswerView(_Evaluator, View):
    template = "akip/answer.html"

    def setup_answer(self, pk, code):
        evaluation = self.evaluation(pk)
        self.must_evaluate()
        p = lke_rules.policy(evaluation.policy_version)
        criterion = p.criteria.get(code)
        if criterion is None:
            raise Http404
        answer = evaluation.answers.filter(criterion=code).first()
        return evaluation, p, criterion, answer

    def show(self, request, evaluation, p, criterion, answer, form, status=200):
        return render(
            request,
            self.template,
            {
                "evaluation": evaluation,
                "policy": p,
                "criterion": criterion,
                "answer": answer,
                "form": form,
                "scale": [(g, v, p.meanings[g]) for g, v in p.values.items()],
            },
            status=status,
        )

    def get(self, request, pk, code):
        evaluation, p, criterion, answer = self.setup_answer(pk, code)
        initial = {}
        if answer is not None:
            initial = {
                "grade": answer.grade or answer.suggested_grade,
                "evidence_note": answer.evidence_note,
                "evidence_link": answer.evidence_link,
            }
        return self.show(request, evaluation, p, criterion, answer, AnswerForm(initial=initial))

    def post(self, request, pk, code):
        evaluation, p, criterion, answer = self.setup_answer(pk, code)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.answer_set(
                    actor=request.user,
                    scope=request.scope,
                    evaluation=evaluation,
                    criterion=code,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                return redirect(f"{evaluation.get_absolute_url()}#c-{code}")
        return self.show(request, evaluation, p, criterion, answer, form, status=400)


# Recommendations ---------------------------------------------------------------------------


class RecommendationListView(_Reader, View):
    def get(self, request):
        year = request.GET.get("year", "")
        status = request.GET.get("status", "")
        recs = Recommendation.objects.within(request.scope).select_related(
            "evaluation__agency", "responsible_unit"
        )
        if year.isdigit():
            recs = recs.filter(evaluation__year=int(year))
        if status in RecommendationStatus.values:
            recs = recs.filter(status=status)
        recs = recs.order_by("status", "due_on", "pk")[:500]
        return render(
            request,
            "akip/recommendation_list.html",
            {
                "recommendations": recs,
                "year": year,
                "status": status,
                "statuses": RecommendationStatus.choices,
                "today": timezone.localdate(),
            },
        )


def _units(evaluation: Evaluation):
    return OrgUnit.objects.filter(
        instansi_id=evaluation.instansi_id, path__startswith=evaluation.agency.path
    ).order_by("sort_key")


class RecommendationAddView(_Evaluator, View):
    def form(self, evaluation, data=None):
        p = lke_rules.policy(evaluation.policy_version)
        return RecommendationForm(
            data,
            policy=p,
            units=_units(evaluation),
            initial={"responsible_unit": evaluation.agency_id},
        )

    def show(self, request, evaluation, form, status=200):
        return render(
            request,
            "akip/recommendation_form.html",
            {"evaluation": evaluation, "form": form, "recommendation": None},
            status=status,
        )

    def get(self, request, pk):
        evaluation = self.evaluation(pk)
        self.must_evaluate()
        return self.show(request, evaluation, self.form(evaluation))

    def post(self, request, pk):
        evaluation = self.evaluation(pk)
        self.must_evaluate()
        form = self.form(evaluation, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            unit = _units(evaluation).filter(pk=data["responsible_unit"]).first()
            try:
                rec = services.recommendation_add(
                    actor=request.user,
                    scope=request.scope,
                    evaluation=evaluation,
                    component=data["component"],
                    criterion=data["criterion"],
                    text=data["text"],
                    due_on=data["due_on"],
                    responsible_unit=unit,
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                return redirect(rec.get_absolute_url())
        return self.show(request, evaluation, form, status=400)


class _RecommendationPage(_Reader):
    def show(self, request, rec, form=None, status=200):
        may_follow = services.may_follow_up(request.scope, rec)
        return render(
            request,
            "akip/recommendation_detail.html",
            {
                "recommendation": rec,
                "evaluation": rec.evaluation,
                "follow_ups": rec.follow_ups.select_related("created_by"),
                "may_follow": may_follow and not rec.is_closed,
                "evaluates": evaluates(request.scope),
                "form": form or FollowUpForm(initial={"on": timezone.localdate()}),
                "criterion": lke_rules.policy(rec.evaluation.policy_version).criteria.get(
                    rec.criterion
                ),
            },
            status=status,
        )


class RecommendationDetailView(_RecommendationPage, View):
    def get(self, request, pk):
        return self.show(request, self.recommendation(pk))


class FollowUpAddView(_RecommendationPage, View):
    def post(self, request, pk):
        rec = self.recommendation(pk)
        if not services.may_follow_up(request.scope, rec):
            raise PermissionDenied
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                services.follow_up_add(
                    actor=request.user, scope=request.scope, recommendation=rec, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("The follow-up is recorded."))
                return redirect(rec.get_absolute_url())
        return self.show(request, rec, form, status=400)


class RecommendationEditView(_Evaluator, View):
    def form(self, rec, data=None):
        p = lke_rules.policy(rec.evaluation.policy_version)
        return RecommendationEditForm(
            data,
            policy=p,
            units=_units(rec.evaluation),
            initial={
                "text": rec.text,
                "due_on": rec.due_on,
                "responsible_unit": rec.responsible_unit_id,
                "status": rec.status,
                "status_note": rec.status_note,
            },
        )

    def show(self, request, rec, form, status=200):
        return render(
            request,
            "akip/recommendation_form.html",
            {"evaluation": rec.evaluation, "form": form, "recommendation": rec},
            status=status,
        )

    def get(self, request, pk):
        rec = self.recommendation(pk)
        self.must_evaluate()
        return self.show(request, rec, self.form(rec))

    def post(self, request, pk):
        rec = self.recommendation(pk)
        self.must_evaluate()
        form = self.form(rec, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["responsible_unit"] = (
                _units(rec.evaluation).filter(pk=data["responsible_unit"]).first()
            )
            try:
                services.recommendation_update(
                    actor=request.user, scope=request.scope, recommendation=rec, data=data
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                return redirect(rec.get_absolute_url())
        return self.show(request, rec, form, status=400)
