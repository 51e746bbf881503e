//! Field-by-field reading of JSON objects that reports *every* bad field, not just the first.
//!
//! serde's derive stops at the first error; intake and lifecycle commands must name every offending
//! field at once (policy.md §2), so their inputs are read through [`ObjectReader`] instead. The
//! reader records which members it consumed and flags the rest as unknown, which is what
//! `deny_unknown_fields` gives the serde-derived policy types.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{Diagnostic, JsonPath, serde_message};

/// Parses `text` as JSON, refusing inputs larger than `max_bytes` before looking at them.
pub(crate) fn parse_bounded(text: &str, max_bytes: usize, what: &str) -> Result<Value, Diagnostic> {
    if text.len() > max_bytes {
        return Err(Diagnostic::error(
            "too_large",
            &JsonPath::root(),
            format!(
                "{what} is {} bytes, more than the limit of {max_bytes}",
                text.len()
            ),
        ));
    }
    serde_json::from_str(text)
        .map_err(|e| Diagnostic::error("invalid_json", &JsonPath::root(), serde_message(&e)))
}

/// Reads the members of one JSON object, collecting a diagnostic for each bad or unknown one.
pub(crate) struct ObjectReader<'a> {
    object: &'a Map<String, Value>,
    path: JsonPath,
    consumed: BTreeSet<&'a str>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> ObjectReader<'a> {
    /// A reader over `value`, or `None` (with a diagnostic) when it is not an object.
    pub(crate) fn new(
        value: &'a Value,
        path: JsonPath,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Option<ObjectReader<'a>> {
        match value {
            Value::Object(object) => Some(ObjectReader {
                object,
                path,
                consumed: BTreeSet::new(),
                diagnostics,
            }),
            other => {
                diagnostics.push(Diagnostic::error(
                    "wrong_type",
                    &path,
                    format!("expected an object, found {}", kind_of(other)),
                ));
                None
            }
        }
    }

    /// The path of member `name`.
    pub(crate) fn path_of(&self, name: &str) -> JsonPath {
        self.path.field(name)
    }

    /// Records a diagnostic against this object's member `name`.
    pub(crate) fn report(&mut self, code: &str, name: &str, message: impl Into<String>) {
        let path = self.path_of(name);
        self.diagnostics
            .push(Diagnostic::error(code, &path, message));
    }

    /// Records a diagnostic against this object as a whole.
    pub(crate) fn report_object(&mut self, code: &str, message: impl Into<String>) {
        let path = self.path.clone();
        self.diagnostics
            .push(Diagnostic::error(code, &path, message));
    }

    /// The path of this object.
    pub(crate) fn path(&self) -> &JsonPath {
        &self.path
    }

    /// Records a diagnostic with the path its finder gave it (a nested reader, a cross-field
    /// check).
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The raw value of member `name`, if present and not `null`.
    pub(crate) fn raw(&mut self, name: &'a str) -> Option<&'a Value> {
        self.consumed.insert(name);
        match self.object.get(name) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// The raw value of a member that must be present.
    pub(crate) fn raw_required(&mut self, name: &'a str) -> Option<&'a Value> {
        let value = self.raw(name);
        if value.is_none() {
            self.report("missing_field", name, format!("`{name}` is required"));
        }
        value
    }

    /// A string member; `required` decides whether absence is an error. Blank strings are
    /// refused, and strings longer than `max_chars` characters.
    pub(crate) fn string(
        &mut self,
        name: &'a str,
        required: bool,
        max_chars: usize,
    ) -> Option<String> {
        let value = if required {
            self.raw_required(name)?
        } else {
            self.raw(name)?
        };
        let Value::String(s) = value else {
            let found = kind_of(value);
            self.report(
                "wrong_type",
                name,
                format!("expected a string, found {found}"),
            );
            return None;
        };
        let chars = s.chars().count();
        if s.trim().is_empty() {
            self.report("empty", name, format!("`{name}` must not be blank"));
            None
        } else if chars > max_chars {
            self.report(
                "too_long",
                name,
                format!("`{name}` has {chars} characters, more than the limit of {max_chars}"),
            );
            None
        } else if s
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            self.report(
                "control_character",
                name,
                format!("`{name}` contains a control character"),
            );
            None
        } else {
            Some(s.clone())
        }
    }

    /// An identifier: a non-blank string of at most 64 characters without line breaks.
    pub(crate) fn identifier(&mut self, name: &'a str, required: bool) -> Option<String> {
        let id = self.string(name, required, crate::intake::MAX_ID_CHARS)?;
        if id.contains(['\n', '\r', '\t']) {
            self.report(
                "control_character",
                name,
                format!("`{name}` must be on one line"),
            );
            return None;
        }
        Some(id)
    }

    /// An RFC 3339 instant with an explicit offset (`Z` or `±hh:mm`).
    pub(crate) fn instant(
        &mut self,
        name: &'a str,
        required: bool,
    ) -> Option<DateTime<FixedOffset>> {
        let value = if required {
            self.raw_required(name)?
        } else {
            self.raw(name)?
        };
        match value {
            Value::String(s) => match crate::time::parse_instant(s) {
                Ok(t) => Some(t),
                Err(message) => {
                    self.report("invalid_instant", name, message);
                    None
                }
            },
            other => {
                let found = kind_of(other);
                self.report(
                    "wrong_type",
                    name,
                    format!("expected an RFC 3339 instant string, found {found}"),
                );
                None
            }
        }
    }

    /// A member read with serde (enums, numbers, nested serde types).
    pub(crate) fn typed<T: DeserializeOwned>(
        &mut self,
        name: &'a str,
        required: bool,
    ) -> Option<T> {
        let value = if required {
            self.raw_required(name)?
        } else {
            self.raw(name)?
        };
        match T::deserialize(value) {
            Ok(v) => Some(v),
            Err(e) => {
                self.report("invalid_value", name, serde_message(&e));
                None
            }
        }
    }

    /// A non-negative integer no larger than `max`.
    pub(crate) fn count(&mut self, name: &'a str, max: u64) -> Option<u64> {
        let value = self.raw(name)?;
        match value.as_u64() {
            Some(n) if n <= max => Some(n),
            Some(n) => {
                self.report(
                    "out_of_range",
                    name,
                    format!("{n} is more than the limit of {max}"),
                );
                None
            }
            None => {
                let message = match value.as_i64() {
                    Some(n) => format!("must not be negative, found {n}"),
                    None => format!("expected a whole number, found {}", kind_of(value)),
                };
                self.report(
                    if value.is_number() {
                        "out_of_range"
                    } else {
                        "wrong_type"
                    },
                    name,
                    message,
                );
                None
            }
        }
    }

    /// A boolean member.
    pub(crate) fn boolean(&mut self, name: &'a str) -> Option<bool> {
        let value = self.raw(name)?;
        match value {
            Value::Bool(b) => Some(*b),
            other => {
                let found = kind_of(other);
                self.report(
                    "wrong_type",
                    name,
                    format!("expected true or false, found {found}"),
                );
                None
            }
        }
    }

    /// A nested object member, read by `read`.
    pub(crate) fn object<T>(
        &mut self,
        name: &'a str,
        required: bool,
        read: impl FnOnce(ObjectReader<'_>) -> Option<T>,
    ) -> Option<T> {
        let value = if required {
            self.raw_required(name)?
        } else {
            self.raw(name)?
        };
        let path = self.path_of(name);
        let reader = ObjectReader::new(value, path, self.diagnostics)?;
        read(reader)
    }

    /// An array member whose elements are objects, each read by `read` at its own path.
    pub(crate) fn objects<T>(
        &mut self,
        name: &'a str,
        required: bool,
        mut read: impl FnMut(ObjectReader<'_>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let value = if required {
            self.raw_required(name)?
        } else {
            self.raw(name)?
        };
        let Value::Array(items) = value else {
            let found = kind_of(value);
            self.report(
                "wrong_type",
                name,
                format!("expected an array, found {found}"),
            );
            return None;
        };
        let path = self.path_of(name);
        let mut out = Vec::with_capacity(items.len());
        let mut complete = true;
        for (i, item) in items.iter().enumerate() {
            match ObjectReader::new(item, path.index(i), self.diagnostics).and_then(&mut read) {
                Some(v) => out.push(v),
                None => complete = false,
            }
        }
        complete.then_some(out)
    }

    /// Flags every member that was never asked for.
    pub(crate) fn finish(self) {
        for name in self.object.keys() {
            if !self.consumed.contains(name.as_str()) {
                self.diagnostics.push(Diagnostic::error(
                    "unknown_field",
                    &self.path.field(name),
                    format!("unknown field `{name}`"),
                ));
            }
        }
    }
}

/// A JSON value's kind, for messages: "a number", "an array".
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
