"""The SQL workbench pages: run a query, reset, exercises."""

from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from studyapp import throttle

from . import database, exercises, runner, slots
from .models import Exercise, ExerciseCompletion

MAX_SQL_CHARS = 20_000
THROTTLED = "You have run many queries in the last minute; wait a moment and run it again."
EXAMPLE = "SELECT customerid, fullname\nFROM customers\nWHERE fullname LIKE 'J%'\nORDER BY fullname;"


def _throttled() -> runner.Result:
    return runner.Result(error=THROTTLED)


def schema_key(user_id: int) -> str:
    """Where the learner's sidebar schema is kept, for the current state of their database file."""
    return f"workbench-schema:{int(user_id)}:{database.state(user_id)}"


def _schema(user_id: int) -> list[dict]:
    """The sidebar's tables. Reading them starts a DuckDB child process, so the answer is cached per learner
    under the state of their database file: any write (a query creating a table, a reset) changes the key. The
    cache is the shared one, so each web worker process does not start its own DuckDB for the same answer."""
    path = database.learner_database(user_id)
    key = schema_key(user_id)
    cache = caches["shared"]
    cached = cache.get(key)
    if cached is None:
        result = runner.run(path, database.SCHEMA_SQL, row_limit=5000)
        cached = database.schema(result.rows) if result.ok else []
        if result.ok:
            cache.set(key, cached, timeout=3600)
    return cached


def _run_for(user, sql: str) -> runner.Result:
    if len(sql) > MAX_SQL_CHARS:
        return runner.Result(error=f"That is more than {MAX_SQL_CHARS:,} characters of SQL; run it in smaller parts.")
    try:
        with slots.claim(user.id):
            result = runner.run(database.learner_database(user.id), sql)
    except slots.Busy as busy:
        return runner.Result(error=str(busy))
    if database.oversized(user.id):
        database.reset(user.id)
        result.message = "Your tables grew beyond the workbench's size limit, so your copy of the data was reset."
    return result


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    sql = request.GET.get("q", "")[:MAX_SQL_CHARS] or EXAMPLE
    done = set(ExerciseCompletion.objects.filter(user=request.user).values_list("exercise_id", flat=True))
    items = [{"exercise": e, "done": e.id in done} for e in Exercise.objects.filter(retired=False).only("slug", "title")]
    context = {"sql": sql, "schema": _schema(request.user.id), "exercises": items, "result": None}
    return render(request, "workbench/home.html", context)


@login_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    sql = request.POST.get("sql", "")
    result = _throttled() if throttle.exceeded(request, "sql_run") else _run_for(request.user, sql)
    if request.headers.get("HX-Request"):
        return render(request, "workbench/_result.html", {"result": result})
    context = {"sql": sql, "schema": _schema(request.user.id), "exercises": [], "result": result}
    return render(request, "workbench/home.html", context)


@login_required
@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    database.reset(request.user.id)
    return redirect("workbench_home")


@login_required
@require_GET
def exercise(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Exercise, slug=slug, retired=False)
    completion = ExerciseCompletion.objects.filter(user=request.user, exercise=item).first()
    context = {"exercise": item, "completion": completion, "sql": completion.sql if completion else "", "schema": _schema(request.user.id)}
    return render(request, "workbench/exercise.html", context)


@login_required
@require_POST
def check(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Exercise, slug=slug, retired=False)
    sql = request.POST.get("sql", "")[:MAX_SQL_CHARS]
    if throttle.exceeded(request, "sql_run"):
        verdict = exercises.Verdict(correct=False, message=THROTTLED, missing=[], extra=[], result=_throttled())
    else:
        try:
            with slots.claim(request.user.id):
                verdict = exercises.check(sql, item.reference_sql, item.ordered)
        except slots.Busy as busy:
            verdict = exercises.Verdict(correct=False, message=str(busy), missing=[], extra=[], result=runner.Result(error=str(busy)))
    if verdict.correct:
        ExerciseCompletion.objects.update_or_create(user=request.user, exercise=item, defaults={"completed_at": timezone.now(), "sql": sql})
    context = {"verdict": verdict, "result": verdict.result}
    if request.headers.get("HX-Request"):
        return render(request, "workbench/_verdict.html", context)
    return render(request, "workbench/exercise.html", {**context, "exercise": item, "sql": sql, "schema": _schema(request.user.id)})
