//! Fuzz target `json`: runs `qlik_jwt::testing::fuzz::json` (also run over the saved corpus by
//! `core/tests/fuzz_corpus.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qlik_jwt::testing::fuzz::json(data));
