from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Self-Assess administration"
# The Django admin signs in through allauth too, so its two-factor step and rate limits
# apply; its own password-only login form is never shown.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("selfassess.core.urls")),
    path("", include("selfassess.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("councils/", include("selfassess.councils.urls")),
    path("councils/<slug:slug>/assessments/", include("selfassess.assessments.urls")),
    path("councils/<slug:slug>/assessments/<int:pk>/plan/", include("selfassess.plans.urls")),
    path("councils/<slug:slug>/assessments/<int:pk>/report/", include("selfassess.reports.urls")),
    path("", include("selfassess.feedback.urls")),
    path("admin/", admin.site.urls),
]
