//! The session as the timeline records it and as links carry it: a
//! [`Step`] per command line (or client change, or sample load) with its
//! client and time, the page [`Settings`] (view, theme, embed, lesson),
//! the [`Notice`] shown after opening a link or forking, and the
//! conversion between the app state and a [`SessionDoc`].
//!
//! Pure: no web-sys, js-sys or gloo.

use crate::share::{self, ClientDoc, Op, SessionDoc, ShareError, StepDoc};
use crate::ui::sample::Sample;
use crate::ui::script::{Emulated, RunMode, ScriptRequest};
use crate::ui::world::ClientKind;

/// What one step does (client numbers are positions at that step).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOp {
    /// A client runs a command line.
    Line { client: usize, line: String },
    /// A client restarts as `kind` on `port`.
    Restart {
        client: usize,
        kind: ClientKind,
        port: u16,
    },
    /// Another client opens.
    AddClient { kind: ClientKind, port: u16 },
    /// A client closes.
    RemoveClient { client: usize },
    /// Sample data is loaded (`client` gets the note).
    Sample { client: usize, sample: Sample },
    /// The script panel runs a script in a client.
    Script {
        client: usize,
        request: ScriptRequest,
    },
    /// The emulated version changes (`client` gets the note).
    Emulate { client: usize, emulated: Emulated },
    /// A lesson's Open, Next, "Run it for me" or Leave.
    Lesson(LessonOp),
    /// The cluster map's Stop / Start button on the node on `port`.
    Node { port: u16, start: bool },
    /// Simulated time passes to the step's time: the failure detector's
    /// next change (`fail?`, `fail`, an election) happens.
    Tick,
    /// The reshard control: one command of the plan moving `slots` (a
    /// count or a range, see [`share::parse_slot_spec`]) from the master on
    /// `from` to the master on `to`, or every remaining one (`run`).
    Reshard {
        from: u16,
        to: u16,
        slots: String,
        run: bool,
    },
}

/// A lesson action that changes the world or the lesson's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LessonOp {
    /// Open lesson `lesson` (index into `lessons::all()`) at its first step.
    Open { lesson: usize },
    /// The Next button.
    Next,
    /// "Run it for me".
    RunForMe,
    /// Leave the lesson.
    Leave,
}

/// One step of the timeline: what happened, and when (the engine's clock
/// for it, so a replay answers the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub now_ms: u64,
    pub op: StepOp,
}

/// Which panels show beside the consoles (`view=` in a link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Everything.
    #[default]
    All,
    /// The consoles only.
    Console,
    /// The consoles and the cluster map.
    Map,
    /// The consoles, the route trace and the transaction panel.
    Trace,
}

impl View {
    /// The view named in a link (one of [`share::VIEWS`]).
    pub fn from_value(value: &str) -> Option<View> {
        match value {
            "all" => Some(View::All),
            "console" => Some(View::Console),
            "map" => Some(View::Map),
            "trace" => Some(View::Trace),
            _ => None,
        }
    }

    /// Its name in a link.
    pub fn value(self) -> &'static str {
        match self {
            View::All => "all",
            View::Console => "console",
            View::Map => "map",
            View::Trace => "trace",
        }
    }

    /// Shows the cluster map.
    pub fn map(self) -> bool {
        matches!(self, View::All | View::Map)
    }

    /// Shows the route trace and the transaction panel.
    pub fn trace(self) -> bool {
        matches!(self, View::All | View::Trace)
    }

    /// Shows the key inspector and the script panel.
    pub fn inspector(self) -> bool {
        self == View::All
    }
}

/// The colour scheme (`theme=` in a link); `Auto` follows the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    /// The theme named in a link (one of [`share::THEMES`]).
    pub fn from_value(value: &str) -> Option<Theme> {
        match value {
            "auto" => Some(Theme::Auto),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    /// Its name in a link.
    pub fn value(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// How the page is set up; not part of any step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The clients open before the first step.
    pub clients: Vec<(ClientKind, u16)>,
    pub view: View,
    pub theme: Theme,
    /// The server version the engine emulates at step 0 (script errors differ).
    pub engine: Emulated,
    /// Inside another page (`embed=1`): compact chrome, nothing saved.
    pub embed: bool,
    /// The lesson being followed and its step (filled by the lessons).
    pub lesson: Option<String>,
    pub lesson_step: Option<u32>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            clients: vec![(ClientKind::Redirecting, crate::ui::state::DEFAULT_PORT)],
            view: View::All,
            theme: Theme::Auto,
            engine: Emulated::default(),
            embed: false,
            lesson: None,
            lesson_step: None,
        }
    }
}

/// A message above the consoles (dismissable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The link could not be opened; this is an empty sandbox.
    BrokenLink(ShareError),
    /// The saved session could not be restored.
    BrokenSaved(ShareError),
    /// A link's lines ran (how many).
    RanLink(usize),
    /// A link's lines wait in Client A's prompt, one per Enter (how many).
    PendingLink(usize),
    /// Forked at a step: the later steps were discarded (how many).
    Forked { at: usize, dropped: usize },
    /// The session cannot be shared or saved any more (why).
    CannotShare(ShareError),
    /// A language's texts could not be fetched (the page stays in the
    /// language it was in).
    LangUnavailable(crate::i18n::Lang),
}

/// A sample's name in a session.
pub fn sample_value(sample: Sample) -> &'static str {
    match sample {
        Sample::Few => "few",
        Sample::Spread => "spread",
        Sample::HotSpot => "hotspot",
    }
}

/// The sample named in a session.
pub fn sample_from_value(value: &str) -> Option<Sample> {
    Sample::ALL.into_iter().find(|s| sample_value(*s) == value)
}

fn unknown(name: &str) -> ShareError {
    ShareError::Invalid(share::Problem::UnknownName(name.to_string()))
}

fn kind_of(value: &str) -> Result<ClientKind, ShareError> {
    ClientKind::from_value(value)
        .ok_or_else(|| ShareError::Invalid(share::Problem::UnknownKind(value.to_string())))
}

/// A document's step as a timeline step.
pub fn step_from_doc(doc: &SessionDoc, step: &StepDoc) -> Result<Step, ShareError> {
    let op = match &step.op {
        Op::Line { c, l } => StepOp::Line {
            client: *c,
            line: l.clone(),
        },
        Op::Restart { c, kind, port } => StepOp::Restart {
            client: *c,
            kind: kind_of(kind)?,
            port: *port,
        },
        Op::Add { kind, port } => StepOp::AddClient {
            kind: kind_of(kind)?,
            port: *port,
        },
        Op::Close { c } => StepOp::RemoveClient { client: *c },
        Op::Sample { c, sample } => StepOp::Sample {
            client: *c,
            sample: sample_from_value(sample).ok_or_else(|| {
                ShareError::Invalid(share::Problem::UnknownSample(sample.clone()))
            })?,
        },
        Op::Script {
            c,
            body,
            keys,
            args,
            mode,
        } => StepOp::Script {
            client: *c,
            request: ScriptRequest {
                body: body.clone(),
                keys: keys.clone(),
                args: args.clone(),
                mode: RunMode::from_value(mode).ok_or_else(|| unknown(mode))?,
            },
        },
        Op::Emulate { c, engine } => StepOp::Emulate {
            client: *c,
            emulated: Emulated::from_value(engine).ok_or_else(|| unknown(engine))?,
        },
        Op::Lesson { act, id } => StepOp::Lesson(match act.as_str() {
            "open" => {
                let id = id.as_deref().unwrap_or_default();
                LessonOp::Open {
                    lesson: crate::lessons::all()
                        .iter()
                        .position(|l| l.id == id)
                        .ok_or_else(|| unknown(id))?,
                }
            }
            "next" => LessonOp::Next,
            "run" => LessonOp::RunForMe,
            "leave" => LessonOp::Leave,
            other => return Err(unknown(other)),
        }),
        Op::Node { act, port } => StepOp::Node {
            port: *port,
            start: match act.as_str() {
                "stop" => false,
                "start" => true,
                other => return Err(unknown(other)),
            },
        },
        Op::Tick => StepOp::Tick,
        Op::Reshard {
            from,
            to,
            slots,
            run,
        } => StepOp::Reshard {
            from: *from,
            to: *to,
            slots: slots.clone(),
            run: *run,
        },
    };
    Ok(Step {
        now_ms: doc.time_of(step),
        op,
    })
}

/// A timeline step as a document's step (`t` relative to `t0`).
pub fn step_to_doc(step: &Step, t0: u64) -> StepDoc {
    let t = if step.now_ms >= t0 {
        i64::try_from(step.now_ms - t0).unwrap_or(i64::MAX)
    } else {
        -i64::try_from(t0 - step.now_ms).unwrap_or(i64::MAX)
    };
    let op = match &step.op {
        StepOp::Line { client, line } => Op::Line {
            c: *client,
            l: line.clone(),
        },
        StepOp::Restart { client, kind, port } => Op::Restart {
            c: *client,
            kind: kind.value().to_string(),
            port: *port,
        },
        StepOp::AddClient { kind, port } => Op::Add {
            kind: kind.value().to_string(),
            port: *port,
        },
        StepOp::RemoveClient { client } => Op::Close { c: *client },
        StepOp::Sample { client, sample } => Op::Sample {
            c: *client,
            sample: sample_value(*sample).to_string(),
        },
        StepOp::Script { client, request } => Op::Script {
            c: *client,
            body: request.body.clone(),
            keys: request.keys.clone(),
            args: request.args.clone(),
            mode: request.mode.value().to_string(),
        },
        StepOp::Emulate { client, emulated } => Op::Emulate {
            c: *client,
            engine: emulated.value().to_string(),
        },
        StepOp::Lesson(op) => match op {
            LessonOp::Open { lesson } => Op::Lesson {
                act: "open".into(),
                id: crate::lessons::all().get(*lesson).map(|l| l.id.clone()),
            },
            LessonOp::Next => Op::Lesson {
                act: "next".into(),
                id: None,
            },
            LessonOp::RunForMe => Op::Lesson {
                act: "run".into(),
                id: None,
            },
            LessonOp::Leave => Op::Lesson {
                act: "leave".into(),
                id: None,
            },
        },
        StepOp::Node { port, start } => Op::Node {
            act: if *start { "start" } else { "stop" }.into(),
            port: *port,
        },
        StepOp::Tick => Op::Tick,
        StepOp::Reshard {
            from,
            to,
            slots,
            run,
        } => Op::Reshard {
            from: *from,
            to: *to,
            slots: slots.clone(),
            run: *run,
        },
    };
    StepDoc { t, op }
}

/// The settings a document asks for (clients, view, theme, engine,
/// lesson), on top of the page's own (`embed`, and a link's view, theme
/// and engine when the document names none).
pub fn settings_from_doc(doc: &SessionDoc, page: &Settings) -> Result<Settings, ShareError> {
    let clients = doc
        .clients
        .iter()
        .map(|c| Ok((kind_of(&c.kind)?, c.port)))
        .collect::<Result<Vec<_>, ShareError>>()?;
    Ok(Settings {
        clients,
        view: doc
            .view
            .as_deref()
            .and_then(View::from_value)
            .unwrap_or(page.view),
        theme: doc
            .theme
            .as_deref()
            .and_then(Theme::from_value)
            .unwrap_or(page.theme),
        engine: doc
            .engine
            .as_deref()
            .and_then(Emulated::from_value)
            .unwrap_or(page.engine),
        embed: page.embed,
        lesson: doc.lesson.clone(),
        lesson_step: doc.lesson_step,
    })
}

/// The document's part that settings fill.
pub fn settings_to_doc(settings: &Settings, doc: &mut SessionDoc) {
    doc.clients = settings
        .clients
        .iter()
        .map(|(kind, port)| ClientDoc {
            kind: kind.value().to_string(),
            port: *port,
        })
        .collect();
    doc.view = (settings.view != View::All).then(|| settings.view.value().to_string());
    doc.theme = (settings.theme != Theme::Auto).then(|| settings.theme.value().to_string());
    doc.engine =
        (settings.engine != Emulated::default()).then(|| settings.engine.value().to_string());
    doc.lesson = settings.lesson.clone();
    doc.lesson_step = settings.lesson_step;
}
