from django.urls import path

from . import views

app_name = "background"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("tasks/<int:pk>/retry/", views.retry_task, name="retry_task"),
    path("emails/<int:pk>/retry/", views.retry_email, name="retry_email"),
]
