//! Build script: turns the English texts (`src/ui/i18n/en.json`, one flat
//! JSON object, key → text) into a Rust table sorted by key, which
//! `crate::i18n` searches. The page then parses no JSON before its first
//! render (issue 8, time to interactive); the file stays the one source.

use std::collections::BTreeMap;
use std::{env, fs, path::Path};

fn main() {
    let source = "src/ui/i18n/en.json";
    println!("cargo:rerun-if-changed={source}");
    let text = fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    // A BTreeMap iterates in byte order of the keys, the order `str::cmp`
    // (and so `binary_search_by`) uses.
    let texts: BTreeMap<String, String> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{source}: {e}"));
    let mut table = String::from("&[\n");
    for (key, value) in &texts {
        // `{:?}` of a str is a Rust string literal.
        table.push_str(&format!("    ({key:?}, {value:?}),\n"));
    }
    table.push_str("]\n");
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out).join("english.rs"), table).expect("write english.rs");
}
