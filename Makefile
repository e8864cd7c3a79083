# Two commands for a newcomer: `make run` and `make test`. Both are idempotent.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_RUNS  ?= 10000
FUZZ_MAX_SECONDS ?= 600
JOBS       ?= $(shell nproc)
VENV       := .venv
PY         := $(VENV)/bin/python
PORT       ?= 8080
CMAKE_GEN  := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
GO         ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)

.PHONY: all deps system-deps build asan run test unit e2e tools-test browser-test fuzz node-test venv bench format clean train-rec train-rec-venv

all: build

system-deps:
	@scripts/install_system_deps.sh

deps: system-deps .deps/.stamp

.deps/.stamp: scripts/fetch_deps.sh models/rec_tuning.bin
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
	$(BUILD)/idcard-ocr serve --host 127.0.0.1 --port $(PORT) --data-dir data

test-deps:
	@WITH_TEST_DEPS=1 scripts/install_system_deps.sh

# The PostgreSQL store tests need a server: ensure_postgres.sh starts a throwaway one if none
# is given; they skip without it locally and fail without it under CI=true.
unit: asan
	pg_url=$$(scripts/ensure_postgres.sh) || { [ "$$CI" != true ] || exit 1; pg_url=; }; \
	cd $(ASAN_BUILD) && IDCARD_TEST_PG_URL=$$pg_url ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure

# The Go SDK test's modules, pinned by tests/sdk/go/go.sum: fetched here, never while testing.
sdk-go-deps:
	cd tests/sdk/go && GOFLAGS=-mod=readonly GOTOOLCHAIN=local $(GO) mod download

# The Java SDK test's jars (WxJava, pinned in tests/sdk/java/pom.xml, checksums enforced) into
# tests/sdk/java/target/deps: fetched here, only compiled against and run while testing.
sdk-java-deps:
	cd tests/sdk/java && mvn -q -B -C dependency:copy-dependencies -DoutputDirectory=target/deps -DincludeScope=runtime

# Includes the API reference checks and the real WeChat SDKs (wechatpy, silenceper/wechat, WxJava).
e2e: build venv sdk-go-deps sdk-java-deps
	IDCARD_OCR_BIN=$(abspath $(BUILD)/idcard-ocr) IDCARD_GO=$(GO) $(PY) -m pytest -q tests/e2e

# Fine-tune the recognizer's last layer on CPU (issue 14) and rewrite models/rec_tuning.bin and
# tools/train_rec/report.{md,json}. Never part of `make run` / `make test`. ~25 min on 2 cores from a clean clone.
TRAIN_VENV := tools/train_rec/.venv
$(TRAIN_VENV)/.stamp: tools/train_rec/requirements.txt
	python3 -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/pip install --quiet --disable-pip-version-check -r tools/train_rec/requirements.txt
	touch $@

train-rec-venv: $(TRAIN_VENV)/.stamp

train-rec: deps train-rec-venv
	$(TRAIN_VENV)/bin/python -m tools.train_rec --workers 2

# The Python tools' own tests (card generator, benchmark scoring).
tools-test: venv
	$(PY) -m pytest -q tests/tools

tests/browser/node_modules/.stamp: tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund
	touch $@

# The demo page in Debian's headless Chromium (playwright-core, no browser download).
browser-test: build tests/browser/node_modules/.stamp
	cd tests/browser && IDCARD_OCR_BIN=$(abspath $(BUILD)/idcard-ocr) node --test

# libFuzzer run (clang-14): each target for FUZZ_RUNS inputs on a scratch copy of its corpus.
$(FUZZ_BUILD)/CMakeCache.txt: | deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DIDCARD_FUZZ=ON -DIDCARD_BUILD_TESTS=OFF

# Each target runs FUZZ_RUNS inputs (mutated from the corpus) and fails unless it ran them all
# within FUZZ_MAX_SECONDS: a short count would be a silent pass.
fuzz: deps $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_upload_request fuzz_image_decode
	for t in upload:fuzz_upload_request image:fuzz_image_decode; do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$${t%%:*} $(FUZZ_BUILD)/artifacts && log=$(FUZZ_BUILD)/$${t%%:*}.log && \
	  { ASAN_OPTIONS=detect_leaks=0 $(FUZZ_BUILD)/tests/fuzz/$${t#*:} -runs=$(FUZZ_RUNS) \
	    -max_total_time=$(FUZZ_MAX_SECONDS) -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/artifacts/ \
	    $(FUZZ_BUILD)/corpus/$${t%%:*} tests/fuzz/corpus/$${t%%:*} > $$log 2>&1 || { tail -n 60 $$log; exit 1; }; } && \
	  runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log) && \
	  echo "fuzz $${t%%:*}: $$runs inputs, no crash, hang or undocumented answer" && \
	  [ "$${runs:-0}" -ge $(FUZZ_RUNS) ] || { echo "fuzz $${t%%:*}: only $${runs:-0} of $(FUZZ_RUNS) inputs ran"; exit 1; }; \
	done

# Dockerfile, compose, Kubernetes and systemd files, linted offline (also part of e2e).
deploy-lint: build venv
	IDCARD_OCR_BIN=$(abspath $(BUILD)/idcard-ocr) $(PY) -m pytest -q tests/e2e/test_deploy_files.py

python-client-test: build venv
	IDCARD_OCR_BIN=$(abspath $(BUILD)/idcard-ocr) $(PY) -m pytest -q clients/python/tests

# make test runs the Python client too (the SDK and deployment checks run inside e2e).
.PHONY: sdk-go-deps sdk-java-deps python-client-test deploy-lint
test: python-client-test

node-test: build
	cd clients/node && IDCARD_OCR_BIN=$(abspath $(BUILD)/idcard-ocr) npm test

test: test-deps build unit e2e tools-test browser-test fuzz node-test

bench: build venv
	$(PY) bench/run_bench.py --bin $(BUILD)/idcard-ocr --count 200 --seed 7 --stress 60

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
