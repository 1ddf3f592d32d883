from django.urls import path

from giamsat.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.home, name="home"),
    path("changes/", views.changes, name="changes"),
    path("export/", views.export, name="export"),
]
