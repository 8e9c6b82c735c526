import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from marsad.cli import main

SCHEMA = json.loads((Path(__file__).parents[2] / "src/marsad/schema/event.schema.json").read_text(encoding="utf-8"))


def run(args, capsys, stdin=None, monkeypatch=None):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_code_jsonl_reports_bad_lines_and_goes_on(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "a1", "text": "تظاهر مئات الطلاب أمام الوزارة."}\n'
        "{broken json\n"
        '{"text": "no id"}\n'
        '{"id": "a2", "text": "اعتقلت الشرطة عشرة ناشطين."}\n',
        encoding="utf-8",
    )
    code, out, err = run(["code", str(src)], capsys)
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    assert {r["article_id"] for r in records} == {"a1", "a2"}
    assert "in.jsonl:2" in err and "invalid JSON" in err
    assert "in.jsonl:3" in err and '"id"' in err


def test_code_valid_input_exits_zero_and_validates_against_schema(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "x", "text": "أطلقت قوات الأمن النار على المتظاهرين."}\n', encoding="utf-8")
    code, out, _ = run(["code", str(src)], capsys)
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records
    for record in records:
        jsonschema.validate(record, SCHEMA)


def test_code_plain_text_file_uses_file_name_as_id(tmp_path, capsys):
    src = tmp_path / "baghdad.txt"
    src.write_text("تظاهر المئات في بغداد.", encoding="utf-8")
    code, out, _ = run(["code", str(src), "--out", str(tmp_path / "out.jsonl")], capsys)
    assert code == 0 and out == ""
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[0])["article_id"] == "baghdad"


def test_invalid_utf8_line_is_reported_with_its_line_number(tmp_path, capsys):
    src = tmp_path / "bad.jsonl"
    src.write_bytes(b'{"id": "ok", "text": "x"}\n{"id": "b", "text": "\xff\xfe"}\n')
    code, _, err = run(["code", str(src)], capsys)
    assert code == 1 and "bad.jsonl:2" in err and "UTF-8" in err


def test_missing_file_is_a_usage_error(capsys):
    code, _, err = run(["code", "/nonexistent/file.jsonl"], capsys)
    assert code == 2 and "cannot read" in err


def test_unknown_subcommand_is_a_usage_error():
    with pytest.raises(SystemExit) as exc:
        main(["nonsense"])
    assert exc.value.code == 2


def test_stdin_jsonl_through_the_console_script():
    proc = subprocess.run(
        [sys.executable, "-m", "marsad.cli", "code"],
        input='{"id": "s", "text": "تظاهر الطلاب أمام الجامعة."}\n'.encode(),
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout.decode().splitlines()[0])["event_type"] == "PROTEST"


@pytest.mark.parametrize("command", ["code", "eval", "demo", "schema", "lexicon"])
def test_every_command_help_ends_with_an_example(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "Example: marsad" in capsys.readouterr().out


def test_schema_command_prints_the_schema(capsys):
    code, out, _ = run(["schema"], capsys)
    assert code == 0 and json.loads(out)["title"] == "Marsad event record"


def _articles(n: int) -> str:
    return "".join(
        json.dumps(
            {"id": f"a{i}", "text": f"تظاهر مئات الطلاب أمام الوزارة رقم {i}. اعتقلت الشرطة عشرة منهم."},
            ensure_ascii=False,
        )
        + "\n"
        for i in range(n)
    )


def test_resume_after_an_interrupted_run_codes_every_article_once(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(_articles(6), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["code", str(src), "--out", str(out)]) == 0
    full = out.read_text(encoding="utf-8").splitlines(keepends=True)
    # Simulate a crash in the middle of article a3: its first line only, half written.
    cut = [line for line in full if '"a0"' in line or '"a1"' in line or '"a2"' in line]
    partial = next(line for line in full if '"a3"' in line)
    out.write_text("".join(cut) + partial[: len(partial) // 2], encoding="utf-8")
    assert main(["code", str(src), "--out", str(out), "--resume"]) == 0
    assert out.read_text(encoding="utf-8").splitlines(keepends=True) == full


def test_resume_needs_an_output_file(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(_articles(1), encoding="utf-8")
    code, _, err = run(["code", str(src), "--resume"], capsys)
    assert code == 2 and "--out" in err


def test_code_scenes_setting_reaches_every_worker_and_validates(tmp_path, capsys):
    """`--scenes` changes only the places of tied sentences, with one worker or two, and every
    record still validates (chosen_by "learned" is in the schema)."""
    text = "قال مسؤول في دمشق إن طائرات حربية قصفت مواقع في إدلب، ما أدى إلى مقتل خمسة مدنيين."
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"s{n}", "text": text}, ensure_ascii=False) + "\n" for n in range(6)),
                   encoding="utf-8")  # fmt: skip
    outputs = {}
    for scenes in ("rules", "learned", "cautious"):
        for workers in ("1", "2"):
            code, out, err = run(["code", str(src), "--scenes", scenes, "--workers", workers], capsys)
            assert code == 0, err
            records = [json.loads(line) for line in out.splitlines()]
            for record in records:
                jsonschema.validate(record, SCHEMA)
            outputs[(scenes, workers)] = out
    for scenes in ("rules", "learned", "cautious"):
        assert outputs[(scenes, "1")] == outputs[(scenes, "2")]
    with pytest.raises(SystemExit) as exc:
        main(["code", str(src), "--scenes", "best"])
    assert exc.value.code == 2
