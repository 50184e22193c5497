//! JSON text to and from [`Value`] for the Qlik module.
//!
//! BRIDGE: until `Value`'s own `JSON.stringify`/`JSON.parse` land, these use serde_json, whose
//! output equals `JSON.stringify`'s for the values the signer makes (strings, booleans, arrays
//! of strings and integers below 2^53).

use crate::value::Value;

/// `JSON.stringify(value)` for the values the Qlik signer makes.
pub(crate) fn stringify(value: &Value) -> String {
    to_serde(value).to_string()
}

/// `JSON.parse(text)`, or `None` when the text is not JSON.
pub(crate) fn parse(text: &[u8]) -> Option<Value> {
    serde_json::from_slice::<serde_json::Value>(text)
        .ok()
        .map(|v| from_serde(&v))
}

fn to_serde(value: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 => {
            J::from(*n as i64)
        }
        Value::Number(n) => serde_json::Number::from_f64(*n).map_or(J::Null, J::Number),
        Value::String(s) => J::String(s.clone()),
        Value::Array(items) => J::Array(items.iter().map(to_serde).collect()),
        Value::Object(members) => J::Object(
            members
                .iter()
                .filter(|(_, v)| *v != Value::Undefined)
                .map(|(k, v)| (k.clone(), to_serde(v)))
                .collect(),
        ),
        Value::Undefined | Value::Bytes(_) | Value::RegExp { .. } | Value::Other(_) => J::Null,
    }
}

fn from_serde(value: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match value {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        J::String(s) => Value::String(s.clone()),
        J::Array(items) => Value::Array(items.iter().map(from_serde).collect()),
        J::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), from_serde(v)))
                .collect(),
        ),
    }
}
