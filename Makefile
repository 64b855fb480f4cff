# tend — build, run and test.  `make run` and `make test` do all the set-up
# on a fresh Debian machine: missing packages are installed with apt-get.

BUILD    ?= build
CC       ?= cc
SAN      ?=
CFLAGS_BASE = -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -O2 -g -Iinclude
ifeq ($(SAN),1)
CFLAGS_BASE += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS_SAN = -fsanitize=address,undefined
endif

# Lazily expanded: pkg-config runs only after `deps` installed the packages.
# libcurl is dlopen()ed at the first probe (src/curlapi.c): its headers
# only, not linked.
PKGS     = ncursesw libcurl inih vterm
CFLAGS   = $(CFLAGS_BASE) $(shell pkg-config --cflags $(PKGS))
LDLIBS   = $(shell pkg-config --libs ncursesw inih vterm) -ldl
TESTLIBS = $(shell pkg-config --libs cmocka)

DEB_PACKAGES = pkg-config libncurses-dev libcurl4-openssl-dev libinih-dev \
	libcmocka-dev libvterm-dev python3 curl tmux procps less vim-tiny valgrind clang libclang-rt-14-dev \
	mandoc man-db systemd supervisor
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

SRCS     = $(wildcard src/*.c)
LIB_OBJS = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(filter-out src/main.c,$(SRCS)))
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
# libFuzzer targets: tests/fuzz/fuzz_NAME.c exercises src/NAME.c and the
# modules that one uses, listed below the fuzz rule.
FUZZ_BINS = $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 300
DEPS_STAMP = build/.deps-installed
NPROC   := $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps run test test-unit test-e2e fuzz bench screenshots clean format

all: $(BUILD)/tend

deps: $(DEPS_STAMP)

$(DEPS_STAMP): Makefile
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing \
	    >/dev/null || exit 1; \
	fi
	@mkdir -p $(dir $@) && touch $@

$(BUILD)/obj/%.o: src/%.c $(wildcard include/*.h) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libtend.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/tend: $(BUILD)/obj/main.o $(BUILD)/libtend.a
	$(CC) $(LDFLAGS_SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtend.a $(wildcard include/*.h) \
    $(wildcard tests/unit/*.h) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) $(LDFLAGS_SAN) -o $@ $< \
	  $(BUILD)/libtend.a $(LDLIBS) $(TESTLIBS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c src/%.c $(wildcard include/*.h) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -Iinclude -o $@ \
	  $(filter %.c,$^) -linih

build/fuzz/fuzz_ansi: src/ansiline.c src/sgr.c
build/fuzz/fuzz_config: src/configread.c src/configval.c src/procfile.c \
  src/dotenv.c src/runas.c

run: $(BUILD)/tend
	$(BUILD)/tend config/example.ini

# Every test; then again under AddressSanitizer + UBSan; the unit tests
# under valgrind; each fuzz target for a few seconds.  The last line is
# "N passed, N failed".
test: | $(DEPS_STAMP)
	@$(MAKE) --no-print-directory -j$(NPROC) $(BUILD)/tend $(UNIT_BINS) \
	  $(FUZZ_BINS)
	@$(MAKE) --no-print-directory -j$(NPROC) BUILD=build/san SAN=1 \
	  build/san/tend $(patsubst $(BUILD)/%,build/san/%,$(UNIT_BINS))
	@tests/run.sh --valgrind $(BUILD) --fuzz build/fuzz $(BUILD) build/san

# Longer fuzzing: FUZZ_SECONDS per target (new inputs go to build/, the
# checked-in corpus under tests/fuzz/corpus/ is read only).
fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
	  name=$${f#build/fuzz/fuzz_}; mkdir -p build/fuzz/work-$$name; \
	  echo "fuzz_$$name: $(FUZZ_SECONDS) s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    build/fuzz/work-$$name tests/fuzz/corpus/$$name 2>&1 | \
	    grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' || exit 1; \
	done

screenshots: $(BUILD)/tend
	screenshots/make.sh $(BUILD)/tend

test-unit: $(UNIT_BINS)
	@tests/run.sh --unit-only $(BUILD)

test-e2e: $(BUILD)/tend
	@tests/run.sh --e2e-only $(BUILD)

bench: $(BUILD)/tend
	@tests/bench/run.sh $(BUILD)

# make install PREFIX=/usr/local DESTDIR=: the binary and the man page.
PREFIX  ?= /usr/local
DESTDIR ?=
.PHONY: install uninstall
install: $(BUILD)/tend
	install -D -m 755 $(BUILD)/tend $(DESTDIR)$(PREFIX)/bin/tend
	install -D -m 644 tend.1 $(DESTDIR)$(PREFIX)/share/man/man1/tend.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tend $(DESTDIR)$(PREFIX)/share/man/man1/tend.1

format:
	clang-format -i src/*.c include/*.h tests/unit/*.c

clean:
	rm -rf build
