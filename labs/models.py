"""AWS connections, the lab catalog (an index of labs/catalog), lab runs and what happened in them."""

from django.conf import settings
from django.db import models


class AwsConnection(models.Model):
    SANDBOX, PROFILE, ROLE, KEYS = "sandbox", "profile", "role", "keys"
    KINDS = [(SANDBOX, "AWS sandbox (no account)"), (PROFILE, "Local AWS profile"), (ROLE, "Assume a role"), (KEYS, "Access keys")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="aws_connections")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=KINDS)
    region = models.CharField(max_length=30, default="us-east-1")
    profile_name = models.CharField(max_length=80, blank=True)
    role_arn = models.CharField(max_length=200, blank=True)
    external_id = models.CharField(max_length=64, blank=True)
    access_key_id = models.CharField(max_length=40, blank=True)  # not secret on its own; shown masked
    secret_encrypted = models.BinaryField(blank=True, default=b"")  # Fernet token of the secret access key
    account_id = models.CharField(max_length=20, blank=True)  # from sts:GetCallerIdentity
    validated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_key(self) -> str:
        return f"{self.access_key_id[:4]}…{self.access_key_id[-4:]}" if self.access_key_id else ""


class Lab(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    services = models.JSONField(default=list)
    tasks = models.JSONField(default=list)
    cost_per_hour = models.DecimalField(max_digits=8, decimal_places=2)
    prices_read = models.DateField()
    minutes = models.PositiveIntegerField()
    sandbox_support = models.CharField(max_length=10)  # full, partial, none
    definition = models.JSONField()  # the validated lab.yaml (steps, checks, templates, outputs)
    position = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_paid(self) -> bool:
        return self.cost_per_hour > 0


# What the navigation's running-lab badge shows (labs/progress.py keeps it per learner in the shared cache).
BADGE_FIELDS = {"state", "created_at", "lab", "lab_id", "user", "user_id"}


class LabRunQuerySet(models.QuerySet):
    def update(self, **fields):
        """Bulk updates skip the save signals: when one changes what the badge shows, drop the learners' badges."""
        if BADGE_FIELDS.isdisjoint(fields):
            return super().update(**fields)
        from .progress import forget_running

        users = set(self.values_list("user_id", flat=True))
        changed = super().update(**fields)
        forget_running(users)
        return changed


class LabRun(models.Model):
    REQUESTED, LAUNCHING, READY, VERIFYING, TEARING_DOWN, DELETED, FAILED = (
        "requested", "launching", "ready", "verifying", "tearing_down", "deleted", "failed")
    STATES = [(s, s.replace("_", " ")) for s in (REQUESTED, LAUNCHING, READY, VERIFYING, TEARING_DOWN, DELETED, FAILED)]
    ACTIVE = (REQUESTED, LAUNCHING, READY, VERIFYING, TEARING_DOWN)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_runs")
    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="runs")
    connection = models.ForeignKey(AwsConnection, on_delete=models.PROTECT, related_name="runs")
    state = models.CharField(max_length=20, choices=STATES, default=REQUESTED)
    prefix = models.CharField(max_length=40, unique=True)  # names and tags every resource of the run
    outputs = models.JSONField(default=dict)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)
    teardown_attempts = models.PositiveIntegerField(default=0)
    progress_at = models.DateTimeField(null=True, blank=True)  # last step of a launch or teardown: the watchdog's clock
    asked = models.JSONField(default=list)  # [kind label, name] of each resource the lab asks the learner to create
    baseline = models.JSONField(default=dict)  # kind label -> ids of that kind already in the account at launch
    lookalikes = models.JSONField(default=list)  # {kind, id, name}: made during the run without its prefix or tag
    remaining = models.JSONField(default=list)  # what the last teardown attempt found still there

    objects = LabRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "expires_at"])]

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE


class CheckResult(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_check_results")
    run = models.ForeignKey(LabRun, on_delete=models.CASCADE, related_name="check_results")
    step = models.CharField(max_length=60)
    check_id = models.CharField(max_length=80)
    passed = models.BooleanField()
    needs_real_aws = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    fidelity = models.CharField(max_length=20)
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_at"]


class LabEvent(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_events")
    run = models.ForeignKey(LabRun, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20)  # state, info, aws_error
    message = models.TextField()

    class Meta:
        ordering = ["at", "id"]
