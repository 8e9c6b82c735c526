"""kill -9 at every step of the trim `marsad code --resume` does before coding, then a rerun.

An interrupted output file (complete articles, then half a line) is resumed in a child process
that kills itself with SIGKILL at one named checkpoint of `prepare_resume`. Whatever the point,
the file must still hold every complete article's events, and a rerun with --resume must produce
exactly the output of an uninterrupted run: every event once, in order.
"""

import errno
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from marsad import cli
from marsad.io import resume
from tests.e2e.test_crash import synthetic_articles, write_jsonl

N_ARTICLES = 40
# argv[1] is the checkpoint at which the child SIGKILLs itself; the rest is the marsad command line.
RUNNER = """
import functools, os, signal, sys
import marsad.io.resume as resume

def stop(point):
    if point == sys.argv[1]:
        os.kill(os.getpid(), signal.SIGKILL)

resume.prepare_resume = functools.partial(resume.prepare_resume, checkpoint=stop)
from marsad import cli
cli.prepare_resume = resume.prepare_resume
sys.exit(cli.main(sys.argv[2:]))
"""


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[bytes]]:
    """The corpus and the lines of an uninterrupted run."""
    directory = tmp_path_factory.mktemp("resume")
    corpus = write_jsonl(directory / "corpus.jsonl", synthetic_articles(N_ARTICLES, prefix="r"))
    reference = directory / "reference.jsonl"
    assert cli.main(["code", str(corpus), "--out", str(reference)]) == 0
    lines = reference.read_bytes().splitlines(keepends=True)
    assert len({json.loads(line)["article_id"] for line in lines}) >= N_ARTICLES // 2
    return corpus, lines


def interrupted(lines: list[bytes], articles: int) -> tuple[bytes, bytes]:
    """What a run killed while writing article number `articles` leaves (its first line torn in
    half), and the part of it a resume must keep (the articles before the last complete one)."""
    ids = list(dict.fromkeys(json.loads(line)["article_id"] for line in lines))
    done = [line for line in lines if json.loads(line)["article_id"] in ids[:articles]]
    torn = next(line for line in lines if json.loads(line)["article_id"] == ids[articles])
    survivors = [line for line in done if json.loads(line)["article_id"] in ids[: articles - 1]]
    return b"".join(done) + torn[: len(torn) // 2], b"".join(survivors)


def kill_during_resume(corpus: Path, out: Path, point: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, point, "code", str(corpus), "--out", str(out), "--resume"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, f"not killed at {point}: {proc.stderr.decode()[-500:]}"


@pytest.mark.parametrize("point", resume.CHECKPOINTS)
def test_kill_9_during_the_trim_loses_no_event_and_a_rerun_writes_each_once(
    coded: tuple[Path, list[bytes]], tmp_path: Path, point: str
) -> None:
    corpus, lines = coded
    out = tmp_path / "events.jsonl"
    before, survivors = interrupted(lines, 12)
    out.write_bytes(before)
    kill_during_resume(corpus, out, point)
    after = out.read_bytes()
    renamed = resume.CHECKPOINTS.index(point) >= resume.CHECKPOINTS.index("replaced")
    assert after == (survivors if renamed else before), f"killed at {point}: neither the old file nor the trimmed one"
    assert cli.main(["code", str(corpus), "--out", str(out), "--resume"]) == 0
    assert out.read_bytes().splitlines(keepends=True) == lines
    assert not resume.temp_path(out).exists()


def trimmed(data: bytes) -> bytes:
    """What a completed trim leaves of `data`: its complete lines less the last article's."""
    lines = [line for line in data.splitlines(keepends=True) if line.endswith(b"\n")]
    last = json.loads(lines[-1])["article_id"]
    return b"".join(line for line in lines if json.loads(line)["article_id"] != last)


def test_repeated_kills_at_every_point_then_a_rerun_equal_one_clean_run(
    coded: tuple[Path, list[bytes]], tmp_path: Path
) -> None:
    corpus, lines = coded
    out = tmp_path / "events.jsonl"
    current, _ = interrupted(lines, 25)
    out.write_bytes(current)
    for point in resume.CHECKPOINTS:
        kill_during_resume(corpus, out, point)
        after = out.read_bytes()
        assert after in (current, trimmed(current)), point  # a finished trim re-codes one more article
        assert b"".join(lines).startswith(after.rpartition(b"\n")[0]), point
        current = after
    assert cli.main(["code", str(corpus), "--out", str(out), "--resume"]) == 0
    assert out.read_bytes().splitlines(keepends=True) == lines


def test_a_full_disk_during_the_trim_leaves_the_file_untouched(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    before = b'{"article_id": "a"}\n{"article_id": "b"}\n{"article_id": "c"}\n{"article_'
    out.write_bytes(before)

    def disk_full(point: str) -> None:
        if point == "temp-half-written":
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        resume.prepare_resume(out, checkpoint=disk_full)
    assert out.read_bytes() == before
    assert not resume.temp_path(out).exists()


def test_trim_keeps_complete_articles_byte_for_byte_and_the_file_mode(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    out.write_bytes('{"article_id": "a", "t": "تظاهر"}\n{"article_id": "b"}\n{"article_id": "b"}\n'.encode())
    out.chmod(0o640)
    assert resume.prepare_resume(out) == {"a"}
    assert out.read_bytes() == '{"article_id": "a", "t": "تظاهر"}\n'.encode()
    assert out.stat().st_mode & 0o777 == 0o640
