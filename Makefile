# The two everyday commands: `make demo` (full pipeline against the embedded fake exchange)
# and `make test` (every test). Both install what is missing first.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT_TEST_FLAGS ?=
# Release binaries link the Swift runtime and Foundation statically: each process (the CLI, the
# scheduler, every worker it spawns) then skips most dynamic symbol binding at start-up, which
# took a sixth of a cold 200-task `dags trigger --wait`.
RELEASE_BUILD := swift build -c release --static-swift-stdlib

.PHONY: deps test-deps demo test bench soak fuzz format
deps:
	@pkg-config --exists libcurl zlib libisal sqlite3 2>/dev/null && python3 -m venv --help >/dev/null 2>&1 || { \
	  echo "installing libcurl4-openssl-dev libsqlite3-dev zlib1g-dev libisal-dev pkg-config python3-venv"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq libcurl4-openssl-dev libsqlite3-dev zlib1g-dev libisal-dev pkg-config python3-venv; }

# PostgreSQL's server (Debian's package) and iproute2, for the PostgreSQL and multi-host tests.
test-deps: deps
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v ip >/dev/null || { \
	  echo "installing postgresql iproute2"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql iproute2; }

demo: deps
	$(RELEASE_BUILD) --product updraft
	.build/release/updraft demo

# Each step's temporary files (homes, databases, logs) go to a folder of its own, removed after it.
WITH_TMPDIR := Tests/with-tmpdir

test: test-deps
	$(WITH_TMPDIR) swift build --build-tests
	$(WITH_TMPDIR) Tests/postgres/with-cluster swift test --skip-build $(SWIFT_TEST_FLAGS)
	$(WITH_TMPDIR) Tests/fuzz/run 30
	$(WITH_TMPDIR) Tests/multihost/run
	$(WITH_TMPDIR) Tests/api-client/run
	$(WITH_TMPDIR) Tests/browser/run

bench: test-deps
	@command -v wrk >/dev/null || { echo "installing wrk"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }
	$(RELEASE_BUILD) --product updraft
	$(RELEASE_BUILD) --product updraft-bench
	UPDRAFT_BIN=.build/release/updraft $(WITH_TMPDIR) Tests/postgres/with-cluster .build/release/updraft-bench all

# The scheduler against the sandbox for MINUTES minutes with random faults and kill -9s; the report
# (runs, interrupted tries, RSS and fds over time, sizes, warehouse gaps) goes to .build/soak/<time>/.
MINUTES ?= 60
soak: deps
	$(RELEASE_BUILD) --product updraft
	Tests/soak/run --minutes $(MINUTES)

# Builds the libFuzzer targets (release, address sanitizer, under .build/fuzz) and runs each in
# turn for SECONDS (default 600); fails naming the target and input of any crash (Tests/fuzz/run).
SECONDS ?= 600
fuzz: deps
	Tests/fuzz/run $(SECONDS)

# Formats the code with the toolchain's swift-format and the repository's .swift-format.
format:
	swift format format --in-place --parallel --recursive Package.swift Sources Tests dags
