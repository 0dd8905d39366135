from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("new/", views.start, name="start"),
    path("compare/", views.compare_view, name="compare"),
    path("trend.svg", views.trend_chart, name="trend_chart"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/principles/<int:number>/", views.principle, name="principle"),
    path("<int:pk>/statements/<ref:ref>/history/", views.history, name="history"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/summary/chart.svg", views.summary_chart, name="summary_chart"),
]
