//! JavaScript's order of own properties: array-index keys (`"0"`, `"1"`, `"42"`) first in
//! ascending numeric order, then every other key in insertion order. A Python dict or a Rust
//! map handed to the core is enumerated this way, so it serializes to the bytes Node makes.
//!
//! A [`Value::Object`] may also hold a key twice (a JavaScript object cannot): it then behaves
//! as if the entries were assigned one after the other, i.e. the key keeps its first position
//! and takes its last value, which is also what `JSON.parse` does with duplicate keys.

use std::collections::HashMap;

use super::Value;

/// Whether `key` is an array index in JavaScript's sense: the canonical decimal form of an
/// integer below 2^32 - 1 (`"0"`, `"7"`, `"4294967294"`; not `"01"`, `"-1"` or `"1.0"`).
pub fn is_array_index(key: &str) -> bool {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if bytes.len() > 1 && bytes[0] == b'0' {
        return false;
    }
    key.parse::<u64>().is_ok_and(|n| n < u64::from(u32::MAX))
}

/// The object's entries as JavaScript enumerates them, duplicates folded.
pub(crate) fn js_entries(entries: &[(String, Value)]) -> Entries<'_> {
    if is_canonical(entries) {
        return Entries::AsStored(entries.iter());
    }
    Entries::Reordered(reordered(entries).into_iter())
}

/// The entries of [`js_entries`]: those of the object itself when they are already in
/// JavaScript order (the common case, with no allocation), else a reordered copy.
pub(crate) enum Entries<'a> {
    AsStored(std::slice::Iter<'a, (String, Value)>),
    Reordered(std::vec::IntoIter<(&'a str, &'a Value)>),
}

impl<'a> Iterator for Entries<'a> {
    type Item = (&'a str, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Entries::AsStored(entries) => entries.next().map(|(k, v)| (k.as_str(), v)),
            Entries::Reordered(entries) => entries.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Entries::AsStored(entries) => entries.size_hint(),
            Entries::Reordered(entries) => entries.size_hint(),
        }
    }
}

fn reordered(entries: &[(String, Value)]) -> Vec<(&str, &Value)> {
    let folded = fold_duplicates(entries);
    let mut indexed: Vec<(u32, &str, &Value)> = Vec::new();
    let mut named: Vec<(&str, &Value)> = Vec::with_capacity(folded.len());
    for (key, value) in folded {
        if is_array_index(key) {
            // is_array_index guarantees the parse succeeds and fits.
            indexed.push((key.parse().unwrap_or(u32::MAX), key, value));
        } else {
            named.push((key, value));
        }
    }
    indexed.sort_by_key(|(n, _, _)| *n);
    indexed
        .into_iter()
        .map(|(_, k, v)| (k, v))
        .chain(named)
        .collect()
}

/// Owned form of [`js_entries`]: the object as JavaScript would hold it.
pub(crate) fn normalize(entries: Vec<(String, Value)>) -> Vec<(String, Value)> {
    if is_canonical(&entries) {
        return entries;
    }
    reordered(&entries)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
}

/// The value of `key`, as a JavaScript property read sees it (the last duplicate wins).
pub(crate) fn lookup<'a>(entries: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
    entries
        .iter()
        .rev()
        .find(|(k, _)| same_key(k, key))
        .map(|(_, v)| v)
}

/// `a == b`, deciding most unequal keys by length and first byte before comparing bytes (the
/// keys looked up are short and mostly differ there).
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// `object[key] = value`: replaces the value in place when the key exists (dropping later
/// duplicates), else appends.
pub(crate) fn assign(entries: &mut Vec<(String, Value)>, key: &str, value: Value) {
    match entries.iter().position(|(k, _)| k == key) {
        Some(first) => {
            entries[first].1 = value;
            let mut index = 0;
            entries.retain(|(k, _)| {
                let keep = index <= first || k != key;
                index += 1;
                keep
            });
        }
        None => entries.push((key.to_owned(), value)),
    }
}

/// `delete object[key]` (`sign` removes from its own claims type; this stays as the reference).
#[cfg(test)]
pub(crate) fn remove(entries: &mut Vec<(String, Value)>, key: &str) {
    entries.retain(|(k, _)| k != key);
}

/// True when the entries are already in JavaScript order without duplicates (the common case,
/// checked without allocating for small objects).
fn is_canonical(entries: &[(String, Value)]) -> bool {
    let mut previous = None;
    for (key, _) in entries {
        if !follows_in_order(previous, key) {
            return false;
        }
        previous = Some(key.as_str());
    }
    !has_duplicates(entries)
}

/// Whether `key` may come right after `previous` among an object's keys in JavaScript's order:
/// array indices first and ascending, then every other key.
pub(super) fn follows_in_order(previous: Option<&str>, key: &str) -> bool {
    if !is_array_index(key) {
        return true;
    }
    let index = |key: &str| key.parse::<u64>().unwrap_or(u64::MAX);
    previous.is_none_or(|previous| is_array_index(previous) && index(previous) < index(key))
}

fn has_duplicates(entries: &[(String, Value)]) -> bool {
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| entries[..i].iter().any(|(p, _)| p == k));
    }
    let mut seen = std::collections::HashSet::with_capacity(entries.len());
    entries.iter().any(|(k, _)| !seen.insert(k.as_str()))
}

/// Each key once, at its first position, with its last value.
fn fold_duplicates(entries: &[(String, Value)]) -> Vec<(&str, &Value)> {
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
    let mut folded: Vec<(&str, &Value)> = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        match position.get(key.as_str()) {
            Some(&at) => folded[at].1 = value,
            None => {
                position.insert(key, folded.len());
                folded.push((key, value));
            }
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(keys: &[&str]) -> Vec<(String, Value)> {
        keys.iter()
            .enumerate()
            .map(|(i, k)| (k.to_string(), Value::Number(i as f64)))
            .collect()
    }

    fn keys_of(entries: &[(String, Value)]) -> Vec<&str> {
        js_entries(entries).map(|(k, _)| k).collect()
    }

    #[test]
    fn array_indices_are_canonical_u32_below_max() {
        for key in ["0", "1", "42", "4294967294"] {
            assert!(is_array_index(key), "{key}");
        }
        for key in [
            "",
            "01",
            "-1",
            "1.0",
            "4294967295",
            "99999999999",
            " 1",
            "1e3",
            "a",
        ] {
            assert!(!is_array_index(key), "{key}");
        }
    }

    #[test]
    fn index_keys_come_first_in_numeric_order() {
        // Node: Object.keys({b:1, 10:1, a:1, 2:1, "01":1, 4294967295:1}) →
        // ['2', '10', 'b', 'a', '01', '4294967295']
        let entries = obj(&["b", "10", "a", "2", "01", "4294967295"]);
        assert_eq!(keys_of(&entries), ["2", "10", "b", "a", "01", "4294967295"]);
    }

    #[test]
    fn duplicates_keep_first_position_and_last_value() {
        let entries = obj(&["a", "b", "a"]);
        let folded: Vec<_> = js_entries(&entries).collect();
        assert_eq!(folded.len(), 2);
        assert_eq!(folded[0], ("a", &Value::Number(2.0)));
        assert_eq!(lookup(&entries, "a"), Some(&Value::Number(2.0)));
    }

    #[test]
    fn assign_replaces_in_place_or_appends() {
        let mut entries = obj(&["a", "b", "a"]);
        assign(&mut entries, "a", Value::Null);
        assert_eq!(
            entries,
            vec![("a".into(), Value::Null), ("b".into(), Value::Number(1.0))]
        );
        assign(&mut entries, "c", Value::Bool(true));
        assert_eq!(entries[2], ("c".into(), Value::Bool(true)));
        remove(&mut entries, "a");
        assert_eq!(entries.len(), 2);
    }
}
