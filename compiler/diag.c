/*
 * diag.c -- printing diagnostics with the offending source line and a caret.
 */
#include "diag.h"

#include <stdarg.h>
#include <string.h>

void diag_init(diag *d, const char *path, const char *src, size_t src_len)
{
    memset(d, 0, sizeof *d);
    d->path = path;
    d->src = src;
    d->src_len = src_len;
    d->out = stderr;
}

/* Print the source line holding byte offset `off`, then the caret line
 * marking [off, end) clipped to that line. Tabs are copied into the caret
 * line and UTF-8 continuation bytes skipped so the caret stays aligned. */
static void show_line(diag *d, int line, size_t off, size_t end)
{
    if (!d->src || off > d->src_len)
        return;
    size_t bol = off, eol = off;
    while (bol > 0 && d->src[bol - 1] != '\n')
        bol--;
    while (eol < d->src_len && d->src[eol] != '\n')
        eol++;
    if (eol > bol && d->src[eol - 1] == '\r')
        eol--;
    /* Very long lines are shown as a window around the offending spot. */
    const char *pre = "", *post = "";
    if (off - bol > 120) {
        bol = off - 60;
        while (bol < off && ((unsigned char)d->src[bol] & 0xC0) == 0x80)
            bol++;
        pre = "...";
    }
    if (eol - bol > 200) {
        eol = bol + 200;
        while (eol > off && ((unsigned char)d->src[eol] & 0xC0) == 0x80)
            eol--;
        post = "...";
    }
    fprintf(d->out, "%5d | %s", line, pre);
    for (size_t i = bol; i < eol; i++) {
        unsigned char c = (unsigned char)d->src[i];
        fputc(c == 0 ? ' ' : c, d->out);
    }
    fprintf(d->out, "%s\n      | %s", post, *pre ? "   " : "");
    for (size_t i = bol; i < off && i < eol; i++) {
        unsigned char c = (unsigned char)d->src[i];
        if (c == '\t')
            fputc('\t', d->out);
        else if ((c & 0xC0) != 0x80)
            fputc(' ', d->out);
    }
    fputc('^', d->out);
    if (end > eol)
        end = eol;
    for (size_t i = off + 1; i < end; i++)
        if (((unsigned char)d->src[i] & 0xC0) != 0x80)
            fputc('~', d->out);
    fputc('\n', d->out);
}

static void emit(diag *d, const char *kind, ast_loc loc, const char *fmt,
                 va_list ap)
{
    fprintf(d->out, "%s:%d:%d: %s: ", d->path, loc.line, loc.col, kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
    size_t off = loc.off < 0 ? 0 : (size_t)loc.off;
    size_t end = loc.end_off < loc.off ? off : (size_t)loc.end_off;
    show_line(d, loc.line, off, end);
}

void diag_error(diag *d, ast_loc loc, const char *fmt, ...)
{
    d->last_shown = ++d->errors <= DIAG_MAX_ERRORS;
    if (!d->last_shown)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, "error", loc, fmt, ap);
    va_end(ap);
}

void diag_warning(diag *d, ast_loc loc, const char *fmt, ...)
{
    d->last_shown = d->errors < DIAG_MAX_ERRORS;
    if (!d->last_shown)
        return;
    d->warnings++;
    va_list ap;
    va_start(ap, fmt);
    emit(d, "warning", loc, fmt, ap);
    va_end(ap);
}

void diag_note(diag *d, ast_loc loc, const char *fmt, ...)
{
    if (!d->last_shown)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, "note", loc, fmt, ap);
    va_end(ap);
}

void diag_plain(diag *d, const char *fmt, ...)
{
    if (++d->errors > DIAG_MAX_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(d->out, "%s: error: ", d->path);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
    va_end(ap);
}

void diag_finish(diag *d)
{
    if (d->errors > DIAG_MAX_ERRORS)
        fprintf(d->out, "%s: too many errors: %d more not shown\n", d->path,
                d->errors - DIAG_MAX_ERRORS);
}
