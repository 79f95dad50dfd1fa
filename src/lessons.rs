//! Lessons as data: guided stories through the cluster's rules, one JSON
//! file per lesson under `src/ui/lessons/` (format: `docs/LESSONS.md`).
//!
//! A lesson is a list of steps. Each step has a short text (one idea, in
//! English; its 简体中文 and 日本語 are in `src/ui/i18n/lessons-*.json`,
//! see [`Text`]), the panel to look at, commands it runs by
//! itself (`run`) and at most one command the learner is asked to type
//! (`type`), each with the output a real Redis 7.0.15 cluster prints
//! (`expect`). A `session` (at the start, or on a step) sets up the
//! clients — kind and node — and silent setup data.
//!
//! The same data yields the lesson's scenarios ([`scenarios`]): a test
//! keeps `tests/scenarios/lessons.jsonl` equal to them, and the goldens
//! recorded from a real cluster check every `expect`, so a lesson cannot
//! claim a reply the real server does not give.
//!
//! Pure: no browser code (the UI runs lessons in `ui::state`).

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{json, Value as Json};

use crate::engine::cli::split_args;
use crate::i18n::Lang;

/// The lesson files, in order (`NN-name.json`).
pub const FILES: &[(&str, &str)] = &[
    (
        "01-hash-slots.json",
        include_str!("ui/lessons/01-hash-slots.json"),
    ),
    (
        "02-crossslot.json",
        include_str!("ui/lessons/02-crossslot.json"),
    ),
    (
        "03-hash-tags.json",
        include_str!("ui/lessons/03-hash-tags.json"),
    ),
    (
        "04-transactions.json",
        include_str!("ui/lessons/04-transactions.json"),
    ),
    ("05-watch.json", include_str!("ui/lessons/05-watch.json")),
    ("06-lua.json", include_str!("ui/lessons/06-lua.json")),
    (
        "07-cross-slot-myth.json",
        include_str!("ui/lessons/07-cross-slot-myth.json"),
    ),
    (
        "08-hot-spots.json",
        include_str!("ui/lessons/08-hot-spots.json"),
    ),
    (
        "09-beyond-one-slot.json",
        include_str!("ui/lessons/09-beyond-one-slot.json"),
    ),
    (
        "10-resharding-failover.json",
        include_str!("ui/lessons/10-resharding-failover.json"),
    ),
];

/// Ports of the simulated (and the recorded real) cluster's nodes.
pub const PORTS: [u16; 6] = [7000, 7001, 7002, 7003, 7004, 7005];

/// Clients a session may have (the UI shows at most four).
pub const MAX_CLIENTS: usize = 4;

/// A lesson text: a plain string in English in the lesson file. Its
/// Chinese and Japanese are in `src/ui/i18n/lessons-zh.json` and
/// `lessons-ja.json`, keyed by the English text as gettext does: an English
/// page never downloads them and a Chinese or Japanese one fetches them
/// after it has started (issue 8, first load), and an edited English text
/// shows its translation as missing (a test requires both for every text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Text {
    pub en: String,
}

impl Text {
    /// The text in `lang`: English, or the translation when it is at hand
    /// (`i18n::lesson_text`; English otherwise).
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            _ => crate::i18n::lesson_text(lang, &self.en)
                .filter(|t| !t.trim().is_empty())
                .unwrap_or(&self.en),
        }
    }
}

/// How a lesson client talks to the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `redis-cli`: redirects are printed as errors.
    Plain,
    /// `redis-cli -c`: MOVED/ASK are followed.
    Redirect,
}

/// One client of a session: `A` is the first, `B` the second …
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    pub kind: Kind,
    pub port: u16,
}

/// A silent setup command, run on a fresh connection to `port` (like the
/// scenario contract's `setup`). With `repeat: N` the words after the
/// command name are repeated N times with `$i` = 1 … N, as one command
/// (`MSET product:{all}:$i x` → `MSET product:{all}:1 x product:{all}:2 x …`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupLine {
    pub port: u16,
    pub line: String,
    #[serde(default)]
    pub repeat: u32,
}

impl SetupLine {
    /// The command's arguments (`None` when the line does not parse).
    pub fn argv(&self) -> Option<Vec<String>> {
        let words = words(&self.line)?;
        if self.repeat == 0 {
            return Some(words);
        }
        let (name, rest) = words.split_first()?;
        let mut argv = vec![name.clone()];
        for i in 1..=self.repeat {
            let i = i.to_string();
            argv.extend(rest.iter().map(|w| w.replace("$i", &i)));
        }
        Some(argv)
    }
}

/// The clients (and data) a part of a lesson starts with. Every client
/// gets a new connection, as a new scenario does.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Start from a fresh, empty cluster (a lesson's first session always does).
    #[serde(default = "yes")]
    pub reset: bool,
    /// Client A, B …
    pub clients: Vec<ClientSpec>,
    /// Data put in place silently before the step's commands.
    #[serde(default)]
    pub setup: Vec<SetupLine>,
}

fn yes() -> bool {
    true
}

/// A command of a step, in a client (`A` unless said otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "CommandForm")]
pub struct Command {
    pub client: char,
    /// The line as typed at the prompt (`${id:7001}` stands for a node id).
    pub line: String,
    /// What redis-cli prints for it, redirect lines included, exactly as a
    /// real Redis 7.0.15 cluster answers (checked against the goldens).
    pub expect: Option<String>,
}

/// A command as written: a bare line, or an object.
#[derive(Deserialize)]
#[serde(untagged)]
enum CommandForm {
    Line(String),
    Full {
        #[serde(default = "client_a")]
        client: char,
        line: String,
        #[serde(default)]
        expect: Option<String>,
    },
}

fn client_a() -> char {
    'A'
}

impl From<CommandForm> for Command {
    fn from(form: CommandForm) -> Command {
        match form {
            CommandForm::Line(line) => Command {
                client: 'A',
                line,
                expect: None,
            },
            CommandForm::Full {
                client,
                line,
                expect,
            } => Command {
                client,
                line,
                expect,
            },
        }
    }
}

/// The panel a step points at (it is highlighted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Look {
    /// The clients and their consoles.
    Clients,
    /// The cluster map.
    Map,
    /// The route trace of the last command.
    Trace,
    /// The transaction panel.
    Tx,
    /// The key inspector.
    Inspector,
    /// The script panel.
    Scripts,
}

impl Look {
    /// The value of the page's `data-look` attribute.
    pub fn value(self) -> &'static str {
        match self {
            Look::Clients => "clients",
            Look::Map => "map",
            Look::Trace => "trace",
            Look::Tx => "tx",
            Look::Inspector => "inspector",
            Look::Scripts => "scripts",
        }
    }
}

/// One step: one idea.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub text: Text,
    #[serde(default)]
    pub look: Option<Look>,
    /// New clients (and data) before this step's commands.
    #[serde(default)]
    pub session: Option<Session>,
    /// Commands run by the lesson when the step opens.
    #[serde(default)]
    pub run: Vec<Command>,
    /// The command the learner is asked to type (after `run`).
    #[serde(default, rename = "type")]
    pub typed: Option<Command>,
}

/// What the engine must have for a lesson to run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Needs {
    /// `scripting` or `resharding` (names the i18n key `lesson.needs.<feature>`).
    pub feature: String,
    /// Engine commands (`eval`, `cluster|setslot`) that must exist.
    pub commands: Vec<String>,
}

/// A lesson.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// A short stable id (`hash-slots`), used in scenario names and links.
    pub id: String,
    pub title: Text,
    /// One line for the lesson picker.
    pub summary: Text,
    #[serde(default)]
    pub needs: Option<Needs>,
    /// The clients and data the lesson starts with (on a fresh cluster).
    pub session: Session,
    pub steps: Vec<Step>,
}

impl Lesson {
    /// Whether the engine has every command the lesson needs.
    pub fn available(&self) -> bool {
        self.needs.as_ref().is_none_or(|needs| {
            needs
                .commands
                .iter()
                .all(|c| crate::engine::command::find(c.as_bytes()).is_some())
        })
    }

    /// The session in force at step `index` (the last one set at or before it).
    pub fn session_at(&self, index: usize) -> &Session {
        self.steps
            .iter()
            .take(index + 1)
            .filter_map(|s| s.session.as_ref())
            .next_back()
            .unwrap_or(&self.session)
    }

    /// The commands of step `index` in the order they run: `run`, then `type`.
    pub fn commands_of(&self, index: usize) -> Vec<&Command> {
        self.steps
            .get(index)
            .map(|s| s.run.iter().chain(s.typed.iter()).collect())
            .unwrap_or_default()
    }
}

/// Parses one lesson file.
pub fn parse(text: &str) -> Result<Lesson, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// Every lesson that parses, in order (a test requires all of them to).
pub fn all() -> &'static [Lesson] {
    static LESSONS: OnceLock<Vec<Lesson>> = OnceLock::new();
    LESSONS.get_or_init(|| FILES.iter().filter_map(|(_, t)| parse(t).ok()).collect())
}

/// A line's words as redis-cli splits them (`None` for unbalanced quotes).
pub fn words(line: &str) -> Option<Vec<String>> {
    split_args(line.as_bytes()).map(|argv| {
        argv.into_iter()
            .map(|w| String::from_utf8_lossy(&w).into_owned())
            .collect()
    })
}

/// Replaces each `${id:PORT}` with `id(PORT)` (node ids differ between
/// clusters, so lessons name nodes by port). Unknown ports stay as written.
pub fn expand_ids(line: &str, id: impl Fn(u16) -> Option<String>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("${id:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 5..];
        let found = after.find('}').and_then(|end| {
            let port = after[..end].parse::<u16>().ok()?;
            Some((id(port)?, end))
        });
        match found {
            Some((node, end)) => {
                out.push_str(&node);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("${id:");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `typed` is the command `expected` asks for: the same words,
/// the command name in any case, and any word that is an upper-case
/// keyword in `expected` (`NX`, `KEYSLOT`) in any case too; keys and
/// values must match exactly.
pub fn same_command(expected: &str, typed: &str) -> bool {
    let (Some(want), Some(got)) = (words(expected), words(typed)) else {
        return false;
    };
    want.len() == got.len()
        && want
            .iter()
            .zip(&got)
            .enumerate()
            .all(|(i, (w, g))| w == g || ((i == 0 || is_keyword(w)) && w.eq_ignore_ascii_case(g)))
}

fn is_keyword(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && word.chars().any(|c| c.is_ascii_uppercase())
}

/// Whether printed output matches an `expect` (line ends and trailing
/// blanks aside).
pub fn output_matches(expect: &str, printed: &str) -> bool {
    normalize(expect) == normalize(printed)
}

fn normalize(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// The `-> Redirected …` line redis-cli prints for a followed MOVED/ASK
/// error text (`MOVED 1525 127.0.0.1:7000`).
pub fn redirect_line(error: &str) -> Option<String> {
    let mut parts = error.split(' ');
    let kind = parts.next()?;
    let slot = parts.next()?;
    let addr = parts.next()?;
    matches!(kind, "MOVED" | "ASK")
        .then(|| format!("-> Redirected to slot [{slot}] located at {addr}"))
}

/// Names the scenario of part `part` (1-based) of lesson `number`.
pub fn scenario_name(number: usize, lesson: &Lesson, part: usize) -> String {
    if part == 1 {
        format!("lesson{number:02}_{}", lesson.id.replace('-', "_"))
    } else {
        format!(
            "lesson{number:02}_{}_part{part}",
            lesson.id.replace('-', "_")
        )
    }
}

/// Where each command of the lesson lands in its scenarios:
/// `(step, position in the step's commands, scenario part, command index)`.
pub fn command_positions(lesson: &Lesson) -> Vec<(usize, usize, usize, usize)> {
    let mut out = Vec::new();
    let mut part = 1;
    let mut index = 0;
    for (s, step) in lesson.steps.iter().enumerate() {
        if step.session.is_some() {
            part += 1;
            index = 0;
        }
        for (c, _) in step.run.iter().chain(step.typed.iter()).enumerate() {
            out.push((s, c, part, index));
            index += 1;
        }
    }
    out
}

/// The lesson's scenarios (the replay contract, `docs/SCENARIOS.md`): one
/// per session — the first resets the cluster, later ones continue from
/// the state the previous left unless their session resets. Each client
/// is a labelled connection to its port; `settle_after` is set after
/// `CLUSTER SETSLOT … NODE` and `CLUSTER FAILOVER` (a real cluster needs
/// time to agree on the new layout).
pub fn scenarios(number: usize, lesson: &Lesson) -> Vec<Json> {
    struct Part<'a> {
        session: &'a Session,
        steps: Vec<&'a Step>,
    }
    let mut parts = vec![Part {
        session: &lesson.session,
        steps: Vec::new(),
    }];
    for step in &lesson.steps {
        if let Some(session) = &step.session {
            parts.push(Part {
                session,
                steps: Vec::new(),
            });
        }
        if let Some(part) = parts.last_mut() {
            part.steps.push(step);
        }
    }
    parts
        .iter()
        .enumerate()
        .map(|(p, part)| {
            let letters: Vec<char> = ('A'..='Z').take(part.session.clients.len()).collect();
            let mut commands: Vec<Vec<String>> = Vec::new();
            let mut conns: Vec<String> = Vec::new();
            let mut ports: Vec<u16> = Vec::new();
            for command in part
                .steps
                .iter()
                .flat_map(|s| s.run.iter().chain(s.typed.iter()))
            {
                commands.push(words(&command.line).unwrap_or_default());
                conns.push(command.client.to_string());
                let client = letters.iter().position(|l| *l == command.client);
                ports.push(
                    client
                        .and_then(|c| part.session.clients.get(c))
                        .map_or(0, |c| c.port),
                );
            }
            let settle: Vec<usize> = commands
                .iter()
                .enumerate()
                .filter(|(_, argv)| settles(argv))
                .map(|(i, _)| i)
                .collect();
            let first = part.session.clients.first();
            let notes = {
                let texts: Vec<&str> = part.steps.iter().map(|s| s.text.en.as_str()).collect();
                format!(
                    "Lesson {number} ({}), part {}: {}",
                    lesson.title.en,
                    p + 1,
                    texts.join(" / ")
                )
            };
            let mut scenario = json!({
                "name": scenario_name(number, lesson, p + 1),
                "notes": notes,
                "reset_before": p == 0 || part.session.reset,
                "follow_redirects": first.is_some_and(|c| c.kind == Kind::Redirect),
                "connection_port": first.map_or(7000, |c| c.port),
            });
            if let Some(map) = scenario.as_object_mut() {
                let setup: Vec<Json> = part
                    .session
                    .setup
                    .iter()
                    .map(|s| json!({"port": s.port, "argv": s.argv().unwrap_or_default()}))
                    .collect();
                if !setup.is_empty() {
                    map.insert("setup".into(), Json::from(setup));
                }
                map.insert("commands".into(), json!(commands));
                if part.session.clients.len() > 1 {
                    map.insert("conns".into(), json!(conns));
                    map.insert("ports".into(), json!(ports));
                }
                if !settle.is_empty() {
                    map.insert("settle_after".into(), json!(settle));
                }
            }
            scenario
        })
        .collect()
}

/// Commands after which a real cluster must be given time to agree.
fn settles(argv: &[String]) -> bool {
    let word = |i: usize| argv.get(i).map(|w| w.to_ascii_uppercase());
    word(0).as_deref() == Some("CLUSTER")
        && match word(1).as_deref() {
            Some("FAILOVER") => true,
            Some("SETSLOT") => word(3).as_deref() == Some("NODE"),
            _ => false,
        }
}

/// Every lesson text (title, summary, steps), in order.
pub fn texts(lesson: &Lesson) -> impl Iterator<Item = &Text> {
    [&lesson.title, &lesson.summary]
        .into_iter()
        .chain(lesson.steps.iter().map(|s| &s.text))
}

/// Every problem with a lesson's data (empty when it is well formed):
/// English texts (their translations are checked against the catalogs by
/// `tests/lessons.rs`), known clients and ports, parsable lines, one
/// client kind per session (a scenario has one `follow_redirects`).
pub fn validate(lesson: &Lesson) -> Vec<String> {
    let mut problems = Vec::new();
    let mut text = |what: &str, t: &Text| {
        if t.en.trim().is_empty() {
            problems.push(format!("{what}: no text"));
        }
    };
    text("title", &lesson.title);
    text("summary", &lesson.summary);
    for (i, step) in lesson.steps.iter().enumerate() {
        text(&format!("step {}", i + 1), &step.text);
    }
    if lesson.steps.is_empty() {
        problems.push("no steps".into());
    }
    if !lesson.session.reset {
        problems.push("the first session always starts from a fresh cluster".into());
    }
    let check_session = |what: &str, session: &Session, problems: &mut Vec<String>| {
        if session.clients.is_empty() || session.clients.len() > MAX_CLIENTS {
            problems.push(format!("{what}: 1 to {MAX_CLIENTS} clients"));
        }
        if session
            .clients
            .windows(2)
            .any(|pair| pair[0].kind != pair[1].kind)
        {
            problems.push(format!("{what}: all clients of a session have one kind"));
        }
        for c in &session.clients {
            if !PORTS.contains(&c.port) {
                problems.push(format!("{what}: no node on port {}", c.port));
            }
        }
        for s in &session.setup {
            if !PORTS.contains(&s.port) {
                problems.push(format!("{what}: setup on unknown port {}", s.port));
            }
            if s.argv().is_none_or(|a| a.is_empty()) {
                problems.push(format!("{what}: setup line {:?} does not parse", s.line));
            }
            if s.repeat > 0 && !s.line.contains("$i") {
                problems.push(format!("{what}: repeat without $i in {:?}", s.line));
            }
        }
    };
    check_session("session", &lesson.session, &mut problems);
    for (i, step) in lesson.steps.iter().enumerate() {
        if let Some(session) = &step.session {
            check_session(&format!("step {} session", i + 1), session, &mut problems);
        }
        let clients = lesson.session_at(i).clients.len();
        for command in step.run.iter().chain(step.typed.iter()) {
            let letter = u32::from(command.client).wrapping_sub(u32::from('A'));
            if usize::try_from(letter).map_or(true, |n| n >= clients) {
                problems.push(format!(
                    "step {}: client {} is not in the session",
                    i + 1,
                    command.client
                ));
            }
            if words(&command.line).is_none_or(|w| w.is_empty()) {
                problems.push(format!("step {}: {:?} does not parse", i + 1, command.line));
            }
        }
        if let Some(typed) = &step.typed {
            if typed.expect.is_none() {
                problems.push(format!("step {}: a typed command needs an expect", i + 1));
            }
            if typed.line.contains("${id:") {
                problems.push(format!(
                    "step {}: a node id cannot be typed; run that command instead",
                    i + 1
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_parses_and_is_well_formed() {
        let mut problems = Vec::new();
        for (file, text) in FILES {
            match parse(text) {
                Ok(lesson) => {
                    for p in validate(&lesson) {
                        problems.push(format!("{file}: {p}"));
                    }
                }
                Err(e) => problems.push(format!("{file}: {e}")),
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert_eq!(all().len(), FILES.len());
        let mut ids: Vec<&str> = all().iter().map(|l| l.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), FILES.len(), "lesson ids are unique");
    }

    #[test]
    fn every_lesson_file_is_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui/lessons");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".json"))
                    .collect()
            })
            .unwrap_or_default();
        on_disk.sort();
        let listed: Vec<String> = FILES.iter().map(|(f, _)| f.to_string()).collect();
        assert_eq!(on_disk, listed);
    }

    fn lesson(json: &str) -> Lesson {
        parse(json).unwrap_or_else(|e| panic!("{e}"))
    }

    const SMALL: &str = r#"{
        "id": "tiny-one", "title": "T",
        "summary": "S",
        "session": {"clients": [{"kind": "redirect", "port": 7001}],
                    "setup": [{"port": 7000, "line": "MSET k:$i x", "repeat": 3}]},
        "steps": [
          {"text": "a", "look": "map"},
          {"text": "b", "run": ["CLUSTER KEYSLOT hoge"],
           "type": {"line": "set hoge fuga", "expect": "-> Redirected to slot [1525] located at 127.0.0.1:7000\nOK"}},
          {"text": "c",
           "session": {"reset": false, "clients": [{"kind": "plain", "port": 7000}, {"kind": "plain", "port": 7001}]},
           "run": [{"client": "B", "line": "CLUSTER SETSLOT 1 NODE ${id:7001}"}],
           "type": {"client": "A", "line": "get hoge", "expect": "\"fuga\""}}
        ]}"#;

    #[test]
    fn parses_steps_commands_and_sessions() {
        let l = lesson(SMALL);
        assert!(validate(&l).is_empty(), "{:?}", validate(&l));
        assert_eq!(l.steps[0].look, Some(Look::Map));
        assert_eq!(l.steps[1].run[0].client, 'A');
        assert_eq!(l.steps[1].run[0].line, "CLUSTER KEYSLOT hoge");
        assert_eq!(l.steps[2].run[0].client, 'B');
        assert_eq!(l.session_at(1).clients[0].port, 7001);
        assert_eq!(l.session_at(2).clients.len(), 2);
        assert!(!l.session_at(2).reset);
        assert_eq!(
            l.session.setup[0].argv(),
            Some(
                ["MSET", "k:1", "x", "k:2", "x", "k:3", "x"]
                    .map(String::from)
                    .to_vec()
            )
        );
        assert_eq!(l.commands_of(1).len(), 2);
        assert!(l.available());
    }

    #[test]
    fn builds_one_scenario_per_session() {
        let l = lesson(SMALL);
        let s = scenarios(3, &l);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0]["name"], "lesson03_tiny_one");
        assert_eq!(s[0]["reset_before"], true);
        assert_eq!(s[0]["follow_redirects"], true);
        assert_eq!(s[0]["connection_port"], 7001);
        assert_eq!(
            s[0]["commands"],
            json!([["CLUSTER", "KEYSLOT", "hoge"], ["set", "hoge", "fuga"]])
        );
        assert_eq!(s[0]["setup"][0]["argv"][2], "x");
        assert!(s[0].get("conns").is_none());
        assert_eq!(s[1]["name"], "lesson03_tiny_one_part2");
        assert_eq!(s[1]["reset_before"], false);
        assert_eq!(s[1]["follow_redirects"], false);
        assert_eq!(s[1]["conns"], json!(["B", "A"]));
        assert_eq!(s[1]["ports"], json!([7001, 7000]));
        assert_eq!(s[1]["settle_after"], json!([0]));
        assert_eq!(
            command_positions(&l),
            vec![(1, 0, 1, 0), (1, 1, 1, 1), (2, 0, 2, 0), (2, 1, 2, 1)]
        );
    }

    #[test]
    fn validation_finds_mistakes() {
        let broken = SMALL
            .replace(r#""text": "b""#, r#""text": " ""#)
            .replace(r#""client": "B""#, r#""client": "C""#)
            .replace(
                r#"{"kind": "plain", "port": 7000}, "#,
                r#"{"kind": "redirect", "port": 7009}, "#,
            );
        let problems = validate(&lesson(&broken));
        let text = problems.join("\n");
        assert!(text.contains("step 2: no text"), "{text}");
        assert!(text.contains("client C is not in the session"), "{text}");
        assert!(text.contains("one kind"), "{text}");
        assert!(text.contains("no node on port 7009"), "{text}");
        assert!(parse(r#"{"id": "x"}"#).is_err());
        assert!(parse(&SMALL.replace("\"look\": \"map\"", "\"look\": \"moon\"")).is_err());
        // A text with its translations inline (the old format) is refused.
        assert!(
            parse(&SMALL.replace(r#""title": "T""#, r#""title": {"en": "T", "zh": "T"}"#)).is_err()
        );
    }

    #[test]
    fn typed_lines_match_loosely_on_keywords_only() {
        assert!(same_command("set hoge fuga", "SET hoge fuga"));
        assert!(same_command(
            "CLUSTER KEYSLOT hoge",
            "cluster keyslot  hoge"
        ));
        assert!(same_command(
            "SET lock:{alice} t2 NX",
            "set lock:{alice} t2 nx"
        ));
        assert!(!same_command("set hoge fuga", "set HOGE fuga"));
        assert!(!same_command("set hoge fuga", "set hoge"));
        assert!(!same_command("GET a", "GET \"a"));
        assert!(same_command("GET \"a b\"", "get 'a b'"));
    }

    #[test]
    fn outputs_compare_without_trailing_blanks() {
        assert!(output_matches("OK", "OK\n"));
        assert!(output_matches(
            "1) \"a\"\n2) \"b\"",
            "1) \"a\"  \n2) \"b\"\n\n"
        ));
        assert!(!output_matches("(integer) 1", "(integer) 2"));
    }

    #[test]
    fn node_ids_and_redirects() {
        let id = |p: u16| (p == 7001).then(|| "abc".to_string());
        assert_eq!(
            expand_ids("CLUSTER SETSLOT 1 NODE ${id:7001}", id),
            "CLUSTER SETSLOT 1 NODE abc"
        );
        assert_eq!(
            expand_ids("x ${id:7009} ${id:y}", id),
            "x ${id:7009} ${id:y}"
        );
        assert_eq!(
            redirect_line("MOVED 1525 127.0.0.1:7000").as_deref(),
            Some("-> Redirected to slot [1525] located at 127.0.0.1:7000")
        );
        assert_eq!(redirect_line("ERR x"), None);
    }
}
