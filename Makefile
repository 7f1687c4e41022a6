# Reelproof: `make run` serves the app with demo data, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Fonts: DejaVu for Latin, Greek and Cyrillic; Noto for the other scripts, CJK and emoji (static/pdf.css).
FONT_PACKAGES := fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core $(FONT_PACKAGES)

.PHONY: run test lint install check-system bench

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
		echo "Could not create a virtual environment. On Debian: sudo apt-get install python3.11-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

install: $(VENV)/.installed

check-system: install
	@$(PY) -c "import weasyprint" 2>/dev/null || { \
		echo "WeasyPrint cannot load Pango, which renders the PDFs."; \
		echo "On Debian: sudo apt-get install $(PANGO_PACKAGES)"; exit 1; }
	@# Missing fonts only make some glyphs print as empty boxes: a hint, never a failure.
	@for family in "Noto Sans" "Noto Sans CJK JP" "Noto Color Emoji"; do \
		fc-list "$$family" family 2>/dev/null | grep -q . || { \
			echo "Font \"$$family\" is missing: PDFs print text in scripts DejaVu lacks (CJK, emoji) as empty boxes."; \
			echo "On Debian: sudo apt-get install $(FONT_PACKAGES)"; break; }; \
	done

# PDFs print the address the app is served at: this port, unless REELPROOF_PUBLIC_URL is set. A local run
# serves on loopback, which a deployment with DEBUG=0 refuses (disclosure/checks.py).
run: export REELPROOF_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
run: export REELPROOF_ALLOW_LOOPBACK ?= 1
# A local run serves plain HTTP on the repository's key, which a deployment (DEBUG=0) refuses (config/checks.py).
run: export DEBUG ?= 1
run: check-system
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py send_reminders
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: check-system
	$(PY) -m pytest

# Ratios measured in one run, written to bench/RESULTS.md; BENCH_SMOKE=1 for a quick run on small numbers.
bench: check-system
	$(PY) -m bench

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
