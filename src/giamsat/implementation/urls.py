from django.urls import path

from giamsat.implementation import views

app_name = "implementation"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:pk>/", views.dashboard, name="dashboard"),
    path("units/<int:pk>/matrix/", views.matrix, name="matrix"),
    path("units/<int:pk>/overdue/", views.overdue, name="overdue"),
    path("units/<int:pk>/figures/<str:code>/", views.figure, name="figure"),
    path("units/<int:pk>/key-tasks/", views.key_tasks, name="key_tasks"),
    path("assignments/", views.assignment_list, name="assignments"),
    path("assignments/new/", views.assignment_new, name="assignment_new"),
    path("assignments/new/units/", views.assignment_candidates, name="assignment_candidates"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/responsible/", views.record_responsible, name="record_responsible"),
    path("records/<int:pk>/remind/", views.record_remind, name="record_remind"),
    path("items/<int:pk>/", views.fulfilment, name="fulfilment"),
    path("key-tasks/new/", views.key_task_new, name="key_task_new"),
    path("key-tasks/<int:pk>/", views.key_task_detail, name="key_task"),
    path("key-tasks/<int:pk>/edit/", views.key_task_edit, name="key_task_edit"),
]
