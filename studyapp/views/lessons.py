"""The lesson reader: module list, lesson page, completion, search."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from quizzes.practice import lesson_question_count

from .. import progress, search
from ..exam_guide import TASKS_BY_ID
from ..models import Lesson, Module

SEARCH_LESSONS_PER_PAGE = 10


@login_required
@require_GET
def module_list(request: HttpRequest) -> HttpResponse:
    # The outline needs titles and links, not each lesson's rendered HTML.
    modules = Module.objects.filter(retired=False).prefetch_related(Prefetch("lessons", queryset=Lesson.objects.defer("html", "toc")))
    done = progress.completed_lesson_ids(request.user)
    outline = []
    for module in modules:
        lessons = [lesson for lesson in module.lessons.all() if not lesson.retired]
        outline.append({
            "module": module,
            "lessons": [{"lesson": lesson, "done": lesson.id in done} for lesson in lessons],
            "done": sum(lesson.id in done for lesson in lessons),
            "total": len(lessons),
        })
    return render(request, "studyapp/module_list.html", {"outline": outline})


@login_required
@require_GET
def lesson_detail(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = get_object_or_404(Lesson.objects.select_related("module"), slug=f"{module_slug}/{lesson_slug}", retired=False)
    previous, following = progress.neighbours(lesson)
    context = {
        "lesson": lesson,
        "tasks": [TASKS_BY_ID[task] for task in lesson.tasks if task in TASKS_BY_ID],
        "done": progress.is_completed(request.user, lesson),
        "previous": previous,
        "next": following,
        "practice_questions": lesson_question_count(lesson.slug),
    }
    return render(request, "studyapp/lesson_detail.html", context)


@login_required
@require_POST
def lesson_complete(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = get_object_or_404(Lesson, slug=f"{module_slug}/{lesson_slug}", retired=False)
    if request.POST.get("done") == "0":
        progress.mark_incomplete(request.user, lesson)
    else:
        progress.mark_complete(request.user, lesson)
    return redirect("lesson", module_slug=module_slug, lesson_slug=lesson_slug)


@login_required
@require_GET
def lesson_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    hits = search.search_lessons(query) if query else []
    groups = Paginator(search.group_by_lesson(hits), SEARCH_LESSONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "studyapp/search.html", {"query": query, "hits": hits, "groups": groups})
