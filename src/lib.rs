//! slotlab: a Redis Cluster playground.
//!
//! # Layout
//! - [`engine`]: the in-memory 3-shard cluster (pure Rust; no browser code).
//! - [`hints`]: pure teaching helpers (hash-tag fix suggestions, Tab completion).
//! - [`lessons`]: the guided lessons, as data (`src/ui/lessons/*.json`), and their scenarios.
//! - [`i18n`]: the page's languages (English, 简体中文, 日本語) and their texts.
//! - [`replay`]: the scenario JSONL contract, replayed on any transport.
//! - [`share`]: share links and saved sessions (the `#s=v1.` codec, `?cmds=`).
//! - [`timeline`]: steps, snapshots and replay for the timeline (scrub, fork).
//! - `native` (not on wasm): the `slotlab` CLI — REPL, `replay`, `replay --real`.
//! - `ui` (wasm only): the Yew app served by `trunk serve`.

pub mod engine;
pub mod hints;
pub mod i18n;
pub mod lessons;
pub mod replay;
pub mod share;
pub mod timeline;

#[cfg(not(target_arch = "wasm32"))]
pub mod native;

#[cfg(target_arch = "wasm32")]
pub mod ui;
