from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("your-work/", views.your_work, name="your_work"),
    path("account/your-data.json", views.personal_data, name="personal_data"),
    path("councils/<slug:slug>/", views.council, name="council"),
    path("councils/<slug:slug>/review-date/", views.review_date, name="review_date"),
    path("councils/<slug:slug>/assessments/new/", views.start, name="start"),
    path("councils/<slug:slug>/assessments/compare/", views.compare_view, name="compare"),
    path("councils/<slug:slug>/assessments/trend.svg", views.trend_chart, name="trend_chart"),
    path("councils/<slug:slug>/assessments/<int:pk>/", views.assessment, name="assessment"),
    path("councils/<slug:slug>/assessments/<int:pk>/summary/", views.summary, name="summary"),
    path(
        "councils/<slug:slug>/assessments/<int:pk>/summary/chart.svg",
        views.summary_chart,
        name="summary_chart",
    ),
]
