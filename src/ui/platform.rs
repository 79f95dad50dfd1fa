//! The one place the UI reads the browser's clock. Everything else gets
//! time as data (`Action::Submit { now_ms }`), so the state stays pure.

/// Milliseconds since the Unix epoch, from `Date.now()`.
pub fn now_ms() -> u64 {
    // Date.now() is a non-negative integral f64 well within u64 range.
    js_sys::Date::now().max(0.0) as u64
}
