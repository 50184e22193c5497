//! The claims `sign` signs: the payload object's members, borrowed from the caller, with the
//! claims the options add. `sign` only needs their JSON, so the payload is not copied unless
//! the caller asks for the payload as signed.

use std::borrow::Cow;

use crate::error::Result;
use crate::value::{Value, js_entries};

/// An object payload after `Object.assign({}, payload)` and the claims added to it.
///
/// The members are in JavaScript's enumeration order without duplicates from the start
/// ([`js_entries`]), and only named (non-index) keys are ever added, at the end: so the stored
/// order stays the order `JSON.stringify` writes.
pub(super) struct Claims<'a> {
    members: Vec<(Cow<'a, str>, Cow<'a, Value>)>,
}

static UNDEFINED: Value = Value::Undefined;

impl<'a> Claims<'a> {
    /// The members of an object payload, as JavaScript enumerates them.
    pub(super) fn of(entries: &'a [(String, Value)]) -> Self {
        // Room for every claim the options can add, so adding them never reallocates.
        let mut members = Vec::with_capacity(entries.len() + 7);
        members.extend(js_entries(entries).map(|(k, v)| (Cow::Borrowed(k), Cow::Borrowed(v))));
        Claims { members }
    }

    /// `claims[key]`.
    pub(super) fn get(&self, key: &str) -> &Value {
        self.members
            .iter()
            .find(|(k, _)| same_key(k, key))
            .map_or(&UNDEFINED, |(_, v)| v)
    }

    /// `claims[key] = value` for a named key: replaced in place, else appended.
    pub(super) fn assign(&mut self, key: &'static str, value: Value) {
        debug_assert!(!crate::value::is_array_index(key));
        match self.members.iter_mut().find(|(k, _)| same_key(k, key)) {
            Some(member) => member.1 = Cow::Owned(value),
            None => self.members.push((Cow::Borrowed(key), Cow::Owned(value))),
        }
    }

    /// `delete claims[key]`.
    pub(super) fn remove(&mut self, key: &str) {
        self.members.retain(|(k, _)| k != key);
    }

    /// `JSON.stringify(claims)`.
    pub(super) fn to_json(&self) -> Result<String> {
        Value::object_json(self.members.iter().map(|(k, v)| (&**k, &**v)))
    }

    /// A copy of the claims as an object value.
    pub(super) fn to_value(&self) -> Value {
        Value::Object(
            self.members
                .iter()
                .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().clone()))
                .collect(),
        )
    }

    /// The claims as an object value of their own.
    pub(super) fn into_value(self) -> Value {
        Value::Object(
            self.members
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }
}

/// `a == b`, deciding most unequal keys by length and first byte before comparing bytes.
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(json: &str) -> Value {
        Value::from_json_str(json).unwrap()
    }

    /// What `sign` did before: a normalized copy, changed through the value helpers.
    fn by_copy(payload: &Value, change: impl Fn(&mut Vec<(String, Value)>)) -> Value {
        let Value::Object(entries) = payload else {
            unreachable!()
        };
        let mut copy = crate::value::normalize_object(entries.clone());
        change(&mut copy);
        Value::Object(copy)
    }

    #[test]
    fn borrowed_claims_equal_a_changed_copy() {
        let mut payloads = vec![
            object(r#"{}"#),
            object(r#"{"sub":"x","iat":5,"groups":["a","b"],"exp":null}"#),
            object(r#"{"b":1,"2":2,"a":{"x":[1,{"y":"\u2028\n"}]},"1":3}"#),
        ];
        // Out of JavaScript order and with a duplicate, as a binding may hand them over.
        payloads.push(Value::Object(vec![
            ("iat".into(), Value::Number(1.0)),
            ("7".into(), Value::Bool(true)),
            ("iat".into(), Value::Number(2.0)),
            ("nbf".into(), Value::Undefined),
        ]));
        for payload in &payloads {
            let Value::Object(entries) = payload else {
                unreachable!()
            };
            let mut claims = Claims::of(entries);
            claims.assign("iat", Value::Number(9.0));
            claims.assign("exp", Value::Number(10.0));
            claims.remove("sub");
            claims.assign("aud", Value::String("a".into()));
            let expected = by_copy(payload, |copy| {
                crate::value::assign_property(copy, "iat", Value::Number(9.0));
                crate::value::assign_property(copy, "exp", Value::Number(10.0));
                crate::value::remove_property(copy, "sub");
                crate::value::assign_property(copy, "aud", Value::String("a".into()));
            });
            for key in ["iat", "exp", "sub", "aud", "nbf", "7", "missing"] {
                assert_eq!(claims.get(key), expected.get(key), "{payload:?} {key}");
            }
            assert_eq!(
                claims.to_json().unwrap(),
                expected.to_json_string().unwrap()
            );
            assert_eq!(claims.to_value(), expected);
            assert_eq!(claims.into_value(), expected);
        }
    }
}
