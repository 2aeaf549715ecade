/*
 * regex.h -- compile-time check of literal regular expressions (issue 9):
 * the runtime compiles patterns with PCRE2 (runtime/strings.c) using the
 * same options, so a pattern accepted here is accepted there.
 */
#ifndef REGEX_H
#define REGEX_H

#include <stddef.h>

/* 0 when pat (len bytes) compiles; else -1 with PCRE2's message in msg and
 * the byte offset of the error in *off. */
int check_regex(const char *pat, size_t len, char *msg, size_t cap, size_t *off);

#endif /* REGEX_H */
