//! `core/testdata/keys/` holds copies of the few shared key files that the library's test hooks
//! and unit tests compile in (`include_str!` cannot reach outside the crate, or `cargo package`
//! would fail). The originals stay in `tests/keys/`, shared with the Node and Python tests; this
//! test keeps the copies from drifting.

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
        names.len() >= 4,
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
