/*
 * A host's first steps with libcaseflow: load the default policy, classify a report, compute a
 * deadline, and handle a refusal. Every returned string is freed with caseflow_string_free and
 * the policy with caseflow_policy_free.
 *
 * Build and run: make example && ./build/example
 */
#include <stdio.h>

#include "caseflow.h"

static int report_failure(const char *what, caseflow_status status, char *error_json) {
    fprintf(stderr, "%s failed: %s (%u): %s\n", what, caseflow_status_name(status), status,
            error_json ? error_json : "(no details)");
    caseflow_string_free(error_json);
    return 1;
}

int main(void) {
    printf("libcaseflow %s\n", caseflow_version());

    caseflow_policy *policy = NULL;
    char *error = NULL;
    caseflow_status status = caseflow_policy_new_default(&policy, &error);
    if (status != CASEFLOW_STATUS_OK) return report_failure("loading the default policy", status, error);

    const char *report =
        "{\"id\": \"S-20\", \"project\": \"P-2026-017\", \"channel\": \"phone\","
        " \"description\": \"阳台护栏松动，存在安全隐患\", \"raised_at\": \"2026-03-02T09:15:00+08:00\","
        " \"location\": \"10号楼601阳台\", \"contact\": {\"name\": \"业主\", \"phone\": \"13800000000\"}}";
    char *result = NULL;
    status = caseflow_classify(policy, report, &result, &error);
    if (status != CASEFLOW_STATUS_OK) return report_failure("classify", status, error);
    printf("classify: %.160s...\n", result);
    caseflow_string_free(result);

    status = caseflow_deadline(policy, "{\"from\": \"2026-02-13T18:00:00+08:00\", \"add\": \"3 working_days\"}",
                               &result, &error);
    if (status != CASEFLOW_STATUS_OK) return report_failure("deadline", status, error);
    printf("deadline: %s\n", result);
    caseflow_string_free(result);

    /* A refusal is a status and a body naming the offending value by its JSON path. */
    status = caseflow_call(policy, "deadline", "{\"from\": \"yesterday\", \"add\": \"3 working_days\"}",
                           &result, &error);
    if (status == CASEFLOW_STATUS_OK) {
        caseflow_string_free(result);
        fprintf(stderr, "a bad instant was accepted\n");
        return 1;
    }
    printf("refused as expected: %s: %s\n", caseflow_status_name(status), error);
    caseflow_string_free(error);

    caseflow_policy_free(policy);
    return 0;
}
