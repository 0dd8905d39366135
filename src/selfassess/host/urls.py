from django.urls import path

from . import views

app_name = "host"

urlpatterns = [
    path("", views.console, name="console"),
    path("councils/new/", views.new_council, name="new_council"),
    path("councils/<int:council_id>/", views.edit_council, name="edit_council"),
    path("benchmarks/publish/", views.publish, name="publish"),
]
