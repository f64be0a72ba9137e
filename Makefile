# Two commands for a fresh clone: `make demo` and `make test`. Each sets itself up.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export OMP_NUM_THREADS := 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test install bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/whyrec demo

test: $(STAMP)
	$(PY) -m pytest -q --doctest-modules kg reasoning generation training whyrec tests

bench: $(STAMP)
	$(PY) benchmarks/bench_load.py

clean:
	rm -rf $(VENV) build *.egg-info
