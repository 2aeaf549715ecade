# Swarm -- plain GNU Makefile; every output goes under build/.
#   make            swarmc, the runtime library, the demo target
#   make demo       build, start the demo target, run a sample for ~10 s
#   make check      build and run every test (ends with "N passed, N failed")
#   make bench      side-by-side benchmark against wrk and Locust
#   make fuzz       AFL++ on every fuzz harness, FUZZ_TIME seconds each (docs/testing.md)
#   make install PREFIX=/usr/local [DESTDIR=...]
#   make B=dir ...  the same, with every output under dir/ instead of build/
# CC, CFLAGS, CPPFLAGS, LDFLAGS and LDLIBS are honoured on every compile and
# link line; header dependencies are tracked with -MMD -MP (build/**/*.d).

.DEFAULT_GOAL := all

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Werror
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
LDLIBS_RT := -lcurl -levent -lzmq -lmsgpackc -lpcre2-8 -lhttp_parser -lz -lm
BISON    ?= bison
FLEX     ?= flex
PREFIX   ?= /usr/local
B        := build

ALL_CFLAGS = $(WARN) $(CPPFLAGS) $(CFLAGS)
# Each object also writes its header dependencies next to it (x.o -> x.d).
DEPFLAGS  = -MMD -MP -MF $(@:.o=.d) -MT $@
LINK      = $(CC) $(CFLAGS) $(LDFLAGS)

# ---- runtime library --------------------------------------------------
RT_SRC := $(sort $(wildcard runtime/*.c))
RT_OBJ := $(RT_SRC:%.c=$(B)/%.o)
RT_LIB := $(B)/lib/swarm/libswarm.a
RT_HDR := $(B)/include/swarm/sw.h

$(B)/runtime/%.o: runtime/%.c | $(B)/runtime
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Iruntime -c $< -o $@

# ---- the web UI's files, embedded into the runtime ------------------------
CHARTJS  ?= /usr/share/javascript/chart.js/chart.min.js
PAGE_SRC := $(sort $(wildcard runtime/page/*))
ifneq ($(wildcard scripts/embed.sh),)
RT_OBJ   += $(B)/gen/assets.o
endif

$(B)/gen/assets.c: $(PAGE_SRC) $(CHARTJS) scripts/embed.sh | $(B)/gen
	sh scripts/embed.sh $@ $(CHARTJS) $(PAGE_SRC)

$(B)/gen/assets.o: $(B)/gen/assets.c
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Iruntime -c $< -o $@

$(RT_LIB): $(RT_OBJ) | $(B)/lib/swarm
	rm -f $@ && ar rcs $@ $^

$(RT_HDR): runtime/sw.h | $(B)/include/swarm
	cp $< $@

# ---- compiler ----------------------------------------------------------
GRAM_C := $(B)/grammar/parser.c $(B)/grammar/lexer.c
CC_SRC := $(sort $(wildcard compiler/*.c))
CC_OBJ := $(CC_SRC:%.c=$(B)/%.o) $(GRAM_C:.c=.o)
# issue 10: swarmc parses threshold/arrival lines with the runtime's parser
CC_OBJ += $(B)/runtime/thrspec.o

$(B)/grammar/parser.c $(B)/grammar/parser.h &: grammar/parser.y | $(B)/grammar
	$(BISON) -Wall -Werror --defines=$(B)/grammar/parser.h -o $(B)/grammar/parser.c $<

$(B)/grammar/lexer.c $(B)/grammar/lexer.h &: grammar/lexer.l | $(B)/grammar
	$(FLEX) --header-file=$(B)/grammar/lexer.h -o $(B)/grammar/lexer.c $<

# The generated headers are listed so that they exist before anything that
# may include them is compiled (order-only for compiler/: none includes them
# today); the rest comes from the .d files.
$(B)/grammar/lexer.o: $(B)/grammar/lexer.c $(B)/grammar/parser.h
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Icompiler -I$(B)/grammar -c $< -o $@
$(B)/grammar/parser.o: $(B)/grammar/parser.c $(B)/grammar/lexer.h
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Icompiler -I$(B)/grammar -c $< -o $@

$(B)/compiler/%.o: compiler/%.c | $(B)/grammar/parser.h $(B)/grammar/lexer.h $(B)/compiler
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Icompiler -I$(B)/grammar -c $< -o $@

$(B)/swarmc: $(CC_OBJ) $(RT_LIB) $(RT_HDR)
	$(LINK) -o $@ $(CC_OBJ) -lpcre2-8 $(LDLIBS)

# ---- demo target server ---------------------------------------------------
TG_OBJ := $(patsubst %.c,$(B)/%.o,$(sort $(wildcard samples/target/*.c)))

$(B)/samples/target/%.o: samples/target/%.c | $(B)/samples/target
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(B)/demo-target: $(TG_OBJ)
	$(LINK) -o $@ $^ -levent -lm $(LDLIBS)

# ---- hostile target: broken responses for the HTTP engine tests ------------
$(B)/hostile-target: samples/hostile/hostile.c | $(B)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< -levent -lz $(LDLIBS)

# ---- unit tests -------------------------------------------------------
UT_SRC := $(sort $(wildcard tests/units/test_*.c))
UT_BIN := $(UT_SRC:tests/units/%.c=$(B)/tests/%)

$(B)/units/%.o: tests/units/%.c | $(B)/units
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Iruntime -Itests/units -c $< -o $@

$(B)/tests/%: $(B)/units/%.o $(RT_LIB) | $(B)/tests
	$(LINK) -o $@ $< $(RT_LIB) $(LDLIBS_RT) $(LDLIBS)

# ---- fuzz harnesses (tests/fuzz/NAME.c; docs/testing.md, "Fuzzing") -------
# Adding one: write tests/fuzz/NAME.c and one line FUZZ_NAME := what it links
# (objects or libraries besides libc; the runtime's libraries always follow).
# `make fuzzers` builds them with $(CC) into $(B)/fuzz/ (make check replays
# tests/fuzz/NAME/{corpus,crashes,regressions}/* through them); `make fuzz`
# builds them with afl-cc into $(B)/afl/fuzz/ and runs afl-fuzz on each.
FUZZ_front  := $(filter-out $(B)/compiler/main.o,$(CC_OBJ))
FUZZ_json   := $(RT_LIB)
FUZZ_webreq := $(RT_LIB)
FUZZ_msg    := $(RT_LIB)
FUZZ_h1     := $(RT_LIB)

FZ_NAMES := $(sort $(basename $(notdir $(wildcard tests/fuzz/*.c))))
FZ_BIN   := $(FZ_NAMES:%=$(B)/fuzz/%)
FUZZ_TIME ?= 60
AFL_CC   ?= afl-cc

.SECONDEXPANSION:
$(B)/fuzz/%: tests/fuzz/%.c $$(FUZZ_$$*) | $(B)/fuzz
	$(CC) $(ALL_CFLAGS) -MMD -MP -MF $@.d -MT $@ -Iruntime -Icompiler -I$(B)/grammar \
	    -Itests/fuzz $(LDFLAGS) -o $@ $< $(FUZZ_$*) $(LDLIBS_RT) $(LDLIBS)

fuzzers: $(FZ_BIN)

# The instrumented build is the same Makefile with B=$(B)/afl and CC=afl-cc
# (ASan + UBSan inside unless FUZZ_SAN=0); scripts/fuzz.sh runs afl-fuzz
# FUZZ_TIME seconds per harness (FUZZ=name ... for some only) and copies new
# crashes into tests/fuzz/NAME/crashes/.
FUZZ_SAN ?= 1
fuzz:
	@sh scripts/deps.sh afl++
	AFL_USE_ASAN=$(filter 1,$(FUZZ_SAN)) AFL_USE_UBSAN=$(filter 1,$(FUZZ_SAN)) \
	    $(MAKE) B=$(B)/afl CC=$(AFL_CC) fuzzers
	sh scripts/fuzz.sh $(B)/afl/fuzz $(B)/fuzz-out $(FUZZ_TIME) $(or $(FUZZ),$(FZ_NAMES))

# ---- top-level targets --------------------------------------------------
.PHONY: all deps check demo bench install clean units fuzzers fuzz

all: $(B)/swarmc $(RT_LIB) $(RT_HDR) $(B)/demo-target $(B)/hostile-target

deps:
	@sh scripts/deps.sh

units: $(UT_BIN)

# Unit-test objects are kept (their .d files refer to them).
.SECONDARY: $(UT_SRC:tests/units/%.c=$(B)/units/%.o)

check: deps
	$(MAKE) all units fuzzers
	@bash tests/run.sh

demo: deps
	$(MAKE) all
	@bash scripts/demo.sh

bench: deps
	$(MAKE) all
	@bash bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/swarm $(DESTDIR)$(PREFIX)/include/swarm
	install -m 755 $(B)/swarmc $(DESTDIR)$(PREFIX)/bin/swarmc
	install -m 644 $(RT_LIB) $(DESTDIR)$(PREFIX)/lib/swarm/libswarm.a
	install -m 644 $(RT_HDR) $(DESTDIR)$(PREFIX)/include/swarm/sw.h

clean:
	rm -rf $(B)

$(B) $(B)/gen $(B)/runtime $(B)/compiler $(B)/grammar $(B)/tests $(B)/lib/swarm $(B)/include/swarm $(B)/samples/target $(B)/units $(B)/fuzz:
	mkdir -p $@

# Header dependencies written by earlier builds (none on a clean tree).
-include $(wildcard $(B)/*/*.d $(B)/samples/target/*.d)
