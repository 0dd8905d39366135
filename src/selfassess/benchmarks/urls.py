from django.urls import path

from . import views

app_name = "benchmarks"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:snapshot_id>/", views.snapshot, name="snapshot"),
    path("<int:snapshot_id>/download/<str:fmt>/", views.download, name="download"),
]
