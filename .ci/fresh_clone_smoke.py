"""A new user's first run, for real: clone the commit, `make run`, use the site, Ctrl-C, nothing left behind.

    python3 .ci/fresh_clone_smoke.py

It clones this repository's HEAD into a temporary folder, runs `make run` there on a free port with every
embedded default (no REDIS_URL, DATABASE_URL or AWS_SANDBOX_URL), waits for /healthz to answer 200, signs up,
adds the sandbox connection, launches the setup lab, waits for it to be ready, tears it down, waits for
"deleted", then stops `make run` as Ctrl-C does and checks that no process of the clone is left. Standard
library only: it runs before any virtualenv exists.
"""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL_AND_START_SECONDS = 900
LAB_SECONDS = 300


def log(message: str) -> None:
    print(f"[fresh-clone {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Cookies and CSRF tokens, as a person's browser would handle them."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.url

    def post(self, path: str, fields: dict, referer_path: str) -> tuple[int, str, str]:
        token = next((c.value for c in self.cookies if c.name == "csrftoken"), "")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        request = urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base + referer_path})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.url


def wait_until(what: str, seconds: float, probe, process: subprocess.Popen):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"`make run` exited with code {process.returncode} while waiting for {what}")
        result = probe()
        if result:
            return result
        time.sleep(1)
    raise SystemExit(f"timed out after {seconds}s waiting for {what}")


HEALTHZ_TOKEN = "fresh-clone-smoke"


def healthz(base: str):
    request = urllib.request.Request(base + "/healthz", headers={"Authorization": f"Bearer {HEALTHZ_TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read()) if response.status == 200 else None
    except (OSError, ValueError):
        return None


def run_state(browser: Browser, run_path: str) -> str:
    status, html, _ = browser.get(run_path + "status")
    found = re.search(r'state-([a-z_]+)"[^>]*id="state"', html) or re.search(r'id="state"[^>]*class="[^"]*state-([a-z_]+)', html)
    return found.group(1) if found and status == 200 else f"unknown (HTTP {status})"


def learner_journey(base: str, process: subprocess.Popen) -> None:
    browser = Browser(base)
    status, html, _ = browser.get("/accounts/signup/")
    assert status == 200, f"sign-up page: HTTP {status}"
    fields = {"username": "first-learner", "email": "first-learner@example.org", "password1": "a-long-study-passphrase-42", "password2": "a-long-study-passphrase-42"}
    names = set(re.findall(r'name="([a-z0-9_]+)"', html))
    status, html, url = browser.post("/accounts/signup/", {k: v for k, v in fields.items() if k in names}, "/accounts/signup/")
    assert status == 200 and "/accounts/signup/" not in url, f"sign-up failed: HTTP {status} at {url}"
    log("signed up")

    status, _, _ = browser.get("/labs/connections/")
    status, _, _ = browser.post("/labs/connections/add", {"kind": "sandbox"}, "/labs/connections/")
    assert status == 200, f"adding the sandbox connection: HTTP {status}"
    status, html, _ = browser.get("/labs/setup/")
    connection = re.search(r'<option value="(\d+)"', html)
    assert status == 200 and connection, f"the setup lab page offers no connection (HTTP {status})"
    status, html, url = browser.post("/labs/setup/launch", {"connection": connection.group(1), "confirm_cost": "on"}, "/labs/setup/")
    run_path = urllib.parse.urlparse(url).path
    assert status == 200 and re.fullmatch(r"/labs/runs/\d+/", run_path), f"launch: HTTP {status} at {url}"
    log(f"launched the setup lab: {run_path}")

    state = wait_until("the run to be ready", LAB_SECONDS, lambda: (s := run_state(browser, run_path)) in ("ready", "failed") and s, process)
    assert state == "ready", f"the launch ended {state}"
    log("the run is ready")
    status, _, _ = browser.post(run_path + "teardown", {}, run_path)
    assert status == 200, f"teardown: HTTP {status}"
    state = wait_until("the teardown to finish", LAB_SECONDS, lambda: (s := run_state(browser, run_path)) in ("deleted", "failed") and s, process)
    assert state == "deleted", f"the teardown ended {state}"
    log("the run is torn down: deleted")


def processes_of(folder: Path) -> list[str]:
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if str(folder) in cmdline or cwd.startswith(str(folder)):
            left.append(f"{entry.name}: {cmdline.strip()[:160]}")
    return left


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="studyapp-fresh-"))
    clone = workdir / "app"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "AWS_SANDBOX_URL", "VIRTUAL_ENV", "DJANGO_ENV")}
    env["WEB_PORT"] = str(port)
    env["HEALTHZ_TOKEN"] = HEALTHZ_TOKEN  # so /healthz shows each part's state to this script
    base = f"http://127.0.0.1:{port}"
    output = (workdir / "make-run.log").open("w")
    log(f"make run in {clone} on port {port} (log: {output.name})")
    started = time.monotonic()
    process = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    ok = False
    try:
        health = wait_until("/healthz to answer 200", INSTALL_AND_START_SECONDS, lambda: healthz(base), process)
        log(f"/healthz 200 after {time.monotonic() - started:.0f}s: " + ", ".join(f"{k} {'ok' if v['ok'] else 'DOWN'}" for k, v in health.get("parts", {}).items()))
        learner_journey(base, process)
        ok = True
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends to make's process group
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise SystemExit("`make run` did not stop within 60s of Ctrl-C") from None
        time.sleep(1)
        left = processes_of(clone)
        if left or not ok:
            print((workdir / "make-run.log").read_text()[-6000:])
        for line in left:
            log(f"left running: {line}")
            os.kill(int(line.split(":")[0]), signal.SIGKILL)
    if left:
        raise SystemExit(f"{len(left)} process(es) of the clone were left after Ctrl-C")
    log(f"passed in {time.monotonic() - started:.0f}s; nothing left running")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
