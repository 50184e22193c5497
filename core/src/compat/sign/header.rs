//! The JOSE header `sign` writes: `Object.assign({ alg, typ, kid }, options.header)`, with the
//! base64url text `jws` makes of it.
//!
//! Apps sign with the same options on every call, so the header of this thread's last call is
//! kept, with its text, for the next call made of the same inputs. Only headers made of strings
//! are kept: for those, equal inputs are exactly the same header and the same text.

use std::cell::RefCell;
use std::rc::Rc;

use crate::base64url;
use crate::compat::node_buffer::{self, Encoding};
use crate::compat::options::Options;
use crate::error::Result;
use crate::value::{Value, assign_property, js_entries};

/// A header and, when it was kept, its base64url text.
pub(super) struct Header {
    value: Value,
    encoded: Option<String>,
}

/// What a kept header was made of: `algorithm` and `keyid` as given (strings or absent), no
/// `header` option, and whether `typ` is there (an object payload).
#[derive(PartialEq, Eq)]
struct Inputs {
    algorithm: Option<String>,
    keyid: Option<String>,
    typed: bool,
}

thread_local! {
    static LAST: RefCell<Option<(Inputs, Rc<Header>)>> = const { RefCell::new(None) };
}

impl Header {
    /// The header of a `sign` call with these options.
    pub(super) fn of(options: Options<'_>, is_object_payload: bool) -> Rc<Header> {
        let (Some(algorithm), Some(keyid), Value::Undefined) = (
            string_or_absent(options.get("algorithm")),
            string_or_absent(options.get("keyid")),
            options.get("header"),
        ) else {
            return Rc::new(Header {
                value: initial_header(options, is_object_payload),
                encoded: None,
            });
        };
        LAST.with_borrow_mut(|last| {
            if let Some((inputs, header)) = last.as_ref()
                && inputs.algorithm.as_deref() == algorithm
                && inputs.keyid.as_deref() == keyid
                && inputs.typed == is_object_payload
            {
                return Rc::clone(header);
            }
            let value = initial_header(options, is_object_payload);
            let mut encoded = String::new();
            let header = match append_encoded(&value, &mut encoded) {
                Ok(()) => Rc::new(Header {
                    value,
                    encoded: Some(encoded),
                }),
                // Never for strings; the error comes again, in its place, from `append_to`.
                Err(_) => {
                    return Rc::new(Header {
                        value,
                        encoded: None,
                    });
                }
            };
            let inputs = Inputs {
                algorithm: algorithm.map(str::to_owned),
                keyid: keyid.map(str::to_owned),
                typed: is_object_payload,
            };
            *last = Some((inputs, Rc::clone(&header)));
            header
        })
    }

    /// The header as a value.
    pub(super) fn value(&self) -> &Value {
        &self.value
    }

    /// `header.alg`.
    pub(super) fn alg(&self) -> &Value {
        self.value.get("alg")
    }

    /// Appends `base64url(Buffer.from(JSON.stringify(header), 'binary'))`, as `jws` does.
    pub(super) fn append_to(&self, token: &mut String) -> Result<()> {
        match &self.encoded {
            Some(encoded) => {
                token.push_str(encoded);
                Ok(())
            }
            None => append_encoded(&self.value, token),
        }
    }
}

fn append_encoded(header: &Value, token: &mut String) -> Result<()> {
    let json = header.to_json_string()?;
    base64url::append(&node_buffer::from_string(&json, Encoding::Latin1), token);
    Ok(())
}

/// `Some(text)` for a string, `Some(None)` for `undefined`, `None` for anything else.
fn string_or_absent(value: &Value) -> Option<Option<&str>> {
    match value {
        Value::String(text) => Some(Some(text)),
        Value::Undefined => Some(None),
        _ => None,
    }
}

/// `Object.assign({ alg, typ, kid }, options.header)`.
fn initial_header(options: Options<'_>, is_object_payload: bool) -> Value {
    let algorithm = options.get("algorithm");
    let mut header = vec![
        (
            "alg".to_owned(),
            if algorithm.is_truthy() {
                algorithm.clone()
            } else {
                "HS256".into()
            },
        ),
        (
            "typ".to_owned(),
            if is_object_payload {
                "JWT".into()
            } else {
                Value::Undefined
            },
        ),
        ("kid".to_owned(), options.get("keyid").clone()),
    ];
    // A header option that is not an object fails validation later, before the header is used
    // for anything but `alg`, which only an object can override.
    if let Value::Object(extras) = options.get("header") {
        for (name, value) in js_entries(extras) {
            // Assigning "__proto__" sets the prototype: no member is added.
            if name != "__proto__" {
                assign_property(&mut header, name, value.clone());
            }
        }
    }
    Value::Object(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(members: &[(&str, Value)]) -> Value {
        Value::Object(
            members
                .iter()
                .map(|(name, value)| ((*name).to_owned(), value.clone()))
                .collect(),
        )
    }

    fn encoded(header: &Header) -> String {
        let mut text = String::new();
        header.append_to(&mut text).unwrap();
        text
    }

    fn fresh(options: &Value, is_object_payload: bool) -> String {
        let mut text = String::new();
        append_encoded(
            &initial_header(Options::new(options), is_object_payload),
            &mut text,
        )
        .unwrap();
        text
    }

    #[test]
    fn a_kept_header_is_used_only_for_the_same_inputs() {
        let hs = options(&[("algorithm", "HS256".into())]);
        let hs_kid = options(&[("algorithm", "HS256".into()), ("keyid", "k1".into())]);
        let hs_other_kid = options(&[("algorithm", "HS256".into()), ("keyid", "k2".into())]);
        let rs = options(&[("algorithm", "RS256".into())]);
        let none = options(&[]);
        let empty_alg = options(&[("algorithm", "".into())]);
        // Each twice in a row (kept), then after another (replaced), both payload kinds.
        for round in 0..2 {
            for opts in [&hs, &hs_kid, &hs_other_kid, &rs, &none, &empty_alg, &hs] {
                for is_object in [true, false, true] {
                    let first = Header::of(Options::new(opts), is_object);
                    let again = Header::of(Options::new(opts), is_object);
                    assert_eq!(encoded(&first), fresh(opts, is_object), "round {round}");
                    assert_eq!(encoded(&again), fresh(opts, is_object));
                    assert!(Rc::ptr_eq(&first, &again), "the second is the kept one");
                }
            }
        }
    }

    #[test]
    fn other_headers_are_made_each_time() {
        let with_header = options(&[(
            "header",
            options(&[("alg", "HS512".into()), ("x", Value::Number(1.0))]),
        )]);
        let numeric_kid = options(&[("keyid", Value::Number(-0.0))]);
        for opts in [&with_header, &numeric_kid] {
            let header = Header::of(Options::new(opts), true);
            assert!(header.encoded.is_none());
            assert_eq!(encoded(&header), fresh(opts, true));
        }
        assert_eq!(
            Header::of(Options::new(&with_header), true).alg(),
            &Value::from("HS512")
        );
    }
}
