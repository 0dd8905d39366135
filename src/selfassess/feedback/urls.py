from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("councils/<slug:slug>/assessments/<int:pk>/feedback/", views.rounds, name="rounds"),
    path("councils/<slug:slug>/assessments/<int:pk>/feedback/new/", views.round_new, name="new"),
    path(
        "councils/<slug:slug>/assessments/<int:pk>/feedback/<int:round_id>/",
        views.round_detail,
        name="round",
    ),
    path(
        "councils/<slug:slug>/assessments/<int:pk>/feedback/<int:round_id>/send/",
        views.round_send,
        name="send",
    ),
    path(
        "councils/<slug:slug>/assessments/<int:pk>/feedback/<int:round_id>/close/",
        views.round_close,
        name="close",
    ),
    path(
        "councils/<slug:slug>/assessments/<int:pk>/feedback/<int:round_id>/results/",
        views.round_results,
        name="results",
    ),
    path("survey/done/", views.survey_done, name="done"),
    path("survey/shared/<uuid:public_id>/", views.survey_shared, name="shared"),
    path("survey/<str:token>/", views.survey_start, name="start"),
    path("survey/<str:token>/page/<int:page>/", views.survey_page, name="page"),
    path("survey/<str:token>/check/", views.survey_check, name="check"),
]
