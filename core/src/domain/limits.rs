//! The engine's input limits, in one place: every reader refuses what is larger, so that no
//! input can make the engine slow or its arithmetic overflow.

/// Longest accepted identifier (report id, project id, actor id), in characters.
pub const MAX_ID_CHARS: usize = 64;

/// Longest accepted description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;

/// Longest accepted location, contact name or other short text, in characters.
pub const MAX_SHORT_TEXT_CHARS: usize = 500;

/// Largest accepted report document, in bytes (a full-length description in any script fits).
pub const MAX_REPORT_BYTES: usize = 256 * 1024;

/// Largest count accepted for a numeric fact, to keep arithmetic far from overflow.
pub const MAX_FACT_COUNT: u64 = 1_000_000_000_000;

/// Longest design service life accepted, in years (also the longest warranty period a policy
/// may set), to keep date arithmetic far from the end of the calendar.
pub const MAX_SERVICE_LIFE_YEARS: u64 = 1000;

/// Largest accepted policy file, in bytes.
pub const MAX_POLICY_BYTES: usize = 4 * 1024 * 1024;

/// Longest accepted free text in a command (a reason, a note, a measure), in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// Most items in a list of a command (measures, milestones...).
pub const MAX_ITEMS: usize = 50;

/// The largest lifecycle input accepted, in bytes (a long case history fits many times over).
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// Largest accepted input of a calendar call, in bytes.
pub const MAX_CALENDAR_INPUT_BYTES: usize = 1024 * 1024;

/// Most days `calendar_days` lists at once (ten years).
pub const MAX_CALENDAR_RANGE_DAYS: i64 = 3660;

/// The largest amount a duration may have; far beyond any policy, and small enough that no
/// arithmetic on instants can overflow.
pub const MAX_AMOUNT: u32 = 100_000;

/// The largest amount of minutes: as long as the largest amount of hours. A case's commitment
/// clock runs in minutes up to the committed deadline, which may lie up to five years ahead
/// (about 2.6 million minutes); the case that carries it must read back.
pub const MAX_MINUTES: u32 = 60 * MAX_AMOUNT;

/// The largest input of a supervision call (`assess`, `spot_check`, `audit`,
/// `merge_assessments`), in bytes: some thousands of case logs. A larger set is assessed in
/// shards whose summaries are merged (docs/policy.md §6).
pub const MAX_SUPERVISION_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Most cases sampled per project by `spot_check`.
pub const MAX_SPOT_CHECK_K: u64 = 10_000;
