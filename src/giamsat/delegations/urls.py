from django.urls import path

from giamsat.delegations import views

app_name = "delegations"

urlpatterns = [
    path("", views.delegation_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/targets/", views.target_add, name="target_add"),
    path("<int:pk>/targets/<int:target_pk>/remove/", views.target_remove, name="target_remove"),
    path("<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("<int:pk>/sessions/<int:session_pk>/", views.session, name="session"),
    path("<int:pk>/sessions/<int:session_pk>/news/", views.news_create, name="news_create"),
    path("<int:pk>/news/<int:news_pk>/", views.news, name="news"),
    path("<int:pk>/requests/new/", views.request_create, name="request_create"),
    path("<int:pk>/requests/<int:request_pk>/answer/", views.request_answer, name="request_answer"),
    path("<int:pk>/conclusion/", views.conclusion, name="conclusion"),
    path("<int:pk>/summary/", views.summary, name="summary"),
]
