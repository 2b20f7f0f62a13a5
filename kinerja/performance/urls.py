from django.urls import path

from . import views
from .views import actions as action_views
from .views import agreement_units, documents, evaluation, exports, workspace
from .views import collaboration as collab
from .views import consequences as consequence_views
from .views import evaluation_documents as evaluation_docs
from .views import evaluation_wire as wire
from .views import finder as finder_views
from .views import realisations as realisation_views
from .views import skp as skp_views
from .views import skp_extra as skp_extra_views

app_name = "performance"
urlpatterns = [
    path("goals/", views.GoalTreeView.as_view(), name="goal_tree"),
    path("goals/add/", views.GoalCreateView.as_view(), name="goal_create"),
    path("goals/<int:pk>/add/", views.GoalCreateView.as_view(), name="goal_add_child"),
    path("goals/<int:pk>/edit/", views.GoalUpdateView.as_view(), name="goal_update"),
    path(
        "goals/<int:pk>/indicators/add/",
        views.IndicatorCreateView.as_view(),
        name="indicator_create",
    ),
    path("indicators/<int:pk>/edit/", views.IndicatorUpdateView.as_view(), name="indicator_update"),
    path(
        "indicators/<int:pk>/targets/<int:year>/",
        views.TargetEditView.as_view(),
        name="target_edit",
    ),
    path("indicators/similar/", views.IndicatorSimilarView.as_view(), name="indicator_similar"),
    path("indicators/library/", views.TemplateListView.as_view(), name="template_list"),
    path("indicators/library/lookup/", views.TemplateLookupView.as_view(), name="template_lookup"),
    path("indicators/library/add/", views.TemplateCreateView.as_view(), name="template_create"),
    path(
        "indicators/library/<int:pk>/edit/",
        views.TemplateUpdateView.as_view(),
        name="template_update",
    ),
    path("key-sets/", views.KeySetListView.as_view(), name="key_set_list"),
    path(
        "key-sets/<int:pk>/indicators/add/",
        views.KeySetIndicatorView.as_view(),
        name="key_set_add",
    ),
    path(
        "key-sets/<int:pk>/indicators/remove/",
        views.KeySetIndicatorView.as_view(remove=True),
        name="key_set_remove",
    ),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/add/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path(
        "agreements/units/lookup/",
        agreement_units.AgreementUnitLookupView.as_view(),
        name="agreement_unit_lookup",
    ),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementUpdateView.as_view(), name="agreement_update"),
    path("agreements/<int:pk>/pdf/", documents.AgreementPdfView.as_view(), name="agreement_pdf"),
    path(
        "agreements/<int:pk>/<slug:step>/",
        views.AgreementStepView.as_view(),
        name="agreement_step",
    ),
    path("action-plans/<int:pk>/", action_views.ActionPlanView.as_view(), name="action_plan"),
    path(
        "action-plans/<int:pk>/export/",
        action_views.ActionPlanExportView.as_view(),
        name="action_plan_export",
    ),
    path(
        "action-plans/targets/<int:pk>/add/",
        action_views.ActionCreateView.as_view(),
        name="action_create",
    ),
    path("actions/<int:pk>/edit/", action_views.ActionUpdateView.as_view(), name="action_update"),
    path(
        "actions/<int:pk>/progress/",
        action_views.ActionProgressView.as_view(),
        name="action_progress",
    ),
    path("goals/export/", exports.GoalExportView.as_view(), name="goal_export"),
    path("indicators/export/", exports.IndicatorExportView.as_view(), name="indicator_export"),
    path("targets/export/", exports.TargetExportView.as_view(), name="target_export"),
    path(
        "indicators/library/export/",
        exports.TemplateExportView.as_view(),
        name="template_export",
    ),
    path("agreements/export/", exports.AgreementExportView.as_view(), name="agreement_export"),
    path("tpp/export/", consequence_views.TppExportView.as_view(), name="tpp_export"),
    path("collaborations/", collab.CollaborationListView.as_view(), name="collaboration_list"),
    path(
        "collaborations/add/",
        collab.CollaborationCreateView.as_view(),
        name="collaboration_create",
    ),
    path(
        "collaborations/<int:pk>/",
        collab.CollaborationDetailView.as_view(),
        name="collaboration_detail",
    ),
    path(
        "collaborations/<int:pk>/invite/",
        collab.CollaborationInviteView.as_view(),
        name="collaboration_invite",
    ),
    path(
        "collaborations/<int:pk>/weights/",
        collab.CollaborationWeightsView.as_view(),
        name="collaboration_weights",
    ),
    path(
        "collaborations/<int:pk>/matrix/",
        collab.CollaborationMatrixView.as_view(),
        name="collaboration_matrix",
    ),
    path(
        "collaborations/<int:pk>/members/<int:member>/<slug:answer>/",
        collab.CollaborationAnswerView.as_view(),
        name="collaboration_answer",
    ),
    path("collaboration-finder/", finder_views.FinderListView.as_view(), name="finder_list"),
    path("collaboration-finder/run/", finder_views.FinderRunView.as_view(), name="finder_run"),
    path(
        "collaboration-finder/<int:pk>/",
        finder_views.FinderDetailView.as_view(),
        name="finder_detail",
    ),
    path("mine/", workspace.MyPlanView.as_view(), name="workspace_plan"),
    path("team/", workspace.MyTeamView.as_view(), name="workspace_team"),
    path(
        "team/matrix/export/",
        workspace.TeamMatrixExportView.as_view(),
        name="workspace_team_matrix_export",
    ),
    path(
        "team/plans/<int:pk>/approve/",
        workspace.TeamPlanApproveView.as_view(),
        name="workspace_plan_approve",
    ),
    path(
        "team/realisations/<int:pk>/<slug:step>/",
        workspace.TeamRealisationStepView.as_view(),
        name="workspace_realisation_step",
    ),
    path("agency/", workspace.MyAgencyView.as_view(), name="workspace_agency"),
    path("cascade/", workspace.CascadeView.as_view(), name="workspace_cascade"),
    path(
        "cascade/goals/<int:pk>/",
        workspace.CascadeGoalView.as_view(),
        name="workspace_cascade_goal",
    ),
    path(
        "cascade/results/<int:pk>/",
        workspace.CascadeResultView.as_view(),
        name="workspace_cascade_result",
    ),
    path("evaluations/mine/", evaluation.MyEvaluationView.as_view(), name="evaluation_mine"),
    path(
        "evaluations/mine/export/",
        evaluation.MyEvaluationExportView.as_view(),
        name="evaluation_mine_export",
    ),
    path("evaluations/team/", evaluation.TeamEvaluationView.as_view(), name="evaluation_team"),
    path(
        "evaluations/team/export/",
        evaluation.TeamEvaluationExportView.as_view(),
        name="evaluation_team_export",
    ),
    path(
        "evaluations/plans/<int:pk>/open/",
        evaluation.EvaluationOpenView.as_view(),
        name="evaluation_open",
    ),
    path(
        "evaluations/overrides/",
        evaluation.EvaluationOverrideView.as_view(),
        name="evaluation_overrides",
    ),
    path(
        "evaluations/overrides/export/",
        evaluation.EvaluationOverrideExportView.as_view(),
        name="evaluation_overrides_export",
    ),
    path(
        "evaluations/<int:pk>/", evaluation.EvaluationDetailView.as_view(), name="evaluation_detail"
    ),
    path(
        "evaluations/<int:pk>/rate/",
        evaluation.EvaluationStepView.as_view(step="rate"),
        name="evaluation_rate",
    ),
    path(
        "evaluations/<int:pk>/behaviour/",
        evaluation.EvaluationStepView.as_view(step="behaviour"),
        name="evaluation_behaviour",
    ),
    path(
        "evaluations/<int:pk>/feedback/",
        evaluation.EvaluationStepView.as_view(step="feedback"),
        name="evaluation_feedback",
    ),
    path(
        "evaluations/<int:pk>/finalise/",
        evaluation.EvaluationStepView.as_view(step="finalise"),
        name="evaluation_finalise",
    ),
    path("evaluations/<int:pk>/object/", wire.ObjectionFileView.as_view(), name="objection_file"),
    path(
        "evaluations/<int:pk>/reopen/",
        wire.EvaluationReopenView.as_view(),
        name="evaluation_reopen",
    ),
    path(
        "evaluations/objections/",
        wire.ObjectionDecideListView.as_view(),
        name="objection_decide_list",
    ),
    path(
        "evaluations/objections/export/",
        wire.ObjectionExportView.as_view(),
        name="objection_export",
    ),
    path(
        "evaluations/objections/<int:pk>/decide/",
        wire.ObjectionDecideView.as_view(),
        name="objection_decide",
    ),
    path("evaluations/units/", wire.UnitPredikatListView.as_view(), name="unit_predikat_list"),
    path(
        "evaluations/units/export/",
        wire.UnitPredikatExportView.as_view(),
        name="unit_predikat_export",
    ),
    path("evaluations/units/open/", wire.UnitPredikatOpenView.as_view(), name="unit_predikat_open"),
    path(
        "evaluations/units/<int:pk>/",
        wire.UnitPredikatDetailView.as_view(),
        name="unit_predikat_detail",
    ),
    path(
        "evaluations/units/<int:pk>/recommend/",
        wire.UnitPredikatStepView.as_view(step="recommend"),
        name="unit_predikat_recommend",
    ),
    path(
        "evaluations/units/<int:pk>/set/",
        wire.UnitPredikatStepView.as_view(step="set"),
        name="unit_predikat_set",
    ),
    path(
        "evaluations/units/<int:pk>/finalise/",
        wire.UnitPredikatStepView.as_view(step="finalise"),
        name="unit_predikat_finalise",
    ),
    path("skp/", skp_views.PlanListView.as_view(), name="plan_list"),
    path("skp/add/", skp_views.PlanCreateView.as_view(), name="plan_create"),
    path("skp/<int:pk>/", skp_views.PlanDetailView.as_view(), name="plan_detail"),
    path("skp/<int:pk>/edit/", skp_views.PlanUpdateView.as_view(), name="plan_update"),
    path(
        "skp/<int:pk>/results/add/",
        skp_views.PlanResultCreateView.as_view(),
        name="plan_result_add",
    ),
    path(
        "skp/results/<int:pk>/indicators/add/",
        skp_views.PlanIndicatorCreateView.as_view(),
        name="plan_indicator_add",
    ),
    path("skp/<int:pk>/behaviours/", skp_views.PlanBehaviourView.as_view(), name="plan_behaviours"),
    path("skp/<int:pk>/pdf/", skp_extra_views.PlanPdfView.as_view(), name="plan_pdf"),
    path("skp/<int:pk>/ekinerja/", skp_extra_views.PlanExportView.as_view(), name="plan_export"),
    path(
        "evaluations/<int:pk>/pdf/",
        evaluation_docs.EvaluationPdfView.as_view(),
        name="evaluation_pdf",
    ),
    path(
        "evaluations/<int:pk>/document/pdf/",
        evaluation_docs.EvaluationPdfView.as_view(kind="evaluation_document"),
        name="evaluation_document_pdf",
    ),
    path(
        "unit-predikat/<int:pk>/pdf/",
        evaluation_docs.UnitPredikatPdfView.as_view(),
        name="unit_predikat_pdf",
    ),
    path(
        "skp/results/<int:pk>/cascade/",
        skp_extra_views.PlanCascadeView.as_view(),
        name="plan_cascade",
    ),
    path(
        "skp/results/<int:pk>/tree/",
        skp_extra_views.PlanResultTreeView.as_view(),
        name="plan_result_tree",
    ),
    path(
        "skp/results/<int:pk>/dialogue/",
        skp_extra_views.PlanDialogueView.as_view(),
        name="plan_dialogue",
    ),
    path(
        "skp/results/<int:pk>/work-log/",
        skp_extra_views.PlanWorkLogView.as_view(),
        name="plan_work_log",
    ),
    path(
        "skp/work-log-setting/<int:pk>/",
        skp_extra_views.WorkLogSettingView.as_view(),
        name="work_log_setting",
    ),
    path("skp/<int:pk>/<slug:step>/", skp_views.PlanStepView.as_view(), name="plan_step"),
    path("periods/", views.PeriodListView.as_view(), name="period_list"),
    path("periods/<int:pk>/", views.PeriodDetailView.as_view(), name="period_detail"),
    path(
        "periods/<int:pk>/late-entry/",
        views.LateEntryCreateView.as_view(),
        name="late_entry_create",
    ),
    path(
        "sub-periods/<int:pk>/status/",
        views.SubPeriodStatusView.as_view(),
        name="sub_period_status",
    ),
    path(
        "realisations/target/<int:pk>/",
        realisation_views.RealisationEntryView.as_view(),
        name="realisation_entry",
    ),
    path(
        "realisations/target/<int:pk>/<int:sub_period>/",
        realisation_views.RealisationEntryRowView.as_view(),
        name="realisation_entry_row",
    ),
    path(
        "realisations/<int:pk>/",
        realisation_views.RealisationDetailView.as_view(),
        name="realisation_detail",
    ),
    path(
        "realisations/<int:pk>/evidence/",
        realisation_views.RealisationEvidenceView.as_view(),
        name="realisation_evidence",
    ),
    path(
        "realisations/<int:pk>/<slug:step>/",
        realisation_views.RealisationStepView.as_view(),
        name="realisation_step",
    ),
    path(
        "realisations/export/",
        realisation_views.RealisationExportView.as_view(),
        name="realisation_export",
    ),
    path(
        "realisations/verify/",
        realisation_views.VerificationQueueView.as_view(),
        name="realisation_verify_queue",
    ),
    path(
        "realisations/evidence/<int:pk>/download/",
        realisation_views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
]
