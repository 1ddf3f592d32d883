from django.urls import path

from giamsat.oversight import followup_views as fv
from giamsat.oversight import views as v

app_name = "oversight"

urlpatterns = [
    path("", v.home, name="home"),
    path("figures/<str:code>/", v.figure, name="figure"),
    path("cases/", v.case_list, name="cases"),
    path("cases/new/", v.case_new, name="case_new"),
    path("cases/<int:pk>/", v.case_detail, name="case"),
    path("cases/<int:pk>/edit/", v.case_edit, name="case_edit"),
    path("cases/<int:pk>/subjects/", v.case_subject_add, name="case_subject_add"),
    path("cases/<int:pk>/team/", v.case_team_add, name="case_team_add"),
    path("cases/<int:pk>/steps/", v.case_step_add, name="case_step_add"),
    path("cases/<int:pk>/findings/", v.case_finding_add, name="case_finding_add"),
    path("cases/<int:pk>/conclude/", v.case_conclude, name="case_conclude"),
    path("cases/<int:pk>/cancel/", v.case_cancel, name="case_cancel"),
    path("programmes/", v.programme_list, name="programmes"),
    path("programmes/<int:pk>/", v.programme_detail, name="programme"),
    path("supervision/", v.activity_list, name="activities"),
    path("catalogues/", v.catalogue_list, name="catalogues"),
    path("catalogues/<slug:code>/", v.catalogue_detail, name="catalogue"),
    path("catalogues/items/<int:pk>/edit/", v.catalogue_item_edit, name="catalogue_item_edit"),
    path("criticisms/", fv.criticism_list, name="criticisms"),
    path("criticisms/new/", fv.criticism_new, name="criticism_new"),
    path("criticisms/<int:pk>/", fv.criticism_detail, name="criticism"),
    path("commitments/", fv.commitment_list, name="commitments"),
    path("commitments/new/", fv.commitment_new, name="commitment_new"),
    path("commitments/<int:pk>/", fv.commitment_detail, name="commitment"),
    path("commitments/<int:pk>/items/", fv.commitment_item_add, name="commitment_item_add"),
    path(
        "commitments/<int:pk>/items/<int:item_pk>/close/",
        fv.commitment_item_close,
        name="commitment_item_close",
    ),
    path("commitments/<int:pk>/follow-ups/", fv.commitment_follow_up, name="commitment_follow_up"),
    path("subjects/unit/<int:pk>/", fv.subject_unit, name="subject_unit"),
    path("subjects/person/<int:pk>/", fv.subject_person, name="subject_person"),
]
