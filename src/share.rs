//! Share links and saved sessions.
//!
//! A session (the clients it starts with, every step with its client and
//! time, the selected step and a few settings) is a [`SessionDoc`]. It
//! travels as `#s=v1.<payload>`, where the payload is base64url without
//! padding of the raw DEFLATE of the document's JSON ([`encode`],
//! [`decode`]); the same string is what the page keeps in localStorage.
//! The `v1.` prefix names the format, so a later one can be told apart.
//!
//! Hand-written links are read by [`parse_link`]:
//! - `?cmds=<newline-separated lines>&autorun=1&view=…&embed=1&theme=…`;
//! - redis.io's Try-it form, `?commands=<base64url JSON array>&autorun=true`;
//! - `?lesson=<id>` opens a lesson at its first step.
//!
//! The fragment wins over the query. Nothing here trusts its input: sizes
//! are capped before and after inflating (a deflate bomb stops at
//! [`MAX_INFLATED`]), and [`SessionDoc::validate`] checks every client,
//! port, step and the total work a replay would do, so a hostile link
//! ends as a [`ShareError`] (the page then shows a message and an empty
//! sandbox), never as a frozen tab. Link content is data: the page runs it
//! as Redis command lines on the simulated cluster, never as HTML or script.
//!
//! Pure: no browser code. The messages shown for errors are the UI's
//! (`ui::share_text`), so that all its words stay in one place.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::engine::cli::{parse_line, ParsedLine};
use crate::engine::reshard::SlotChoice;
use crate::engine::topology::Topology;

/// The fragment key: `#s=v1.…`.
pub const FRAGMENT_KEY: &str = "s";
/// The format this build writes and reads.
pub const VERSION: u32 = 1;
/// The prefix of an encoded session.
pub const PREFIX: &str = "v1.";
/// Longest encoded session or query value read, in bytes.
pub const MAX_ENCODED: usize = 512 * 1024;
/// Largest inflated JSON accepted (a deflate bomb stops here).
pub const MAX_INFLATED: usize = 2 * 1024 * 1024;
/// Most steps a session may hold to be shared or opened.
pub const MAX_STEPS: usize = 5_000;
/// Longest command line accepted from a link.
pub const MAX_LINE: usize = 64 * 1024;
/// Most clients side by side (as the page allows).
pub const MAX_CLIENTS: usize = 4;
/// Most commands a link may make the page run when it opens (a line's
/// repeat prefix and a sample load count for what they send).
pub const MAX_WORK: u64 = 250_000;
/// Longest lesson id, view or theme.
pub const MAX_WORD: usize = 128;
/// What one script run counts for in [`MAX_WORK`]: a runaway script runs
/// until its step budget stops it (about a tenth of a second), so a link
/// may run at most 50 of them.
pub const SCRIPT_WORK: u64 = 5_000;

/// Client kinds, as written in a session (`ClientKind::value` in the UI).
pub const KINDS: [&str; 3] = ["plain", "redirect", "cluster"];
/// Sample loads, as written in a session, with the commands each sends.
pub const SAMPLES: [(&str, u64); 3] = [("few", 10), ("spread", 100_000), ("hotspot", 4)];
/// The views a link may ask for.
pub const VIEWS: [&str; 4] = ["all", "console", "map", "trace"];
/// The themes a link may ask for.
pub const THEMES: [&str; 3] = ["auto", "light", "dark"];
/// The emulated versions a link may ask for (script error texts differ).
pub const ENGINES: [&str; 3] = ["redis-7.0", "redis-7.4", "valkey-8"];
/// The script panel's run modes.
pub const SCRIPT_MODES: [&str; 3] = ["eval", "eval_ro", "fcall"];
/// Longest script body accepted from a link.
pub const MAX_SCRIPT: usize = 64 * 1024;
/// Lesson actions recorded as steps.
pub const LESSON_ACTS: [&str; 4] = ["open", "next", "run", "leave"];
/// What a lesson action counts for in [`MAX_WORK`] (it runs the step's
/// few commands).
pub const LESSON_WORK: u64 = 50;
/// Node actions recorded as steps (the cluster map's Stop / Start buttons).
pub const NODE_ACTS: [&str; 2] = ["stop", "start"];
/// What one slot of a reshard counts for in [`MAX_WORK`] (SETSLOT
/// IMPORTING/MIGRATING, GETKEYSINSLOT, MIGRATE batches, SETSLOT NODE on
/// each master).
pub const RESHARD_SLOT_WORK: u64 = 10;

/// A client as a session starts with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDoc {
    /// One of [`KINDS`].
    pub kind: String,
    /// The node it connects to (or the cluster client's seed).
    pub port: u16,
}

impl ClientDoc {
    /// `redis-cli -c` on 7000, the page's first client.
    pub fn default_client() -> ClientDoc {
        ClientDoc {
            kind: "redirect".into(),
            port: 7000,
        }
    }
}

fn default_clients() -> Vec<ClientDoc> {
    vec![ClientDoc::default_client()]
}

/// What one step does. Client numbers are positions among the clients
/// open at that step (0 = the first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Client `c` runs the command line `l`.
    Line {
        #[serde(default)]
        c: usize,
        l: String,
    },
    /// Client `c` restarts as `kind` on `port`.
    Restart { c: usize, kind: String, port: u16 },
    /// Another client opens.
    Add { kind: String, port: u16 },
    /// Client `c` closes.
    Close { c: usize },
    /// Sample data is loaded (client `c` gets the note).
    Sample {
        #[serde(default)]
        c: usize,
        sample: String,
    },
    /// The script panel runs `body` in client `c` (`mode`: one of
    /// [`SCRIPT_MODES`]; KEYS and ARGV as typed in its fields).
    Script {
        #[serde(default)]
        c: usize,
        body: String,
        #[serde(default)]
        keys: String,
        #[serde(default)]
        args: String,
        mode: String,
    },
    /// The emulated version becomes `engine` (client `c` gets the note).
    Emulate {
        #[serde(default)]
        c: usize,
        engine: String,
    },
    /// A lesson action ([`LESSON_ACTS`]); `open` names the lesson's id.
    Lesson {
        act: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
    },
    /// The node on `port` is stopped or started ([`NODE_ACTS`]).
    Node { act: String, port: u16 },
    /// Simulated time passes up to the step's time (the failure detector's
    /// next change: `fail?`, `fail`, an election ...).
    Tick,
    /// The reshard control moves `slots` ([`parse_slot_spec`]) from the
    /// master on `from` to the master on `to`: one command of the plan, or
    /// every remaining one (`run`). A plan with the same three values that
    /// is still running carries on; otherwise a new plan starts.
    Reshard {
        from: u16,
        to: u16,
        slots: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        run: bool,
    },
}

/// One step: what happened and when (milliseconds after [`SessionDoc::t0`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDoc {
    #[serde(default)]
    pub t: i64,
    #[serde(flatten)]
    pub op: Op,
}

/// A whole session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDoc {
    /// The format, [`VERSION`].
    pub v: u32,
    /// The time of the first step, in Unix milliseconds.
    #[serde(default)]
    pub t0: u64,
    /// The clients open before the first step.
    #[serde(default = "default_clients")]
    pub clients: Vec<ClientDoc>,
    /// Every step, in order.
    #[serde(default)]
    pub steps: Vec<StepDoc>,
    /// The selected step (how many steps are applied); the last when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// The client being typed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<usize>,
    /// One of [`VIEWS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    /// One of [`THEMES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// One of [`ENGINES`]; Redis 7.0 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// The lesson being followed (filled by the lessons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    /// The step shown within that lesson (1 = its first), for people
    /// reading the link; the lesson's own steps are in [`Self::steps`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson_step: Option<u32>,
    /// Lines waiting to be run by the first client, one per Enter (from a
    /// `?cmds=` link without autorun); the first is in its prompt.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<String>,
    /// How far the page's clock ran ahead of the wall clock, in
    /// milliseconds: what the operations panel's "Skip ahead" skipped
    /// (absent: 0, as in every link made before it existed).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ahead: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Default for SessionDoc {
    fn default() -> Self {
        SessionDoc {
            v: VERSION,
            t0: 0,
            clients: default_clients(),
            steps: Vec::new(),
            step: None,
            active: None,
            view: None,
            theme: None,
            engine: None,
            lesson: None,
            lesson_step: None,
            pending: Vec::new(),
            ahead: 0,
        }
    }
}

/// What is wrong with a field of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No client at all.
    NoClients,
    /// More than [`MAX_CLIENTS`] clients open at once.
    TooManyClients,
    /// A kind not in [`KINDS`].
    UnknownKind(String),
    /// A port no node listens on.
    UnknownPort(u16),
    /// A sample not in [`SAMPLES`].
    UnknownSample(String),
    /// A script mode not in [`SCRIPT_MODES`], an engine not in
    /// [`ENGINES`], a lesson action not in [`LESSON_ACTS`], a lesson
    /// id no lesson has, a node action not in [`NODE_ACTS`], or a
    /// reshard's slots that [`parse_slot_spec`] does not read.
    UnknownName(String),
    /// Step `step` names a client that is not open then.
    NoSuchClient { step: usize, client: usize },
    /// Step `step` closes the last client.
    ClosesLastClient { step: usize },
    /// A line longer than [`MAX_LINE`].
    LineTooLong { step: usize },
    /// A selected step past the end.
    StepOutOfRange { step: usize, steps: usize },
    /// A lesson id, view or theme longer than [`MAX_WORD`].
    WordTooLong,
}

/// Why a link or saved session cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Not base64url, not DEFLATE, or not a session's JSON.
    Damaged,
    /// Another format (`v2.` …, or `"v": 2`): the version seen.
    Version(String),
    /// Over [`MAX_ENCODED`] bytes encoded or [`MAX_INFLATED`] inflated.
    TooLarge { max: usize },
    /// More than [`MAX_STEPS`] steps (or pending lines).
    TooManySteps { steps: usize },
    /// A replay would run more than [`MAX_WORK`] commands.
    TooMuchWork { work: u64 },
    /// A field is out of range.
    Invalid(Problem),
}

/// What a line costs to run, in commands: its repeat prefix, times
/// [`SCRIPT_WORK`] for a command that runs Lua; 1 for a line that sends
/// nothing, since it still costs a step.
pub fn line_work(line: &str) -> u64 {
    match parse_line(line) {
        ParsedLine::Command { repeat, argv } => {
            // FUNCTION LOAD runs the library's body too.
            let script = crate::engine::cli::runs_script(&argv)
                || argv
                    .first()
                    .is_some_and(|name| name.eq_ignore_ascii_case(b"function"));
            let each = if script { SCRIPT_WORK } else { 1 };
            repeat.max(1).saturating_mul(each)
        }
        ParsedLine::Empty | ParsedLine::Message(_) => 1,
    }
}

/// The reshard control's slot field: a count (`5`: the source's first five
/// slots, like `redis-cli --cluster reshard --cluster-slots 5`) or an
/// inclusive range (`3696-3700`, also with `..` or `–`). `None` when it is
/// neither, or the range is out of 0-16383 or backwards.
pub fn parse_slot_spec(text: &str) -> Option<SlotChoice> {
    let text = text.trim();
    let range = ["-", "–", ".."].iter().find_map(|sep| text.split_once(sep));
    let slot = |s: &str| {
        s.trim()
            .parse::<u16>()
            .ok()
            .filter(|n| *n < crate::engine::slot::SLOT_COUNT)
    };
    match range {
        Some((a, b)) => {
            let (a, b) = (slot(a)?, slot(b)?);
            (a <= b).then_some(SlotChoice::Range(a, b))
        }
        None => {
            let n = text.parse::<usize>().ok()?;
            (1..=usize::from(crate::engine::slot::SLOT_COUNT))
                .contains(&n)
                .then_some(SlotChoice::Count(n))
        }
    }
}

/// How many slots a choice names.
pub fn slot_choice_len(choice: &SlotChoice) -> u64 {
    match choice {
        SlotChoice::Count(n) => *n as u64,
        SlotChoice::Range(a, b) => u64::from(b - a) + 1,
        SlotChoice::List(list) => list.len() as u64,
    }
}

/// Commands a sample load sends, if it is one.
pub fn sample_work(sample: &str) -> Option<u64> {
    SAMPLES.iter().find(|(s, _)| *s == sample).map(|(_, w)| *w)
}

fn known_port(port: u16) -> bool {
    Topology::default().by_port(port).is_some()
}

fn known(names: &[&str], name: &str) -> Result<(), ShareError> {
    if names.contains(&name) {
        Ok(())
    } else {
        Err(ShareError::Invalid(Problem::UnknownName(truncate(name))))
    }
}

fn check_client(kind: &str, port: u16) -> Result<(), ShareError> {
    if !KINDS.contains(&kind) {
        return Err(ShareError::Invalid(Problem::UnknownKind(truncate(kind))));
    }
    if !known_port(port) {
        return Err(ShareError::Invalid(Problem::UnknownPort(port)));
    }
    Ok(())
}

/// At most [`MAX_WORD`] bytes of `s` (on a char boundary), for messages.
fn truncate(s: &str) -> String {
    let mut end = s.len().min(MAX_WORD);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

impl SessionDoc {
    /// A session that runs `lines` in the first client, all at `now_ms`.
    pub fn from_lines(lines: Vec<String>, now_ms: u64) -> SessionDoc {
        SessionDoc {
            t0: now_ms,
            steps: lines
                .into_iter()
                .map(|l| StepDoc {
                    t: 0,
                    op: Op::Line { c: 0, l },
                })
                .collect(),
            ..SessionDoc::default()
        }
    }

    /// True when there is nothing to keep: no step, nothing pending, the
    /// default client and no lesson.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
            && self.pending.is_empty()
            && self.lesson.is_none()
            && self.clients == default_clients()
    }

    /// The absolute time of a step.
    pub fn time_of(&self, step: &StepDoc) -> u64 {
        if step.t >= 0 {
            self.t0.saturating_add(step.t.unsigned_abs())
        } else {
            self.t0.saturating_sub(step.t.unsigned_abs())
        }
    }

    /// Checks everything a replay depends on; also drops a view or theme
    /// this build does not know and an `active` client that is not open
    /// at the selected step (they are hints, not data).
    pub fn validate(&mut self) -> Result<(), ShareError> {
        if self.v != VERSION {
            return Err(ShareError::Version(format!("v{}", self.v)));
        }
        if self.steps.len() > MAX_STEPS {
            return Err(ShareError::TooManySteps {
                steps: self.steps.len(),
            });
        }
        if self.pending.len() > MAX_STEPS {
            return Err(ShareError::TooManySteps {
                steps: self.pending.len(),
            });
        }
        if self.clients.is_empty() {
            return Err(ShareError::Invalid(Problem::NoClients));
        }
        if self.clients.len() > MAX_CLIENTS {
            return Err(ShareError::Invalid(Problem::TooManyClients));
        }
        for client in &self.clients {
            check_client(&client.kind, client.port)?;
        }
        for word in [&self.view, &self.theme, &self.engine, &self.lesson]
            .into_iter()
            .flatten()
        {
            if word.len() > MAX_WORD {
                return Err(ShareError::Invalid(Problem::WordTooLong));
            }
        }
        if self.pending.iter().any(|l| l.len() > MAX_LINE) {
            return Err(ShareError::Invalid(Problem::LineTooLong { step: 0 }));
        }
        if let Some(step) = self.step {
            if step > self.steps.len() {
                return Err(ShareError::Invalid(Problem::StepOutOfRange {
                    step,
                    steps: self.steps.len(),
                }));
            }
        }
        let mut open = self.clients.len();
        // False once a lesson has set up its own clients.
        let mut exact = true;
        let mut work = 0u64;
        let mut open_at_selected = open;
        for (index, step) in self.steps.iter().enumerate() {
            if Some(index) == self.step {
                open_at_selected = open;
            }
            let number = index + 1;
            let client = |c: usize| -> Result<(), ShareError> {
                if c < open || (!exact && c < MAX_CLIENTS) {
                    Ok(())
                } else {
                    Err(ShareError::Invalid(Problem::NoSuchClient {
                        step: number,
                        client: c,
                    }))
                }
            };
            match &step.op {
                Op::Line { c, l } => {
                    client(*c)?;
                    if l.len() > MAX_LINE {
                        return Err(ShareError::Invalid(Problem::LineTooLong { step: number }));
                    }
                    work = work.saturating_add(line_work(l));
                }
                Op::Restart { c, kind, port } => {
                    client(*c)?;
                    check_client(kind, *port)?;
                    work = work.saturating_add(1);
                }
                Op::Add { kind, port } => {
                    check_client(kind, *port)?;
                    open += 1;
                    if open > MAX_CLIENTS && exact {
                        return Err(ShareError::Invalid(Problem::TooManyClients));
                    }
                    work = work.saturating_add(1);
                }
                Op::Close { c } => {
                    client(*c)?;
                    if open <= 1 && exact {
                        return Err(ShareError::Invalid(Problem::ClosesLastClient {
                            step: number,
                        }));
                    }
                    open = open.saturating_sub(1).max(1);
                    work = work.saturating_add(1);
                }
                Op::Sample { c, sample } => {
                    client(*c)?;
                    let Some(w) = sample_work(sample) else {
                        return Err(ShareError::Invalid(Problem::UnknownSample(truncate(
                            sample,
                        ))));
                    };
                    work = work.saturating_add(w);
                }
                Op::Script {
                    c,
                    body,
                    keys,
                    args,
                    mode,
                } => {
                    client(*c)?;
                    known(&SCRIPT_MODES, mode)?;
                    if body.len() > MAX_SCRIPT || keys.len() > MAX_LINE || args.len() > MAX_LINE {
                        return Err(ShareError::Invalid(Problem::LineTooLong { step: number }));
                    }
                    work = work.saturating_add(SCRIPT_WORK);
                }
                Op::Emulate { c, engine } => {
                    client(*c)?;
                    known(&ENGINES, engine)?;
                    work = work.saturating_add(1);
                }
                Op::Lesson { act, id } => {
                    known(&LESSON_ACTS, act)?;
                    if act == "open" {
                        let id = id.as_deref().unwrap_or_default();
                        if !crate::lessons::all().iter().any(|l| l.id == id) {
                            return Err(ShareError::Invalid(Problem::UnknownName(truncate(id))));
                        }
                    }
                    // A lesson sets up its own clients: from here on the
                    // count is not known (a replay skips a missing client).
                    exact = false;
                    work = work.saturating_add(LESSON_WORK);
                }
                Op::Node { act, port } => {
                    known(&NODE_ACTS, act)?;
                    if !known_port(*port) {
                        return Err(ShareError::Invalid(Problem::UnknownPort(*port)));
                    }
                    work = work.saturating_add(1);
                }
                Op::Tick => work = work.saturating_add(1),
                Op::Reshard {
                    from,
                    to,
                    slots,
                    run,
                } => {
                    for port in [from, to] {
                        if !known_port(*port) {
                            return Err(ShareError::Invalid(Problem::UnknownPort(*port)));
                        }
                    }
                    if slots.len() > MAX_WORD {
                        return Err(ShareError::Invalid(Problem::WordTooLong));
                    }
                    let Some(choice) = parse_slot_spec(slots) else {
                        return Err(ShareError::Invalid(Problem::UnknownName(truncate(slots))));
                    };
                    work = work.saturating_add(if *run {
                        slot_choice_len(&choice).saturating_mul(RESHARD_SLOT_WORK)
                    } else {
                        1
                    });
                }
            }
            if work > MAX_WORK {
                return Err(ShareError::TooMuchWork { work });
            }
        }
        if self.step.is_none_or(|s| s == self.steps.len()) {
            open_at_selected = open;
        }
        if exact && self.active.is_some_and(|a| a >= open_at_selected) {
            self.active = None;
        }
        if self.view.as_deref().is_some_and(|v| !VIEWS.contains(&v)) {
            self.view = None;
        }
        if self.theme.as_deref().is_some_and(|t| !THEMES.contains(&t)) {
            self.theme = None;
        }
        if self
            .engine
            .as_deref()
            .is_some_and(|e| !ENGINES.contains(&e))
        {
            self.engine = None;
        }
        Ok(())
    }
}

/// The session as `v1.<base64url-no-pad(raw deflate(JSON))>`.
pub fn encode(doc: &SessionDoc) -> String {
    let json = serde_json::to_vec(doc).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads an encoded session (what follows `#s=`) and validates it.
pub fn decode(encoded: &str) -> Result<SessionDoc, ShareError> {
    parse_json(&unpack(encoded)?)
}

/// An encoded session's JSON: the prefix checked, base64 and deflate
/// undone, both sizes bounded.
fn unpack(encoded: &str) -> Result<Vec<u8>, ShareError> {
    let encoded = encoded.trim();
    if encoded.len() > MAX_ENCODED {
        return Err(ShareError::TooLarge { max: MAX_ENCODED });
    }
    let Some(payload) = encoded.strip_prefix(PREFIX) else {
        return Err(match version_prefix(encoded) {
            Some(v) => ShareError::Version(v),
            None => ShareError::Damaged,
        });
    };
    let packed = lenient_base64(payload).ok_or(ShareError::Damaged)?;
    match miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED) {
        Ok(json) => Ok(json),
        Err(e) if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
            Err(ShareError::TooLarge { max: MAX_INFLATED })
        }
        Err(_) => Err(ShareError::Damaged),
    }
}

/// A session from its JSON (checks the version before the rest, so a
/// later format reads as such even if its fields changed).
pub fn parse_json(json: &[u8]) -> Result<SessionDoc, ShareError> {
    let value: serde_json::Value = serde_json::from_slice(json).map_err(|_| ShareError::Damaged)?;
    match value.get("v") {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(VERSION)) => {}
        Some(serde_json::Value::Number(n)) => return Err(ShareError::Version(format!("v{n}"))),
        _ => return Err(ShareError::Damaged),
    }
    let mut doc: SessionDoc = serde_json::from_value(value).map_err(|_| ShareError::Damaged)?;
    doc.validate()?;
    Ok(doc)
}

/// Whether the page this address opens starts in a lesson, read from the
/// raw address and the saved session without checking them (checking a
/// session looks its lessons up, and the web build must fetch the lessons
/// first: `ui::start`). True for a `lesson=` parameter, or when the session
/// the page opens (the link's `#s=`, else the saved one unless the link
/// brings commands or is an embed) names a lesson: one being followed, or
/// a lesson step in its timeline.
pub fn starts_in_a_lesson(query: &str, fragment: &str, saved: Option<&str>) -> bool {
    let params = parse_query(query);
    let has = |key: &str| params.iter().any(|(k, _)| k == key);
    if has("lesson") {
        return true;
    }
    let session = match fragment_session(fragment) {
        Some(session) => Some(session),
        None if has("cmds") || has("commands") || has("embed") => None,
        None => saved,
    };
    session.is_some_and(names_a_lesson)
}

/// Whether an encoded session names a lesson (see [`starts_in_a_lesson`]);
/// false when it cannot be read.
fn names_a_lesson(encoded: &str) -> bool {
    let Ok(json) = unpack(encoded) else {
        return false;
    };
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&json) else {
        return false;
    };
    doc.get("lesson").is_some_and(|l| !l.is_null())
        || doc
            .get("steps")
            .and_then(serde_json::Value::as_array)
            .is_some_and(|steps| {
                steps
                    .iter()
                    .any(|s| s.get("op").and_then(|o| o.as_str()) == Some("lesson"))
            })
}

/// `v7.` → `Some("v7")`: the prefix of another format.
fn version_prefix(encoded: &str) -> Option<String> {
    let (head, _) = encoded.split_once('.')?;
    let digits = head.strip_prefix('v')?;
    (!digits.is_empty() && digits.len() <= 9 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| head.to_string())
}

/// base64url or standard base64, with or without padding.
fn lenient_base64(text: &str) -> Option<Vec<u8>> {
    const LENIENT: GeneralPurposeConfig =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let url = GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);
    let std = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
    url.decode(text)
        .or_else(|_| std.decode(text))
        .or_else(|_| STANDARD.decode(text))
        .ok()
}

/// What a link asks the page to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Nothing: the saved session, or a new one.
    Nothing,
    /// A session from `#s=` (validated).
    Session(SessionDoc),
    /// Lines from `?cmds=` or `?commands=`: run at once (`autorun`) or
    /// one per Enter.
    Lines { lines: Vec<String>, autorun: bool },
    /// A link that cannot be opened.
    Broken(ShareError),
}

/// A link, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub source: Source,
    /// `embed=1`: compact chrome inside another page.
    pub embed: bool,
    /// `view=` (one of [`VIEWS`]).
    pub view: Option<String>,
    /// `theme=` (one of [`THEMES`]).
    pub theme: Option<String>,
    /// `engine=` (one of [`ENGINES`]).
    pub engine: Option<String>,
    /// `lang=` (en, zh or ja): the page's language, over the browser's
    /// and the learner's saved choice (a teacher's page in Chinese embeds
    /// the playground in Chinese).
    pub lang: Option<crate::i18n::Lang>,
}

/// Query keys a session fragment makes obsolete (dropped from the
/// address once `#s=` is written).
pub const SESSION_QUERY_KEYS: [&str; 7] = [
    "cmds", "commands", "autorun", "view", "theme", "engine", "lesson",
];

/// Reads a link's query (without `?`) and fragment (without `#`).
pub fn parse_link(query: &str, fragment: &str) -> Link {
    let params = parse_query(query);
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let flag = |key: &str| {
        get(key).is_some_and(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "" | "1" | "true" | "yes" | "on"
            )
        })
    };
    let word = |key: &str, allowed: &[&str]| {
        get(key)
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| allowed.contains(&v.as_str()))
    };
    let embed = flag("embed");
    let view = word("view", &VIEWS);
    let theme = word("theme", &THEMES);
    let engine = word("engine", &ENGINES);
    let lang =
        get("lang").and_then(|v| crate::i18n::Lang::from_code(&v.trim().to_ascii_lowercase()));
    let autorun = flag("autorun");

    let source = if let Some(encoded) = fragment_session(fragment) {
        match decode(encoded) {
            Ok(doc) => Source::Session(doc),
            Err(e) => Source::Broken(e),
        }
    } else if query.len() > MAX_ENCODED {
        Source::Broken(ShareError::TooLarge { max: MAX_ENCODED })
    } else if let Some(cmds) = get("cmds") {
        lines_source(split_lines(cmds), autorun)
    } else if let Some(commands) = get("commands") {
        match try_it_commands(commands) {
            Ok(lines) => lines_source(lines, autorun),
            Err(e) => Source::Broken(e),
        }
    } else if let Some(id) = get("lesson") {
        let id = id.trim();
        if crate::lessons::all().iter().any(|l| l.id == id) {
            Source::Session(SessionDoc {
                lesson: Some(id.to_string()),
                ..SessionDoc::default()
            })
        } else {
            Source::Broken(ShareError::Invalid(Problem::UnknownName(truncate(id))))
        }
    } else {
        Source::Nothing
    };
    Link {
        source,
        embed,
        view,
        theme,
        engine,
        lang,
    }
}

/// The encoded session in a fragment `s=v1.…` (other fragments are
/// ordinary anchors).
fn fragment_session(fragment: &str) -> Option<&str> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    fragment.split('&').find_map(|part| {
        part.strip_prefix(FRAGMENT_KEY)
            .and_then(|rest| rest.strip_prefix('='))
    })
}

fn lines_source(lines: Vec<String>, autorun: bool) -> Source {
    if lines.len() > MAX_STEPS {
        return Source::Broken(ShareError::TooManySteps { steps: lines.len() });
    }
    if let Some(step) = lines.iter().position(|l| l.len() > MAX_LINE) {
        return Source::Broken(ShareError::Invalid(Problem::LineTooLong { step: step + 1 }));
    }
    let work = lines
        .iter()
        .fold(0u64, |w, l| w.saturating_add(line_work(l)));
    if work > MAX_WORK {
        return Source::Broken(ShareError::TooMuchWork { work });
    }
    if lines.is_empty() {
        return Source::Nothing;
    }
    Source::Lines { lines, autorun }
}

/// Newline-separated lines, without blank ones (CRLF is fine).
fn split_lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// redis.io's `?commands=`: base64url of a JSON array of command lines.
fn try_it_commands(value: &str) -> Result<Vec<String>, ShareError> {
    let bytes = lenient_base64(value.trim()).ok_or(ShareError::Damaged)?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        // btoa() of a JS string is Latin-1.
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    };
    let lines: Vec<String> = serde_json::from_str(&text).map_err(|_| ShareError::Damaged)?;
    Ok(lines.into_iter().flat_map(|l| split_lines(&l)).collect())
}

/// `application/x-www-form-urlencoded` pairs (`+` is a space, `%XX` a byte).
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| {
                    std::str::from_utf8(h)
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                });
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The query to keep when the session moves into the fragment: every pair
/// but [`SESSION_QUERY_KEYS`], re-encoded (`embed=1` stays).
pub fn query_without_session(query: &str) -> String {
    let kept: Vec<String> = parse_query(query)
        .into_iter()
        .filter(|(k, _)| !SESSION_QUERY_KEYS.contains(&k.as_str()))
        .map(|(k, v)| {
            if v.is_empty() {
                percent_encode(&k)
            } else {
                format!("{}={}", percent_encode(&k), percent_encode(&v))
            }
        })
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_doc() -> SessionDoc {
        SessionDoc {
            t0: 1_700_000_000_000,
            clients: vec![
                ClientDoc::default_client(),
                ClientDoc {
                    kind: "plain".into(),
                    port: 7001,
                },
            ],
            steps: vec![
                StepDoc {
                    t: 0,
                    op: Op::Line {
                        c: 0,
                        l: "SET foo bar".into(),
                    },
                },
                StepDoc {
                    t: 1500,
                    op: Op::Line {
                        c: 1,
                        l: "GET \"héllo wörld\" 日本".into(),
                    },
                },
                StepDoc {
                    t: 2000,
                    op: Op::Restart {
                        c: 1,
                        kind: "cluster".into(),
                        port: 7004,
                    },
                },
                StepDoc {
                    t: 2100,
                    op: Op::Add {
                        kind: "redirect".into(),
                        port: 7002,
                    },
                },
                StepDoc {
                    t: 2200,
                    op: Op::Sample {
                        c: 2,
                        sample: "few".into(),
                    },
                },
                StepDoc {
                    t: -5,
                    op: Op::Close { c: 0 },
                },
            ],
            step: Some(3),
            active: Some(1),
            view: Some("map".into()),
            theme: Some("dark".into()),
            engine: Some("redis-7.4".into()),
            lesson: Some("hash-slots".into()),
            lesson_step: Some(2),
            pending: vec!["GET foo".into()],
            ..SessionDoc::default()
        }
    }

    #[test]
    fn round_trip() {
        let doc = sample_doc();
        let encoded = encode(&doc);
        assert!(encoded.starts_with("v1."));
        let payload = &encoded[3..];
        assert!(payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&encoded), Ok(doc.clone()));
        // Through a whole link too.
        let link = parse_link("", &format!("s={encoded}"));
        assert_eq!(link.source, Source::Session(doc));
    }

    #[test]
    fn an_empty_session_round_trips_and_is_empty() {
        let doc = SessionDoc::default();
        assert!(doc.is_empty());
        assert_eq!(decode(&encode(&doc)), Ok(doc));
        assert!(!sample_doc().is_empty());
    }

    #[test]
    fn step_times_are_relative_to_t0() {
        let doc = sample_doc();
        assert_eq!(doc.time_of(&doc.steps[1]), 1_700_000_001_500);
        assert_eq!(doc.time_of(&doc.steps[5]), 1_699_999_999_995);
    }

    #[test]
    fn the_json_is_readable() {
        let json = serde_json::to_string(&sample_doc().steps[0]).unwrap();
        assert_eq!(json, r#"{"t":0,"op":"line","c":0,"l":"SET foo bar"}"#);
        // Defaults: a line on the first client at t0.
        let doc = parse_json(br#"{"v":1,"steps":[{"op":"line","l":"PING"}]}"#).unwrap();
        assert_eq!(doc.clients, vec![ClientDoc::default_client()]);
        assert_eq!(
            doc.steps,
            vec![StepDoc {
                t: 0,
                op: Op::Line {
                    c: 0,
                    l: "PING".into()
                }
            }]
        );
    }

    #[test]
    fn garbage_is_damaged() {
        for bad in [
            "",
            "v1.",
            "v1.!!!!",
            "v1.AAAA",                       // base64 fine, not deflate
            "v1.%%%",                        // not base64
            "hello",                         // no prefix
            "v1.eJzLSM3JyVcozy_KSQEAGgQEXQ", // zlib, not raw deflate
        ] {
            assert_eq!(decode(bad), Err(ShareError::Damaged), "{bad:?}");
        }
        // Valid deflate of something that is not a session.
        let not_json = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
            b"<script>alert(1)</script>",
            6,
        ));
        assert_eq!(decode(&format!("v1.{not_json}")), Err(ShareError::Damaged));
        let wrong_shape = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
            br#"{"v":1,"steps":"x"}"#,
            6,
        ));
        assert_eq!(
            decode(&format!("v1.{wrong_shape}")),
            Err(ShareError::Damaged)
        );
        let no_version = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"[1,2]", 6));
        assert_eq!(
            decode(&format!("v1.{no_version}")),
            Err(ShareError::Damaged)
        );
        // A truncated link.
        let good = encode(&sample_doc());
        assert_eq!(decode(&good[..good.len() / 2]), Err(ShareError::Damaged));
    }

    #[test]
    fn wrong_version() {
        assert_eq!(decode("v2.AAAA"), Err(ShareError::Version("v2".into())));
        assert_eq!(decode("v10.xyz"), Err(ShareError::Version("v10".into())));
        let v2 = SessionDoc {
            v: 2,
            ..SessionDoc::default()
        };
        assert_eq!(decode(&encode(&v2)), Err(ShareError::Version("v2".into())));
        // A v1 prefix around a v2 document is still a v2 document.
        let json = br#"{"v":2,"whatever":[]}"#;
        let packed = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json, 6));
        assert_eq!(
            decode(&format!("v1.{packed}")),
            Err(ShareError::Version("v2".into()))
        );
    }

    #[test]
    fn oversized_input_is_refused_before_decoding() {
        let huge = format!("v1.{}", "A".repeat(MAX_ENCODED + 1));
        assert_eq!(
            decode(&huge),
            Err(ShareError::TooLarge { max: MAX_ENCODED })
        );
        let link = parse_link(&format!("cmds={}", "A".repeat(MAX_ENCODED + 1)), "");
        assert_eq!(
            link.source,
            Source::Broken(ShareError::TooLarge { max: MAX_ENCODED })
        );
    }

    #[test]
    fn a_deflate_bomb_stops_at_the_cap() {
        // 64 MiB of zeros deflates to about 64 KiB: well under MAX_ENCODED.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 64 << 20], 10);
        let encoded = format!("v1.{}", URL_SAFE_NO_PAD.encode(&bomb));
        assert!(encoded.len() < MAX_ENCODED, "{}", encoded.len());
        assert_eq!(
            decode(&encoded),
            Err(ShareError::TooLarge { max: MAX_INFLATED })
        );
    }

    #[test]
    fn too_many_steps_or_too_much_work() {
        let many = SessionDoc::from_lines(vec!["PING".into(); 10_000], 0);
        // Encodes small (it is repetitive) but is refused.
        let encoded = encode(&many);
        assert!(encoded.len() < MAX_ENCODED);
        assert_eq!(
            decode(&encoded),
            Err(ShareError::TooManySteps { steps: 10_000 })
        );
        // 100,000 steps do not even inflate within the cap.
        let encoded = encode(&SessionDoc::from_lines(vec!["PING".into(); 100_000], 0));
        assert!(encoded.len() < MAX_ENCODED);
        assert_eq!(
            decode(&encoded),
            Err(ShareError::TooLarge { max: MAX_INFLATED })
        );
        let heavy = SessionDoc::from_lines(vec!["10000 INCR x".into(); 26], 0);
        assert_eq!(
            decode(&encode(&heavy)),
            Err(ShareError::TooMuchWork { work: 260_000 })
        );
        let samples = SessionDoc {
            steps: (0..3)
                .map(|_| StepDoc {
                    t: 0,
                    op: Op::Sample {
                        c: 0,
                        sample: "spread".into(),
                    },
                })
                .collect(),
            ..SessionDoc::default()
        };
        assert_eq!(
            decode(&encode(&samples)),
            Err(ShareError::TooMuchWork { work: 300_000 })
        );
        let cmds = vec!["PING"; 10_000].join("\n");
        assert_eq!(
            parse_link(&format!("cmds={}", percent_encode(&cmds)), "").source,
            Source::Broken(ShareError::TooManySteps { steps: 10_000 })
        );
        let cmds = vec!["PING"; 100_000].join("\n");
        assert_eq!(
            parse_link(&format!("cmds={}&autorun=1", percent_encode(&cmds)), "").source,
            Source::Broken(ShareError::TooLarge { max: MAX_ENCODED })
        );
    }

    #[test]
    fn fields_out_of_range_are_invalid() {
        let check = |edit: &dyn Fn(&mut SessionDoc), problem: Problem| {
            let mut doc = sample_doc();
            edit(&mut doc);
            assert_eq!(
                decode(&encode(&doc)),
                Err(ShareError::Invalid(problem.clone())),
                "{problem:?}"
            );
        };
        check(&|d| d.clients.clear(), Problem::NoClients);
        check(
            &|d| d.clients = vec![ClientDoc::default_client(); 5],
            Problem::TooManyClients,
        );
        check(
            &|d| d.clients[0].kind = "<b>evil</b>".into(),
            Problem::UnknownKind("<b>evil</b>".into()),
        );
        check(&|d| d.clients[0].port = 6379, Problem::UnknownPort(6379));
        check(
            &|d| {
                d.steps[0].op = Op::Line {
                    c: 2,
                    l: "PING".into(),
                }
            },
            Problem::NoSuchClient { step: 1, client: 2 },
        );
        check(
            &|d| {
                d.steps[4].op = Op::Sample {
                    c: 0,
                    sample: "all".into(),
                }
            },
            Problem::UnknownSample("all".into()),
        );
        check(
            &|d| {
                d.steps[0].op = Op::Line {
                    c: 0,
                    l: "x".repeat(MAX_LINE + 1),
                }
            },
            Problem::LineTooLong { step: 1 },
        );
        check(
            &|d| d.step = Some(7),
            Problem::StepOutOfRange { step: 7, steps: 6 },
        );
        check(
            &|d| d.lesson = Some("l".repeat(MAX_WORD + 1)),
            Problem::WordTooLong,
        );
        check(
            &|d| {
                d.clients.truncate(1);
                d.steps = vec![StepDoc {
                    t: 0,
                    op: Op::Close { c: 0 },
                }];
                d.step = None;
            },
            Problem::ClosesLastClient { step: 1 },
        );
        check(
            &|d| {
                d.steps = (0..4)
                    .map(|_| StepDoc {
                        t: 0,
                        op: Op::Add {
                            kind: "plain".into(),
                            port: 7000,
                        },
                    })
                    .collect();
                d.step = None;
            },
            Problem::TooManyClients,
        );
    }

    #[test]
    fn a_lesson_link_or_session_is_seen_without_checking_it() {
        let plain = encode(&SessionDoc {
            steps: vec![StepDoc {
                t: 0,
                op: Op::Line {
                    c: 0,
                    l: "SET lesson \"lesson\"".into(),
                },
            }],
            ..SessionDoc::default()
        });
        let following = encode(&SessionDoc {
            lesson: Some("hash-tags".into()),
            ..SessionDoc::default()
        });
        let stepped = encode(&SessionDoc {
            steps: vec![StepDoc {
                t: 0,
                op: Op::Lesson {
                    act: "open".into(),
                    id: Some("no-such-lesson".into()),
                },
            }],
            ..SessionDoc::default()
        });
        assert!(starts_in_a_lesson("?lesson=hash-tags", "", None));
        assert!(starts_in_a_lesson("?lesson=nonsense", "", None));
        assert!(!starts_in_a_lesson("", "", None));
        assert!(!starts_in_a_lesson("", &format!("#s={plain}"), None));
        assert!(starts_in_a_lesson("", &format!("#s={following}"), None));
        assert!(starts_in_a_lesson("", &format!("#s={stepped}"), None));
        // The saved session counts when the link brings nothing else.
        assert!(starts_in_a_lesson("", "", Some(&following)));
        assert!(!starts_in_a_lesson("", "", Some(&plain)));
        assert!(!starts_in_a_lesson("?cmds=GET%20a", "", Some(&following)));
        assert!(!starts_in_a_lesson("?embed=1", "", Some(&following)));
        assert!(!starts_in_a_lesson(
            "",
            &format!("#s={plain}"),
            Some(&following)
        ));
        // Unreadable sessions name nothing.
        assert!(!starts_in_a_lesson("", "#s=v1.%%%", Some("garbage")));
    }

    #[test]
    fn script_emulate_and_lesson_steps() {
        let steps = vec![
            StepDoc {
                t: 0,
                op: Op::Lesson {
                    act: "open".into(),
                    id: Some("hash-slots".into()),
                },
            },
            StepDoc {
                t: 1,
                op: Op::Lesson {
                    act: "next".into(),
                    id: None,
                },
            },
            // The lesson set up its own clients: client 2 may exist.
            StepDoc {
                t: 2,
                op: Op::Script {
                    c: 2,
                    body: "return 1".into(),
                    keys: String::new(),
                    args: String::new(),
                    mode: "eval".into(),
                },
            },
            StepDoc {
                t: 3,
                op: Op::Emulate {
                    c: 0,
                    engine: "valkey-8".into(),
                },
            },
        ];
        let doc = SessionDoc {
            steps,
            ..SessionDoc::default()
        };
        assert_eq!(decode(&encode(&doc)), Ok(doc.clone()));
        let json = serde_json::to_string(&doc.steps[0]).unwrap();
        assert_eq!(
            json,
            r#"{"t":0,"op":"lesson","act":"open","id":"hash-slots"}"#
        );
        let bad = |op: Op| {
            let mut d = doc.clone();
            d.steps.push(StepDoc { t: 4, op });
            decode(&encode(&d))
        };
        assert_eq!(
            bad(Op::Lesson {
                act: "open".into(),
                id: Some("nope".into())
            }),
            Err(ShareError::Invalid(Problem::UnknownName("nope".into())))
        );
        assert_eq!(
            bad(Op::Lesson {
                act: "jump".into(),
                id: None
            }),
            Err(ShareError::Invalid(Problem::UnknownName("jump".into())))
        );
        assert_eq!(
            bad(Op::Emulate {
                c: 0,
                engine: "redis-6".into()
            }),
            Err(ShareError::Invalid(Problem::UnknownName("redis-6".into())))
        );
        assert_eq!(
            bad(Op::Script {
                c: 0,
                body: "x".repeat(MAX_SCRIPT + 1),
                keys: String::new(),
                args: String::new(),
                mode: "eval".into()
            }),
            Err(ShareError::Invalid(Problem::LineTooLong { step: 5 }))
        );
        // Each script run counts as much as a runaway one.
        let scripts = SessionDoc {
            steps: (0..51)
                .map(|_| StepDoc {
                    t: 0,
                    op: Op::Script {
                        c: 0,
                        body: "while true do end".into(),
                        keys: String::new(),
                        args: String::new(),
                        mode: "eval".into(),
                    },
                })
                .collect(),
            ..SessionDoc::default()
        };
        assert_eq!(
            decode(&encode(&scripts)),
            Err(ShareError::TooMuchWork {
                work: 51 * SCRIPT_WORK
            })
        );
    }

    #[test]
    fn hints_that_do_not_fit_are_dropped() {
        let mut doc = sample_doc();
        doc.view = Some("everything".into());
        doc.theme = Some("neon".into());
        doc.engine = Some("redis-9".into());
        doc.active = Some(3);
        let back = decode(&encode(&doc)).unwrap();
        assert_eq!(
            (back.view, back.theme, back.engine, back.active),
            (None, None, None, None)
        );
    }

    #[test]
    fn cmds_links() {
        let link = parse_link(
            "cmds=SET+foo+bar%0AGET%20foo%0D%0A%0A&autorun=1&view=trace&embed=1&theme=dark&engine=redis-7.4&lang=zh",
            "",
        );
        assert_eq!(
            link,
            Link {
                source: Source::Lines {
                    lines: vec!["SET foo bar".into(), "GET foo".into()],
                    autorun: true
                },
                embed: true,
                view: Some("trace".into()),
                theme: Some("dark".into()),
                engine: Some("redis-7.4".into()),
                lang: Some(crate::i18n::Lang::Zh),
            }
        );
        assert_eq!(parse_link("lang=JA", "").lang, Some(crate::i18n::Lang::Ja));
        assert_eq!(parse_link("lang=fr", "").lang, None);
        let link = parse_link("cmds=PING&view=nonsense&theme=%3Cscript%3E", "");
        assert_eq!(
            link.source,
            Source::Lines {
                lines: vec!["PING".into()],
                autorun: false
            }
        );
        assert_eq!((link.view, link.theme, link.embed), (None, None, false));
        assert_eq!(
            parse_link("autorun=0&cmds=PING", "").source,
            Source::Lines {
                lines: vec!["PING".into()],
                autorun: false
            }
        );
        // Blank cmds: nothing to open.
        assert_eq!(parse_link("cmds=%0A%0A", "").source, Source::Nothing);
        assert_eq!(parse_link("", "").source, Source::Nothing);
        // An ordinary anchor is not a session.
        assert_eq!(parse_link("", "#embedding").source, Source::Nothing);
        // Broken percent escapes are kept literally.
        assert_eq!(
            parse_link("cmds=SET%ZZ%4", "").source,
            Source::Lines {
                lines: vec!["SET%ZZ%4".into()],
                autorun: false
            }
        );
    }

    #[test]
    fn redis_io_try_it_links() {
        // What redis.io's shortcode builds: btoa(JSON.stringify(lines)) with
        // + → -, / → _ and the padding stripped.
        let lines = r#"["SET mykey \"Hello\"","GET mykey"]"#;
        let b64 = URL_SAFE_NO_PAD.encode(lines);
        let link = parse_link(&format!("commands={b64}&autorun=true"), "");
        assert_eq!(
            link.source,
            Source::Lines {
                lines: vec!["SET mykey \"Hello\"".into(), "GET mykey".into()],
                autorun: true
            }
        );
        // Standard alphabet with padding is read too.
        let padded = STANDARD.encode(r#"["PING"]"#);
        assert_eq!(
            parse_link(&format!("commands={}", percent_encode(&padded)), "").source,
            Source::Lines {
                lines: vec!["PING".into()],
                autorun: false
            }
        );
        assert_eq!(
            parse_link("commands=notbase64!", "").source,
            Source::Broken(ShareError::Damaged)
        );
        let not_array = URL_SAFE_NO_PAD.encode(r#"{"a":1}"#);
        assert_eq!(
            parse_link(&format!("commands={not_array}"), "").source,
            Source::Broken(ShareError::Damaged)
        );
    }

    #[test]
    fn the_fragment_wins_over_the_query() {
        let encoded = encode(&sample_doc());
        let link = parse_link("cmds=PING&autorun=1", &format!("s={encoded}"));
        assert_eq!(link.source, Source::Session(sample_doc()));
        // Even a broken fragment wins: the link says it is broken.
        let link = parse_link("cmds=PING&autorun=1", "s=v1.garbage");
        assert_eq!(link.source, Source::Broken(ShareError::Damaged));
        let link = parse_link("", "s=v9.abc");
        assert_eq!(
            link.source,
            Source::Broken(ShareError::Version("v9".into()))
        );
    }

    #[test]
    fn lesson_links() {
        assert_eq!(
            parse_link("lesson=transactions&embed=1", "").source,
            Source::Session(SessionDoc {
                lesson: Some("transactions".into()),
                ..SessionDoc::default()
            })
        );
        assert_eq!(
            parse_link("lesson=%3Cb%3E", "").source,
            Source::Broken(ShareError::Invalid(Problem::UnknownName("<b>".into())))
        );
        // Lines win over a lesson.
        assert!(matches!(
            parse_link("lesson=transactions&cmds=PING", "").source,
            Source::Lines { .. }
        ));
    }

    #[test]
    fn query_without_session_keeps_the_rest() {
        assert_eq!(
            query_without_session("?cmds=PING&autorun=1&embed=1&view=map&x=a+b"),
            "?embed=1&x=a%20b"
        );
        assert_eq!(query_without_session("cmds=PING"), "");
        assert_eq!(query_without_session(""), "");
    }

    #[test]
    fn percent_round_trip() {
        let text = "SET k \"a b\"\nGET k\t% + & = # 日本";
        let query = format!("cmds={}", percent_encode(text));
        assert_eq!(parse_query(&query), vec![("cmds".into(), text.to_string())]);
    }

    #[test]
    fn line_work_counts_the_repeat_prefix() {
        assert_eq!(line_work("SET foo bar"), 1);
        assert_eq!(line_work("100 INCR x"), 100);
        assert_eq!(line_work("99999999 INCR x"), 10_000);
        assert_eq!(line_work(""), 1);
        assert_eq!(line_work("\"unbalanced"), 1);
        // Scripts may run until their step budget stops them.
        assert_eq!(line_work("EVAL \"while true do end\" 0"), SCRIPT_WORK);
        assert_eq!(line_work("3 fcall f 0"), 3 * SCRIPT_WORK);
        assert_eq!(line_work("FUNCTION LOAD x"), SCRIPT_WORK);
        assert_eq!(line_work("SCRIPT FLUSH"), 1);
        let runaway = vec!["EVAL \"while true do end\" 0".to_string(); 51];
        assert_eq!(
            decode(&encode(&SessionDoc::from_lines(runaway, 0))),
            Err(ShareError::TooMuchWork {
                work: 51 * SCRIPT_WORK
            })
        );
    }

    fn ops_doc() -> SessionDoc {
        let step = |t: i64, op: Op| StepDoc { t, op };
        SessionDoc {
            t0: 1_700_000_000_000,
            steps: vec![
                step(
                    0,
                    Op::Line {
                        c: 0,
                        l: "SET foo bar".into(),
                    },
                ),
                step(
                    100,
                    Op::Node {
                        act: "stop".into(),
                        port: 7000,
                    },
                ),
                step(5100, Op::Tick),
                step(5600, Op::Tick),
                step(6600, Op::Tick),
                step(
                    9000,
                    Op::Node {
                        act: "start".into(),
                        port: 7000,
                    },
                ),
                step(
                    9500,
                    Op::Reshard {
                        from: 7001,
                        to: 7002,
                        slots: "5461-5463".into(),
                        run: false,
                    },
                ),
                step(
                    9600,
                    Op::Reshard {
                        from: 7001,
                        to: 7002,
                        slots: "5461-5463".into(),
                        run: true,
                    },
                ),
            ],
            ..SessionDoc::default()
        }
    }

    #[test]
    fn node_tick_and_reshard_steps_round_trip() {
        let doc = ops_doc();
        assert_eq!(decode(&encode(&doc)), Ok(doc.clone()));
        let json = serde_json::to_string(&doc.steps[1..]).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"[{"t":100,"op":"node","act":"stop","port":7000},"#,
                r#"{"t":5100,"op":"tick"},{"t":5600,"op":"tick"},{"t":6600,"op":"tick"},"#,
                r#"{"t":9000,"op":"node","act":"start","port":7000},"#,
                r#"{"t":9500,"op":"reshard","from":7001,"to":7002,"slots":"5461-5463"},"#,
                r#"{"t":9600,"op":"reshard","from":7001,"to":7002,"slots":"5461-5463","run":true}]"#
            )
        );
    }

    #[test]
    fn links_made_before_node_and_reshard_steps_still_open() {
        // A v1 session written by the build before these steps existed.
        let old = r#"{"v":1,"t0":5,"clients":[{"kind":"redirect","port":7000}],
            "steps":[{"t":0,"op":"line","c":0,"l":"SET foo bar"},
                     {"t":9,"op":"sample","sample":"few"}]}"#;
        let doc = parse_json(old.as_bytes()).unwrap();
        assert_eq!(doc.steps.len(), 2);
        assert_eq!(decode(&encode(&doc)), Ok(doc));
    }

    #[test]
    fn bad_node_and_reshard_steps_are_refused() {
        let bad = |op: Op| {
            let mut doc = ops_doc();
            doc.steps.push(StepDoc { t: 10_000, op });
            decode(&encode(&doc))
        };
        assert_eq!(
            bad(Op::Node {
                act: "crash".into(),
                port: 7000
            }),
            Err(ShareError::Invalid(Problem::UnknownName("crash".into())))
        );
        assert_eq!(
            bad(Op::Node {
                act: "stop".into(),
                port: 6379
            }),
            Err(ShareError::Invalid(Problem::UnknownPort(6379)))
        );
        assert_eq!(
            bad(Op::Reshard {
                from: 7001,
                to: 9999,
                slots: "3".into(),
                run: false
            }),
            Err(ShareError::Invalid(Problem::UnknownPort(9999)))
        );
        assert_eq!(
            bad(Op::Reshard {
                from: 7001,
                to: 7002,
                slots: "9-3".into(),
                run: false
            }),
            Err(ShareError::Invalid(Problem::UnknownName("9-3".into())))
        );
        // Running a reshard counts its slots.
        let mut doc = SessionDoc::default();
        for _ in 0..5 {
            doc.steps.push(StepDoc {
                t: 0,
                op: Op::Reshard {
                    from: 7000,
                    to: 7001,
                    slots: "0-5460".into(),
                    run: true,
                },
            });
        }
        assert_eq!(
            decode(&encode(&doc)),
            Err(ShareError::TooMuchWork {
                work: 5 * 5461 * RESHARD_SLOT_WORK
            })
        );
    }

    #[test]
    fn slot_specs() {
        assert_eq!(parse_slot_spec("3"), Some(SlotChoice::Count(3)));
        assert_eq!(
            parse_slot_spec(" 3696-3698 "),
            Some(SlotChoice::Range(3696, 3698))
        );
        assert_eq!(
            parse_slot_spec("3696..3698"),
            Some(SlotChoice::Range(3696, 3698))
        );
        assert_eq!(
            parse_slot_spec("3696–3696"),
            Some(SlotChoice::Range(3696, 3696))
        );
        for bad in ["", "0", "x", "3-", "-3", "9-3", "0-16384", "16385", "1,2"] {
            assert_eq!(parse_slot_spec(bad), None, "{bad}");
        }
        assert_eq!(slot_choice_len(&SlotChoice::Range(3696, 3698)), 3);
    }
}
