//! A fast JSON string writer for the long texts of a listing (the 상세페이지 HTML, 10–20 KB per
//! product). serde_json escapes byte by byte; this scans eight bytes at a time and copies the
//! runs that need no escape, which is most of an HTML fragment. The result is wrapped as a
//! `RawValue` so serde_json writes it as is.

use serde_json::value::RawValue;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// A mask with the high bit set in each byte of `word` that is below 0x20, a `"` or a `\`.
/// (Borrows can mark a byte above a flagged one too, never below: the lowest mark is exact.)
#[inline]
fn escape_mask(word: u64) -> u64 {
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = word ^ (ONES * b'"' as u64);
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = word ^ (ONES * b'\\' as u64);
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control | quote | backslash) & HIGHS
}

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

fn escape_into(out: &mut String, b: u8) {
    match b {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        b => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        }
    }
}

/// `text` as a JSON string literal (with its quotes). Runs without escapes are copied whole;
/// they start and end at ASCII bytes, so they are whole characters.
pub fn string(text: &str) -> Box<RawValue> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8 + 2);
    out.push('"');
    let mut run = 0;
    let mut i = 0;
    while i + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("eight bytes"));
        let mask = escape_mask(word);
        if mask == 0 {
            i += 8;
            continue;
        }
        let at = i + (mask.trailing_zeros() / 8) as usize;
        out.push_str(&text[run..at]);
        escape_into(&mut out, bytes[at]);
        run = at + 1;
        i = at + 1;
    }
    while i < bytes.len() {
        if needs_escape(bytes[i]) {
            out.push_str(&text[run..i]);
            escape_into(&mut out, bytes[i]);
            run = i + 1;
        }
        i += 1;
    }
    out.push_str(&text[run..]);
    out.push('"');
    RawValue::from_string(out).expect("an escaped string is valid JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_serde_json_on_every_kind_of_character() {
        let samples = [
            String::new(),
            "<div style=\"color:#fff\">전주 \"비빔밥\" \\ 밀키트</div>".to_owned(),
            "tab\there\nline\r\u{1}\u{1f}끝".to_owned(),
            "가".repeat(37) + "\"",
            (0u8..128).map(char::from).collect(),
        ];
        for text in samples {
            assert_eq!(
                string(&text).get(),
                serde_json::to_string(&text).unwrap(),
                "{text:?}"
            );
        }
    }
}
