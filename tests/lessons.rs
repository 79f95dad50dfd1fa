#![cfg(not(target_arch = "wasm32"))]
//! Lessons and goldens cannot drift apart:
//!
//! - `tests/scenarios/lessons.jsonl` is exactly what the lesson data yields
//!   (`lessons::scenarios`): one scenario per lesson session, every command
//!   of every step in order. Regenerate it after editing a lesson with
//!   `SLOTLAB_WRITE_LESSONS=1 cargo test --test lessons`, then re-record
//!   the goldens from the real cluster (`scripts/goldens.sh record`).
//! - every lesson text has its Chinese and Japanese
//!   (`src/ui/i18n/lessons-{zh,ja}.json`, keyed by the English), and no
//!   file keeps a translation of a text no lesson has any more.
//! - every `expect` in the lesson data is what the real Redis 7.0.15
//!   cluster printed for that command (`tests/goldens/lessons.jsonl`,
//!   redirect lines included). `tests/goldens.rs` replays the same file on
//!   the engine, so the playground shows those replies too.

use std::path::PathBuf;

use serde_json::Value as Json;
use slotlab::i18n::{self, Lang};
use slotlab::lessons::{self, Lesson};
use slotlab::replay::{self, ScenarioResult};

fn path(dir: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir)
        .join("lessons.jsonl")
}

fn generated() -> Vec<Json> {
    lessons::all()
        .iter()
        .enumerate()
        .flat_map(|(i, lesson)| lessons::scenarios(i + 1, lesson))
        .collect()
}

fn render(scenarios: &[Json]) -> String {
    let mut out = String::new();
    for s in scenarios {
        out.push_str(&serde_json::to_string(s).expect("scenario to JSON"));
        out.push('\n');
    }
    out
}

#[test]
fn scenario_file_is_the_lesson_data() {
    assert_eq!(
        lessons::all().len(),
        lessons::FILES.len(),
        "every lesson parses"
    );
    let want = generated();
    let file = path("scenarios");
    if std::env::var_os("SLOTLAB_WRITE_LESSONS").is_some() {
        std::fs::write(&file, render(&want)).expect("write tests/scenarios/lessons.jsonl");
    }
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let have: Vec<Json> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("scenario line is JSON"))
        .collect();
    assert!(
        have == want,
        "tests/scenarios/lessons.jsonl is not what the lessons yield; run \
         SLOTLAB_WRITE_LESSONS=1 cargo test --test lessons, then scripts/goldens.sh record"
    );
    // The contract's parser reads it.
    let parsed = replay::parse_scenarios(&text).expect("scenarios parse");
    assert_eq!(parsed.len(), want.len());
}

/// Every command of every step appears in its scenario, at its place.
#[test]
fn every_lesson_command_is_in_its_scenario_in_order() {
    let text = std::fs::read_to_string(path("scenarios")).unwrap_or_default();
    let scenarios = replay::parse_scenarios(&text).expect("scenarios parse");
    for (i, lesson) in lessons::all().iter().enumerate() {
        let mut seen = 0;
        for (step, c, part, index) in lessons::command_positions(lesson) {
            let name = lessons::scenario_name(i + 1, lesson, part);
            let scenario = scenarios
                .iter()
                .find(|s| s.name == name)
                .unwrap_or_else(|| panic!("no scenario {name}"));
            let command = lesson.commands_of(step)[c];
            let words = lessons::words(&command.line).expect("line parses");
            assert_eq!(
                scenario.commands.get(index),
                Some(&words),
                "{name}: command {index} should be step {} line {:?}",
                step + 1,
                command.line
            );
            seen += 1;
        }
        let total: usize = scenarios
            .iter()
            .filter(|s| {
                s.name == lessons::scenario_name(i + 1, lesson, 1)
                    || s.name.starts_with(&format!(
                        "{}_part",
                        lessons::scenario_name(i + 1, lesson, 1)
                    ))
            })
            .map(|s| s.commands.len())
            .sum();
        assert_eq!(
            seen, total,
            "{}: no extra commands in its scenarios",
            lesson.id
        );
    }
}

/// What redis-cli printed for command `index` of a recorded scenario:
/// its `-> Redirected` lines, then the reply.
fn printed(result: &ScenarioResult, index: usize) -> Option<String> {
    let mut out = String::new();
    if let Some(redirects) = result.redirects.as_ref().and_then(|r| r.get(index)) {
        for error in redirects {
            out.push_str(&lessons::redirect_line(error)?);
            out.push('\n');
        }
    }
    out.push_str(result.replies_cli.get(index)?);
    Some(out)
}

fn check_expects(lesson: &Lesson, number: usize, goldens: &[ScenarioResult]) -> Vec<String> {
    let mut problems = Vec::new();
    for (step, c, part, index) in lessons::command_positions(lesson) {
        let command = lesson.commands_of(step)[c];
        let Some(expect) = &command.expect else {
            continue;
        };
        let name = lessons::scenario_name(number, lesson, part);
        let Some(result) = goldens.iter().find(|g| g.name == name) else {
            problems.push(format!("no golden for {name}"));
            continue;
        };
        let Some(real) = printed(result, index) else {
            problems.push(format!("{name}: no reply {index}"));
            continue;
        };
        let real = replay::mask_node_ids(&real);
        if !lessons::output_matches(&replay::mask_node_ids(expect), &real) {
            problems.push(format!(
                "lesson {number} ({}) step {} {:?}:\n  the lesson expects {expect:?}\n  the real cluster printed {real:?}",
                lesson.id,
                step + 1,
                command.line
            ));
        }
    }
    problems
}

/// The lesson data claims only what the real cluster answered.
#[test]
fn every_expect_is_what_the_real_cluster_printed() {
    // SLOTLAB_LESSON_GOLDENS=FILE checks another recording (e.g. the
    // engine's, from `slotlab replay`) while writing a lesson.
    let file =
        std::env::var_os("SLOTLAB_LESSON_GOLDENS").map_or_else(|| path("goldens"), PathBuf::from);
    let text = std::fs::read_to_string(&file)
        .expect("tests/goldens/lessons.jsonl (record it: scripts/goldens.sh record)");
    let goldens = replay::parse_results(&text).expect("goldens parse");
    let mut problems = Vec::new();
    for (i, lesson) in lessons::all().iter().enumerate() {
        problems.extend(check_expects(lesson, i + 1, &goldens));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Where a text says "`key` … slot N" (within a few words), N is the key's
/// slot (CRC16 as the goldens' `keyslot.jsonl` checks it), in every language.
#[test]
fn slots_named_in_the_texts_are_the_keys_slots() {
    let mut checked = 0;
    let mut problems = Vec::new();
    for lesson in lessons::all() {
        for (i, step) in lesson.steps.iter().enumerate() {
            for text in Lang::ALL.map(|lang| step.text.get(lang)) {
                let parts: Vec<&str> = text.split('`').collect();
                for k in (1..parts.len()).step_by(2) {
                    let key = parts[k];
                    let Some(after) = parts.get(k + 1) else {
                        continue;
                    };
                    // "slot"/"槽"/"スロット" must start within a few characters.
                    let near: String = after.chars().take(8).collect();
                    let Some(at) = ["slot ", "槽 ", "スロット "]
                        .iter()
                        .find_map(|w| near.find(w).map(|p| p + w.len()))
                    else {
                        continue;
                    };
                    let digits: String = after[at..]
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect();
                    let Ok(slot) = digits.parse::<u16>() else {
                        continue;
                    };
                    checked += 1;
                    let real = slotlab::engine::slot::key_slot(key.as_bytes());
                    if real != slot {
                        problems.push(format!(
                            "{} step {}: `{key}` is slot {real}, the text says {slot}",
                            lesson.id,
                            i + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked >= 10, "only {checked} slot claims found");
}

/// Every lesson text has a Chinese and a Japanese translation, and the
/// translation files keep none for a text no lesson has (an edited English
/// text leaves its old translation behind: move it to the new key).
#[test]
fn every_lesson_text_is_translated_and_no_translation_is_stale() {
    let mut problems = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for lesson in lessons::all() {
        for text in lessons::texts(lesson) {
            for lang in [Lang::Zh, Lang::Ja] {
                match i18n::lesson_text(lang, &text.en) {
                    Some(t) if !t.trim().is_empty() => {}
                    _ => problems.push(format!(
                        "{}: no {} translation of {:?}",
                        lesson.id,
                        lang.code(),
                        text.en
                    )),
                }
            }
            used.insert(text.en.clone());
        }
    }
    for (lang, file) in i18n::LESSON_FILES {
        let texts = i18n::parse_catalog(file).expect("lesson texts parse");
        for key in texts.keys() {
            if !used.contains(key) {
                problems.push(format!(
                    "lessons-{}.json: {key:?} is no lesson's text",
                    lang.code()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
