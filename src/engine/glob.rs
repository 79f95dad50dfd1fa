//! Glob matching exactly like Redis' `stringmatchlen` (KEYS, SCAN MATCH,
//! CONFIG GET): `*`, `?`, `[abc]`, `[^a]`, `[a-z]`, and `\` escapes.

/// True when `text` matches `pattern`.
pub fn glob_match(pattern: &[u8], text: &[u8], nocase: bool) -> bool {
    let mut skip_longer = false;
    matches(pattern, text, nocase, &mut skip_longer, 0)
}

fn eq(a: u8, b: u8, nocase: bool) -> bool {
    if nocase {
        a.eq_ignore_ascii_case(&b)
    } else {
        a == b
    }
}

fn matches(
    pattern: &[u8],
    text: &[u8],
    nocase: bool,
    skip_longer: &mut bool,
    depth: usize,
) -> bool {
    // Redis bounds recursion at 1000 nesting levels of '*'.
    if depth > 1000 {
        return false;
    }
    let (mut p, mut s) = (0usize, 0usize);
    while p < pattern.len() && s < text.len() {
        match pattern[p] {
            b'*' => {
                while p + 1 < pattern.len() && pattern[p + 1] == b'*' {
                    p += 1;
                }
                if p + 1 == pattern.len() {
                    return true;
                }
                while s < text.len() {
                    if matches(
                        &pattern[p + 1..],
                        &text[s..],
                        nocase,
                        skip_longer,
                        depth + 1,
                    ) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    s += 1;
                }
                *skip_longer = true;
                return false;
            }
            b'?' => {
                s += 1;
            }
            b'[' => {
                p += 1;
                let not = p < pattern.len() && pattern[p] == b'^';
                if not {
                    p += 1;
                }
                let mut matched = false;
                loop {
                    if p >= pattern.len() {
                        p -= 1;
                        break;
                    }
                    if pattern[p] == b'\\' && p + 1 < pattern.len() {
                        p += 1;
                        if pattern[p] == text[s] {
                            matched = true;
                        }
                    } else if pattern[p] == b']' {
                        break;
                    } else if p + 2 < pattern.len() && pattern[p + 1] == b'-' {
                        let (mut start, mut end) = (pattern[p], pattern[p + 2]);
                        let mut c = text[s];
                        if start > end {
                            std::mem::swap(&mut start, &mut end);
                        }
                        if nocase {
                            start = start.to_ascii_lowercase();
                            end = end.to_ascii_lowercase();
                            c = c.to_ascii_lowercase();
                        }
                        p += 2;
                        if c >= start && c <= end {
                            matched = true;
                        }
                    } else if eq(pattern[p], text[s], nocase) {
                        matched = true;
                    }
                    p += 1;
                }
                if not {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                s += 1;
            }
            b'\\' if p + 1 < pattern.len() => {
                p += 1;
                if !eq(pattern[p], text[s], nocase) {
                    return false;
                }
                s += 1;
            }
            c => {
                if !eq(c, text[s], nocase) {
                    return false;
                }
                s += 1;
            }
        }
        p += 1;
        if s == text.len() {
            while p < pattern.len() && pattern[p] == b'*' {
                p += 1;
            }
            break;
        }
    }
    p == pattern.len() && s == text.len()
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn redis_glob() {
        assert!(glob_match(b"*", b"anything", false));
        assert!(glob_match(b"h?llo", b"hello", false));
        assert!(glob_match(b"h*llo", b"heeeello", false));
        assert!(glob_match(b"h[ae]llo", b"hallo", false));
        assert!(!glob_match(b"h[^e]llo", b"hello", false));
        assert!(glob_match(b"h[a-b]llo", b"hbllo", false));
        assert!(glob_match(b"cluster-*", b"cluster-enabled", false));
        assert!(!glob_match(b"*cross*", b"cluster-enabled", false));
        assert!(glob_match(b"h\\*llo", b"h*llo", false));
        assert!(!glob_match(b"a*", b"", false));
        // stringmatchlen never matches an empty string (KEYS special-cases "*").
        assert!(!glob_match(b"*", b"", false));
        assert!(glob_match(b"CLUSTER-*", b"cluster-enabled", true));
    }
}
