"""The lab catalog as a content source (see studyapp/sources.py)."""

from studyapp.content import ContentError, Course

from .catalog import LabData, read_catalog
from .models import Lab


class LabSource:
    name = "labs"

    def __init__(self):
        self.labs: list[LabData] = []

    def read(self, course: Course) -> list[ContentError]:
        self.labs = read_catalog()
        return [error for lab in self.labs for error in lab.errors]

    def sync(self) -> str:
        for position, data in enumerate(self.labs):
            definition = data.definition
            Lab.objects.update_or_create(slug=data.slug, defaults={
                "title": data.title, "summary": definition["summary"].strip(), "services": definition.get("services", []),
                "tasks": [str(t) for t in definition["tasks"]], "cost_per_hour": data.cost_per_hour, "prices_read": data.prices_read,
                "minutes": definition["minutes"], "sandbox_support": definition["sandbox"], "definition": definition, "position": position,
                "retired": False,
            })
        retired = Lab.objects.filter(retired=False).exclude(slug__in=[lab.slug for lab in self.labs]).update(retired=True)
        return f"{len(self.labs)} loaded, {retired} retired"

    def stats(self) -> dict:
        return {"labs": len(self.labs), "lab_checks": sum(len(s["checks"]) for lab in self.labs if lab.definition for s in lab.definition["steps"])}
