//! Running a lesson ([`crate::lessons`]) in the playground: opening a step
//! sets up its clients and data and runs its commands in the consoles;
//! the learner's own line is checked against the step's `type` command
//! and the output a real cluster gives; Next, Back, "Run it for me".
//!
//! The sandbox stays live the whole time: a lesson only drives the same
//! clients the learner types in, and leaving it keeps the cluster as is.
//!
//! Pure (no web-sys): these are [`AppState`] transitions, called by its
//! reducer.

use std::rc::Rc;

use crate::i18n::{trf, Lang};
use crate::lessons::{self, Command, Kind, Lesson, Session as LessonSession};
use crate::ui::state::{AppState, ClientView, EntryKind, Output, OutputKind};
use crate::ui::world::{ClientKind, Session, World, WorldRef};

/// How the learner did on a step's `type` command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Not run yet.
    Pending,
    /// Run, and the output is the expected one.
    Done,
    /// Run, but it printed something else (the data changed meanwhile).
    Different { got: String },
}

/// A lesson in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonRun {
    /// Index into [`lessons::all`].
    pub lesson: usize,
    /// The step shown.
    pub step: usize,
    /// The furthest step opened (its commands have run); `step <= reached`.
    pub reached: usize,
    /// One per step: the learner's `type` command.
    pub checks: Vec<Check>,
    /// "Try it first" is showing (Next was pressed before the step was done).
    pub nudge: bool,
    /// Next was pressed on the last step.
    pub finished: bool,
}

impl LessonRun {
    /// The lesson's data.
    pub fn data(&self) -> Option<&'static Lesson> {
        lessons::all().get(self.lesson)
    }

    /// Whether the shown step still waits for the learner.
    pub fn pending(&self) -> bool {
        let typed = self
            .data()
            .and_then(|l| l.steps.get(self.step))
            .is_some_and(|s| s.typed.is_some());
        typed && self.checks.get(self.step) == Some(&Check::Pending)
    }
}

/// The UI kind of a lesson client.
pub fn client_kind(kind: Kind) -> ClientKind {
    match kind {
        Kind::Plain => ClientKind::Plain,
        Kind::Redirect => ClientKind::Redirecting,
    }
}

/// What a console entry printed, as one text (redirect lines, the reply,
/// redis-cli's own messages), to compare with a step's `expect`.
pub fn printed_text(output: &[Output]) -> String {
    output
        .iter()
        .filter(|o| {
            matches!(
                o.kind,
                OutputKind::Redirect | OutputKind::Reply | OutputKind::Error | OutputKind::Message
            )
        })
        .map(|o| o.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A line with `${id:PORT}` replaced by the simulated cluster's node ids.
pub fn expand(world: &WorldRef, line: &str) -> String {
    let world = world.borrow();
    let topology = &world.cluster.topology;
    lessons::expand_ids(line, |port| {
        topology
            .by_port(port)
            .and_then(|n| topology.nodes.get(n))
            .map(|n| n.id.clone())
    })
}

impl AppState {
    /// Starts lesson `index` from its first step (on a fresh cluster).
    pub(crate) fn open_lesson(&mut self, index: usize, now_ms: u64) {
        let Some(lesson) = lessons::all().get(index) else {
            return;
        };
        if !lesson.available() {
            return;
        }
        self.picker = false;
        self.lesson = Some(Rc::new(LessonRun {
            lesson: index,
            step: 0,
            reached: 0,
            checks: vec![Check::Pending; lesson.steps.len()],
            nudge: false,
            finished: false,
        }));
        self.apply_session(lesson, &lesson.session, index, now_ms);
        self.open_step(lesson, 0, now_ms);
    }

    /// Next: forward to a step already seen, or open the next one; "try it
    /// first" while the shown step waits for the learner; finished after
    /// the last step.
    pub(crate) fn lesson_next(&mut self, now_ms: u64) {
        let Some(run) = self.lesson.clone() else {
            return;
        };
        let Some(lesson) = run.data() else { return };
        if run.pending() {
            if !run.nudge {
                self.update_run(|r| r.nudge = true);
            }
            return;
        }
        if run.step < run.reached {
            self.update_run(|r| {
                r.step += 1;
                r.nudge = false;
            });
            return;
        }
        let next = run.step + 1;
        if next >= lesson.steps.len() {
            self.update_run(|r| {
                r.finished = true;
                r.nudge = false;
            });
            return;
        }
        self.update_run(|r| {
            r.step = next;
            r.reached = next;
            r.nudge = false;
        });
        if let Some(session) = lesson.steps.get(next).and_then(|s| s.session.as_ref()) {
            self.apply_session(lesson, session, run.lesson, now_ms);
        }
        self.open_step(lesson, next, now_ms);
    }

    /// Back: shows the previous step again (nothing is undone or re-run).
    pub(crate) fn lesson_back(&mut self) {
        let Some(run) = self.lesson.as_ref() else {
            return;
        };
        if run.finished {
            self.update_run(|r| r.finished = false);
        } else if run.step > 0 {
            self.update_run(|r| {
                r.step -= 1;
                r.nudge = false;
            });
        }
    }

    /// Runs the shown step's `type` command for the learner (it is then
    /// checked like a typed one).
    pub(crate) fn lesson_run_for_me(&mut self, now_ms: u64) {
        let Some((client, line)) = self.typed_command() else {
            return;
        };
        let Some(index) = self.client_index(client) else {
            return;
        };
        let line = expand(&self.world, &line);
        self.run_line(index, &line, now_ms);
        self.check_lesson(index);
    }

    /// Puts the shown step's `type` command into its client's input.
    pub(crate) fn lesson_type_for_me(&mut self) {
        let Some((client, line)) = self.typed_command() else {
            return;
        };
        let Some(index) = self.client_index(client) else {
            return;
        };
        let line = expand(&self.world, &line);
        self.active = index;
        if let Some(view) = self.client_mut(index) {
            view.input = line;
            view.history_pos = None;
            view.candidates = Rc::new(Vec::new());
            view.focus += 1;
        }
    }

    /// After the learner ran a line in client `index`: if it is the
    /// current step's `type` command, record how it went.
    pub(crate) fn check_lesson(&mut self, index: usize) {
        let Some(run) = self.lesson.clone() else {
            return;
        };
        let Some(step) = run.data().and_then(|l| l.steps.get(run.reached)) else {
            return;
        };
        let Some(typed) = &step.typed else { return };
        let Some(view) = self.client(index) else {
            return;
        };
        if view.letter != typed.client || run.checks.get(run.reached) == Some(&Check::Done) {
            return;
        }
        let Some(entry) = view.transcript.last() else {
            return;
        };
        let EntryKind::Command { line, output, .. } = &entry.kind else {
            return;
        };
        let expected = expand(&self.world, &typed.line);
        if !lessons::same_command(&expected, line) {
            return;
        }
        let printed = printed_text(output);
        let check = match &typed.expect {
            Some(expect) if !lessons::output_matches(expect, &printed) => {
                Check::Different { got: printed }
            }
            _ => Check::Done,
        };
        let reached = run.reached;
        self.update_run(|r| {
            if let Some(c) = r.checks.get_mut(reached) {
                *c = check;
            }
            r.nudge = false;
        });
    }

    /// The current step's `type` command: (client letter, line).
    fn typed_command(&self) -> Option<(char, String)> {
        let run = self.lesson.as_ref()?;
        let typed = run.data()?.steps.get(run.reached)?.typed.as_ref()?;
        Some((typed.client, typed.line.clone()))
    }

    fn client_index(&self, letter: char) -> Option<usize> {
        self.clients.iter().position(|c| c.letter == letter)
    }

    fn update_run(&mut self, f: impl FnOnce(&mut LessonRun)) {
        if let Some(run) = self.lesson.as_mut() {
            f(Rc::make_mut(run));
        }
    }

    /// Runs a step's `run` commands in their consoles, as if typed.
    fn open_step(&mut self, lesson: &Lesson, step: usize, now_ms: u64) {
        let commands: Vec<&Command> = lesson
            .steps
            .get(step)
            .map_or(Vec::new(), |s| s.run.iter().collect());
        for command in commands {
            if let Some(index) = self.client_index(command.client) {
                let line = expand(&self.world, &command.line);
                self.run_line(index, &line, now_ms);
            }
        }
        // Show the console the step asks the learner to type in.
        if let Some(index) = lesson
            .steps
            .get(step)
            .and_then(|s| s.typed.as_ref())
            .and_then(|t| self.client_index(t.client))
        {
            self.active = index;
        }
    }

    /// Runs `line` in client `index` as if typed, keeping what the learner
    /// was typing there.
    fn run_line(&mut self, index: usize, line: &str, now_ms: u64) {
        let Some(view) = self.client_mut(index) else {
            return;
        };
        let draft = std::mem::replace(&mut view.input, line.to_string());
        self.submit(index, now_ms);
        if let Some(view) = self.client_mut(index) {
            view.input = draft;
        }
    }

    /// Notes in client `index`'s console which lesson connected it and how
    /// ("Lesson 4 — Client A: redis-cli -c -p 7000").
    fn session_note(&mut self, index: usize, title: &str, letter: char, line: &str) {
        let text = trf(
            self.lang,
            "lesson.session_note",
            &[
                ("lesson", title),
                ("client", &letter.to_string()),
                ("line", line),
            ],
        );
        self.note(index, text);
    }

    /// Gives the lesson the clients (and data) `session` asks for: a fresh
    /// cluster when it resets, otherwise new connections for every client.
    fn apply_session(
        &mut self,
        lesson: &Lesson,
        session: &LessonSession,
        number: usize,
        now_ms: u64,
    ) {
        let lang = self.lang;
        let title = format!(
            "{} {}",
            trf(lang, "lesson.number", &[("n", &(number + 1).to_string())]),
            lesson.title.get(lang)
        );
        if session.reset {
            let sessions: Vec<Session> = session
                .clients
                .iter()
                .map(|c| Session::new(client_kind(c.kind), c.port))
                .collect();
            let lines: Vec<String> = sessions.iter().map(|s| s.command_line(lang)).collect();
            self.world = WorldRef::new(World::new(sessions));
            self.clients = Rc::new(
                ('A'..='Z')
                    .take(session.clients.len())
                    .map(|l| Rc::new(ClientView::new(l)))
                    .collect(),
            );
            self.active = 0;
            self.last = None;
            self.loading = None;
            self.owners = Rc::default();
            for (i, line) in lines.into_iter().enumerate() {
                let letter = ('A'..='Z').nth(i).unwrap_or('A');
                self.session_note(i, &title, letter, &line);
            }
        } else {
            while self.clients.len() > session.clients.len() {
                let last = self.clients.len() - 1;
                self.remove_client(last);
            }
            for (i, spec) in session.clients.iter().enumerate() {
                let kind = client_kind(spec.kind);
                if i < self.clients.len() {
                    self.restart(i, kind, spec.port);
                    continue;
                }
                let Some(letter) =
                    ('A'..='Z').find(|l| self.clients.iter().all(|c| c.letter != *l))
                else {
                    break;
                };
                let new = Session::new(kind, spec.port);
                let line = new.command_line(lang);
                let Some(refused) = self.world.mutate(|w| w.add_session(new)) else {
                    break;
                };
                Rc::make_mut(&mut self.clients).push(Rc::new(ClientView::new(letter)));
                self.session_note(i, &title, letter, &line);
                if let Some(refused) = refused {
                    self.note(i, refused);
                }
            }
            self.active = 0;
        }
        if !session.setup.is_empty() {
            let setup: Vec<(u16, Vec<Vec<u8>>)> = session
                .setup
                .iter()
                .filter_map(|s| {
                    let argv = s.argv()?;
                    let argv = argv
                        .iter()
                        .map(|w| expand(&self.world, w).into_bytes())
                        .collect();
                    Some((s.port, argv))
                })
                .collect();
            self.world.mutate(|world| {
                for (port, argv) in &setup {
                    if let Ok(conn) = world.cluster.connect(*port) {
                        world.cluster.execute(conn, argv, now_ms);
                        world.cluster.disconnect(conn);
                    }
                }
            });
        }
    }
}

/// The step's text with its lesson-wide context, for screen readers and
/// the transcript: "Lesson 4 · Step 2 of 11".
pub fn progress_label(lang: Lang, run: &LessonRun) -> String {
    let total = run.data().map_or(0, |l| l.steps.len());
    format!(
        "{} · {}",
        trf(
            lang,
            "lesson.number",
            &[("n", &(run.lesson + 1).to_string())]
        ),
        trf(
            lang,
            "lesson.step_of",
            &[
                ("n", &(run.step + 1).to_string()),
                ("total", &total.to_string())
            ]
        )
    )
}
