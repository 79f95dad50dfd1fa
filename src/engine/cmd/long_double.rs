//! Exact emulation of the x86-64 `long double` arithmetic behind
//! INCRBYFLOAT (and HINCRBYFLOAT): 80-bit extended precision, that is a
//! 64-bit significand with exponents down to 2^-16445 (subnormals) and up to
//! about 1.19e4932.
//!
//! Three pieces of C are reproduced bit for bit, with a small big-integer
//! type instead of floating point:
//! - `string2ld`: glibc `strtold` (decimal and hexadecimal forms, `inf`,
//!   correct rounding to nearest-even) plus Redis' rejections (leading
//!   space, trailing bytes, NaN, overflow to ±HUGE_VAL, underflow to zero,
//!   5120 bytes or more);
//! - `+` on two `long double`s (round to nearest, ties to even);
//! - `ld2string(.., LD_STR_HUMAN)`: `snprintf("%.17Lf")` (glibc rounds the
//!   exact binary value, ties to even), then trailing zeros and a trailing
//!   `.` are removed and `-0` becomes `0`.

use std::cmp::Ordering;

/// Redis' `MAX_LONG_DOUBLE_CHARS`: `string2ld` refuses inputs this long or longer.
const MAX_LONG_DOUBLE_CHARS: usize = 5 * 1024;
/// Exponent of the least significant bit of a subnormal (2^-16445).
const MIN_EXP: i64 = -16445;
/// Exponent of the least significant bit of the largest finite value's significand.
const MAX_EXP: i64 = 16320;

/// A `long double`: `±mant × 2^exp`, or ±infinity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LongDouble {
    neg: bool,
    mant: u64,
    exp: i64,
    inf: bool,
}

impl LongDouble {
    /// Positive zero.
    pub const ZERO: LongDouble = LongDouble {
        neg: false,
        mant: 0,
        exp: 0,
        inf: false,
    };

    fn infinity(neg: bool) -> LongDouble {
        LongDouble {
            neg,
            mant: 0,
            exp: 0,
            inf: true,
        }
    }

    /// An integer, exactly (every i64 fits in 64 significant bits).
    pub fn from_i64(value: i64) -> LongDouble {
        let mut out = round(Big::from_u64(value.unsigned_abs()), 0, false);
        out.neg = value < 0;
        out
    }

    /// True for ±infinity (NaN cannot be produced: `inf + -inf` is reported
    /// by [`LongDouble::plus`] as `None`).
    pub fn is_infinite(&self) -> bool {
        self.inf
    }

    /// True for ±0.
    pub fn is_zero(&self) -> bool {
        !self.inf && self.mant == 0
    }

    /// `a + b` rounded to nearest-even; `None` when the sum is NaN.
    pub fn plus(self, other: LongDouble) -> Option<LongDouble> {
        if self.inf || other.inf {
            if self.inf && other.inf && self.neg != other.neg {
                return None;
            }
            return Some(if self.inf { self } else { other });
        }
        if other.is_zero() {
            if self.is_zero() {
                // -0 + -0 = -0, every other mix of zeros is +0.
                return Some(LongDouble {
                    neg: self.neg && other.neg,
                    ..LongDouble::ZERO
                });
            }
            return Some(self);
        }
        if self.is_zero() {
            return Some(other);
        }
        let emin = self.exp.min(other.exp);
        let a = Big::from_u64(self.mant).shl((self.exp - emin) as u64);
        let b = Big::from_u64(other.mant).shl((other.exp - emin) as u64);
        let (sum, neg) = if self.neg == other.neg {
            (a.add(&b), self.neg)
        } else {
            match a.cmp(&b) {
                Ordering::Equal => return Some(LongDouble::ZERO),
                Ordering::Greater => (a.sub(&b), self.neg),
                Ordering::Less => (b.sub(&a), other.neg),
            }
        };
        let mut out = round(sum, emin, false);
        out.neg = neg;
        Some(out)
    }

    /// `ld2string(buf, len, value, LD_STR_HUMAN)`: `%.17Lf` without trailing
    /// zeros. Infinities print as `inf` / `-inf`.
    pub fn to_human(&self) -> String {
        if self.inf {
            return if self.neg { "-inf" } else { "inf" }.to_string();
        }
        let (int_part, frac) = if self.exp >= 0 {
            (Big::from_u64(self.mant).shl(self.exp as u64), 0u64)
        } else {
            let s = (-self.exp) as u64;
            let mant = Big::from_u64(self.mant);
            let int_part = mant.shr(s);
            let low = mant.low_bits(s);
            // frac / 2^s scaled by 10^17, rounded to nearest-even.
            let mut scaled = low;
            scaled.mul_pow10(17);
            let mut q = scaled.shr(s);
            let half = scaled.bit(s - 1);
            let rest = scaled.low_bits_nonzero(s - 1);
            let q_odd = q.bit(0);
            if half && (rest || q_odd) {
                q = q.add(&Big::from_u64(1));
            }
            let q = q.to_u64();
            if q >= 100_000_000_000_000_000 {
                (int_part.add(&Big::from_u64(1)), q - 100_000_000_000_000_000)
            } else {
                (int_part, q)
            }
        };
        let mut text = String::new();
        if self.neg {
            text.push('-');
        }
        text.push_str(&int_part.to_decimal());
        text.push('.');
        text.push_str(&format!("{frac:017}"));
        let trimmed = text.trim_end_matches('0').trim_end_matches('.');
        if trimmed == "-0" {
            "0".to_string()
        } else {
            trimmed.to_string()
        }
    }
}

/// `string2ld`: parses `bytes` as `strtold` would, with Redis' extra
/// rejections. `None` means `ERR value is not a valid float`.
pub fn parse(bytes: &[u8]) -> Option<LongDouble> {
    if bytes.is_empty() || bytes.len() >= MAX_LONG_DOUBLE_CHARS {
        return None;
    }
    let (neg, body) = match bytes[0] {
        b'-' => (true, &bytes[1..]),
        b'+' => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let lower = body.to_ascii_lowercase();
    if lower == b"inf" || lower == b"infinity" {
        return Some(LongDouble::infinity(neg));
    }
    let parsed = if lower.starts_with(b"0x") {
        parse_hex(&lower[2..])?
    } else {
        parse_decimal(&lower)?
    };
    let mut value = parsed;
    value.neg = neg;
    Some(value)
}

/// Splits `digits[.digits]` (at least one digit overall) and the exponent
/// introduced by `marker`; returns (mantissa digits, digits after the point,
/// exponent).
fn split_number(text: &[u8], is_digit: fn(u8) -> bool, marker: u8) -> Option<(Vec<u8>, i64, i64)> {
    let mut i = 0;
    let mut digits = Vec::new();
    while i < text.len() && is_digit(text[i]) {
        digits.push(text[i]);
        i += 1;
    }
    let mut after_point = 0i64;
    if i < text.len() && text[i] == b'.' {
        i += 1;
        while i < text.len() && is_digit(text[i]) {
            digits.push(text[i]);
            after_point += 1;
            i += 1;
        }
    }
    if digits.is_empty() {
        return None;
    }
    let mut exponent = 0i64;
    if i < text.len() && text[i] == marker {
        i += 1;
        let mut exp_neg = false;
        if i < text.len() && (text[i] == b'+' || text[i] == b'-') {
            exp_neg = text[i] == b'-';
            i += 1;
        }
        let start = i;
        while i < text.len() && text[i].is_ascii_digit() {
            // Saturate: anything this large is ±HUGE_VAL or zero anyway.
            exponent = (exponent * 10 + i64::from(text[i] - b'0')).min(1_000_000_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        if exp_neg {
            exponent = -exponent;
        }
    }
    if i != text.len() {
        return None;
    }
    Some((digits, after_point, exponent))
}

fn parse_decimal(text: &[u8]) -> Option<LongDouble> {
    let (digits, after_point, exponent) = split_number(text, |b| b.is_ascii_digit(), b'e')?;
    let first = digits.iter().position(|&d| d != b'0');
    let Some(first) = first else {
        return Some(LongDouble::ZERO);
    };
    let significant = &digits[first..];
    let exp10 = exponent - after_point;
    let magnitude = exp10 + significant.len() as i64; // value < 10^magnitude
    if magnitude - 1 > 4933 {
        return None; // overflow: ERANGE with HUGE_VAL
    }
    if magnitude < -4952 {
        return None; // underflow to zero: ERANGE with 0
    }
    let mut n = Big::zero();
    for chunk in significant.chunks(9) {
        let mut part = 0u32;
        for &d in chunk {
            part = part * 10 + u32::from(d - b'0');
        }
        n.mul_small_add(10u32.pow(chunk.len() as u32), part);
    }
    let value = if exp10 >= 0 {
        n.mul_pow10(exp10 as u32);
        round(n, 0, false)
    } else {
        let mut d = Big::from_u64(1);
        d.mul_pow10((-exp10) as u32);
        // Quotient with at least 66 significant bits, plus a sticky remainder.
        let nbits = n.bit_len() as i64;
        let dbits = d.bit_len() as i64;
        let k = dbits - nbits + 66;
        let (q, r) = if k >= 0 {
            Big::div_rem(&n.shl(k as u64), &d)
        } else {
            Big::div_rem(&n, &d.shl((-k) as u64))
        };
        round(q, -k, !r.is_zero())
    };
    finish(value)
}

fn parse_hex(text: &[u8]) -> Option<LongDouble> {
    let (digits, after_point, exponent) = split_number(text, |b| b.is_ascii_hexdigit(), b'p')?;
    let first = digits.iter().position(|&d| d != b'0');
    let Some(first) = first else {
        return Some(LongDouble::ZERO);
    };
    let significant = &digits[first..];
    let exp2 = exponent - 4 * after_point;
    let magnitude = exp2 + 4 * significant.len() as i64;
    if magnitude > MAX_EXP + 64 + 4 {
        return None;
    }
    if magnitude < MIN_EXP - 4 {
        return None;
    }
    let mut n = Big::zero();
    for &d in significant {
        let nibble = (d as char).to_digit(16).unwrap_or(0);
        n.mul_small_add(16, nibble);
    }
    finish(round(n, exp2, false))
}

/// `strtold`'s ERANGE cases that `string2ld` rejects.
fn finish(value: LongDouble) -> Option<LongDouble> {
    if value.inf || value.mant == 0 {
        None
    } else {
        Some(value)
    }
}

/// Rounds `(n + sticky·ε) × 2^e` to a long double (nearest, ties to even).
fn round(n: Big, e: i64, sticky: bool) -> LongDouble {
    if n.is_zero() {
        return LongDouble::ZERO;
    }
    let bits = n.bit_len() as i64;
    let mut exp = (e + bits - 64).max(MIN_EXP);
    let shift = exp - e;
    let mut mant;
    if shift <= 0 {
        mant = n.shl((-shift) as u64).to_u64();
    } else {
        let shift = shift as u64;
        mant = n.shr(shift).to_u64();
        let half = n.bit(shift - 1);
        let rest = sticky || n.low_bits_nonzero(shift - 1);
        if half && (rest || mant & 1 == 1) {
            mant = mant.wrapping_add(1);
            if mant == 0 {
                mant = 1 << 63;
                exp += 1;
            }
        }
    }
    if exp > MAX_EXP {
        return LongDouble::infinity(false);
    }
    if mant == 0 {
        return LongDouble::ZERO;
    }
    LongDouble {
        neg: false,
        mant,
        exp,
        inf: false,
    }
}

/// A non-negative big integer, little-endian 32-bit limbs, no high zero limbs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn zero() -> Big {
        Big(Vec::new())
    }

    fn from_u64(value: u64) -> Big {
        let mut b = Big(vec![value as u32, (value >> 32) as u32]);
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn bit_len(&self) -> u64 {
        match self.0.last() {
            None => 0,
            Some(&top) => (self.0.len() as u64 - 1) * 32 + u64::from(32 - top.leading_zeros()),
        }
    }

    fn bit(&self, i: u64) -> bool {
        let limb = (i / 32) as usize;
        self.0.get(limb).is_some_and(|&l| (l >> (i % 32)) & 1 == 1)
    }

    /// True when any of the lowest `bits` bits is set.
    fn low_bits_nonzero(&self, bits: u64) -> bool {
        let full = (bits / 32) as usize;
        if self.0.iter().take(full).any(|&l| l != 0) {
            return true;
        }
        let rem = bits % 32;
        rem != 0
            && self
                .0
                .get(full)
                .is_some_and(|&l| l & ((1u32 << rem) - 1) != 0)
    }

    /// The lowest `bits` bits.
    fn low_bits(&self, bits: u64) -> Big {
        let full = (bits / 32) as usize;
        let mut limbs: Vec<u32> = self.0.iter().take(full).copied().collect();
        let rem = bits % 32;
        if rem != 0 {
            if let Some(&l) = self.0.get(full) {
                limbs.push(l & ((1u32 << rem) - 1));
            }
        }
        let mut b = Big(limbs);
        b.trim();
        b
    }

    fn to_u64(&self) -> u64 {
        let lo = u64::from(self.0.first().copied().unwrap_or(0));
        let hi = u64::from(self.0.get(1).copied().unwrap_or(0));
        lo | (hi << 32)
    }

    fn mul_small_add(&mut self, mul: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in self.0.iter_mut() {
            let v = u64::from(*limb) * u64::from(mul) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    fn mul_pow10(&mut self, mut n: u32) {
        while n >= 9 {
            self.mul_small_add(1_000_000_000, 0);
            n -= 9;
        }
        if n > 0 {
            self.mul_small_add(10u32.pow(n), 0);
        }
    }

    fn shl(&self, bits: u64) -> Big {
        if self.is_zero() {
            return Big::zero();
        }
        let limbs = (bits / 32) as usize;
        let rem = (bits % 32) as u32;
        let mut out = vec![0u32; limbs];
        if rem == 0 {
            out.extend_from_slice(&self.0);
        } else {
            let mut carry = 0u32;
            for &l in &self.0 {
                out.push((l << rem) | carry);
                carry = l >> (32 - rem);
            }
            out.push(carry);
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    fn shr(&self, bits: u64) -> Big {
        let limbs = (bits / 32) as usize;
        if limbs >= self.0.len() {
            return Big::zero();
        }
        let rem = (bits % 32) as u32;
        let src = &self.0[limbs..];
        let mut out = Vec::with_capacity(src.len());
        for (i, &l) in src.iter().enumerate() {
            let next = src.get(i + 1).copied().unwrap_or(0);
            out.push(if rem == 0 {
                l
            } else {
                (l >> rem) | (next << (32 - rem))
            });
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    fn add(&self, other: &Big) -> Big {
        let len = self.0.len().max(other.0.len());
        let mut out = Vec::with_capacity(len + 1);
        let mut carry = 0u64;
        for i in 0..len {
            let a = u64::from(self.0.get(i).copied().unwrap_or(0));
            let b = u64::from(other.0.get(i).copied().unwrap_or(0));
            let v = a + b + carry;
            out.push(v as u32);
            carry = v >> 32;
        }
        if carry != 0 {
            out.push(carry as u32);
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    /// `self - other`, with `self >= other`.
    fn sub(&self, other: &Big) -> Big {
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for (i, &a) in self.0.iter().enumerate() {
            let b = i64::from(other.0.get(i).copied().unwrap_or(0));
            let mut v = i64::from(a) - b - borrow;
            if v < 0 {
                v += 1 << 32;
                borrow = 1;
            } else {
                borrow = 0;
            }
            out.push(v as u32);
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    /// Quotient and remainder by shift-and-subtract (the callers keep the
    /// quotient to a few dozen bits).
    fn div_rem(n: &Big, d: &Big) -> (Big, Big) {
        if n.cmp(d) == Ordering::Less || d.is_zero() {
            return (Big::zero(), n.clone());
        }
        let shift = n.bit_len() - d.bit_len();
        let mut rem = n.clone();
        let mut q = Big::zero();
        for i in (0..=shift).rev() {
            let ds = d.shl(i);
            if rem.cmp(&ds) != Ordering::Less {
                rem = rem.sub(&ds);
                q = q.add(&Big::from_u64(1).shl(i));
            }
        }
        (q, rem)
    }

    fn div_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for limb in self.0.iter_mut().rev() {
            let v = (rem << 32) | u64::from(*limb);
            *limb = (v / u64::from(d)) as u32;
            rem = v % u64::from(d);
        }
        self.trim();
        rem as u32
    }

    fn to_decimal(&self) -> String {
        if self.is_zero() {
            return "0".to_string();
        }
        let mut n = self.clone();
        let mut chunks = Vec::new();
        while !n.is_zero() {
            chunks.push(n.div_small(1_000_000_000));
        }
        let mut out = String::new();
        for (i, chunk) in chunks.iter().rev().enumerate() {
            if i == 0 {
                out.push_str(&chunk.to_string());
            } else {
                out.push_str(&format!("{chunk:09}"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `INCRBYFLOAT` on a key holding `start` (missing key: `None`) by `incr`.
    fn incr(start: Option<&str>, incr: &str) -> Option<String> {
        let base = match start {
            Some(s) => parse(s.as_bytes())?,
            None => LongDouble::ZERO,
        };
        let sum = base.plus(parse(incr.as_bytes())?)?;
        if sum.is_infinite() {
            return None;
        }
        Some(sum.to_human())
    }

    #[test]
    fn matches_redis_7_0_15() {
        // Each pair was run on a real redis-server 7.0.15 (x86-64):
        // SET f <start>; INCRBYFLOAT f <incr> -> reply.
        let seen: &[(Option<&str>, &str, &str)] = &[
            (Some("10.5"), "0.1", "10.6"),
            (Some("0.1"), "0.2", "0.3"),
            (Some("3.0e3"), "0", "3000"),
            (Some("5.0e3"), "2.0e2", "5200"),
            (None, "1", "1"),
            (None, "-1.5", "-1.5"),
            (None, "1e20", "100000000000000000000"),
            (Some("100000000000000000000"), "1", "100000000000000000000"),
            (None, "1e-20", "0"),
            (Some("1.1"), "2.2", "3.3"),
            (Some("100"), "-100", "0"),
            (None, "-0", "0"),
            (None, "123456789.123456789", "123456789.12345678899873747"),
            (None, "3.14159265358979323846", "3.14159265358979324"),
            (None, "0x10", "16"),
            (None, ".5", "0.5"),
            (None, "5.", "5"),
            (None, "+5", "5"),
            (None, "1e-400", "0"),
            (Some("1e2"), "1", "101"),
            (Some("0x10"), "1", "17"),
            (Some("1.5"), "1.5", "3"),
            (Some("3"), "-0.000001", "2.999999"),
            (Some("2.999999"), "1e17", "100000000000000003"),
            (None, "0.3333333333333333333", "0.33333333333333333"),
            (None, "2.5e-5", "0.000025"),
            (None, "-2.5e-5", "-0.000025"),
            (None, "99999999999999999999", "100000000000000000000"),
            (None, "1.23456789012345678", "1.23456789012345678"),
            (Some("1e16"), "0.5", "10000000000000000.5"),
            (None, "1e-4950", "0"),
            (None, "0x1p-3", "0.125"),
            (None, "0x.8", "0.5"),
            (None, "1e+5", "100000"),
            (None, "1E-2", "0.01"),
            // A tie at the 17th decimal goes to the even digit.
            (None, "0.000003814697265625", "0.00000381469726562"),
            (None, "1.000000000000000005", "1"),
            (None, "-1e-20", "0"),
            (None, "0x1.fffffffffffffffep0", "2"),
            (None, "18446744073709551617", "18446744073709551616"),
            (None, "0x1P+2", "4"),
        ];
        for (start, by, want) in seen {
            assert_eq!(incr(*start, by).as_deref(), Some(*want), "{start:?} + {by}");
        }
    }

    #[test]
    fn huge_values_print_every_digit() {
        // INCRBYFLOAT nf11 1e308 on 7.0.15.
        let want = "99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048";
        assert_eq!(incr(None, "1e308").as_deref(), Some(want));
    }

    #[test]
    fn rejects_what_string2ld_rejects() {
        // All answered `ERR value is not a valid float` on 7.0.15.
        for bad in [
            "nan", "abc", " 1", "1 ", "1e", "", "0x", "0x1p", "-", ".", "nan(1)", "1\0", "1e4933",
            "1e-5000",
        ] {
            assert_eq!(parse(bad.as_bytes()), None, "{bad:?}");
        }
        // `inf` parses, and the sum is then refused by INCRBYFLOAT.
        assert!(parse(b"INF").is_some_and(|v| v.is_infinite()));
        assert!(parse(b"-infinity").is_some_and(|v| v.is_infinite()));
    }

    #[test]
    fn overflowing_sum_is_infinite() {
        let big = parse(b"1e4932").unwrap_or(LongDouble::ZERO);
        assert!(big.plus(big).is_some_and(|v| v.is_infinite()));
        let inf = LongDouble::infinity(false);
        assert_eq!(inf.plus(LongDouble::infinity(true)), None);
    }
}
