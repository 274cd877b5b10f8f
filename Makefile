# Two commands: `make demo` and `make test`. Both set up what is missing first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# chi-sim + the WenQuanYi font: bilingual (English + Simplified Chinese) documents are OCR'd with
# chi_sim, and the generator embeds that TrueType CJK font so their scans show the Chinese glyphs.
# postgresql and redis-server: the service's database and job broker beyond the embedded SQLite
# defaults; the tests start throw-away servers of both (tests/servers.py), nothing runs as a daemon.
# default-jre-headless: Java 17+ for `batch --engine spark` (Debian 12: OpenJDK 17).
# chromium and chromium-driver: the review desk's browser tests (make test-browser), headless.
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim fonts-wqy-microhei poppler-utils \
	postgresql redis-server default-jre-headless chromium chromium-driver
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

.PHONY: setup system venv demo test test-hostile test-slow test-spark test-browser lint model ner doctype fields world bench clean

setup: system venv

# System packages: installed only when a binary, language or font is missing, so a second run is
# instant.
system:
	@if ! command -v tesseract >/dev/null || ! command -v pdftoppm >/dev/null \
	   || ! tesseract --list-langs 2>/dev/null | grep -qx eng \
	   || ! tesseract --list-langs 2>/dev/null | grep -qx chi_sim || [ ! -f $(CJK_FONT) ] \
	   || ! command -v redis-server >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	   || ! command -v java >/dev/null || ! command -v chromium >/dev/null \
	   || ! command -v chromedriver >/dev/null; then \
	  echo "installing $(APT_PACKAGES)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi
	@# Debian's own Python ships venv (and ensurepip) as a separate package.
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3.11-venv >/dev/null; \
	fi

# The venv is rebuilt only when a pyproject.toml changes. Serving (`tradeverify`) and the training
# side (`training/`, tradeverify-train: generator, training, evaluation) are separate distributions;
# developers get both, a bank's deployment needs only the first.
venv: $(VENV)/.stamp
$(VENV)/.stamp: pyproject.toml training/pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,spark]' -e './training[notebook]'
	@touch $@

demo: setup
	$(BIN)/tradeverify batch data_samples/submissions --out out/reports.csv --reports-dir out/reports

test: setup
	$(BIN)/python -m pytest -q

# The fuzz corpus (1,000 mutated and hostile documents) and the 20 kill trials: ~10 minutes.
test-hostile: setup
	$(BIN)/python -m pytest -q -s -m hostile tests/fuzz

# A scanned-mix world of a new seed, verified end to end: no medium or high report without a reason;
# and the registered champion loading in a fresh virtualenv made from its own requirements (~2 min).
test-slow: setup
	$(BIN)/python -m pytest -q -s -m slow tests/slow

# Batch verification on a real Spark session (local[2], Java from default-jre-headless): ~2 minutes.
test-spark: setup
	$(BIN)/python -m pytest -q -m spark tests/spark

# The review desk in headless Chromium (sign in, queue, flagged submission, decision, audit trail);
# screenshots in out/test-artifacts/ (~30 s).
test-browser: setup
	$(BIN)/python -m pytest -q -m browser tests/browser

# lint-imports: serving never imports training code, and the layers import only downwards
# (contracts in pyproject.toml, [tool.importlinter]).
lint: setup
	$(BIN)/ruff check src training/src training/explore.ipynb tests benchmarks
	$(BIN)/mypy src training/src
	$(BIN)/lint-imports

# Rebuild the packaged model and the samples from a seeded world (see training/README.md).
model: setup
	$(BIN)/tradeverify train --config training/default.yaml --export models/risk

# Retrain the NER model (parties, addresses, goods) from a seeded world into models/ner/.
ner: setup
	$(BIN)/python -m tradeverify_train.nlp.train --config training/spacy/config.cfg --out models/ner --seed 21 --n 120

# Retrain the document-type classifier (JSON weights) from seeded worlds into models/doctype/.
doctype: setup
	$(BIN)/python -m tradeverify_train.nlp.doctype_train --out models/doctype/model.json --seed 31

# Retrain the field scorer (JSON weights) from seeded worlds into models/fields/.
fields: setup
	$(BIN)/python -m tradeverify_train.nlp.field_train --out models/fields/model.json --seed 41

bench: setup
	$(BIN)/python benchmarks/pipeline.py

clean:
	rm -rf out mlruns mlflow.db worlds
