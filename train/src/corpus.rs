//! Labelled corpora: JSON lines of `{"report": {...}, "expect": {"category", "tier", "emergency"}}`,
//! the format of `tests/data/corpus/`.

use caseflow_core::domain::{Category, EmergencyLevel, Tier};
use caseflow_core::{Error, Report};
use serde_json::Value;

/// A report with the answer a person gave it.
#[derive(Clone, Debug)]
pub struct LabelledReport {
    /// The report.
    pub report: Report,
    /// The expected category; `null` in a corpus when the writer left it open (an emergency
    /// report whose category does not matter): not scored, not learned from.
    pub category: Option<Category>,
    /// The expected tier.
    pub tier: Tier,
    /// The expected emergency level, if any.
    pub emergency: Option<EmergencyLevel>,
    /// The corpus it came from.
    pub corpus: String,
    /// Its line in that corpus, from 1.
    pub line: usize,
}

/// A corpus line that cannot be used, named by file, line and JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorpusError {
    /// The corpus.
    pub corpus: String,
    /// The line, from 1.
    pub line: usize,
    /// Where in the line's JSON.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for CorpusError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.corpus, self.line, self.path, self.message
        )
    }
}

impl std::error::Error for CorpusError {}

/// Reads a corpus; blank lines are allowed, anything else must be a labelled report. Every bad
/// line is reported, none skipped.
pub fn read_corpus(corpus: &str, text: &str) -> Result<Vec<LabelledReport>, Vec<CorpusError>> {
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match read_line(corpus, i + 1, line) {
            Ok(r) => reports.push(r),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(reports)
    } else {
        Err(errors)
    }
}

fn read_line(corpus: &str, line: usize, text: &str) -> Result<LabelledReport, CorpusError> {
    let error = |path: &str, message: String| CorpusError {
        corpus: corpus.to_owned(),
        line,
        path: path.to_owned(),
        message,
    };
    let value: Value = caseflow_core::reader::parse(text)
        .map_err(|d| error(d.path.as_str(), format!("not JSON: {}", d.message)))?;
    let report = value
        .get("report")
        .ok_or_else(|| error("$.report", "missing: the report".to_owned()))?;
    let report = Report::from_value(report).map_err(|e: Error| {
        let first = e.errors.first();
        error(
            &first.map_or_else(
                || "$.report".to_owned(),
                |d| format!("$.report{}", d.path.trim_start_matches('$')),
            ),
            first.map_or_else(|| e.message.clone(), |d| d.message.clone()),
        )
    })?;
    let expect = value.get("expect").ok_or_else(|| {
        error(
            "$.expect",
            "missing: the labels (category, tier, emergency); a corpus line without them cannot be used".to_owned(),
        )
    })?;
    let category = match expect.get("category") {
        None => {
            return Err(error(
                "$.expect.category",
                "missing: the category, or null to leave it open".to_owned(),
            ));
        }
        Some(Value::Null) => None,
        Some(v) => Some(
            v.as_str()
                .ok_or_else(|| error("$.expect.category", "not a string".to_owned()))?
                .parse::<Category>()
                .map_err(|e| error("$.expect.category", e.to_string()))?,
        ),
    };
    let tier = expect
        .get("tier")
        .and_then(Value::as_u64)
        .and_then(|n| u8::try_from(n).ok())
        .and_then(Tier::from_number)
        .ok_or_else(|| error("$.expect.tier", "missing, or not 1, 2 or 3".to_owned()))?;
    let emergency = match expect.get("emergency") {
        None => {
            return Err(error(
                "$.expect.emergency",
                "missing: the level, or null for none".to_owned(),
            ));
        }
        Some(Value::Null) => None,
        Some(v) => Some(
            serde_json::from_value::<EmergencyLevel>(v.clone())
                .map_err(|e| error("$.expect.emergency", e.to_string()))?,
        ),
    };
    Ok(LabelledReport {
        report,
        category,
        tier,
        emergency,
        corpus: corpus.to_owned(),
        line,
    })
}
