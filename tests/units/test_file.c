/* test_file.c -- whole-file writes through a temporary file (file.h). */
#include "check.h"
#include "file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void hello(FILE *f, const void *arg) { fputs((const char *)arg, f); }

static char *slurp(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

int main(void)
{
    char dir[] = "/tmp/swarm-test-file.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char prefix[128], path[160];
    snprintf(prefix, sizeof prefix, "%s/run", dir);
    snprintf(path, sizeof path, "%s_stats.csv", prefix);

    CHECK(sw_file_write(prefix, "_stats.csv", hello, "one\n") == 0,
          "a file is written");
    char *got = slurp(path);
    CHECK(got && strcmp(got, "one\n") == 0, "with the body's bytes");
    CHECK(sw_file_write(prefix, "_stats.csv", hello, "two\n") == 0
          && (got = slurp(path)) && strcmp(got, "two\n") == 0,
          "a second write replaces it whole");
    char cmd[300];
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 1", dir);
    CHECK(system(cmd) == 0, "no temporary file is left behind");

    /* A symbolic link is written through, not replaced. */
    char target[160], link[160];
    snprintf(target, sizeof target, "%s/target.json", dir);
    snprintf(link, sizeof link, "%s/link.json", dir);
    CHECK(symlink(target, link) == 0, "make a symbolic link");
    CHECK(sw_file_write(link, NULL, hello, "through\n") == 0, "write to the link");
    struct stat st;
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode), "the link is still a link");
    got = slurp(target);
    CHECK(got && strcmp(got, "through\n") == 0, "its target got the bytes");
    remove(link);
    remove(target);

    /* A device is written to, not replaced. */
    CHECK(sw_file_write("/dev/null", NULL, hello, "gone") == 0
          && lstat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode),
          "/dev/null is written to and stays a device");

    char bad[200];
    snprintf(bad, sizeof bad, "%s/no/such/dir/x", dir);
    errno = 0;
    CHECK(sw_file_write(bad, NULL, hello, "x") == -1 && errno == ENOENT,
          "a missing directory fails with ENOENT");
    errno = 0;
    CHECK(sw_file_write("", NULL, hello, "x") == -1 && errno == EINVAL,
          "an empty name fails with EINVAL");

    snprintf(path, sizeof path, "%s_stats.csv", prefix);
    remove(path);
    rmdir(dir);
    return CHECK_DONE();
}
