//! What the script panel shows and sends: the console line a script run
//! becomes (`EVAL "..." 1 key arg`, `EVAL_RO ...`, or a function library
//! plus `FCALL`), the example scripts, the emulated-version choices, and
//! the trace of the last script run, read from the engine's events
//! (`Event::ScriptCall` per `redis.call`, `Event::ScriptRun`, the routing
//! of the script command itself).
//!
//! Nothing here decides whether Redis allows a call: the rule comes from
//! the event. The words only explain it, using the event's keys, slots and
//! nodes. Pure: no web-sys, js-sys or gloo.

use crate::engine::cli::split_args;
use crate::engine::cluster::Cluster;
use crate::engine::event::{Event, RejectKind, ScriptRule};
use crate::engine::reply::Reply;
use crate::engine::router::KeySlot;
use crate::engine::script::{flags, parse_eval_shebang, EmulatedVersion};
use crate::engine::topology::HOST;
use crate::hints::quote_arg;
use crate::ui::world::SendRecord;

/// The library the panel loads in "function" mode.
pub const LIBRARY: &str = "slotlab_panel";
/// The function it registers.
pub const FUNCTION: &str = "panel";
/// Lines the library adds above the script (`#!lua name=...` and the
/// `register_function` line), so library line N is script line N - 2.
pub const FUNCTION_LINE_OFFSET: i64 = 2;
/// `redis.call`s listed in the trace at most.
pub const MAX_CALLS: usize = 200;
/// The start of the engine's error for a script stopped by its budget
/// (`RedisError::ScriptBudget`).
const STOPPED_TEXT: &str = "ERR slotlab stopped the script";

/// How the panel runs a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunMode {
    /// `EVAL script numkeys key... arg...`
    #[default]
    Eval,
    /// `EVAL_RO`: the script may not write.
    EvalRo,
    /// `FUNCTION LOAD REPLACE` on every master, then `FCALL`.
    Function,
}

impl RunMode {
    /// Every mode, in menu order.
    pub const ALL: [RunMode; 3] = [RunMode::Eval, RunMode::EvalRo, RunMode::Function];

    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            RunMode::Eval => "EVAL",
            RunMode::EvalRo => "EVAL_RO",
            RunMode::Function => "FUNCTION + FCALL",
        }
    }

    /// A stable value for the form.
    pub fn value(self) -> &'static str {
        match self {
            RunMode::Eval => "eval",
            RunMode::EvalRo => "eval_ro",
            RunMode::Function => "fcall",
        }
    }

    /// The mode for a form value.
    pub fn from_value(value: &str) -> Option<RunMode> {
        RunMode::ALL.into_iter().find(|m| m.value() == value)
    }

    /// One sentence on what Run sends in this mode.
    pub fn describe(self) -> &'static str {
        match self {
            RunMode::Eval => "Sends EVAL with the script, its keys and arguments.",
            RunMode::EvalRo => {
                "Sends EVAL_RO: the same, but any write the script tries is refused."
            }
            RunMode::Function => {
                "Loads the script as function 'panel' of library 'slotlab_panel' on every master \
                 (FUNCTION LOAD REPLACE; a #! line's flags become the function's flags), then sends FCALL."
            }
        }
    }
}

/// The server whose in-script error texts are reproduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Emulated {
    /// Redis 7.0 (the recorded behaviour; 7.2 is the same).
    #[default]
    Redis70,
    /// Redis 7.4.
    Redis74,
    /// Valkey 8 (the same texts as Redis 7.4).
    Valkey8,
}

impl Emulated {
    /// Every choice, in menu order.
    pub const ALL: [Emulated; 3] = [Emulated::Redis70, Emulated::Redis74, Emulated::Valkey8];

    /// The engine's setting.
    pub fn engine(self) -> EmulatedVersion {
        match self {
            Emulated::Redis70 => EmulatedVersion::Redis70,
            Emulated::Redis74 | Emulated::Valkey8 => EmulatedVersion::Redis74,
        }
    }

    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            Emulated::Redis70 => "Redis 7.0",
            Emulated::Redis74 => "Redis 7.4",
            Emulated::Valkey8 => "Valkey 8",
        }
    }

    /// A stable value for `<select>`.
    pub fn value(self) -> &'static str {
        match self {
            Emulated::Redis70 => "redis-7.0",
            Emulated::Redis74 => "redis-7.4",
            Emulated::Valkey8 => "valkey-8",
        }
    }

    /// The choice for a `<select>` value.
    pub fn from_value(value: &str) -> Option<Emulated> {
        Emulated::ALL.into_iter().find(|e| e.value() == value)
    }

    /// What this choice changes, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Emulated::Redis70 => {
                "Redis 7.0 (and 7.2), recorded on a real 7.0.15 cluster: a single redis.call whose keys \
                 span slots, a key in a migrating slot and a slot nobody serves all fail with the same \
                 \"non local key\" error."
            }
            Emulated::Redis74 | Emulated::Valkey8 => {
                "Redis 7.4 and Valkey 8 give those three cases their own error texts (\"Command 'mset' in \
                 script attempted to access keys that don't hash to the same slot\", \"... during rehashing \
                 of the slot\", \"... a slot not served\"). The rules themselves are unchanged. \
                 redis.REDIS_VERSION reads 7.4.0."
            }
        }
    }
}

/// A script run asked for by the panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptRequest {
    /// The Lua source, as typed.
    pub body: String,
    /// The KEYS field, split like a redis-cli line (quotes allowed).
    pub keys: String,
    /// The ARGV field, split the same way.
    pub args: String,
    pub mode: RunMode,
}

/// A request turned into what is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// Function mode: the library code loaded on every master first.
    pub library: Option<String>,
    /// The line run in the client's console.
    pub line: String,
}

impl ScriptRequest {
    /// The KEYS, or `None` when the field has unbalanced quotes.
    pub fn key_list(&self) -> Option<Vec<Vec<u8>>> {
        split_args(self.keys.as_bytes())
    }

    /// The ARGV, or `None` when the field has unbalanced quotes.
    pub fn arg_list(&self) -> Option<Vec<Vec<u8>>> {
        split_args(self.args.as_bytes())
    }

    /// The library code for function mode: the script becomes the body of
    /// function [`FUNCTION`]; a `#!lua flags=...` first line becomes a
    /// comment and its flags the function's flags (line numbers shift by
    /// [`FUNCTION_LINE_OFFSET`]).
    pub fn library_code(&self) -> Result<String, String> {
        let (bits, _) = parse_eval_shebang(self.body.as_bytes()).map_err(|e| e.to_string())?;
        let names: Vec<String> = flags::NAMES
            .iter()
            .filter(|(_, bit)| bits & bit != 0)
            .map(|(name, _)| format!("'{name}'"))
            .collect();
        let body = if self.body.starts_with("#!") {
            format!("-- {}", self.body)
        } else {
            self.body.clone()
        };
        Ok(format!(
            "#!lua name={LIBRARY}\nredis.register_function{{function_name='{FUNCTION}', flags={{{}}}, callback=function(KEYS, ARGV)\n{body}\nend}}",
            names.join(", ")
        ))
    }

    /// The console line(s) for this request, or why it cannot be sent.
    pub fn prepare(&self) -> Result<Prepared, String> {
        let keys = self
            .key_list()
            .ok_or("KEYS: unbalanced quotes (redis-cli would print Invalid argument(s))")?;
        let args = self
            .arg_list()
            .ok_or("ARGV: unbalanced quotes (redis-cli would print Invalid argument(s))")?;
        let (command, first, library) = match self.mode {
            RunMode::Eval => ("EVAL", quote_arg(self.body.as_bytes()), None),
            RunMode::EvalRo => ("EVAL_RO", quote_arg(self.body.as_bytes()), None),
            RunMode::Function => ("FCALL", FUNCTION.to_string(), Some(self.library_code()?)),
        };
        let mut words = vec![command.to_string(), first, keys.len().to_string()];
        words.extend(keys.iter().chain(args.iter()).map(|a| quote_arg(a)));
        Ok(Prepared {
            library,
            line: words.join(" "),
        })
    }
}

/// `FUNCTION LOAD REPLACE <code>` on every master of `cluster`, each over a
/// connection of its own (as `redis-cli --cluster call` does). Returns each
/// master's port and reply.
pub fn load_library(cluster: &mut Cluster, code: &str, now_ms: u64) -> Vec<(u16, Reply)> {
    let ports: Vec<u16> = cluster
        .topology
        .masters()
        .map(|m| cluster.topology.nodes[m].port)
        .collect();
    let argv: Vec<Vec<u8>> = vec![
        b"FUNCTION".to_vec(),
        b"LOAD".to_vec(),
        b"REPLACE".to_vec(),
        code.as_bytes().to_vec(),
    ];
    let mut out = Vec::new();
    for port in ports {
        let Ok(conn) = cluster.connect(port) else {
            continue;
        };
        let outcome = cluster.execute(conn, &argv, now_ms);
        cluster.disconnect(conn);
        out.push((port, outcome.reply));
    }
    out
}

/// An example script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// A stable id (for tests and element ids).
    pub id: &'static str,
    pub title: &'static str,
    /// What to look for when it runs.
    pub teaches: &'static str,
    pub body: &'static str,
    pub keys: &'static str,
    pub args: &'static str,
}

/// The example scripts, in menu order (the first is loaded at start).
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "stock",
        title: "Stock decrement (fails)",
        teaches: "stock:phone is declared, order:1001 is not and lives on another node: the HSET is refused with \"non local key\" and the DECR before it stays.",
        body: "-- The seed's stock decrement. Only stock:phone is declared (KEYS[1]);\n\
               -- the order key is written by name, without being declared.\n\
               redis.call('SET', KEYS[1], 10, 'NX')  -- demo: the stock starts at 10\n\
               local stock = tonumber(redis.call('GET', KEYS[1]))\n\
               if stock > 0 then\n  \
                 redis.call('DECR', KEYS[1])\n  \
                 redis.call('HSET', 'order:1001', 'status', 'paid')\n  \
                 return 1\n\
               end\n\
               return 0",
        keys: "stock:phone",
        args: "",
    },
    Example {
        id: "stock-declared",
        title: "Stock decrement, both keys declared",
        teaches: "Declaring both keys does not help: they hash to different slots, so the cluster answers CROSSSLOT before the script runs at all.",
        body: "-- Both keys declared: stock:phone (KEYS[1]) and order:1001 (KEYS[2]).\n\
               redis.call('SET', KEYS[1], 10, 'NX')  -- demo: the stock starts at 10\n\
               local stock = tonumber(redis.call('GET', KEYS[1]))\n\
               if stock > 0 then\n  \
                 redis.call('DECR', KEYS[1])\n  \
                 redis.call('HSET', KEYS[2], 'status', 'paid')\n  \
                 return 1\n\
               end\n\
               return 0",
        keys: "stock:phone order:1001",
        args: "",
    },
    Example {
        id: "seckill",
        title: "Seckill with a {p1} hash tag (works)",
        teaches: "Both keys carry the hash tag {p1}: one slot, one node, every call allowed. Run it again: the same user is refused (-1), another one buys.",
        body: "-- The seed's seckill: both keys share the hash tag {p1}, so one slot.\n\
               redis.call('SET', KEYS[1], 5, 'NX')  -- demo: 5 items in stock\n\
               if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return -1 end\n\
               local stock = tonumber(redis.call('GET', KEYS[1]))\n\
               if not stock or stock <= 0 then return 0 end\n\
               redis.call('DECR', KEYS[1])\n\
               redis.call('SADD', KEYS[2], ARGV[1])\n\
               return 1",
        keys: "seckill:{p1}:stock seckill:{p1}:users",
        args: "u1",
    },
    Example {
        id: "shebang",
        title: "#!lua: two slots on one node",
        teaches: "bar (slot 5061) and b (slot 3300) both live on 127.0.0.1:7000. With #!lua the second slot is refused; delete the #!lua line (compatibility mode) or write #!lua flags=allow-cross-slot-keys and it runs.",
        body: "#!lua\n\
               -- bar is declared; b is another slot of the same node.\n\
               redis.call('SET', KEYS[1], ARGV[1])\n\
               return redis.call('SET', 'b', ARGV[1])",
        keys: "bar",
        args: "x",
    },
    Example {
        id: "runaway",
        title: "Runaway: while true do end",
        teaches: "The script never ends. slotlab's step budget stops it within a fraction of a second and answers an error; the page and the console keep working.",
        body: "-- Never ends: slotlab stops it (a real server would answer BUSY to everyone else).\n\
               while true do end",
        keys: "",
        args: "",
    },
];

/// The example with this id.
pub fn example(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

/// The script a trace belongs to, with the offset of its line numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The script's text (for a function typed in the console: its library).
    pub body: String,
    /// Lines to subtract from a reported line to get a line of `body`.
    pub line_offset: i64,
    /// The library of a function, not an EVAL body.
    pub library: bool,
}

/// What happened to one send of the script command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The node ran the script.
    Ran { port: u16 },
    /// Queued inside MULTI: it runs at EXEC.
    Queued { port: u16 },
    /// Refused before running (CROSSSLOT, MOVED ...).
    Rejected {
        port: u16,
        kind: RejectKind,
        error: String,
        redirect_to: Option<u16>,
    },
    /// Answered without running (an error such as NOSCRIPT or a bad numkeys).
    Answered { port: u16, reply: String },
}

/// A key of one `redis.call`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallKey {
    pub key: String,
    pub slot: u16,
    pub owner: Option<u16>,
    /// Among the script's declared keys (KEYS).
    pub declared: bool,
}

/// One `redis.call` / `redis.pcall`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The line of the script (1-based; after the function offset), if known.
    pub line: Option<usize>,
    /// Made with `redis.pcall`.
    pub protected: bool,
    pub argv: Vec<String>,
    pub keys: Vec<CallKey>,
    /// The node the script ran on.
    pub port: u16,
    /// The rule that refused it, if any.
    pub rejected: Option<ScriptRule>,
    /// What the script got back, as redis-cli prints it.
    pub reply: String,
}

/// The last script run, as the panel draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptTrace {
    /// The client's letter.
    pub client: char,
    /// The prompt and the console line.
    pub prompt: String,
    pub line: String,
    /// `EVAL`, `FCALL` ... (upper case).
    pub command: String,
    /// Each send of the script command, in order.
    pub attempts: Vec<Attempt>,
    /// The declared keys with their slots and owners.
    pub declared: Vec<KeySlot>,
    /// The declared keys and the arguments as sent (lossy UTF-8), for
    /// reopening a console-typed script in the editor.
    pub key_names: Vec<String>,
    pub args: Vec<String>,
    /// The node that ran the script.
    pub ran_on: Option<u16>,
    /// The script's SHA1 or the function's name.
    pub script: Option<String>,
    /// A function (FCALL), not an EVAL script.
    pub function: bool,
    /// The script's flags ([`flags`] bits), when known.
    pub flags: Option<u32>,
    /// Run read-only (EVAL_RO / FCALL_RO).
    pub read_only: bool,
    /// The calls (at most [`MAX_CALLS`]).
    pub calls: Vec<Call>,
    pub total_calls: usize,
    /// Keys written or deleted by the run.
    pub modified: Vec<(String, u16, u16)>,
    /// The reply as redis-cli prints it (no final newline).
    pub reply: String,
    pub reply_error: bool,
    /// Stopped by slotlab's step budget or memory cap.
    pub stopped: bool,
    /// The script, when known.
    pub source: Option<Source>,
}

const SCRIPT_COMMANDS: &[&str] = &[
    "eval",
    "evalsha",
    "eval_ro",
    "evalsha_ro",
    "fcall",
    "fcall_ro",
];

fn command_name(argv: &[Vec<u8>]) -> Option<String> {
    let name = String::from_utf8_lossy(argv.first()?).to_ascii_lowercase();
    SCRIPT_COMMANDS.contains(&name.as_str()).then_some(name)
}

fn has_script_events(send: &SendRecord) -> bool {
    send.events
        .iter()
        .any(|e| matches!(e, Event::ScriptRun { .. } | Event::ScriptCall { .. }))
}

impl ScriptTrace {
    /// The trace of the last script command among `sends` (a line's
    /// requests), or `None` when the line ran no script.
    pub fn from_sends(
        cluster: &Cluster,
        client: char,
        prompt: &str,
        line: &str,
        sends: &[SendRecord],
    ) -> Option<ScriptTrace> {
        let last = sends
            .iter()
            .rposition(|s| command_name(&s.argv).is_some() || has_script_events(s))?;
        let argv = &sends[last].argv;
        // The sends of the last command: the ones before it with the same
        // argv (redis-cli -c re-sends after MOVED/ASK, maybe with ASKING between).
        let mut first = last;
        let mut k = last;
        while k > 0 {
            k -= 1;
            if sends[k].argv == *argv {
                first = k;
            } else if !sends[k]
                .argv
                .first()
                .is_some_and(|n| n.eq_ignore_ascii_case(b"asking"))
            {
                break;
            }
        }
        let group: Vec<&SendRecord> = sends[first..=last]
            .iter()
            .filter(|s| s.argv == *argv)
            .collect();
        let name = command_name(argv);
        let mut trace = ScriptTrace {
            client,
            prompt: prompt.to_string(),
            line: line.to_string(),
            command: name
                .clone()
                .unwrap_or_else(|| {
                    argv.first()
                        .map(|n| String::from_utf8_lossy(n).into_owned())
                        .unwrap_or_default()
                })
                .to_ascii_uppercase(),
            attempts: Vec::new(),
            declared: Vec::new(),
            key_names: Vec::new(),
            args: Vec::new(),
            ran_on: None,
            script: None,
            function: matches!(name.as_deref(), Some("fcall" | "fcall_ro")),
            flags: None,
            read_only: matches!(name.as_deref(), Some("eval_ro" | "evalsha_ro" | "fcall_ro")),
            calls: Vec::new(),
            total_calls: 0,
            modified: Vec::new(),
            reply: String::new(),
            reply_error: false,
            stopped: false,
            source: None,
        };
        // EVAL / FCALL body-or-name numkeys key... arg...
        if name.is_some() {
            let numkeys = argv
                .get(2)
                .and_then(|n| std::str::from_utf8(n).ok())
                .and_then(|n| n.parse::<usize>().ok());
            if let Some(n) = numkeys.filter(|n| 3 + n <= argv.len()) {
                let lossy = |a: &Vec<u8>| String::from_utf8_lossy(a).into_owned();
                trace.key_names = argv[3..3 + n].iter().map(lossy).collect();
                trace.args = argv[3 + n..].iter().map(lossy).collect();
            }
        }
        for send in &group {
            let mut attempt = None;
            for event in &send.events {
                match event {
                    Event::Served { port, keys } => {
                        trace.declared = keys.clone();
                        attempt.get_or_insert(Attempt::Ran { port: *port });
                    }
                    Event::Queued { port, keys } => {
                        trace.declared = keys.clone();
                        attempt = Some(Attempt::Queued { port: *port });
                    }
                    Event::Rejected {
                        port,
                        kind,
                        error,
                        keys,
                        redirect_to,
                        ..
                    } => {
                        trace.declared = keys.clone();
                        attempt = Some(Attempt::Rejected {
                            port: *port,
                            kind: *kind,
                            error: error.clone(),
                            redirect_to: *redirect_to,
                        });
                    }
                    Event::ScriptRun {
                        port,
                        script,
                        function,
                        ..
                    } => {
                        trace.ran_on = Some(*port);
                        trace.script = Some(script.clone());
                        trace.function = *function;
                        attempt = Some(Attempt::Ran { port: *port });
                    }
                    Event::KeyModified { port, key, slot }
                        if !trace.modified.iter().any(|(k, _, _)| k == key) =>
                    {
                        trace.modified.push((key.clone(), *slot, *port));
                    }
                    _ => {}
                }
            }
            let attempt = attempt.unwrap_or_else(|| Attempt::Answered {
                port: send.port,
                reply: cli_text(&send.reply, &send.argv),
            });
            trace.attempts.push(attempt);
        }
        let declared: Vec<String> = trace.declared.iter().map(|k| k.key.clone()).collect();
        for send in &group {
            for event in &send.events {
                if let Event::ScriptCall {
                    port,
                    protected,
                    line,
                    argv,
                    keys,
                    rejected,
                    reply,
                    ..
                } = event
                {
                    trace.total_calls += 1;
                    if trace.calls.len() >= MAX_CALLS {
                        continue;
                    }
                    trace.calls.push(Call {
                        line: script_line(*line, 0),
                        protected: *protected,
                        argv: argv.clone(),
                        keys: keys
                            .iter()
                            .map(|k| CallKey {
                                key: k.key.clone(),
                                slot: k.slot,
                                owner: k.owner,
                                declared: declared.contains(&k.key),
                            })
                            .collect(),
                        port: *port,
                        rejected: *rejected,
                        reply: reply.strip_suffix('\n').unwrap_or(reply).to_string(),
                    });
                }
            }
        }
        if let Some(send) = group.last() {
            trace.reply = cli_text(&send.reply, &send.argv);
            trace.reply_error = send.reply.is_error();
            trace.stopped = send
                .reply
                .error_text()
                .is_some_and(|e| e.starts_with(STOPPED_TEXT));
        }
        trace.source = source_of(cluster, &trace, argv);
        trace.flags = flags_of(cluster, &trace);
        Some(trace)
    }

    /// Uses `source` (the panel's own script) and renumbers the calls.
    pub fn with_source(mut self, source: Source) -> ScriptTrace {
        let old = self.source.as_ref().map_or(0, |s| s.line_offset);
        for call in &mut self.calls {
            call.line = call
                .line
                .and_then(|l| script_line(l as i64 + old, source.line_offset));
        }
        self.source = Some(source);
        self
    }

    /// The declared key that is `key`, if any.
    pub fn is_declared(&self, key: &str) -> bool {
        self.declared.iter().any(|k| k.key == key)
    }

    /// Keys the calls touched that were not declared, first occurrence each.
    pub fn undeclared(&self) -> Vec<&CallKey> {
        let mut out: Vec<&CallKey> = Vec::new();
        for key in self.calls.iter().flat_map(|c| c.keys.iter()) {
            if !key.declared && !out.iter().any(|k| k.key == key.key) {
                out.push(key);
            }
        }
        out
    }

    /// The first refused call.
    pub fn first_rejected(&self) -> Option<&Call> {
        self.calls.iter().find(|c| c.rejected.is_some())
    }
}

fn cli_text(reply: &Reply, argv: &[Vec<u8>]) -> String {
    let text = reply.to_cli(argv);
    text.strip_suffix('\n').unwrap_or(&text).to_string()
}

fn script_line(line: i64, offset: i64) -> Option<usize> {
    usize::try_from(line - offset).ok().filter(|l| *l > 0)
}

/// The script's text: the EVAL body, the cached body of an EVALSHA on the
/// node that ran it, or a function's library.
fn source_of(cluster: &Cluster, trace: &ScriptTrace, argv: &[Vec<u8>]) -> Option<Source> {
    let name = command_name(argv)?;
    let body = match name.as_str() {
        "eval" | "eval_ro" => argv.get(1).cloned(),
        "evalsha" | "evalsha_ro" => {
            let node = cluster.topology.by_port(trace.ran_on?)?;
            let sha = trace.script.as_ref()?;
            Some(
                cluster
                    .scripting
                    .nodes
                    .get(node)?
                    .cache
                    .get(sha)?
                    .body
                    .clone(),
            )
        }
        _ => {
            let node = cluster.topology.by_port(trace.ran_on?)?;
            let master = cluster.topology.master_of(node);
            let libraries = &cluster.scripting.nodes.get(master)?.libraries;
            let function = libraries.function(trace.script.as_ref()?)?;
            return Some(Source {
                body: String::from_utf8_lossy(&libraries.libs.get(&function.library)?.code)
                    .into_owned(),
                line_offset: 0,
                library: true,
            });
        }
    }?;
    Some(Source {
        body: String::from_utf8_lossy(&body).into_owned(),
        line_offset: 0,
        library: false,
    })
}

/// The script's flags: from the EVAL body's `#!` line (parsed by the
/// engine), or the function's registered flags.
fn flags_of(cluster: &Cluster, trace: &ScriptTrace) -> Option<u32> {
    if trace.function {
        let node = cluster.topology.by_port(trace.ran_on?)?;
        let master = cluster.topology.master_of(node);
        let libraries = &cluster.scripting.nodes.get(master)?.libraries;
        return Some(libraries.function(trace.script.as_ref()?)?.flags);
    }
    let source = trace.source.as_ref()?;
    parse_eval_shebang(source.body.as_bytes())
        .ok()
        .map(|(bits, _)| bits)
}

fn node(port: u16) -> String {
    format!("{HOST}:{port}")
}

/// What the script's shebang / flags mean for the keys it may touch.
pub fn mode_note(function: bool, flags_bits: u32, read_only: bool) -> Vec<String> {
    let mut out = Vec::new();
    if flags_bits & flags::NO_CLUSTER != 0 {
        out.push("flags=no-cluster: the script refuses to run on a cluster at all.".to_string());
    }
    let cross = flags_bits & flags::ALLOW_CROSS_SLOT != 0;
    out.push(if flags_bits & flags::EVAL_COMPAT != 0 {
        "No #! line: compatibility mode. Undeclared keys in other slots are allowed as long as the node running the script owns them; a key on another node is still refused.".to_string()
    } else if cross {
        "allow-cross-slot-keys: undeclared keys in other slots of this node are allowed; keys on other nodes are still refused, and the declared keys must still share one slot.".to_string()
    } else if function {
        "A function is held to one slot (its declared keys' slot, or else the first slot it touches): a key in any other slot is refused, even on the same node, unless it registers flags={'allow-cross-slot-keys'}.".to_string()
    } else {
        "#!lua: the script is held to one slot (its declared keys' slot, or else the first slot it touches): a key in any other slot is refused, even on the same node, unless the #! line says flags=allow-cross-slot-keys.".to_string()
    });
    if read_only {
        out.push(
            "Run read-only (_RO): any write it tries is refused, and a script without flags=no-writes is refused before it starts."
                .to_string(),
        );
    } else if flags_bits & flags::NO_WRITES != 0 {
        out.push("flags=no-writes: any write it tries is refused.".to_string());
    }
    out
}

/// A one-line, plain-words reason for a refused call, from the rule the
/// engine reported and the call's own keys, slots and nodes.
pub fn explain(rule: ScriptRule, call: &Call, pinned: Option<u16>) -> String {
    let here = call.port;
    let remote = call
        .keys
        .iter()
        .find(|k| k.owner.is_some_and(|o| o != here));
    let mut slots: Vec<u16> = call.keys.iter().map(|k| k.slot).collect();
    slots.sort_unstable();
    slots.dedup();
    let slot_list = slots
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(" and ");
    match rule {
        ScriptRule::NonLocalKey => match remote {
            Some(key) => format!(
                "{} key on another node: {} (slot {}) lives on {}, but the script runs on {}. A script can only touch keys of the node it runs on, and this is an error, not a redirect: nobody follows it.",
                if key.declared { "Declared" } else { "Undeclared" },
                key.key,
                key.slot,
                key.owner.map(node).unwrap_or_default(),
                node(here)
            ),
            None if slots.len() > 1 => format!(
                "This one call's keys span slots {slot_list}. Redis 7.0 reports that as a non local key too (7.4 and Valkey 8 say \"don't hash to the same slot\")."
            ),
            None if call.keys.iter().any(|k| k.owner.is_none()) => format!(
                "Slot {slot_list} is served by no node. Redis 7.0 reports that as a non local key (7.4 says \"slot not served\")."
            ),
            None => format!(
                "Slot {slot_list} is being migrated and the key is not here. Redis 7.0 reports that as a non local key."
            ),
        },
        ScriptRule::CrossSlotCommand => format!(
            "This one call's keys span slots {slot_list}: a single command must stay in one slot, inside a script too."
        ),
        ScriptRule::UnstableSlot => format!(
            "Slot {slot_list} is being migrated and some keys are not here: undeclared keys cannot follow the migration."
        ),
        ScriptRule::SlotNotServed => format!("Slot {slot_list} is served by no node."),
        ScriptRule::CrossSlotAcrossCalls => match pinned {
            Some(p) => format!(
                "Second slot: the script already touched slot {p}, and this call needs slot {slot_list}. A #!lua script or a function stays in one slot, even on one node, unless it has the allow-cross-slot-keys flag."
            ),
            None => "Second slot: a #!lua script or a function stays in one slot, even on one node, unless it has the allow-cross-slot-keys flag.".to_string(),
        },
        ScriptRule::WriteInReadOnlyScript => {
            "A write in a read-only script (EVAL_RO, FCALL_RO or flags=no-writes).".to_string()
        }
        ScriptRule::ReadOnlyReplica => {
            "A write on a replica: replicas only serve reads.".to_string()
        }
        ScriptRule::ClusterDown => "The cluster is down.".to_string(),
        ScriptRule::UnknownCommand => "No such Redis command.".to_string(),
        ScriptRule::NotImplemented => {
            "A real Redis command that slotlab does not implement: the script got Redis' unknown-command error, where a real server would have run it.".to_string()
        }
        ScriptRule::WrongArity => "Wrong number of arguments for this command.".to_string(),
        ScriptRule::BadArguments => {
            "redis.call takes strings and numbers only (and at least a command name).".to_string()
        }
        ScriptRule::NotAllowedFromScript => {
            "This command cannot be used inside a script.".to_string()
        }
        ScriptRule::Stopped => {
            "The script had already been stopped by slotlab's step budget.".to_string()
        }
    }
}

/// A short name for a rule (the trace's badge).
pub fn rule_name(rule: ScriptRule) -> &'static str {
    match rule {
        ScriptRule::UnknownCommand => "unknown command",
        ScriptRule::NotImplemented => "not in slotlab",
        ScriptRule::WrongArity => "wrong arity",
        ScriptRule::BadArguments => "bad arguments",
        ScriptRule::NotAllowedFromScript => "not allowed in scripts",
        ScriptRule::WriteInReadOnlyScript => "write in read-only script",
        ScriptRule::ReadOnlyReplica => "write on a replica",
        ScriptRule::NonLocalKey => "non local key",
        ScriptRule::CrossSlotCommand => "cross-slot command",
        ScriptRule::UnstableSlot => "slot migrating",
        ScriptRule::SlotNotServed => "slot not served",
        ScriptRule::CrossSlotAcrossCalls => "second slot",
        ScriptRule::ClusterDown => "cluster down",
        ScriptRule::Stopped => "stopped",
    }
}

/// The slot the script was held to before call `index` (the declared keys'
/// slot, else the first slot an allowed call touched), for explaining a
/// "second slot" refusal.
pub fn pinned_before(trace: &ScriptTrace, index: usize) -> Option<u16> {
    if let Some(key) = trace.declared.first() {
        return Some(key.slot);
    }
    trace.calls[..index.min(trace.calls.len())]
        .iter()
        .filter(|c| c.rejected.is_none())
        .find_map(|c| c.keys.first().map(|k| k.slot))
}

/// The summary sentence of a trace.
pub fn summary(trace: &ScriptTrace) -> String {
    let calls = match trace.total_calls {
        0 => "no redis.call".to_string(),
        1 => "1 redis.call".to_string(),
        n => format!("{n} redis.calls"),
    };
    match trace.attempts.last() {
        Some(Attempt::Queued { port }) => format!(
            "Queued on {} inside MULTI: the script runs at EXEC.",
            node(*port)
        ),
        Some(Attempt::Rejected { kind, port, .. }) => match kind {
            RejectKind::CrossSlot => format!(
                "Refused by {} before running: the declared keys hash to different slots (CROSSSLOT).",
                node(*port)
            ),
            RejectKind::Moved | RejectKind::Ask => format!(
                "Not run: {} does not own the declared keys' slot and answered a redirect.",
                node(*port)
            ),
            _ => format!("Refused by {} before running.", node(*port)),
        },
        Some(Attempt::Answered { port, .. }) => format!("{} answered without running it.", node(*port)),
        Some(Attempt::Ran { port }) => {
            if trace.stopped {
                let after = match trace.total_calls {
                    0 => " (it had made no redis.call)".to_string(),
                    _ => format!(" after {calls}"),
                };
                format!(
                    "Ran on {} and was stopped by slotlab's step budget{after}.",
                    node(*port)
                )
            } else if let Some(call) = trace.first_rejected() {
                let line = call.line.map(|l| format!(" at line {l}")).unwrap_or_default();
                let caught = if call.protected && !trace.reply_error {
                    " (redis.pcall: the script got the error as a value and carried on)"
                } else {
                    ""
                };
                format!(
                    "Ran on {}: {calls}, one refused{line}{caught}.",
                    node(*port)
                )
            } else if trace.reply_error {
                format!("Ran on {}: {calls}, then the script failed.", node(*port))
            } else {
                format!("Ran on {}: {calls}, all allowed.", node(*port))
            }
        }
        None => String::new(),
    }
}
