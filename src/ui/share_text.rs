//! Every word the timeline, the share panel, embed mode and their notices
//! show, in one place so they can be translated.
//!
//! Pure: no web-sys, js-sys or gloo.

use crate::share::{self, Problem, ShareError};
use crate::ui::map::thousands;
use crate::ui::session::{LessonOp, Notice, Step, StepOp};

pub const TIMELINE_LABEL: &str = "Timeline";
pub const FIRST: &str = "Go to the start";
pub const BACK: &str = "Step back (←)";
pub const FORWARD: &str = "Step forward (→)";
pub const LAST: &str = "Go to the last step";
pub const SCRUB: &str = "Step";
pub const FORK: &str = "Fork from here";
pub const FORK_TITLE: &str = "Discard the later steps and carry on from this one";
pub const START: &str = "start";
pub const NO_STEPS: &str = "every command you run becomes a step here";
pub const SHARE: &str = "Share";
pub const SHARE_TITLE: &str = "A link that opens this session as it is now";
pub const SHARE_LINK: &str = "Link to this session";
pub const COPY: &str = "Copy";
pub const COPIED: &str = "Copied";
pub const EMBED_SNIPPET: &str = "Embed it in a page";
pub const CLOSE: &str = "Close";
pub const DISMISS: &str = "Dismiss";
pub const OPEN_FULL: &str = "Open in full playground ↗";
pub const RESET: &str = "Reset";
pub const RESET_TITLE: &str =
    "A new empty cluster and a single client, as on first load (also forgets the saved session)";

/// "Step 5 of 12".
pub fn position(cursor: usize, len: usize) -> String {
    format!("Step {cursor} of {len}")
}

/// The banner while an earlier step is shown.
pub fn in_the_past(cursor: usize, len: usize) -> String {
    let later = match len - cursor {
        1 => "the last step is".to_string(),
        n => format!("the {n} later steps are"),
    };
    format!(
        "Showing step {cursor} of {len}. Running a command here forks the timeline: \
         {later} discarded."
    )
}

/// A step in a few words; `letters` are the clients' letters after it.
pub fn describe_step(step: &Step, letters: &[char]) -> String {
    let letter = |i: usize| letters.get(i).copied().unwrap_or('?');
    match &step.op {
        StepOp::Line { client, line } => format!("{}> {line}", letter(*client)),
        StepOp::Restart { client, kind, port } => {
            format!("{}: {} on :{port}", letter(*client), kind.label())
        }
        StepOp::AddClient { kind, port } => format!(
            "{}: new {} on :{port}",
            letters.last().copied().unwrap_or('?'),
            kind.label()
        ),
        StepOp::RemoveClient { client } => format!("client #{} closed", client + 1),
        StepOp::Sample { sample, .. } => format!("sample data: {}", sample.label()),
        StepOp::Script { client, request } => {
            let first = request.body.lines().next().unwrap_or_default();
            format!(
                "{}: script panel ({}) {first}",
                letter(*client),
                request.mode.label()
            )
        }
        StepOp::Emulate { emulated, .. } => format!("emulating {}", emulated.label()),
        StepOp::Lesson(op) => match op {
            LessonOp::Open { lesson } => {
                let id = crate::lessons::all()
                    .get(*lesson)
                    .map_or("?", |l| l.id.as_str());
                format!("lesson {id}: open")
            }
            LessonOp::Next => "lesson: next step".into(),
            LessonOp::RunForMe => "lesson: run it for me".into(),
            LessonOp::Leave => "lesson: leave".into(),
        },
    }
}

/// A notice's text.
pub fn notice(notice: &Notice) -> String {
    match notice {
        Notice::BrokenLink(e) => format!(
            "This link could not be opened: {}. Here is an empty sandbox instead.",
            error(e)
        ),
        Notice::BrokenSaved(e) => format!(
            "The session saved in this browser could not be restored: {}. Here is an empty sandbox instead.",
            error(e)
        ),
        Notice::RanLink(n) => {
            let s = if *n == 1 { "" } else { "s" };
            format!("Ran {n} command line{s} from the link. Step back through them on the timeline.")
        }
        Notice::PendingLink(n) => {
            let s = if *n == 1 { " is" } else { "s are" };
            format!("{n} command line{s} from the link ready in Client A's prompt: press Enter to run each one.")
        }
        Notice::Forked { at, dropped } => {
            let later = match dropped {
                1 => "the last step was".to_string(),
                n => format!("the {n} later steps were"),
            };
            format!("Forked at step {at}: {later} discarded.")
        }
        Notice::CannotShare(e) => format!(
            "This session can no longer be shared or saved: {}. The link and the saved copy keep its last shareable state.",
            error(e)
        ),
    }
}

/// Why a link or session cannot be opened, in words.
pub fn error(e: &ShareError) -> String {
    match e {
        ShareError::Damaged => "it is damaged or is not a slotlab session".into(),
        ShareError::Version(v) => format!(
            "it was made by another version of slotlab (format {v}; this one reads v{})",
            share::VERSION
        ),
        ShareError::TooLarge { max } => format!("it is too large (more than {} KiB)", max / 1024),
        ShareError::TooManySteps { steps } => format!(
            "it holds {} steps, and at most {} can be opened",
            group(*steps as u64),
            group(share::MAX_STEPS as u64)
        ),
        ShareError::TooMuchWork { work } => format!(
            "it would run {} commands, and at most {} can be run when a link opens",
            group(*work),
            group(share::MAX_WORK)
        ),
        ShareError::Invalid(problem) => match problem {
            Problem::NoClients => "it has no client".into(),
            Problem::TooManyClients => format!("it opens more than {} clients", share::MAX_CLIENTS),
            Problem::UnknownKind(k) => format!("it names an unknown kind of client ({k:?})"),
            Problem::UnknownPort(p) => format!("no node listens on port {p}"),
            Problem::UnknownSample(s) => format!("it names an unknown sample ({s:?})"),
            Problem::UnknownName(s) => {
                format!("it names something this version does not know ({s:?})")
            }
            Problem::NoSuchClient { step, client } => {
                format!("step {step} names client #{} that is not open", client + 1)
            }
            Problem::ClosesLastClient { step } => format!("step {step} closes the last client"),
            Problem::LineTooLong { step } => {
                format!("line {step} is longer than {} KiB", share::MAX_LINE / 1024)
            }
            Problem::StepOutOfRange { step, steps } => {
                format!("it selects step {step} of {steps}")
            }
            Problem::WordTooLong => "one of its settings is too long".into(),
        },
    }
}

fn group(n: u64) -> String {
    thousands(usize::try_from(n).unwrap_or(usize::MAX))
}
