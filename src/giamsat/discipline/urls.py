from django.urls import path

from giamsat.discipline import views as v
from giamsat.oversight.views import figure

app_name = "discipline"

urlpatterns = [
    path("", v.case_list, name="list"),
    path("new/", v.case_new, name="case_new"),
    path("authority/", v.authority_matrix, name="authority"),
    path("figures/<str:code>/", figure, name="figure"),
    path("people/<int:pk>/", v.person_history, name="person_history"),
    path("<int:pk>/", v.case_detail, name="case"),
    path("<int:pk>/violations/", v.violation_add, name="violation_add"),
    path("<int:pk>/deferrals/", v.deferral_add, name="deferral_add"),
    path("<int:pk>/deferrals/<int:deferral_pk>/end/", v.deferral_end, name="deferral_end"),
    path("<int:pk>/ballots/", v.ballot_add, name="ballot_add"),
    path("<int:pk>/decision/", v.decision_add, name="decision_add"),
    path("<int:pk>/complaints/", v.appeal_add, name="appeal_add"),
    path("<int:pk>/complaints/<int:appeal_pk>/answer/", v.appeal_resolve, name="appeal_resolve"),
    path("<int:pk>/rehabilitation/", v.rehabilitation_add, name="rehabilitation_add"),
    path("<int:pk>/close/", v.case_close, name="close"),
]
