# Marsad: every target bootstraps .venv on a fresh machine (python3, pip, make, git).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
GOLD ?= ../shared/eval/gsr_dev

.PHONY: run demo test bench eval model golden lint clean fuzz

$(STAMP): pyproject.toml requirements.txt requirements-nodeps.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install -q --no-deps -r requirements-nodeps.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

DEMO_DB := .marsad/demo.db
PORT ?= 8000

## run: code the bundled sample articles into a fresh SQLite store and serve the dashboard
run: $(STAMP)
	mkdir -p .marsad && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/marsad ingest src/marsad/samples --db $(DEMO_DB) --source "Marsad samples"
	$(BIN)/marsad serve --db $(DEMO_DB) --host 127.0.0.1 --port $(PORT)

## demo: code the bundled sample articles and print a readable summary (no store, no server)
demo: $(STAMP)
	$(BIN)/marsad demo

## test: the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

## bench: cold one-core speed and --workers 2 (bench/speed.py), speed, scale, Spark, store ingest, API load (SQLite, then PostgreSQL), places (news set, real-news precision, IDRISI), dates, dedup and
## dev-gold accuracy (~30 min; the corpus benchmarks need ../shared/corpus/saudinewsnet). Results in
## bench/results/*.json.
bench: $(STAMP)
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/throughput.py --limit 0
	$(BIN)/python bench/scale.py --sizes 10000 31030 100000
	$(BIN)/python bench/spark.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/load.py --postgres
	$(BIN)/python bench/places.py
	$(BIN)/python bench/place_precision.py
	@if [ -d ../shared/eval/idrisi_ar_train ]; then $(BIN)/python bench/idrisi.py; else echo "no ../shared/eval/idrisi_ar_train: IDRISI skipped"; fi
	$(BIN)/python bench/dates.py
	$(BIN)/python bench/dedup.py
	$(BIN)/python bench/relevance.py
	$(BIN)/python bench/arguments_news.py
	$(BIN)/python bench/constructions.py
	$(BIN)/python bench/scenes_news.py
	@if [ -d "$(GOLD)" ]; then $(BIN)/marsad eval $(GOLD); else echo "no gold at $(GOLD): accuracy skipped"; fi

## eval: the detector's cross-validated accuracy on the dev gold (with and without the team set, PR
## curve, calibration, per-class figures on the team's held-out folds) and the argument ranker's
## strict source/target figures beside the rules' on the same folds, then the shipped models'
## in-sample figures, labelled as such (~4 min)
eval: $(STAMP)
	$(BIN)/marsad eval $(GOLD) --cv

## model: train the scene model (src/marsad/learn/data/scenes.npz) from data/places, then the
## shipped detector (detector.npz) from the dev gold and data/annotations and the argument ranker
## (arguments.npz) also from data/arguments, with fixed seeds; their cards record the
## cross-validated figures (~5 min). Scenes first: the detector's and ranker's cross-validation
## codes its folds through the whole pipeline, scene model included, so one run is a fixed point.
model: $(STAMP)
	$(BIN)/python -m marsad.learn.scenes train
	$(BIN)/marsad train --gold $(GOLD)

## golden: regenerate the golden files of the sample articles (review the diff!)
golden: $(STAMP)
	$(BIN)/python tests/golden/regenerate.py

## lint: ruff (lint and format) and mypy --strict on src/
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy --strict src

FUZZ_SECONDS ?= 120
FUZZ_WORK := .marsad/fuzz

## fuzz: coverage-guided fuzzing (atheris) of normalise/segment/code for FUZZ_SECONDS; seeds in fuzz/corpus, new inputs and crashes under .marsad/fuzz
fuzz: $(STAMP)
	mkdir -p $(FUZZ_WORK)/corpus $(FUZZ_WORK)/artifacts
	$(BIN)/python fuzz/fuzz_pipeline.py $(FUZZ_WORK)/corpus fuzz/corpus -dict=fuzz/pipeline.dict -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -artifact_prefix=$(FUZZ_WORK)/artifacts/

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
