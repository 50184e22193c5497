//! The claims `sign` signs: the payload object's members, borrowed from the caller, with the
//! claims the options add. `sign` only needs their JSON, so the payload is not copied unless
//! the caller asks for the payload as signed; a payload that arrived as JSON text keeps the
//! text of every member `sign` does not look at.

use std::borrow::Cow;

use crate::compat::options::check_payload_member;
use crate::error::Result;
use crate::value::{JsonMember, ObjectText, Value, js_entries, same_key};

/// The members `sign` reads or writes by name. A payload member under one of these names is
/// always held as a value, so [`Claims::get`] finds it whatever form the payload came in.
const LOOKED_UP: [&str; 7] = ["iat", "nbf", "exp", "aud", "iss", "sub", "jti"];

/// Every looked-up name is three bytes long, which decides most payload keys at once.
const LOOKED_UP_LEN: usize = 3;
const _: () = {
    let mut at = 0;
    while at < LOOKED_UP.len() {
        assert!(LOOKED_UP[at].len() == LOOKED_UP_LEN);
        at += 1;
    }
};

fn is_looked_up(key: &str) -> bool {
    key.len() == LOOKED_UP_LEN && LOOKED_UP.contains(&key)
}

/// An object payload after `Object.assign({}, payload)` and the claims added to it.
///
/// The members are in JavaScript's enumeration order without duplicates from the start
/// ([`js_entries`], [`ObjectText`]), and only named (non-index) keys are ever added, at the
/// end: so the stored order stays the order `JSON.stringify` writes.
pub(super) struct Claims<'a> {
    members: Vec<(Cow<'a, str>, Member<'a>)>,
    /// The payload's JSON text, while its members are all still there and unchanged: the
    /// claims' JSON is then that text with the added members after its own.
    text: Option<&'a str>,
    /// How many of `members` are the payload's own (the rest were added).
    own: usize,
}

/// The value of a member's text as [`ObjectText`] found it (exactly what `JSON.stringify`
/// writes): a string without escapes is the text between its quotes; anything else is parsed.
fn member_value(json: &str) -> Result<Value> {
    if let Some(inner) = json
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        && !inner.contains('\\')
    {
        return Ok(Value::String(inner.to_owned()));
    }
    Value::from_json_str(json)
}

/// A member's value: a value, or the JSON text `JSON.stringify` wrote for it.
enum Member<'a> {
    Value(Cow<'a, Value>),
    Json(&'a str),
}

static UNDEFINED: Value = Value::Undefined;

impl<'a> Claims<'a> {
    /// The members of an object payload, as JavaScript enumerates them.
    pub(super) fn of(entries: &'a [(String, Value)]) -> Self {
        // Room for every claim the options can add, so adding them never reallocates.
        let mut members = Vec::with_capacity(entries.len() + LOOKED_UP.len());
        members.extend(
            js_entries(entries).map(|(k, v)| (Cow::Borrowed(k), Member::Value(Cow::Borrowed(v)))),
        );
        let own = members.len();
        Claims {
            members,
            text: None,
            own,
        }
    }

    /// The members of an object payload given as `JSON.stringify`'s text: the looked-up ones
    /// parsed, every other one kept as its text.
    pub(super) fn of_text(object: &ObjectText<'a>) -> Result<Self> {
        let mut members = Vec::with_capacity(object.members().len() + LOOKED_UP.len());
        for &(key, json) in object.members() {
            let member = if is_looked_up(key) {
                Member::Value(Cow::Owned(member_value(json)?))
            } else {
                Member::Json(json)
            };
            members.push((Cow::Borrowed(key), member));
        }
        let own = members.len();
        Ok(Claims {
            members,
            text: Some(object.text()),
            own,
        })
    }

    /// `validatePayload`: each member's key, and `iat`, `exp` and `nbf` are numbers.
    pub(super) fn validate(&self) -> Result<()> {
        for (key, member) in &self.members {
            let is_number = match member {
                Member::Value(value) => matches!(**value, Value::Number(_)),
                Member::Json(json) => json.starts_with(|c: char| c == '-' || c.is_ascii_digit()),
            };
            check_payload_member(key, is_number)?;
        }
        Ok(())
    }

    /// `claims[key]`, for one of the names `sign` looks up.
    pub(super) fn get(&self, key: &str) -> &Value {
        debug_assert!(is_looked_up(key), "{key} is not looked up");
        match self.members.iter().find(|(k, _)| same_key(k, key)) {
            Some((_, Member::Value(value))) => value,
            // A member kept as text is never one of the looked-up names.
            Some((_, Member::Json(_))) | None => &UNDEFINED,
        }
    }

    /// `claims[key] = value` for a named key: replaced in place, else appended.
    pub(super) fn assign(&mut self, key: &'static str, value: Value) {
        debug_assert!(is_looked_up(key), "{key} is not looked up");
        let value = Member::Value(Cow::Owned(value));
        match self.members.iter().position(|(k, _)| same_key(k, key)) {
            Some(at) => {
                if at < self.own {
                    self.text = None;
                }
                self.members[at].1 = value;
            }
            None => self.members.push((Cow::Borrowed(key), value)),
        }
    }

    /// `delete claims[key]`.
    pub(super) fn remove(&mut self, key: &str) {
        if let Some(at) = self.members.iter().position(|(k, _)| k == key) {
            if at < self.own {
                self.text = None;
                self.own -= 1;
            }
            self.members.remove(at);
        }
    }

    /// `JSON.stringify(claims)`.
    pub(super) fn to_json(&self) -> Result<String> {
        match self.text {
            Some(text) => {
                Value::object_json_extended(text, self.members[self.own..].iter().map(member_json))
            }
            None => Value::object_json(self.members.iter().map(member_json)),
        }
    }

    /// A copy of the claims as an object value.
    pub(super) fn to_value(&self) -> Result<Value> {
        self.members
            .iter()
            .map(|(key, member)| Ok((key.as_ref().to_owned(), member.to_value()?)))
            .collect::<Result<_>>()
            .map(Value::Object)
    }

    /// The claims as an object value of their own.
    pub(super) fn into_value(self) -> Result<Value> {
        self.members
            .into_iter()
            .map(|(key, member)| Ok((key.into_owned(), member.into_value()?)))
            .collect::<Result<_>>()
            .map(Value::Object)
    }
}

/// A member as [`Value::object_json`] takes it.
fn member_json<'m>((key, member): &'m (Cow<'_, str>, Member<'_>)) -> (&'m str, JsonMember<'m>) {
    let member = match member {
        Member::Value(value) => JsonMember::Value(value),
        Member::Json(json) => JsonMember::Json(json),
    };
    (key, member)
}

impl Member<'_> {
    fn to_value(&self) -> Result<Value> {
        match self {
            Member::Value(value) => Ok(value.as_ref().clone()),
            Member::Json(json) => Value::from_json_str(json),
        }
    }

    fn into_value(self) -> Result<Value> {
        match self {
            Member::Value(value) => Ok(value.into_owned()),
            Member::Json(json) => Value::from_json_str(json),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_value_is_what_parsing_its_text_gives() {
        let texts = [
            r#""abc""#,
            r#""""#,
            r#""é😀 ok""#,
            r#""a\"b""#,
            r#""a\\b""#,
            r#""\u0001""#,
            "12",
            "-1.5e-7",
            r#"[1,"a"]"#,
            r#"{"x":"y"}"#,
            "null",
        ];
        for text in texts {
            assert_eq!(
                member_value(text).unwrap(),
                Value::from_json_str(text).unwrap(),
                "{text}"
            );
        }
    }

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
            for key in LOOKED_UP {
                assert_eq!(claims.get(key), expected.get(key), "{payload:?} {key}");
            }
            assert_eq!(
                claims.to_json().unwrap(),
                expected.to_json_string().unwrap()
            );
            assert_eq!(claims.to_value().unwrap(), expected);
            assert_eq!(claims.into_value().unwrap(), expected);
        }
    }

    #[test]
    fn claims_only_added_to_extend_the_payload_text() {
        type Change = fn(&mut Claims<'_>);
        let changes: [(&str, Change); 4] = [
            ("nothing", |_| {}),
            ("added", |claims| {
                claims.assign("iat", Value::Number(9.0));
                claims.assign("aud", Value::Undefined);
                claims.assign("iss", Value::String("i".into()));
            }),
            (
                "added, then one of them changed and one removed",
                |claims| {
                    claims.assign("exp", Value::Number(1.0));
                    claims.assign("nbf", Value::Number(2.0));
                    claims.assign("exp", Value::Number(3.0));
                    claims.remove("nbf");
                },
            ),
            ("own member removed", |claims| {
                claims.remove("jti");
                claims.assign("iat", Value::Number(9.0));
            }),
        ];
        for text in [
            r#"{}"#,
            r#"{"jti":"j","g":["a"]}"#,
            r#"{"1":0,"x":{"y":null}}"#,
        ] {
            let value = object(text);
            let Value::Object(entries) = &value else {
                unreachable!()
            };
            let object_text = ObjectText::parse(text).unwrap();
            for (what, change) in changes {
                let mut from_text = Claims::of_text(&object_text).unwrap();
                let mut from_value = Claims::of(entries);
                change(&mut from_text);
                change(&mut from_value);
                assert_eq!(
                    from_text.to_json().unwrap(),
                    from_value.to_json().unwrap(),
                    "{text}: {what}"
                );
            }
        }
    }

    #[test]
    fn claims_of_json_text_equal_claims_of_its_value() {
        let texts = [
            r#"{}"#,
            r#"{"sub":"x","iat":5,"groups":["a","b"],"exp":null,"n":{"iat":"no"}}"#,
            r#"{"1":3,"2":2,"b":1,"a":{"x":[1,{"y":" \n"}]}}"#,
            r#"{"jti":"j","aud":["a",{"b":1}],"nbf":1.5,"iss":"i","constructor":1}"#,
        ];
        for text in texts {
            let value = object(text);
            let Value::Object(entries) = &value else {
                unreachable!()
            };
            let object_text = ObjectText::parse(text)
                .unwrap_or_else(|| panic!("not JSON.stringify's form: {text}"));
            let mut from_text = Claims::of_text(&object_text).unwrap();
            let mut from_value = Claims::of(entries);
            assert_eq!(
                from_text.validate().map_err(|e| e.message().to_owned()),
                from_value.validate().map_err(|e| e.message().to_owned()),
                "{text}"
            );
            for claims in [&mut from_text, &mut from_value] {
                claims.assign("iat", Value::Number(9.0));
                claims.remove("sub");
                claims.assign("iss", Value::String("i2".into()));
            }
            for key in LOOKED_UP {
                assert_eq!(from_text.get(key), from_value.get(key), "{text} {key}");
            }
            assert_eq!(from_text.to_json().unwrap(), from_value.to_json().unwrap());
            assert_eq!(
                from_text.to_value().unwrap(),
                from_value.to_value().unwrap()
            );
        }
    }
}
