//! The words of the timeline, the share panel, embed mode and their
//! notices: the texts live in the page's catalogs
//! (`src/ui/i18n/{en,zh,ja}.json`, keys `timeline.*`, `share.*`,
//! `notice.*`, `error.*`, `step.*`, `ops.*`); this module picks the key and fills
//! in the numbers.
//!
//! Pure: no web-sys, js-sys or gloo.

use crate::i18n::{tr, trf, Lang};
use crate::share::{self, Problem, ShareError};
use crate::ui::map::thousands;
use crate::ui::session::{LessonOp, Notice, Step, StepOp};

/// "Step 5 of 12".
pub fn position(lang: Lang, cursor: usize, len: usize) -> String {
    trf(
        lang,
        "timeline.position",
        &[("cursor", &cursor.to_string()), ("len", &len.to_string())],
    )
}

/// The line under the timeline while an earlier step is shown.
pub fn in_the_past(lang: Lang, cursor: usize, len: usize) -> String {
    let later = len - cursor;
    let key = if later == 1 {
        "timeline.past_one"
    } else {
        "timeline.past_many"
    };
    trf(
        lang,
        key,
        &[
            ("cursor", &cursor.to_string()),
            ("len", &len.to_string()),
            ("later", &later.to_string()),
        ],
    )
}

/// What the timeline says about step 0: "start", or what it is for when
/// there are no steps yet.
pub fn at_start(lang: Lang, len: usize) -> &'static str {
    tr(
        lang,
        if len == 0 {
            "timeline.no_steps"
        } else {
            "timeline.start"
        },
    )
}

/// A step in a few words; `letters` are the clients' letters after it.
pub fn describe_step(lang: Lang, step: &Step, letters: &[char]) -> String {
    let letter = |i: usize| letters.get(i).copied().unwrap_or('?').to_string();
    match &step.op {
        StepOp::Line { client, line } => format!("{}> {line}", letter(*client)),
        StepOp::Restart { client, kind, port } => trf(
            lang,
            "step.restart",
            &[
                ("client", &letter(*client)),
                ("kind", kind.label_in(lang)),
                ("port", &port.to_string()),
            ],
        ),
        StepOp::AddClient { kind, port } => trf(
            lang,
            "step.add",
            &[
                (
                    "client",
                    &letters.last().copied().unwrap_or('?').to_string(),
                ),
                ("kind", kind.label_in(lang)),
                ("port", &port.to_string()),
            ],
        ),
        StepOp::RemoveClient { client } => {
            trf(lang, "step.closed", &[("n", &(client + 1).to_string())])
        }
        StepOp::Sample { sample, .. } => {
            trf(lang, "step.sample", &[("sample", sample.label_in(lang))])
        }
        StepOp::Script { client, request } => trf(
            lang,
            "step.script",
            &[
                ("client", &letter(*client)),
                ("mode", request.mode.label()),
                ("first", request.body.lines().next().unwrap_or_default()),
            ],
        ),
        StepOp::Emulate { emulated, .. } => {
            trf(lang, "step.emulate", &[("name", emulated.label())])
        }
        StepOp::Lesson(op) => match op {
            LessonOp::Open { lesson } => {
                let id = crate::lessons::all()
                    .get(*lesson)
                    .map_or("?", |l| l.id.as_str());
                trf(lang, "step.lesson_open", &[("id", id)])
            }
            LessonOp::Next => tr(lang, "step.lesson_next").to_string(),
            LessonOp::RunForMe => tr(lang, "step.lesson_run").to_string(),
            LessonOp::Leave => tr(lang, "step.lesson_leave").to_string(),
        },
        StepOp::Node { port, start } => trf(
            lang,
            if *start {
                "step.node_start"
            } else {
                "step.node_stop"
            },
            &[("port", &port.to_string())],
        ),
        StepOp::Tick => tr(lang, "step.tick").to_string(),
        StepOp::Reshard {
            from,
            to,
            slots,
            run,
        } => trf(
            lang,
            if *run {
                "step.reshard_run"
            } else {
                "step.reshard_step"
            },
            &[
                ("slots", slots),
                ("from", &from.to_string()),
                ("to", &to.to_string()),
            ],
        ),
    }
}

/// A notice's text.
pub fn notice(lang: Lang, notice: &Notice) -> String {
    match notice {
        Notice::BrokenLink(e) => trf(lang, "notice.broken_link", &[("why", &error(lang, e))]),
        Notice::BrokenSaved(e) => trf(lang, "notice.broken_saved", &[("why", &error(lang, e))]),
        Notice::RanLink(n) => {
            let key = if *n == 1 {
                "notice.ran_one"
            } else {
                "notice.ran_many"
            };
            trf(lang, key, &[("n", &n.to_string())])
        }
        Notice::PendingLink(n) => {
            let key = if *n == 1 {
                "notice.pending_one"
            } else {
                "notice.pending_many"
            };
            trf(lang, key, &[("n", &n.to_string())])
        }
        Notice::Forked { at, dropped } => {
            let key = if *dropped == 1 {
                "notice.forked_one"
            } else {
                "notice.forked_many"
            };
            trf(
                lang,
                key,
                &[("at", &at.to_string()), ("n", &dropped.to_string())],
            )
        }
        Notice::CannotShare(e) => trf(lang, "notice.cannot_share", &[("why", &error(lang, e))]),
        Notice::LangUnavailable(wanted) => trf(
            lang,
            "notice.lang_unavailable",
            &[("lang", wanted.native_name())],
        ),
    }
}

/// Why a link or session cannot be opened, in words.
pub fn error(lang: Lang, e: &ShareError) -> String {
    let n = |n: u64| thousands(usize::try_from(n).unwrap_or(usize::MAX));
    match e {
        ShareError::Damaged => tr(lang, "error.damaged").to_string(),
        ShareError::Version(v) => trf(
            lang,
            "error.version",
            &[("v", v), ("ours", &share::VERSION.to_string())],
        ),
        ShareError::TooLarge { max } => trf(
            lang,
            "error.too_large",
            &[("kib", &(max / 1024).to_string())],
        ),
        ShareError::TooManySteps { steps } => trf(
            lang,
            "error.too_many_steps",
            &[
                ("steps", &n(*steps as u64)),
                ("max", &n(share::MAX_STEPS as u64)),
            ],
        ),
        ShareError::TooMuchWork { work } => trf(
            lang,
            "error.too_much_work",
            &[("work", &n(*work)), ("max", &n(share::MAX_WORK))],
        ),
        ShareError::Invalid(problem) => match problem {
            Problem::NoClients => tr(lang, "error.no_clients").to_string(),
            Problem::TooManyClients => trf(
                lang,
                "error.too_many_clients",
                &[("max", &share::MAX_CLIENTS.to_string())],
            ),
            Problem::UnknownKind(k) => {
                trf(lang, "error.unknown_kind", &[("name", &format!("{k:?}"))])
            }
            Problem::UnknownPort(p) => trf(lang, "error.unknown_port", &[("port", &p.to_string())]),
            Problem::UnknownSample(s) => {
                trf(lang, "error.unknown_sample", &[("name", &format!("{s:?}"))])
            }
            Problem::UnknownName(s) => {
                trf(lang, "error.unknown_name", &[("name", &format!("{s:?}"))])
            }
            Problem::NoSuchClient { step, client } => trf(
                lang,
                "error.no_such_client",
                &[
                    ("step", &step.to_string()),
                    ("n", &(client + 1).to_string()),
                ],
            ),
            Problem::ClosesLastClient { step } => {
                trf(lang, "error.closes_last", &[("step", &step.to_string())])
            }
            Problem::LineTooLong { step } => trf(
                lang,
                "error.line_too_long",
                &[
                    ("step", &step.to_string()),
                    ("kib", &(share::MAX_LINE / 1024).to_string()),
                ],
            ),
            Problem::StepOutOfRange { step, steps } => trf(
                lang,
                "error.step_out_of_range",
                &[("step", &step.to_string()), ("steps", &steps.to_string())],
            ),
            Problem::WordTooLong => tr(lang, "error.word_too_long").to_string(),
        },
    }
}
