"""The dependency locks are whole: every package pinned with hashes, nothing installed that the lock does not pin.

A lock that misses a transitive package lets pip resolve it at install time, which is how a new botocore once
broke every fresh install. `.ci/run` also installs the lock into a fresh clone's new virtualenv.
"""

import re
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
# The installer's own packages live in every virtualenv and are not the project's dependencies.
INSTALLER = {"pip", "setuptools", "wheel"}


def read_lock(name: str) -> dict[str, dict]:
    """package -> {"version", "hashes", "marker"} from a uv/pip-compile lock with hashes."""
    text = (ROOT / name).read_text().replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        requirement = Requirement(re.sub(r"\s--hash=\S+", "", line).strip())
        name = canonicalize_name(requirement.name)
        if name in pins and requirement.marker is not None and not requirement.marker.evaluate():
            continue  # a universal lock may pin one package per Python version: keep the one for this Python
        pins[name] = {
            "version": str(next(iter(requirement.specifier)).version),
            "hashes": re.findall(r"--hash=sha256:[0-9a-f]{64}", line),
            "marker": requirement.marker,
        }
    return pins


def top_level(name: str) -> list[Requirement]:
    lines = [line.split("#")[0].strip() for line in (ROOT / name).read_text().splitlines()]
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


def applies(pin: dict) -> bool:
    return pin["marker"] is None or pin["marker"].evaluate()


def test_every_pin_is_exact_and_carries_hashes():
    for lock in ("requirements.txt", "requirements-dev.txt"):
        for package, pin in read_lock(lock).items():
            assert pin["hashes"], f"{lock}: {package} has no hash"


def test_the_dev_lock_holds_the_runtime_lock_at_the_same_versions():
    runtime, dev = read_lock("requirements.txt"), read_lock("requirements-dev.txt")
    assert {p: v["version"] for p, v in runtime.items()} == {p: dev[p]["version"] for p in runtime if p in dev}
    assert set(runtime) <= set(dev)


def test_every_top_level_dependency_is_locked_at_its_stated_version():
    for source, lock in (("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")):
        pins = read_lock(lock)
        for requirement in top_level(source):
            pinned = pins.get(canonicalize_name(requirement.name))
            assert pinned, f"{source} names {requirement.name}, which {lock} does not pin: run `make lock`"
            assert requirement.specifier.contains(pinned["version"]), f"{lock} pins {requirement.name} {pinned['version']}, {source} asks {requirement.specifier}"


def test_the_lock_is_closed_every_dependency_of_a_locked_package_is_locked_too():
    pins = read_lock("requirements-dev.txt")
    extras = {canonicalize_name(r.name): r.extras for r in top_level("requirements.in") + top_level("requirements-dev.in")}
    for package, pin in pins.items():
        if not applies(pin):
            continue
        for line in metadata.requires(package) or []:
            requirement = Requirement(line)
            wanted = extras.get(package, set())
            environments = [{**default_environment(), "extra": extra} for extra in wanted | {""}]
            if requirement.marker and not any(requirement.marker.evaluate(env) for env in environments):
                continue
            name = canonicalize_name(requirement.name)
            assert pins.get(name), f"{package} needs {requirement}, which the lock does not pin: run `make lock`"
            assert requirement.specifier.contains(Version(pins[name]["version"]), prereleases=True), (
                f"{package} needs {requirement}, the lock pins {pins[name]['version']}")


def test_nothing_installed_floats_every_distribution_is_the_locked_version():
    pins = read_lock("requirements-dev.txt")
    for distribution in metadata.distributions():
        name = canonicalize_name(distribution.metadata["Name"])
        if name in INSTALLER:
            continue
        locked = pins.get(name, {}).get("version")
        assert locked, f"{name} {distribution.version} is installed but not in the lock: add it to a .in file and run `make lock`"
        assert distribution.version == locked, f"{name} {distribution.version} is installed, the lock pins {locked}"
