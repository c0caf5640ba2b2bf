"""The Dockerfile, replayed without Docker (no engine runs on these machines).

Its steps are parsed and replayed into a temporary "image": COPY copies from the build
context (honouring .dockerignore), RUN runs in a clean virtualenv standing in for the base
image's Python, ENV and WORKDIR apply, then CMD starts on a free port and /api/health, the
frontend and the HEALTHCHECK command must all answer. A step the replay does not understand
fails the test, so the Dockerfile cannot drift into something this check silently skips.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCKERFILE = REPO / "Dockerfile"
# RUN steps that set up the OS rather than the app (users, packages): checked for, never run
# on the host.
SYSTEM_COMMANDS = {"useradd", "adduser", "groupadd", "addgroup", "chown", "apt-get"}


@dataclass
class Instruction:
    keyword: str
    args: str


@dataclass
class Image:
    base: str = ""
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    user: str = "root"
    cmd: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)
    exposed: list[str] = field(default_factory=list)
    steps: list[Instruction] = field(default_factory=list)  # COPY and RUN, in order


def instructions(text: str) -> list[Instruction]:
    """Dockerfile lines joined across backslash continuations, comments dropped."""
    result, pending = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        keyword, _, args = line.partition(" ")
        result.append(Instruction(keyword.upper(), args.strip()))
    return result


def command(args: str) -> list[str]:
    """Exec form (a JSON array) or shell form."""
    if args.startswith("["):
        parsed = json.loads(args)
        assert isinstance(parsed, list)
        return [str(a) for a in parsed]
    return ["/bin/sh", "-c", args]


def parse(text: str) -> Image:
    image = Image()
    for ins in instructions(text):
        if ins.keyword == "FROM":
            image.base = ins.args
        elif ins.keyword == "ENV":
            for pair in shlex.split(ins.args):
                key, _, value = pair.partition("=")
                image.env[key] = value
        elif ins.keyword == "WORKDIR":
            image.workdir = ins.args
            image.steps.append(ins)
        elif ins.keyword == "USER":
            image.user = ins.args
        elif ins.keyword == "EXPOSE":
            image.exposed += ins.args.split()
        elif ins.keyword == "CMD":
            image.cmd = command(ins.args)
        elif ins.keyword == "HEALTHCHECK":
            _, _, check = ins.args.partition("CMD ")
            image.healthcheck = command(check.strip())
        elif ins.keyword in ("COPY", "RUN"):
            image.steps.append(ins)
        else:
            raise AssertionError(f"the replay does not know Dockerfile {ins.keyword}; teach "
                                 "tests/test_docker_replay.py about it")
    return image


def ignored(relative: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        bare = pattern.removeprefix("**/")
        parts = relative.split("/")
        if fnmatch.fnmatch(relative, pattern) or any(fnmatch.fnmatch(p, bare) for p in parts):
            return True
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def test_dockerfile_is_a_non_root_slim_image_with_a_healthcheck() -> None:
    image = parse(DOCKERFILE.read_text())
    assert "slim" in image.base
    assert image.user not in ("root", "0", "")
    assert any("/api/health" in part for part in image.healthcheck)
    assert image.cmd[:3] == ["python", "-m", "gradscape"] and "serve" in image.cmd
    assert "8000" in image.exposed
    assert any(s.keyword == "COPY" and "frontend" in s.args for s in image.steps)


@pytest.mark.slow
def test_dockerfile_replay_serves_health_and_frontend(tmp_path: Path) -> None:
    image = parse(DOCKERFILE.read_text())
    root = tmp_path / "root"  # the image's filesystem
    venv = tmp_path / "venv"  # the base image's Python
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    ignore = [p.strip() for p in (REPO / ".dockerignore").read_text().splitlines()
              if p.strip() and not p.startswith("#")]

    def inside(path: str) -> Path:
        return root / path.lstrip("/")

    env = {**os.environ, **{k: v.replace("/app", str(inside("/app")))
                            for k, v in image.env.items()}}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    workdir = inside("/")
    for step in image.steps:
        if step.keyword == "WORKDIR":
            workdir = inside(step.args)
            workdir.mkdir(parents=True, exist_ok=True)
        elif step.keyword == "COPY":
            *sources, dest = step.args.split()
            assert not any(s.startswith("--") for s in sources), step.args
            target = workdir / dest if not dest.startswith("/") else inside(dest)
            for source in sources:
                src = REPO / source
                if src.is_dir():
                    shutil.copytree(src, target, dirs_exist_ok=True, ignore=lambda d, names: [
                        n for n in names
                        if ignored(os.path.relpath(os.path.join(d, n), REPO), ignore)])
                else:
                    destination = target / src.name if dest.endswith("/") else target
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, destination)
        else:
            argv = command(step.args)
            program = shlex.split(argv[-1])[0] if argv[0] == "/bin/sh" else argv[0]
            if program in SYSTEM_COMMANDS:
                continue
            done = subprocess.run(argv, cwd=workdir, env=env, timeout=600,
                                  capture_output=True, text=True)
            assert done.returncode == 0, f"RUN {step.args} failed:\n{done.stdout}{done.stderr}"

    # The replayed venv must not see the repository: the image has only what COPY put there.
    probe = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import gradscape.server, gradscape.core; "
                            "print(gradscape.server.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert str(venv) in probe.stdout

    port = str(free_port())
    cmd = [port if prev == "--port" else arg
           for prev, arg in zip(["", *image.cmd[:-1]], image.cmd, strict=True)]
    assert port in cmd, "the CMD should name its --port"
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=sink,
                                  stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = get(f"http://127.0.0.1:{port}/api/health")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the CMD did not serve:\n{log.read_text()}") \
                        from None
                time.sleep(0.2)
        assert status == 200 and json.loads(body)["status"] == "ok"
        status, page = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and b"gradscape" in page
        check = [a.replace("8000", port) for a in image.healthcheck]
        assert subprocess.run(check, env=env, timeout=30).returncode == 0
    finally:
        server.terminate()
        server.wait(timeout=10)
