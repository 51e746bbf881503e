//! `caseflow train` and `caseflow evaluate`: the learned model, made and measured.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use caseflow_core::Policy;
use caseflow_train::evaluate::{compare, confusion, cross_validate, table, total};
use caseflow_train::{LabelledReport, TrainOptions, read_corpus, train, with_model};
use clap::Args;

use crate::io::{Failure, load_policy, print_line, print_pretty, read_input};

/// Arguments of `caseflow train`.
#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Labelled corpora, JSON lines (the format of tests/data/corpus).
    #[arg(long, required = true, num_args = 1..)]
    corpus: Vec<PathBuf>,
    /// Where to write the model (JSON).
    #[arg(long)]
    out: PathBuf,
    /// The policy whose reading (term lists, quantities) the features use; the built-in one
    /// when omitted.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Also write the policy with the new model in place of its own, ready to `check` and use.
    #[arg(long)]
    policy_out: Option<PathBuf>,
    /// The model's name, recorded in every event decided with it.
    #[arg(long, default_value = "caseflow-default")]
    name: String,
    /// Inverse strength of the L2 penalty (scikit-learn's C).
    #[arg(long, default_value_t = TrainOptions::default().c)]
    c: f64,
    /// Leave out features seen in fewer reports than this.
    #[arg(long, default_value_t = TrainOptions::default().min_document_frequency)]
    min_document_frequency: u32,
}

/// Arguments of `caseflow evaluate`.
#[derive(Args, Debug)]
pub struct EvaluateArgs {
    /// Labelled corpora, JSON lines.
    #[arg(long, required = true, num_args = 1..)]
    corpus: Vec<PathBuf>,
    /// The policy to score; the built-in one when omitted.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Leave-one-corpus-out: for each corpus, train a model on the others and score it.
    #[arg(long)]
    cross_validate: bool,
    /// With --cross-validate: the C to train with.
    #[arg(long, default_value_t = TrainOptions::default().c)]
    c: f64,
    /// Print the scores as JSON instead of tables.
    #[arg(long)]
    json: bool,
}

fn read_corpora(paths: &[PathBuf]) -> Result<Vec<(String, Vec<LabelledReport>)>, Failure> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        match read_corpus(&name, &read_input(path)?) {
            Ok(reports) => out.push((name, reports)),
            Err(errors) => problems.extend(errors.iter().map(ToString::to_string)),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Failure::Io(format!(
            "{} unusable corpus line(s):\n{}",
            problems.len(),
            problems.join("\n")
        )))
    }
}

fn write(path: &Path, value: &serde_json::Value) -> Result<(), Failure> {
    let text = serde_json::to_string(value)
        .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
    std::fs::write(path, text + "\n")
        .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))
}

/// Trains a model and writes it.
pub fn run_train(args: &TrainArgs) -> Result<ExitCode, Failure> {
    let policy = load_policy(args.policy.as_deref())?;
    let reports: Vec<LabelledReport> = read_corpora(&args.corpus)?
        .into_iter()
        .flat_map(|(_, r)| r)
        .collect();
    let options = TrainOptions {
        name: args.name.clone(),
        c: args.c,
        min_document_frequency: args.min_document_frequency,
        ..TrainOptions::default()
    };
    let model = train(&policy, &reports, &options, &mut |m| {
        eprintln!("caseflow train: {m}")
    })
    .map_err(|e| Failure::Io(e.to_string()))?;
    let value = serde_json::to_value(&model)
        .map_err(|e| Failure::Io(format!("cannot write the model: {e}")))?;
    write(&args.out, &value)?;
    eprintln!(
        "caseflow train: wrote {} (sha256 {})",
        args.out.display(),
        model.sha256()
    );
    if let Some(path) = &args.policy_out {
        let document = with_model(&policy, &model);
        Policy::from_value(&document)?;
        write(path, &document)?;
        eprintln!("caseflow train: wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Scores a policy (or cross-validates its model) on labelled corpora.
pub fn run_evaluate(args: &EvaluateArgs) -> Result<ExitCode, Failure> {
    let policy = load_policy(args.policy.as_deref())?;
    let corpora = read_corpora(&args.corpus)?;
    let mut comparisons = if args.cross_validate {
        let options = TrainOptions {
            c: args.c,
            ..TrainOptions::default()
        };
        cross_validate(&policy, &corpora, &options, &mut |m| {
            eprintln!("caseflow evaluate: {m}");
        })
        .map_err(Failure::Io)?
    } else {
        corpora
            .iter()
            .map(|(name, reports)| compare(&policy as &Policy, name, reports))
            .collect()
    };
    let all = total(&comparisons);
    if comparisons.len() > 1 {
        comparisons.push(all.clone());
    }
    if args.json {
        print_pretty(&comparisons)?;
    } else {
        print_line(&table(&comparisons))?;
        print_line("Category confusion, the policy's answer (rows expected, columns answered):\n")?;
        print_line(&confusion(&all.policy))?;
        if !all.policy.tier_1_missed.is_empty() {
            print_line(&format!(
                "Tier-1 reports the policy neither answered tier 1 nor flagged: {}",
                all.policy.tier_1_missed.join(", ")
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
