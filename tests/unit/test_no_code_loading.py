"""No module of src/marsad may load anything with a deserialiser that can run code.

pickle, marshal, shelve, joblib, dill and cloudpickle turn bytes into calls: a cache, model or
data file read with them gives whoever can write that file code execution in every Marsad
process (the API server included). Caches and models are data (JSON, .npz without pickles,
SQLite, Arrow). The check reads every module's syntax tree, so a forbidden import or call cannot
hide behind an alias.

The Spark job (src/marsad/spark) imports none of these: pyspark serialises the job's own
functions with its bundled cloudpickle to send them from the driver to the workers it started.
That is pyspark's transport between processes of one job, never a read of a file Marsad finds on
disk, and it happens inside pyspark, which this test does not scan.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import marsad

SRC = Path(marsad.__file__).parent
CODE_LOADERS = frozenset({"pickle", "_pickle", "cPickle", "marshal", "shelve", "joblib", "dill", "cloudpickle"})
UNSAFE_CALLS = frozenset({"read_pickle", "unsafe_load", "full_load"})  # pandas.read_pickle, yaml's
UNSAFE_MODULE_CALLS = {("torch", "load"), ("yaml", "load")}


def _module(name: str | None) -> str:
    return (name or "").split(".")[0]


def findings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, what) for every import of a code-running deserialiser and every unsafe load call."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, f"import {a.name}") for a in node.names if _module(a.name) in CODE_LOADERS)
        elif isinstance(node, ast.ImportFrom) and _module(node.module) in CODE_LOADERS:
            yield node.lineno, f"from {node.module} import ..."
        elif isinstance(node, ast.Call):
            yield from ((node.lineno, what) for what in _unsafe_call(node))


def _unsafe_call(call: ast.Call) -> Iterator[str]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
    if name in UNSAFE_CALLS or (owner, name) in UNSAFE_MODULE_CALLS or _module(owner) in CODE_LOADERS:
        yield f"{owner + '.' if owner else ''}{name}()"
    if name in ("import_module", "__import__") and call.args:
        first = call.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and _module(first.value) in CODE_LOADERS:
            yield f"{name}({first.value!r})"
    for keyword in call.keywords:
        if keyword.arg == "allow_pickle" and not (isinstance(keyword.value, ast.Constant) and not keyword.value.value):
            yield f"{name}(allow_pickle=...)"


def modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_the_scan_covers_every_package_including_spark_and_the_gazetteer():
    scanned = {p.relative_to(SRC).as_posix() for p in modules()}
    assert {"geo/gazetteer.py", "geo/index.py", "spark/job.py", "web/app.py", "cli.py"} <= scanned
    assert len(scanned) > 40


@pytest.mark.parametrize(
    "source",
    [
        "import pickle",
        "import pickle as p",
        "from pickle import loads",
        "import marshal",
        "from joblib import load",
        "import shelve",
        "import cloudpickle",
        "import dill.settings",
        "pickle.loads(data)",
        "marshal.loads(data)",
        "np.load(path, allow_pickle=True)",
        "numpy.load(path, allow_pickle=flag)",
        "frame = pd.read_pickle(path)",
        "torch.load(path)",
        "yaml.load(text)",
        "importlib.import_module('pickle')",
        "__import__('marshal')",
    ],
)
def test_the_scan_finds_each_forbidden_form(source: str):
    assert list(findings(ast.parse(source)))


@pytest.mark.parametrize(
    "source", ["json.loads(data)", "np.load(path)", "np.load(path, allow_pickle=False)", "import picklescan_free"]
)
def test_the_scan_lets_data_only_loads_through(source: str):
    assert not list(findings(ast.parse(source)))


def test_no_module_of_marsad_loads_with_pickle_marshal_joblib_or_shelve():
    found = [
        f"{path.relative_to(SRC)}:{line}: {what}"
        for path in modules()
        for line, what in findings(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    ]
    assert found == [], "code-running deserialisers in src/marsad:\n" + "\n".join(found)
