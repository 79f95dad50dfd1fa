//! Argument parsing shared by command handlers, with Redis' exact rules and
//! error replies (`getLongLongFromObjectOrReply` and friends).

use crate::engine::error::RedisError;
use crate::engine::value::parse_strict_i64;

/// An integer argument (`ERR value is not an integer or out of range`).
pub fn int(arg: &[u8]) -> Result<i64, RedisError> {
    parse_strict_i64(arg).ok_or(RedisError::NotInteger)
}

/// A float argument as `strtold` accepts it, plus `inf`/`-inf`
/// (`ERR value is not a valid float`). NaN is rejected.
pub fn float(arg: &[u8]) -> Result<f64, RedisError> {
    parse_float(arg).ok_or(RedisError::NotFloat)
}

/// Parses a float the way Redis' `string2ld`/`strtod` accept it: no
/// leading/trailing space, optional sign, digits with `.` and exponent,
/// `inf`, `+inf`, `-inf`, `infinity`; never NaN.
pub fn parse_float(arg: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(arg).ok()?;
    if text.is_empty()
        || text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace)
    {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let value = match lower.trim_start_matches(['+', '-']) {
        "inf" | "infinity" => {
            if lower.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }
        }
        _ => {
            if !lower
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
            {
                return None;
            }
            lower.parse::<f64>().ok()?
        }
    };
    if value.is_nan() {
        None
    } else {
        Some(value)
    }
}

/// Case-insensitive comparison of an argument with an option name.
pub fn is(arg: &[u8], option: &str) -> bool {
    arg.eq_ignore_ascii_case(option.as_bytes())
}

/// The argument as C code sees it through `argv[i]->ptr` with `strcasecmp`
/// and `%s`: everything before the first NUL byte. Redis compares option
/// names this way, so `SET k v "NX\0junk"` is a plain NX.
pub fn c_str(arg: &[u8]) -> &[u8] {
    match arg.iter().position(|&b| b == 0) {
        Some(end) => &arg[..end],
        None => arg,
    }
}

/// Formats a double like Redis' `addReplyDouble` in RESP2 (`d2string`):
/// integral values in ±2^52 without a fraction, others with `%.17g`.
pub fn format_double(value: f64) -> String {
    if value.is_nan() {
        return "nan".into();
    }
    if value.is_infinite() {
        return if value > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    if value == 0.0 {
        return if value.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    if value > -4_503_599_627_370_495.0 && value < 4_503_599_627_370_496.0 && value == value.trunc()
    {
        return format!("{}", value as i64);
    }
    format_g17(value)
}

/// C's `%.17g`: the exponent is taken after rounding to 17 significant
/// digits (so `9.9999999999999978e-05` stays in exponent form), then fixed
/// or exponent notation is chosen from it and trailing zeros are removed.
pub fn format_g17(value: f64) -> String {
    let e_form = format!("{:.16e}", value);
    let (mantissa, exponent) = e_form.split_once('e').unwrap_or((&e_form, "0"));
    let exp: i32 = exponent.parse().unwrap_or(0);
    if !(-4..17).contains(&exp) {
        // Rust prints `1.2340000000000000e20`; C prints `1.234e+20`.
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim_fraction(mantissa), exp.abs())
    } else {
        let decimals = (16 - exp).max(0) as usize;
        trim_fraction(&format!("{:.*}", decimals, value)).to_string()
    }
}

/// A double argument as Redis' `getDoubleFromObject` accepts it (ZADD
/// scores, ZINCRBY increments): the whole argument must be one `strtod`
/// number (decimal, hex, `inf`/`infinity`), no leading space, no NaN, and
/// no overflow to ±HUGE_VAL or underflow to zero (`ERR value is not a valid float`).
pub fn double(arg: &[u8]) -> Result<f64, RedisError> {
    let parsed = strtod(arg);
    let bad = arg.is_empty()
        || is_c_space(arg[0])
        || parsed.consumed != arg.len()
        || (parsed.erange && (parsed.value.is_infinite() || parsed.value == 0.0))
        || parsed.value.is_nan();
    if bad {
        Err(RedisError::NotFloat)
    } else {
        Ok(parsed.value)
    }
}

/// What C's `strtod` made of the start of a byte string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strtod {
    /// The value (0 when nothing was converted).
    pub value: f64,
    /// Bytes consumed, leading white space included (0 when nothing was converted).
    pub consumed: usize,
    /// `errno == ERANGE`: the text overflowed to ±inf or underflowed to zero.
    pub erange: bool,
}

/// `isspace` in the C locale.
pub fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// glibc's `strtod` in the C locale: leading white space, a sign, then
/// `inf`/`infinity`, `nan[(...)]`, a hex float (`0x1.8p3`) or a decimal
/// number with an optional exponent; stops at the first byte that does not fit.
pub fn strtod(bytes: &[u8]) -> Strtod {
    let none = Strtod {
        value: 0.0,
        consumed: 0,
        erange: false,
    };
    let mut i = 0;
    while i < bytes.len() && is_c_space(bytes[i]) {
        i += 1;
    }
    let negative = bytes.get(i) == Some(&b'-');
    if matches!(bytes.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let sign = if negative { -1.0 } else { 1.0 };
    let rest = &bytes[i..];
    let starts =
        |word: &[u8]| rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word);
    if starts(b"infinity") {
        return Strtod {
            value: sign * f64::INFINITY,
            consumed: i + 8,
            erange: false,
        };
    }
    if starts(b"inf") {
        return Strtod {
            value: sign * f64::INFINITY,
            consumed: i + 3,
            erange: false,
        };
    }
    if starts(b"nan") {
        let mut end = i + 3;
        if bytes.get(end) == Some(&b'(') {
            let mut j = end + 1;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            if bytes.get(j) == Some(&b')') {
                end = j + 1;
            }
        }
        return Strtod {
            value: f64::NAN,
            consumed: end,
            erange: false,
        };
    }
    if rest.len() >= 2 && rest[0] == b'0' && (rest[1] == b'x' || rest[1] == b'X') {
        if let Some((value, used)) = parse_hex_float(&rest[2..]) {
            let value = sign * value;
            let erange = value.is_infinite() || (value == 0.0 && used.1);
            return Strtod {
                value,
                consumed: i + 2 + used.0,
                erange,
            };
        }
        // `0x` with no hex digit: only the `0` is a number.
        return Strtod {
            value: sign * 0.0,
            consumed: i + 1,
            erange: false,
        };
    }
    let mut j = 0;
    let mut digits = 0;
    let mut nonzero = false;
    while j < rest.len() && rest[j].is_ascii_digit() {
        nonzero |= rest[j] != b'0';
        digits += 1;
        j += 1;
    }
    if j < rest.len() && rest[j] == b'.' {
        j += 1;
        while j < rest.len() && rest[j].is_ascii_digit() {
            nonzero |= rest[j] != b'0';
            digits += 1;
            j += 1;
        }
    }
    if digits == 0 {
        return none;
    }
    if j < rest.len() && (rest[j] == b'e' || rest[j] == b'E') {
        let mut k = j + 1;
        if k < rest.len() && (rest[k] == b'+' || rest[k] == b'-') {
            k += 1;
        }
        if k < rest.len() && rest[k].is_ascii_digit() {
            while k < rest.len() && rest[k].is_ascii_digit() {
                k += 1;
            }
            j = k;
        }
    }
    let text = std::str::from_utf8(&rest[..j]).unwrap_or("0");
    let magnitude: f64 = text.parse().unwrap_or(0.0);
    let erange = magnitude.is_infinite() || (magnitude == 0.0 && nonzero);
    Strtod {
        value: sign * magnitude,
        consumed: i + j,
        erange,
    }
}

/// The part of a hex float after `0x`: hex digits with an optional `.`,
/// then an optional binary exponent `p[+-]digits`. Returns the magnitude and
/// (bytes used, had a non-zero digit), or None when there is no hex digit.
fn parse_hex_float(rest: &[u8]) -> Option<(f64, (usize, bool))> {
    let mut mantissa: u128 = 0;
    let mut exp: i64 = 0;
    let mut digits = 0;
    let mut nonzero = false;
    let mut j = 0;
    let mut seen_point = false;
    while j < rest.len() {
        let b = rest[j];
        if b == b'.' && !seen_point {
            seen_point = true;
            j += 1;
            continue;
        }
        let Some(d) = (b as char).to_digit(16) else {
            break;
        };
        digits += 1;
        nonzero |= d != 0;
        if mantissa >> 120 == 0 {
            mantissa = (mantissa << 4) | u128::from(d);
            if seen_point {
                exp -= 4;
            }
        } else if !seen_point {
            exp += 4;
        }
        j += 1;
    }
    if digits == 0 {
        return None;
    }
    if j < rest.len() && (rest[j] == b'p' || rest[j] == b'P') {
        let mut k = j + 1;
        let negative = rest.get(k) == Some(&b'-');
        if matches!(rest.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        if k < rest.len() && rest[k].is_ascii_digit() {
            let mut e: i64 = 0;
            while k < rest.len() && rest[k].is_ascii_digit() {
                e = (e * 10 + i64::from(rest[k] - b'0')).min(1_000_000);
                k += 1;
            }
            exp += if negative { -e } else { e };
            j = k;
        }
    }
    let mut value = mantissa as f64;
    let mut remaining = exp;
    while remaining != 0 && value != 0.0 && value.is_finite() {
        let step = remaining.clamp(-1000, 1000);
        value *= 2f64.powi(step as i32);
        remaining -= step;
    }
    Some((value, (j, nonzero)))
}

fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_format_like_redis() {
        assert_eq!(format_double(1.5), "1.5");
        assert_eq!(format_double(3.0), "3");
        assert_eq!(format_double(0.1), "0.10000000000000001");
        assert_eq!(format_double(1e20), "1e+20");
        assert_eq!(format_double(f64::INFINITY), "inf");
        assert_eq!(format_double(-0.0), "-0");
        // Each pair: the score as sent to ZADD, what ZRANGE ... WITHSCORES printed.
        // redis 7.0.15 (zset-max-listpack-entries 0, so -0 is kept):
        //   ZADD sk 5e-324 d 1.7976931348623157e308 e 3.14159265358979 f -2.5 g 100 h 1234567.125 i
        // redis 7.0.15 (default config):
        //   ZADD lp 123456789012345.6 o 4503599627370496 j 9007199254740993 k 1e16 m 1e17 n
        //   ZADD z 9.9999999999999978e-05 a 0.0001 b 1e-5 c 123456789.123456789 d 0.00012 g
        //   ZADD z 2.5e-3 k
        // (the old log10-based exponent printed 0.00009999999999999998 for the first of z)
        let seen = [
            ("5e-324", "4.9406564584124654e-324"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("3.14159265358979", "3.14159265358979"),
            ("-2.5", "-2.5"),
            ("100", "100"),
            ("1234567.125", "1234567.125"),
            ("123456789012345.6", "123456789012345.59"),
            ("4503599627370496", "4503599627370496"),
            ("9007199254740993", "9007199254740992"),
            ("1e16", "10000000000000000"),
            ("1e17", "1e+17"),
            ("9.9999999999999978e-05", "9.9999999999999978e-05"),
            ("0.0001", "0.0001"),
            ("1e-5", "1.0000000000000001e-05"),
            ("123456789.123456789", "123456789.12345679"),
            ("0.00012", "0.00012"),
            ("2.5e-3", "0.0025000000000000001"),
        ];
        for (sent, printed) in seen {
            let value: f64 = sent.parse().unwrap_or(f64::NAN);
            assert_eq!(format_double(value), printed, "{sent}");
        }
    }

    #[test]
    fn doubles_parse_like_get_double_from_object() {
        // redis 7.0.15: ZADD z 0x10 a -> :1 (score 16); 0x1p3 -> 8; +5, .5, 5., 1E2, infinity, -INF accepted
        assert_eq!(double(b"0x10"), Ok(16.0));
        assert_eq!(double(b"0x1p3"), Ok(8.0));
        assert_eq!(double(b"+5"), Ok(5.0));
        assert_eq!(double(b".5"), Ok(0.5));
        assert_eq!(double(b"5."), Ok(5.0));
        assert_eq!(double(b"1E2"), Ok(100.0));
        assert_eq!(double(b"infinity"), Ok(f64::INFINITY));
        assert_eq!(double(b"-INF"), Ok(f64::NEG_INFINITY));
        // redis 7.0.15: 1e400, -1e400, 1e-400, " 1", "1 ", 1e, 1_0, "", nan -> ERR value is not a valid float
        for bad in [
            &b"1e400"[..],
            b"-1e400",
            b"1e-400",
            b" 1",
            b"1 ",
            b"1e",
            b"1_0",
            b"",
            b"nan",
        ] {
            assert_eq!(double(bad), Err(RedisError::NotFloat), "{:?}", bad);
        }
        assert_eq!(double(b"5e-324"), Ok(5e-324));
    }

    #[test]
    fn strtod_prefixes() {
        assert_eq!(strtod(b" 1").consumed, 2);
        assert_eq!(strtod(b"1 ").consumed, 1);
        assert_eq!(strtod(b"").consumed, 0);
        assert_eq!(strtod(b"1e").consumed, 1);
        assert_eq!(strtod(b"0x").consumed, 1);
        assert_eq!(strtod(b"infin").consumed, 3);
        assert!(strtod(b"1e400").erange);
        assert_eq!(strtod(b"0x1.8p1").value, 3.0);
    }

    #[test]
    fn c_str_stops_at_nul() {
        assert_eq!(c_str(b"nx\0zz"), b"nx");
        assert_eq!(c_str(b"plain"), b"plain");
    }

    #[test]
    fn floats_parse_like_strtold() {
        assert_eq!(parse_float(b"1.5"), Some(1.5));
        assert_eq!(parse_float(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float(b" 1"), None);
        assert_eq!(parse_float(b"nan"), None);
        assert_eq!(parse_float(b"abc"), None);
    }
}
