//! Redis' `bit` library (LuaBitOp 1.0): 32-bit operations on Lua numbers.
//! Arguments are normalised like LuaBitOp's `barg` (add 2^52+2^51 and keep
//! the low 32 bits, so out-of-range numbers wrap), results are signed.

use omnilua::Value;

/// The functions of the library.
pub const NAMES: [&str; 12] = [
    "tobit", "tohex", "bnot", "band", "bor", "bxor", "lshift", "rshift", "arshift", "rol", "ror",
    "bswap",
];

/// A result: a number, or `tohex`'s text.
pub enum Out {
    Num(f64),
    Text(String),
}

fn number(v: Option<&Value>) -> Option<f64> {
    match v {
        Some(Value::Integer(i)) => Some(*i as f64),
        Some(Value::Number(n)) => Some(*n),
        Some(Value::String(s)) => {
            let bytes = s.as_bytes().ok()?;
            let text = String::from_utf8_lossy(&bytes);
            let t = text.trim();
            if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                i64::from_str_radix(hex, 16).ok().map(|v| v as f64)
            } else {
                t.parse::<f64>().ok()
            }
        }
        _ => None,
    }
}

fn type_name(v: Option<&Value>) -> &'static str {
    match v {
        None => "no value",
        Some(Value::Nil) => "nil",
        Some(Value::Boolean(_)) => "boolean",
        Some(Value::Integer(_)) | Some(Value::Number(_)) => "number",
        Some(Value::String(_)) => "string",
        Some(Value::Table(_)) => "table",
        Some(Value::Function(_)) => "function",
        Some(Value::Thread(_)) => "thread",
        Some(_) => "userdata",
    }
}

fn barg(name: &str, args: &[Value], i: usize) -> Result<u32, String> {
    let v = args.get(i);
    let n = number(v).ok_or_else(|| {
        format!(
            "bad argument #{} to '{name}' (number expected, got {})",
            i + 1,
            type_name(v)
        )
    })?;
    Ok((n + 6_755_399_441_055_744.0).to_bits() as u32)
}

fn ret(b: u32) -> Out {
    Out::Num(f64::from(b as i32))
}

/// Calls `bit.<name>(args...)`.
pub fn call(name: &str, args: &[Value]) -> Result<Out, String> {
    let b = barg(name, args, 0)?;
    Ok(match name {
        "tobit" => ret(b),
        "bnot" => ret(!b),
        "band" | "bor" | "bxor" => {
            let mut acc = b;
            for i in 1..args.len() {
                let x = barg(name, args, i)?;
                acc = match name {
                    "band" => acc & x,
                    "bor" => acc | x,
                    _ => acc ^ x,
                };
            }
            ret(acc)
        }
        "lshift" | "rshift" | "arshift" | "rol" | "ror" => {
            let n = barg(name, args, 1)? & 31;
            ret(match name {
                "lshift" => b << n,
                "rshift" => b >> n,
                "arshift" => ((b as i32) >> n) as u32,
                "rol" => b.rotate_left(n),
                _ => b.rotate_right(n),
            })
        }
        "bswap" => ret(b.swap_bytes()),
        "tohex" => {
            let mut n: i32 = if args.len() < 2 {
                8
            } else {
                barg(name, args, 1)? as i32
            };
            let digits: &[u8; 16] = if n < 0 {
                n = n.saturating_neg();
                b"0123456789ABCDEF"
            } else {
                b"0123456789abcdef"
            };
            let n = n.min(8) as usize;
            let mut buf = vec![b'0'; n];
            let mut v = b;
            for slot in buf.iter_mut().rev() {
                *slot = digits[(v & 15) as usize];
                v >>= 4;
            }
            Out::Text(String::from_utf8_lossy(&buf).into_owned())
        }
        _ => return Err(format!("unknown bit function {name}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(name: &str, args: &[f64]) -> f64 {
        let args: Vec<Value> = args.iter().map(|&n| Value::Number(n)).collect();
        match call(name, &args) {
            Ok(Out::Num(n)) => n,
            _ => f64::NAN,
        }
    }

    #[test]
    fn luabitop_semantics() {
        // Values seen on redis-server 7.0.15.
        assert_eq!(num("bor", &[1.0, 2.0]), 3.0);
        assert_eq!(num("bnot", &[0.0]), -1.0);
        assert_eq!(num("arshift", &[-256.0, 4.0]), -16.0);
        assert_eq!(num("tobit", &[4294967301.0]), 5.0);
        assert_eq!(num("ror", &[1.0, 1.0]), -2147483648.0);
        assert_eq!(num("bswap", &[1.0]), 16777216.0);
        match call("tohex", &[Value::Number(-1.0)]) {
            Ok(Out::Text(t)) => assert_eq!(t, "ffffffff"),
            _ => panic!("tohex"),
        }
        assert_eq!(
            call("band", &[]).err(),
            Some("bad argument #1 to 'band' (number expected, got no value)".into())
        );
    }
}
