"""URLs of the quizzes app: practice, mock exam, flashcards."""

from django.urls import path

from .views import flashcards, mock, practice

urlpatterns = [
    path("practice/", practice.home, name="practice_home"),
    path("practice/start", practice.start, name="practice_start"),
    path("practice/smart", practice.start_smart, name="practice_smart"),
    path("practice/<int:attempt_id>/<int:position>/", practice.question, name="practice_question"),
    path("practice/<int:attempt_id>/summary", practice.summary, name="practice_summary"),
    path("practice/<int:attempt_id>/retry", practice.retry, name="practice_retry"),
    path("mock/", mock.home, name="mock_home"),
    path("mock/start", mock.start, name="mock_start"),
    path("mock/<int:attempt_id>/<int:position>/", mock.question, name="mock_question"),
    path("mock/<int:attempt_id>/<int:position>/flag", mock.flag, name="mock_flag"),
    path("mock/<int:attempt_id>/<int:position>/save", mock.save, name="mock_save"),
    path("mock/<int:attempt_id>/review", mock.review, name="mock_review"),
    path("mock/<int:attempt_id>/submit", mock.submit, name="mock_submit"),
    path("mock/<int:attempt_id>/result", mock.result, name="mock_result"),
    path("mock/<int:attempt_id>/practise-weakest", mock.practise_weakest, name="mock_practise_weakest"),
    path("mock/<int:attempt_id>/missed-to-review", mock.missed_to_review, name="mock_missed_to_review"),
    path("flashcards/", flashcards.home, name="flashcards_home"),
    path("flashcards/review", flashcards.review, name="flashcards_review"),
    path("flashcards/rate", flashcards.rate, name="flashcards_rate"),
    path("flashcards/undo", flashcards.undo, name="flashcards_undo"),
    path("flashcards/export", flashcards.export_deck, name="flashcards_export"),
    path("flashcards/optimize", flashcards.optimize, name="flashcards_optimize"),
    path("flashcards/bury", flashcards.hold, {"action": "bury"}, name="flashcards_bury"),
    path("flashcards/suspend", flashcards.hold, {"action": "suspend"}, name="flashcards_suspend"),
    path("flashcards/unsuspend", flashcards.hold, {"action": "unsuspend"}, name="flashcards_unsuspend"),
    path("flashcards/suspended/", flashcards.suspended, name="flashcards_suspended"),
    path("flashcards/settings", flashcards.settings_update, name="flashcards_settings"),
]
