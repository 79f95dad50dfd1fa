//! redis-cli's behaviour as a client: how it splits a typed line
//! (`sdssplitargs`), its repeat prefix (`3 INCR x`), its prompt (with
//! `(TX)` inside MULTI), and `-c` mode: on MOVED or ASK it prints
//! `-> Redirected to slot [S] located at H:P`, reconnects to that node
//! (dropping the old connection and with it any MULTI), sends ASKING for
//! ASK, re-sends the command and stays on the new node.
//!
//! The session is generic over a [`Transport`], so the same code drives the
//! embedded engine (CLI and browser) and a real cluster (`replay --real`).

use crate::engine::cluster::{Cluster, ConnId};
use crate::engine::event::Event;
use crate::engine::reply::Reply;
use crate::engine::topology::HOST;

/// How a client reaches nodes: the embedded engine or real sockets.
pub trait Transport {
    /// An open connection.
    type Conn;
    /// Opens a connection to the node on `port`.
    fn connect(&mut self, port: u16) -> Result<Self::Conn, String>;
    /// Sends one command and reads its reply.
    fn send(&mut self, conn: &mut Self::Conn, argv: &[Vec<u8>]) -> Result<Reply, String>;
    /// Closes a connection.
    fn disconnect(&mut self, conn: Self::Conn);
}

/// The embedded engine as a transport, at a fixed time, collecting events.
pub struct EngineTransport<'a> {
    pub cluster: &'a mut Cluster,
    pub now_ms: u64,
    pub events: Vec<Event>,
}

impl<'a> EngineTransport<'a> {
    /// Wraps `cluster` at time `now_ms`.
    pub fn new(cluster: &'a mut Cluster, now_ms: u64) -> Self {
        EngineTransport {
            cluster,
            now_ms,
            events: Vec::new(),
        }
    }
}

impl Transport for EngineTransport<'_> {
    type Conn = ConnId;

    fn connect(&mut self, port: u16) -> Result<ConnId, String> {
        self.cluster.connect(port).map_err(|e| e.to_string())
    }

    fn send(&mut self, conn: &mut ConnId, argv: &[Vec<u8>]) -> Result<Reply, String> {
        let outcome = self
            .cluster
            .send(*conn, argv, self.now_ms)
            .map_err(|e| e.to_string())?;
        self.events.extend(outcome.events);
        Ok(outcome.reply)
    }

    fn disconnect(&mut self, conn: ConnId) {
        self.cluster.disconnect(conn);
    }
}

/// The most redirects followed for one command (redis-cli has no limit;
/// a bound keeps a misconfigured cluster from looping forever).
pub const MAX_REDIRECTS: usize = 16;

/// One command's round trip as redis-cli performs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The command sent.
    pub argv: Vec<Vec<u8>>,
    /// MOVED/ASK error texts that were followed, in order.
    pub redirects: Vec<String>,
    /// The final reply.
    pub reply: Reply,
    /// Port of the node that produced the final reply.
    pub served_by: u16,
}

impl Exchange {
    /// What `redis-cli --no-raw` prints for the final reply.
    pub fn reply_text(&self) -> String {
        self.reply.to_cli(&self.argv)
    }

    /// A note for the learner when this reply is NOT what a real server
    /// would give (see [`simplification_note`]).
    pub fn simplification(&self) -> Option<String> {
        simplification_note(&self.argv, &self.reply)
    }

    /// What interactive redis-cli prints: one `-> Redirected ...` line per
    /// redirect, then the reply.
    pub fn printed(&self) -> String {
        let mut out = String::new();
        for redirect in &self.redirects {
            if let Some((slot, host, port)) = parse_redirect(redirect) {
                out.push_str(&format!(
                    "-> Redirected to slot [{slot}] located at {host}:{port}\n"
                ));
            }
        }
        out.push_str(&self.reply_text());
        out
    }
}

/// A note for the learner when `reply` to `argv` is the playground's, not
/// what a real server would say: the command exists in Redis 7.0 but
/// slotlab does not implement it, so the unknown-command error is ours.
pub fn simplification_note(argv: &[Vec<u8>], reply: &Reply) -> Option<String> {
    if !reply.is_error() {
        return None;
    }
    let name = crate::engine::command::unimplemented_redis_command(argv)?;
    Some(format!(
        "(slotlab) {} is a real Redis 7.0 command that this playground does not implement yet; a real server would run it.",
        name.replace('|', " ").to_ascii_uppercase()
    ))
}

/// Parses `MOVED 12182 127.0.0.1:7002` / `ASK ...` into (slot, host, port).
/// An empty host (`MOVED 3999 :6381`) comes back as [`HOST`], the host redis-cli keeps.
pub fn parse_redirect(error: &str) -> Option<(u16, String, u16)> {
    let rest = error
        .strip_prefix("MOVED ")
        .or_else(|| error.strip_prefix("ASK "))?;
    let (slot, addr) = rest.split_once(' ')?;
    let (host, port) = addr.rsplit_once(':')?;
    let host = if host.is_empty() { HOST } else { host };
    Some((slot.parse().ok()?, host.to_string(), port.parse().ok()?))
}

/// A redis-cli session: the node it talks to and its `-c` and MULTI state.
#[derive(Debug, Clone)]
pub struct CliSession<C> {
    /// Port of the node the session is connected to.
    pub port: u16,
    /// `-c`: follow MOVED/ASK.
    pub follow_redirects: bool,
    /// redis-cli's own MULTI tracking (drives the `(TX)` prompt).
    pub in_multi: bool,
    /// The last connection attempt or command failed at the transport level
    /// (node stopped): redis-cli then prompts `not connected> ` and
    /// reconnects on the next command.
    pub lost: bool,
    conn: Option<C>,
}

/// What one typed line produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineResult {
    /// Nothing to send (blank line).
    Empty,
    /// A message redis-cli prints itself (`Invalid argument(s)` ...).
    Message(String),
    /// One exchange per repetition.
    Exchanges(Vec<Exchange>),
}

impl<C> CliSession<C> {
    /// A session that will connect to `port` on first use.
    pub fn new(port: u16, follow_redirects: bool) -> Self {
        CliSession {
            port,
            follow_redirects,
            in_multi: false,
            lost: false,
            conn: None,
        }
    }

    /// The prompt redis-cli shows: `127.0.0.1:7000> `, `127.0.0.1:7000(TX)> `.
    pub fn prompt(&self) -> String {
        if self.lost {
            return "not connected> ".into();
        }
        let tx = if self.in_multi { "(TX)" } else { "" };
        format!("{HOST}:{}{tx}> ", self.port)
    }

    /// Connects now, as redis-cli does when it starts: a node that is down
    /// leaves the session `not connected> ` with redis-cli's message; a
    /// node that stops later closes this connection, and the next command
    /// then says "Error: Server closed the connection" first.
    pub fn open<T: Transport<Conn = C>>(&mut self, transport: &mut T) -> Result<(), String> {
        self.connection(transport).map(|_| ())
    }

    /// Switches to another node, dropping the current connection (and with
    /// it any MULTI state), as redis-cli's `cliConnect(CC_FORCE)` does.
    pub fn reconnect<T: Transport<Conn = C>>(&mut self, transport: &mut T, port: u16) {
        if let Some(conn) = self.conn.take() {
            transport.disconnect(conn);
        }
        self.port = port;
        self.in_multi = false;
    }

    /// The open connection, if any (the UI maps connection ids to clients).
    pub fn connection_id(&self) -> Option<&C> {
        self.conn.as_ref()
    }

    /// Closes the session's connection.
    pub fn close<T: Transport<Conn = C>>(&mut self, transport: &mut T) {
        if let Some(conn) = self.conn.take() {
            transport.disconnect(conn);
        }
    }

    fn connection<T: Transport<Conn = C>>(&mut self, transport: &mut T) -> Result<&mut C, String> {
        if self.conn.is_none() {
            match transport.connect(self.port) {
                Ok(conn) => {
                    self.conn = Some(conn);
                    self.lost = false;
                }
                Err(e) => {
                    self.lost = true;
                    self.in_multi = false;
                    return Err(e);
                }
            }
        }
        self.conn
            .as_mut()
            .ok_or_else(|| "not connected".to_string())
    }

    /// Sends one command the way redis-cli does (following redirects in `-c` mode).
    pub fn send<T: Transport<Conn = C>>(
        &mut self,
        transport: &mut T,
        argv: &[Vec<u8>],
    ) -> Result<Exchange, String> {
        let mut redirects = Vec::new();
        let mut asking = false;
        let reply = loop {
            let conn = self.connection(transport)?;
            let sent = if asking {
                transport
                    .send(conn, &[b"ASKING".to_vec()])
                    .and_then(|_| transport.send(conn, argv))
            } else {
                transport.send(conn, argv)
            };
            let reply = match sent {
                Ok(reply) => reply,
                Err(e) => {
                    // The server went away: drop the connection (and any
                    // MULTI), redis-cli reconnects on the next command.
                    self.close(transport);
                    self.lost = true;
                    self.in_multi = false;
                    return Err(e);
                }
            };
            let redirect = match (&reply, self.follow_redirects) {
                (Reply::Error(text), true) if redirects.len() < MAX_REDIRECTS => {
                    parse_redirect(text).map(|(_, _, port)| (text.clone(), port))
                }
                _ => None,
            };
            let Some((text, port)) = redirect else {
                break reply;
            };
            asking = text.starts_with("ASK ");
            redirects.push(text);
            self.reconnect(transport, port);
        };
        self.track_multi(argv, &reply);
        Ok(Exchange {
            argv: argv.to_vec(),
            redirects,
            reply,
            served_by: self.port,
        })
    }

    /// redis-cli's `in_multi` bookkeeping after a reply.
    fn track_multi(&mut self, argv: &[Vec<u8>], reply: &Reply) {
        if argv.len() != 1 {
            return;
        }
        let word = argv[0].to_ascii_lowercase();
        match word.as_slice() {
            b"multi" if !reply.is_error() => self.in_multi = true,
            b"exec" => self.in_multi = false,
            b"discard" if !reply.is_error() => self.in_multi = false,
            _ => {}
        }
    }

    /// Handles one typed line: splitting, the repeat prefix, then sending.
    pub fn run_line<T: Transport<Conn = C>>(
        &mut self,
        transport: &mut T,
        line: &str,
    ) -> LineResult {
        let (repeat, argv) = match parse_line(line) {
            ParsedLine::Empty => return LineResult::Empty,
            ParsedLine::Message(text) => return LineResult::Message(text),
            ParsedLine::Command { repeat, argv } => (repeat, argv),
        };
        let mut exchanges = Vec::new();
        for _ in 0..repeat {
            match self.send(transport, &argv) {
                Ok(exchange) => {
                    // A script stopped by its budget ends the repetitions:
                    // each would spend the whole budget again.
                    let stopped = exchange
                        .reply
                        .error_text()
                        .is_some_and(|e| e.starts_with("ERR slotlab stopped the script"));
                    exchanges.push(exchange);
                    if stopped {
                        break;
                    }
                }
                Err(message) => return LineResult::Message(message),
            }
        }
        LineResult::Exchanges(exchanges)
    }
}

/// A typed line after redis-cli's splitting and repeat prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParsedLine {
    /// Nothing to send (blank line).
    Empty,
    /// What redis-cli prints instead of sending (`Invalid argument(s)` ...).
    Message(String),
    /// Send `argv` `repeat` times (already capped by [`max_repeat`]).
    Command { repeat: u64, argv: Vec<Vec<u8>> },
}

/// Splits a typed line like redis-cli and takes off its repeat prefix
/// (`3 INCR x`), so every kind of client reads lines the same way.
pub fn parse_line(line: &str) -> ParsedLine {
    let Some(mut argv) = split_args(line.as_bytes()) else {
        return ParsedLine::Message("Invalid argument(s)".into());
    };
    if argv.is_empty() {
        return ParsedLine::Empty;
    }
    let mut repeat = 1u64;
    if argv.len() > 1 {
        if let Some(n) = repeat_count(&argv[0]) {
            match n {
                Some(n) => {
                    repeat = n;
                    argv.remove(0);
                }
                None => {
                    return ParsedLine::Message(
                        "Invalid redis-cli repeat command option value.".into(),
                    )
                }
            }
        }
    }
    ParsedLine::Command {
        repeat: repeat.min(max_repeat(&argv)),
        argv,
    }
}

/// The commands that run a script or a function (lower case).
const SCRIPT_COMMANDS: [&str; 6] = [
    "eval",
    "evalsha",
    "eval_ro",
    "evalsha_ro",
    "fcall",
    "fcall_ro",
];

/// True when `argv` names one of [`SCRIPT_COMMANDS`] (in any case).
pub fn runs_script(argv: &[Vec<u8>]) -> bool {
    argv.first().is_some_and(|name| {
        SCRIPT_COMMANDS
            .iter()
            .any(|s| name.eq_ignore_ascii_case(s.as_bytes()))
    })
}

/// The most repetitions the playground runs for this command.
pub fn max_repeat(argv: &[Vec<u8>]) -> u64 {
    if runs_script(argv) {
        MAX_SCRIPT_REPEAT
    } else {
        MAX_REPEAT
    }
}

/// The most repetitions one line may ask for (`1000000 INCR x` would
/// freeze a browser tab; redis-cli itself has no bound).
pub const MAX_REPEAT: u64 = 10_000;

/// The most repetitions of a script (EVAL, FCALL ...): 10,000 short EVALs
/// took 4 s in Chromium, and each run may use its whole step budget.
pub const MAX_SCRIPT_REPEAT: u64 = 10;

/// What to tell the learner when a line's repeat prefix asked for more
/// than [`MAX_REPEAT`] runs (the playground ran only that many).
pub fn repeat_note(line: &str) -> Option<String> {
    let argv = split_args(line.as_bytes())?;
    if argv.len() < 2 {
        return None;
    }
    let asked = repeat_count(&argv[0])??;
    let cap = max_repeat(&argv[1..]);
    (asked > cap).then(|| {
        format!(
            "(slotlab) ran it {cap} times, not {asked}: the playground caps redis-cli's repeat count to keep the page responsive; a real redis-cli would send all {asked}."
        )
    })
}

/// redis-cli's repeat prefix, read like C's `strtol(word, &end, 10)`:
/// the word is a repeat count when the whole word was consumed (leading
/// white space and a sign allowed, as `strtol` allows; an empty word counts
/// and reads as 0). `Some(Some(n))` for a valid count, `Some(None)` for 0,
/// a negative or out-of-range count (redis-cli then refuses the line),
/// `None` when the word is not a number at all.
fn repeat_count(word: &[u8]) -> Option<Option<u64>> {
    let start = word.iter().take_while(|&&b| is_space(b)).count();
    let rest = &word[start..];
    let unsigned = rest
        .strip_prefix(b"-")
        .or_else(|| rest.strip_prefix(b"+"))
        .unwrap_or(rest);
    let digits = unsigned.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        // No conversion: `end` points at the word's start.
        return word.is_empty().then_some(None);
    }
    if digits != unsigned.len() {
        return None;
    }
    let text = std::str::from_utf8(rest).ok()?;
    match text.parse::<i64>() {
        Ok(n) if n > 0 => Some(Some(n as u64)),
        _ => Some(None),
    }
}

/// `sdssplitargs`: splits a line into arguments like redis-cli. Returns
/// `None` for unbalanced quotes or a closing quote followed by a non-space
/// (redis-cli then prints `Invalid argument(s)`). The line is a C string
/// there: a NUL byte ends it.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let line = &line[..line.iter().position(|&b| b == 0).unwrap_or(line.len())];
    let mut args = Vec::new();
    let mut i = 0;
    let n = line.len();
    loop {
        while i < n && is_space(line[i]) {
            i += 1;
        }
        if i >= n {
            return Some(args);
        }
        let mut current = Vec::new();
        let (mut in_double, mut in_single) = (false, false);
        loop {
            if in_double {
                if i >= n {
                    return None;
                }
                let c = line[i];
                if c == b'\\'
                    && i + 3 < n
                    && line[i + 1] == b'x'
                    && line[i + 2].is_ascii_hexdigit()
                    && line[i + 3].is_ascii_hexdigit()
                {
                    current.push(hex(line[i + 2]) * 16 + hex(line[i + 3]));
                    i += 3;
                } else if c == b'\\' && i + 1 < n {
                    i += 1;
                    current.push(match line[i] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'a' => 7,
                        other => other,
                    });
                } else if c == b'"' {
                    if i + 1 < n && !is_space(line[i + 1]) {
                        return None;
                    }
                    i += 1;
                    break;
                } else {
                    current.push(c);
                }
            } else if in_single {
                if i >= n {
                    return None;
                }
                let c = line[i];
                if c == b'\\' && i + 1 < n && line[i + 1] == b'\'' {
                    i += 1;
                    current.push(b'\'');
                } else if c == b'\'' {
                    if i + 1 < n && !is_space(line[i + 1]) {
                        return None;
                    }
                    i += 1;
                    break;
                } else {
                    current.push(c);
                }
            } else {
                if i >= n {
                    break;
                }
                match line[i] {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => break,
                    b'"' => in_double = true,
                    b'\'' => in_single = true,
                    c => current.push(c),
                }
            }
            i += 1;
        }
        args.push(current);
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn hex(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Option<Vec<String>> {
        split_args(s.as_bytes()).map(|v| {
            v.into_iter()
                .map(|a| String::from_utf8_lossy(&a).into_owned())
                .collect()
        })
    }

    #[test]
    fn splits_like_sdssplitargs() {
        assert_eq!(split("set foo bar").unwrap(), ["set", "foo", "bar"]);
        assert_eq!(
            split("  set  \"a b\"  'c d' ").unwrap(),
            ["set", "a b", "c d"]
        );
        assert_eq!(split("set k \"\\x41\\n\"").unwrap(), ["set", "k", "A\n"]);
        assert_eq!(split("set k 'it\\'s'").unwrap(), ["set", "k", "it's"]);
        assert_eq!(split("foo\"bar\"").unwrap(), ["foobar"]);
        assert_eq!(split("set k \"open"), None);
        assert_eq!(split("set k \"a\"b"), None);
        assert_eq!(split("").unwrap(), Vec::<String>::new());
    }

    /// Found by fuzzing: a NUL byte outside quotes made the splitter loop
    /// forever, pushing empty arguments. redis-cli 7.0.15 reads the line
    /// as a C string (piped `set a b\0c d` sets a to b; `set q "x\0y"`
    /// prints Invalid argument(s); `\0set z 1` is an empty line).
    #[test]
    fn nul_ends_the_line() {
        assert_eq!(split("set a b\0c d").unwrap(), ["set", "a", "b"]);
        assert_eq!(split("set q \"x\0y\""), None);
        assert_eq!(split("\0set z 1").unwrap(), Vec::<String>::new());
        assert_eq!(split("set w\0").unwrap(), ["set", "w"]);
    }

    #[test]
    fn a_capped_repeat_says_so() {
        assert_eq!(
            repeat_note("1000000 INCR x").as_deref(),
            Some("(slotlab) ran it 10000 times, not 1000000: the playground caps redis-cli's repeat count to keep the page responsive; a real redis-cli would send all 1000000.")
        );
        assert_eq!(repeat_note("10000 INCR x"), None);
        // Found by fuzzing: 10,000 EVALs froze the page for 4 s.
        assert_eq!(
            repeat_note("10000 eval \"return 1\" 0").as_deref(),
            Some("(slotlab) ran it 10 times, not 10000: the playground caps redis-cli's repeat count to keep the page responsive; a real redis-cli would send all 10000.")
        );
        assert_eq!(
            parse_line("100 FCALL f 0"),
            ParsedLine::Command {
                repeat: 10,
                argv: vec![b"FCALL".to_vec(), b"f".to_vec(), b"0".to_vec()]
            }
        );
        assert_eq!(repeat_note("3 INCR x"), None);
        assert_eq!(repeat_note("1000000"), None);
        assert_eq!(repeat_note("INCR x"), None);
        assert_eq!(repeat_note("\"open"), None);
    }

    #[test]
    fn repeat_prefix_reads_like_strtol() {
        assert_eq!(repeat_count(b"3"), Some(Some(3)));
        assert_eq!(repeat_count(b" 3"), Some(Some(3)));
        assert_eq!(repeat_count(b"+3"), Some(Some(3)));
        assert_eq!(repeat_count(b""), Some(None));
        assert_eq!(repeat_count(b"0"), Some(None));
        assert_eq!(repeat_count(b"-1"), Some(None));
        assert_eq!(repeat_count(b"99999999999999999999"), Some(None));
        assert_eq!(repeat_count(b"3 "), None);
        assert_eq!(repeat_count(b" "), None);
        assert_eq!(repeat_count(b"0x10"), None);
        assert_eq!(repeat_count(b"set"), None);
    }

    #[test]
    fn redirect_parsing() {
        assert_eq!(
            parse_redirect("MOVED 12182 127.0.0.1:7002"),
            Some((12182, "127.0.0.1".into(), 7002))
        );
        assert_eq!(parse_redirect("ASK 1 :7001"), Some((1, HOST.into(), 7001)));
        assert_eq!(parse_redirect("ERR x"), None);
    }

    #[test]
    fn follows_moved_and_changes_prompt() {
        let mut cluster = Cluster::default();
        let mut t = EngineTransport::new(&mut cluster, 0);
        let mut cli = CliSession::new(7000, true);
        let LineResult::Exchanges(ex) = cli.run_line(&mut t, "set foo bar") else {
            panic!("expected an exchange");
        };
        assert_eq!(
            ex[0].printed(),
            "-> Redirected to slot [12182] located at 127.0.0.1:7002\nOK\n"
        );
        assert_eq!(cli.prompt(), "127.0.0.1:7002> ");
    }
}
