"""The lesson reader: module list, lesson page, completion, search."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from .. import lookups, progress, search
from .. import outline as course_outline
from ..exam_guide import TASKS_BY_ID
from ..models import Lesson

SEARCH_LESSONS_PER_PAGE = 10


@login_required
@require_GET
def module_list(request: HttpRequest) -> HttpResponse:
    # The outline is the same for everyone (kept per process); only the ticks are the learner's.
    done = progress.completed_lesson_ids(request.user)
    outline = []
    for module in course_outline.current().modules:
        ticks = [lesson.id in done for lesson in module.lessons]
        outline.append({
            "module": module,
            # One string per module: 76 separate lines through the template's loop cost a third of the page.
            "lines": mark_safe("\n".join(lesson.items[tick] for lesson, tick in zip(module.lessons, ticks, strict=True))),
            "done": sum(ticks),
            "total": len(ticks),
        })
    return render(request, "studyapp/module_list.html", {"outline": outline})


@login_required
@require_GET
def lesson_detail(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = lookups.live_lesson(request.user, f"{module_slug}/{lesson_slug}")
    outline = course_outline.current()
    previous, following = outline.neighbours(lesson.slug)
    context = {
        "lesson": lesson,
        "tasks": [TASKS_BY_ID[task] for task in lesson.tasks if task in TASKS_BY_ID],
        "done": lesson.done,
        "previous": previous,
        "next": following,
        "practice_questions": outline.questions(lesson.slug),
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
    matches = search.find(query)
    groups = Paginator(matches.by_lesson(), SEARCH_LESSONS_PER_PAGE).get_page(request.GET.get("page"))
    groups.object_list = search.lesson_groups(matches, groups.object_list)  # the text is read only for this page's hits
    context = {"query": query, "search_query": query, "hit_count": len(matches.sections), "groups": groups}
    return render(request, "studyapp/search.html", context)
