from django.urls import path

from giamsat.units import views

app_name = "units"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/reorganise/<slug:kind>/", views.reorganise, name="reorganise"),
]
