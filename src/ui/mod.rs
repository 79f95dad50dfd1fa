//! The Yew web app (wasm only): a redis-cli-style console on the embedded
//! engine, a key inspector and a cluster status panel.
//!
//! # Layout
//! - [`state`]: `AppState` + `Action` + the reducer (pure).
//! - [`inspect`]: what the key inspector shows (pure).
//! - [`platform`]: the browser clock, the only impure input.
//! - [`app`]: the root component wiring state to the panels.
//! - [`components`]: one component per file, each with its props.

pub mod app;
pub mod components;
pub mod inspect;
pub mod platform;
pub mod state;

pub use app::App;

/// Mounts the app on the page's `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
