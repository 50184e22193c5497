//! Fuzz target `oauth_explain`: runs `qlik_jwt::testing::fuzz::oauth_explain` (also run over the
//! saved corpus by `core/tests/fuzz_corpus.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qlik_jwt::testing::fuzz::oauth_explain(data));
