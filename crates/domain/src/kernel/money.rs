//! Money (`Krw`, whole won) and counts as people type them. Shop owners write amounts the way
//! they say them — `15,900`, `15,900원`, `₩15900`, `1.5만`, `1억 2천만원` — and an amount that is
//! not one is refused with a field error naming the input, never read as zero or as a negative
//! placeholder.

use std::fmt;

use crate::kernel::error::FieldError;

/// An amount of Korean won (no fractions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Krw(pub i64);

/// The largest amount accepted from a person: 1,000조 won, far above any program's budget.
const MAX: i128 = 1_000_000_000_000_000;

impl Krw {
    /// An amount typed into `field`; empty input is an error (`error-required`).
    pub fn parse(input: &str, field: &str) -> Result<Krw, FieldError> {
        Krw::parse_optional(input, field)?.ok_or_else(|| FieldError::new(field, "error-required"))
    }

    /// An amount typed into `field`, or `None` when nothing was typed.
    pub fn parse_optional(input: &str, field: &str) -> Result<Option<Krw>, FieldError> {
        // Spaces may part the terms (`2만 5천`), never the digits of one number (`5 5`).
        let words: Vec<String> = input
            .split_whitespace()
            .map(|w| w.chars().map(fold_width).collect())
            .collect();
        if words.windows(2).any(|pair| {
            pair[0].ends_with(|c: char| c.is_ascii_digit())
                && pair[1].starts_with(|c: char| c.is_ascii_digit())
        }) {
            return Err(FieldError::new(field, "error-amount-invalid"));
        }
        let text = words.concat();
        if text.is_empty() {
            return Ok(None);
        }
        if text.starts_with('-') || text.starts_with('−') {
            return Err(FieldError::new(field, "error-amount-negative"));
        }
        if text.bytes().filter(u8::is_ascii_digit).count() > 19 {
            return Err(FieldError::new(field, "error-amount-too-large"));
        }
        let text = text.strip_prefix('₩').unwrap_or(&text);
        let text = text.strip_suffix('원').unwrap_or(text);
        match read_korean_amount(text) {
            Some(won) if won > MAX => Err(FieldError::new(field, "error-amount-too-large")),
            Some(won) => Ok(Some(Krw(won as i64))),
            None => Err(FieldError::new(field, "error-amount-invalid")),
        }
    }
}

impl fmt::Display for Krw {
    /// Grouped by thousands with the won sign's word: `15,900원`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        if self.0 < 0 {
            f.write_str("-")?;
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                f.write_str(",")?;
            }
            write!(f, "{c}")?;
        }
        f.write_str("원")
    }
}

/// A whole count typed into `field` (orders, seats, stock): digits with optional thousands
/// separators, or `None` when nothing was typed. A fraction or a negative is refused by name.
pub fn parse_count(input: &str, field: &str) -> Result<Option<i64>, FieldError> {
    let text: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(fold_width)
        .collect();
    if text.is_empty() {
        return Ok(None);
    }
    if text.starts_with('-') {
        return Err(FieldError::new(field, "error-count-negative"));
    }
    match read_number(&text) {
        Some((mantissa, 0)) if mantissa <= MAX => Ok(Some(mantissa as i64)),
        Some((_, 0)) => Err(FieldError::new(field, "error-amount-too-large")),
        _ => Err(FieldError::new(field, "error-count-invalid")),
    }
}

/// Full-width digits and separators (typed on some Korean keyboards) as their ASCII selves.
fn fold_width(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '，' => ',',
        '．' => '.',
        other => other,
    }
}

/// A number with optional thousands separators and decimal part: (digits as an integer, the
/// number of decimals). Separators must group by three.
fn read_number(text: &str) -> Option<(i128, u32)> {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    if whole.is_empty() || whole.starts_with(',') || whole.ends_with(',') {
        return None;
    }
    let groups: Vec<&str> = whole.split(',').collect();
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return None;
    }
    let mut mantissa: i128 = 0;
    let mut decimals = 0u32;
    let mut push = |b: u8| -> Option<()> {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(i128::from(b - b'0'))?;
        (mantissa <= MAX * 1_000_000).then_some(())
    };
    for b in groups.concat().bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        push(b)?;
    }
    if let Some(fraction) = fraction {
        if fraction.is_empty() || fraction.len() > 6 {
            return None;
        }
        for b in fraction.bytes() {
            if !b.is_ascii_digit() {
                return None;
            }
            push(b)?;
            decimals += 1;
        }
    }
    Some((mantissa, decimals))
}

/// A Korean amount without spaces, sign or 원: numbers with the units 십 백 천 (within a
/// 만-group) and 만 억 조, as `1.5만`, `1억2천만`, `3천`, `15,900`. The result must be whole won.
fn read_korean_amount(text: &str) -> Option<i128> {
    // Amounts scaled by 10^6 so `1.5만` stays exact until the end.
    const SCALE: i128 = 1_000_000;
    let mut total: i128 = 0;
    let mut group: i128 = 0;
    let mut number: Option<i128> = None;
    let mut rest = text;
    let mut any = false;
    // Units come largest first (`1억 2천만`, not `만억`), each once per group.
    let mut last_big = i128::MAX;
    let mut last_small = i128::MAX;
    while !rest.is_empty() {
        let digits_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
            .unwrap_or(rest.len());
        if digits_end > 0 {
            if number.is_some() {
                return None;
            }
            let (mantissa, decimals) = read_number(&rest[..digits_end])?;
            number = Some(mantissa * SCALE / 10i128.pow(decimals));
            rest = &rest[digits_end..];
            any = true;
            continue;
        }
        let unit = rest.chars().next()?;
        rest = &rest[unit.len_utf8()..];
        let small = match unit {
            '십' => Some(10),
            '백' => Some(100),
            '천' => Some(1_000),
            _ => None,
        };
        let big = match unit {
            '만' => Some(10_000),
            '억' => Some(100_000_000),
            '조' => Some(1_000_000_000_000),
            _ => None,
        };
        match (small, big) {
            (Some(unit), _) => {
                if unit >= last_small {
                    return None;
                }
                last_small = unit;
                group = group.checked_add(number.take().unwrap_or(SCALE).checked_mul(unit)?)?;
            }
            (_, Some(unit)) => {
                if unit >= last_big {
                    return None;
                }
                last_big = unit;
                last_small = i128::MAX;
                group = group.checked_add(number.take().unwrap_or(0))?;
                let group_value = if group == 0 { SCALE } else { group };
                total = total.checked_add(group_value.checked_mul(unit)?)?;
                group = 0;
            }
            _ => return None,
        }
        any = true;
    }
    if !any {
        return None;
    }
    total = total.checked_add(group)?.checked_add(number.unwrap_or(0))?;
    (total % SCALE == 0).then_some(total / SCALE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn won(input: &str) -> Result<i64, &'static str> {
        Krw::parse(input, "price").map(|k| k.0).map_err(|e| e.code)
    }

    #[test]
    fn amounts_are_read_as_people_write_them() {
        for (input, expected) in [
            ("15900", 15_900),
            ("15,900", 15_900),
            (" 15,900원 ", 15_900),
            ("₩15,900", 15_900),
            ("１５，９００", 15_900),
            ("1.5만", 15_000),
            ("1.5만원", 15_000),
            ("3천", 3_000),
            ("2만 5천", 25_000),
            ("1억 2천만원", 120_000_000),
            ("1억2,000만", 120_000_000),
            ("10억", 1_000_000_000),
            ("만원", 10_000),
            ("0", 0),
            ("15900.00", 15_900),
        ] {
            assert_eq!(won(input), Ok(expected), "{input}");
        }
    }

    #[test]
    fn what_is_not_an_amount_is_refused_by_name() {
        for (input, code) in [
            ("-500", "error-amount-negative"),
            ("abc", "error-amount-invalid"),
            ("15.5", "error-amount-invalid"),
            ("1,59,00", "error-amount-invalid"),
            ("1.2.3", "error-amount-invalid"),
            ("만만", "error-amount-invalid"),
            ("5 5", "error-amount-invalid"),
            ("1.23456만", "error-amount-invalid"),
            ("9999999999999999999999999", "error-amount-too-large"),
            ("2000조", "error-amount-too-large"),
            ("", "error-required"),
        ] {
            assert_eq!(won(input), Err(code), "{input}");
        }
        let error = Krw::parse("x", "budget.allocated").unwrap_err();
        assert_eq!(error.field, "budget.allocated");
    }

    #[test]
    fn amounts_print_grouped() {
        assert_eq!(Krw(15_900).to_string(), "15,900원");
        assert_eq!(Krw(100_000_000).to_string(), "100,000,000원");
        assert_eq!(Krw(0).to_string(), "0원");
    }

    #[test]
    fn counts_are_whole_numbers() {
        assert_eq!(parse_count("1,200", "orders"), Ok(Some(1_200)));
        assert_eq!(parse_count("  ", "orders"), Ok(None));
        assert_eq!(
            parse_count("1.5", "orders").unwrap_err().code,
            "error-count-invalid"
        );
        assert_eq!(
            parse_count("-3", "orders").unwrap_err().code,
            "error-count-negative"
        );
        assert_eq!(
            parse_count("3만", "orders").unwrap_err().code,
            "error-count-invalid"
        );
    }
}
