//! The Yew web app (wasm only).

/// Mounts the app on the page.
pub fn start() {}
