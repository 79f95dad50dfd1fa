//! cargo-fuzz target: see `fuzz_permalink_decoder` in tests/support/gen.rs.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/gen.rs"]
mod gen;

fuzz_target!(|data: &[u8]| gen::fuzz_permalink_decoder(data));
