//! The sample-data buttons on the cluster map (with progress while a
//! load runs): a few keys, 100,000 keys, or a hot spot.

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::ui::lang::use_lang;

use crate::ui::sample::Sample;
use crate::ui::state::Action;

/// Props of [`SampleBar`].
#[derive(Properties, PartialEq)]
pub struct SampleBarProps {
    /// A load in progress: (sample, commands done, commands in all).
    pub loading: Option<(Sample, usize, usize)>,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The sample-data buttons.
#[component]
pub fn SampleBar(props: &SampleBarProps) -> Html {
    let lang = use_lang();
    let busy = props.loading.is_some();
    html! {
        <div class="sample-bar">
            <div class="sample-actions" role="group" aria-label={tr(lang, "map.load_sample_group")}>
                <span class="sample-label">{ tr(lang, "map.load_sample") }</span>
                for sample in Sample::ALL {
                    { sample_button(lang, sample, busy, &props.dispatch) }
                }
            </div>
            if let Some((sample, done, total)) = props.loading {
                <div class="loading" role="status">
                    <progress max={total.to_string()} value={done.to_string()} aria-label={tr(lang, "sample.loading_label")}></progress>
                    <span>{ trf(lang, "sample.loading", &[("sample", sample.label_in(lang)), ("done", &done.to_string()), ("total", &total.to_string())]) }</span>
                </div>
            }
        </div>
    }
}

fn sample_button(lang: Lang, sample: Sample, busy: bool, dispatch: &Callback<Action>) -> Html {
    let onclick = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::LoadSample(sample)))
    };
    html! {
        <button type="button" class="sample-button" disabled={busy} title={sample.describe_in(lang)} {onclick}>
            { sample.label_in(lang) }
        </button>
    }
}
