/*
 * A small JSON reader for the C tests: enough to read the conformance corpus and compare two
 * documents structurally (object members in any order, strings decoded, numbers by value).
 *
 * It lives in the tests rather than in libcaseflow on purpose: comparing the library's output
 * with a comparer built into the same library would let one bug hide another.
 */
#ifndef CASEFLOW_TEST_JSON_H
#define CASEFLOW_TEST_JSON_H

#include <stddef.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_kind;

typedef struct json_value {
    json_kind kind;
    const char *raw;   /* the value's text in the parsed document */
    size_t raw_len;
    int boolean;
    char *text;        /* JSON_STRING: decoded bytes (NUL-terminated); JSON_NUMBER: its text */
    size_t text_len;
    size_t count;      /* JSON_ARRAY / JSON_OBJECT: number of items / members */
    struct json_value *items;
    char **keys;       /* JSON_OBJECT: decoded member names */
} json_value;

/* Parses `text` (which must outlive the result's `raw` spans). NULL on a syntax error, with a
 * message in `error` (at least 128 bytes). */
json_value *json_parse(const char *text, char *error);
void json_free(json_value *value);
/* The member `key` of an object, or NULL. */
const json_value *json_get(const json_value *object, const char *key);
/* 1 when `a` and `b` are the same JSON value. */
int json_equal(const json_value *a, const json_value *b);
/* A NUL-terminated copy of the value's text, freed with free(). */
char *json_raw_copy(const json_value *value);

#endif
