//! The app state and its reducer: the simulated cluster, the redis-cli
//! session talking to it, the transcript, the line being edited and the
//! command history.
//!
//! This module is pure: no web-sys, js-sys or gloo. Time arrives inside
//! actions (`now_ms`), so every transition can be replayed and tested
//! without a browser. Whenever an action changes anything the reducer
//! returns a new `Rc` (Yew 0.23 skips the re-render when it gets the same
//! pointer back); the expensive part, [`World`], is shared between states and
//! only cloned when a command line actually runs.

use std::rc::Rc;

use yew::Reducible;

use crate::engine::cli::{CliSession, EngineTransport, LineResult};
use crate::engine::cluster::{Cluster, ConnId};
use crate::engine::event::Event;
use crate::engine::topology::HOST;

/// The port the first session connects to.
pub const DEFAULT_PORT: u16 = 7000;
/// Transcript entries kept (older ones scroll away, like a terminal's buffer).
pub const MAX_TRANSCRIPT: usize = 500;
/// Lines kept in the ↑/↓ history.
pub const MAX_HISTORY: usize = 500;

/// The cluster and the redis-cli session connected to it. Cloned as a whole
/// when a line runs, so that the session's connection id stays valid.
#[derive(Debug, Clone)]
pub struct World {
    pub cluster: Cluster,
    pub session: CliSession<ConnId>,
}

impl World {
    /// A fresh cluster and a session on `port`.
    pub fn new(port: u16, follow_redirects: bool) -> World {
        World {
            cluster: Cluster::default(),
            session: CliSession::new(port, follow_redirects),
        }
    }

    /// The node index of the session's node, if the port exists.
    pub fn session_node(&self) -> Option<usize> {
        self.cluster.topology.by_port(self.session.port)
    }
}

/// How a piece of console output is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// A `-> Redirected to slot [S] located at H:P` line.
    Redirect,
    /// A reply that is not an error.
    Reply,
    /// A reply that is an error (`(error) ...`).
    Error,
    /// Something redis-cli prints itself (`Invalid argument(s)`).
    Message,
}

/// One block of console output, exactly as redis-cli prints it (without the
/// final newline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub kind: OutputKind,
    pub text: String,
}

/// What a transcript entry shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A typed line: the prompt it was typed at, the line, what was printed.
    Command {
        prompt: String,
        line: String,
        output: Vec<Output>,
    },
    /// A note from the playground itself (not redis-cli output).
    Note(String),
}

/// One transcript entry; `id` is a stable key for rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: u64,
    pub kind: EntryKind,
}

/// Everything that can happen to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The input line changed.
    Edit(String),
    /// Run the current input line at time `now_ms` (Enter).
    Submit { now_ms: u64 },
    /// Show the previous history line (↑).
    HistoryPrev,
    /// Show the next history line, or the draft (↓).
    HistoryNext,
    /// Clear the screen (Ctrl+L or `clear`); history and data stay.
    Clear,
    /// Start a new session on the same node with or without `-c`.
    SetFollowRedirects(bool),
    /// Start a new session on another node (like restarting redis-cli with `-p`).
    Connect(u16),
}

/// The whole app state.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The cluster and the session; shared until a line runs.
    pub world: Rc<World>,
    /// The console's scrollback.
    pub transcript: Rc<Vec<Rc<Entry>>>,
    /// Lines entered, oldest first.
    pub history: Rc<Vec<String>>,
    /// The line being edited.
    pub input: String,
    /// While browsing history: the index shown.
    pub history_pos: Option<usize>,
    /// The line that was being edited when history browsing started.
    pub draft: String,
    /// The engine events of the last line that sent something (for the
    /// route trace); `None` until a line has been sent.
    pub last_events: Option<Rc<Vec<Event>>>,
    next_id: u64,
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new(DEFAULT_PORT, true)
    }
}

impl AppState {
    /// A fresh cluster with a session on `port`, with a welcome note.
    pub fn new(port: u16, follow_redirects: bool) -> AppState {
        let mut state = AppState {
            world: Rc::new(World::new(port, follow_redirects)),
            transcript: Rc::new(Vec::new()),
            history: Rc::new(Vec::new()),
            input: String::new(),
            history_pos: None,
            draft: String::new(),
            last_events: None,
            next_id: 0,
        };
        state.push(EntryKind::Note(format!(
            "{} — a simulated 3-master Redis Cluster. Try: SET foo bar, GET foo, MSET a 1 b 2",
            command_line(port, follow_redirects)
        )));
        state
    }

    /// The prompt for the next line (`127.0.0.1:7000> `, `...(TX)> `).
    pub fn prompt(&self) -> String {
        self.world.session.prompt()
    }

    /// Whether the session follows redirects (`-c`).
    pub fn follow_redirects(&self) -> bool {
        self.world.session.follow_redirects
    }

    fn push(&mut self, kind: EntryKind) {
        let entry = Rc::new(Entry {
            id: self.next_id,
            kind,
        });
        self.next_id += 1;
        let transcript = Rc::make_mut(&mut self.transcript);
        transcript.push(entry);
        if transcript.len() > MAX_TRANSCRIPT {
            let extra = transcript.len() - MAX_TRANSCRIPT;
            transcript.drain(..extra);
        }
    }

    fn remember(&mut self, line: &str) {
        // linenoise: no empty lines, no repeat of the last line.
        if line.trim().is_empty() || self.history.last().map(String::as_str) == Some(line) {
            return;
        }
        let history = Rc::make_mut(&mut self.history);
        history.push(line.to_string());
        if history.len() > MAX_HISTORY {
            let extra = history.len() - MAX_HISTORY;
            history.drain(..extra);
        }
    }

    fn submit(&mut self, now_ms: u64) {
        let line = std::mem::take(&mut self.input);
        self.history_pos = None;
        self.draft.clear();
        self.remember(&line);
        if is_clear(&line) {
            self.transcript = Rc::new(Vec::new());
            return;
        }
        let prompt = self.prompt();
        let mut world = (*self.world).clone();
        let (result, events) = {
            let World { cluster, session } = &mut world;
            let mut transport = EngineTransport::new(cluster, now_ms);
            let result = session.run_line(&mut transport, &line);
            (result, transport.events)
        };
        self.world = Rc::new(world);
        // A line that sent nothing (blank, Invalid argument(s)) keeps the
        // trace of the last request that did.
        if matches!(result, LineResult::Exchanges(_)) {
            self.last_events = Some(Rc::new(events));
        }
        self.push(EntryKind::Command {
            prompt,
            line,
            output: render_result(result),
        });
    }

    fn restart(&mut self, port: u16, follow_redirects: bool) {
        let mut world = (*self.world).clone();
        {
            let World { cluster, session } = &mut world;
            let mut transport = EngineTransport::new(cluster, 0);
            session.close(&mut transport);
        }
        world.session = CliSession::new(port, follow_redirects);
        self.world = Rc::new(world);
        self.last_events = None;
        self.push(EntryKind::Note(format!(
            "new session: {} (the old connection is closed)",
            command_line(port, follow_redirects)
        )));
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(text) => {
                if text == self.input {
                    return self;
                }
                next.input = text;
                next.history_pos = None;
            }
            Action::Submit { now_ms } => next.submit(now_ms),
            Action::HistoryPrev => {
                let pos = match self.history_pos {
                    None if self.history.is_empty() => return self,
                    None => {
                        next.draft = self.input.clone();
                        self.history.len() - 1
                    }
                    Some(0) => return self,
                    Some(pos) => pos - 1,
                };
                next.history_pos = Some(pos);
                next.input = self.history.get(pos).cloned().unwrap_or_default();
            }
            Action::HistoryNext => match self.history_pos {
                None => return self,
                Some(pos) if pos + 1 < self.history.len() => {
                    next.history_pos = Some(pos + 1);
                    next.input = self.history.get(pos + 1).cloned().unwrap_or_default();
                }
                Some(_) => {
                    next.history_pos = None;
                    next.input = std::mem::take(&mut next.draft);
                }
            },
            Action::Clear => {
                if self.transcript.is_empty() {
                    return self;
                }
                next.transcript = Rc::new(Vec::new());
            }
            Action::SetFollowRedirects(follow) => {
                let port = self.world.session.port;
                next.restart(port, follow);
            }
            Action::Connect(port) => {
                if self.world.cluster.topology.by_port(port).is_none() {
                    return self;
                }
                let follow = self.follow_redirects();
                next.restart(port, follow);
            }
        }
        Rc::new(next)
    }
}

/// `redis-cli -c -p 7000`: how the session would be started in a shell.
pub fn command_line(port: u16, follow_redirects: bool) -> String {
    let c = if follow_redirects { " -c" } else { "" };
    format!("redis-cli{c} -h {HOST} -p {port}")
}

/// redis-cli's own `clear` command (it clears the screen, sends nothing).
fn is_clear(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    matches!(words.as_slice(), [word] if word.eq_ignore_ascii_case("clear"))
}

/// Splits what redis-cli prints for a line into drawable blocks: each
/// exchange's redirect lines, then its reply.
pub fn render_result(result: LineResult) -> Vec<Output> {
    match result {
        LineResult::Empty => Vec::new(),
        LineResult::Message(text) => vec![Output {
            kind: OutputKind::Message,
            text,
        }],
        LineResult::Exchanges(exchanges) => {
            let mut out = Vec::new();
            for exchange in exchanges {
                let printed = exchange.printed();
                let mut rest = printed.as_str();
                for _ in 0..exchange.redirects.len() {
                    let Some((line, tail)) = rest.split_once('\n') else {
                        break;
                    };
                    if !line.starts_with("-> Redirected") {
                        break;
                    }
                    out.push(Output {
                        kind: OutputKind::Redirect,
                        text: line.to_string(),
                    });
                    rest = tail;
                }
                let kind = if exchange.reply.is_error() {
                    OutputKind::Error
                } else {
                    OutputKind::Reply
                };
                out.push(Output {
                    kind,
                    text: rest.strip_suffix('\n').unwrap_or(rest).to_string(),
                });
            }
            out
        }
    }
}
