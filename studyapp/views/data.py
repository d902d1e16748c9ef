"""The learner's data: download, import, delete the account."""

import json

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import learner_data
from ..tasks import delete_account

MAX_IMPORT_BYTES = 50 * 1024 * 1024


@login_required
@require_GET
def export(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(learner_data.export(request.user), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="dea-c01-study-{request.user.username}-{timezone.localdate():%Y%m%d}.json"'
    return response


@login_required
@require_POST
def import_(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    error = ""
    if upload is None:
        error = "Choose a file to import."
    elif upload.size > MAX_IMPORT_BYTES:
        error = "That file is too large to be an export of this app."
    else:
        try:
            skipped = learner_data.load(request.user, json.loads(upload.read().decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError):
            error = "That file is not JSON."
        except RecursionError:
            error = "That file nests more deeply than an export does; nothing was changed."
        except learner_data.ImportInvalid as invalid:
            error = str(invalid)
    if error:
        return render(request, "studyapp/data_message.html", {"title": "Nothing was imported", "message": error}, status=400)
    note = ", ".join(f"{count} {kind}" for kind, count in skipped.items() if count)
    message = "Your data was imported." + (f" Skipped what this instance does not have: {note}." if note else "")
    return render(request, "studyapp/data_message.html", {"title": "Imported", "message": message})


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.check_password(request.POST.get("password", "")):
            return render(request, "studyapp/account_delete.html", {"error": "That password is not right.", "active_runs": _active_runs(request.user)},
                          status=400)
        user, leave_resources = request.user, request.POST.get("leave_resources") == "yes"
        user.is_active = False
        user.save(update_fields=["is_active"])
        transaction.on_commit(lambda: delete_account.delay(user.id, leave_resources=leave_resources))
        logout(request)
        return render(request, "studyapp/data_message.html", {"title": "Your account is being deleted", "message": "Running labs are torn down first; then everything you stored here is removed."})
    return render(request, "studyapp/account_delete.html", {"active_runs": _active_runs(request.user)})


def _active_runs(user) -> list[str]:
    return [run for path in settings.ACCOUNT_ACTIVE_RUNS_HOOKS for run in import_string(path)(user)]
