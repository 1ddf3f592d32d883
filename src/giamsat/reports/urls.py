from django.urls import path

from giamsat.reports.views import practice_views, report_views, synthesis_views

app_name = "reports"

urlpatterns = [
    path("", report_views.report_list, name="list"),
    path("new/", report_views.create, name="create"),
    path("completeness/", report_views.completeness_view, name="completeness"),
    path("synthesis/", synthesis_views.synthesis, name="synthesis"),
    path("practices/", practice_views.practice_list, name="practices"),
    path("practices/new/", practice_views.practice_create, name="practice_create"),
    path("practices/<int:pk>/", practice_views.practice_detail, name="practice"),
    path("recommendations/", practice_views.recommendation_list, name="recommendations"),
    path(
        "recommendations/new/", practice_views.recommendation_create, name="recommendation_create"
    ),
    path(
        "recommendations/<int:pk>/",
        practice_views.recommendation_detail,
        name="recommendation",
    ),
    path("<int:pk>/", report_views.detail, name="detail"),
    path("<int:pk>/edit/", report_views.edit, name="edit"),
    path("<int:pk>/figures/", report_views.typed_figures, name="typed_figures"),
    path("<int:pk>/action/<str:name>/", report_views.action, name="action"),
    path("<int:pk>/figure/<str:code>/", report_views.figure, name="figure"),
    path("<int:pk>/compare/", report_views.compare, name="compare"),
    path("<int:pk>/consistency/", report_views.consistency_view, name="consistency"),
    path("<int:pk>/download.<str:fmt>", report_views.download, name="download"),
]
