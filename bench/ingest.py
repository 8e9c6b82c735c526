"""Ingest rate (articles/s) into SQLite and PostgreSQL on ~2,000 SaudiNewsNet articles.

The corpus (CC BY-NC-SA, /work/shared/corpus/saudinewsnet) is read in place, never copied.
PostgreSQL: $MARSAD_TEST_PG, else a throwaway server (fsync on) started like the tests do.
Writes bench/results/ingest.json.

Usage: .venv/bin/python bench/ingest.py [--n 2000] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from marsad.model import Article
from marsad.store import open_store
from marsad.store.ingest import code_article, ingest, lexicon_version

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.unit.store import pg_server


def load(corpus: Path, n: int) -> list[Article]:
    articles: list[Article] = []
    for archive in sorted(corpus.glob("2015-08-*.zip")):
        with zipfile.ZipFile(archive) as z:
            for name in z.namelist():
                for i, item in enumerate(json.loads(z.read(name))):
                    if item.get("content"):
                        articles.append(Article(id=f"{archive.stem}-{i}", text=item["content"], title=item.get("title"),
                                                date=item.get("date_extracted", "")[:10] or None,
                                                source=item.get("source"), url=item.get("url")))  # fmt: skip
                    if len(articles) == n:
                        return articles
    return articles


def run(url: str, articles: list[Article], version: str) -> dict[str, object]:
    with open_store(url) as store:
        report = ingest(store, articles, version=version)
        rerun_started = time.monotonic()
        again = ingest(store, articles, version=version)
        rerun = time.monotonic() - rerun_started
        counts = store.counts()
    return {"stored": report.stored, "skipped": dict(report.skipped), "failed": len(report.failed),
            "seconds": round(report.seconds, 2), "articles_per_s": round(report.read / report.seconds, 1),
            "rerun_seconds": round(rerun, 2), "rerun_skipped": dict(again.skipped), **counts}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--corpus", default="/work/shared/corpus/saudinewsnet")
    args = parser.parse_args()
    articles = load(Path(args.corpus), args.n)
    version = lexicon_version()
    code_article(articles[0])  # load the lexicons and gazetteer before timing
    started = time.monotonic()
    for article in articles:
        code_article(article)
    coding = time.monotonic() - started
    results: dict[str, object] = {
        "articles": len(articles), "words": sum(len(a.text.split()) for a in articles),
        "python": platform.python_version(), "cpus": os.cpu_count(),
        "coding_only_articles_per_s": round(len(articles) / coding, 1),
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = run(str(Path(tmp) / "bench.db"), articles, version)
    server = None
    pg_url = os.environ.get("MARSAD_TEST_PG")
    if not pg_url and pg_server.why_not() is None:
        server = pg_server.start(fsync=True)
        pg_url = server.url
    if pg_url:
        try:
            results["postgresql"] = run(pg_server.create_database(pg_url, "marsad_bench"), articles, version)
        finally:
            if server:
                server.stop()
    out = ROOT / "bench" / "results" / "ingest.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
