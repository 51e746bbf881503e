#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p;
    char *error;
    int depth;
} parser;

static void value_free(json_value *v);

static void skip_ws(parser *ps) {
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') ps->p++;
}

static int fail(parser *ps, const char *what) {
    if (ps->error[0] == '\0') snprintf(ps->error, 128, "%s near `%.20s`", what, ps->p);
    return 0;
}

static int hex4(const char *s, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static size_t put_utf8(char *out, unsigned cp) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Reads a string at ps->p (on the opening quote) into a fresh buffer. */
static int parse_string(parser *ps, char **out, size_t *out_len) {
    const char *s = ps->p + 1;
    size_t cap = 16, len = 0;
    char *buf = malloc(cap);
    if (!buf) return fail(ps, "out of memory");
    for (;;) {
        if (len + 5 > cap) {
            cap *= 2;
            char *bigger = realloc(buf, cap);
            if (!bigger) { free(buf); return fail(ps, "out of memory"); }
            buf = bigger;
        }
        unsigned char c = (unsigned char)*s;
        if (c == '"') { s++; break; }
        if (c == '\0' || c < 0x20) { free(buf); ps->p = s; return fail(ps, "unterminated string"); }
        if (c != '\\') { buf[len++] = (char)c; s++; continue; }
        s++;
        switch (*s) {
        case '"': buf[len++] = '"'; s++; break;
        case '\\': buf[len++] = '\\'; s++; break;
        case '/': buf[len++] = '/'; s++; break;
        case 'b': buf[len++] = '\b'; s++; break;
        case 'f': buf[len++] = '\f'; s++; break;
        case 'n': buf[len++] = '\n'; s++; break;
        case 'r': buf[len++] = '\r'; s++; break;
        case 't': buf[len++] = '\t'; s++; break;
        case 'u': {
            unsigned cp, low;
            if (!hex4(s + 1, &cp)) { free(buf); ps->p = s; return fail(ps, "bad \\u escape"); }
            s += 5;
            if (cp >= 0xD800 && cp < 0xDC00 && s[0] == '\\' && s[1] == 'u' && hex4(s + 2, &low) &&
                low >= 0xDC00 && low < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                s += 6;
            }
            len += put_utf8(buf + len, cp);
            break;
        }
        default: free(buf); ps->p = s; return fail(ps, "bad escape");
        }
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    ps->p = s;
    return 1;
}

static int parse_value(parser *ps, json_value *v);

static int push(parser *ps, json_value *v, size_t *cap) {
    if (v->count < *cap) return 1;
    *cap = *cap ? *cap * 2 : 4;
    json_value *items = realloc(v->items, *cap * sizeof *items);
    if (!items) return fail(ps, "out of memory");
    v->items = items;
    if (v->kind == JSON_OBJECT) {
        char **keys = realloc(v->keys, *cap * sizeof *keys);
        if (!keys) return fail(ps, "out of memory");
        v->keys = keys;
    }
    return 1;
}

static int parse_container(parser *ps, json_value *v, char close) {
    size_t cap = 0;
    ps->p++;
    skip_ws(ps);
    if (*ps->p == close) { ps->p++; return 1; }
    for (;;) {
        skip_ws(ps);
        if (!push(ps, v, &cap)) return 0;
        if (v->kind == JSON_OBJECT) {
            size_t key_len;
            if (*ps->p != '"') return fail(ps, "expected a member name");
            if (!parse_string(ps, &v->keys[v->count], &key_len)) return 0;
            skip_ws(ps);
            if (*ps->p != ':') { free(v->keys[v->count]); return fail(ps, "expected `:`"); }
            ps->p++;
        }
        memset(&v->items[v->count], 0, sizeof v->items[0]);
        if (!parse_value(ps, &v->items[v->count])) {
            if (v->kind == JSON_OBJECT) free(v->keys[v->count]);
            value_free(&v->items[v->count]);
            return 0;
        }
        v->count++;
        skip_ws(ps);
        if (*ps->p == ',') { ps->p++; continue; }
        if (*ps->p == close) { ps->p++; return 1; }
        return fail(ps, "expected `,` or the end of the container");
    }
}

static int parse_value(parser *ps, json_value *v) {
    skip_ws(ps);
    v->raw = ps->p;
    int ok;
    if (++ps->depth > 200) return fail(ps, "nested too deeply");
    switch (*ps->p) {
    case '{': v->kind = JSON_OBJECT; ok = parse_container(ps, v, '}'); break;
    case '[': v->kind = JSON_ARRAY; ok = parse_container(ps, v, ']'); break;
    case '"': v->kind = JSON_STRING; ok = parse_string(ps, &v->text, &v->text_len); break;
    case 't': v->kind = JSON_BOOL; v->boolean = 1; ok = strncmp(ps->p, "true", 4) == 0; ps->p += ok ? 4 : 0; break;
    case 'f': v->kind = JSON_BOOL; ok = strncmp(ps->p, "false", 5) == 0; ps->p += ok ? 5 : 0; break;
    case 'n': v->kind = JSON_NULL; ok = strncmp(ps->p, "null", 4) == 0; ps->p += ok ? 4 : 0; break;
    default: {
        char *end;
        strtod(ps->p, &end);
        ok = end != ps->p && (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'));
        if (ok) {
            v->kind = JSON_NUMBER;
            v->text_len = (size_t)(end - ps->p);
            v->text = malloc(v->text_len + 1);
            if (!v->text) return fail(ps, "out of memory");
            memcpy(v->text, ps->p, v->text_len);
            v->text[v->text_len] = '\0';
            ps->p = end;
        }
    }
    }
    ps->depth--;
    if (!ok) return fail(ps, "invalid value");
    v->raw_len = (size_t)(ps->p - v->raw);
    return 1;
}

json_value *json_parse(const char *text, char *error) {
    parser ps = {text, error, 0};
    error[0] = '\0';
    json_value *v = calloc(1, sizeof *v);
    if (!v) { snprintf(error, 128, "out of memory"); return NULL; }
    if (!parse_value(&ps, v)) { json_free(v); return NULL; }
    skip_ws(&ps);
    if (*ps.p != '\0') { fail(&ps, "trailing text"); json_free(v); return NULL; }
    return v;
}

static void value_free(json_value *v) {
    for (size_t i = 0; i < v->count; i++) {
        value_free(&v->items[i]);
        if (v->kind == JSON_OBJECT) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->text);
}

void json_free(json_value *value) {
    if (!value) return;
    value_free(value);
    free(value);
}

const json_value *json_get(const json_value *object, const char *key) {
    if (!object || object->kind != JSON_OBJECT) return NULL;
    for (size_t i = 0; i < object->count; i++)
        if (strcmp(object->keys[i], key) == 0) return &object->items[i];
    return NULL;
}

int json_equal(const json_value *a, const json_value *b) {
    if (a->kind != b->kind) return 0;
    switch (a->kind) {
    case JSON_NULL: return 1;
    case JSON_BOOL: return a->boolean == b->boolean;
    case JSON_NUMBER: return strcmp(a->text, b->text) == 0 || strtod(a->text, NULL) == strtod(b->text, NULL);
    case JSON_STRING: return a->text_len == b->text_len && memcmp(a->text, b->text, a->text_len) == 0;
    case JSON_ARRAY:
        if (a->count != b->count) return 0;
        for (size_t i = 0; i < a->count; i++)
            if (!json_equal(&a->items[i], &b->items[i])) return 0;
        return 1;
    case JSON_OBJECT:
        if (a->count != b->count) return 0;
        for (size_t i = 0; i < a->count; i++) {
            const json_value *other = json_get(b, a->keys[i]);
            if (!other || !json_equal(&a->items[i], other)) return 0;
        }
        return 1;
    }
    return 0;
}

char *json_raw_copy(const json_value *value) {
    char *copy = malloc(value->raw_len + 1);
    if (!copy) return NULL;
    memcpy(copy, value->raw, value->raw_len);
    copy[value->raw_len] = '\0';
    return copy;
}
