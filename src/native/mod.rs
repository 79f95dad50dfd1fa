//! The native `slotlab` command line:
//!
//! ```text
//! slotlab [-c] [-p PORT]                                   a redis-cli-like REPL on the embedded cluster
//! slotlab replay [--real HOST:PORT] [--check GOLDEN] FILE  replay scenarios, print one JSON result per line
//! ```

pub mod real;

use std::io::{BufRead, IsTerminal, Write};

use crate::engine::cli::{CliSession, EngineTransport, LineResult};
use crate::engine::Cluster;
use crate::replay::{self, Backend, EngineBackend};

const USAGE: &str = "\
slotlab — a Redis Cluster playground (3 masters 7000-7002, replicas 7003-7005)

Usage:
  slotlab [-c] [-p PORT]
      A redis-cli-like REPL on the embedded cluster. -c follows MOVED/ASK
      like `redis-cli -c`; -p picks the node to connect to (default 7000).
  slotlab replay [--real HOST:PORT] [--check GOLDEN.jsonl] FILE.jsonl
      Replays the scenarios in FILE (see docs/SCENARIOS.md) on the embedded
      cluster, or on a real cluster with --real, and prints one JSON result
      per scenario. With --check, compares the results with GOLDEN instead
      (node ids masked, volatile replies skipped) and exits 1 on any difference.
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
    let mut cluster = Cluster::default();
    if cluster.topology.by_port(port).is_none() {
        eprintln!("Could not connect to Redis at 127.0.0.1:{port}: Connection refused");
        return 1;
    }
    let interactive = std::io::stdin().is_terminal();
    let mut session = CliSession::new(port, follow);
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    let mut lines = stdin.lock().lines();
    loop {
        if interactive {
            print!("{}", session.prompt());
            let _ = stdout.flush();
        }
        let Some(Ok(line)) = lines.next() else { break };
        let trimmed = line.trim();
        if trimmed.eq_ignore_ascii_case("quit") || trimmed.eq_ignore_ascii_case("exit") {
            break;
        }
        let mut transport = EngineTransport::new(&mut cluster, wall_clock_ms());
        match session.run_line(&mut transport, &line) {
            LineResult::Empty => {}
            LineResult::Message(message) => println!("{message}"),
            LineResult::Exchanges(exchanges) => {
                for exchange in exchanges {
                    // redis-cli prints redirect lines only when interactive.
                    let text = if interactive {
                        exchange.printed()
                    } else {
                        exchange.reply_text()
                    };
                    print!("{text}");
                }
            }
        }
        let _ = stdout.flush();
    }
    0
}

fn replay_command(args: &[String]) -> Result<i32, String> {
    let (mut real, mut check, mut file) = (None, None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--real" => real = Some(it.next().ok_or("--real needs HOST:PORT")?.clone()),
            "--check" => check = Some(it.next().ok_or("--check needs a golden file")?.clone()),
            other if file.is_none() && !other.starts_with("--") => file = Some(other.to_string()),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let file = file.ok_or("missing FILE.jsonl")?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
    let scenarios = replay::parse_scenarios(&text).map_err(|e| format!("{file}: {e}"))?;
    let results = match real {
        Some(addr) => {
            let host = addr.rsplit_once(':').map_or(addr.as_str(), |(h, _)| h);
            run(&mut real::RealCluster::new(host), &scenarios)?
        }
        None => run(&mut EngineBackend::new(wall_clock_ms), &scenarios)?,
    };
    match check {
        None => {
            let mut out = std::io::stdout().lock();
            for result in &results {
                let line = serde_json::to_string(result).map_err(|e| e.to_string())?;
                writeln!(out, "{line}").map_err(|e| e.to_string())?;
            }
            Ok(0)
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
            Ok(if diffs.is_empty() { 0 } else { 1 })
        }
    }
}

fn run<B: Backend>(
    backend: &mut B,
    scenarios: &[replay::Scenario],
) -> Result<Vec<replay::ScenarioResult>, String> {
    replay::run_all(backend, scenarios)
}
