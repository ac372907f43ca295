# The course's two commands on a fresh machine (see README.md):
#
#   make site    set up .venv, execute every chapter and build the website -> _build/html/index.html
#   make test    set up .venv, run the unit tests, every notebook through nbval, and the website
#                built from those runs and checked in headless Chromium
#
# Choose the run profile with LSTM_COURSE_PROFILE=quick|standard|full (site default: standard,
# test default: quick), and point LSTM_COURSE_DATA at local copies of the datasets when offline.
#
# Also: make pdf (the book as one PDF), make lock (refresh requirements.lock), make format (ruff
# and nbstripout fix what they can), make clean.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_PROFILE := $(or $(LSTM_COURSE_PROFILE),standard)
TEST_PROFILE := $(or $(LSTM_COURSE_PROFILE),quick)
# One test worker per core, at most four (each worker runs a notebook's kernel with TensorFlow,
# 1 to 2 GB): two on the two-core CI machine, four on GitHub's runners for public repositories.
# `--dist loadfile` keeps each notebook on one worker.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2); \
	echo $$(( n > 4 ? 4 : n )))
# Notebooks run in their own folders, where a relative LSTM_COURSE_DATA (as the README writes it)
# or LSTM_COURSE_CACHE would name the wrong place: make them absolute, relative to this folder,
# for every command below.
ifneq ($(LSTM_COURSE_DATA),)
ifeq ($(filter /% ~%,$(firstword $(LSTM_COURSE_DATA))),)
override LSTM_COURSE_DATA := $(CURDIR)/$(LSTM_COURSE_DATA)
endif
export LSTM_COURSE_DATA
endif
ifneq ($(LSTM_COURSE_CACHE),)
ifeq ($(filter /% ~%,$(firstword $(LSTM_COURSE_CACHE))),)
override LSTM_COURSE_CACHE := $(CURDIR)/$(LSTM_COURSE_CACHE)
endif
export LSTM_COURSE_CACHE
endif

.PHONY: site test venv lock format pdf vendor-mermaid clean

# requirements.txt states what the course needs (ranges); requirements.lock pins the versions it
# is tested with, and every install here goes through it.
# uv installs the locked versions in about a minute on a fresh machine, where pip took about three
# (benchmarks/README.md); pip only installs uv itself, at its locked version.
# UV_COMPILE: where PYTHONDONTWRITEBYTECODE is set, Python never caches bytecode by itself, and
# without --compile-bytecode every kernel's `import tensorflow` would take 13 s instead of 6.
# .ci/run lets Python write its own cache instead (UV_COMPILE empty, PYTHONDONTWRITEBYTECODE unset):
# compiling only the modules the tests import is cheaper than compiling all 2.4 GB ahead.
UV_COMPILE ?= --compile-bytecode
$(VENV)/.installed: requirements.txt requirements-dev.txt requirements.lock pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv -c requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python $(UV_COMPILE) \
		-r requirements.txt -r requirements-dev.txt -c requirements.lock
	touch $@

venv: $(VENV)/.installed

# Executed outputs are cached per notebook (in _build); a different profile needs a fresh build.
# sphinxcontrib-bibtex can fail with a KeyError on an environment saved before references.bib
# changed: start Sphinx afresh then (executed notebooks stay cached).
define prepare_build
	@if [ -f _build/.profile ] && [ "$$(cat _build/.profile)" != "$(SITE_PROFILE)" ]; then \
		echo "Run profile changed to $(SITE_PROFILE): removing the previous build"; rm -rf _build; fi
	@mkdir -p _build && echo "$(SITE_PROFILE)" > _build/.profile
	@if [ -f _build/.doctrees/environment.pickle ] && [ references.bib -nt _build/.doctrees/environment.pickle ]; then \
		echo "references.bib changed: rebuilding Sphinx's environment"; rm -rf _build/.doctrees; fi
endef

site: venv
	$(prepare_build)
	LSTM_COURSE_PROFILE=$(SITE_PROFILE) $(BIN)/jupyter-book build . -W --keep-going
	@echo ""
	@echo "The website ($(SITE_PROFILE) profile) is at _build/html/index.html"
	@echo "To run the notebooks yourself:  . $(BIN)/activate && jupyter lab"

# The whole book as one PDF, from the notebooks `make site` executed (the same cache in _build;
# without it, every chapter executes first). LaTeX comes from Debian's packages: installed here
# when missing (about 120 MB to download, 390 MB on disk), or named so that you can install them.
PDF_PACKAGES := texlive-xetex texlive-latex-extra texlive-latex-recommended texlive-fonts-recommended \
	tex-gyre latexmk fonts-freefont-otf poppler-utils
pdf: venv
	@missing=$$(for p in $(PDF_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done | tr '\n' ' '); \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo -n"; \
		echo "make pdf needs LaTeX from Debian; installing: $$missing"; \
		if ! command -v apt-get >/dev/null || ! { $$sudo apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }; then \
			echo "Could not install them: run  sudo apt-get install $$missing  (or your system's TeX Live with xelatex and latexmk)"; exit 1; fi; \
	else echo "LaTeX toolchain present ($(firstword $(PDF_PACKAGES)) and the rest)"; fi
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		{ echo "make pdf draws the mermaid diagrams in headless Chromium: apt-get install chromium chromium-driver"; exit 1; }
	$(prepare_build)
	LSTM_COURSE_PROFILE=$(SITE_PROFILE) $(BIN)/jupyter-book build . --builder pdflatex -W --keep-going
	@echo ""
	@echo "The book ($(SITE_PROFILE) profile) is at _build/latex/lstm-course.pdf"

# Two stages, one execution of each notebook: (1) unit tests and every notebook through nbval,
# which keeps the executed notebooks in _build/nbval; (2) the website built from them (executing
# only notebooks that stage 1 did not pass) and checked in headless Chromium. Both stages always
# run; the target fails if either failed. Stage 2 collects only the files that hold book tests:
# collecting the others would import TensorFlow for nothing (6 to 8 s).
BOOK_TESTS = $(shell grep -l "pytest.mark.book" tests/test_*.py)
test: venv
	@status=0; \
	LSTM_COURSE_PROFILE=$(TEST_PROFILE) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not book" || status=$$?; \
	LSTM_COURSE_PROFILE=$(TEST_PROFILE) $(BIN)/python -m pytest -m book $(BOOK_TESTS) || status=$$?; \
	exit $$status

# Refresh the lock: the newest versions that requirements*.txt allow, for every platform and for
# Python 3.10 and newer. `make lock LOCK_UPGRADE=` only adds what changed in requirements*.txt.
LOCK_UPGRADE ?= --upgrade
lock: venv
	$(BIN)/uv pip compile --quiet --universal --python-version 3.10 $(LOCK_UPGRADE) \
		--no-emit-package lstm-course --annotation-style line --custom-compile-command "make lock" \
		requirements.txt requirements-dev.txt -o requirements.lock
	@echo "requirements.lock refreshed: run make test (and make site) before committing it"

# The pre-commit hooks on the whole repository: the first pass fixes what it can, the second
# reports what is left to fix by hand.
format: venv
	-$(BIN)/pre-commit run --all-files >/dev/null
	$(BIN)/pre-commit run --all-files

# Replace the copy of mermaid that the site serves (_ext/static/mermaid) with another release
# from the npm registry (needs npm); keep mermaid_version in _config.yml equal to it.
MERMAID_VERSION ?= 11.12.1
vendor-mermaid:
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent mermaid@$(MERMAID_VERSION) >/dev/null \
		&& tar xzf mermaid-$(MERMAID_VERSION).tgz && cd - >/dev/null \
		&& cp $$tmp/package/dist/mermaid.min.js $$tmp/package/LICENSE _ext/static/mermaid/ && rm -rf $$tmp
	@echo "mermaid $(MERMAID_VERSION) copied to _ext/static/mermaid: set mermaid_version in _config.yml to it"

clean:
	rm -rf _build test-artifacts
