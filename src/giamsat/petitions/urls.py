from django.urls import path

from giamsat.petitions import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.intake, name="intake"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/classify/", views.classify, name="classify"),
    path("<int:pk>/split/", views.split, name="split"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/suspend/", views.suspend, name="suspend"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/hot-spot/", views.mark_hot_spot, name="hot_spot"),
    path("<int:pk>/subjects/", views.subject_search, name="subject_search"),
    path("<int:pk>/identity/request/", views.request_grant, name="request_grant"),
    path("<int:pk>/identity/", views.reveal, name="reveal"),
    path("identity/grants/", views.grants, name="grants"),
    path("identity/grants/<int:pk>/decide/", views.decide_grant, name="decide_grant"),
    path("identity/grants/<int:pk>/revoke/", views.revoke_grant, name="revoke_grant"),
    path("identity/log/", views.reveal_log, name="reveal_log"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/flag/", views.alert_flag, name="alert_flag"),
    path("alerts/<int:pk>/close/", views.alert_close, name="alert_close"),
]
