"""``briefgen build --scheduler ADDRESS`` writes on a Dask distributed cluster: a scheduler and two
workers started here on 127.0.0.1, as a user would start them. The outputs are the bytes a local
build writes, the client writes them, and a cluster that cannot do the work says so in one line."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen import cluster
from briefgen.build import build, prepare
from briefgen.cli import main
from briefgen.errors import display_path
from conftest import CONTENT, png

pytest.importorskip("distributed", reason="pip install 'briefgen[dask]'")

DASK = Path(sys.executable).with_name("dask")
IDS = ["malaysia-smart-cities", "vietnam-5g-year-one", "city-profile-kuching"]  # charts, notes, a map
EPOCH = "1700000000"


def start_scheduler(folder: Path) -> tuple[subprocess.Popen, str]:
    """A Dask scheduler on a free port of 127.0.0.1, and its address."""
    file = folder / "scheduler.json"
    command = [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
    process = subprocess.Popen(
        [*command, "--scheduler-file", str(file)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not file.exists() or not file.read_text(encoding="utf-8").strip():
        assert process.poll() is None and time.monotonic() < deadline, "the scheduler did not start"
        time.sleep(0.1)
    return process, json.loads(file.read_text(encoding="utf-8"))["address"]


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a scheduler with two single-threaded workers, in processes of their own
    (their working folder is not the tests')."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    process, address = start_scheduler(folder)
    workers = [
        subprocess.Popen(
            [DASK, "worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        with Client(address, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        stop(*workers, process)


def test_a_cluster_build_writes_the_bytes_of_a_local_build(
    scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the workers were started without it
    local = build(CONTENT, tmp_path / "local", only=IDS, jobs=1)
    remote = build(CONTENT, tmp_path / "cluster", only=IDS, scheduler=scheduler)
    assert [o.status for o in local] == [o.status for o in remote] == ["built"] * 3
    for id in IDS:
        for suffix in (".pdf", ".docx"):
            name = f"{id}{suffix}"
            assert (tmp_path / "cluster" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), (
                name
            )
    # Recorded as a local build records it: the next build, local, has nothing to do.
    assert [o.status for o in build(CONTENT, tmp_path / "cluster", only=IDS, jobs=1)] == ["skipped"] * 3


def test_the_command_takes_the_schedulers_address(
    scheduler: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["build", "--content", str(CONTENT), "--out", str(out), "--scheduler", scheduler, IDS[2]]
    assert main(args) == 0
    assert f"built {IDS[2]}" in capsys.readouterr().out
    assert (out / f"{IDS[2]}.pdf").read_bytes().startswith(b"%PDF")


def test_no_scheduler_at_the_address_is_one_line_and_replaces_nothing(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = (out / f"{IDS[2]}.pdf").read_bytes()
    args = ["build", "--content", str(CONTENT), "--out", str(out), "--force", IDS[2]]
    assert main([*args, "--scheduler", "tcp://127.0.0.1:9"]) == 1  # the discard port: nobody listens
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("--scheduler: no Dask scheduler answers at tcp://127.0.0.1:9 (")
    assert err[0].endswith(
        "— start one with `dask scheduler` and workers with `dask worker ADDRESS`, or check the address"
    )
    assert len(err) == 2
    assert (out / f"{IDS[2]}.pdf").read_bytes() == before


def test_a_build_with_nothing_to_write_needs_no_scheduler(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    build(content, tmp_path / "out", only=[IDS[2]], jobs=1)
    (content / "images" / "unused.png").write_bytes(png())  # a change no publication reads
    outcomes = build(content, tmp_path / "out", only=[IDS[2]], scheduler="tcp://127.0.0.1:9")
    assert [o.status for o in outcomes] == ["skipped"]


def test_a_scheduler_without_workers_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    process, address = start_scheduler(tmp_path)
    try:
        args = ["build", "--content", str(CONTENT), "--out", str(tmp_path / "out"), IDS[2]]
        assert main([*args, "--scheduler", address]) == 1
    finally:
        stop(process)
    assert capsys.readouterr().err.splitlines()[0] == (
        f"--scheduler: the Dask scheduler at {address} has no workers — "
        "start one with `dask scheduler` and workers with `dask worker ADDRESS`, or check the address"
    )


def test_a_worker_that_cannot_see_the_content_or_runs_other_code_refuses_the_job(
    built: Path, tmp_path: Path
) -> None:
    """What a worker host that differs from the client's says, rather than write other bytes."""
    from dataclasses import replace

    from briefgen.incremental import code_version

    (job,) = prepare(CONTENT, built, only=[IDS[2]])
    elsewhere = replace(job, resources=replace(job.resources, content=tmp_path / "not-mounted"))
    outcome, files = cluster.write_remotely(elsewhere, code_version(), EPOCH)
    assert (outcome.status, files) == ("failed", {})
    assert str(outcome.problems[0]) == (
        f"{display_path(job.resources.where)}: a Dask worker cannot read the content folder "
        f"{tmp_path / 'not-mounted'} — mount the content and build folders at the same paths "
        "on every worker host"
    )
    outcome, files = cluster.write_remotely(job, "0.0.0+other", EPOCH)
    assert (outcome.status, files) == ("failed", {})
    assert "a Dask worker runs another briefgen, library or font set" in str(outcome.problems[0])


def test_a_worker_dates_the_files_as_the_client_asks_and_keeps_its_own_environment(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.incremental import code_version

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (job,) = prepare(CONTENT, built, only=[IDS[2]])
    outcome, files = cluster.write_remotely(job, code_version(), EPOCH)
    assert outcome.status == "built" and sorted(files) == [f"{IDS[2]}.docx", f"{IDS[2]}.pdf"]
    with zipfile.ZipFile(io.BytesIO(files[f"{IDS[2]}.docx"])) as package:
        assert package.infolist()[0].date_time[:3] == (2023, 11, 14)  # 1700000000 seconds
    assert "SOURCE_DATE_EPOCH" not in os.environ
