//! How deeply a value nests, measured without recursion, so that a value too deep to clone,
//! compare or serialize safely is refused before anything recursive touches it.

use super::Value;
use crate::error::{Error, ErrorCode, Result};

/// The deepest nesting of arrays and objects the core accepts (V8 gives up somewhat deeper,
/// with a `RangeError`, at a depth that depends on its stack).
pub const MAX_DEPTH: usize = 1000;

/// How deep a binding follows a foreign value (a JavaScript object, a Python dict or list) while
/// it converts it into a [`Value`]. Deeper nesting is cut off there and replaced by an empty
/// array: the result still nests deeper than [`MAX_DEPTH`], so the core refuses it with its own
/// error, while the binding's recursion stays well inside the stack (a value that contains
/// itself included).
pub const CONVERSION_DEPTH_LIMIT: usize = MAX_DEPTH + 100;

impl Value {
    /// Whether arrays and objects nest more than `limit` levels deep (a scalar is depth 0).
    pub fn nests_deeper_than(&self, limit: usize) -> bool {
        let Some(root) = Frame::of(self) else {
            return false;
        };
        if limit == 0 {
            return true;
        }
        // Most values (options, headers, claims) hold no array or object: no stack for those.
        let is_container = |member: &Value| Frame::of(member).is_some();
        let holds_container = match self {
            Value::Array(items) => items.iter().any(is_container),
            Value::Object(members) => members.iter().any(|(_, member)| is_container(member)),
            _ => false,
        };
        if !holds_container {
            return false;
        }
        // One frame per open array or object, so the stack's length is the current depth.
        let mut stack = Vec::with_capacity(8);
        stack.push(root);
        while let Some(top) = stack.last_mut() {
            let Some(child) = top.next() else {
                stack.pop();
                continue;
            };
            if let Some(frame) = Frame::of(child) {
                if stack.len() >= limit {
                    return true;
                }
                stack.push(frame);
            }
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

/// The members of an open array or object still to be looked at.
enum Frame<'a> {
    Items(std::slice::Iter<'a, Value>),
    Members(std::slice::Iter<'a, (String, Value)>),
}

impl<'a> Frame<'a> {
    fn of(value: &'a Value) -> Option<Self> {
        match value {
            Value::Array(items) => Some(Frame::Items(items.iter())),
            Value::Object(members) => Some(Frame::Members(members.iter())),
            _ => None,
        }
    }

    fn next(&mut self) -> Option<&'a Value> {
        match self {
            Frame::Items(items) => items.next(),
            Frame::Members(members) => members.next().map(|(_, value)| value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The depth by plain recursion, the definition the stack walk must agree with.
    fn depth(value: &Value) -> usize {
        match value {
            Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
            Value::Object(members) => 1 + members.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
            _ => 0,
        }
    }

    #[test]
    fn the_stack_walk_agrees_with_the_recursive_depth() {
        let leaf = Value::Number(1.0);
        let empty = Value::Array(vec![]);
        let obj = |members: Vec<Value>| {
            Value::Object(members.into_iter().map(|v| ("k".to_owned(), v)).collect())
        };
        let nested = Value::Array(vec![leaf.clone(), obj(vec![empty.clone(), leaf.clone()])]);
        let samples = [
            leaf.clone(),
            empty.clone(),
            obj(vec![]),
            obj(vec![leaf.clone(), leaf.clone()]),
            nested.clone(),
            // The deepest member last, first, and between shallower ones.
            Value::Array(vec![leaf.clone(), empty.clone(), nested.clone()]),
            obj(vec![nested.clone(), leaf.clone(), empty.clone()]),
            Value::Array(vec![
                empty.clone(),
                obj(vec![nested.clone()]),
                empty.clone(),
            ]),
        ];
        for value in &samples {
            let d = depth(value);
            for limit in 0..6 {
                assert_eq!(
                    value.nests_deeper_than(limit),
                    d > limit,
                    "{value:?} {limit}"
                );
            }
        }
    }

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
