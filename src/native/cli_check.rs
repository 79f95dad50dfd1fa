//! `slotlab replay --real ... --cli-check`: checks our redis-cli formatter
//! (`Reply::to_cli`, the `-> Redirected` lines of `-c`) against the real
//! `redis-cli`.
//!
//! For each single-connection scenario, the cluster is brought back to the
//! scenario's starting state (reset + setup), the commands are fed to a real
//! `redis-cli --no-raw [-c] -h HOST -p PORT` on stdin, one quoted line per
//! command, and its stdout is compared with what we predicted: for every
//! command, the redirect lines then `replies_cli`.
//!
//! Commands whose reply is volatile (CLUSTER NODES, INFO, SPOP ...) are
//! compared leniently (same number of lines; digits and node ids masked for
//! the contract's volatile commands), `unordered` ones as multisets of lines.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::engine::cli::parse_redirect;
use crate::replay::{self, Backend, Scenario, ScenarioResult};

/// The outcome of the cross-check of one file.
#[derive(Debug, Default)]
pub struct Report {
    /// Scenarios whose redis-cli output matched.
    pub checked: usize,
    /// Scenarios not checked, with the reason.
    pub skipped: Vec<String>,
    /// One message per mismatching scenario.
    pub mismatches: Vec<String>,
}

/// The redis-cli binary: `$REDIS_CLI`, or `redis-cli` from the PATH.
fn redis_cli() -> String {
    std::env::var("REDIS_CLI").unwrap_or_else(|_| "redis-cli".to_string())
}

/// Runs the cross-check of `scenarios` (already replayed into `results` on
/// the same real cluster) against `host`.
pub fn check<B: Backend>(
    backend: &mut B,
    host: &str,
    scenarios: &[Scenario],
    results: &[ScenarioResult],
) -> Result<Report, String> {
    let mut report = Report::default();
    for (i, (scenario, result)) in scenarios.iter().zip(results).enumerate() {
        if let Some(reason) = unsupported(scenario) {
            report.skipped.push(format!("{}: {reason}", scenario.name));
            continue;
        }
        replay::prepare(backend, scenario, i == 0)?;
        let mut command = Command::new(redis_cli());
        command.arg("--no-raw");
        if scenario.follow_redirects {
            command.arg("-c");
        }
        command
            .args(["-h", host, "-p", &scenario.connection_port.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", redis_cli()))?;
        let mut stdin = child.stdin.take().ok_or("no stdin for redis-cli")?;
        for (index, argv) in scenario.commands.iter().enumerate() {
            // `pause_before`: hold the next line back so the time passes
            // between the commands, as in the replay.
            for &(_, ms) in scenario.pause_before.iter().filter(|(at, _)| *at == index) {
                stdin.flush().map_err(|e| e.to_string())?;
                std::thread::sleep(std::time::Duration::from_millis(ms));
            }
            let argv = argv
                .iter()
                .map(|w| replay::expand_ids(backend, w))
                .collect::<Result<Vec<String>, String>>()?;
            stdin
                .write_all((quote_line(&argv) + "\n").as_bytes())
                .map_err(|e| e.to_string())?;
        }
        drop(stdin);
        let output = child.wait_with_output().map_err(|e| e.to_string())?;
        let actual = String::from_utf8_lossy(&output.stdout);
        match compare_output(scenario, result, &actual) {
            None => report.checked += 1,
            Some(message) => report
                .mismatches
                .push(format!("{}: {message}", scenario.name)),
        }
    }
    Ok(report)
}

/// Why a scenario cannot be fed to one redis-cli process, if it cannot.
fn unsupported(scenario: &Scenario) -> Option<String> {
    if scenario.conns.is_some() {
        return Some("several connections".into());
    }
    if !scenario.reset_before {
        return Some("continues the previous scenario's state".into());
    }
    if !scenario.settle_after.is_empty() {
        return Some("waits for the cluster to converge between commands".into());
    }
    for argv in &scenario.commands {
        let first = argv
            .first()
            .map(|w| w.to_ascii_lowercase())
            .unwrap_or_default();
        // redis-cli handles these itself, and a first word `strtol` reads
        // completely is its repeat prefix (`3 INCR x`; also `""`, `" 3"`).
        let local = ["quit", "exit", "connect", "clear", "help", "?", "restart"];
        if local.contains(&first.as_str()) || (argv.len() > 1 && is_repeat_prefix(&first)) {
            return Some(format!("redis-cli would handle {argv:?} itself"));
        }
    }
    None
}

/// True when C's `strtol(word, &end, 10)` leaves `*end == '\0'`: the empty
/// word, or optional leading whitespace, an optional sign and digits.
fn is_repeat_prefix(word: &str) -> bool {
    if word.is_empty() {
        return true;
    }
    let rest = word.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// One command as a redis-cli input line that `sdssplitargs` splits back
/// into exactly `argv`: every argument double-quoted, with `\"`, `\\` and
/// `\xNN` for control bytes.
pub fn quote_line(argv: &[String]) -> String {
    argv.iter()
        .map(|arg| quote_arg(arg))
        .collect::<Vec<_>>()
        .join(" ")
}

fn quote_arg(arg: &str) -> String {
    let mut out = String::with_capacity(arg.len() + 2);
    out.push('"');
    for c in arg.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What interactive redis-cli prints for command `i` of a result.
fn predicted(result: &ScenarioResult, i: usize) -> String {
    let mut out = String::new();
    let redirects = result.redirects.as_ref().and_then(|r| r.get(i));
    for redirect in redirects.into_iter().flatten() {
        if let Some((slot, host, port)) = parse_redirect(redirect) {
            out.push_str(&format!(
                "-> Redirected to slot [{slot}] located at {host}:{port}\n"
            ));
        }
    }
    out.push_str(result.replies_cli.get(i).map_or("", String::as_str));
    out
}

/// Compares redis-cli's stdout with our prediction, command by command.
/// Returns a description of the first difference.
pub fn compare_output(
    scenario: &Scenario,
    result: &ScenarioResult,
    actual: &str,
) -> Option<String> {
    let mut rest = actual;
    for (i, argv) in scenario.commands.iter().enumerate() {
        let want = predicted(result, i);
        let volatile = replay::is_volatile(argv);
        let (got, tail) = if volatile || scenario.volatile.contains(&i) {
            // Same number of lines; their length may differ.
            let lines = want.matches('\n').count();
            let end = rest
                .match_indices('\n')
                .nth(lines.saturating_sub(1))
                .map_or(rest.len(), |(at, _)| at + 1);
            let end = if lines == 0 {
                want.len().min(rest.len())
            } else {
                end
            };
            rest.split_at(end)
        } else {
            let end = floor_char_boundary(rest, want.len());
            rest.split_at(end)
        };
        let same = if scenario.volatile.contains(&i) {
            got.matches('\n').count() == want.matches('\n').count()
        } else if volatile {
            shape(got) == shape(&want)
        } else if scenario.unordered.contains(&i) {
            replay::sorted_lines(got) == replay::sorted_lines(&want)
        } else {
            got == want
        };
        if !same {
            return Some(format!(
                "command #{i} {argv:?}\n  our formatter: {want:?}\n  redis-cli:     {got:?}"
            ));
        }
        rest = tail;
    }
    (!rest.is_empty()).then(|| format!("redis-cli printed more: {rest:?}"))
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A text with node ids and digit runs masked (timestamps, epochs, offsets).
fn shape(text: &str) -> String {
    let masked = replay::mask_node_ids(text);
    let mut out = String::with_capacity(masked.len());
    let mut in_digits = false;
    for c in masked.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cli::split_args;

    fn words(argv: &[&str]) -> Vec<String> {
        argv.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn quoted_lines_split_back_exactly() {
        for argv in [
            words(&["SET", "a b", ""]),
            words(&["SET", "q\"uote", "back\\slash"]),
            words(&["SET", "line\nbreak", "tab\there", "nul\u{0}x", "\u{7f}"]),
            words(&["SET", "用户:1", "é", "\\x41"]),
            words(&["GET", "'single'"]),
        ] {
            let line = quote_line(&argv);
            let split = split_args(line.as_bytes()).expect("balanced quotes");
            let back: Vec<String> = split
                .into_iter()
                .map(|a| String::from_utf8(a).expect("utf-8"))
                .collect();
            assert_eq!(back, argv, "line {line:?}");
        }
    }

    #[test]
    fn repeat_prefixes_like_strtol() {
        for word in ["", "3", " 3", "+3", "-1", "007"] {
            assert!(is_repeat_prefix(word), "{word:?}");
        }
        for word in [" ", "+", "3x", "x3", "SET", "1.5"] {
            assert!(!is_repeat_prefix(word), "{word:?}");
        }
    }

    fn scenario(commands: &[&[&str]]) -> Scenario {
        let commands: Vec<Vec<String>> = commands.iter().map(|c| words(c)).collect();
        replay::parse_scenarios(
            &serde_json::json!({"name": "t", "commands": commands, "volatile": [2]}).to_string(),
        )
        .expect("scenario")
        .remove(0)
    }

    #[test]
    fn compares_per_command() {
        let sc = scenario(&[&["GET", "a"], &["CLUSTER", "NODES"], &["SPOP", "s"]]);
        let result = ScenarioResult {
            name: "t".into(),
            replies: vec![],
            replies_cli: vec![
                "\"x\"\n".into(),
                "id1 127.0.0.1:7000@17000 myself,master - 0 1700000000000 1 connected\n".into(),
                "\"m1\"\n".into(),
            ],
            redirects: None,
            served_by: None,
        };
        let ok =
            "\"x\"\nid1 127.0.0.1:7000@17000 myself,master - 0 1700000009999 1 connected\n\"m2\"\n";
        assert_eq!(compare_output(&sc, &result, ok), None);
        let bad = "x\nid1 127.0.0.1:7000@17000 myself,master - 0 1 1 connected\n\"m2\"\n";
        assert!(compare_output(&sc, &result, bad).is_some());
        let more = format!("{ok}extra\n");
        assert!(compare_output(&sc, &result, &more).is_some());
    }
}
