//! Fuzz target `token`: runs `qlik_jwt::testing::fuzz::token` (also run over the saved corpus by
//! `core/tests/fuzz_corpus.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qlik_jwt::testing::fuzz::token(data));
