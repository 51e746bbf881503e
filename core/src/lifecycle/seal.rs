//! What makes a stored log's tampering always found: seals under the host's key, and anchors.
//!
//! The hash chain of `log.rs` finds an edited, reordered, inserted or removed event only while
//! the rest of the chain is left as it was: anyone who can write the store and knows the public
//! scheme can edit an event and recompute every hash after it, or simply drop the last events
//! (a prefix of a valid log is a valid log). Two things close those gaps:
//!
//! - A **seal**: HMAC-SHA-256 of an event's hash under a key the host holds and passes in with
//!   each `record` and `apply` (and to verification), never stored in the log. Without the key no
//!   one can seal an edited event, so verifying with the key finds a recomputed chain at its
//!   first rewritten event. Computed by the `hmac` and `sha2` crates, not by hand.
//! - An **anchor**: the event count and the last hash of a log, as a case snapshot carries them
//!   (`events`, `last_hash`) or as the host stores them elsewhere. Verifying against it finds a
//!   removed tail, which no chain or seal can show by itself.

use hmac::{KeyInit, Mac};
use sha2::Sha256;

use super::Case;

type HmacSha256 = hmac::Hmac<Sha256>;

/// What a seal's input starts with: names the scheme, so that a MAC made with the same key for
/// another purpose can never pass for an event's seal.
const SEAL_DOMAIN: &[u8] = b"caseflow event seal v1\0";

/// The host's secret for sealing events. Never serialised, never printed: its `Debug` shows only
/// its length.
#[derive(Clone)]
pub struct SealKey {
    bytes: Vec<u8>,
    /// The MAC keyed once, cloned for each seal.
    keyed: HmacSha256,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealKey({} bytes, redacted)", self.bytes.len())
    }
}

impl PartialEq for SealKey {
    fn eq(&self, other: &SealKey) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for SealKey {}

impl SealKey {
    /// The shortest key accepted, in bytes: as long as the MAC it makes (RFC 2104 §3).
    pub const MIN_BYTES: usize = 32;
    /// The longest key accepted, in bytes: HMAC-SHA-256's block; a longer key would be hashed
    /// down first and gain nothing.
    pub const MAX_BYTES: usize = 64;

    /// A key from its bytes, 32 to 64 of them.
    pub fn from_bytes(bytes: &[u8]) -> Result<SealKey, String> {
        if !(Self::MIN_BYTES..=Self::MAX_BYTES).contains(&bytes.len()) {
            return Err(format!(
                "a seal key is {} to {} bytes, not {}",
                Self::MIN_BYTES,
                Self::MAX_BYTES,
                bytes.len()
            ));
        }
        let keyed = HmacSha256::new_from_slice(bytes)
            .map_err(|e| format!("a seal key cannot key HMAC-SHA-256: {e}"))?;
        Ok(SealKey {
            bytes: bytes.to_vec(),
            keyed,
        })
    }

    /// A key written as hexadecimal digits (64 to 128 of them), as hosts pass it in JSON.
    pub fn from_hex(text: &str) -> Result<SealKey, String> {
        let bytes = unhex(text).ok_or_else(|| {
            format!(
                "a seal key is written as {} to {} hexadecimal digits",
                2 * Self::MIN_BYTES,
                2 * Self::MAX_BYTES
            )
        })?;
        SealKey::from_bytes(&bytes).map_err(|e| format!("{e} ({} hexadecimal digits)", text.len()))
    }

    fn mac(&self, hash: &str) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        mac.update(SEAL_DOMAIN);
        mac.update(hash.as_bytes());
        mac
    }

    /// The seal of an event whose hash is `hash`, lowercase hex.
    pub fn seal(&self, hash: &str) -> String {
        super::log::hex(&self.mac(hash).finalize().into_bytes())
    }

    /// True when `seal` is this key's seal of `hash` (compared in constant time).
    pub fn verifies(&self, hash: &str, seal: &str) -> bool {
        unhex(seal).is_some_and(|bytes| self.mac(hash).verify_slice(&bytes).is_ok())
    }
}

/// Bytes from lowercase or uppercase hex; `None` for anything else.
fn unhex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if digits.len() % 2 != 0 {
        return None;
    }
    let value = |d: u8| {
        char::from(d)
            .to_digit(16)
            .and_then(|v| u8::try_from(v).ok())
    };
    digits
        .chunks_exact(2)
        .map(|pair| match pair {
            [high, low] => Some(value(*high)? << 4 | value(*low)?),
            _ => None,
        })
        .collect()
}

/// Where a log must end: its number of events and its last event's hash, and, when taken from a
/// case snapshot, the case's id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// How many events the log holds.
    pub events: u64,
    /// The hash of its last event.
    pub last_hash: String,
    /// The case the log belongs to, when the anchor is a snapshot.
    pub case_id: Option<String>,
}

impl Anchor {
    /// The anchor a case snapshot carries.
    pub fn of(case: &Case) -> Anchor {
        Anchor {
            events: case.events,
            last_hash: case.last_hash.clone(),
            case_id: Some(case.id.clone()),
        }
    }
}

/// What a log is checked against beyond its own chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogCheck {
    /// The count and last hash the log must end with.
    pub anchor: Option<Anchor>,
    /// The key every event's seal must verify under.
    pub key: Option<SealKey>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_seal_is_hmac_sha256_of_the_domain_and_the_hash() {
        // The seal is exactly HMAC-SHA-256(key, domain ‖ hash), recomputed below with the crate.
        let key = SealKey::from_bytes(&[0x0b; 32]).unwrap();
        let hash = "00".repeat(32);
        let seal = key.seal(&hash);
        assert_eq!(seal.len(), 64);
        assert!(key.verifies(&hash, &seal));
        assert!(key.verifies(&hash, &seal.to_uppercase()));
        assert!(!key.verifies(&"01".repeat(32), &seal));
        let other = SealKey::from_bytes(&[0x0c; 32]).unwrap();
        assert!(!other.verifies(&hash, &seal));
        let mut mac = HmacSha256::new_from_slice(&[0x0b; 32]).unwrap();
        mac.update(b"caseflow event seal v1\0");
        mac.update(hash.as_bytes());
        assert_eq!(seal, super::super::log::hex(&mac.finalize().into_bytes()));
    }

    #[test]
    fn keys_are_32_to_64_bytes_of_hex_and_never_printed() {
        assert!(SealKey::from_hex(&"ab".repeat(31)).is_err());
        assert!(SealKey::from_hex(&"ab".repeat(65)).is_err());
        assert!(SealKey::from_hex(&"zz".repeat(32)).is_err());
        assert!(SealKey::from_hex(&"a".repeat(65)).is_err());
        let key = SealKey::from_hex(&"AB".repeat(32)).unwrap();
        assert_eq!(key, SealKey::from_bytes(&[0xab; 32]).unwrap());
        assert_eq!(format!("{key:?}"), "SealKey(32 bytes, redacted)");
    }
}
