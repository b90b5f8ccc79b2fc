//! A fast JSON string writer for the long texts of a listing (the 상세페이지 HTML, 10–20 KB per
//! product). serde_json escapes byte by byte; this scans eight bytes at a time and copies the
//! runs that need no escape, which is most of an HTML fragment. The result is wrapped as a
//! `RawValue` so serde_json writes it as is.

use serde_json::value::RawValue;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any byte of `word` is below 0x20, a `"` or a `\`.
#[inline]
fn needs_escape(word: u64) -> bool {
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = (word ^ (ONES * b'"' as u64)).wrapping_sub(ONES) & !(word ^ (ONES * b'"' as u64));
    let backslash =
        (word ^ (ONES * b'\\' as u64)).wrapping_sub(ONES) & !(word ^ (ONES * b'\\' as u64));
    (control | quote | backslash) & HIGHS != 0
}

fn escape_byte(out: &mut Vec<u8>, b: u8) {
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        b if b < 0x20 => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        }
        b => out.push(b),
    }
}

/// `text` as a JSON string literal (with its quotes).
pub fn string(text: &str) -> Box<RawValue> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 8 + 2);
    out.push(b'"');
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if needs_escape(word) {
            for &b in chunk {
                escape_byte(&mut out, b);
            }
        } else {
            out.extend_from_slice(chunk);
        }
    }
    for &b in chunks.remainder() {
        escape_byte(&mut out, b);
    }
    out.push(b'"');
    // Only ASCII was inserted and UTF-8 sequences were copied whole, so this is valid UTF-8
    // and a valid JSON string.
    let literal = String::from_utf8(out).expect("escaping keeps UTF-8");
    RawValue::from_string(literal).expect("an escaped string is valid JSON")
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
