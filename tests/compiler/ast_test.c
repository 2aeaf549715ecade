/*
 * ast_test.c -- checks the tree the front end builds for known sources:
 * shapes, literal values, templates, locations and the resolutions check.c
 * fills in. Built and run by tests/compiler/run.sh against the compiler's
 * objects (no code generator needed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"      /* compiler/check.h: the semantic pass */
#include "front.h"

/* One TAP-style line per check, as tests/units/check.h does (that header's
 * name clashes with compiler/check.h, so the macro is repeated here). */
static int fails;
#define CHECK(cond, ...) do {                                        \
        int ok_ = !!(cond);                                         \
        printf(ok_ ? "ok - compiler ast: " : "not ok - compiler ast: "); \
        printf(__VA_ARGS__);                                        \
        if (!ok_) {                                                 \
            printf(" (%s:%d: %s)", __FILE__, __LINE__, #cond);      \
            fails++;                                                \
        }                                                           \
        printf("\n");                                               \
    } while (0)

static ast *found[64];
static int nfound;

/* Collect, depth first in source order, every node of kind k under n. */
static void collect(ast *n, ast_kind k)
{
    for (; n; n = n->next) {
        if (n->kind == k && nfound < 64)
            found[nfound++] = n;
        collect(n->a, k);
        collect(n->b, k);
        collect(n->c, k);
        collect(n->d, k);
    }
}

static ast *nth(ast_file *f, ast_kind k, int i)
{
    nfound = 0;
    collect(f->decls, k);
    return i < nfound ? found[i] : NULL;
}

static int text_is(ast_file *f, ast *n, const char *s)
{
    return n && (size_t)(n->loc.end_off - n->loc.off) == strlen(s)
           && memcmp(f->src + n->loc.off, s, strlen(s)) == 0;
}

static int name_is(ast *n, const char *s)
{
    return n && n->name && n->len == strlen(s) && memcmp(n->name, s, n->len) == 0;
}

static int parse(ast_file *f, diag *d, const char *src)
{
    memset(f, 0, sizeof *f);
    f->path = "test.swarm";
    f->src = src;
    f->src_len = strlen(src);
    diag_init(d, f->path, src, f->src_len);
    if (front_parse(f, d) != 0)
        return -1;
    return check_file(f, d) == 0 ? 0 : -1;
}

static const char SRC[] =
    "host \"http://127.0.0.1:9\"\n"
    "wait between 900ms and 1.5s user W {\n"
    "task t weight 3 {\n"
    "    let id = 7\n"
    "    get \"/things/${id}\" name \"n\"\n"
    "    post \"/p\" json {\"a\": 1} as r { success }\n"
    "    put \"/${ random(1, 1000) }/x\"\n"
    "    patch \"/a\"\n    delete \"/a\"\n    head \"/a\"\n    options \"/a\"\n"
    "    get \"/e\" as q {\n"
    "        expect q.status == 200\n"
    "        poll every 2m for 1h { q.success break }\n"
    "    }\n"
    "    sleep 250\n"
    "    log 2 * 1s, q.json.name, \"\\u00e9\\$\\u0000\", user_id, is_master\n"
    "} }\n"
    "user U weight 2 sequential { task a { get \"/u\" } }\n";

int main(void)
{
    ast_file f;
    diag d;
    d.out = stderr;
    int rc = parse(&f, &d, SRC);
    CHECK(rc == 0 && d.errors == 0, "the sample parses and checks cleanly");
    if (rc != 0)
        return 1;

    ast *req = nth(&f, S_REQUEST, 0);
    CHECK(req && req->op == 0 && name_is(req->a, "/things/{id}"),
          "get with ${id} reports as /things/{id}");
    ast *part = req ? req->a->a : NULL;
    CHECK(part && part->kind == E_STRLIT && name_is(part, "/things/")
          && part->next && part->next->kind == E_NAME
          && part->next->sym && part->next->sym->kind == S_LET,
          "URL parts: literal then a name resolved to its let");
    CHECK(req && req->b && req->b->kind == O_NAME, "name option kept");

    ast *post = nth(&f, S_REQUEST, 1);
    CHECK(post && post->op == 1 && post->b && post->b->kind == O_JSON
          && post->b->a->kind == E_OBJECT && post->c && post->c->kind == S_BLOCK
          && name_is(post, "r"),
          "post json {object} as r { block }: object and response block apart");
    ast *succ = nth(&f, S_SUCCESS, 0);
    CHECK(succ && !succ->name && succ->sym == post, "bare success decides its request");

    ast *put = nth(&f, S_REQUEST, 2);
    CHECK(put && put->op == 2 && name_is(put->a, "/{random(1, 1000)}/x"),
          "template trims the interpolated source");
    int ops_ok = 1;
    for (int i = 3; i <= 6; i++) {
        ast *m = nth(&f, S_REQUEST, i);
        ops_ok &= m && m->op == i;
    }
    CHECK(ops_ok, "patch delete head options map to 3..6");

    ast *expect = nth(&f, S_EXPECT, 0);
    ast *q = nth(&f, S_REQUEST, 7);
    CHECK(expect && expect->sym == q && text_is(&f, expect->a, "q.status == 200"),
          "expect's condition source text and decided request");
    ast *poll = nth(&f, S_POLL, 0);
    CHECK(poll && poll->a->kind == E_DURATION && poll->a->f == 120000.0
          && poll->b && poll->b->f == 3600000.0, "2m and 1h in milliseconds");
    ast *brk = nth(&f, S_BREAK, 0);
    CHECK(brk && brk->sym == poll, "break inside poll targets the poll");
    ast *named = nth(&f, S_SUCCESS, 1);
    CHECK(named && name_is(named, "q") && named->sym == q, "q.success decides q");

    ast *wait = nth(&f, D_WAIT, 0);
    CHECK(wait && wait->op == WAIT_BETWEEN && wait->a->f == 900.0
          && wait->b->f == 1500.0, "wait between 900ms and 1.5s");
    ast *sleep = nth(&f, S_SLEEP, 0);
    CHECK(sleep && sleep->a->kind == E_INT && sleep->a->i == 250,
          "a bare number where a duration is expected stays 250 (ms)");

    ast *log = nth(&f, S_LOG, 0);
    ast *mul = log ? log->a : NULL;
    CHECK(mul && mul->kind == E_BINARY && mul->op == '*'
          && mul->b->kind == E_DURATION && mul->b->f == 1000.0, "2 * 1s");
    ast *fld = mul ? mul->next : NULL;
    CHECK(fld && fld->kind == E_FIELD && name_is(fld, "name")
          && fld->a->kind == E_FIELD && name_is(fld->a, "json"),
          "a keyword after '.' is a field name");
    ast *str = fld ? fld->next : NULL;
    CHECK(str && str->kind == E_STRING && str->len == 4
          && memcmp(str->name, "\xc3\xa9$\0", 4) == 0,
          "escapes \\u00e9 \\$ \\u0000 decode to bytes");
    ast *fact = str ? str->next : NULL;
    CHECK(fact && fact->kind == E_FACT && fact->op == FACT_USER_ID
          && fact->next && fact->next->op == FACT_IS_MASTER, "facts");
    CHECK(fact && fact->loc.line == 17 && fact->loc.col == 48,
          "line and column of a token");

    ast *task = nth(&f, D_TASK, 0);
    CHECK(task && task->i == 3 && name_is(task, "t"), "task weight 3");
    ast *user = nth(&f, D_USER, 1);
    CHECK(user && user->i == 2 && user->flags == AST_SEQUENTIAL,
          "user weight 2 sequential");

    /* Ids: unique and non-zero on every declaring node, request and loop. */
    static const ast_kind idk[] = { S_LET, S_REQUEST, S_POLL };
    int seen[256] = { 0 }, ids_ok = 1;
    for (size_t k = 0; k < sizeof idk / sizeof idk[0]; k++)
        for (int i = 0; nth(&f, idk[k], i); i++) {
            int id = nth(&f, idk[k], i)->id;
            ids_ok &= id > 0 && id < 256 && !seen[id];
            if (id > 0 && id < 256)
                seen[id] = 1;
        }
    CHECK(ids_ok, "ids are unique and non-zero");
    ast_file_free(&f);

    /* Error recovery: three independent syntax errors are all reported. */
    FILE *sink = tmpfile();
    memset(&f, 0, sizeof f);
    const char *bad = "task a { let = 1 }\ntask b { log (1 + ) }\ntask c { get }\n";
    f.path = "bad.swarm";
    f.src = bad;
    f.src_len = strlen(bad);
    diag_init(&d, f.path, bad, f.src_len);
    d.out = sink ? sink : stderr;
    CHECK(front_parse(&f, &d) == 3, "three syntax errors, three reports");
    ast_file_free(&f);
    if (sink)
        fclose(sink);

    return fails ? 1 : 0;
}
