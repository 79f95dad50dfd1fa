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

/// C's `%.17g`.
pub fn format_g17(value: f64) -> String {
    let exp = value.abs().log10().floor() as i32;
    if !(-4..17).contains(&exp) {
        let s = format!("{:.16e}", value);
        // Rust prints `1.2340000000000000e20`; C prints `1.234e+20`.
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = trim_fraction(mantissa);
        let exp_num: i32 = exponent.parse().unwrap_or(0);
        let sign = if exp_num < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp_num.abs())
    } else {
        let decimals = (16 - exp).max(0) as usize;
        trim_fraction(&format!("{:.*}", decimals, value)).to_string()
    }
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
