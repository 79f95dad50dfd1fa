//! The cluster engine: pure Rust, no browser or UI dependency.
//!
//! # Purity rule
//! Nothing under `src/engine/` may use the browser or UI crates, nor even
//! name them (`tests/purity.rs` lists them and enforces it). Time enters as `now_ms`
//! arguments, randomness as seeds, and what happened leaves as
//! [`event::Event`] data for the UI to draw.
//!
//! # Layout
//! - [`slot`] — CRC16/XMODEM and the hash-tag rule.
//! - [`topology`] — nodes, roles, slot → master table, cluster settings.
//! - [`keyspace`], [`value`] — one shard's typed data with expiry.
//! - [`command`], [`cmd`] — the command table and the implementations.
//! - [`router`] — `getNodeByQuery`.
//! - [`cluster`] — connections and `processCommand` (routing, MULTI, WATCH).
//! - [`bulk`] — many SETs at once, for sample data.
//! - [`reply`], [`error`] — replies and their exact renderings.
//! - [`script`] — Lua scripting: EVAL, FCALL, the script cache and function libraries.
//! - [`cli`] — redis-cli's line splitting, `-c` redirect following and prompt.
//! - [`cluster_client`] — a cluster-aware client (slot map, split MGET):
//!   client-side behaviour, for the playground to compare with redis-cli.
//! - [`event`] — what happened, as data.
//! - [`failover`] — stopped nodes, failure flags, failovers and the cluster state, on a simulated clock.
//! - [`reshard`] — a step-by-step `redis-cli --cluster reshard`.

pub mod bulk;
pub mod cli;
pub mod cluster;
pub mod cluster_client;
pub mod cmd;
pub mod command;
pub mod error;
pub mod event;
pub mod failover;
pub mod glob;
pub mod keyspace;
pub mod reply;
pub mod reshard;
pub mod router;
pub mod script;
pub mod slot;
pub mod topology;
pub mod value;

pub use cluster::{Cluster, ConnId, Outcome};
pub use error::RedisError;
pub use event::Event;
pub use reply::Reply;
