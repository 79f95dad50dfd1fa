#![cfg(not(target_arch = "wasm32"))]
//! The engine stays pure Rust: no file under `src/engine/` may mention a
//! browser or UI crate, as a path, an identifier or a word in a comment.
//! A mention is a whole-word match (the characters on both sides are not
//! letters, digits or `_`), so `igloo` or `yewtree` are fine.

use std::fs;
use std::path::{Path, PathBuf};

/// The crates the engine must not touch, in both spellings.
const FORBIDDEN: &[&str] = &[
    "yew",
    "web_sys",
    "web-sys",
    "js_sys",
    "js-sys",
    "gloo",
    "wasm_bindgen",
    "wasm-bindgen",
];

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Every `(line number, forbidden word)` found in `text` (lines count from 1).
fn scan(text: &str) -> Vec<(usize, &'static str)> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let bytes = line.as_bytes();
        for word in FORBIDDEN {
            let mut from = 0;
            while let Some(pos) = line[from..].find(word) {
                let start = from + pos;
                let end = start + word.len();
                let before_ok = start == 0 || !is_word_byte(bytes[start - 1]);
                let after_ok = end == bytes.len() || !is_word_byte(bytes[end]);
                if before_ok && after_ok {
                    found.push((index + 1, *word));
                    break;
                }
                from = start + 1;
            }
        }
    }
    found
}

/// Every `.rs` file under `dir`, recursively, in a stable order.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
    out
}

#[test]
fn engine_mentions_no_browser_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine");
    let files = rust_files(&root);
    assert!(!files.is_empty(), "no .rs file under {}", root.display());
    let mut problems = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        for (line, word) in scan(&text) {
            problems.push(format!("{}:{line}: mentions `{word}`", file.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "the engine must stay free of browser crates:\n{}",
        problems.join("\n")
    );
}

#[test]
fn scanner_catches_a_planted_line() {
    let planted = "//! fine\nuse crate::engine::slot;\nuse web_sys::Window;\n";
    assert_eq!(scan(planted), vec![(3, "web_sys")]);
    assert_eq!(
        scan("let x = 1; // talks to wasm-bindgen"),
        vec![(1, "wasm-bindgen")]
    );
    assert_eq!(scan("gloo::timers::Timeout::new(1, f);"), vec![(1, "gloo")]);
    assert_eq!(scan("yew::Html"), vec![(1, "yew")]);
    // Whole words only.
    assert!(scan("let igloo = yewtree + my_js_sys_helper;").is_empty());
    assert!(scan("fn engine() {}\n").is_empty());
}
