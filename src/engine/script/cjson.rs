//! Redis' `cjson` library (lua-cjson 2.1 with its default settings) on
//! omnilua values: `cjson.encode` follows lua-cjson's rules (numbers as
//! `%.14g`, `/` escaped, arrays detected from integer keys with the
//! sparse-array check, `{}` for an empty table); `cjson.decode` parses with
//! serde_json, so its error messages are not lua-cjson's.
//!
//! Object key order is the VM's table order, which is not Redis' (Redis'
//! own order depends on its hash layout too), so tests never rely on it.

use omnilua::{Lua, Table, Value};

/// C's `printf("%.{precision}g", value)`.
pub fn format_g(value: f64, precision: usize) -> String {
    if value.is_nan() {
        return if value.is_sign_negative() {
            "-nan"
        } else {
            "nan"
        }
        .into();
    }
    if value.is_infinite() {
        return if value < 0.0 { "-inf" } else { "inf" }.into();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let p = precision.max(1);
    let e_form = format!("{:.*e}", p - 1, value);
    let (mantissa, exponent) = e_form.split_once('e').unwrap_or((&e_form, "0"));
    let exp: i64 = exponent.parse().unwrap_or(0);
    if exp < -4 || exp >= p as i64 {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim_zeros(mantissa), exp.abs())
    } else {
        let decimals = (p as i64 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{:.*}", decimals, value)).to_string()
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

const MAX_DEPTH: usize = 1000;

/// `cjson.encode(value)`: the JSON text, or lua-cjson's error message.
pub fn encode(value: &Value) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    encode_value(value, 0, &mut out)?;
    Ok(out)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Nil => "nil",
        Value::Boolean(_) => "boolean",
        Value::Integer(_) | Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Table(_) => "table",
        Value::Function(_) => "function",
        Value::UserData(_) | Value::LightUserData(_) => "userdata",
        Value::Thread(_) => "thread",
    }
}

fn encode_number(n: f64, out: &mut Vec<u8>) -> Result<(), String> {
    if !n.is_finite() {
        return Err("Cannot serialise number: must not be NaN or Inf".into());
    }
    out.extend_from_slice(format_g(n, 14).as_bytes());
    Ok(())
}

fn encode_string(bytes: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in bytes {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'/' => out.extend_from_slice(b"\\/"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            0..=0x1f | 0x7f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

fn number_of(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Number(n) => Some(*n),
        _ => None,
    }
}

fn encode_value(value: &Value, depth: usize, out: &mut Vec<u8>) -> Result<(), String> {
    match value {
        Value::String(s) => encode_string(&s.as_bytes().map_err(|e| e.to_string())?, out),
        Value::Integer(i) => encode_number(*i as f64, out)?,
        Value::Number(n) => encode_number(*n, out)?,
        Value::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Nil => out.extend_from_slice(b"null"),
        Value::LightUserData(p) if p.is_null() => out.extend_from_slice(b"null"),
        Value::Table(t) => encode_table(t, depth + 1, out)?,
        other => {
            return Err(format!(
                "Cannot serialise {}: type not supported",
                type_name(other)
            ))
        }
    }
    Ok(())
}

fn encode_table(t: &Table, depth: usize, out: &mut Vec<u8>) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!("Cannot serialise, excessive nesting ({depth})"));
    }
    let pairs = t.raw_pairs().map_err(|e| e.to_string())?;
    // lua_array_length: every key a positive integer, not too sparse.
    let (mut max, mut items, mut array) = (0f64, 0usize, true);
    for (k, _) in &pairs {
        match number_of(k) {
            Some(n) if n.floor() == n && n >= 1.0 => {
                if n > max {
                    max = n;
                }
                items += 1;
            }
            _ => {
                array = false;
                break;
            }
        }
    }
    if array && max > (items * 2) as f64 && max > 10.0 {
        return Err("Cannot serialise table: excessively sparse array".into());
    }
    if array && max > 0.0 {
        out.push(b'[');
        let mut i = 1i64;
        while (i as f64) <= max {
            if i > 1 {
                out.push(b',');
            }
            let v = t.raw_get::<_, Value>(i).map_err(|e| e.to_string())?;
            encode_value(&v, depth, out)?;
            i += 1;
        }
        out.push(b']');
        return Ok(());
    }
    out.push(b'{');
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match k {
            Value::String(s) => encode_string(&s.as_bytes().map_err(|e| e.to_string())?, out),
            Value::Integer(_) | Value::Number(_) => {
                out.push(b'"');
                encode_number(number_of(k).unwrap_or(0.0), out)?;
                out.push(b'"');
            }
            other => {
                return Err(format!(
                    "Cannot serialise {}: table key must be a number or string",
                    type_name(other)
                ))
            }
        }
        out.push(b':');
        encode_value(v, depth, out)?;
    }
    out.push(b'}');
    Ok(())
}

/// `cjson.decode(text)`: the Lua value, or an error message.
pub fn decode(lua: &Lua, text: &[u8]) -> Result<Value, String> {
    let json: serde_json::Value = serde_json::from_slice(text).map_err(|e| {
        format!(
            "Expected value but found invalid token at character {}",
            e.column().max(1)
        )
    })?;
    to_lua(lua, &json).map_err(|e| e.to_string())
}

fn to_lua(lua: &Lua, json: &serde_json::Value) -> omnilua::Result<Value> {
    Ok(match json {
        serde_json::Value::Null => Value::LightUserData(std::ptr::null_mut()),
        serde_json::Value::Bool(b) => Value::Boolean(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::String(lua.create_string(s)?),
        serde_json::Value::Array(items) => {
            let t = lua.create_table()?;
            for (i, item) in items.iter().enumerate() {
                t.raw_set((i + 1) as i64, to_lua(lua, item)?)?;
            }
            Value::Table(t)
        }
        serde_json::Value::Object(map) => {
            let t = lua.create_table()?;
            for (k, v) in map {
                t.raw_set(lua.create_string(k)?, to_lua(lua, v)?)?;
            }
            Value::Table(t)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_g() {
        assert_eq!(format_g(0.1, 17), "0.10000000000000001");
        assert_eq!(format_g(1e20, 17), "1e+20");
        assert_eq!(format_g(1.5, 17), "1.5");
        assert_eq!(format_g(-0.0, 17), "-0");
        assert_eq!(format_g(123456789012345.0, 14), "1.2345678901234e+14");
        assert_eq!(format_g(100.0, 14), "100");
        assert_eq!(format_g(0.0001, 14), "0.0001");
        assert_eq!(format_g(0.00001, 14), "1e-05");
    }
}
