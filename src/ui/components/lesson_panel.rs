//! The lesson runner: the lesson's title and progress, the step's text
//! (one idea), the command to type with "Type it for me", how the
//! learner's try went ("try it first", a celebration, or a different
//! answer), and Back / Next / Leave. After the last step: lesson complete,
//! with the next lesson and the sandbox.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::lessons::{self, Look};
use crate::ui::lang::use_lang;
use crate::ui::lesson_run::{progress_label, Check, LessonRun};
use crate::ui::platform;
use crate::ui::state::Action;

/// Props of [`LessonPanel`].
#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    /// The lesson in progress.
    pub run: Rc<LessonRun>,
    /// Whether the page language's lesson texts are at hand (English
    /// until then): drawn again when they arrive.
    pub translated: bool,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// A text with `code` spans (backticks) as HTML.
pub fn rich_text(text: &str) -> Html {
    let parts = text.split('`').enumerate().map(|(i, part)| {
        if i % 2 == 1 {
            html! { <code>{ part.to_string() }</code> }
        } else {
            html! { { part.to_string() } }
        }
    });
    html! { <>{ for parts }</> }
}

/// The i18n key of a panel's name.
pub fn look_key(look: Look) -> &'static str {
    match look {
        Look::Clients => "panel.clients",
        Look::Map => "panel.cluster_map",
        Look::Trace => "panel.route_trace",
        Look::Tx => "panel.transactions",
        Look::Inspector => "panel.key_inspector",
        Look::Scripts => "panel.scripts",
    }
}

/// A button that dispatches `action()` (made at click time, so actions
/// carry the time of the click).
fn button(
    class: &'static str,
    label: &str,
    action: impl Fn() -> Action + 'static,
    dispatch: &Callback<Action>,
) -> Html {
    let dispatch = dispatch.clone();
    let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(action()));
    html! { <button type="button" class={class} {onclick}>{ label.to_string() }</button> }
}

/// The lesson runner.
#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let lang = use_lang();
    let run = &props.run;
    let Some(lesson) = run.data() else {
        return html! {};
    };
    let dispatch = &props.dispatch;
    let number = trf(
        lang,
        "lesson.number",
        &[("n", &(run.lesson + 1).to_string())],
    );
    let restart = {
        let dispatch = dispatch.clone();
        let lesson = run.lesson;
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::OpenLesson {
                lesson,
                now_ms: platform::now_ms(),
            })
        })
    };
    let leave = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::LeaveLesson))
    };

    let dots = lesson.steps.iter().enumerate().map(|(i, _)| {
        let class = classes!(
            "lesson-dot",
            (i == run.step && !run.finished).then_some("current"),
            (i < run.reached || run.finished || run.checks.get(i) == Some(&Check::Done))
                .then_some("done"),
        );
        html! { <li {class}></li> }
    });

    let body = if run.finished {
        let this = run.lesson;
        let next = run.lesson + 1;
        let has_next = lessons::all().get(next).is_some_and(|l| l.available());
        html! {
            <div class="lesson-body lesson-finished" role="status">
                <p class="lesson-celebrate">{ format!("✓ {}", tr(lang, "lesson.finished_title")) }</p>
                <p class="lesson-text">{ tr(lang, "lesson.finished_text") }</p>
                <div class="lesson-nav">
                    { button("lesson-back", tr(lang, "lesson.back"), || Action::LessonBack, dispatch) }
                    { button("lesson-restart", tr(lang, "lesson.restart"), move || Action::OpenLesson { lesson: this, now_ms: platform::now_ms() }, dispatch) }
                    { button("lesson-all", tr(lang, "lesson.all"), || Action::ShowLessons(true), dispatch) }
                    if has_next {
                        { button("lesson-next primary", tr(lang, "lesson.next_lesson"), move || Action::OpenLesson { lesson: next, now_ms: platform::now_ms() }, dispatch) }
                    }
                </div>
            </div>
        }
    } else {
        step_body(lang, run, dispatch)
    };

    html! {
        <section class="panel lesson-panel" id="lesson-panel" aria-labelledby="lesson-title">
            <div class="lesson-head">
                <span class="lesson-number">{ number }</span>
                <h2 id="lesson-title" class="lesson-title">{ lesson.title.get(lang) }</h2>
                <ol class="lesson-dots" aria-label={tr(lang, "lesson.progress")}>{ for dots }</ol>
                <span class="lesson-progress">
                    if run.finished {
                        { tr(lang, "lesson.finished_title") }
                    } else {
                        { trf(lang, "lesson.step_of", &[("n", &(run.step + 1).to_string()), ("total", &lesson.steps.len().to_string())]) }
                    }
                </span>
                <button type="button" class="lesson-restart-icon" title={tr(lang, "lesson.restart")}
                    aria-label={tr(lang, "lesson.restart")} onclick={restart}>
                    { "↺" }
                </button>
                <button type="button" class="lesson-leave" title={tr(lang, "lesson.leave_title")} onclick={leave}>
                    { tr(lang, "lesson.leave") }
                </button>
            </div>
            { body }
        </section>
    }
}

fn step_body(lang: Lang, run: &LessonRun, dispatch: &Callback<Action>) -> Html {
    let Some(lesson) = run.data() else {
        return html! {};
    };
    let Some(step) = lesson.steps.get(run.step) else {
        return html! {};
    };
    let check = run.checks.get(run.step).cloned().unwrap_or(Check::Pending);
    let last = run.step + 1 == lesson.steps.len();
    let next_label = if last {
        tr(lang, "lesson.finished_title")
    } else {
        tr(lang, "lesson.next")
    };
    let task = step.typed.as_ref().map(|typed| {
        let client = typed.client.to_string();
        let status = match &check {
            Check::Done => html! {
                <p class="lesson-status ok" role="status">{ tr(lang, "lesson.well_done") }</p>
            },
            Check::Different { .. } => html! {
                <div class="lesson-status differ" role="status">
                    <p>{ tr(lang, "lesson.different") }</p>
                    <pre class="lesson-expect">{ typed.expect.clone().unwrap_or_default() }</pre>
                </div>
            },
            Check::Pending if run.nudge => html! {
                <div class="lesson-status nudge" role="status">
                    <p>{ trf(lang, "lesson.try_first", &[("client", &client)]) }</p>
                    { button("lesson-run-for-me", tr(lang, "lesson.run_for_me"), || Action::LessonRunForMe { now_ms: platform::now_ms() }, dispatch) }
                </div>
            },
            Check::Pending => html! {},
        };
        let pending = check == Check::Pending && run.step == run.reached;
        html! {
            <div class="lesson-task" data-client={client.to_ascii_lowercase()}>
                <span class="lesson-task-label">{ trf(lang, "lesson.type_in", &[("client", &client)]) }</span>
                <code class="lesson-line">{ typed.line.clone() }</code>
                if pending {
                    { button("lesson-type-for-me", tr(lang, "lesson.type_for_me"), || Action::LessonTypeForMe, dispatch) }
                }
                { status }
            </div>
        }
    });
    let look = step.look.map(|look| {
        let onclick = Callback::from(move |_: MouseEvent| platform::scroll_to_look(look.value()));
        html! {
            <button type="button" class={classes!("lesson-look", format!("look-{}", look.value()))} {onclick}>
                { trf(lang, "lesson.look_at", &[("panel", tr(lang, look_key(look)))]) }
            </button>
        }
    });
    html! {
        <div class="lesson-body">
            <p class="lesson-text" aria-label={progress_label(lang, run)}>{ rich_text(step.text.get(lang)) }</p>
            { for look }
            { for task }
            <div class="lesson-nav">
                if run.step > 0 {
                    { button("lesson-back", tr(lang, "lesson.back"), || Action::LessonBack, dispatch) }
                }
                { button(if check == Check::Pending && step.typed.is_some() { "lesson-next" } else { "lesson-next primary" }, next_label, || Action::LessonNext { now_ms: platform::now_ms() }, dispatch) }
            </div>
        </div>
    }
}
