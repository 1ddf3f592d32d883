from django.urls import path

from giamsat.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.home, name="home"),
    path("upload/", views.upload, name="upload"),
    path("mappings/", views.mappings, name="mappings"),
    path("template/<str:kind>/", views.template, name="template"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/columns/", views.mapping, name="mapping"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/missing/", views.resolve, name="resolve"),
    path("<int:pk>/rejected.xlsx", views.rejected_rows, name="rejected"),
]
