from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from .views import accounts, data, lessons, pages, progress, start

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"

urlpatterns = [
    path("", pages.landing, name="landing"),
    path("healthz", pages.healthz, name="healthz"),
    # Accounts
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/delete/", data.delete, name="account_delete"),
    # Progress and the learner's data
    path("start/", start.first_steps, name="first_steps"),
    path("progress/", progress.home, name="progress_home"),
    path("progress/exam-date", progress.set_exam_date, name="progress_exam_date"),
    path("progress/export.json", data.export, name="data_export"),
    path("progress/import", data.import_, name="data_import"),
    # Lessons
    path("lessons/", lessons.module_list, name="lessons"),
    path("lessons/search/", lessons.lesson_search, name="lesson_search"),
    re_path(rf"^lessons/(?P<module_slug>{SLUG})/(?P<lesson_slug>{SLUG})/$", lessons.lesson_detail, name="lesson"),
    re_path(rf"^lessons/(?P<module_slug>{SLUG})/(?P<lesson_slug>{SLUG})/complete$", lessons.lesson_complete, name="lesson_complete"),
    path("", include("quizzes.urls")),
    path("labs/", include("labs.urls")),
    path("sql/", include("workbench.urls")),
]
