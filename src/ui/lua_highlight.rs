//! A small Lua 5.1 highlighter for the script editor: splits a script into
//! lines of classed pieces (keywords, strings, numbers, comments, the
//! shebang, Redis' `redis` / `KEYS` / `ARGV`, standard library names).
//!
//! It only colours; it never decides anything about Redis. Pieces
//! concatenated line by line give back the source exactly, so the coloured
//! layer lines up with the text area drawn over it. Pure: no web-sys.

/// What a piece of source is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// Operators, punctuation, white space, plain names.
    Plain,
    Keyword,
    /// `true`, `false`, `nil`.
    Literal,
    Number,
    Str,
    Comment,
    /// The `#!lua ...` first line.
    Shebang,
    /// `redis`, `KEYS`, `ARGV`.
    Api,
    /// Lua's own globals (`string`, `tonumber`, `cjson` ...).
    Builtin,
}

impl Tok {
    /// The CSS class of the piece (`None` for plain text).
    pub fn class(self) -> Option<&'static str> {
        match self {
            Tok::Plain => None,
            Tok::Keyword => Some("tok-kw"),
            Tok::Literal => Some("tok-lit"),
            Tok::Number => Some("tok-num"),
            Tok::Str => Some("tok-str"),
            Tok::Comment => Some("tok-com"),
            Tok::Shebang => Some("tok-shebang"),
            Tok::Api => Some("tok-api"),
            Tok::Builtin => Some("tok-builtin"),
        }
    }
}

/// One piece of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub tok: Tok,
    pub text: String,
    /// For a short string literal: its contents between the quotes (as
    /// written, escapes not decoded), so keys named in the source can be
    /// marked.
    pub literal: Option<String>,
}

const KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "for", "function", "if", "in", "local", "not",
    "or", "repeat", "return", "then", "until", "while",
];
const LITERALS: &[&str] = &["true", "false", "nil"];
const API: &[&str] = &["redis", "KEYS", "ARGV"];
const BUILTINS: &[&str] = &[
    "assert",
    "bit",
    "cjson",
    "cmsgpack",
    "error",
    "getmetatable",
    "ipairs",
    "math",
    "next",
    "pairs",
    "pcall",
    "rawequal",
    "rawget",
    "rawset",
    "select",
    "setmetatable",
    "string",
    "struct",
    "table",
    "tonumber",
    "tostring",
    "type",
    "unpack",
    "xpcall",
];

/// Splits `source` into lines (on `\n`) of classed pieces.
pub fn highlight(source: &str) -> Vec<Vec<Piece>> {
    let mut lines: Vec<Vec<Piece>> = vec![Vec::new()];
    let mut push = |tok: Tok, text: &str, literal: Option<&str>| {
        // Multi-line pieces (long strings, long comments) are cut at each
        // newline so every line stands alone.
        let mut parts = text.split('\n');
        if let Some(first) = parts.next() {
            add(&mut lines, tok, first, literal);
        }
        for part in parts {
            lines.push(Vec::new());
            add(&mut lines, tok, part, None);
        }
    };
    let bytes = source.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    if source.starts_with("#!") {
        let end = source.find('\n').unwrap_or(n);
        push(Tok::Shebang, &source[..end], None);
        i = end;
    }
    while i < n {
        let b = bytes[i];
        let start = i;
        if b == b'-' && bytes.get(i + 1) == Some(&b'-') {
            // Comment: long (`--[[`, `--[==[`) or to the end of the line.
            let end = long_bracket(bytes, i + 2).unwrap_or_else(|| line_end(bytes, i));
            push(Tok::Comment, &source[start..end], None);
            i = end;
        } else if b == b'"' || b == b'\'' {
            let end = short_string_end(bytes, i);
            let closed = end > i + 1 && bytes[end - 1] == b && end - 1 > i;
            let inner_end = if closed { end - 1 } else { end };
            push(
                Tok::Str,
                &source[start..end],
                Some(&source[i + 1..inner_end.max(i + 1)]),
            );
            i = end;
        } else if b == b'[' && matches!(bytes.get(i + 1), Some(b'[' | b'=')) {
            match long_bracket(bytes, i) {
                Some(end) => {
                    push(Tok::Str, &source[start..end], None);
                    i = end;
                }
                None => {
                    push(Tok::Plain, "[", None);
                    i += 1;
                }
            }
        } else if b.is_ascii_digit()
            || (b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let end = number_end(bytes, i);
            push(Tok::Number, &source[start..end], None);
            i = end;
        } else if b.is_ascii_alphabetic() || b == b'_' {
            let mut end = i;
            while end < n && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            let word = &source[start..end];
            // `x.string` or `t:type` are fields, not the globals.
            let after_dot = start > 0 && matches!(bytes[start - 1], b'.' | b':');
            let tok = if KEYWORDS.contains(&word) {
                Tok::Keyword
            } else if LITERALS.contains(&word) {
                Tok::Literal
            } else if after_dot {
                if start >= 6 && &source[start - 6..start] == "redis." {
                    Tok::Api
                } else {
                    Tok::Plain
                }
            } else if API.contains(&word) {
                Tok::Api
            } else if BUILTINS.contains(&word) {
                Tok::Builtin
            } else {
                Tok::Plain
            };
            push(tok, word, None);
            i = end;
        } else {
            // Anything else up to the next interesting byte (UTF-8 safe:
            // only ASCII bytes stop it).
            let mut end = i + 1;
            while end < n && !interesting(bytes[end]) {
                end += 1;
            }
            while !source.is_char_boundary(end) {
                end += 1;
            }
            push(Tok::Plain, &source[start..end], None);
            i = end;
        }
    }
    lines
}

fn add(lines: &mut [Vec<Piece>], tok: Tok, text: &str, literal: Option<&str>) {
    if text.is_empty() && literal.is_none() {
        return;
    }
    let Some(line) = lines.last_mut() else {
        return;
    };
    match line.last_mut() {
        Some(last) if last.tok == tok && tok == Tok::Plain => last.text.push_str(text),
        _ => line.push(Piece {
            tok,
            text: text.to_string(),
            literal: literal.map(str::to_string),
        }),
    }
}

fn interesting(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'"' | b'\'' | b'[' | b'.' | b'\n')
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// The end (exclusive) of a long bracket `[==[ ... ]==]` opening at `at`,
/// or `None` when `at` does not open one. Unclosed: the end of the source.
fn long_bracket(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'[') {
        return None;
    }
    let mut j = at + 1;
    while bytes.get(j) == Some(&b'=') {
        j += 1;
    }
    if bytes.get(j) != Some(&b'[') {
        return None;
    }
    let level = j - at - 1;
    let mut k = j + 1;
    while k < bytes.len() {
        if bytes[k] == b']' {
            let mut m = k + 1;
            while m < bytes.len() && bytes[m] == b'=' && m - k - 1 < level {
                m += 1;
            }
            if m - k - 1 == level && bytes.get(m) == Some(&b']') {
                return Some(m + 1);
            }
        }
        k += 1;
    }
    Some(bytes.len())
}

/// The end of a quoted string starting at `at` (stops at an unescaped
/// newline when unterminated, as Lua's lexer does).
fn short_string_end(bytes: &[u8], at: usize) -> usize {
    let quote = bytes[at];
    let mut k = at + 1;
    while k < bytes.len() {
        match bytes[k] {
            b'\\' => k += 2,
            b'\n' => return k,
            b if b == quote => return k + 1,
            _ => k += 1,
        }
    }
    bytes.len()
}

fn number_end(bytes: &[u8], at: usize) -> usize {
    let mut k = at;
    if bytes[k] == b'0' && matches!(bytes.get(k + 1), Some(b'x' | b'X')) {
        k += 2;
        while k < bytes.len() && bytes[k].is_ascii_hexdigit() {
            k += 1;
        }
        return k;
    }
    while k < bytes.len() {
        let b = bytes[k];
        let exponent_sign = matches!(b, b'+' | b'-') && matches!(bytes[k - 1], b'e' | b'E');
        if b.is_ascii_alphanumeric() || b == b'.' || exponent_sign {
            k += 1;
        } else {
            break;
        }
    }
    k
}
