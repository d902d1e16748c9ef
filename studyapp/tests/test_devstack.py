"""The embedded Redis that `make run` starts keeps queued work across a restart."""

import subprocess

import redis

from studyapp.devstack import free_port, redis_command
from studyapp.testing.services import wait_for_port


def start(port: int, data_dir):
    process = subprocess.Popen(redis_command(port, data_dir), stdout=subprocess.DEVNULL)
    wait_for_port(port)
    return process


def test_the_embedded_redis_saves_and_a_queued_task_survives_a_restart(tmp_path):
    from studyapp.celery import app

    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    process = start(port, tmp_path)
    try:
        client = redis.Redis.from_url(url)
        assert client.config_get("save") == {"save": "60 1"}
        with app.connection_for_write(url) as connection:
            app.send_task("labs.tasks.launch_run", args=[123], connection=connection)
        assert client.llen("celery") == 1
    finally:
        process.terminate()  # redis-server saves on a clean shutdown when a save point is configured
        process.wait(10)
    assert (tmp_path / "dump.rdb").exists()
    process = start(port, tmp_path)
    try:
        assert redis.Redis.from_url(url).llen("celery") == 1
    finally:
        process.terminate()
        process.wait(10)
