//! The playground's languages: English, 简体中文 and 日本語.
//!
//! The texts of the page chrome live in data files, one flat JSON object
//! per language (`src/ui/i18n/{en,zh,ja}.json`, key → text). English is
//! compiled in: `build.rs` turns its file into a table sorted by key, so
//! the page parses no JSON before its first render (issue 8, time to
//! interactive). In the web build the Chinese and Japanese files
//! are served beside the page (`i18n/zh.json`, `i18n/ja.json`) and
//! [`install`]ed when the learner's language needs them, so an English
//! page does not download them (issue 8, first load); native builds embed
//! all three. [`tr`] looks a key up and falls back to English, then to the
//! key itself, so a missing translation never blanks the page (a test
//! checks that every key exists in all three files).
//!
//! The lesson texts are English in the lesson files; their translations
//! are in `src/ui/i18n/lessons-{zh,ja}.json` (English text → translation,
//! [`lesson_text`], [`crate::lessons::Text`]). The web build fetches a
//! language's lesson texts once the page has started in it
//! ([`install_lesson_texts`], [`lessons_path`]): they are not needed to
//! start, so they are not part of the first load.
//!
//! Pure: no browser code; the UI picks the language from
//! `navigator.language` ([`Lang::from_tag`]) and lets the learner switch.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A language of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Lang {
    /// English (the fallback).
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
    /// Japanese.
    Ja,
}

impl Lang {
    /// Every language, in menu order.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Zh, Lang::Ja];

    /// The short code used in data files and `<select>` values.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
            Lang::Ja => "ja",
        }
    }

    /// The BCP 47 tag for `<html lang>` (it picks the right CJK glyphs).
    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
            Lang::Ja => "ja",
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
            Lang::Ja => "日本語",
        }
    }

    /// The language for a code (`en`, `zh`, `ja`).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language for a browser tag such as `navigator.language`
    /// (`zh-CN`, `zh-Hans-SG`, `ja-JP`, `en-US`, `fr`): Chinese and
    /// Japanese by their primary subtag, English for everything else.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Lang::Zh,
            "ja" => Lang::Ja,
            _ => Lang::En,
        }
    }

    /// The first supported language of a browser's list
    /// (`navigator.languages`), English when none is supported.
    pub fn from_tags<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter()
            .map(|t| (t, Lang::from_tag(t)))
            .find(|(t, l)| *l != Lang::En || t.to_ascii_lowercase().starts_with("en"))
            .map_or(Lang::En, |(_, l)| l)
    }
}

/// The English texts, sorted by key: `build.rs` makes this table from
/// `ui/i18n/en.json`, so no JSON is parsed before the first render.
static ENGLISH_TABLE: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/english.rs"));

/// The English text for `key`, if there is one.
fn english(key: &str) -> Option<&'static str> {
    ENGLISH_TABLE
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| ENGLISH_TABLE[i].1)
}

/// The English catalog file (native builds; the web build has the table).
#[cfg(not(target_arch = "wasm32"))]
const ENGLISH: &str = include_str!("ui/i18n/en.json");

/// The raw catalog files, in [`Lang::ALL`] order (native builds only; the
/// web build fetches the other two, see [`catalog_path`]).
#[cfg(not(target_arch = "wasm32"))]
pub const FILES: [(Lang, &str); 3] = [
    (Lang::En, ENGLISH),
    (Lang::Zh, include_str!("ui/i18n/zh.json")),
    (Lang::Ja, include_str!("ui/i18n/ja.json")),
];

/// Where the web build serves `lang`'s catalog, relative to the page
/// (index.html copies the files there).
pub fn catalog_path(lang: Lang) -> String {
    format!("i18n/{}.json", lang.code())
}

/// The lesson texts' translation files (native builds only; the web build
/// fetches them, see [`lessons_path`]).
#[cfg(not(target_arch = "wasm32"))]
pub const LESSON_FILES: [(Lang, &str); 2] = [
    (Lang::Zh, include_str!("ui/i18n/lessons-zh.json")),
    (Lang::Ja, include_str!("ui/i18n/lessons-ja.json")),
];

/// Where the web build serves `lang`'s lesson texts, relative to the page.
pub fn lessons_path(lang: Lang) -> String {
    format!("i18n/lessons-{}.json", lang.code())
}

/// One language's texts.
pub type Catalog = BTreeMap<String, String>;

/// Parses one catalog file (a flat JSON object of strings).
pub fn parse_catalog(text: &str) -> Result<Catalog, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

static CATALOGS: [OnceLock<Catalog>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
static LESSON_TEXTS: [OnceLock<Catalog>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];

fn index(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Zh => 1,
        Lang::Ja => 2,
    }
}

fn slot(lang: Lang) -> &'static OnceLock<Catalog> {
    &CATALOGS[index(lang)]
}

/// Chinese or Japanese's catalog, parsed the first time that language is
/// asked for (an English page never parses them; issue 8, time to
/// interactive); `None` in the web build for a language not yet
/// [`install`]ed, and for English, which is [`ENGLISH_TABLE`].
fn catalog(lang: Lang) -> Option<&'static Catalog> {
    if lang == Lang::En {
        return None;
    }
    let slot = slot(lang);
    #[cfg(not(target_arch = "wasm32"))]
    if let Some((_, text)) = FILES.iter().find(|(l, _)| *l == lang) {
        return Some(slot.get_or_init(|| parse_catalog(text).unwrap_or_default()));
    }
    slot.get()
}

/// Whether `lang`'s texts are at hand (English and native builds always;
/// the web build once its file is [`install`]ed).
pub fn is_ready(lang: Lang) -> bool {
    lang == Lang::En || catalog(lang).is_some()
}

/// Installs `lang`'s catalog from its file's text (the web build fetches
/// it from [`catalog_path`]); a second install of a language changes
/// nothing.
pub fn install(lang: Lang, text: &str) -> Result<(), String> {
    if is_ready(lang) {
        return Ok(());
    }
    let catalog = parse_catalog(text)?;
    let _ = slot(lang).set(catalog);
    Ok(())
}

/// The text for `key` in `lang`; English when `lang` lacks it (or its
/// catalog is not installed); the key itself when English lacks it too.
pub fn tr(lang: Lang, key: &'static str) -> &'static str {
    catalog(lang)
        .and_then(|c| c.get(key))
        .map(String::as_str)
        .or_else(|| english(key))
        .unwrap_or(key)
}

/// `lang`'s lesson texts (English → translation), parsed on first use
/// natively; `None` in the web build until [`install_lesson_texts`].
fn lesson_texts(lang: Lang) -> Option<&'static Catalog> {
    let slot = &LESSON_TEXTS[index(lang)];
    #[cfg(not(target_arch = "wasm32"))]
    if let Some((_, text)) = LESSON_FILES.iter().find(|(l, _)| *l == lang) {
        return Some(slot.get_or_init(|| parse_catalog(text).unwrap_or_default()));
    }
    slot.get()
}

/// Whether lesson texts in `lang` can be shown translated (English
/// always).
pub fn lesson_texts_ready(lang: Lang) -> bool {
    lang == Lang::En || lesson_texts(lang).is_some()
}

/// Installs `lang`'s lesson texts from their file's text (fetched from
/// [`lessons_path`]); a second install changes nothing.
pub fn install_lesson_texts(lang: Lang, text: &str) -> Result<(), String> {
    if lesson_texts_ready(lang) {
        return Ok(());
    }
    let texts = parse_catalog(text)?;
    let _ = LESSON_TEXTS[index(lang)].set(texts);
    Ok(())
}

/// The translation of the lesson text `english` into `lang`, if it is at
/// hand (no English fallback: `crate::lessons::Text::get` does that).
pub fn lesson_text(lang: Lang, english: &str) -> Option<&'static str> {
    lesson_texts(lang)?.get(english).map(String::as_str)
}

/// [`tr`] with `{name}` placeholders filled in from `args`.
pub fn trf(lang: Lang, key: &'static str, args: &[(&str, &str)]) -> String {
    let mut text = tr(lang, key).to_string();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags_pick_a_language() {
        assert_eq!(Lang::from_tag("zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_tag("zh-Hans-SG"), Lang::Zh);
        assert_eq!(Lang::from_tag("zh_TW"), Lang::Zh);
        assert_eq!(Lang::from_tag("ja-JP"), Lang::Ja);
        assert_eq!(Lang::from_tag("JA"), Lang::Ja);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("fr-FR"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
        assert_eq!(Lang::from_tags(["fr-FR", "ja-JP", "en"]), Lang::Ja);
        assert_eq!(Lang::from_tags(["en-GB", "zh-CN"]), Lang::En);
        assert_eq!(Lang::from_tags(Vec::<&str>::new()), Lang::En);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }

    /// The table build.rs makes holds every English text of en.json, and
    /// `tr` finds each.
    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn the_english_table_is_en_json() {
        let file = parse_catalog(ENGLISH).expect("en.json parses");
        assert_eq!(ENGLISH_TABLE.len(), file.len());
        for (key, text) in &file {
            assert_eq!(english(key), Some(text.as_str()), "{key}");
        }
        assert_eq!(english("no.such.key"), None);
        assert_eq!(tr(Lang::En, "no.such.key"), "no.such.key");
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn every_catalog_parses_and_has_every_key() {
        let parsed: Vec<(Lang, Catalog)> = FILES
            .iter()
            .map(|(lang, text)| {
                let catalog = parse_catalog(text)
                    .unwrap_or_else(|e| panic!("src/ui/i18n/{}.json: {e}", lang.code()));
                (*lang, catalog)
            })
            .collect();
        let mut problems = Vec::new();
        for (lang, catalog) in &parsed {
            for (other, other_catalog) in &parsed {
                for key in other_catalog.keys() {
                    if !catalog.contains_key(key) {
                        problems.push(format!(
                            "{}.json lacks {key:?} (present in {}.json)",
                            lang.code(),
                            other.code()
                        ));
                    }
                }
            }
            for (key, text) in catalog {
                if text.trim().is_empty() {
                    problems.push(format!("{}.json: {key:?} is empty", lang.code()));
                }
            }
        }
        // Placeholders must survive translation.
        let en = &parsed[0].1;
        for (lang, catalog) in &parsed[1..] {
            for (key, text) in en {
                let Some(translated) = catalog.get(key) else {
                    continue;
                };
                for name in placeholders(text) {
                    if !translated.contains(&format!("{{{name}}}")) {
                        problems.push(format!(
                            "{}.json: {key:?} lacks the placeholder {{{name}}}",
                            lang.code()
                        ));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn placeholders(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('}') else { break };
            let name = &after[..end];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                out.push(name.to_string());
            }
            rest = &after[end + 1..];
        }
        out
    }

    #[test]
    fn lookup_falls_back_to_english_then_to_the_key() {
        assert_eq!(tr(Lang::En, "panel.cluster_map"), "Cluster map");
        assert_ne!(tr(Lang::Zh, "panel.cluster_map"), "Cluster map");
        assert_eq!(tr(Lang::Ja, "no.such.key"), "no.such.key");
        assert_eq!(
            trf(Lang::En, "lesson.step_of", &[("n", "2"), ("total", "7")]),
            "Step 2 of 7"
        );
    }
}
