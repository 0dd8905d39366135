from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report, name="report"),
    path("download/<slug:fmt>/", views.download, name="download"),
]
