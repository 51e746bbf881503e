//! The canonical bytes of an event's content, which its SHA-256 covers.
//!
//! Every value is written with a one-byte tag; text is length-prefixed; objects, lists and
//! variants are bracketed. The encoding is therefore prefix-free: two different contents never
//! give the same bytes, so the hash of the bytes is as good as a hash of the content. It is
//! written straight from the serde types (no JSON text, no escaping, instants as numbers), which
//! makes hashing cheap enough to recompute at every event of every replay.
//!
//! | value | bytes |
//! |---|---|
//! | absent / unit | `0x00` |
//! | present | `0x01` value |
//! | false, true | `0x02`, `0x03` |
//! | unsigned, signed integer | `0x10` LEB128, `0x11` zigzag LEB128 |
//! | float | `0x12` f64 bits, little-endian |
//! | text | `0x20` length (LEB128) UTF-8 bytes |
//! | bytes | `0x21` length (LEB128) bytes |
//! | list | `0x30` items `0x3F` |
//! | object (struct or map) | `0x40` (key value)* `0x4F` |
//! | variant | `0x60` name, `0x61` name value |
//!
//! Instants go through [`crate::time::rfc3339`], which writes them as (seconds, nanoseconds,
//! offset seconds) for serializers that are not human-readable, as this one is not.

use serde::Serialize;
use serde::ser;

/// Appends the canonical bytes of `value` to `out`.
pub(crate) fn write<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    value.serialize(&mut Canonical { out })
}

/// Why a value could not be written (only a custom serializer failing can cause it).
#[derive(Debug)]
pub(crate) struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

struct Canonical<'a> {
    out: &'a mut Vec<u8>,
}

impl Canonical<'_> {
    fn tag(&mut self, tag: u8) {
        self.out.push(tag);
    }

    fn text(&mut self, text: &[u8], tag: u8) {
        self.out.push(tag);
        self.varint(u64::try_from(text.len()).unwrap_or(u64::MAX));
        self.out.extend_from_slice(text);
    }

    /// LEB128: seven bits a byte, low bits first, the high bit set on every byte but the last.
    /// Short numbers take short room, which keeps the hashed bytes few.
    fn varint(&mut self, mut n: u64) {
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.out.push(low);
                return;
            }
            self.out.push(low | 0x80);
        }
    }
}

const NONE: u8 = 0x00;
const SOME: u8 = 0x01;
const FALSE: u8 = 0x02;
const TRUE: u8 = 0x03;
const UNSIGNED: u8 = 0x10;
const SIGNED: u8 = 0x11;
const FLOAT: u8 = 0x12;
const TEXT: u8 = 0x20;
const BYTES: u8 = 0x21;
const LIST: u8 = 0x30;
const LIST_END: u8 = 0x3F;
const OBJECT: u8 = 0x40;
const OBJECT_END: u8 = 0x4F;
const VARIANT: u8 = 0x60;
const VARIANT_WITH_VALUE: u8 = 0x61;

impl<'a, 'b> ser::Serializer for &'a mut Canonical<'b> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.tag(if v { TRUE } else { FALSE });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.tag(SIGNED);
        // Zigzag: small magnitudes, either sign, stay short.
        self.varint(((v << 1) ^ (v >> 63)) as u64);
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.tag(UNSIGNED);
        self.varint(v);
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.tag(FLOAT);
        self.out.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut buffer = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut buffer))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.text(v.as_bytes(), TEXT);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.text(v, BYTES);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.tag(NONE);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.tag(SOME);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.tag(NONE);
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.text(variant.as_bytes(), VARIANT);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.text(variant.as_bytes(), VARIANT_WITH_VALUE);
        value.serialize(self)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Error> {
        self.tag(LIST);
        Ok(self)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.text(variant.as_bytes(), VARIANT_WITH_VALUE);
        self.tag(LIST);
        Ok(self)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Error> {
        self.tag(OBJECT);
        Ok(self)
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, Error> {
        self.tag(OBJECT);
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.text(variant.as_bytes(), VARIANT_WITH_VALUE);
        self.tag(OBJECT);
        Ok(self)
    }
}

/// Sequences and tuples of every kind are lists: their items, then the end tag.
macro_rules! list_serializer {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Canonical<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Error> {
                self.tag(LIST_END);
                Ok(())
            }
        }
    )*};
}

list_serializer!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Canonical<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Error> {
        self.tag(OBJECT_END);
        Ok(())
    }
}

/// Structs (also a variant's) are objects: each field's name and value, then the end tag.
macro_rules! struct_serializer {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Canonical<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.text(key.as_bytes(), TEXT);
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Error> {
                self.tag(OBJECT_END);
                Ok(())
            }
        }
    )*};
}

struct_serializer!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn bytes<T: Serialize>(value: &T) -> Vec<u8> {
        let mut out = Vec::new();
        write(value, &mut out).unwrap();
        out
    }

    #[test]
    fn text_boundaries_cannot_move() {
        // Without length prefixes ["ab", "c"] and ["a", "bc"] would collide.
        assert_ne!(bytes(&vec!["ab", "c"]), bytes(&vec!["a", "bc"]));
        assert_ne!(bytes(&Some("")), bytes(&Option::<&str>::None));
        assert_ne!(
            bytes(&vec![Vec::<u8>::new()]),
            bytes(&Vec::<Vec<u8>>::new())
        );
    }

    #[test]
    fn numbers_take_little_room_and_keep_their_value() {
        assert_eq!(bytes(&5u64), [UNSIGNED, 5]);
        assert_eq!(bytes(&300u64), [UNSIGNED, 0xac, 0x02]);
        assert_eq!(bytes(&-1i64), [SIGNED, 1]);
        assert_eq!(bytes(&1i64), [SIGNED, 2]);
        assert_ne!(bytes(&i64::MIN), bytes(&i64::MAX));
    }

    #[test]
    fn maps_structs_and_numbers_are_distinguished() {
        let map = BTreeMap::from([("a", 1u32)]);
        assert_ne!(bytes(&map), bytes(&vec![1u32]));
        assert_ne!(bytes(&1u64), bytes(&1i64));
        assert_ne!(bytes(&true), bytes(&1u8));
    }
}
