//! The `slotlab` binary: the CLI natively, the web app on wasm32.

#[cfg(target_arch = "wasm32")]
fn main() {
    slotlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(slotlab::native::main(&args));
}
