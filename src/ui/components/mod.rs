//! The app's components, one per file, each with its `Props` beside it.

pub mod cluster_status;
pub mod console;
pub mod key_inspector;
pub mod route_trace;
pub mod toolbar;
pub mod transcript;
