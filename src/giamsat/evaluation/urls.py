from django.urls import path

from giamsat.evaluation import views as v

app_name = "evaluation"

urlpatterns = [
    path("", v.home, name="home"),
    path("campaigns/new/", v.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", v.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/status/", v.campaign_status, name="campaign_status"),
    path("campaigns/<int:pk>/outstanding/", v.outstanding_add, name="outstanding_add"),
    path("campaigns/<int:pk>/sessions/new/", v.session_new, name="session_new"),
    path("campaigns/<int:pk>/units/<int:unit_pk>/", v.campaign_unit, name="campaign_unit"),
    path(
        "campaigns/<int:pk>/units/<int:unit_pk>/batch/",
        v.campaign_unit_batch,
        name="campaign_unit_batch",
    ),
    path("subjects/<int:pk>/", v.evaluation_detail, name="evaluation"),
    path("subjects/<int:pk>/self-assessment/", v.self_assessment, name="self_assessment"),
    path("subjects/<int:pk>/proposal/", v.proposal, name="proposal"),
    path("subjects/<int:pk>/decision/", v.decision, name="decision"),
    path("subjects/<int:pk>/commitment/", v.commitment, name="commitment"),
    path("sessions/<int:pk>/", v.session_detail, name="session"),
    path("sessions/<int:pk>/points/", v.point_add, name="point_add"),
    path("figures/", v.figures, name="figures"),
    path("figures/<str:code>/", v.figure, name="figure"),
    path("rules/", v.rule_sets, name="rules"),
]
