/*
 * The C test suite of libcaseflow: the shared conformance corpus through the generic and the
 * typed exports, and every way a host can break the calling contract (NULL, invalid UTF-8,
 * malformed JSON, freed and foreign handles, a panic). Run under valgrind by `make check`.
 *
 * Usage: test_abi <tests/conformance directory>
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseflow.h"
#include "json.h"

static int passed, failed;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (cond) {                                                        \
            passed++;                                                      \
        } else {                                                           \
            failed++;                                                      \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
        }                                                                  \
    } while (0)

typedef caseflow_status (*call_fn)(const caseflow_policy *, const char *, char **, char **);

static const struct {
    const char *name;
    call_fn fn;
} TYPED[] = {
    {"classify", caseflow_classify},       {"deadline", caseflow_deadline},
    {"calendar_days", caseflow_calendar_days}, {"clock_status", caseflow_clock_status},
    {"record", caseflow_record},           {"apply", caseflow_apply},
    {"tick", caseflow_tick},               {"replay", caseflow_replay},
    {"verify_log", caseflow_verify_log},   {"warranty", caseflow_warranty},
    {"drill_status", caseflow_drill_status}, {"assess", caseflow_assess},
    {"merge_assessments", caseflow_merge_assessments}, {"spot_check", caseflow_spot_check},
    {"audit", caseflow_audit},             {"analyze_policy", caseflow_analyze_policy},
    {"diff_policies", caseflow_diff_policies},
};
#define N_TYPED (sizeof TYPED / sizeof TYPED[0])

/* An out-parameter's value before a call, to see that a failure leaves it alone. */
static char SENTINEL_BYTE;
#define SENTINEL (&SENTINEL_BYTE)

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    if (text && fread(text, 1, (size_t)size, f) != (size_t)size) { free(text); text = NULL; }
    if (text) text[size] = '\0';
    fclose(f);
    return text;
}

/* Checks an error body: its code is the status's name and its first problem is at `path`. */
static void check_error_body(const char *what, caseflow_status status, char *error, const char *path) {
    char message[128];
    json_value *body = error ? json_parse(error, message) : NULL;
    CHECK(body != NULL, "%s: the error body is JSON: %s", what, error ? error : "(none)");
    if (body) {
        const json_value *code = json_get(body, "code");
        CHECK(code && code->kind == JSON_STRING && strcmp(code->text, caseflow_status_name(status)) == 0,
              "%s: body code is the status name %s: %s", what, caseflow_status_name(status), error);
        const json_value *errors = json_get(body, "errors");
        const json_value *first = errors && errors->count ? json_get(&errors->items[0], "path") : NULL;
        if (path)
            CHECK(first && strcmp(first->text, path) == 0, "%s: path is %s: %s", what, path, error);
        const json_value *msg = json_get(body, "message");
        CHECK(msg && msg->kind == JSON_STRING && msg->text_len > 0, "%s: has a message", what);
    }
    json_free(body);
    caseflow_string_free(error);
}

/* Expects a failure with `expected` status whose body names `path`; checks out-params untouched. */
static void expect_failure(const char *what, caseflow_status status, caseflow_status expected,
                           char *result, char *error, const char *path) {
    CHECK(status == expected, "%s: status %u, expected %u (%s)", what, status, expected,
          caseflow_status_name(status));
    CHECK(result == SENTINEL, "%s: result written on failure", what);
    if (status != CASEFLOW_STATUS_OK && error != SENTINEL) check_error_body(what, status, error, path);
    else if (status == CASEFLOW_STATUS_OK && result != SENTINEL) caseflow_string_free(result);
}

/* Calls first, then checks: the out-parameters must be read after the call, and C leaves the
 * order in which a function's arguments are evaluated unspecified. */
#define EXPECT_FAILURE(what, call, expected, result, error, path)          \
    do {                                                                   \
        caseflow_status status_ = (call);                                  \
        expect_failure(what, status_, expected, result, error, path);      \
    } while (0)

static caseflow_policy *default_policy(void) {
    caseflow_policy *policy = NULL;
    caseflow_status status = caseflow_policy_new_default(&policy, NULL);
    CHECK(status == CASEFLOW_STATUS_OK && policy != NULL, "the default policy loads");
    return policy;
}

/* --- The conformance corpus ---------------------------------------------------------------- */

static int compare_outcome(const char *what, caseflow_status status, char *result, char *error,
                           const json_value *expect) {
    char message[128];
    int same = 0;
    const json_value *ok = json_get(expect, "ok");
    const json_value *err = json_get(expect, "error");
    if (status == CASEFLOW_STATUS_OK) {
        json_value *got = json_parse(result, message);
        same = ok && got && json_equal(got, ok);
        json_free(got);
        caseflow_string_free(result);
    } else {
        json_value *got = json_parse(error, message);
        const json_value *code = err ? json_get(err, "code") : NULL;
        same = err && got && json_equal(got, err) && code &&
               strcmp(code->text, caseflow_status_name(status)) == 0;
        json_free(got);
        caseflow_string_free(error);
    }
    CHECK(same, "%s: the output differs from the corpus (status %s)", what, caseflow_status_name(status));
    return same;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The policies a case may name: "default", and every file under policies/ by its file name. */
#define MAX_POLICIES 16
static size_t n_policies;
static char *policy_names[MAX_POLICIES];
static caseflow_policy *policy_handles[MAX_POLICIES];

static void load_policies(const char *dir) {
    char path[4096];
    policy_names[0] = strdup("default");
    policy_handles[0] = default_policy();
    n_policies = 1;
    snprintf(path, sizeof path, "%s/policies", dir);
    DIR *d = opendir(path);
    CHECK(d != NULL, "open %s", path);
    if (!d) return;
    struct dirent *entry;
    while ((entry = readdir(d)) && n_policies < MAX_POLICIES) {
        if (!strstr(entry->d_name, ".json")) continue;
        snprintf(path, sizeof path, "%s/policies/%s", dir, entry->d_name);
        char *json = read_file(path);
        CHECK(json != NULL, "read %s", path);
        char *error = NULL;
        caseflow_policy *policy = NULL;
        caseflow_status status = json ? caseflow_policy_new_from_json(json, &policy, &error)
                                      : CASEFLOW_STATUS_NULL_ARGUMENT;
        CHECK(status == CASEFLOW_STATUS_OK, "%s loads: %s", entry->d_name, error ? error : "");
        caseflow_string_free(error);
        free(json);
        if (status == CASEFLOW_STATUS_OK) {
            policy_names[n_policies] = strdup(entry->d_name);
            policy_handles[n_policies++] = policy;
        }
    }
    closedir(d);
}

static caseflow_policy *named_policy(const char *name) {
    for (size_t i = 0; i < n_policies; i++)
        if (strcmp(policy_names[i], name) == 0) return policy_handles[i];
    return NULL;
}

static void test_corpus(const char *dir) {
    char path[4096];
    caseflow_status status;
    load_policies(dir);

    snprintf(path, sizeof path, "%s/cases", dir);
    DIR *d = opendir(path);
    CHECK(d != NULL, "open %s", path);
    if (!d) return;
    char *names[1024];
    size_t n = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) && n < 1024)
        if (strstr(entry->d_name, ".json")) names[n++] = strdup(entry->d_name);
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    CHECK(n >= 90, "the corpus has %zu cases", n);

    size_t agreed = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/cases/%s", dir, names[i]);
        char *text = read_file(path);
        char message[128];
        json_value *c = text ? json_parse(text, message) : NULL;
        CHECK(c != NULL, "%s parses", names[i]);
        const json_value *call = json_get(c, "call"), *policy_name = json_get(c, "policy");
        const json_value *input = json_get(c, "input"), *expect = json_get(c, "expect");
        /* `input_text`: JSON text no parsed value can hold (a member named twice, ...), as is. */
        const json_value *input_text = json_get(c, "input_text");
        caseflow_policy *policy = policy_name ? named_policy(policy_name->text) : NULL;
        CHECK(policy != NULL, "%s names a policy of the corpus", names[i]);
        CHECK(input || (input_text && input_text->kind == JSON_STRING), "%s has an input", names[i]);
        if (c && call && policy && (input || input_text) && expect) {
            char *input_json = input ? json_raw_copy(input) : strdup(input_text->text);
            char *result = NULL, *err = NULL;
            status = caseflow_call(policy, call->text, input_json, &result, &err);
            int same = compare_outcome(names[i], status, result, err, expect);
            call_fn fn = NULL;
            for (size_t t = 0; t < N_TYPED; t++)
                if (strcmp(TYPED[t].name, call->text) == 0) fn = TYPED[t].fn;
            CHECK(fn != NULL, "%s: a typed export for %s", names[i], call->text);
            if (fn) {
                result = err = NULL;
                status = fn(policy, input_json, &result, &err);
                same &= compare_outcome(names[i], status, result, err, expect);
            }
            agreed += (size_t)same;
            free(input_json);
        }
        json_free(c);
        free(text);
        free(names[i]);
    }
    printf("corpus: %zu of %zu cases agree through caseflow_call and the typed exports\n", agreed, n);
    for (size_t i = 0; i < n_policies; i++) {
        CHECK(caseflow_policy_free(policy_handles[i]) == CASEFLOW_STATUS_OK, "free %s", policy_names[i]);
        free(policy_names[i]);
    }
}

/* --- The calling contract ------------------------------------------------------------------ */

static void test_version(void) {
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", CASEFLOW_VERSION_MAJOR, CASEFLOW_VERSION_MINOR,
             CASEFLOW_VERSION_PATCH);
    CHECK(strcmp(caseflow_version(), expected) == 0, "runtime %s, header %s", caseflow_version(), expected);
}

static void test_status_names(void) {
    static const struct { unsigned number; const char *name; } names[] = {
        {CASEFLOW_STATUS_OK, "ok"}, {CASEFLOW_STATUS_NULL_ARGUMENT, "null_argument"},
        {CASEFLOW_STATUS_INVALID_UTF8, "invalid_utf8"}, {CASEFLOW_STATUS_INVALID_HANDLE, "invalid_handle"},
        {CASEFLOW_STATUS_INVALID_JSON, "invalid_json"}, {CASEFLOW_STATUS_INVALID_POLICY, "invalid_policy"},
        {CASEFLOW_STATUS_INVALID_REPORT, "invalid_report"}, {CASEFLOW_STATUS_INVALID_INPUT, "invalid_input"},
        {CASEFLOW_STATUS_CALENDAR_NOT_COVERED, "calendar_not_covered"},
        {CASEFLOW_STATUS_REFUSED, "refused"}, {CASEFLOW_STATUS_CORRUPT_LOG, "corrupt_log"},
        {CASEFLOW_STATUS_INTERNAL, "internal"}, {CASEFLOW_STATUS_PANIC, "panic"}, {7, "unknown"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK(strcmp(caseflow_status_name(names[i].number), names[i].name) == 0, "status %u", names[i].number);
    /* The numbers are part of the ABI. */
    CHECK(CASEFLOW_STATUS_NULL_ARGUMENT == 100 && CASEFLOW_STATUS_INVALID_JSON == 200 &&
          CASEFLOW_STATUS_REFUSED == 300 && CASEFLOW_STATUS_PANIC == 901, "renumbered");
}

static void test_null_arguments(void) {
    caseflow_policy *policy = default_policy();
    char *result, *error;
    char what[128];
    for (size_t t = 0; t < N_TYPED; t++) {
        snprintf(what, sizeof what, "caseflow_%s(NULL policy)", TYPED[t].name);
        result = error = SENTINEL;
        EXPECT_FAILURE(what, TYPED[t].fn(NULL, "{}", &result, &error), CASEFLOW_STATUS_NULL_ARGUMENT,
                       result, error, "policy");
        snprintf(what, sizeof what, "caseflow_%s(NULL input)", TYPED[t].name);
        result = error = SENTINEL;
        EXPECT_FAILURE(what, TYPED[t].fn(policy, NULL, &result, &error), CASEFLOW_STATUS_NULL_ARGUMENT,
                       result, error, "input_json");
        snprintf(what, sizeof what, "caseflow_%s(NULL result)", TYPED[t].name);
        error = SENTINEL;
        EXPECT_FAILURE(what, TYPED[t].fn(policy, "{}", NULL, &error), CASEFLOW_STATUS_NULL_ARGUMENT,
                       SENTINEL, error, "result_json");
        /* No error body wanted. */
        CHECK(TYPED[t].fn(policy, NULL, &result, NULL) == CASEFLOW_STATUS_NULL_ARGUMENT, "%s", what);
    }
    result = error = SENTINEL;
    EXPECT_FAILURE("caseflow_call(NULL policy)", caseflow_call(NULL, "classify", "{}", &result, &error),
                   CASEFLOW_STATUS_NULL_ARGUMENT, result, error, "policy");
    result = error = SENTINEL;
    EXPECT_FAILURE("caseflow_call(NULL call)", caseflow_call(policy, NULL, "{}", &result, &error),
                   CASEFLOW_STATUS_NULL_ARGUMENT, result, error, "call");
    result = error = SENTINEL;
    EXPECT_FAILURE("caseflow_call(NULL input)", caseflow_call(policy, "classify", NULL, &result, &error),
                   CASEFLOW_STATUS_NULL_ARGUMENT, result, error, "input_json");
    error = SENTINEL;
    EXPECT_FAILURE("caseflow_call(NULL result)", caseflow_call(policy, "classify", "{}", NULL, &error),
                   CASEFLOW_STATUS_NULL_ARGUMENT, SENTINEL, error, "result_json");
    result = error = SENTINEL;
    EXPECT_FAILURE("caseflow_policy_check(NULL)", caseflow_policy_check(NULL, &result, &error),
                   CASEFLOW_STATUS_NULL_ARGUMENT, result, error, "policy_json");
    error = SENTINEL;
    EXPECT_FAILURE("caseflow_policy_check(NULL result)", caseflow_policy_check("{}", NULL, &error),
                   CASEFLOW_STATUS_NULL_ARGUMENT, SENTINEL, error, "result_json");
    caseflow_policy *made = (caseflow_policy *)SENTINEL;
    error = SENTINEL;
    EXPECT_FAILURE("caseflow_policy_new_from_json(NULL)", caseflow_policy_new_from_json(NULL, &made, &error),
                   CASEFLOW_STATUS_NULL_ARGUMENT, (char *)made, error, "policy_json");
    error = SENTINEL;
    EXPECT_FAILURE("caseflow_policy_new_from_json(NULL out)", caseflow_policy_new_from_json("{}", NULL, &error),
                   CASEFLOW_STATUS_NULL_ARGUMENT, SENTINEL, error, "policy_out");
    error = SENTINEL;
    EXPECT_FAILURE("caseflow_policy_new_default(NULL out)", caseflow_policy_new_default(NULL, &error),
                   CASEFLOW_STATUS_NULL_ARGUMENT, SENTINEL, error, "policy_out");
    /* Freeing NULL does nothing, as free(3). */
    CHECK(caseflow_policy_free(NULL) == CASEFLOW_STATUS_OK, "free(NULL policy)");
    caseflow_string_free(NULL);
    caseflow_policy_free(policy);
}

static void test_invalid_utf8(void) {
    caseflow_policy *policy = default_policy();
    const char *bad = "{\"id\": \"\xff\xfe\"}";
    char *result, *error;
    char what[128];
    for (size_t t = 0; t < N_TYPED; t++) {
        snprintf(what, sizeof what, "caseflow_%s(invalid UTF-8)", TYPED[t].name);
        result = error = SENTINEL;
        EXPECT_FAILURE(what, TYPED[t].fn(policy, bad, &result, &error), CASEFLOW_STATUS_INVALID_UTF8,
                       result, error, "input_json");
    }
    result = error = SENTINEL;
    EXPECT_FAILURE("caseflow_call(invalid UTF-8 name)", caseflow_call(policy, "\xc3\x28", "{}", &result, &error),
                   CASEFLOW_STATUS_INVALID_UTF8, result, error, "call");
    result = error = SENTINEL;
    EXPECT_FAILURE("caseflow_call(invalid UTF-8 input)", caseflow_call(policy, "deadline", bad, &result, &error),
                   CASEFLOW_STATUS_INVALID_UTF8, result, error, "input_json");
    result = error = SENTINEL;
    EXPECT_FAILURE("caseflow_policy_check(invalid UTF-8)", caseflow_policy_check(bad, &result, &error),
                   CASEFLOW_STATUS_INVALID_UTF8, result, error, "policy_json");
    caseflow_policy *made = (caseflow_policy *)SENTINEL;
    error = SENTINEL;
    EXPECT_FAILURE("caseflow_policy_new_from_json(invalid UTF-8)", caseflow_policy_new_from_json(bad, &made, &error),
                   CASEFLOW_STATUS_INVALID_UTF8, (char *)made, error, "policy_json");
    caseflow_policy_free(policy);
}

static void test_malformed_json(void) {
    caseflow_policy *policy = default_policy();
    static const char *inputs[] = {"", "{", "[1, 2", "{\"a\": }", "nul", "{\"from\": 1,}"};
    char *result, *error;
    char what[160];
    for (size_t t = 0; t < N_TYPED; t++) {
        for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
            snprintf(what, sizeof what, "caseflow_%s(\"%s\")", TYPED[t].name, inputs[i]);
            result = error = SENTINEL;
            /* every call refuses text that is not JSON as invalid_json, at the root */
            caseflow_status expected = CASEFLOW_STATUS_INVALID_JSON;
            EXPECT_FAILURE(what, TYPED[t].fn(policy, inputs[i], &result, &error), expected, result, error, "$");
        }
    }
    result = error = SENTINEL;
    EXPECT_FAILURE("caseflow_call(unknown name)", caseflow_call(policy, "summon", "{}", &result, &error),
                   CASEFLOW_STATUS_INVALID_INPUT, result, error, "$");
    result = error = SENTINEL;
    EXPECT_FAILURE("classify without a location", caseflow_classify(policy,
                   "{\"id\":\"C-1\",\"project\":\"P\",\"channel\":\"phone\",\"description\":\"漏水\","
                   "\"raised_at\":\"2026-03-02T09:15:00+08:00\",\"contact\":{\"phone\":\"13800000000\"}}",
                   &result, &error), CASEFLOW_STATUS_INVALID_REPORT, result, error, "$.location");
    caseflow_policy *made = (caseflow_policy *)SENTINEL;
    error = SENTINEL;
    EXPECT_FAILURE("caseflow_policy_new_from_json(\"{\")", caseflow_policy_new_from_json("{", &made, &error),
                   CASEFLOW_STATUS_INVALID_POLICY, (char *)made, error, NULL);
    error = SENTINEL;
    EXPECT_FAILURE("caseflow_policy_new_from_json({})", caseflow_policy_new_from_json("{}", &made, &error),
                   CASEFLOW_STATUS_INVALID_POLICY, (char *)made, error, NULL);
    /* A check never fails on a bad policy: the report says why it is invalid. */
    result = NULL;
    CHECK(caseflow_policy_check("{\"schema\": 1}", &result, NULL) == CASEFLOW_STATUS_OK, "check");
    CHECK(result && strstr(result, "\"valid\":false"), "check report: %s", result ? result : "");
    caseflow_string_free(result);
    caseflow_policy_free(policy);
}

static void test_handles(void) {
    size_t before = caseflow_policy_live_count();
    caseflow_policy *policy = default_policy();
    CHECK(caseflow_policy_live_count() == before + 1, "one more live policy");
    CHECK(caseflow_policy_free(policy) == CASEFLOW_STATUS_OK, "free");
    CHECK(caseflow_policy_live_count() == before, "no live policy left");
    char *result = SENTINEL, *error = SENTINEL;
    EXPECT_FAILURE("use after free", caseflow_classify(policy, "{}", &result, &error),
                   CASEFLOW_STATUS_INVALID_HANDLE, result, error, "policy");
    CHECK(caseflow_policy_free(policy) == CASEFLOW_STATUS_INVALID_HANDLE, "double free");
    /* A new policy never gets the old handle back. */
    caseflow_policy *next = default_policy();
    CHECK(next != policy, "handles are not reused");
    result = error = SENTINEL;
    EXPECT_FAILURE("use after free, with a newer policy live", caseflow_classify(policy, "{}", &result, &error),
                   CASEFLOW_STATUS_INVALID_HANDLE, result, error, "policy");
    caseflow_policy_free(next);
    /* Something that was never a policy: nothing is read or written through it. */
    unsigned char not_a_policy[64] = {0};
    result = error = SENTINEL;
    EXPECT_FAILURE("foreign handle", caseflow_call((caseflow_policy *)not_a_policy, "classify", "{}", &result, &error),
                   CASEFLOW_STATUS_INVALID_HANDLE, result, error, "policy");
    CHECK(caseflow_policy_free((caseflow_policy *)not_a_policy) == CASEFLOW_STATUS_INVALID_HANDLE, "free foreign");
    int untouched = 1;
    for (size_t i = 0; i < sizeof not_a_policy; i++) untouched &= not_a_policy[i] == 0;
    CHECK(untouched, "nothing written through a foreign handle");
}

static void test_panic(void) {
#ifdef CASEFLOW_TEST_PANIC
    char *error = SENTINEL;
    EXPECT_FAILURE("caseflow_test_panic", caseflow_test_panic(&error), CASEFLOW_STATUS_PANIC, SENTINEL, error, "$");
    CHECK(caseflow_test_panic(NULL) == CASEFLOW_STATUS_PANIC, "panic without an error body");
    caseflow_policy *policy = default_policy();
    char *result = NULL;
    CHECK(caseflow_deadline(policy, "{\"from\": \"2026-02-13T18:00:00+08:00\", \"add\": \"3 working_days\"}",
                            &result, NULL) == CASEFLOW_STATUS_OK, "usable after a panic");
    CHECK(result && strstr(result, "\"due\":\"2026-02-25T17:30:00+08:00\""), "deadline: %s", result ? result : "");
    caseflow_string_free(result);
    caseflow_policy_free(policy);
#else
    printf("panic test skipped: build libcaseflow with --features test-panic and define CASEFLOW_TEST_PANIC\n");
#endif
}

/* --- Threads ------------------------------------------------------------------------------- */

static const char *REPORT =
    "{\"id\":\"T-1\",\"project\":\"P-2026-017\",\"channel\":\"phone\",\"description\":\"阳台护栏松动，存在安全隐患\","
    "\"raised_at\":\"2026-03-02T09:15:00+08:00\",\"location\":\"10号楼601阳台\","
    "\"contact\":{\"name\":\"业主\",\"phone\":\"13800000000\"}}";

typedef struct {
    caseflow_policy *policy;
    const char *expected;
    int same;
} worker;

static void *classify_many(void *arg) {
    worker *w = arg;
    w->same = 1;
    for (int i = 0; i < 10; i++) {
        char *result = NULL;
        caseflow_status status = caseflow_classify(w->policy, REPORT, &result, NULL);
        w->same &= status == CASEFLOW_STATUS_OK && strcmp(result, w->expected) == 0;
        caseflow_string_free(result);
    }
    return NULL;
}

static void test_threads(void) {
    caseflow_policy *policy = default_policy();
    char *expected = NULL;
    CHECK(caseflow_classify(policy, REPORT, &expected, NULL) == CASEFLOW_STATUS_OK, "classify");
    pthread_t threads[4];
    worker workers[4];
    for (int i = 0; i < 4; i++) {
        workers[i] = (worker){policy, expected, 0};
        pthread_create(&threads[i], NULL, classify_many, &workers[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK(workers[i].same, "thread %d got the same answer every time", i);
    }
    caseflow_string_free(expected);
    caseflow_policy_free(policy);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <tests/conformance directory>\n", argv[0]);
        return 2;
    }
    test_version();
    test_status_names();
    test_null_arguments();
    test_invalid_utf8();
    test_malformed_json();
    test_handles();
    test_panic();
    test_threads();
    test_corpus(argv[1]);
    CHECK(caseflow_policy_live_count() == 0, "every policy freed");
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
