from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report, name="report"),
    path("covering/", views.covering, name="covering"),
    path("covering/history/", views.covering_history, name="covering_history"),
    path("download/<slug:fmt>/", views.download, name="download"),
]
