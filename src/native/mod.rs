//! The native `slotlab` command line:
//!
//! ```text
//! slotlab [-c] [-p PORT]                                   a redis-cli-like REPL on the embedded cluster
//! slotlab replay [--real HOST:PORT [--cli-check]] [--check GOLDEN] [--out RESULTS] FILE
//!                                                          replay scenarios, print one JSON result per line
//! ```

pub mod cli_check;
pub mod clients;
pub mod real;

use std::io::{BufRead, IsTerminal, Write};

use crate::replay::{self, Backend, EngineBackend};
use clients::Clients;

const USAGE: &str = "\
slotlab — a Redis Cluster playground (3 masters 7000-7002, replicas 7003-7005)

Usage:
  slotlab [-c] [-p PORT]
      A redis-cli-like REPL on the embedded cluster. -c follows MOVED/ASK
      like `redis-cli -c`; -p picks the node to connect to (default 7000).
      Lines starting with ':' are slotlab's own directives, for playing
      several clients at once (WATCH races):
        :client NAME [PORT]   switch to (or open) client NAME
        :clients              list the clients
        :help                 list the directives
  slotlab replay [--real HOST:PORT [--cli-check]] [--check GOLDEN.jsonl] [--out RESULTS.jsonl] FILE.jsonl
      Replays the scenarios in FILE (see docs/SCENARIOS.md) on the embedded
      cluster, or on a real cluster with --real, and prints one JSON result
      per scenario. With --check, compares the results with GOLDEN instead
      (node ids masked, volatile replies skipped) and exits 1 on any difference.
      With --cli-check (needs --real), also feeds each single-connection
      scenario to a real `redis-cli --no-raw [-c]` ($REDIS_CLI, default
      redis-cli) and compares its output with our redis-cli formatting;
      mismatches go to stderr and add 4 to the exit code (1 = differences
      from GOLDEN, 4 = redis-cli mismatches, 5 = both, 2 = error). --out writes the
      results to a file instead of stdout (also together with --check).
";

/// Entry point; returns the process exit code.
pub fn main(args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("replay") => match replay_command(&args[1..]) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("slotlab replay: {message}");
                2
            }
        },
        Some("-h") | Some("--help") | Some("help") => {
            print!("{USAGE}");
            0
        }
        _ => match parse_repl_args(args) {
            Ok((follow, port)) => repl(follow, port),
            Err(message) => {
                eprintln!("slotlab: {message}\n\n{USAGE}");
                2
            }
        },
    }
}

fn parse_repl_args(args: &[String]) -> Result<(bool, u16), String> {
    let (mut follow, mut port) = (false, 7000u16);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-c" => follow = true,
            "-p" => {
                let value = it.next().ok_or("-p needs a port")?;
                port = value.parse().map_err(|_| format!("bad port {value:?}"))?;
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok((follow, port))
}

/// Milliseconds since the Unix epoch (the only clock the CLI reads).
pub fn wall_clock_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn repl(follow: bool, port: u16) -> i32 {
    let mut clients = Clients::new(port, follow);
    if clients.cluster.topology.by_port(port).is_none() {
        eprintln!("Could not connect to Redis at 127.0.0.1:{port}: Connection refused");
        return 1;
    }
    let interactive = std::io::stdin().is_terminal();
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    let mut lines = stdin.lock().lines();
    loop {
        if interactive {
            print!("{}", clients.prompt());
            let _ = stdout.flush();
        }
        let Some(Ok(line)) = lines.next() else { break };
        let trimmed = line.trim();
        if trimmed.eq_ignore_ascii_case("quit") || trimmed.eq_ignore_ascii_case("exit") {
            break;
        }
        print!("{}", clients.run_line(&line, wall_clock_ms()));
        let _ = stdout.flush();
    }
    0
}

fn replay_command(args: &[String]) -> Result<i32, String> {
    let (mut real, mut check, mut file) = (None, None, None);
    let mut cli_check = false;
    let mut out = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--real" => real = Some(it.next().ok_or("--real needs HOST:PORT")?.clone()),
            "--cli-check" => cli_check = true,
            "--out" => out = Some(it.next().ok_or("--out needs a file")?.clone()),
            "--check" => check = Some(it.next().ok_or("--check needs a golden file")?.clone()),
            other if file.is_none() && !other.starts_with("--") => file = Some(other.to_string()),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let file = file.ok_or("missing FILE.jsonl")?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
    let scenarios = replay::parse_scenarios(&text).map_err(|e| format!("{file}: {e}"))?;
    let mut cli_failed = false;
    let results = match real {
        Some(addr) => {
            let (host, base) = addr.rsplit_once(':').unwrap_or((addr.as_str(), "7000"));
            let base: u16 = base.parse().map_err(|_| format!("bad port in {addr:?}"))?;
            let mut cluster = real::RealCluster::with_base_port(host, base);
            let results = run(&mut cluster, &scenarios)?;
            if cli_check {
                let report = cli_check::check(&mut cluster, host, &scenarios, &results)?;
                for mismatch in &report.mismatches {
                    eprintln!("cli-check: {mismatch}");
                }
                eprintln!(
                    "{file}: redis-cli cross-check: {} scenarios match, {} differ, {} skipped ({})",
                    report.checked,
                    report.mismatches.len(),
                    report.skipped.len(),
                    report.skipped.join("; ")
                );
                cli_failed = !report.mismatches.is_empty();
            }
            results
        }
        None if cli_check => return Err("--cli-check needs --real".into()),
        None => run(&mut EngineBackend::new(wall_clock_ms), &scenarios)?,
    };
    if let Some(path) = &out {
        std::fs::write(path, results_jsonl(&results)?).map_err(|e| format!("{path}: {e}"))?;
    }
    let code = match check {
        None if out.is_some() => 0,
        None => {
            std::io::stdout()
                .lock()
                .write_all(results_jsonl(&results)?.as_bytes())
                .map_err(|e| e.to_string())?;
            0
        }
        Some(golden) => {
            let text = std::fs::read_to_string(&golden).map_err(|e| format!("{golden}: {e}"))?;
            let expected = replay::parse_results(&text).map_err(|e| format!("{golden}: {e}"))?;
            let diffs = replay::compare_all(&scenarios, &expected, &results);
            for diff in &diffs {
                println!("{diff}");
            }
            println!(
                "{file}: {} scenarios, {} differences",
                scenarios.len(),
                diffs.len()
            );
            i32::from(!diffs.is_empty())
        }
    };
    Ok(code | if cli_failed { 4 } else { 0 })
}

/// Results as JSONL, one line per scenario.
fn results_jsonl(results: &[replay::ScenarioResult]) -> Result<String, String> {
    let mut text = String::new();
    for result in results {
        text.push_str(&serde_json::to_string(result).map_err(|e| e.to_string())?);
        text.push('\n');
    }
    Ok(text)
}

fn run<B: Backend>(
    backend: &mut B,
    scenarios: &[replay::Scenario],
) -> Result<Vec<replay::ScenarioResult>, String> {
    replay::run_all(backend, scenarios)
}
