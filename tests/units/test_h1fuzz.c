/*
 * test_h1fuzz.c -- the native engine's message code (runtime/h1msg.c) on
 * the fuzz corpus (tests/fuzz/h1/corpus) and on a short, seeded run of
 * mutations of it: the short fuzz run of make check (the long one is
 * `make fuzz FUZZ=h1` with afl++). Each corpus file's verdict is checked
 * against what it should be; mutated inputs must keep the reader's
 * invariants (h1_harness.h aborts otherwise, which fails the suite).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../fuzz/h1_harness.h"

#define CORPUS "tests/fuzz/h1/corpus"
#define MUTATIONS 20000

typedef struct input {
    char name[64];
    uint8_t *data;
    size_t len;
} input;

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int load(const char *name, input *in)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", CORPUS, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    in->data = malloc(1 << 16);
    in->len = in->data ? fread(in->data, 1, 1 << 16, f) : 0;
    fclose(f);
    snprintf(in->name, sizeof in->name, "%.63s", name);
    return in->data ? 0 : -1;
}

/* The verdict and body of one corpus input, run by hand (not the harness,
 * which frees the response). */
static int verdict(const input *in, char *body, size_t cap, sw_neterr *kind)
{
    sw_h1m_resp r;
    memset(&r, 0, sizeof r);
    sw_h1m_begin(&r, in->data[0] & 1);
    const char *d = (const char *)in->data + 1;
    size_t n = in->len - 1;
    if (in->data[0] & 32) {
        const char *nl = memchr(d, '\n', n);
        n -= (size_t)(nl + 1 - d);
        d = nl + 1;
    }
    int st = sw_h1m_feed(&r, d, n);
    if (st == SW_H1M_MORE)
        st = sw_h1m_eof(&r);
    snprintf(body, cap, "%.*s", (int)r.body.len, r.body.p ? r.body.p : "");
    *kind = r.fail_kind;
    sw_h1m_free(&r);
    return st;
}

int main(void)
{
    static const struct { const char *file; int st; const char *body; sw_neterr kind; } want[] = {
        { "cl", SW_H1M_DONE, "hello", 0 },
        { "chunked", SW_H1M_DONE, "hello world", 0 },
        { "eof", SW_H1M_DONE, "until the end", 0 },
        { "http10", SW_H1M_DONE, "old", 0 },
        { "continue", SW_H1M_DONE, "ok", 0 },
        { "notmodified", SW_H1M_DONE, "", 0 },
        { "head", SW_H1M_DONE, "", 0 },
        { "redirect", SW_H1M_DONE, "", 0 },
        { "url", SW_H1M_DONE, "", 0 },
        { "gzip", SW_H1M_DONE, "hello hello hello hello hello hello hello hello hello hello!!!!", 0 },
        { "deflate", SW_H1M_DONE, "hello hello hello hello hello hello hello hello hello hello!!!!", 0 },
        { "rawdeflate", SW_H1M_DONE, "hello hello hello hello hello hello hello hello hello hello!!!!", 0 },
        { "switch", SW_H1M_ERROR, NULL, SW_NE_UPGRADE },
        { "garbage", SW_H1M_ERROR, NULL, SW_NE_WEIRD },
        { "badchunk", SW_H1M_ERROR, NULL, SW_NE_CHUNK },
        { "short", SW_H1M_ERROR, NULL, SW_NE_PARTIAL },
    };
    enum { NW = sizeof want / sizeof want[0] };
    input ins[64];
    int nin = 0;
    DIR *d = opendir(CORPUS);
    CHECK(d != NULL, "corpus directory %s", CORPUS);
    for (struct dirent *e; d && (e = readdir(d)) && nin < 64; )
        if (e->d_name[0] != '.' && load(e->d_name, &ins[nin]) == 0 && ins[nin].len > 0)
            nin++;
    if (d)
        closedir(d);
    CHECK(nin >= NW, "the corpus has %d inputs", nin);
    for (int i = 0; i < NW; i++) {
        int k = -1;
        for (int j = 0; j < nin; j++)
            if (strcmp(ins[j].name, want[i].file) == 0)
                k = j;
        if (k < 0) {
            CHECK(0, "corpus input %s exists", want[i].file);
            continue;
        }
        char body[256];
        sw_neterr kind;
        int st = verdict(&ins[k], body, sizeof body, &kind);
        if (want[i].st == SW_H1M_DONE)
            CHECK(st == SW_H1M_DONE && strcmp(body, want[i].body) == 0,
                  "%s: complete, body '%s'", want[i].file, body);
        else
            CHECK(st == SW_H1M_ERROR && kind == want[i].kind,
                  "%s: fails as kind %d (got %d, %d)", want[i].file, want[i].kind, st, kind);
        CHECK(h1_fuzz_one(ins[k].data, ins[k].len) == st, "%s: the harness agrees", want[i].file);
    }

    /* seeded mutations: flips, inserts, deletes, splices of corpus inputs */
    uint8_t buf[1 << 12];
    int done = 0, errors = 0;
    for (int it = 0; it < MUTATIONS && nin > 0; it++) {
        const input *a = &ins[next() % (uint64_t)nin], *b = &ins[next() % (uint64_t)nin];
        size_t n = a->len < sizeof buf ? a->len : sizeof buf;
        memcpy(buf, a->data, n);
        int edits = 1 + (int)(next() % 8);
        for (int e = 0; e < edits && n > 1; e++) {
            size_t at = 1 + (size_t)(next() % (n - 1));
            switch (next() % 5) {
            case 0: buf[at] ^= (uint8_t)(1u << (next() % 8)); break;
            case 1: buf[at] = (uint8_t)next(); break;
            case 2:
                if (n < sizeof buf) {
                    memmove(buf + at + 1, buf + at, n - at);
                    buf[at] = "0\r\n:;9fF \t"[next() % 10];
                    n++;
                }
                break;
            case 3: memmove(buf + at, buf + at + 1, n - at - 1); n--; break;
            default: {
                size_t from = b->len > 1 ? 1 + (size_t)(next() % (b->len - 1)) : 0;
                size_t k = b->len - from;
                if (k > sizeof buf - at)
                    k = sizeof buf - at;
                memcpy(buf + at, b->data + from, k);
                if (at + k > n)
                    n = at + k;
            }
            }
        }
        int st = h1_fuzz_one(buf, n);
        done += st == SW_H1M_DONE;
        errors += st == SW_H1M_ERROR;
    }
    CHECK(done + errors == MUTATIONS,
          "%d mutated inputs, every one complete (%d) or failed cleanly (%d)", MUTATIONS, done, errors);
    for (int i = 0; i < nin; i++)
        free(ins[i].data);
    return CHECK_DONE();
}
