/*
 * main.c -- the swarmc driver:
 *     swarmc FILE.swarm -o BIN [--emit-c FILE.c] [--check]
 * parse + check, then generate C and link it against the runtime with $CC.
 *
 * Exit status: 0 ok, 1 script (or C compiler) errors -- no output binary is
 * left behind --, 2 usage or environment errors (one line saying what to fix).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ast.h"
#include "check.h"
#include "cleanup.h"
#include "diag.h"
#include "front.h"
#include "gen.h"

#define SWARMC_VERSION "0.1.0"

typedef struct opts {
    const char *input;      /* the .swarm file */
    const char *output;     /* -o BIN, or NULL */
    const char *emit_c;     /* --emit-c FILE, or NULL */
    int check_only;         /* --check */
} opts;

static void usage(FILE *out)
{
    fputs("usage: swarmc FILE.swarm -o BINARY [--emit-c FILE.c] [--check]\n"
          "  -o BINARY        write the load-test executable\n"
          "  --emit-c FILE.c  also write the generated C source\n"
          "  --check          only check the script (no output)\n"
          "  --version        print the version\n"
          "  -h, --help       show this help\n"
          "environment:\n"
          "  CC               the C compiler (default cc)\n"
          "  SWARM_CFLAGS     extra flags for it, after the defaults\n"
          "  SWARM_HOME       where lib/swarm and include/swarm are (default: found\n"
          "                   next to swarmc)\n", out);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("swarmc: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see swarmc --help)\n", stderr);
    return 2;
}

/* Parse argv into o; returns -1 to continue, else an exit status. */
static int parse_args(int argc, char **argv, opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("swarmc %s\n", SWARMC_VERSION);
            return 0;
        } else if (!strcmp(a, "--check")) {
            o->check_only = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--emit-c")) {
            if (i + 1 >= argc)
                return usage_error("option %s needs a file name after it", a);
            if (a[1] == 'o')
                o->output = argv[++i];
            else
                o->emit_c = argv[++i];
        } else if (!strncmp(a, "-o", 2)) {
            o->output = a + 2;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (o->input) {
            return usage_error("give only one script file (extra argument '%s')", a);
        } else {
            o->input = a;
        }
    }
    if (!o->input)
        return usage_error("%sno script given: run swarmc FILE.swarm -o BINARY", "");
    if (!o->output && !o->emit_c && !o->check_only)
        return usage_error("%smissing -o BINARY (or --check to only check)", "");
    return -1;
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Write "<dir><suffix>" into buf; -1 when it does not fit. */
static int join(char *buf, size_t cap, const char *dir, const char *suffix)
{
    int n = snprintf(buf, cap, "%s%s", dir, suffix);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Find libswarm.a and sw.h: $SWARM_HOME, else next to the executable
 * (checkout layout build/swarmc + build/lib/swarm), else ../lib/swarm. */
static int find_runtime(char *lib, char *inc, size_t cap)
{
    char dir[PATH_MAX];
    const char *home = getenv("SWARM_HOME");
    if (home && *home) {
        snprintf(dir, sizeof dir, "%s", home);
    } else {
        ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
        if (n <= 0)
            return -1;
        dir[n] = '\0';
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        if (join(lib, cap, dir, "/lib/swarm/libswarm.a") != 0
            || join(inc, cap, dir, "/include/swarm/sw.h") != 0)
            return -1;
        if (!is_file(lib) || !is_file(inc))
            strncat(dir, "/..", sizeof dir - strlen(dir) - 1);
    }
    if (join(lib, cap, dir, "/lib/swarm/libswarm.a") != 0
        || join(inc, cap, dir, "/include/swarm/sw.h") != 0
        || !is_file(lib) || !is_file(inc))
        return -1;
    *strrchr(inc, '/') = '\0';
    return 0;
}

/* Run $CC on c_path producing out_path; returns the exit status.
 * $SWARM_CFLAGS adds words after the defaults (they win: "-O0 -g",
 * "-fsanitize=address,undefined" for a runtime built the same way). */
static int run_cc(const char *c_path, const char *out_path, const char *lib,
                  const char *inc)
{
    const char *cc = getenv("CC"), *extra = getenv("SWARM_CFLAGS");
    char *words = strdup(cc && *cc ? cc : "cc");
    char *xwords = strdup(extra ? extra : "");
    char incdir[PATH_MAX + 8], incparent[PATH_MAX + 16];
    char *argv[64], *xargv[24];
    int n = 0, nx = 0;
    if (!words || !xwords) {
        free(words);
        free(xwords);
        return 1;
    }
    for (char *t = strtok(words, " \t"); t && n < 24; t = strtok(NULL, " \t"))
        argv[n++] = t;
    for (char *t = strtok(xwords, " \t"); t && nx < 24; t = strtok(NULL, " \t"))
        xargv[nx++] = t;
    if (join(incdir, sizeof incdir, "-I", inc) != 0
        || join(incparent, sizeof incparent, incdir, "/..") != 0) {
        free(words);
        free(xwords);
        return 1;
    }
    const char *rest[] = {
        "-std=c11", "-O2", "-D_POSIX_C_SOURCE=200809L", "-D_DEFAULT_SOURCE",
        incdir, incparent, c_path, lib, "-lcurl", "-levent", "-lzmq", "-lmsgpackc", "-lpcre2-8",
        "-lhttp_parser", "-lz", "-lm", "-o",
        out_path, NULL,
    };
    for (int i = 0; rest[i]; i++)
        argv[n++] = (char *)rest[i];
    for (int i = 0; i < nx; i++)
        argv[n++] = xargv[i];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid > 0)
        cln_child(pid);         /* killed mid-compile: stop it first */
    if (pid == 0) {
        dup2(2, 1);             /* cc's output goes to our stderr */
        execvp(argv[0], argv);
        fprintf(stderr, "swarmc: cannot run C compiler '%s': %s\n", argv[0],
                strerror(errno));
        _exit(127);
    }
    int status = 1;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        status = 1;
    cln_child(0);
    free(words);
    free(xwords);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* Generate C into path; returns 0 on success. */
static int write_c(const ast_file *f, const char *path)
{
    FILE *out = fopen(path, "w");
    if (!out) {
        fprintf(stderr, "swarmc: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = gen_program(f, out);
    if (fclose(out) != 0 || rc != 0) {
        fprintf(stderr, "swarmc: failed to write generated C to %s\n", path);
        unlink(path);
        return -1;
    }
    return 0;
}

/* Generate, compile and move the binary into place. */
static int build(const ast_file *f, const opts *o)
{
    char lib[PATH_MAX], inc[PATH_MAX], c_path[PATH_MAX], tmp_out[PATH_MAX];
    int status = 1;
    if (o->emit_c && write_c(f, o->emit_c) != 0)
        return 1;
    if (!o->output)
        return 0;
    if (find_runtime(lib, inc, sizeof lib) != 0) {
        fprintf(stderr, "swarmc: cannot find the runtime (lib/swarm/libswarm.a "
                "and include/swarm/sw.h): set SWARM_HOME to the install prefix\n");
        return 2;
    }
    /* a private temporary directory (the generated C, and cc's own
     * temporaries through TMPDIR): nothing is left in /tmp, even when
     * swarmc is killed (cleanup.c) */
    char tdir[PATH_MAX - 16];
    cln_install();
    if (cln_tmpdir(tdir, sizeof tdir) != 0) {
        fprintf(stderr, "swarmc: cannot create a temporary directory: %s\n",
                strerror(errno));
        return 1;
    }
    snprintf(tmp_out, sizeof tmp_out, "%s.tmpXXXXXX", o->output);
    int fd = mkstemp(tmp_out);
    if (fd < 0) {
        fprintf(stderr, "swarmc: cannot create %s: %s\n", o->output, strerror(errno));
        cln_tmpdir_remove();
        return 1;
    }
    cln_add_file(tmp_out);
    close(fd);
    if (o->emit_c) {
        snprintf(c_path, sizeof c_path, "%s", o->emit_c);
    } else {
        snprintf(c_path, sizeof c_path, "%s/script.c", tdir);
        if (write_c(f, c_path) != 0)
            goto done;
    }
    if (run_cc(c_path, tmp_out, lib, inc) != 0) {
        fprintf(stderr, "swarmc: the C compiler failed on the generated code\n");
        goto done;
    }
    mode_t mask = umask(0);     /* mkstemp made it 0600: use the usual mode */
    umask(mask);
    chmod(tmp_out, 0777 & ~mask);
    cln_forget_file(tmp_out);   /* renamed, or unlinked below */
    if (rename(tmp_out, o->output) != 0) {
        fprintf(stderr, "swarmc: cannot write %s: %s\n", o->output, strerror(errno));
        goto done;
    }
    status = 0;
done:
    if (status != 0)
        unlink(tmp_out);
    cln_forget_file(tmp_out);
    cln_tmpdir_remove();
    return status;
}

int main(int argc, char **argv)
{
    opts o = { NULL, NULL, NULL, 0 };
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    ast_file f;
    memset(&f, 0, sizeof f);
    if (front_load(&f, o.input) != 0) {
        fprintf(stderr, "swarmc: cannot read %s: %s\n", o.input, strerror(errno));
        return 2;
    }
    diag d;
    diag_init(&d, o.input, f.src, f.src_len);
    front_parse(&f, &d);        /* recovers from syntax errors */
    check_file(&f, &d);         /* so all the errors are reported at once */
    diag_finish(&d);
    if (d.errors)
        rc = 1;
    else if (o.check_only)
        rc = 0;
    else
        rc = build(&f, &o);
    front_release(&f);
    return rc;
}
