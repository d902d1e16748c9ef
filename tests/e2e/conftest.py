from quizzes.tests.conftest import bank_dir, loaded_bank, short_exam  # noqa: F401 (fixtures shared with the quiz tests)
