//! The quality department's spot check (docs/policy.md §6): a reproducible sample of cases per
//! project.
//!
//! Each case gets the key SHA-256(`"caseflow spot-check v1\0"` ‖ the seed as 8 bytes, big-endian
//! ‖ the case id in UTF-8); a project's sample is its `k` cases with the smallest keys. The
//! sample therefore depends only on the seed and the set of case ids: not on the order the cases
//! come in, the platform, or how the input was split (the samples of shards, merged and cut to
//! `k` again, are the sample of the whole). A new seed draws a new sample.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Finding, case_of_log};
use crate::lifecycle::Case;
use crate::policy::Policy;

/// What the key's input starts with, so that it can never be mistaken for another hash.
const SAMPLE_DOMAIN: &[u8] = b"caseflow spot-check v1\0";

/// The sampling key of a case id under a seed, as lowercase hex.
pub fn spot_check_key(seed: u64, case_id: &str) -> String {
    hex(&key(seed, case_id))
}

/// Lowercase hex of a key.
fn hex(bytes: &[u8; 32]) -> String {
    bytes.iter().fold(String::with_capacity(64), |mut out, b| {
        out.push_str(&format!("{b:02x}"));
        out
    })
}

fn key(seed: u64, case_id: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(SAMPLE_DOMAIN);
    hasher.update(seed.to_be_bytes());
    hasher.update(case_id.as_bytes());
    hasher.finalize().into()
}

/// One sampled case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SampledCase {
    /// The case id.
    pub id: String,
    /// Its sampling key (SHA-256, hex): the sample is the `k` smallest.
    pub key: String,
}

/// The sample of one project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectSample {
    /// How many cases of the project were given (an id given twice counts twice, but is
    /// sampled once).
    pub population: u64,
    /// The sampled cases, smallest key first.
    pub cases: Vec<SampledCase>,
}

/// The answer of [`spot_check`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpotCheck {
    /// The seed.
    pub seed: u64,
    /// At most this many cases per project.
    pub k: u64,
    /// The sample, by project id.
    pub projects: BTreeMap<String, ProjectSample>,
    /// The cases whose log did not replay: not sampled, one `bad_log` finding each.
    pub left_out: Vec<Finding>,
}

/// Draws the sample case by case: memory grows with `k` times the projects, not with the cases.
#[derive(Clone, Debug)]
pub struct SpotCheckSampler {
    seed: u64,
    k: usize,
    projects: BTreeMap<String, Drawn>,
    left_out: Vec<Finding>,
}

#[derive(Clone, Debug, Default)]
struct Drawn {
    population: u64,
    /// Ascending by key, at most `k`.
    smallest: Vec<([u8; 32], String)>,
}

impl SpotCheckSampler {
    /// An empty sample of at most `k` cases per project under `seed`.
    pub fn new(k: u64, seed: u64) -> SpotCheckSampler {
        SpotCheckSampler {
            seed,
            k: usize::try_from(k).unwrap_or(usize::MAX),
            projects: BTreeMap::new(),
            left_out: Vec::new(),
        }
    }

    /// Offers one case.
    pub fn add(&mut self, case: &Case) {
        let key = key(self.seed, &case.id);
        let drawn = match self.projects.get_mut(case.report.project.as_str()) {
            Some(drawn) => drawn,
            None => self
                .projects
                .entry(case.report.project.clone())
                .or_default(),
        };
        drawn.population += 1;
        let at = drawn.smallest.partition_point(|(k, _)| *k < key);
        if drawn.smallest.get(at).is_some_and(|(k, _)| *k == key) {
            // The same id again: sampled once.
            return;
        }
        if at < self.k {
            drawn.smallest.insert(at, (key, case.id.clone()));
            drawn.smallest.truncate(self.k);
        }
    }

    /// Offers the case at position `index` of the input, given as its event log; a log that
    /// does not replay is left out with a finding.
    pub fn add_log(&mut self, policy: &Policy, index: u64, log: &Value) {
        match case_of_log(policy, index, log) {
            Ok(case) => self.add(&case),
            Err(finding) => self.left_out.push(*finding),
        }
    }

    /// The sample.
    pub fn finish(mut self) -> SpotCheck {
        self.left_out.sort_by(Finding::order);
        // Inserted one by one, in the order of the map they come from: collecting into a map
        // sorts what it collects, a sort instantiated for this map alone.
        let mut projects = BTreeMap::new();
        for (project, drawn) in self.projects {
            let cases = drawn
                .smallest
                .into_iter()
                .map(|(key, id)| SampledCase { id, key: hex(&key) })
                .collect();
            let sample = ProjectSample {
                population: drawn.population,
                cases,
            };
            projects.insert(project, sample);
        }
        SpotCheck {
            seed: self.seed,
            k: u64::try_from(self.k).unwrap_or(u64::MAX),
            projects,
            left_out: self.left_out,
        }
    }
}

/// Draws, per project, the `k` cases (given as event logs) with the smallest keys under `seed`.
pub fn spot_check(policy: &Policy, logs: &[Value], k: u64, seed: u64) -> SpotCheck {
    let mut sampler = SpotCheckSampler::new(k, seed);
    for (index, log) in logs.iter().enumerate() {
        sampler.add_log(policy, u64::try_from(index).unwrap_or(u64::MAX), log);
    }
    sampler.finish()
}
