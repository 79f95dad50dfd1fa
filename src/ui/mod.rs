//! The Yew web app (wasm only): several clients' consoles on the embedded
//! engine, the cluster map, the route trace of the last request, the
//! transaction panel and the key inspector.
//!
//! # Layout
//! - [`world`]: the shared cluster + sessions, and the recording transport (pure).
//! - [`state`]: `AppState` + `Action` + the reducer (pure).
//! - [`lesson_run`]: running a lesson (`crate::lessons`) in the app state (pure).
//! - [`ops`]: stopping/starting nodes, the failure detector's clock and
//!   the reshard control as timeline steps, and their log (pure).
//! - [`trace`], [`tx`], [`map`], [`inspect`], [`sample`], [`script`]: what
//!   the panels show, computed from engine events and data (pure);
//!   [`lua_highlight`]: the script editor's colouring (pure).
//! - [`platform`]: the browser clock and language, the only impure inputs.
//! - [`lang`]: the page language as a context (`use_lang`).
//! - [`session`]: timeline steps, page settings and notices, and their
//!   link form (pure); [`share_text`]: the words of the timeline, share
//!   and embed parts, in one place.
//! - [`browser`]: the address, localStorage, the embedding page, the theme
//!   and the clipboard (effects and handlers only).
//! - [`panic`]: the panic hook's error page (plain DOM, no Yew).
//! - [`app`]: the root component wiring state to the panels.
//! - [`components`]: one component per file, each with its props.

pub mod app;
pub mod browser;
pub mod components;
pub mod inspect;
pub mod lang;
pub mod lesson_run;
pub mod lua_highlight;
pub mod map;
pub mod ops;
pub mod panic;
pub mod platform;
pub mod sample;
pub mod script;
pub mod session;
pub mod share_text;
pub mod state;
pub mod trace;
pub mod tx;
pub mod world;

pub use app::App;

/// How long a Chinese or Japanese page waits for its texts before it
/// starts in English anyway (it switches when they arrive).
const LANG_WAIT_MS: u32 = 1500;

/// How long a page that starts in a lesson waits for the second wasm module
/// before it starts anyway (the first call into the module then fetches it
/// synchronously).
const MODULE_WAIT_MS: u32 = 10_000;

/// Installs the panic hook, then mounts the app on the page's `<body>`.
/// A page that starts in a lesson (`?lesson=`, or a link's or the saved
/// session that names one) first waits for the second wasm module, where
/// the lessons live (`scripts/wasm_split.py`), rather than fetching it
/// synchronously in the middle of the start (opening the link or session
/// checks the lessons' names against the lessons); at most
/// [`MODULE_WAIT_MS`].
pub fn start() {
    panic::install();
    if !app::starts_in_a_lesson() {
        mount_in_language();
        return;
    }
    let mount = first_call_only(mount_in_language);
    let fallback = gloo::timers::callback::Timeout::new(MODULE_WAIT_MS, mount.clone());
    platform::after_second_module(move || {
        drop(fallback);
        mount();
    });
}

/// Mounts the app; a page in Chinese or Japanese first fetches its texts
/// (for at most [`LANG_WAIT_MS`]), so that it starts in its language;
/// without them it starts in English and switches once they arrive (see
/// `AppState::pending_lang`).
fn mount_in_language() {
    let lang = app::wanted_lang();
    if crate::i18n::is_ready(lang) {
        yew::Renderer::<App>::new().render();
        return;
    }
    let mount = first_call_only(|| {
        yew::Renderer::<App>::new().render();
    });
    let fallback = gloo::timers::callback::Timeout::new(LANG_WAIT_MS, mount.clone());
    platform::fetch_catalog(lang, move |_| {
        drop(fallback);
        mount();
    });
}

/// `f` as a callback that can be called many times and runs `f` the first
/// time only (what arrives first: a fetch or its time limit).
fn first_call_only(f: impl FnOnce() + 'static) -> impl Fn() + Clone + 'static {
    let f = std::rc::Rc::new(std::cell::Cell::new(Some(f)));
    move || {
        if let Some(f) = f.take() {
            f();
        }
    }
}
