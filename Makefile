# Two commands for a newcomer: `make run` and `make test`. Both are idempotent.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
VENV       := .venv
PY         := $(VENV)/bin/python
PORT       ?= 8080
CMAKE_GEN  := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: all deps system-deps build asan run test unit e2e node-test venv bench format clean

all: build

system-deps:
	@scripts/install_system_deps.sh

deps: system-deps .deps/.stamp

.deps/.stamp: scripts/fetch_deps.sh
	@scripts/fetch_deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

$(ASAN_BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIDCARD_SANITIZE=ON

asan: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j$(JOBS) --target unit_tests

$(VENV)/.stamp: requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV)/.stamp

run: build
	$(BUILD)/idcard-ocr serve --host 127.0.0.1 --port $(PORT)

test-deps:
	@WITH_TEST_DEPS=1 scripts/install_system_deps.sh

unit: asan
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure

e2e: build venv
	IDCARD_OCR_BIN=$(abspath $(BUILD)/idcard-ocr) $(PY) -m pytest -q tests/e2e

node-test: build
	cd clients/node && IDCARD_OCR_BIN=$(abspath $(BUILD)/idcard-ocr) npm test

test: test-deps build unit e2e node-test

bench: build venv
	$(PY) bench/run_bench.py --bin $(BUILD)/idcard-ocr

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
