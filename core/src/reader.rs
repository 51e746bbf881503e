//! Field-by-field reading of JSON objects that reports *every* bad field, not just the first.
//!
//! serde's derive stops at the first error; intake and lifecycle commands must name every offending
//! field at once (docs/policy.md §2), so inputs are read through [`ObjectReader`] instead. The reader
//! records which members it consumed and flags the rest as unknown, as `deny_unknown_fields`
//! does for the serde derives. This is the runtime toolkit that `#[derive(Read)]`
//! (`caseflow-derive`) writes its readers against: [`ReadObject`] for a shape's members,
//! [`ReadMember`] for a member read by the object reader's methods (inputs: reports, commands,
//! API calls), [`ReadValue`] for a value read on its own at a path (stored snapshots and events,
//! the policy document), [`ReadTagged`] for the variants of a tagged enum. The value readers at
//! the end ([`Read`] functions: strings, numbers, names, lists, maps, objects) keep serde's
//! generic deserialisers out of the WebAssembly package.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::de::{self, DeserializeOwned};
use serde_json::{Map, Value};

use crate::error::{Diagnostic, JsonPath, serde_message};

/// Parses `text` as JSON, refusing inputs larger than `max_bytes` before looking at them, and
/// every object that names a member twice (see [`parse`]).
pub fn parse_bounded(text: &str, max_bytes: usize, what: &str) -> Result<Value, Diagnostic> {
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
    parse(text)
}

/// Parses `text` as JSON, the one way the engine reads JSON text.
///
/// Stricter than `serde_json::from_str::<Value>`: an object that names a member twice is refused
/// (`duplicate_key` at the second one's path) rather than read as its last value, so that no two
/// readers of the same text, in any language, can see two different inputs (a tamper-evident log
/// must mean one thing). Arrays and objects nested more than [`MAX_DEPTH`] deep are refused
/// (`too_deep`), and a number too large for a double (`1e400`) is `out_of_range`, each at the path
/// of the value; any other syntax error is `invalid_json` at `$`, its message saying the line and
/// column.
pub fn parse(text: &str) -> Result<Value, Diagnostic> {
    let mut strict = Strict::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = de::DeserializeSeed::deserialize(Seed(&mut strict), &mut de);
    match parsed.and_then(|value| de.end().map(|()| value)) {
        Ok(value) => Ok(value),
        Err(e) => Err(strict.failure.take().unwrap_or_else(|| {
            let code = code_of(&e.to_string()).unwrap_or("invalid_json");
            Diagnostic::error(code, &JsonPath::root(), serde_message(&e))
        })),
    }
}

/// How deep arrays and objects may nest in any input: serde_json's limit (it refuses the 128th
/// level).
pub const MAX_DEPTH: usize = 127;

/// How serde_json's messages begin for nesting beyond its limit and for a number no double holds.
const SERDE_TOO_DEEP: &str = "recursion limit exceeded";
const SERDE_OUT_OF_RANGE: &str = "number out of range";

/// The diagnostic code of a serde_json error that is about one value, if it is one.
fn code_of(message: &str) -> Option<&'static str> {
    if message.starts_with(SERDE_TOO_DEEP) {
        Some("too_deep")
    } else if message.starts_with(SERDE_OUT_OF_RANGE) {
        Some("out_of_range")
    } else {
        None
    }
}

/// One step of the path to the value being parsed.
enum Step {
    Key(String),
    Index(usize),
}

/// The state of one [`parse`]: where it is, and the first problem it placed.
#[derive(Default)]
struct Strict {
    steps: Vec<Step>,
    failure: Option<Diagnostic>,
}

impl Strict {
    fn path(&self) -> JsonPath {
        self.steps
            .iter()
            .fold(JsonPath::root(), |path, step| match step {
                Step::Key(key) => path.field(key),
                Step::Index(i) => path.index(*i),
            })
    }

    /// Places serde_json's error `e`, met reading the value at the current path, when it is
    /// about that value and nothing deeper placed one first.
    fn place(&mut self, e: &impl fmt::Display) {
        if self.failure.is_none() {
            let message = e.to_string();
            if let Some(code) = code_of(&message) {
                let bare = message
                    .rfind(" at line ")
                    .map_or(message.as_str(), |i| &message[..i]);
                self.failure = Some(Diagnostic::error(code, &self.path(), bare));
            }
        }
    }
}

/// Reads one JSON value into a [`Value`], tracking its path in [`Strict`].
struct Seed<'s>(&'s mut Strict);

impl<'de> de::DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            self.0.steps.push(Step::Index(items.len()));
            let next = seq.next_element_seed(Seed(&mut *self.0));
            match next {
                Ok(Some(value)) => items.push(value),
                Ok(None) => break,
                Err(e) => {
                    self.0.place(&e);
                    return Err(e);
                }
            }
            self.0.steps.pop();
        }
        self.0.steps.pop();
        Ok(Value::Array(items))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let repeated = object.contains_key(&key);
            self.0.steps.push(Step::Key(key));
            if repeated {
                let path = self.0.path();
                let message = "this member is already given earlier in the same object";
                self.0.failure = Some(Diagnostic::error("duplicate_key", &path, message));
                return Err(de::Error::custom(message));
            }
            let value = map.next_value_seed(Seed(&mut *self.0));
            let value = value.inspect_err(|e| self.0.place(e))?;
            if let Some(Step::Key(key)) = self.0.steps.pop() {
                object.insert(key, value);
            }
        }
        Ok(Value::Object(object))
    }
}

/// Reads the members of one JSON object, collecting a diagnostic for each bad or unknown one.
pub struct ObjectReader<'a> {
    object: &'a Map<String, Value>,
    path: JsonPath,
    consumed: Vec<&'a str>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> ObjectReader<'a> {
    /// A reader over `value`, or `None` (with a diagnostic) when it is not an object.
    pub fn new(
        value: &'a Value,
        path: JsonPath,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Option<ObjectReader<'a>> {
        match value {
            Value::Object(object) => Some(ObjectReader {
                object,
                path,
                consumed: Vec::new(),
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
    pub fn path_of(&self, name: &str) -> JsonPath {
        self.path.field(name)
    }

    /// Records a diagnostic against this object's member `name`.
    pub fn report(&mut self, code: &str, name: &str, message: impl Into<String>) {
        let path = self.path_of(name);
        self.diagnostics
            .push(Diagnostic::error(code, &path, message));
    }

    /// Records a diagnostic against this object as a whole.
    pub fn report_object(&mut self, code: &str, message: impl Into<String>) {
        let path = self.path.clone();
        self.diagnostics
            .push(Diagnostic::error(code, &path, message));
    }

    /// The path of this object.
    pub fn path(&self) -> &JsonPath {
        &self.path
    }

    /// Records a diagnostic with the path its finder gave it (a nested reader, a cross-field
    /// check).
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The raw value of member `name`, if present and not `null`.
    pub fn raw(&mut self, name: &'a str) -> Option<&'a Value> {
        self.consumed.push(name);
        match self.object.get(name) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// The raw value of a member that must be present.
    pub fn raw_required(&mut self, name: &'a str) -> Option<&'a Value> {
        let value = self.raw(name);
        if value.is_none() {
            self.report("missing_field", name, format!("`{name}` is required"));
        }
        value
    }

    /// A string member; `required` decides whether absence is an error. Blank strings are
    /// refused, and strings longer than `max_chars` characters.
    pub fn string(&mut self, name: &'a str, required: bool, max_chars: usize) -> Option<String> {
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
    pub fn identifier(&mut self, name: &'a str, required: bool) -> Option<String> {
        let id = self.string(name, required, crate::domain::limits::MAX_ID_CHARS)?;
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
    pub fn instant(&mut self, name: &'a str, required: bool) -> Option<DateTime<FixedOffset>> {
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

    /// A date written `YYYY-MM-DD`.
    pub fn date(&mut self, name: &'a str, required: bool) -> Option<NaiveDate> {
        let text = self.string(name, required, 32)?;
        let date = crate::time::parse_date(&text);
        if date.is_none() {
            self.report(
                "invalid_date",
                name,
                format!("`{text}` is not a date written YYYY-MM-DD, such as 2026-02-16"),
            );
        }
        date
    }

    /// A member read with serde (enums, numbers, nested serde types).
    pub fn typed<T: DeserializeOwned>(&mut self, name: &'a str, required: bool) -> Option<T> {
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
    pub fn count(&mut self, name: &'a str, max: u64) -> Option<u64> {
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
                let message = match (value.as_i64(), value) {
                    (Some(n), _) => format!("must not be negative, found {n}"),
                    // A fraction, or a whole number too large for 64 bits (read as a double).
                    (None, Value::Number(n)) => {
                        format!("expected a whole number from 0 to {max}, found {n}")
                    }
                    (None, _) => format!("expected a whole number, found {}", kind_of(value)),
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
    pub fn boolean(&mut self, name: &'a str) -> Option<bool> {
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
    pub fn object<T>(
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
    pub fn objects<T>(
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

    /// A required member read by `read` at its own path. `null` is handed to `read`, which
    /// refuses it unless it reads an optional value.
    pub fn field<T>(&mut self, name: &'a str, read: Read<T>) -> Option<T> {
        self.consumed.push(name);
        match self.object.get(name) {
            Some(value) => read(value, &self.path.field(name), self.diagnostics),
            None => {
                self.report("missing_field", name, format!("`{name}` is required"));
                None
            }
        }
    }

    /// A member with a default: `Some(None)` when absent, `None` when present but bad.
    pub fn default_field<T>(&mut self, name: &'a str, read: Read<T>) -> Option<Option<T>> {
        self.consumed.push(name);
        match self.object.get(name) {
            Some(value) => read(value, &self.path.field(name), self.diagnostics).map(Some),
            None => Some(None),
        }
    }

    /// An optional member, absent or `null` for none: `Some(None)` then, `None` when present but
    /// bad.
    pub fn option_field<T>(&mut self, name: &'a str, read: Read<T>) -> Option<Option<T>> {
        match self.raw(name) {
            Some(value) => read(value, &self.path.field(name), self.diagnostics).map(Some),
            None => Some(None),
        }
    }

    /// Flags every member that was never asked for.
    pub fn finish(self) {
        for name in self.object.keys() {
            if !self.consumed.contains(&name.as_str()) {
                self.diagnostics.push(Diagnostic::error(
                    "unknown_field",
                    &self.path.field(name),
                    format!("unknown field `{name}`"),
                ));
            }
        }
    }
}

/// A shape read member by member from a JSON object: written by `#[derive(Read)]`
/// (`caseflow-derive`) from the type's own definition.
pub trait ReadObject: Sized {
    /// Reads this shape's members from `r` (not flagging unknown members: the caller's
    /// [`ObjectReader::finish`] does), then its cross-member check; `None` when any is bad.
    fn read_members(r: &mut ObjectReader<'_>) -> Option<Self>;

    /// Reads this shape from a JSON value at `path`, flagging unknown members.
    fn read_value(
        value: &Value,
        path: &JsonPath,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        object(value, path, diagnostics, Self::read_members)
    }

    /// Reads this shape from `value` at `path`: the value, or every problem found.
    fn read_all(value: &Value, path: &JsonPath) -> Result<Self, Vec<Diagnostic>> {
        let mut diagnostics = Vec::new();
        match Self::read_value(value, path, &mut diagnostics) {
            Some(read) if diagnostics.is_empty() => Ok(read),
            _ => Err(diagnostics),
        }
    }
}

/// A value read as member `name` of an object, once the member is known to be there (absence and
/// `null` are the derived reader's business: required, optional or defaulted).
pub trait ReadMember: Sized {
    /// Reads member `name` of `r`; `None` (with a diagnostic) when it is bad.
    fn read_member(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Self>;
}

/// An internally tagged enum whose variants `#[derive(Read)]` reads once the tag is known.
pub trait ReadTagged: Sized {
    /// The tags, in declaration order.
    const TAGS: &'static [&'static str];

    /// Reads the members of the variant named `tag` (one of [`ReadTagged::TAGS`]; `None`
    /// otherwise).
    fn read_variant(tag: &str, r: &mut ObjectReader<'_>) -> Option<Self>;
}

/// A value read on its own at a path: what a `#[read(values)]` shape's members are read with
/// (stored snapshots and events, whose required members may not be `null`).
pub trait ReadValue: Sized {
    /// Reads `value`, found at `path`; `None` (with its problems recorded) when it is unusable.
    fn read(value: &Value, path: &JsonPath, diagnostics: &mut Vec<Diagnostic>) -> Option<Self>;
}

impl ReadValue for String {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        string(v, p, d)
    }
}

impl ReadValue for std::sync::Arc<str> {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        string(v, p, d).map(Into::into)
    }
}

impl ReadValue for bool {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        boolean(v, p, d)
    }
}

impl ReadValue for u8 {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        u8_value(v, p, d)
    }
}

impl ReadValue for u32 {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        u32_value(v, p, d)
    }
}

impl ReadValue for u64 {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        u64_value(v, p, d)
    }
}

impl ReadValue for DateTime<FixedOffset> {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        let Value::String(text) = v else {
            return wrong_type(v, p, d, "an RFC 3339 instant string");
        };
        match crate::time::parse_instant(text) {
            Ok(t) => Some(t),
            Err(message) => {
                d.push(Diagnostic::error("invalid_instant", p, message));
                None
            }
        }
    }
}

impl ReadValue for NaiveDate {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        let Value::String(text) = v else {
            return wrong_type(v, p, d, "a date written YYYY-MM-DD");
        };
        let date = crate::time::parse_date(text);
        if date.is_none() {
            d.push(Diagnostic::error(
                "invalid_date",
                p,
                format!("`{text}` is not a date written YYYY-MM-DD"),
            ));
        }
        date
    }
}

impl<T: ReadValue> ReadValue for Vec<T> {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        list(v, p, d, T::read)
    }
}

impl<T: ReadValue> ReadValue for Box<T> {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        T::read(v, p, d).map(Box::new)
    }
}

impl<T: ReadValue> ReadValue for BTreeMap<String, T> {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        map(v, p, d, T::read)
    }
}

impl ReadValue for f64 {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        number(v, p, d)
    }
}

impl ReadValue for i64 {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        i64_value(v, p, d)
    }
}

impl<T: ReadValue> ReadValue for std::sync::Arc<T> {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        T::read(v, p, d).map(std::sync::Arc::new)
    }
}

impl ReadValue for crate::domain::Tier {
    fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
        let n = u8_value(v, p, d)?;
        let tier = crate::domain::Tier::from_number(n);
        if tier.is_none() {
            d.push(Diagnostic::error(
                "invalid_value",
                p,
                format!("tier must be 1, 2 or 3, not {n}"),
            ));
        }
        tier
    }
}

/// Closed sets of names read with their `FromStr` (its message names the set).
macro_rules! read_parsed {
    ($($t:ty),* $(,)?) => {$(
        impl ReadValue for $t {
            fn read(v: &Value, p: &JsonPath, d: &mut Vec<Diagnostic>) -> Option<Self> {
                parsed(v, p, d)
            }
        }
    )*};
}

read_parsed!(
    crate::domain::Category,
    crate::domain::EmergencyLevel,
    crate::domain::Role,
    crate::domain::WarrantyStatus,
    crate::domain::WarrantyBasis,
    crate::domain::WarrantyElement,
);

impl ReadMember for bool {
    fn read_member(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Self> {
        r.boolean(name)
    }
}

impl ReadMember for DateTime<FixedOffset> {
    fn read_member(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Self> {
        r.instant(name, true)
    }
}

impl ReadMember for NaiveDate {
    fn read_member(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Self> {
        r.date(name, true)
    }
}

impl<T: ReadMember> ReadMember for std::sync::Arc<T> {
    fn read_member(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Self> {
        T::read_member(r, name).map(std::sync::Arc::new)
    }
}

/// Leaf values whose serde derive is their reader: closed sets of names with serde's messages
/// ("unknown variant `fax`, expected one of ..."), which the corpus and the bindings check.
macro_rules! read_with_serde {
    ($($t:ty),* $(,)?) => {$(
        impl ReadMember for $t {
            fn read_member(r: &mut ObjectReader<'_>, name: &'static str) -> Option<Self> {
                r.typed(name, true)
            }
        }
    )*};
}

read_with_serde!(
    crate::domain::Channel,
    crate::domain::Category,
    crate::domain::WarrantyElement,
    crate::domain::Tier,
    crate::domain::EmergencyLevel,
    crate::domain::Role,
    crate::domain::Department,
    Vec<crate::domain::Role>,
);

/// A JSON value's kind, for messages: "a number", "an array".
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// ---------------------------------------------------------------------------------------------
// Values read on their own, at a path: the pieces the policy and snapshot readers are built of.
// Each records every problem it finds and answers `None` when the value is unusable.

/// Reads one JSON value found at a path, recording its problems.
pub type Read<T> = fn(&Value, &JsonPath, &mut Vec<Diagnostic>) -> Option<T>;

/// Records that `value` is not of the `expected` kind.
pub fn wrong_type<T>(
    value: &Value,
    path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
    expected: &str,
) -> Option<T> {
    diagnostics.push(Diagnostic::error(
        "wrong_type",
        path,
        format!("expected {expected}, found {}", kind_of(value)),
    ));
    None
}

/// An object, read member by member by `read`; unknown members are flagged.
pub fn object<T>(
    value: &Value,
    path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
    read: impl FnOnce(&mut ObjectReader<'_>) -> Option<T>,
) -> Option<T> {
    let mut reader = ObjectReader::new(value, path.clone(), diagnostics)?;
    let out = read(&mut reader);
    reader.finish();
    out
}

/// An internally tagged object: member `tag` names one of `T`'s variants (`ReadTagged::TAGS`),
/// whose members are then read; unknown members are flagged. When the tag is missing or names no
/// variant, only the tag is reported: the other members cannot be judged without it.
pub fn tagged<T: ReadTagged>(
    value: &Value,
    path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
    tag: &'static str,
) -> Option<T> {
    let mut reader = ObjectReader::new(value, path.clone(), diagnostics)?;
    let variant = reader.field(tag, |v, p, d| {
        let tags: Vec<(&str, &str)> = T::TAGS.iter().map(|t| (*t, *t)).collect();
        name(v, p, d, &tags)
    })?;
    let out = T::read_variant(variant, &mut reader);
    reader.finish();
    out
}

/// Any string, as it is.
pub fn string(value: &Value, path: &JsonPath, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        other => wrong_type(other, path, diagnostics, "a string"),
    }
}

/// `true` or `false`.
pub fn boolean(value: &Value, path: &JsonPath, diagnostics: &mut Vec<Diagnostic>) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        other => wrong_type(other, path, diagnostics, "true or false"),
    }
}

/// Any number.
pub fn number(value: &Value, path: &JsonPath, diagnostics: &mut Vec<Diagnostic>) -> Option<f64> {
    match value.as_f64() {
        Some(n) => Some(n),
        None => wrong_type(value, path, diagnostics, "a number"),
    }
}

/// A whole number from `min` to `max`.
pub fn integer(
    value: &Value,
    path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
    min: i64,
    max: u64,
) -> Option<i128> {
    let n = match value {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        _ => None,
    };
    match n {
        Some(n) if n >= i128::from(min) && n <= i128::from(max) => Some(n),
        Some(n) => {
            diagnostics.push(Diagnostic::error(
                "out_of_range",
                path,
                format!("expected a whole number from {min} to {max}, found {n}"),
            ));
            None
        }
        None => wrong_type(value, path, diagnostics, "a whole number"),
    }
}

/// A whole number from 0 to 255.
pub fn u8_value(value: &Value, path: &JsonPath, diagnostics: &mut Vec<Diagnostic>) -> Option<u8> {
    integer(value, path, diagnostics, 0, u64::from(u8::MAX)).and_then(|n| u8::try_from(n).ok())
}

/// A whole number from 0 to 4294967295.
pub fn u32_value(value: &Value, path: &JsonPath, diagnostics: &mut Vec<Diagnostic>) -> Option<u32> {
    integer(value, path, diagnostics, 0, u64::from(u32::MAX)).and_then(|n| u32::try_from(n).ok())
}

/// A whole number, not negative.
pub fn u64_value(value: &Value, path: &JsonPath, diagnostics: &mut Vec<Diagnostic>) -> Option<u64> {
    integer(value, path, diagnostics, 0, u64::MAX).and_then(|n| u64::try_from(n).ok())
}

/// A whole number that fits 64 signed bits.
pub fn i64_value(value: &Value, path: &JsonPath, diagnostics: &mut Vec<Diagnostic>) -> Option<i64> {
    integer(value, path, diagnostics, i64::MIN, i64::MAX.unsigned_abs())
        .and_then(|n| i64::try_from(n).ok())
}

/// One of a closed set of names.
pub fn name<T: Copy>(
    value: &Value,
    path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
    names: &[(&str, T)],
) -> Option<T> {
    let Value::String(s) = value else {
        return wrong_type(value, path, diagnostics, "a name");
    };
    if let Some((_, v)) = names.iter().find(|(n, _)| n == s) {
        return Some(*v);
    }
    let expected: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
    diagnostics.push(Diagnostic::error(
        "invalid_value",
        path,
        format!(
            "unknown value `{s}`, expected one of: {}",
            expected.join(", ")
        ),
    ));
    None
}

/// A string naming a value of a closed set, read with its `FromStr` (e.g. a role).
pub fn parsed<T: std::str::FromStr>(
    value: &Value,
    path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T>
where
    T::Err: std::fmt::Display,
{
    let Value::String(s) = value else {
        return wrong_type(value, path, diagnostics, "a name");
    };
    match s.parse() {
        Ok(v) => Some(v),
        Err(e) => {
            diagnostics.push(Diagnostic::error("invalid_value", path, e.to_string()));
            None
        }
    }
}

/// An array, each element read by `read` at its own path; `None` when any is bad.
pub fn list<T>(
    value: &Value,
    path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
    read: Read<T>,
) -> Option<Vec<T>> {
    let Value::Array(items) = value else {
        return wrong_type(value, path, diagnostics, "an array");
    };
    let mut out = Vec::with_capacity(items.len());
    let mut complete = true;
    for (i, item) in items.iter().enumerate() {
        match read(item, &path.index(i), diagnostics) {
            Some(v) => out.push(v),
            None => complete = false,
        }
    }
    complete.then_some(out)
}

/// An array of strings.
pub fn strings(
    value: &Value,
    path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<String>> {
    list(value, path, diagnostics, string)
}

/// An object used as a map, each member read by `read` at its own path; `None` when any is bad.
pub fn map<T>(
    value: &Value,
    path: &JsonPath,
    diagnostics: &mut Vec<Diagnostic>,
    read: Read<T>,
) -> Option<BTreeMap<String, T>> {
    let Value::Object(entries) = value else {
        return wrong_type(value, path, diagnostics, "an object");
    };
    let mut out = BTreeMap::new();
    let mut complete = true;
    for (key, entry) in entries {
        match read(entry, &path.field(key), diagnostics) {
            Some(v) => {
                out.insert(key.clone(), v);
            }
            None => complete = false,
        }
    }
    complete.then_some(out)
}

/// A value read whole with serde, for shapes the member readers do not spell out (a policy's
/// model, a case's tier review): a problem is reported at the value's path with serde's
/// description of it.
pub fn serde_value<T: serde::de::DeserializeOwned>(
    v: &Value,
    p: &JsonPath,
    d: &mut Vec<Diagnostic>,
) -> Option<T> {
    match T::deserialize(v) {
        Ok(value) => Some(value),
        Err(e) => {
            d.push(Diagnostic::error("invalid_value", p, serde_message(&e)));
            None
        }
    }
}
