//! The lesson picker: the guided lessons in order, then the free sandbox.
//! A lesson the engine cannot run yet is listed, disabled, with what it
//! needs.

use yew::prelude::*;

use crate::i18n::{tr, trf};
use crate::lessons;
use crate::ui::lang::use_lang;
use crate::ui::platform;
use crate::ui::state::Action;

/// Props of [`LessonPicker`].
#[derive(Properties, PartialEq)]
pub struct LessonPickerProps {
    /// The lesson in progress (index into `lessons::all()`).
    pub current: Option<usize>,
    /// Whether the page language's lesson texts are at hand (English
    /// until then): drawn again when they arrive.
    pub translated: bool,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The list of lessons.
#[component]
pub fn LessonPicker(props: &LessonPickerProps) -> Html {
    let lang = use_lang();
    let onclose = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::ShowLessons(false)))
    };
    let onsandbox = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::LeaveLesson);
            dispatch.emit(Action::ShowLessons(false));
        })
    };
    let items = lessons::all().iter().enumerate().map(|(index, lesson)| {
        let available = lesson.available();
        let current = props.current == Some(index);
        let onclick = {
            let dispatch = props.dispatch.clone();
            Callback::from(move |_: MouseEvent| {
                dispatch.emit(Action::OpenLesson {
                    lesson: index,
                    now_ms: platform::now_ms(),
                })
            })
        };
        let needs = lesson
            .needs
            .as_ref()
            .filter(|_| !available)
            .map(|n| match n.feature.as_str() {
                "scripting" => tr(lang, "lesson.needs.scripting"),
                _ => tr(lang, "lesson.needs.resharding"),
            });
        let number = trf(lang, "lesson.number", &[("n", &(index + 1).to_string())]);
        html! {
            <li class={classes!("picker-item", current.then_some("current"), (!available).then_some("unavailable"))}>
                <button
                    type="button"
                    class="picker-open"
                    id={format!("lesson-open-{}", lesson.id)}
                    disabled={!available}
                    title={if available { String::new() } else { tr(lang, "lesson.needs_title").to_string() }}
                    {onclick}
                >
                    <span class="picker-number">{ number }</span>
                    <span class="picker-name">{ lesson.title.get(lang) }</span>
                    if let Some(needs) = needs {
                        <span class="badge needs-badge">{ needs }</span>
                    }
                    if current {
                        <span class="badge current-badge">{ tr(lang, "picker.current") }</span>
                    }
                </button>
                <p class="picker-summary">{ lesson.summary.get(lang) }</p>
            </li>
        }
    });
    html! {
        <section class="panel lesson-picker" id="lesson-picker" aria-labelledby="lesson-picker-title">
            <div class="panel-head">
                <h2 id="lesson-picker-title" class="panel-title">{ tr(lang, "picker.title") }</h2>
                <button type="button" class="picker-close" onclick={onclose}>{ tr(lang, "picker.close") }</button>
            </div>
            <p class="hint">{ tr(lang, "picker.intro") }</p>
            <ol class="picker-list">
                { for items }
                <li class="picker-item sandbox-item">
                    <button type="button" class="picker-open" id="lesson-open-sandbox" onclick={onsandbox}>
                        <span class="picker-number">{ "∞" }</span>
                        <span class="picker-name">{ tr(lang, "picker.sandbox") }</span>
                    </button>
                    <p class="picker-summary">{ tr(lang, "picker.sandbox_summary") }</p>
                </li>
            </ol>
        </section>
    }
}
