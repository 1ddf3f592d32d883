from django.urls import path

from giamsat.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("files/<int:pk>/", views.download, name="download"),
]
