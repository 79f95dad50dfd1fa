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
use crate::i18n::{tr, trf, Lang};
use crate::ui::world::SendRecord;

/// [`ScriptRequest::prepare`]'s answer when the KEYS field's quotes do not balance.
pub const KEYS_UNBALANCED: &str =
    "KEYS: unbalanced quotes (redis-cli would print Invalid argument(s))";
/// [`ScriptRequest::prepare`]'s answer when the ARGV field's quotes do not balance.
pub const ARGV_UNBALANCED: &str =
    "ARGV: unbalanced quotes (redis-cli would print Invalid argument(s))";

/// Why a request cannot be sent, in `lang` (the server's own error texts,
/// such as a bad `#!` line's, stay as they are).
pub fn show_prepare_error(lang: Lang, why: &str) -> String {
    match why {
        KEYS_UNBALANCED => tr(lang, "script.keys_unbalanced").to_string(),
        ARGV_UNBALANCED => tr(lang, "script.argv_unbalanced").to_string(),
        other => other.to_string(),
    }
}

/// An example's title and what it teaches, in `lang` (English: the
/// example's own fields).
pub fn example_text(lang: Lang, example: &Example) -> (&'static str, &'static str) {
    let keys = match example.id {
        "stock" => ("script.ex_stock", "script.ex_stock_teaches"),
        "stock-declared" => ("script.ex_declared", "script.ex_declared_teaches"),
        "seckill" => ("script.ex_seckill", "script.ex_seckill_teaches"),
        "shebang" => ("script.ex_shebang", "script.ex_shebang_teaches"),
        "runaway" => ("script.ex_runaway", "script.ex_runaway_teaches"),
        _ => return (example.title, example.teaches),
    };
    (tr(lang, keys.0), tr(lang, keys.1))
}

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

    /// One sentence on what Run sends in this mode, in `lang`.
    pub fn describe(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                RunMode::Eval => "script.mode_eval",
                RunMode::EvalRo => "script.mode_eval_ro",
                RunMode::Function => "script.mode_function",
            },
        )
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

    /// What this choice changes, in words, in `lang`.
    pub fn describe(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                Emulated::Redis70 => "script.emulated_70",
                Emulated::Redis74 | Emulated::Valkey8 => "script.emulated_74",
            },
        )
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
        let keys = self.key_list().ok_or(KEYS_UNBALANCED)?;
        let args = self.arg_list().ok_or(ARGV_UNBALANCED)?;
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

fn command_name(argv: &[Vec<u8>]) -> Option<String> {
    let name = argv.first()?;
    crate::engine::cli::runs_script(argv)
        .then(|| String::from_utf8_lossy(name).to_ascii_lowercase())
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

/// What the script's shebang / flags mean for the keys it may touch, in `lang`.
pub fn mode_note(lang: Lang, function: bool, flags_bits: u32, read_only: bool) -> Vec<String> {
    let mut out = Vec::new();
    if flags_bits & flags::NO_CLUSTER != 0 {
        out.push(tr(lang, "script.note_no_cluster").to_string());
    }
    let cross = flags_bits & flags::ALLOW_CROSS_SLOT != 0;
    out.push(
        tr(
            lang,
            if flags_bits & flags::EVAL_COMPAT != 0 {
                "script.note_compat"
            } else if cross {
                "script.note_cross_slot"
            } else if function {
                "script.note_function"
            } else {
                "script.note_shebang"
            },
        )
        .to_string(),
    );
    if read_only {
        out.push(tr(lang, "script.note_read_only").to_string());
    } else if flags_bits & flags::NO_WRITES != 0 {
        out.push(tr(lang, "script.note_no_writes").to_string());
    }
    out
}

/// A one-line, plain-words reason for a refused call, from the rule the
/// engine reported and the call's own keys, slots and nodes, in `lang`.
pub fn explain(lang: Lang, rule: ScriptRule, call: &Call, pinned: Option<u16>) -> String {
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
        .join(tr(lang, "script.slot_list_sep"));
    let slots_arg = [("slots", slot_list.as_str())];
    match rule {
        ScriptRule::NonLocalKey => match remote {
            Some(key) => trf(
                lang,
                if key.declared {
                    "script.why_non_local_declared"
                } else {
                    "script.why_non_local_undeclared"
                },
                &[
                    ("key", &key.key),
                    ("slot", &key.slot.to_string()),
                    ("owner", &key.owner.map(node).unwrap_or_default()),
                    ("node", &node(here)),
                ],
            ),
            None if slots.len() > 1 => trf(lang, "script.why_non_local_span", &slots_arg),
            None if call.keys.iter().any(|k| k.owner.is_none()) => {
                trf(lang, "script.why_non_local_unserved", &slots_arg)
            }
            None => trf(lang, "script.why_non_local_migrating", &slots_arg),
        },
        ScriptRule::CrossSlotCommand => trf(lang, "script.why_cross_slot_command", &slots_arg),
        ScriptRule::UnstableSlot => trf(lang, "script.why_unstable_slot", &slots_arg),
        ScriptRule::SlotNotServed => trf(lang, "script.why_slot_not_served", &slots_arg),
        ScriptRule::CrossSlotAcrossCalls => match pinned {
            Some(p) => trf(
                lang,
                "script.why_second_slot",
                &[("pinned", &p.to_string()), ("slots", &slot_list)],
            ),
            None => tr(lang, "script.why_second_slot_short").to_string(),
        },
        ScriptRule::WriteInReadOnlyScript => tr(lang, "script.why_write_read_only").to_string(),
        ScriptRule::ReadOnlyReplica => tr(lang, "script.why_replica").to_string(),
        ScriptRule::ClusterDown => tr(lang, "script.why_cluster_down").to_string(),
        ScriptRule::UnknownCommand => tr(lang, "script.why_unknown").to_string(),
        ScriptRule::NotImplemented => tr(lang, "script.why_not_implemented").to_string(),
        ScriptRule::WrongArity => tr(lang, "script.why_arity").to_string(),
        ScriptRule::BadArguments => tr(lang, "script.why_bad_arguments").to_string(),
        ScriptRule::NotAllowedFromScript => tr(lang, "script.why_not_allowed").to_string(),
        ScriptRule::Stopped => tr(lang, "script.why_stopped").to_string(),
    }
}

/// A short name for a rule (the trace's badge), in `lang`.
pub fn rule_name(lang: Lang, rule: ScriptRule) -> &'static str {
    tr(
        lang,
        match rule {
            ScriptRule::UnknownCommand => "script.rule_unknown",
            ScriptRule::NotImplemented => "script.rule_not_implemented",
            ScriptRule::WrongArity => "script.rule_arity",
            ScriptRule::BadArguments => "script.rule_bad_arguments",
            ScriptRule::NotAllowedFromScript => "script.rule_not_allowed",
            ScriptRule::WriteInReadOnlyScript => "script.rule_write_read_only",
            ScriptRule::ReadOnlyReplica => "script.rule_replica",
            ScriptRule::NonLocalKey => "script.rule_non_local",
            ScriptRule::CrossSlotCommand => "script.rule_cross_slot_command",
            ScriptRule::UnstableSlot => "script.rule_migrating",
            ScriptRule::SlotNotServed => "script.rule_not_served",
            ScriptRule::CrossSlotAcrossCalls => "script.rule_second_slot",
            ScriptRule::ClusterDown => "script.rule_cluster_down",
            ScriptRule::Stopped => "script.rule_stopped",
        },
    )
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

/// The summary sentence of a trace, in `lang`.
pub fn summary(lang: Lang, trace: &ScriptTrace) -> String {
    let calls = match trace.total_calls {
        0 => tr(lang, "script.calls_none").to_string(),
        1 => tr(lang, "script.calls_one").to_string(),
        n => trf(lang, "script.calls_many", &[("n", &n.to_string())]),
    };
    match trace.attempts.last() {
        Some(Attempt::Queued { port }) => trf(lang, "script.sum_queued", &[("node", &node(*port))]),
        Some(Attempt::Rejected { kind, port, .. }) => trf(
            lang,
            match kind {
                RejectKind::CrossSlot => "script.sum_crossslot",
                RejectKind::Moved | RejectKind::Ask => "script.sum_redirect",
                _ => "script.sum_refused",
            },
            &[("node", &node(*port))],
        ),
        Some(Attempt::Answered { port, .. }) => {
            trf(lang, "script.sum_answered", &[("node", &node(*port))])
        }
        Some(Attempt::Ran { port }) => {
            let here = node(*port);
            if trace.stopped {
                let after = match trace.total_calls {
                    0 => tr(lang, "script.sum_after_none").to_string(),
                    _ => trf(lang, "script.sum_after", &[("calls", &calls)]),
                };
                trf(
                    lang,
                    "script.sum_stopped",
                    &[("node", &here), ("after", &after)],
                )
            } else if let Some(call) = trace.first_rejected() {
                let line = call
                    .line
                    .map(|l| trf(lang, "script.sum_at_line", &[("line", &l.to_string())]))
                    .unwrap_or_default();
                let caught = if call.protected && !trace.reply_error {
                    tr(lang, "script.sum_caught")
                } else {
                    ""
                };
                trf(
                    lang,
                    "script.sum_one_refused",
                    &[
                        ("node", &here),
                        ("calls", &calls),
                        ("line", &line),
                        ("caught", caught),
                    ],
                )
            } else if trace.reply_error {
                trf(
                    lang,
                    "script.sum_failed",
                    &[("node", &here), ("calls", &calls)],
                )
            } else {
                trf(
                    lang,
                    "script.sum_all_allowed",
                    &[("node", &here), ("calls", &calls)],
                )
            }
        }
        None => String::new(),
    }
}
