"""The run page's reads, as SQL written once (studyapp.rows says why): the status fragment asks for them every
two seconds while a run is busy, and the ORM's building of that SQL cost more than the database's answer."""

import functools

from django.db import connection
from django.http import Http404

from studyapp import rows

from .models import AwsConnection, CheckResult, Lab, LabEvent, LabRun


def own_run(user, run_id: int) -> LabRun:
    """The learner's run with its lab and connection; another learner's run, or none, is a 404."""
    with connection.cursor() as cursor:
        cursor.execute(_own_run_sql(), [run_id, user.id])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such lab run.")
    run, lab, aws_connection, _ = rows.split(row, LabRun, Lab, AwsConnection)
    run.lab, run.connection = lab, aws_connection
    return run


def check_results(run: LabRun) -> list[CheckResult]:
    """The run's check results, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(_check_results_sql(), [run.id])
        return [rows.split(row, CheckResult)[0] for row in cursor.fetchall()]


def event_messages(run: LabRun, kind: str) -> set[str]:
    """The messages of the run's events of one kind (those of step_help.SOLUTION say which solutions were shown)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT message FROM {rows.table(LabEvent)} WHERE run_id = %s AND kind = %s", [run.id, kind])
        return {message for (message,) in cursor.fetchall()}


@functools.cache
def _own_run_sql() -> str:
    return (f"SELECT {rows.columns(LabRun, 'r')}, {rows.columns(Lab, 'l')}, {rows.columns(AwsConnection, 'c')} "
            f"FROM {rows.table(LabRun)} r JOIN {rows.table(Lab)} l ON l.id = r.lab_id JOIN {rows.table(AwsConnection)} c ON c.id = r.connection_id "
            "WHERE r.id = %s AND r.user_id = %s")


@functools.cache
def _check_results_sql() -> str:
    return f"SELECT {rows.columns(CheckResult, 'c')} FROM {rows.table(CheckResult)} c WHERE c.run_id = %s ORDER BY c.checked_at, c.id"
