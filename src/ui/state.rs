//! The app state and its reducer: the shared world (cluster + sessions),
//! each client's console (transcript, line, history, transaction view),
//! the last line for the route trace, the key inspector's key and a sample
//! load in progress; and the timeline of the session's steps (see
//! [`crate::timeline`]) with the page settings a link carries.
//!
//! Every change to the world is a [`Step`] (a command line, a client
//! change, a sample load, a script panel run, the emulated version, a
//! lesson's Open / Next / Run it for me / Leave) applied by
//! [`AppState::apply_step`], the one path shared by live actions and
//! replays, so the timeline can rebuild the state after any step. Showing
//! an earlier step swaps the frame's fields (world, consoles, last line,
//! lesson …) for that step's; acting on the world there forks the timeline
//! first.
//!
//! This module is pure: no web-sys, js-sys or gloo. Time arrives inside
//! actions (`now_ms`), so every transition can be replayed and tested
//! without a browser. Whenever an action changes anything the reducer
//! returns a new `Rc` (Yew 0.23 skips the re-render when it gets the same
//! pointer back). The world itself is mutated in place and versioned (see
//! [`WorldRef`]): typing never touches it, and running a line costs what
//! the command costs, not a copy of 100k keys.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::engine::cli::{simplification_note, LineResult};
use crate::engine::cluster::ConnId;
use crate::engine::cluster_client::{ClusterLineResult, Decision};
use crate::engine::event::{Event, RejectKind};
use crate::engine::topology::HOST;
use crate::hints;
use crate::i18n::{self, tr, trf, Lang};
use crate::share::{Link, SessionDoc, Source};
use crate::timeline::{Frame, Timeline};
use crate::ui::lesson_run::LessonRun;
use crate::ui::sample::{Loading, Sample};
use crate::ui::script::{self, Emulated, ScriptRequest, ScriptTrace};
use crate::ui::session::{self, LessonOp, Notice, Settings, Step, StepOp, Theme, View};
use crate::ui::trace::{LastLine, MAX_SENDS};
use crate::ui::tx::{apply_sends, Touch, TxView, Verdict};
use crate::ui::world::{ClientKind, Recorder, SendRecord, Session, World, WorldRef};

/// The port the first client connects to.
pub const DEFAULT_PORT: u16 = 7000;
/// Transcript entries kept per client.
pub const MAX_TRANSCRIPT: usize = 500;
/// Lines kept in each client's ↑/↓ history.
pub const MAX_HISTORY: usize = 500;
/// Clients side by side at most.
pub const MAX_CLIENTS: usize = 4;

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
    /// What the cluster-aware client decided (client-side, not a reply).
    ClientNote,
    /// The playground saying that a reply is its own, not a real server's.
    Simplification,
}

/// One block of console output, exactly as printed (without the final newline).
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
    /// A note from the playground itself (not client output).
    Note(String),
}

/// One transcript entry; `id` is a stable key for rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: u64,
    pub kind: EntryKind,
}

/// One client's console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientView {
    /// `A`, `B` …; stable for the client's life.
    pub letter: char,
    /// The scrollback.
    pub transcript: Rc<Vec<Rc<Entry>>>,
    /// Lines entered, oldest first.
    pub history: Rc<Vec<String>>,
    /// The line being edited.
    pub input: String,
    /// While browsing history: the index shown.
    pub history_pos: Option<usize>,
    /// The line being edited when history browsing started.
    pub draft: String,
    /// Tab completion candidates to show (cleared by the next edit).
    pub candidates: Rc<Vec<String>>,
    /// Bumped when the console should take the keyboard focus.
    pub focus: u64,
    /// The current or last transaction.
    pub tx: Option<Rc<TxView>>,
    /// Writes to keys this client WATCHes, since its WATCH.
    pub touches: Rc<Vec<Touch>>,
}

impl ClientView {
    /// An empty console for client `letter`.
    pub(crate) fn new(letter: char) -> ClientView {
        ClientView {
            letter,
            transcript: Rc::new(Vec::new()),
            history: Rc::new(Vec::new()),
            input: String::new(),
            history_pos: None,
            draft: String::new(),
            candidates: Rc::new(Vec::new()),
            focus: 0,
            tx: None,
            touches: Rc::new(Vec::new()),
        }
    }

    /// "Client A".
    pub fn name(&self) -> String {
        format!("Client {}", self.letter)
    }

    fn push(&mut self, id: u64, kind: EntryKind) {
        let transcript = Rc::make_mut(&mut self.transcript);
        transcript.push(Rc::new(Entry { id, kind }));
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

    /// Marks an open transaction as gone with its connection.
    fn drop_tx(&mut self, redirected: bool) {
        if let Some(tx) = self.tx.as_mut().filter(|t| t.is_open()) {
            Rc::make_mut(tx).verdict = Some(Verdict::Dropped { redirected });
        }
    }
}

/// Everything that can happen to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A client's input line changed.
    Edit { client: usize, text: String },
    /// Run a client's line at time `now_ms` (Enter).
    Submit { client: usize, now_ms: u64 },
    /// ↑ in a client's console.
    HistoryPrev(usize),
    /// ↓ in a client's console.
    HistoryNext(usize),
    /// Tab: complete the command name.
    Complete(usize),
    /// Clear a client's screen (Ctrl+L or `clear`); history and data stay.
    Clear(usize),
    /// A client's console got the focus.
    Activate(usize),
    /// Make a client active and move the keyboard focus to its input.
    Focus(usize),
    /// Restart a client as another kind (like restarting redis-cli with or without -c).
    SetKind { client: usize, kind: ClientKind },
    /// Restart a client on another node.
    Connect { client: usize, port: u16 },
    /// Open another client side by side.
    AddClient,
    /// Close a client (never the last one).
    RemoveClient(usize),
    /// Put a line into a client's input (an example, a suggested fix) and focus it.
    Suggest { client: usize, line: String },
    /// Show a key in the key inspector.
    Inspect(String),
    /// Start loading sample data.
    LoadSample(Sample),
    /// Run the next chunk of the sample load.
    LoadChunk { now_ms: u64 },
    /// A new cluster and a new client A, as on first load.
    Reset,
    /// The script panel's Run: send the script as a console line of `client`.
    RunScript {
        client: usize,
        request: ScriptRequest,
        now_ms: u64,
    },
    /// The emulated server version (in-script error texts).
    SetEmulated(Emulated),
    /// Show the page in another language (at once when its texts are at
    /// hand, else once they have been fetched).
    SetLang(Lang),
    /// A language's texts arrived (shown if it is still the one asked for).
    LangLoaded(Lang),
    /// A language's texts could not be fetched.
    LangUnavailable(Lang),
    /// A language's lesson texts arrived (the lesson panel and picker are
    /// drawn again; see `i18n::install_lesson_texts`).
    LessonTextsLoaded(Lang),
    /// Open or close the lesson picker.
    ShowLessons(bool),
    /// Start a lesson (index into `lessons::all()`) from its first step.
    OpenLesson { lesson: usize, now_ms: u64 },
    /// The lesson's Next button.
    LessonNext { now_ms: u64 },
    /// The lesson's Back button.
    LessonBack,
    /// Run the step's command for the learner.
    LessonRunForMe { now_ms: u64 },
    /// Put the step's command into its client's input.
    LessonTypeForMe,
    /// Leave the lesson; the cluster and the clients stay as they are.
    LeaveLesson,
    /// Show the state after this many steps.
    Seek(usize),
    /// Discard the steps after the one shown.
    Fork,
    /// Show a notice.
    Notify(Notice),
    /// Hide the notice.
    DismissNotice,
    /// The cluster map's Stop / Start button on the node on `port`.
    NodeOp { port: u16, start: bool, now_ms: u64 },
    /// The failure detector's next change is due at `at` (the page's timer
    /// or its "Skip ahead" button, pressed at wall-clock time `now_ms`):
    /// let simulated time pass to it. When that is ahead of the page's
    /// clock, the page's clock jumps there too ([`AppState::clock_offset`]).
    Tick { at: u64, now_ms: u64 },
    /// The reshard control's Step (`run: false`) or Run to end.
    Reshard {
        from: u16,
        to: u16,
        slots: String,
        run: bool,
        now_ms: u64,
    },
}

/// The whole app state.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The cluster and the sessions, shared and versioned.
    pub world: WorldRef,
    /// The clients' consoles, in order.
    pub clients: Rc<Vec<Rc<ClientView>>>,
    /// Index of the client the key inspector and examples follow.
    pub active: usize,
    /// The last line that sent something (for the route trace and the map).
    pub last: Option<Rc<LastLine>>,
    /// The key typed into the key inspector.
    pub inspect: String,
    /// A sample load in progress.
    pub loading: Option<Loading>,
    /// Who owns each connection ever opened ("Client A", "the sample loader").
    pub owners: Rc<BTreeMap<ConnId, String>>,
    /// The last script run by any client (for the script panel).
    pub script: Option<Rc<ScriptTrace>>,
    /// The emulated server version.
    pub emulated: Emulated,
    /// The page's language.
    pub lang: Lang,
    /// A language asked for whose texts are still being fetched (the page
    /// switches to it when they arrive; see `i18n::install`).
    pub pending_lang: Option<Lang>,
    /// The lesson in progress, if any.
    pub lesson: Option<Rc<LessonRun>>,
    /// The lesson picker is open.
    pub picker: bool,
    next_id: u64,
    /// Every step and the snapshots; shared by every version of the state
    /// (empty in the timeline's own snapshots).
    pub timeline: TimelineRef,
    /// How the page is set up (clients at step 0, view, theme, engine, embed).
    pub settings: Rc<Settings>,
    /// A message above the consoles.
    pub notice: Option<Rc<Notice>>,
    /// Lines from a link waiting in client A's prompt, one per Enter (the
    /// first is the one in the prompt).
    pub pending: Rc<Vec<String>>,
    /// The operations log: what each node, tick and reshard step did.
    pub ops: Rc<Vec<Rc<crate::ui::ops::OpsEntry>>>,
    /// How far the page's clock runs ahead of the wall clock (ms): "Skip
    /// ahead" moves the engine's clock to the failure detector's next
    /// change, and every later step is stamped on that clock
    /// ([`AppState::clock`]), so time never runs backwards. Not part of
    /// the timeline's snapshots (seeking keeps it); saved with the session.
    pub clock_offset: u64,
}
/// A shared handle on the timeline. Clones share it; snapshots hold none.
#[derive(Clone, Default)]
pub struct TimelineRef(Option<Rc<RefCell<Timeline<AppState>>>>);

impl TimelineRef {
    fn new(timeline: Timeline<AppState>) -> TimelineRef {
        TimelineRef(Some(Rc::new(RefCell::new(timeline))))
    }

    /// Runs `f` on the timeline (`None` in a snapshot, or while borrowed).
    pub fn with<R>(&self, f: impl FnOnce(&Timeline<AppState>) -> R) -> Option<R> {
        let cell = self.0.as_ref()?;
        let timeline = cell.try_borrow().ok()?;
        Some(f(&timeline))
    }

    fn with_mut<R>(&self, f: impl FnOnce(&mut Timeline<AppState>) -> R) -> Option<R> {
        let cell = self.0.as_ref()?;
        let mut timeline = cell.try_borrow_mut().ok()?;
        Some(f(&mut timeline))
    }

    /// (cursor, number of steps).
    pub fn position(&self) -> (usize, usize) {
        self.with(|t| (t.cursor(), t.len())).unwrap_or((0, 0))
    }

    /// Bumped whenever steps or the cursor change.
    pub fn version(&self) -> u64 {
        self.with(Timeline::version).unwrap_or(0)
    }

    /// Changes whenever the timeline changes or is replaced (for effects).
    pub fn key(&self) -> (usize, u64) {
        let ptr = self.0.as_ref().map_or(0, |rc| Rc::as_ptr(rc) as usize);
        (ptr, self.version())
    }

    /// True when the last step is shown.
    pub fn at_head(&self) -> bool {
        self.with(Timeline::at_head).unwrap_or(true)
    }

    /// Step `index` (0-based).
    pub fn step(&self, index: usize) -> Option<Step> {
        self.with(|t| t.step(index).cloned()).flatten()
    }

    /// Every step.
    pub fn steps(&self) -> Vec<Step> {
        self.with(|t| t.steps().cloned().collect())
            .unwrap_or_default()
    }
}

impl PartialEq for TimelineRef {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b) && self.version() == other.version(),
            (None, None) => true,
            _ => false,
        }
    }
}

impl std::fmt::Debug for TimelineRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (cursor, len) = self.position();
        write!(f, "TimelineRef({cursor}/{len})")
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}

impl AppState {
    /// A fresh cluster with client A (`redis-cli -c` on 7000) and a welcome note.
    pub fn new() -> AppState {
        AppState::new_in(Lang::En)
    }

    /// [`AppState::new`] with the page in `lang`.
    pub fn new_in(lang: Lang) -> AppState {
        AppState::start(Settings::default(), lang)
    }

    /// A fresh cluster with the settings' clients (client A gets the
    /// welcome note, the others their own), the settings' emulated
    /// version, and an empty timeline.
    pub fn start(settings: Settings, lang: Lang) -> AppState {
        let (kind, port) = settings
            .clients
            .first()
            .copied()
            .unwrap_or((ClientKind::Redirecting, DEFAULT_PORT));
        let session = Session::new(kind, port);
        // Inside a page there is no Lessons button to point at.
        let key = if settings.embed {
            "console.welcome_embed"
        } else {
            "console.welcome"
        };
        let welcome = trf(lang, key, &[("line", &session.command_line(lang))]);
        let extra: Vec<(ClientKind, u16)> = settings.clients.iter().skip(1).copied().collect();
        let mut world = World::new(vec![session]);
        world.cluster.scripting.version = settings.engine.engine();
        let mut state = AppState {
            world: WorldRef::new(world),
            clients: Rc::new(vec![Rc::new(ClientView::new('A'))]),
            active: 0,
            last: None,
            inspect: String::new(),
            loading: None,
            owners: Rc::new(BTreeMap::new()),
            script: None,
            emulated: settings.engine,
            lang,
            lesson: None,
            picker: false,
            next_id: 0,
            timeline: TimelineRef::default(),
            settings: Rc::new(settings),
            notice: None,
            pending: Rc::new(Vec::new()),
            ops: Rc::new(Vec::new()),
            clock_offset: 0,
            pending_lang: None,
        };
        state.note(0, welcome);
        for (kind, port) in extra {
            state.add_client(kind, port);
        }
        state.active = 0;
        for client in Rc::make_mut(&mut state.clients) {
            Rc::make_mut(client).focus = 0;
        }
        state.timeline = TimelineRef::new(Timeline::new(&state));
        state
    }

    /// The state a session document describes: its clients and settings,
    /// every step replayed (with the times recorded), the selected step
    /// shown, and pending lines in client A's prompt. `page` holds what
    /// the page itself decided (embed; a link's view and theme).
    pub fn from_doc(
        doc: &SessionDoc,
        page: &Settings,
        lang: Lang,
    ) -> Result<AppState, crate::share::ShareError> {
        let settings = session::settings_from_doc(doc, page)?;
        let steps = doc
            .steps
            .iter()
            .map(|s| session::step_from_doc(doc, s))
            .collect::<Result<Vec<Step>, _>>()?;
        let mut state = AppState::start(settings, lang);
        for step in steps {
            state.run(step);
        }
        // A hand-written session may name a lesson without opening it.
        if state.lesson.is_none() && doc.steps.is_empty() {
            if let Some(lesson) = doc
                .lesson
                .as_deref()
                .and_then(|id| crate::lessons::all().iter().position(|l| l.id == id))
            {
                state.run(Step {
                    now_ms: doc.t0,
                    op: StepOp::Lesson(LessonOp::Open { lesson }),
                });
            }
        }
        if let Some(target) = doc.step {
            state.seek(target);
        }
        if let Some(active) = doc.active.filter(|a| *a < state.clients.len()) {
            state.active = active;
        }
        state.set_pending(doc.pending.clone());
        state.clock_offset = doc.ahead;
        Ok(state)
    }

    /// The state a page opens with: what the link asks for (a session, or
    /// lines to run or to queue), else the session saved in this browser
    /// (`saved`; never inside an embed), else a new one. A link or saved
    /// session that cannot be opened leaves an empty sandbox and a notice.
    pub fn open(link: Link, saved: Option<&str>, now_ms: u64, wanted: Lang) -> AppState {
        // A language whose texts are not here yet is asked for; the page
        // starts in English meanwhile.
        let lang = if i18n::is_ready(wanted) {
            wanted
        } else {
            Lang::En
        };
        let mut state = AppState::open_in(link, saved, now_ms, lang);
        if lang != wanted {
            state.pending_lang = Some(wanted);
        }
        state
    }

    fn open_in(link: Link, saved: Option<&str>, now_ms: u64, lang: Lang) -> AppState {
        let page = Settings {
            view: link
                .view
                .as_deref()
                .and_then(View::from_value)
                .unwrap_or_default(),
            theme: link
                .theme
                .as_deref()
                .and_then(Theme::from_value)
                .unwrap_or_default(),
            engine: link
                .engine
                .as_deref()
                .and_then(Emulated::from_value)
                .unwrap_or_default(),
            embed: link.embed,
            ..Settings::default()
        };
        let broken = |page: Settings, notice: Notice| {
            let mut state = AppState::start(page, lang);
            state.notice = Some(Rc::new(notice));
            state
        };
        match link.source {
            // A hand-written session without times starts now.
            Source::Session(mut doc) => {
                if doc.t0 == 0 {
                    doc.t0 = now_ms;
                }
                AppState::from_doc(&doc, &page, lang)
                    .unwrap_or_else(|e| broken(page, Notice::BrokenLink(e)))
            }
            Source::Broken(e) => broken(page, Notice::BrokenLink(e)),
            Source::Lines {
                lines,
                autorun: true,
            } => {
                let n = lines.len();
                match AppState::from_doc(&SessionDoc::from_lines(lines, now_ms), &page, lang) {
                    Ok(mut state) => {
                        // Inside a page, the page says what ran.
                        if !state.settings.embed {
                            state.notice = Some(Rc::new(Notice::RanLink(n)));
                        }
                        state
                    }
                    Err(e) => broken(page, Notice::BrokenLink(e)),
                }
            }
            Source::Lines {
                lines,
                autorun: false,
            } => {
                let mut state = AppState::start(page, lang);
                state.notice = Some(Rc::new(Notice::PendingLink(lines.len())));
                state.set_pending(lines);
                state
            }
            Source::Nothing => match saved.filter(|_| !link.embed) {
                Some(saved) => match crate::share::decode(saved)
                    .and_then(|doc| AppState::from_doc(&doc, &page, lang))
                {
                    Ok(state) => state,
                    Err(e) => broken(page, Notice::BrokenSaved(e)),
                },
                None => AppState::start(page, lang),
            },
        }
    }

    /// The session as a document (what a share link and the saved copy hold).
    pub fn to_doc(&self) -> SessionDoc {
        let steps = self.timeline.steps();
        let t0 = steps.first().map_or(0, |s| s.now_ms);
        let (cursor, len) = self.timeline.position();
        let mut doc = SessionDoc {
            t0,
            steps: steps.iter().map(|s| session::step_to_doc(s, t0)).collect(),
            step: (cursor < len).then_some(cursor),
            active: (self.active > 0).then_some(self.active),
            pending: self.pending.to_vec(),
            ahead: self.clock_offset,
            ..SessionDoc::default()
        };
        session::settings_to_doc(&self.settings, &mut doc);
        // Where the learner is, for people reading the link (the steps
        // themselves reopen the lesson).
        if let Some(run) = &self.lesson {
            doc.lesson = crate::lessons::all().get(run.lesson).map(|l| l.id.clone());
            doc.lesson_step = u32::try_from(run.step + 1).ok();
        }
        doc
    }

    /// Puts lines in client A's queue, the first in its prompt.
    pub fn set_pending(&mut self, lines: Vec<String>) {
        if let Some(first) = lines.first().cloned() {
            if let Some(view) = self.client_mut(0) {
                view.input = first;
            }
        }
        self.pending = Rc::new(lines);
    }

    /// Runs a step on the world and records it on the timeline: a sample
    /// load in progress is finished first, and a step taken while an
    /// earlier one is shown forks the timeline there.
    pub fn run(&mut self, step: Step) {
        self.finish_loading(step.now_ms);
        self.fork_here();
        let timeline = self.timeline.clone();
        if timeline
            .with_mut(|t| t.record(self, step.clone()))
            .is_none()
        {
            self.apply_step(&step);
        }
    }

    /// Shows the state after `target` steps; returns false when it already
    /// was. What is typed in each client (by letter) stays, and the
    /// keyboard focus does not move: a client that appears on the way
    /// does not take it.
    fn seek(&mut self, target: usize) -> bool {
        let typed: Vec<(char, String, u64)> = self
            .clients
            .iter()
            .map(|c| (c.letter, c.input.clone(), c.focus))
            .collect();
        let timeline = self.timeline.clone();
        if !timeline.with_mut(|t| t.seek(self, target)).unwrap_or(false) {
            return false;
        }
        for client in Rc::make_mut(&mut self.clients) {
            let (input, focus) = typed
                .iter()
                .find(|(l, _, _)| *l == client.letter)
                .map_or((String::new(), 0), |(_, i, f)| (i.clone(), *f));
            if client.input != input || client.focus != focus {
                let client = Rc::make_mut(client);
                client.input = input;
                client.focus = focus;
                client.history_pos = None;
            }
        }
        true
    }

    /// Discards the steps after the one shown (with a notice when there were any).
    fn fork_here(&mut self) {
        let timeline = self.timeline.clone();
        let (cursor, _) = timeline.position();
        let dropped = timeline.with_mut(|t| t.fork(self)).unwrap_or(0);
        if dropped > 0 {
            self.notice = Some(Rc::new(Notice::Forked {
                at: cursor,
                dropped,
            }));
        }
    }

    /// Applies one step; returns the commands it sent (its replay cost).
    /// The one path for live actions and replays.
    pub fn apply_step(&mut self, step: &Step) -> u64 {
        match &step.op {
            StepOp::Line { client, line } => {
                let Some(view) = self.client_mut(*client) else {
                    return 1;
                };
                view.input = line.clone();
                self.active = *client;
                // A script may cost far more than one request.
                let work = self
                    .submit(*client, step.now_ms)
                    .max(crate::share::line_work(line));
                self.check_lesson(*client);
                work
            }
            StepOp::Script { client, request } => {
                if self.client(*client).is_none() {
                    return 1;
                }
                self.active = *client;
                self.run_script(*client, request, step.now_ms)
            }
            StepOp::Emulate { client, emulated } => {
                if self.client(*client).is_some() {
                    self.active = *client;
                }
                self.set_emulated(*emulated);
                1
            }
            StepOp::Lesson(op) => {
                match op {
                    LessonOp::Open { lesson } => self.open_lesson(*lesson, step.now_ms),
                    LessonOp::Next => self.lesson_next(step.now_ms),
                    LessonOp::RunForMe => self.lesson_run_for_me(step.now_ms),
                    LessonOp::Leave => self.lesson = None,
                }
                crate::share::LESSON_WORK
            }
            StepOp::Restart { client, kind, port } => {
                if self.client(*client).is_some() {
                    self.active = *client;
                    self.restart(*client, *kind, *port);
                }
                1
            }
            StepOp::AddClient { kind, port } => {
                self.add_client(*kind, *port);
                1
            }
            StepOp::RemoveClient { client } => {
                self.remove_client(*client);
                1
            }
            StepOp::Sample { client, sample } => {
                let Some(mut loading) = self.start_loading(*sample, *client) else {
                    return 1;
                };
                loading.now_ms = Some(step.now_ms);
                self.world.mutate(|world| {
                    while !loading.finished() {
                        loading.run_chunk(&mut world.cluster, step.now_ms);
                    }
                    loading.close(&mut world.cluster);
                });
                self.loaded_note(&loading);
                sample.total() as u64
            }
            StepOp::Node { .. } | StepOp::Tick | StepOp::Reshard { .. } => self.apply_ops(step),
        }
    }

    /// Finishes a sample load in progress at once and records it.
    fn finish_loading(&mut self, now_ms: u64) {
        let Some(mut loading) = self.loading.take() else {
            return;
        };
        let now_ms = *loading.now_ms.get_or_insert(now_ms);
        self.world.mutate(|world| {
            while !loading.finished() {
                loading.run_chunk(&mut world.cluster, now_ms);
            }
            loading.close(&mut world.cluster);
        });
        self.loaded(loading);
    }

    /// Opens the loader's connections.
    fn start_loading(&mut self, sample: Sample, client: usize) -> Option<Loading> {
        let mut loading = self
            .world
            .mutate(|world| Loading::start(&mut world.cluster, sample))?;
        loading.client = client;
        let owners = Rc::make_mut(&mut self.owners);
        for (_, conn) in &loading.conns {
            owners.insert(*conn, crate::ui::tx::LOADER.into());
        }
        Some(loading)
    }

    /// A finished live load: its note, and its step on the timeline.
    fn loaded(&mut self, loading: Loading) {
        self.loaded_note(&loading);
        let step = Step {
            now_ms: loading.now_ms.unwrap_or(0),
            op: StepOp::Sample {
                client: loading.client,
                sample: loading.sample,
            },
        };
        let work = loading.sample.total() as u64;
        let timeline = self.timeline.clone();
        timeline.with_mut(|t| t.push(self, step, work));
    }

    fn loaded_note(&mut self, loading: &Loading) {
        let lang = self.lang;
        let errors = if loading.errors == 0 {
            String::new()
        } else {
            trf(
                lang,
                "sample.loaded_errors",
                &[("n", &loading.errors.to_string())],
            )
        };
        let text = trf(
            lang,
            "sample.loaded",
            &[
                ("what", loading.sample.describe_in(lang)),
                ("errors", &errors),
            ],
        );
        self.note(loading.client, text);
    }

    /// The time of the last step (for steps that carry no clock of their
    /// own: a client change does not depend on it).
    /// The page's clock at wall-clock time `wall_ms`: the wall clock plus
    /// what "Skip ahead" skipped ([`AppState::clock_offset`]).
    pub fn clock(&self, wall_ms: u64) -> u64 {
        wall_ms.saturating_add(self.clock_offset)
    }

    /// `action` with its wall-clock time moved onto the page's clock.
    fn on_page_clock(&self, mut action: Action) -> Action {
        match &mut action {
            Action::Submit { now_ms, .. }
            | Action::LoadChunk { now_ms }
            | Action::RunScript { now_ms, .. }
            | Action::OpenLesson { now_ms, .. }
            | Action::LessonNext { now_ms }
            | Action::LessonRunForMe { now_ms }
            | Action::NodeOp { now_ms, .. }
            | Action::Reshard { now_ms, .. } => *now_ms = self.clock(*now_ms),
            _ => {}
        }
        action
    }

    pub fn last_time(&self) -> u64 {
        let (_, len) = self.timeline.position();
        len.checked_sub(1)
            .and_then(|i| self.timeline.step(i))
            .map_or(0, |s| s.now_ms)
    }

    /// Total keys held (the cost of copying the world).
    fn key_count(&self) -> u64 {
        let world = self.world.borrow();
        let cluster = &world.cluster;
        cluster
            .topology
            .masters()
            .map(|m| cluster.keyspace_of(m).len() as u64)
            .sum()
    }

    /// A client's console.
    pub fn client(&self, index: usize) -> Option<&Rc<ClientView>> {
        self.clients.get(index)
    }

    /// The prompt of client `index` (`127.0.0.1:7000> `, `...(TX)> `, `cluster> `).
    pub fn prompt(&self, index: usize) -> String {
        self.world
            .borrow()
            .sessions
            .get(index)
            .map(Session::prompt)
            .unwrap_or_default()
    }

    /// The kind of client `index`.
    pub fn kind(&self, index: usize) -> Option<ClientKind> {
        self.world.borrow().sessions.get(index).map(Session::kind)
    }

    pub(crate) fn client_mut(&mut self, index: usize) -> Option<&mut ClientView> {
        Rc::make_mut(&mut self.clients)
            .get_mut(index)
            .map(Rc::make_mut)
    }

    /// A new id for a transcript or log entry.
    pub(crate) fn take_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    pub(crate) fn note(&mut self, index: usize, text: String) {
        let id = self.take_id();
        if let Some(client) = self.client_mut(index) {
            client.push(id, EntryKind::Note(text));
        }
    }

    /// Runs client `index`'s line; returns the requests it sent (at least 1).
    pub(crate) fn submit(&mut self, index: usize, now_ms: u64) -> u64 {
        let Some(client) = self.client_mut(index) else {
            return 1;
        };
        let line = std::mem::take(&mut client.input);
        client.history_pos = None;
        client.draft.clear();
        client.candidates = Rc::new(Vec::new());
        client.remember(&line);
        if is_clear(&line) {
            client.transcript = Rc::new(Vec::new());
            return 1;
        }
        self.execute(index, line, now_ms)
    }

    /// Runs `line` in client `index`'s session and records what it printed
    /// and sent (transcript, transaction view, route trace, script trace).
    /// Returns the requests it sent (at least 1).
    fn execute(&mut self, index: usize, line: String, now_ms: u64) -> u64 {
        let Some(letter) = self.client(index).map(|c| c.letter) else {
            return 1;
        };
        let ran = self.world.mutate(|world| {
            let World {
                cluster, sessions, ..
            } = world;
            let session = sessions.get_mut(index)?;
            let prompt = session.prompt();
            let kind = session.kind();
            let mut recorder = Recorder::new(cluster, now_ms);
            let printed = match session {
                Session::Cli(s) => Printed::Cli(s.run_line(&mut recorder, &line)),
                Session::Aware(c) => Printed::Aware(c.run_line(&mut recorder, &line)),
            };
            let Recorder { sends, opened, .. } = recorder;
            let open_conns = session.connections();
            Some((prompt, kind, printed, sends, opened, open_conns))
        });
        let Some(Some((prompt, kind, printed, sends, opened, open_conns))) = ran else {
            return 1;
        };
        let work = (sends.len() as u64).max(1);

        let owners = Rc::make_mut(&mut self.owners);
        for conn in opened {
            owners.insert(conn, format!("Client {letter}"));
        }
        self.record_touches(&sends);

        let sent_something = !matches!(
            printed,
            Printed::Cli(LineResult::Empty | LineResult::Message(_))
                | Printed::Aware(ClusterLineResult::Empty | ClusterLineResult::Message(_))
        );
        let (mut output, decisions) = match printed {
            Printed::Cli(result) => (render_result(result), Vec::new()),
            Printed::Aware(result) => render_aware(self.lang, result),
        };
        // First: the transcript draws only the first replies of a long line.
        if let Some(note) = crate::engine::cli::repeat_note(&line) {
            output.insert(
                0,
                Output {
                    kind: OutputKind::Simplification,
                    text: note,
                },
            );
        }

        let world = self.world.clone();
        if let Some(client) = self.client_mut(index) {
            let old = client.tx.as_deref().cloned();
            let mut tx = apply_sends(old.clone(), &sends, &client.touches);
            if let Some(view) = tx.as_mut().filter(|t| t.is_open()) {
                let world = world.borrow();
                let alive = open_conns.contains(&view.conn)
                    && world
                        .cluster
                        .connection(view.conn)
                        .is_some_and(|c| c.multi.is_some());
                if !alive {
                    let redirected = sends.iter().any(|s| {
                        s.events.iter().any(|e| {
                            matches!(
                                e,
                                Event::Rejected {
                                    kind: RejectKind::Moved | RejectKind::Ask,
                                    ..
                                }
                            )
                        })
                    });
                    view.verdict = Some(Verdict::Dropped { redirected });
                }
            }
            if tx != old {
                client.tx = tx.map(Rc::new);
            }
            let watching = {
                let world = world.borrow();
                open_conns.iter().any(|c| {
                    world
                        .cluster
                        .connection(*c)
                        .is_some_and(|c| !c.watched.is_empty())
                })
            };
            if !watching && !client.touches.is_empty() {
                client.touches = Rc::new(Vec::new());
            }
        }

        // Script panel hook: the last script any line ran.
        if let Some(trace) =
            ScriptTrace::from_sends(&self.world.borrow().cluster, letter, &prompt, &line, &sends)
        {
            self.script = Some(Rc::new(trace));
        }

        if sent_something {
            let total_sends = sends.len();
            let mut sends = sends;
            sends.truncate(MAX_SENDS);
            self.last = Some(Rc::new(LastLine {
                client: letter,
                kind,
                prompt: prompt.clone(),
                line: line.clone(),
                sends,
                total_sends,
                decisions,
            }));
        }
        let id = self.next_id;
        self.next_id += 1;
        if let Some(client) = self.client_mut(index) {
            client.push(
                id,
                EntryKind::Command {
                    prompt,
                    line,
                    output,
                },
            );
        }
        work
    }

    /// Records writes to WATCHed keys on the watching clients.
    fn record_touches(&mut self, sends: &[SendRecord]) {
        let mut found: Vec<(ConnId, Touch)> = Vec::new();
        for send in sends {
            for event in &send.events {
                if let Event::WatchTouched { watcher, by, key } = event {
                    let by = match by {
                        Some(conn) => self
                            .owners
                            .get(conn)
                            .cloned()
                            .unwrap_or_else(|| crate::ui::tx::ANOTHER.into()),
                        None => crate::ui::tx::EXPIRED.into(),
                    };
                    found.push((
                        *watcher,
                        Touch {
                            key: key.clone(),
                            by,
                        },
                    ));
                }
            }
        }
        if found.is_empty() {
            return;
        }
        let sessions: Vec<Vec<ConnId>> = self
            .world
            .borrow()
            .sessions
            .iter()
            .map(Session::connections)
            .collect();
        for (watcher, touch) in found {
            let Some(index) = sessions.iter().position(|conns| conns.contains(&watcher)) else {
                continue;
            };
            if let Some(client) = self.client_mut(index) {
                let touches = Rc::make_mut(&mut client.touches);
                if !touches.contains(&touch) {
                    touches.push(touch);
                }
            }
        }
    }

    /// Replaces client `index`'s session (closing the old connections).
    pub(crate) fn restart(&mut self, index: usize, kind: ClientKind, port: u16) {
        let lang = self.lang;
        if index >= self.world.borrow().sessions.len() {
            return;
        }
        let session = Session::new(kind, port);
        let line = session.command_line(lang);
        let Some(refused) = self
            .world
            .mutate(|world| world.replace_session(index, session))
        else {
            return;
        };
        if let Some(client) = self.client_mut(index) {
            client.drop_tx(false);
            client.touches = Rc::new(Vec::new());
        }
        self.note(
            index,
            trf(self.lang, "console.new_session", &[("line", &line)]),
        );
        if let Some(refused) = refused {
            self.note(index, refused);
        }
    }

    fn add_client(&mut self, kind: ClientKind, port: u16) {
        if self.clients.len() >= MAX_CLIENTS {
            return;
        }
        let Some(letter) = ('A'..='Z').find(|l| self.clients.iter().all(|c| c.letter != *l)) else {
            return;
        };
        let session = Session::new(kind, port);
        let line = session.command_line(self.lang);
        let Some(refused) = self.world.mutate(|world| world.add_session(session)) else {
            return;
        };
        Rc::make_mut(&mut self.clients).push(Rc::new(ClientView::new(letter)));
        let index = self.clients.len() - 1;
        self.active = index;
        self.note(
            index,
            trf(
                self.lang,
                "console.new_client",
                &[("letter", &letter.to_string()), ("line", &line)],
            ),
        );
        if let Some(refused) = refused {
            self.note(index, refused);
        }
        if let Some(client) = self.client_mut(index) {
            client.focus += 1;
        }
    }

    pub(crate) fn remove_client(&mut self, index: usize) {
        if self.clients.len() <= 1 || index >= self.clients.len() {
            return;
        }
        let removed = self.world.mutate(|world| {
            let World {
                cluster, sessions, ..
            } = world;
            if index < sessions.len() {
                let mut session = sessions.remove(index);
                session.close(cluster);
            }
        });
        if removed.is_none() {
            return;
        }
        Rc::make_mut(&mut self.clients).remove(index);
        if self.active >= self.clients.len() || self.active > index {
            self.active = self.active.saturating_sub(1);
        }
    }

    fn load_chunk(&mut self, now_ms: u64) {
        let Some(mut loading) = self.loading.take() else {
            return;
        };
        let finished = self
            .world
            .mutate(|world| {
                loading.run_chunk(&mut world.cluster, now_ms);
                let finished = loading.finished();
                if finished {
                    loading.close(&mut world.cluster);
                }
                finished
            })
            .unwrap_or(true);
        if finished {
            self.loaded(loading);
        } else {
            self.loading = Some(loading);
        }
    }
}

// ---------- script panel hooks (the model is in `ui::script`) ----------

impl AppState {
    /// Runs the script panel's script on client `index`: in function mode
    /// its library is loaded on every master first; then the EVAL / FCALL
    /// line goes through the client's session like a typed line (and into
    /// its history).
    /// Returns the requests it sent (at least 1).
    fn run_script(&mut self, index: usize, request: &ScriptRequest, now_ms: u64) -> u64 {
        let prepared = match request.prepare() {
            Ok(prepared) => prepared,
            Err(why) => {
                let why = script::show_prepare_error(self.lang, &why);
                let text = trf(self.lang, "script.note_error", &[("why", &why)]);
                self.note(index, text);
                return 1;
            }
        };
        if let Some(code) = &prepared.library {
            let loaded = self
                .world
                .mutate(|world| script::load_library(&mut world.cluster, code, now_ms))
                .unwrap_or_default();
            let ports: Vec<String> = loaded.iter().map(|(p, _)| format!(":{p}")).collect();
            if let Some((port, reply)) = loaded.iter().find(|(_, r)| r.is_error()) {
                let text = reply.to_cli(&[]);
                let text = trf(
                    self.lang,
                    "script.note_load_failed",
                    &[("port", &port.to_string()), ("reply", text.trim_end())],
                );
                self.note(index, text);
                return 1;
            }
            let text = trf(
                self.lang,
                "script.note_loaded",
                &[("library", script::LIBRARY), ("ports", &ports.join(", "))],
            );
            self.note(index, text);
        }
        if let Some(client) = self.client_mut(index) {
            client.remember(&prepared.line);
        }
        let line = prepared.line.clone();
        let work = self.execute(index, prepared.line, now_ms);
        if prepared.library.is_some() {
            if let Some(trace) = self
                .script
                .as_mut()
                .filter(|t| t.function && t.line == line)
            {
                let trace = Rc::make_mut(trace);
                *trace = trace.clone().with_source(script::Source {
                    body: request.body.clone(),
                    line_offset: script::FUNCTION_LINE_OFFSET,
                    library: false,
                });
            }
        }
        work.max(crate::share::SCRIPT_WORK)
    }

    /// Switches the emulated server version (a setting of the whole cluster).
    fn set_emulated(&mut self, emulated: Emulated) {
        if self
            .world
            .mutate(|world| world.cluster.scripting.version = emulated.engine())
            .is_none()
        {
            return;
        }
        self.emulated = emulated;
        let text = trf(
            self.lang,
            "script.note_emulating",
            &[("name", emulated.label())],
        );
        self.note(self.active, text);
    }
}

/// What a session printed for a line.
enum Printed {
    Cli(LineResult),
    Aware(ClusterLineResult),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // Components stamp actions with the wall clock; steps use the page's.
        let action = self.on_page_clock(action);
        let mut next = (*self).clone();
        match action {
            Action::Edit { client, text } => {
                let Some(view) = self.client(client) else {
                    return self;
                };
                if view.input == text && self.active == client {
                    return self;
                }
                next.active = client;
                if let Some(view) = next.client_mut(client) {
                    view.input = text;
                    view.history_pos = None;
                    if !view.candidates.is_empty() {
                        view.candidates = Rc::new(Vec::new());
                    }
                }
            }
            Action::Submit { client, now_ms } => {
                let Some(view) = self.client(client) else {
                    return self;
                };
                let line = view.input.clone();
                if line.trim().is_empty() {
                    // redis-cli prints a new prompt; nothing to record.
                    if !self.timeline.at_head() || self.loading.is_some() {
                        return self;
                    }
                    next.active = client;
                    next.submit(client, now_ms);
                } else {
                    next.run(Step {
                        now_ms,
                        op: StepOp::Line { client, line },
                    });
                }
                if client == 0 && !next.pending.is_empty() {
                    let mut rest = next.pending.to_vec();
                    rest.remove(0);
                    next.set_pending(rest);
                }
            }
            Action::HistoryPrev(client) => {
                let Some(view) = self.client(client) else {
                    return self;
                };
                let pos = match view.history_pos {
                    None if view.history.is_empty() => return self,
                    None => view.history.len() - 1,
                    Some(0) => return self,
                    Some(pos) => pos - 1,
                };
                let draft = view.history_pos.is_none().then(|| view.input.clone());
                if let Some(view) = next.client_mut(client) {
                    if let Some(draft) = draft {
                        view.draft = draft;
                    }
                    view.history_pos = Some(pos);
                    view.input = view.history.get(pos).cloned().unwrap_or_default();
                }
            }
            Action::HistoryNext(client) => {
                let Some(view) = self.client(client) else {
                    return self;
                };
                let Some(pos) = view.history_pos else {
                    return self;
                };
                if let Some(view) = next.client_mut(client) {
                    if pos + 1 < view.history.len() {
                        view.history_pos = Some(pos + 1);
                        view.input = view.history.get(pos + 1).cloned().unwrap_or_default();
                    } else {
                        view.history_pos = None;
                        view.input = std::mem::take(&mut view.draft);
                    }
                }
            }
            Action::Complete(client) => {
                let Some(done) = self.client(client).and_then(|v| hints::complete(&v.input)) else {
                    return self;
                };
                if let Some(view) = next.client_mut(client) {
                    view.input = done.line;
                    view.history_pos = None;
                    view.candidates = Rc::new(done.candidates);
                }
            }
            Action::Clear(client) => {
                if self.client(client).is_none_or(|v| v.transcript.is_empty()) {
                    return self;
                }
                if let Some(view) = next.client_mut(client) {
                    view.transcript = Rc::new(Vec::new());
                }
            }
            Action::Activate(client) => {
                if self.active == client || self.client(client).is_none() {
                    return self;
                }
                next.active = client;
            }
            Action::Focus(client) => {
                if self.client(client).is_none() {
                    return self;
                }
                next.active = client;
                if let Some(view) = next.client_mut(client) {
                    view.focus += 1;
                }
            }
            Action::SetKind { client, kind } => {
                let Some(port) = self.world.borrow().sessions.get(client).map(Session::port) else {
                    return self;
                };
                next.run(Step {
                    now_ms: next.last_time(),
                    op: StepOp::Restart { client, kind, port },
                });
            }
            Action::Connect { client, port } => {
                let kind = {
                    let world = self.world.borrow();
                    match world.sessions.get(client) {
                        Some(session) if world.cluster.topology.by_port(port).is_some() => {
                            Some(session.kind())
                        }
                        _ => None,
                    }
                };
                let Some(kind) = kind else {
                    return self;
                };
                next.run(Step {
                    now_ms: next.last_time(),
                    op: StepOp::Restart { client, kind, port },
                });
            }
            Action::AddClient => {
                if self.clients.len() >= MAX_CLIENTS {
                    return self;
                }
                next.run(Step {
                    now_ms: next.last_time(),
                    op: StepOp::AddClient {
                        kind: ClientKind::Redirecting,
                        port: DEFAULT_PORT,
                    },
                });
            }
            Action::RemoveClient(client) => {
                if self.clients.len() <= 1 || client >= self.clients.len() {
                    return self;
                }
                next.run(Step {
                    now_ms: next.last_time(),
                    op: StepOp::RemoveClient { client },
                });
            }
            Action::Suggest { client, line } => {
                if self.client(client).is_none() {
                    return self;
                }
                next.active = client;
                if let Some(view) = next.client_mut(client) {
                    view.input = line;
                    view.history_pos = None;
                    view.candidates = Rc::new(Vec::new());
                    view.focus += 1;
                }
            }
            Action::Inspect(key) => {
                if key == self.inspect {
                    return self;
                }
                next.inspect = key;
            }
            Action::LoadSample(sample) => {
                if self.loading.is_some() {
                    return self;
                }
                next.fork_here();
                let client = next.active;
                let Some(loading) = next.start_loading(sample, client) else {
                    return self;
                };
                next.loading = Some(loading);
            }
            Action::LoadChunk { now_ms } => {
                if self.loading.is_none() {
                    return self;
                }
                next.load_chunk(now_ms);
            }
            Action::RunScript {
                client,
                request,
                now_ms,
            } => {
                if self.client(client).is_none() {
                    return self;
                }
                next.run(Step {
                    now_ms,
                    op: StepOp::Script { client, request },
                });
            }
            Action::SetEmulated(emulated) => {
                if emulated == self.emulated {
                    return self;
                }
                next.run(Step {
                    now_ms: next.last_time(),
                    op: StepOp::Emulate {
                        client: self.active,
                        emulated,
                    },
                });
            }
            Action::Reset => {
                // A new sandbox: the lesson (if any) is left, the language
                // and the page settings kept, the saved session forgotten.
                let settings = Settings {
                    clients: Settings::default().clients,
                    lesson: None,
                    lesson_step: None,
                    ..(*self.settings).clone()
                };
                let mut fresh = AppState::start(settings, self.lang);
                // New entry ids, so no console reuses an old entry's key.
                fresh.next_id = self.next_id;
                fresh.timeline = TimelineRef::new(Timeline::new(&fresh));
                return Rc::new(fresh);
            }
            Action::SetLang(lang) => {
                let (lang, pending) = if i18n::is_ready(lang) {
                    (lang, None)
                } else {
                    (self.lang, Some(lang))
                };
                if self.lang == lang && self.pending_lang == pending {
                    return self;
                }
                next.lang = lang;
                next.pending_lang = pending;
            }
            Action::LangLoaded(lang) => {
                if self.pending_lang != Some(lang) {
                    return self;
                }
                next.lang = lang;
                next.pending_lang = None;
            }
            Action::LessonTextsLoaded(lang) => {
                // Nothing in the state changes; a new state draws the page
                // again, with the texts now at hand.
                if self.lang != lang {
                    return self;
                }
            }
            Action::LangUnavailable(lang) => {
                if self.pending_lang != Some(lang) {
                    return self;
                }
                next.pending_lang = None;
                next.notice = Some(Rc::new(Notice::LangUnavailable(lang)));
            }
            Action::ShowLessons(open) => {
                if self.picker == open {
                    return self;
                }
                next.picker = open;
            }
            Action::OpenLesson { lesson, now_ms } => {
                if !crate::lessons::all()
                    .get(lesson)
                    .is_some_and(|l| l.available())
                {
                    return self;
                }
                next.run(Step {
                    now_ms,
                    op: StepOp::Lesson(LessonOp::Open { lesson }),
                });
            }
            Action::LessonNext { now_ms } => {
                let Some(run) = self.lesson.as_ref() else {
                    return self;
                };
                // Only opening a new step runs commands; the rest moves
                // the lesson panel (like Back, not a step).
                let opens = !run.pending()
                    && run.step >= run.reached
                    && run.data().is_some_and(|l| run.step + 1 < l.steps.len());
                if opens {
                    next.run(Step {
                        now_ms,
                        op: StepOp::Lesson(LessonOp::Next),
                    });
                } else {
                    next.lesson_next(now_ms);
                }
            }
            Action::LessonBack => {
                if self.lesson.is_none() {
                    return self;
                }
                next.lesson_back();
            }
            Action::LessonRunForMe { now_ms } => {
                if self.lesson.is_none() {
                    return self;
                }
                next.run(Step {
                    now_ms,
                    op: StepOp::Lesson(LessonOp::RunForMe),
                });
            }
            Action::LessonTypeForMe => {
                if self.lesson.is_none() {
                    return self;
                }
                next.lesson_type_for_me();
            }
            Action::LeaveLesson => {
                if self.lesson.is_none() {
                    return self;
                }
                next.run(Step {
                    now_ms: next.last_time(),
                    op: StepOp::Lesson(LessonOp::Leave),
                });
            }
            Action::Seek(target) => {
                let loading = next.loading.is_some();
                next.finish_loading(next.last_time());
                if !next.seek(target) && !loading {
                    return self;
                }
            }
            Action::Fork => {
                if self.timeline.at_head() {
                    return self;
                }
                next.fork_here();
            }
            Action::Notify(notice) => {
                if self.notice.as_deref() == Some(&notice) {
                    return self;
                }
                next.notice = Some(Rc::new(notice));
            }
            Action::DismissNotice => {
                if self.notice.is_none() {
                    return self;
                }
                next.notice = None;
            }
            Action::NodeOp {
                port,
                start,
                now_ms,
            } => {
                let running = {
                    let world = self.world.borrow();
                    let topology = &world.cluster.topology;
                    topology
                        .by_port(port)
                        .map(|n| topology.nodes[n].health.running())
                };
                // Only a change is a step (stopping a stopped node is not).
                if running != Some(!start) {
                    return self;
                }
                if self.loading.is_some() {
                    return self;
                }
                next.run(Step {
                    now_ms: now_ms.max(next.last_time()),
                    op: StepOp::Node { port, start },
                });
            }
            Action::Tick { at, now_ms } => {
                // Only at the last step: an earlier step shown is history.
                let due = self.world.borrow().cluster.next_transition_at();
                if due != Some(at) || !self.timeline.at_head() || self.loading.is_some() {
                    return self;
                }
                // Skipped ahead: later steps are stamped from `at` on, not
                // from the (earlier) wall clock.
                next.clock_offset = next.clock_offset.max(at.saturating_sub(now_ms));
                next.run(Step {
                    now_ms: at,
                    op: StepOp::Tick,
                });
            }
            Action::Reshard {
                from,
                to,
                slots,
                run,
                now_ms,
            } => {
                if self.loading.is_some() {
                    return self;
                }
                next.run(Step {
                    now_ms: now_ms.max(next.last_time()),
                    op: StepOp::Reshard {
                        from,
                        to,
                        slots,
                        run,
                    },
                });
            }
        }
        Rc::new(next)
    }
}

impl Frame for AppState {
    type Step = Step;

    fn apply(&mut self, step: &Step) -> u64 {
        self.apply_step(step)
    }

    fn deep_copy(&self) -> AppState {
        let world = self.world.borrow().clone();
        AppState {
            world: WorldRef::new(world),
            ..self.shallow_copy()
        }
    }

    fn shallow_copy(&self) -> AppState {
        AppState {
            world: self.world.clone(),
            clients: self.clients.clone(),
            active: self.active,
            last: self.last.clone(),
            inspect: String::new(),
            loading: None,
            owners: self.owners.clone(),
            next_id: self.next_id,
            script: self.script.clone(),
            emulated: self.emulated,
            lang: self.lang,
            lesson: self.lesson.clone(),
            picker: self.picker,
            timeline: TimelineRef::default(),
            settings: self.settings.clone(),
            notice: None,
            pending: Rc::new(Vec::new()),
            ops: self.ops.clone(),
            clock_offset: self.clock_offset,
            pending_lang: self.pending_lang,
        }
    }

    /// Takes the other frame's world, consoles, last line, owners, script
    /// trace, emulated version, lesson and operations log; keeps the timeline, settings,
    /// notice, pending lines, language, lesson picker and the key
    /// inspector's key.
    fn load(&mut self, other: AppState) {
        self.world = other.world;
        self.clients = other.clients;
        self.active = other.active.min(self.clients.len().saturating_sub(1));
        self.last = other.last;
        self.owners = other.owners;
        self.next_id = other.next_id;
        self.script = other.script;
        self.emulated = other.emulated;
        self.lesson = other.lesson;
        self.ops = other.ops;
    }

    fn weight(&self) -> u64 {
        self.key_count() + 1
    }
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
                if let Some(note) = exchange.simplification() {
                    out.push(Output {
                        kind: OutputKind::Simplification,
                        text: note,
                    });
                }
            }
            out
        }
    }
}

/// The cluster-aware client's output: its decisions as notes, then the
/// reply in redis-cli's format. Also returns every decision, in order.
pub fn render_aware(lang: Lang, result: ClusterLineResult) -> (Vec<Output>, Vec<Decision>) {
    match result {
        ClusterLineResult::Empty => (Vec::new(), Vec::new()),
        ClusterLineResult::Message(text) => (
            vec![Output {
                kind: OutputKind::Message,
                text,
            }],
            Vec::new(),
        ),
        ClusterLineResult::Exchanges(exchanges) => {
            let mut out = Vec::new();
            let mut decisions = Vec::new();
            let many = exchanges.len() > 1;
            for (n, exchange) in exchanges.into_iter().enumerate() {
                // For `100 INCR x` only the first exchange's decisions are printed.
                if !many || n == 0 {
                    for decision in &exchange.decisions {
                        out.push(Output {
                            kind: OutputKind::ClientNote,
                            text: format!("↳ {}", describe_decision(lang, decision)),
                        });
                    }
                }
                if let Some(reply) = &exchange.reply {
                    let text = reply.to_cli(&exchange.argv);
                    out.push(Output {
                        kind: if reply.is_error() {
                            OutputKind::Error
                        } else {
                            OutputKind::Reply
                        },
                        text: text.strip_suffix('\n').unwrap_or(&text).to_string(),
                    });
                    if let Some(note) = simplification_note(&exchange.argv, reply) {
                        out.push(Output {
                            kind: OutputKind::Simplification,
                            text: note,
                        });
                    }
                }
                decisions.extend(exchange.decisions);
            }
            (out, decisions)
        }
    }
}

fn node(port: u16) -> String {
    format!("{HOST}:{port}")
}

/// A cluster-aware client's decision in words, in `lang`.
pub fn describe_decision(lang: Lang, decision: &Decision) -> String {
    let port_of = |port: &u16| port.to_string();
    match decision {
        Decision::LoadedSlotMap { from, ranges } => trf(
            lang,
            "decision.loaded",
            &[("node", &node(*from)), ("ranges", &ranges.to_string())],
        ),
        Decision::SlotMapFailed { from, error } => trf(
            lang,
            "decision.slots_failed",
            &[("node", &node(*from)), ("error", error)],
        ),
        Decision::ToOwner { slot, port } => trf(
            lang,
            "decision.to_owner",
            &[("slot", &slot.to_string()), ("node", &node(*port))],
        ),
        Decision::UnknownSlot { slot, port } => trf(
            lang,
            "decision.unknown_slot",
            &[("slot", &slot.to_string()), ("node", &node(*port))],
        ),
        Decision::ToSeed { port } => trf(lang, "decision.to_seed", &[("node", &node(*port))]),
        Decision::ToWatchNode { port } => {
            trf(lang, "decision.to_watch_node", &[("node", &node(*port))])
        }
        Decision::InTransaction { port } => {
            trf(lang, "decision.in_transaction", &[("node", &node(*port))])
        }
        Decision::HeldMulti => tr(lang, "decision.held_multi").to_string(),
        Decision::SentHeldMulti { port, reply } => trf(
            lang,
            "decision.sent_held_multi",
            &[
                ("node", &node(*port)),
                ("reply", reply.to_cli(&[]).trim_end()),
            ],
        ),
        Decision::DroppedHeldMulti => tr(lang, "decision.dropped_held_multi").to_string(),
        Decision::FollowedMoved { slot, to } => trf(
            lang,
            "decision.followed_moved",
            &[("slot", &slot.to_string()), ("node", &node(*to))],
        ),
        Decision::FollowedAsk { slot, to } => trf(
            lang,
            "decision.followed_ask",
            &[("slot", &slot.to_string()), ("node", &node(*to))],
        ),
        Decision::TooManyRedirects => tr(lang, "decision.too_many_redirects").to_string(),
        Decision::Split { parts } => {
            let list: Vec<String> = parts
                .iter()
                .map(|(slot, port, keys)| {
                    trf(
                        lang,
                        if *keys == 1 {
                            "decision.split_part_one"
                        } else {
                            "decision.split_part_many"
                        },
                        &[
                            ("slot", &slot.to_string()),
                            ("port", &port_of(port)),
                            ("n", &keys.to_string()),
                        ],
                    )
                })
                .collect();
            trf(
                lang,
                "decision.split",
                &[
                    ("n", &parts.len().to_string()),
                    ("parts", &list.join(tr(lang, "decision.list_sep"))),
                ],
            )
        }
        Decision::NotSplit { slots } => {
            trf(lang, "decision.not_split", &[("n", &slots.to_string())])
        }
    }
}
