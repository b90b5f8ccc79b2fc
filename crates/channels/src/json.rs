//! A fast JSON string writer for the long texts of a listing (the 상세페이지 HTML, 10–20 KB per
//! product). serde_json escapes byte by byte; this scans 32 bytes at a time and copies the
//! runs that need no escape, which is most of an HTML fragment. serde_json only writes text it
//! did not escape itself as a `RawValue`, which it parses again to check; `object_led_by` writes
//! an object with the long text as its first field without that second pass.

use serde_json::value::RawValue;

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

/// The length of the prefix of `bytes` with nothing to escape. Scans 32 bytes a step with plain
/// comparisons the compiler turns into vector instructions; the 상세페이지 Gachi renders has
/// nothing to escape at all, so this is usually the whole text.
fn clean_prefix(bytes: &[u8]) -> usize {
    const STEP: usize = 32;
    let mut i = 0;
    while i + STEP <= bytes.len() {
        let chunk: &[u8; STEP] = bytes[i..i + STEP].try_into().expect("a whole step");
        if chunk.iter().fold(false, |any, &b| any | needs_escape(b)) {
            break;
        }
        i += STEP;
    }
    while i < bytes.len() && !needs_escape(bytes[i]) {
        i += 1;
    }
    i
}

/// `text` as a JSON string literal (with its quotes), ready for serde_json to write as is.
pub fn string(text: &str) -> Box<RawValue> {
    let mut out = String::with_capacity(text.len() + text.len() / 8 + 2);
    write_string(&mut out, text);
    RawValue::from_string(out).expect("an escaped string is valid JSON")
}

/// Writes `value` (which must serialize as an object with at least one field) with the field
/// `name: text` in front: `{"name":"text", …value's fields…}`. The text is escaped here and
/// written once; serde_json writes the rest, and the brace it opens becomes a space (JSON
/// allows whitespace there), so nothing is moved or parsed again.
pub fn object_led_by(
    out: &mut Vec<u8>,
    name: &str,
    text: &str,
    value: &impl serde::Serialize,
) -> serde_json::Result<()> {
    let mut lead = String::with_capacity(name.len() + text.len() + text.len() / 8 + 8);
    lead.push('{');
    write_string(&mut lead, name);
    lead.push(':');
    write_string(&mut lead, text);
    lead.push(',');
    out.extend_from_slice(lead.as_bytes());
    let brace = out.len();
    serde_json::to_writer(&mut *out, value)?;
    assert!(
        out[brace] == b'{' && out[brace + 1] != b'}',
        "object_led_by needs a non-empty object"
    );
    out[brace] = b' ';
    Ok(())
}

/// Appends `text` as a JSON string literal. Runs without escapes are copied whole; they start
/// and end at ASCII bytes, so they are whole characters.
fn write_string(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    out.push('"');
    let mut run = 0;
    loop {
        let clean = run + clean_prefix(&bytes[run..]);
        out.push_str(&text[run..clean]);
        let Some(&b) = bytes.get(clean) else { break };
        escape_into(out, b);
        run = clean + 1;
    }
    out.push('"');
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
        ]
        .into_iter()
        // An escape at every offset around the 32-byte steps.
        .chain(
            (0..70).map(|n| "a".repeat(n) + "\"" + &"비".repeat(n % 7) + "\n" + &"b".repeat(40)),
        );
        for text in samples {
            assert_eq!(
                string(&text).get(),
                serde_json::to_string(&text).unwrap(),
                "{text:?}"
            );
        }
    }
}

#[cfg(test)]
mod object_tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Inner {
        a: u8,
        b: &'static str,
    }

    #[test]
    fn the_leading_field_comes_first_and_the_object_stays_valid() {
        let mut out = b"[".to_vec();
        let text = "<p class='x'>\"따옴표\" \\ 끝</p>";
        object_led_by(&mut out, "detailContent", text, &Inner { a: 1, b: "둘" }).unwrap();
        out.push(b']');
        let parsed: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!([{ "detailContent": text, "a": 1, "b": "둘" }])
        );
        assert!(out.starts_with(b"[{\"detailContent\":"));
    }
}
