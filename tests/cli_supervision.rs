//! `caseflow kpi`, `caseflow audit` and `caseflow spot-check` as a user runs them, on files of
//! case logs written from the scenarios: JSON lines and a JSON array give the `assess` call's
//! answer, a broken line is a finding naming the file and line, a backward period is refused, and
//! the HTML report is one well-formed, self-contained page holding the figures.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use support::{caseflow, policy, scenario_logs as logs, stderr, stdout};

use serde_json::{Value, json};

fn write(name: &str, text: &str) -> String {
    let path = format!("{}/{name}", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&path, text).unwrap();
    path
}

fn jsonl(logs: &[Value]) -> String {
    logs.iter().map(|l| format!("{l}\n")).collect()
}

const NOW: &str = "2026-06-01T00:00:00+08:00";

/// `caseflow kpi` over 2026, judged at [`NOW`], with more arguments, on `stdin`.
fn kpi(more: &[&str], stdin: &str) -> std::process::Output {
    let mut args = vec![
        "kpi",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--now",
        NOW,
    ];
    args.extend_from_slice(more);
    caseflow(&args, stdin)
}

fn kpi_json(path: &str) -> Value {
    let output = kpi(&["--json", path], "");
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap()
}

#[test]
fn kpi_reads_json_lines_and_a_json_array_as_the_assess_call_does() {
    let logs = logs();
    let lines = write("cases.jsonl", &jsonl(&logs));
    let array = write("cases.json", &serde_json::to_string_pretty(&logs).unwrap());
    let from_lines = kpi_json(&lines);
    assert_eq!(kpi_json(&array), from_lines);
    let input = json!({"cases": logs, "from": "2026-01-01", "to": "2026-12-31", "now": NOW});
    let api: Value = serde_json::from_str(
        &caseflow_core::api::call(
            policy(),
            caseflow_core::api::Call::Assess,
            &input.to_string(),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(from_lines, api);
    assert_eq!(from_lines["cases"]["counted"], logs.len());
    // Standard input too.
    let output = kpi(&["--json", "-"], &jsonl(&logs));
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&output)).unwrap(),
        api
    );
}

#[test]
fn the_table_shows_the_figures_with_their_counts() {
    let logs = logs();
    let path = write("table.jsonl", &jsonl(&logs));
    let output = kpi(&[&path], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let kpis = kpi_json(&path);
    let contacted = &kpis["overall"]["contacted_in_time"];
    let expected = format!(
        "contacted in time                    {}/{}",
        contacted["numerator"], contacted["denominator"]
    );
    assert!(text.contains(&expected), "{text}");
    let n = logs.len();
    let counts = format!("cases: {n} read, {n} counted, 0 outside the period, 0 left out");
    assert!(text.contains(&counts), "{text}");
    assert!(text.contains("P-2026-021"), "{text}");
    assert!(text.contains("breaches by clock"), "{text}");
    // Nothing on standard error: the progress bar shows only on a terminal.
    assert_eq!(stderr(&output), "");
}

#[test]
fn a_broken_line_is_a_finding_naming_file_and_line_and_the_rest_is_counted() {
    let logs = logs();
    let mut text = jsonl(&logs[..2]);
    text.push_str("[{\"format\": 3,\n");
    text.push_str(&jsonl(&logs[2..]));
    let path = write("broken.jsonl", &text);
    let kpis = kpi_json(&path);
    assert_eq!(
        kpis["cases"],
        json!({"read": logs.len() + 1, "counted": logs.len(), "outside_period": 0, "left_out": 1})
    );
    let finding = &kpis["left_out"][0];
    assert_eq!(finding["code"], "bad_log");
    assert_eq!(finding["case_index"], 2);
    let message = finding["message"].as_str().unwrap();
    assert!(message.contains(&format!("{path}:3:")), "{message}");
    // The broken log is a bad_log finding for audit as well.
    let output = caseflow(&["audit", &path], "");
    assert!(output.status.success());
    let out = stdout(&output);
    let summary = format!("{} cases, {} audited,", logs.len() + 1, logs.len());
    assert!(out.starts_with(&summary), "{out}");
    assert!(out.contains("bad_log case ? (#2)"), "{out}");
}

#[test]
fn a_period_that_ends_before_it_starts_is_refused() {
    let path = write("backward.jsonl", &jsonl(&logs()[..1]));
    let output = caseflow(
        &["kpi", "--from", "2026-03-31", "--to", "2026-03-01", &path],
        "",
    );
    assert_eq!(output.status.code(), Some(1));
    let error: Value = serde_json::from_str(&stderr(&output)).unwrap();
    assert_eq!(error["errors"][0]["code"], "out_of_order");
    assert_eq!(error["errors"][0]["path"], "$.to");
    let output = caseflow(
        &["kpi", "--from", "2026-02-30", "--to", "2026-03-01", &path],
        "",
    );
    assert_eq!(output.status.code(), Some(1));
    let error: Value = serde_json::from_str(&stderr(&output)).unwrap();
    assert_eq!(error["errors"][0]["path"], "$.from");
}

#[test]
fn audit_and_spot_check_answer_as_their_calls() {
    let logs = logs();
    let mut tampered = logs[0].clone();
    tampered[1]["at"] = json!("2026-03-02T10:01:00+08:00");
    let mut all = logs.clone();
    all.push(tampered);
    let path = write("audit.jsonl", &jsonl(&all));
    let output = caseflow(&["audit", "--json", &path], "");
    let cli: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let api = caseflow_core::api::audit(policy(), &json!({"cases": all}).to_string()).unwrap();
    assert_eq!(cli, serde_json::to_value(&api).unwrap());
    assert_eq!(cli["findings"][0]["event"], 1);
    let output = caseflow(
        &["spot-check", "--k", "2", "--seed", "42", "--json", &path],
        "",
    );
    let cli: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let api = caseflow_core::api::spot_check(
        policy(),
        &json!({"cases": all, "k": 2, "seed": 42}).to_string(),
    )
    .unwrap();
    assert_eq!(cli, serde_json::to_value(&api).unwrap());
}

/// The tags of an HTML page balance (void elements aside), and it names nothing outside itself.
fn assert_well_formed(page: &str) {
    const VOID: &[&str] = &["meta", "br", "rect", "line", "hr"];
    let mut open: Vec<String> = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').expect("a tag closes");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if let Some(closing) = tag.strip_prefix('/') {
            let closing: String = closing
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert_eq!(
                open.pop().as_deref(),
                Some(closing.as_str()),
                "unbalanced </{closing}>"
            );
        } else if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");
    for outside in ["<script", "http://", "https://", "@import", "url("] {
        assert!(!page.contains(outside), "the page names {outside}");
    }
}

#[test]
fn the_html_report_is_one_well_formed_page_with_the_figures() {
    let path = write("report.jsonl", &jsonl(&logs()));
    let html = format!("{}/report.html", env!("CARGO_TARGET_TMPDIR"));
    let output = kpi(&["--html", &html, &path], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let page = std::fs::read_to_string(&html).unwrap();
    assert_well_formed(&page);
    let kpis = kpi_json(&path);
    let o = &kpis["overall"];
    let e = &o["emergencies"];
    for (figure, r) in [
        ("contacted_in_time", &o["contacted_in_time"]),
        ("resolved_by_commitment", &o["resolved_by_commitment"]),
        ("reopened", &o["reopened"]),
        ("open_overdue", &o["open_overdue"]),
        ("actions_on_time", &e["actions_on_time"]),
        ("reviews_on_time", &e["reviews_on_time"]),
    ] {
        let row = format!("<tr data-figure=\"{figure}\"><td>");
        let at = page
            .find(&row)
            .unwrap_or_else(|| panic!("no row for {figure}"));
        let cells = format!(
            "<td class=\"n\">{}</td><td class=\"n\">{}</td>",
            r["numerator"], r["denominator"]
        );
        assert!(page[at..].contains(&cells), "{figure}: {cells}");
    }
    for chart in [
        "emergency-timeliness-chart",
        "timeliness-chart",
        "breaches-chart",
        "satisfaction-chart",
        "emergencies-chart",
    ] {
        assert!(page.contains(&format!("<svg id=\"{chart}\"")), "{chart}");
    }
    for project in kpis["by_project"].as_object().unwrap().keys() {
        assert!(page.contains(project.as_str()), "{project}");
    }
    assert!(page.contains("P-2026-021"));
    assert!(page.contains("满意度分布 Satisfaction distribution"));
}

#[test]
fn every_string_from_the_data_is_escaped_in_the_page() {
    let logs = logs();
    let input = json!({"cases": logs, "from": "2026-01-01", "to": "2026-12-31", "now": NOW});
    let mut kpis = caseflow_core::api::assess(policy(), &input.to_string()).unwrap();
    let figures = kpis.by_project.values().next().unwrap().clone();
    kpis.by_project
        .insert("<script>alert(1)</script>&\"'".to_owned(), figures);
    let page = caseflow_cli::report::html(policy(), &kpis);
    assert!(!page.contains("<script>"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;"));
    assert_well_formed(&page);
}

/// A JSON-lines file whose first log is malformed yet starts like an array of logs (`[]`,
/// `[[…`) is still JSON lines: that log is one finding, naming file and line when it is not JSON,
/// and the rest are counted. A pretty-printed array with a typo is still refused as a whole.
#[test]
fn a_bad_first_log_in_json_lines_is_one_finding_not_a_refusal() {
    let logs = logs();
    let counts = |left_out: usize| json!({"read": logs.len() + 1, "counted": logs.len(), "outside_period": 0, "left_out": left_out});
    // An empty log on line 1: JSON, so read, but no case.
    let path = write("empty-first.jsonl", &format!("[]\n\n{}", jsonl(&logs)));
    let kpis = kpi_json(&path);
    assert_eq!(kpis["cases"], counts(1));
    assert_eq!(kpis["left_out"][0]["case_index"], 0);
    // A broken line 1 that starts like an array of logs.
    let path = write(
        "broken-first.jsonl",
        &format!("[[{{\"format\": 3,\n{}", jsonl(&logs)),
    );
    let kpis = kpi_json(&path);
    assert_eq!(kpis["cases"], counts(1));
    let finding = &kpis["left_out"][0];
    assert_eq!(finding["case_index"], 0);
    let message = finding["message"].as_str().unwrap();
    assert!(message.contains(&format!("{path}:1:")), "{message}");
    for command in ["audit", "spot-check"] {
        let mut args = vec![command, &path];
        if command == "spot-check" {
            args.extend(["--k", "1", "--seed", "7"]);
        }
        let output = caseflow(&args, "");
        assert!(output.status.success(), "{command}: {}", stderr(&output));
    }
    // `audit --now` judges missing reviews at that instant; a bad one is refused at `$.now`.
    let output = caseflow(&["audit", "--now", NOW, &path], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let output = caseflow(&["audit", "--now", "soon", &path], "");
    assert!(!output.status.success());
    assert!(stderr(&output).contains("$.now"), "{}", stderr(&output));
    // An array of logs alone on line 1 is still the whole input.
    let path = write(
        "one-line.json",
        &format!("{}\n\n", Value::Array(logs.clone())),
    );
    assert_eq!(kpi_json(&path)["cases"]["read"], logs.len());
    // A pretty-printed array with a typo is one refusal, not a finding per line.
    let mut text = serde_json::to_string_pretty(&logs).unwrap();
    text.insert(text.len() - 1, ',');
    let path = write("typo.json", &text);
    let output = kpi(&["--json", &path], "");
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("invalid_json"),
        "{}",
        stderr(&output)
    );
}
