//! How deeply a value nests, measured without recursion, so that a value too deep to clone,
//! compare or serialize safely is refused before anything recursive touches it.

use super::Value;
use crate::error::{Error, ErrorCode, Result};

/// The deepest nesting of arrays and objects the core accepts (V8 gives up somewhat deeper,
/// with a `RangeError`, at a depth that depends on its stack).
pub const MAX_DEPTH: usize = 1000;

impl Value {
    /// Whether arrays and objects nest more than `limit` levels deep (a scalar is depth 0).
    pub fn nests_deeper_than(&self, limit: usize) -> bool {
        let mut stack: Vec<(&Value, usize)> = vec![(self, 0)];
        while let Some((value, depth)) = stack.pop() {
            let children: Box<dyn Iterator<Item = &Value>> = match value {
                Value::Array(items) => Box::new(items.iter()),
                Value::Object(members) => Box::new(members.iter().map(|(_, v)| v)),
                _ => continue,
            };
            if depth + 1 > limit {
                return true;
            }
            stack.extend(children.map(|child| (child, depth + 1)));
        }
        false
    }

    /// An error naming `what` when the value nests deeper than [`MAX_DEPTH`].
    pub(crate) fn check_depth(&self, what: &str) -> Result<()> {
        if self.nests_deeper_than(MAX_DEPTH) {
            return Err(Error::plain(
                ErrorCode::InvalidPayload,
                format!(
                    "{what} nests deeper than {MAX_DEPTH} levels (Maximum call stack size exceeded)"
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_measured_without_recursion() {
        assert!(!Value::Null.nests_deeper_than(0));
        assert!(!Value::Array(vec![]).nests_deeper_than(1));
        assert!(Value::Array(vec![Value::Array(vec![])]).nests_deeper_than(1));
        let mut deep = Value::Null;
        for _ in 0..100_000 {
            deep = Value::Array(vec![deep]);
        }
        assert!(deep.nests_deeper_than(MAX_DEPTH));
        assert!(deep.check_depth("the payload").is_err());
        // Dropping 100 000 levels recursively could overflow the test thread's stack.
        let mut current = deep;
        while let Value::Array(mut items) = current {
            current = items.pop().unwrap_or(Value::Null);
        }
    }
}
