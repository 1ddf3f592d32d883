from django.urls import path

from giamsat.study import views

app_name = "study"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("rates.xlsx", views.export_rates, name="export_rates"),
    path("new/", views.session_create, name="create"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/delete/", views.session_delete, name="delete"),
    path("<int:pk>/makeup/", views.makeup_create, name="makeup"),
    path("<int:pk>/mark/", views.mark, name="mark"),
    path("<int:pk>/mark-pending/", views.mark_pending, name="mark_pending"),
    path("<int:pk>/refresh/", views.refresh_list, name="refresh"),
    path("<int:pk>/add/", views.add_people, name="add_people"),
    path("<int:pk>/remove/<int:person_id>/", views.remove_person, name="remove_person"),
    path("<int:pk>/template.xlsx", views.template, name="template"),
    path("<int:pk>/attendance.xlsx", views.export, name="export"),
    path("<int:pk>/import/", views.import_form, name="import"),
    path("<int:pk>/import/<str:token>/run/", views.import_run, name="import_run"),
    path("<int:pk>/import/<str:token>/progress/", views.import_progress, name="import_progress"),
]
