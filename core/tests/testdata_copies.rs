//! `core/testdata/keys/` holds copies of the shared key files that the library's test hooks,
//! unit tests and doctests read (the published crate has no `tests/keys/`: its tests must pass
//! from the crate alone, and `include_str!` cannot reach outside it). The originals stay in
//! `tests/keys/`, shared with the Node and Python tests; this test keeps every copy from
//! drifting.

use std::path::Path;

#[test]
fn each_key_copy_in_the_crate_equals_the_shared_file() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copies = crate_dir.join("testdata/keys");
    let mut names: Vec<_> = std::fs::read_dir(&copies)
        .unwrap_or_else(|error| panic!("{}: {error}", copies.display()))
        .map(|entry| entry.expect("directory entry").file_name())
        .collect();
    names.sort();
    assert!(
        names.len() >= 100,
        "expected the copied key files, found {names:?}"
    );
    for name in names {
        let copy = std::fs::read(copies.join(&name)).expect("copy");
        let shared = crate_dir.join("../tests/keys").join(&name);
        let original =
            std::fs::read(&shared).unwrap_or_else(|error| panic!("{}: {error}", shared.display()));
        assert!(
            copy == original,
            "{name:?} differs from {}",
            shared.display()
        );
    }
}
