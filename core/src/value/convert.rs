//! Conversions from Rust values into [`Value`].

use super::Value;

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Self {
        Value::Array(items)
    }
}

impl<K: Into<String>> FromIterator<(K, Value)> for Value {
    /// An object with these members, in this order.
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(members: I) -> Self {
        Value::Object(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}
