# The course's two commands on a fresh machine (see README.md):
#
#   make site    set up .venv, execute every chapter and build the website -> _build/html/index.html
#   make test    set up .venv, run the unit tests, every notebook through nbval, and the website
#                built from those runs and checked in headless Chromium
#
# Choose the run profile with LSTM_COURSE_PROFILE=quick|standard|full (site default: standard,
# test default: quick), and point LSTM_COURSE_DATA at local copies of the datasets when offline.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_PROFILE := $(or $(LSTM_COURSE_PROFILE),standard)
TEST_PROFILE := $(or $(LSTM_COURSE_PROFILE),quick)
# Two workers suit a two-core machine; `--dist loadfile` keeps each notebook on one worker.
PYTEST_WORKERS ?= 2
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

.PHONY: site test venv clean

$(VENV)/.installed: requirements.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

site: venv
	@# Executed outputs are cached per notebook; a different profile needs a fresh build.
	@if [ -f _build/.profile ] && [ "$$(cat _build/.profile)" != "$(SITE_PROFILE)" ]; then \
		echo "Run profile changed to $(SITE_PROFILE): removing the previous build"; rm -rf _build; fi
	@mkdir -p _build && echo "$(SITE_PROFILE)" > _build/.profile
	@# sphinxcontrib-bibtex can fail with a KeyError on an environment saved before references.bib
	@# changed: start Sphinx afresh then (executed notebooks stay cached).
	@if [ -f _build/.doctrees/environment.pickle ] && [ references.bib -nt _build/.doctrees/environment.pickle ]; then \
		echo "references.bib changed: rebuilding Sphinx's environment"; rm -rf _build/.doctrees; fi
	LSTM_COURSE_PROFILE=$(SITE_PROFILE) $(BIN)/jupyter-book build . -W --keep-going
	@echo ""
	@echo "The website ($(SITE_PROFILE) profile) is at _build/html/index.html"
	@echo "To run the notebooks yourself:  . $(BIN)/activate && jupyter lab"

# Two stages, one execution of each notebook: (1) unit tests and every notebook through nbval,
# which keeps the executed notebooks in _build/nbval; (2) the website built from them (executing
# only notebooks that stage 1 did not pass) and checked in headless Chromium. Both stages always
# run; the target fails if either failed.
test: venv
	@status=0; \
	LSTM_COURSE_PROFILE=$(TEST_PROFILE) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not book" || status=$$?; \
	LSTM_COURSE_PROFILE=$(TEST_PROFILE) $(BIN)/python -m pytest -m book || status=$$?; \
	exit $$status

clean:
	rm -rf _build test-artifacts
