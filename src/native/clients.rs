//! Several redis-cli sessions in one REPL, so WATCH races and other
//! multi-client lessons can be played on the CLI.
//!
//! redis-cli itself has one connection; slotlab adds REPL directives that
//! start with `:` (no Redis command does):
//!
//! ```text
//! :client NAME [PORT]   switch to client NAME (opened on PORT, default: the current node)
//! :clients              list the clients, their nodes and whether they are in MULTI
//! :help                 this list
//! ```
//!
//! Client `A` exists from the start. While it is the only client the prompt
//! is exactly redis-cli's; once there are several, it starts with `[NAME] `.

use std::collections::BTreeMap;

use crate::engine::cli::{CliSession, EngineTransport, LineResult};
use crate::engine::{Cluster, ConnId};

/// The REPL's clients over one embedded cluster.
pub struct Clients {
    pub cluster: Cluster,
    sessions: BTreeMap<String, CliSession<ConnId>>,
    current: String,
    follow_redirects: bool,
}

/// Help for the `:` directives.
pub const DIRECTIVES_HELP: &str = "\
:client NAME [PORT]   switch to client NAME (a new connection, opened on PORT or the current node)
:clients              list the clients
:help                 this help";

impl Clients {
    /// One client `A` on `port`.
    pub fn new(port: u16, follow_redirects: bool) -> Self {
        let mut sessions = BTreeMap::new();
        sessions.insert("A".to_string(), CliSession::new(port, follow_redirects));
        Clients {
            cluster: Cluster::default(),
            sessions,
            current: "A".into(),
            follow_redirects,
        }
    }

    fn session(&self) -> Option<&CliSession<ConnId>> {
        self.sessions.get(&self.current)
    }

    /// The prompt to show.
    pub fn prompt(&self) -> String {
        let prompt = self.session().map(CliSession::prompt).unwrap_or_default();
        if self.sessions.len() > 1 {
            format!("[{}] {prompt}", self.current)
        } else {
            prompt
        }
    }

    /// Runs one typed line at time `now_ms`; returns what to print.
    pub fn run_line(&mut self, line: &str, now_ms: u64) -> String {
        if let Some(directive) = line.trim_start().strip_prefix(':') {
            return self.directive(directive);
        }
        let Some(session) = self.sessions.get_mut(&self.current) else {
            return String::new();
        };
        let mut transport = EngineTransport::new(&mut self.cluster, now_ms);
        match session.run_line(&mut transport, line) {
            LineResult::Empty => String::new(),
            LineResult::Message(message) => format!("{message}\n"),
            // redis-cli's REPL prints `-> Redirected ...` lines whether stdin
            // is a terminal or a pipe (checked against 7.0.15:
            // `printf 'get foo\n' | redis-cli -c -p 7000`); only one-shot
            // argv mode (`redis-cli -c GET foo`) is silent.
            LineResult::Exchanges(exchanges) => exchanges
                .iter()
                .map(|e| match e.simplification() {
                    Some(note) => format!("{}{note}\n", e.printed()),
                    None => e.printed(),
                })
                .collect(),
        }
    }

    fn directive(&mut self, text: &str) -> String {
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            ["client", name] | ["client", name, _] => {
                let port = match words.get(2) {
                    Some(p) => match p.parse::<u16>() {
                        Ok(port) if self.cluster.topology.by_port(port).is_some() => port,
                        _ => return format!("No node listens on port {p} (nodes: 7000-7005)\n"),
                    },
                    None => self.session().map_or(7000, |s| s.port),
                };
                let follow = self.follow_redirects;
                self.sessions
                    .entry(name.to_string())
                    .or_insert_with(|| CliSession::new(port, follow));
                self.current = name.to_string();
                String::new()
            }
            ["clients"] => self
                .sessions
                .iter()
                .map(|(name, s)| {
                    let mark = if *name == self.current { "*" } else { " " };
                    let tx = if s.in_multi { " (in MULTI)" } else { "" };
                    format!("{mark} {name}: 127.0.0.1:{}{tx}\n", s.port)
                })
                .collect(),
            ["help"] => format!("{DIRECTIVES_HELP}\n"),
            _ => format!("Unknown directive ':{text}'. Directives:\n{DIRECTIVES_HELP}\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The WATCH race of `tests/scenarios/transactions.jsonl`
    /// (`tx_watch_modified_by_other_conn`) played with two REPL clients.
    #[test]
    fn two_clients_play_a_watch_race() {
        let mut repl = Clients::new(7000, false);
        assert_eq!(repl.prompt(), "127.0.0.1:7000> ");
        assert_eq!(repl.run_line("SET bar 1", 0), "OK\n");
        assert_eq!(repl.run_line("WATCH bar", 0), "OK\n");
        assert_eq!(repl.run_line(":client B", 0), "");
        assert_eq!(repl.prompt(), "[B] 127.0.0.1:7000> ");
        assert_eq!(repl.run_line("SET bar 2", 0), "OK\n");
        repl.run_line(":client A", 0);
        assert_eq!(repl.run_line("MULTI", 0), "OK\n");
        assert_eq!(repl.prompt(), "[A] 127.0.0.1:7000(TX)> ");
        assert_eq!(repl.run_line("INCR bar", 0), "QUEUED\n");
        assert_eq!(repl.run_line("EXEC", 0), "(nil)\n");
        assert_eq!(repl.run_line("GET bar", 0), "\"2\"\n");
        assert!(repl
            .run_line(":clients", 0)
            .contains("* A: 127.0.0.1:7000\n"));
        assert!(repl
            .run_line(":client C 9999", 0)
            .starts_with("No node listens"));
        assert!(repl.run_line(":nope", 0).starts_with("Unknown directive"));
        assert_eq!(
            repl.run_line("HSETNX h f v", 0),
            "(error) ERR unknown command 'HSETNX', with args beginning with: 'h' 'f' 'v' \n\
             (slotlab) HSETNX is a real Redis 7.0 command that this playground does not implement yet; a real server would run it.\n"
        );
    }
}
