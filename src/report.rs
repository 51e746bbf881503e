//! The supervision summary as people read it (docs/policy.md §6): tables for the terminal
//! (`caseflow kpi`) and the quality department's monthly report, one self-contained HTML page
//! (`caseflow kpi --html FILE`): inline CSS and inline SVG charts, no script, no font or image
//! from anywhere, every string from the data HTML-escaped.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use caseflow_core::lifecycle::PolicyRef;
use caseflow_core::routing::ClockKind;
use caseflow_core::supervision::{Figures, Finding, Kpis, Ratio};
use caseflow_core::time::format_instant;
use caseflow_core::{Category, Channel, EmergencyLevel, Policy, Tier};

/// A clock's id and its Chinese and English names.
fn clock_names(clock: ClockKind) -> (&'static str, &'static str, &'static str) {
    match clock {
        ClockKind::ContactCustomer => ("contact_customer", "联系客户", "contact the customer"),
        ClockKind::Commitment => ("commitment", "承诺处理期限", "committed deadline"),
        ClockKind::Plan => ("plan", "制定方案", "plan"),
        ClockKind::Approval => ("approval", "方案审批", "plan approval"),
        ClockKind::ProgressUpdate => ("progress_update", "进度通报", "progress update"),
        ClockKind::Verification => ("verification", "处理验证", "verification"),
        ClockKind::CustomerReply => ("customer_reply", "客户答复", "customer's reply"),
        ClockKind::TierReview => ("tier_review", "等级复核", "tier review"),
        _ => ("other", "其他", "other"),
    }
}

/// A channel's Chinese and English names (docs/policy.md §2).
fn channel_names(channel: Channel) -> (&'static str, &'static str) {
    match channel {
        Channel::OnSite => ("现场反馈", "on site"),
        Channel::Phone => ("电话/热线", "phone"),
        Channel::Written => ("书面", "written"),
        Channel::Online => ("线上平台", "online"),
    }
}

/// The figures of a group, in the order of the tables: (id, Chinese, English, value).
fn ratios(f: &Figures) -> [(&'static str, &'static str, &'static str, Ratio); 7] {
    [
        (
            "contacted_in_time",
            "按时联系客户",
            "contacted in time",
            f.contacted_in_time,
        ),
        (
            "resolved_by_commitment",
            "按承诺期限解决",
            "resolved by the committed deadline",
            f.resolved_by_commitment,
        ),
        (
            "first_round_satisfied",
            "首轮满意",
            "satisfied at the first round",
            f.first_round_satisfied,
        ),
        (
            "four_or_five",
            "满意度4–5分",
            "scored 4 or 5",
            f.satisfaction.four_or_five,
        ),
        ("reopened", "重新处理", "reopened", f.reopened),
        (
            "cases_with_breach",
            "有超期的问题",
            "cases with a breach",
            f.cases_with_breach,
        ),
        (
            "open_overdue",
            "未结且超期",
            "open and overdue",
            f.open_overdue,
        ),
    ]
}

/// `3/4 75.0%`, or `0/0 -`.
fn ratio_text(r: &Ratio) -> String {
    match r.ratio {
        Some(q) => format!("{}/{} {:.1}%", r.numerator, r.denominator, q * 100.0),
        None => format!("{}/{} -", r.numerator, r.denominator),
    }
}

fn mean_text(f: &Figures) -> String {
    match f.satisfaction.mean.mean {
        Some(m) => format!("{m:.2}"),
        None => "-".to_owned(),
    }
}

fn policy_text(policy: &PolicyRef) -> String {
    format!("`{}` version `{}`", policy.name, policy.version)
}

/// The summary as lines of text: the period and counts, the overall figures, one table per
/// grouping, the breaches by clock, the emergencies and the cases left out.
pub fn table(policy: &Policy, kpis: &Kpis) -> Vec<String> {
    let offset = policy.calendar().offset();
    let c = &kpis.cases;
    let mut lines = vec![
        format!(
            "cases received {} to {}, judged at {}, policy {}",
            kpis.period.from,
            kpis.period.to,
            format_instant(&kpis.now, offset),
            policy_text(&kpis.policy)
        ),
        format!(
            "cases: {} read, {} counted, {} outside the period, {} left out",
            c.read, c.counted, c.outside_period, c.left_out
        ),
        String::new(),
        "overall".to_owned(),
    ];
    let o = &kpis.overall;
    for (_, _, en, r) in ratios(o) {
        lines.push(format!("  {en:<36} {}", ratio_text(&r)));
    }
    let h = &o.satisfaction.histogram;
    lines.push(format!(
        "  {:<36} {} (scores 1-5: {} {} {} {} {})",
        "mean satisfaction",
        mean_text(o),
        h[0],
        h[1],
        h[2],
        h[3],
        h[4]
    ));
    lines.push(format!(
        "  {:<36} {}",
        "closed / withdrawn",
        format_args!("{} / {}", o.closed, o.withdrawn)
    ));
    let groups: [(&str, Rows<'_>); 4] = [
        ("project", named(&kpis.by_project, Clone::clone)),
        (
            "category",
            named(&kpis.by_category, |c: &Category| c.as_str().to_owned()),
        ),
        ("tier", named(&kpis.by_tier, |t: &Tier| format!("tier {t}"))),
        (
            "channel",
            named(&kpis.by_channel, |c: &Channel| c.as_str().to_owned()),
        ),
    ];
    for (title, rows) in groups {
        lines.push(String::new());
        lines.push(format!(
            "{title:<14} {:>6}  {:<16} {:<16} {:<16} {:>5}  {:<16} {:<16} {:<16}",
            "cases",
            "contacted",
            "resolved",
            "first round",
            "mean",
            "reopened",
            "breached",
            "open overdue"
        ));
        for (name, f) in rows {
            lines.push(format!(
                "{name:<14} {:>6}  {:<16} {:<16} {:<16} {:>5}  {:<16} {:<16} {:<16}",
                f.cases,
                ratio_text(&f.contacted_in_time),
                ratio_text(&f.resolved_by_commitment),
                ratio_text(&f.first_round_satisfied),
                mean_text(f),
                ratio_text(&f.reopened),
                ratio_text(&f.cases_with_breach),
                ratio_text(&f.open_overdue),
            ));
        }
    }
    lines.push(String::new());
    lines.push(format!(
        "{:<20} {:>8} {:>8}",
        "breaches by clock", "breaches", "cases"
    ));
    for (clock, count) in &o.breaches {
        lines.push(format!(
            "{:<20} {:>8} {:>8}",
            clock_names(*clock).0,
            count.breaches,
            count.cases
        ));
    }
    lines.push(String::new());
    let levels: Vec<String> = o
        .emergencies
        .by_level
        .iter()
        .map(|(level, n)| format!("{} {n}", level.as_str()))
        .collect();
    lines.push(format!(
        "emergencies: {}",
        if levels.is_empty() {
            "none".to_owned()
        } else {
            levels.join(", ")
        }
    ));
    lines.push(format!(
        "  {:<36} {}",
        "actions done by their due time",
        ratio_text(&o.emergencies.actions_on_time)
    ));
    lines.push(format!(
        "  {:<36} {}",
        "reviews filed by their due time",
        ratio_text(&o.emergencies.reviews_on_time)
    ));
    if !kpis.left_out.is_empty() {
        lines.push(String::new());
        lines.push("left out".to_owned());
        for finding in &kpis.left_out {
            lines.push(format!("  {}", finding_text(finding)));
        }
    }
    lines
        .into_iter()
        .map(|line| line.trim_end().to_owned())
        .collect()
}

fn named<K, F>(map: &BTreeMap<K, Figures>, name: F) -> Rows<'_>
where
    F: Fn(&K) -> String,
{
    map.iter().map(|(k, f)| (name(k), f)).collect()
}

/// A finding in words: `case X (#3) event 2 at $.events[2].hash: message`.
pub fn finding_text(f: &Finding) -> String {
    let mut text = format!(
        "case {} (#{})",
        f.case_id.as_deref().unwrap_or("?"),
        f.case_index
    );
    if let Some(event) = f.event {
        let _ = write!(text, " event {event}");
    }
    if let Some(record) = &f.record {
        let _ = write!(text, " at {record}");
    }
    let _ = write!(text, ": {}", f.message);
    text
}

// --- The HTML page ---------------------------------------------------------------------------

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;margin:2rem auto;max-width:70rem;color:#1d2430;padding:0 1rem}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}\
.meta{color:#57606a}table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}\
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f3f5f8}\
td.n{text-align:right;font-variant-numeric:tabular-nums}.zh{color:#57606a}\
svg{display:block;margin:.5rem 0;max-width:100%}svg text{font-size:12px;fill:#1d2430}\
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}";

const BLUE: &str = "#3b6fd8";
const GREEN: &str = "#2e9a5c";
const RED: &str = "#c8453c";
const AMBER: &str = "#d49a1c";

/// The monthly report: one self-contained HTML page (no script, no request to anywhere).
pub fn html(policy: &Policy, kpis: &Kpis) -> String {
    let offset = policy.calendar().offset();
    let c = &kpis.cases;
    let mut page = String::with_capacity(32 * 1024);
    page.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n",
    );
    let _ = writeln!(
        page,
        "<title>客户问题处理考核报告 Supervision report {} – {}</title>",
        kpis.period.from, kpis.period.to
    );
    let _ = writeln!(page, "<style>{STYLE}</style>\n</head>\n<body>");
    page.push_str(
        "<h1>客户问题处理监督与考核 <span class=\"zh\">Supervision and assessment</span></h1>\n",
    );
    let _ = writeln!(
        page,
        "<p class=\"meta\">受理日期 Received {} – {} · 统计时点 judged at {} · 制度 policy {} {}</p>",
        kpis.period.from,
        kpis.period.to,
        escape(&format_instant(&kpis.now, offset)),
        escape(&kpis.policy.name),
        escape(&kpis.policy.version)
    );
    let _ = writeln!(
        page,
        "<p id=\"counts\">问题 Cases: <b>{}</b> read · <b>{}</b> counted · {} outside the period · <b>{}</b> left out</p>",
        c.read, c.counted, c.outside_period, c.left_out
    );
    overall_section(&mut page, &kpis.overall);
    timeliness_section(&mut page, kpis);
    breaches_section(&mut page, &kpis.overall);
    satisfaction_section(&mut page, &kpis.overall);
    emergencies_section(&mut page, &kpis.overall);
    groups_section(&mut page, policy, kpis);
    left_out_section(&mut page, &kpis.left_out);
    page.push_str("<p class=\"meta\">Definitions: docs/policy.md §6. Generated by caseflow.</p>\n</body>\n</html>\n");
    page
}

fn ratio_cells(r: &Ratio) -> String {
    let pct = r
        .ratio
        .map_or_else(|| "–".to_owned(), |q| format!("{:.1}%", q * 100.0));
    format!(
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{pct}</td>",
        r.numerator, r.denominator
    )
}

fn overall_section(page: &mut String, o: &Figures) {
    page.push_str("<h2>总体指标 Overall figures</h2>\n<table id=\"overall\">\n");
    page.push_str("<tr><th>指标 Figure</th><th>分子 Numerator</th><th>分母 Denominator</th><th>比率 Ratio</th></tr>\n");
    for (id, zh, en, r) in ratios(o) {
        let _ = writeln!(
            page,
            "<tr data-figure=\"{id}\"><td>{zh} <span class=\"zh\">{en}</span></td>{}</tr>",
            ratio_cells(&r)
        );
    }
    let m = &o.satisfaction.mean;
    let _ = writeln!(
        page,
        "<tr data-figure=\"mean_score\"><td>平均满意度 <span class=\"zh\">mean score (1–5)</span></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
        m.sum,
        m.count,
        m.mean.map_or_else(|| "–".to_owned(), |v| format!("{v:.2}"))
    );
    page.push_str("</table>\n");
}

/// One row of horizontal bars: its label, and each share (0–1, or none) with its colour.
type BarRow<'a> = (String, Vec<(Option<f64>, &'a str)>);

/// The named groups of a grouping, in order.
type Rows<'a> = Vec<(String, &'a Figures)>;

/// Horizontal bars, one row per item, each with up to two shares (0–1) side by side.
fn share_bars(id: &str, rows: &[BarRow<'_>]) -> String {
    let label_width = 160.0;
    let bar_width = 420.0;
    let row_height = 34.0;
    let height = row_height * rows.len().max(1) as f64 + 24.0;
    let mut svg = format!(
        "<svg id=\"{id}\" role=\"img\" width=\"640\" height=\"{height:.0}\" viewBox=\"0 0 640 {height:.0}\">\n"
    );
    for (i, (label, shares)) in rows.iter().enumerate() {
        let y = row_height * i as f64 + 4.0;
        let _ = writeln!(
            svg,
            "<text x=\"0\" y=\"{:.0}\">{}</text>",
            y + 18.0,
            escape(label)
        );
        for (j, (share, colour)) in shares.iter().enumerate() {
            let by = y + 14.0 * j as f64;
            let w = share.unwrap_or(0.0) * bar_width;
            let _ = writeln!(
                svg,
                "<rect class=\"track\" x=\"{label_width}\" y=\"{by:.0}\" width=\"{bar_width}\" height=\"12\" fill=\"#eef1f5\"/>"
            );
            let _ = writeln!(
                svg,
                "<rect class=\"bar\" x=\"{label_width}\" y=\"{by:.0}\" width=\"{w:.1}\" height=\"12\" fill=\"{colour}\"/>"
            );
            let text = share.map_or_else(|| "–".to_owned(), |q| format!("{:.0}%", q * 100.0));
            let _ = writeln!(
                svg,
                "<text x=\"{:.0}\" y=\"{:.0}\">{text}</text>",
                label_width + bar_width + 8.0,
                by + 11.0
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

fn timeliness_section(page: &mut String, kpis: &Kpis) {
    page.push_str("<h2>各项目处理及时性 Timeliness by project</h2>\n");
    let _ = writeln!(
        page,
        "<p class=\"legend\"><span style=\"background:{BLUE}\"></span>按时联系客户 contacted in time<span style=\"background:{GREEN}\"></span>按承诺期限解决 resolved by the committed deadline</p>"
    );
    let rows: Vec<BarRow<'_>> = kpis
        .by_project
        .iter()
        .map(|(project, f)| {
            (
                project.clone(),
                vec![
                    (f.contacted_in_time.ratio, BLUE),
                    (f.resolved_by_commitment.ratio, GREEN),
                ],
            )
        })
        .collect();
    page.push_str(&share_bars("timeliness-chart", &rows));
}

/// Vertical bars of counts, labelled below.
fn count_columns(id: &str, columns: &[(String, u64)], colour: &str) -> String {
    let height = 180.0;
    let column = 84.0;
    let width = column * columns.len().max(1) as f64 + 20.0;
    let top = columns.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        "<svg id=\"{id}\" role=\"img\" width=\"{width:.0}\" height=\"{:.0}\" viewBox=\"0 0 {width:.0} {:.0}\">\n",
        height + 40.0,
        height + 40.0
    );
    let _ = writeln!(
        svg,
        "<line x1=\"0\" y1=\"{height}\" x2=\"{width:.0}\" y2=\"{height}\" stroke=\"#8c959f\"/>"
    );
    for (i, (label, n)) in columns.iter().enumerate() {
        let x = column * i as f64 + 14.0;
        let h = (*n as f64 / top) * (height - 20.0);
        let _ = writeln!(
            svg,
            "<rect class=\"bar\" x=\"{x:.0}\" y=\"{:.1}\" width=\"{:.0}\" height=\"{h:.1}\" fill=\"{colour}\"/>",
            height - h,
            column - 24.0
        );
        let _ = writeln!(
            svg,
            "<text x=\"{x:.0}\" y=\"{:.1}\">{n}</text>",
            height - h - 4.0
        );
        let _ = writeln!(
            svg,
            "<text x=\"{x:.0}\" y=\"{:.0}\">{}</text>",
            height + 16.0,
            escape(label)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn breaches_section(page: &mut String, o: &Figures) {
    page.push_str("<h2>各时限超期 Breaches by clock</h2>\n");
    let columns: Vec<(String, u64)> = o
        .breaches
        .iter()
        .map(|(clock, n)| (clock_names(*clock).1.to_owned(), n.breaches))
        .collect();
    if columns.is_empty() {
        page.push_str("<p>无超期 No breach on record.</p>\n");
    }
    page.push_str(&count_columns("breaches-chart", &columns, RED));
    page.push_str("<table id=\"breaches\">\n<tr><th>时限 Clock</th><th>超期次数 Breaches</th><th>涉及问题 Cases</th></tr>\n");
    for (clock, n) in &o.breaches {
        let (id, zh, en) = clock_names(*clock);
        let _ = writeln!(
            page,
            "<tr data-clock=\"{id}\"><td>{zh} <span class=\"zh\">{en}</span></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            n.breaches, n.cases
        );
    }
    page.push_str("</table>\n");
}

fn satisfaction_section(page: &mut String, o: &Figures) {
    page.push_str("<h2>满意度分布 Satisfaction distribution</h2>\n");
    let columns: Vec<(String, u64)> = (1..=5)
        .zip(o.satisfaction.histogram)
        .map(|(score, n)| (format!("{score} 分"), n))
        .collect();
    page.push_str(&count_columns("satisfaction-chart", &columns, AMBER));
    let _ = writeln!(
        page,
        "<p>平均 Mean {} · 4–5分 scored 4 or 5: {}</p>",
        mean_text(o),
        escape(&ratio_text(&o.satisfaction.four_or_five))
    );
}

fn level_names(level: EmergencyLevel) -> &'static str {
    match level {
        EmergencyLevel::I => "Ⅰ级",
        EmergencyLevel::II => "Ⅱ级",
        EmergencyLevel::III => "Ⅲ级",
    }
}

fn emergencies_section(page: &mut String, o: &Figures) {
    page.push_str("<h2>应急事件 Emergencies</h2>\n");
    let columns: Vec<(String, u64)> = EmergencyLevel::ALL
        .iter()
        .map(|level| {
            (
                level_names(*level).to_owned(),
                o.emergencies.by_level.get(level).copied().unwrap_or(0),
            )
        })
        .collect();
    page.push_str(&count_columns("emergencies-chart", &columns, RED));
    let e = &o.emergencies;
    let rows: Vec<BarRow<'_>> = vec![
        (
            "应急措施按时 actions".to_owned(),
            vec![(e.actions_on_time.ratio, GREEN)],
        ),
        (
            "事后评审按时 reviews".to_owned(),
            vec![(e.reviews_on_time.ratio, BLUE)],
        ),
    ];
    page.push_str(&share_bars("emergency-timeliness-chart", &rows));
    page.push_str("<table id=\"emergencies\">\n<tr><th>指标 Figure</th><th>分子 Numerator</th><th>分母 Denominator</th><th>比率 Ratio</th></tr>\n");
    for (id, zh, en, r) in [
        (
            "actions_on_time",
            "应急措施按时完成",
            "actions and status updates done by their due time",
            &e.actions_on_time,
        ),
        (
            "reviews_on_time",
            "事后评审按时提交",
            "post-event reviews filed by their due time",
            &e.reviews_on_time,
        ),
    ] {
        let _ = writeln!(
            page,
            "<tr data-figure=\"{id}\"><td>{zh} <span class=\"zh\">{en}</span></td>{}</tr>",
            ratio_cells(r)
        );
    }
    page.push_str("</table>\n");
}

fn groups_section(page: &mut String, policy: &Policy, kpis: &Kpis) {
    let tables: [(&str, &str, Rows<'_>); 4] = [
        (
            "project",
            "按项目 By project",
            named(&kpis.by_project, Clone::clone),
        ),
        (
            "category",
            "按类别 By category",
            named(&kpis.by_category, |c: &Category| {
                match policy.category_labels(*c) {
                    Some(l) => format!("{} {}", l.zh, l.en),
                    None => c.as_str().to_owned(),
                }
            }),
        ),
        (
            "tier",
            "按等级 By tier",
            named(&kpis.by_tier, |t: &Tier| {
                let l = &policy.tier(*t).labels;
                format!("{} {}", l.zh, l.en)
            }),
        ),
        (
            "channel",
            "按渠道 By channel",
            named(&kpis.by_channel, |c: &Channel| {
                let (zh, en) = channel_names(*c);
                format!("{zh} {en}")
            }),
        ),
    ];
    for (id, title, rows) in tables {
        let _ = writeln!(page, "<h2>{title}</h2>\n<table id=\"by-{id}\">");
        page.push_str("<tr><th></th><th>问题 Cases</th>");
        for (_, zh, en, _) in ratios(&Figures::default()) {
            let _ = write!(page, "<th>{zh}<br><span class=\"zh\">{en}</span></th>");
        }
        page.push_str("<th>平均满意度<br><span class=\"zh\">mean score</span></th></tr>\n");
        for (name, f) in rows {
            let _ = write!(
                page,
                "<tr><td>{}</td><td class=\"n\">{}</td>",
                escape(&name),
                f.cases
            );
            for (_, _, _, r) in ratios(f) {
                let _ = write!(page, "<td class=\"n\">{}</td>", escape(&ratio_text(&r)));
            }
            let _ = writeln!(page, "<td class=\"n\">{}</td></tr>", mean_text(f));
        }
        page.push_str("</table>\n");
    }
}

fn left_out_section(page: &mut String, left_out: &[Finding]) {
    page.push_str("<h2>未计入的问题 Cases left out</h2>\n");
    if left_out.is_empty() {
        page.push_str("<p>无 None: every log replayed.</p>\n");
        return;
    }
    page.push_str("<ul id=\"left-out\">\n");
    for finding in left_out {
        let _ = writeln!(page, "<li>{}</li>", escape(&finding_text(finding)));
    }
    page.push_str("</ul>\n");
}
