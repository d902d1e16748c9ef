"""The DEA-C01 exam structure that the app models (see docs/architecture.md)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    number: int
    title: str
    weight: int  # percent of scored content


@dataclass(frozen=True)
class Task:
    id: str
    title: str

    @property
    def domain(self) -> int:
        return int(self.id.split(".")[0])


DOMAINS = (
    Domain(1, "Data Ingestion and Transformation", 34),
    Domain(2, "Data Store Management", 26),
    Domain(3, "Data Operations and Support", 22),
    Domain(4, "Data Security and Governance", 18),
)

TASKS = (
    Task("1.1", "Perform data ingestion"),
    Task("1.2", "Transform and process data"),
    Task("1.3", "Orchestrate data pipelines"),
    Task("1.4", "Apply programming concepts"),
    Task("2.1", "Choose a data store"),
    Task("2.2", "Understand data cataloging systems"),
    Task("2.3", "Manage the lifecycle of data"),
    Task("2.4", "Design data models and schema evolution"),
    Task("3.1", "Automate data processing by using AWS services"),
    Task("3.2", "Analyze data by using AWS services"),
    Task("3.3", "Maintain and monitor data pipelines"),
    Task("3.4", "Ensure data quality"),
    Task("4.1", "Apply authentication mechanisms"),
    Task("4.2", "Apply authorization mechanisms"),
    Task("4.3", "Ensure data encryption and masking"),
    Task("4.4", "Prepare logs for audit"),
    Task("4.5", "Understand data privacy and governance"),
)

TASKS_BY_ID = {task.id: task for task in TASKS}
DOMAINS_BY_NUMBER = {domain.number: domain for domain in DOMAINS}

EXAM_QUESTIONS = 65
SCORED_QUESTIONS = 50
EXAM_MINUTES = 130
PASSING_SCORE = 720
