//! A fast JSON string writer for the long texts of a listing (the 상세페이지 HTML, 10–20 KB per
//! product). serde_json escapes byte by byte; this scans 32 bytes at a time and copies the
//! runs that need no escape, which is most of an HTML fragment. serde_json only writes text it
//! did not escape itself as a `RawValue`, which it parses again to check; `object_led_by` and
//! `object_then` write objects with text written here (or repeated parts written once) beside
//! the fields serde_json writes, without that second pass. `Members` writes a whole object by
//! hand where every key is known (Coupang's body, repeated for each of up to 200 items), and
//! `write_page` copies a 상세페이지 the renderer vouches for without scanning it again.

fn needs_escape(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}

fn escape_into(out: &mut Vec<u8>, b: u8) {
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        b => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        }
    }
}

/// Writes `value` (which must serialize as an object with at least one field) with the field
/// `name` in front, its value written by `lead`: `{"name":…, …value's fields…}`. serde_json
/// writes the rest, and the brace it opens becomes a space (JSON allows whitespace there), so
/// nothing is moved or parsed again.
pub fn object_led_by(
    out: &mut Vec<u8>,
    name: &str,
    lead: impl FnOnce(&mut Vec<u8>),
    value: &impl serde::Serialize,
) {
    out.push(b'{');
    write_string(out, name);
    out.push(b':');
    lead(out);
    out.push(b',');
    let brace = out.len();
    write_value(out, value);
    assert!(
        out[brace] == b'{' && out[brace + 1] != b'}',
        "object_led_by needs a non-empty object"
    );
    out[brace] = b' ';
}

/// Writes `value` (which must serialize as an object with at least one field) with more fields
/// after its own: `more` writes them as object members (`"a":…,"b":…`). serde_json's closing
/// brace becomes the comma between, so nothing is moved or parsed again.
pub fn object_then(
    out: &mut Vec<u8>,
    value: &impl serde::Serialize,
    more: impl FnOnce(&mut Vec<u8>),
) {
    let start = out.len();
    write_value(out, value);
    assert!(
        out.len() > start + 2 && out.last() == Some(&b'}'),
        "object_then needs a non-empty object"
    );
    *out.last_mut().expect("checked") = b',';
    more(out);
    out.push(b'}');
}

/// Appends `value` as serde_json writes it. Writing to a `Vec` fails only for a value serde
/// cannot represent in JSON, which the listing types are not.
pub fn write_value(out: &mut Vec<u8>, value: &impl serde::Serialize) {
    serde_json::to_writer(out, value).expect("listing types serialize to JSON");
}

/// An object written member by member, for bodies whose keys are all known: the keys are
/// constants (plain ASCII, written as they are), strings go through `write_string`. Where a
/// body repeats for every item, serde's per-field work was the cost of a compile.
pub struct Members<'o> {
    out: &'o mut Vec<u8>,
    empty: bool,
}

impl<'o> Members<'o> {
    /// Opens an object in `out`.
    pub fn open(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Members { out, empty: true }
    }

    /// Goes on with an object whose brace and first members `out` ends with: each member
    /// written here is led by its comma. Whoever opened the object closes it.
    pub fn resume(out: &'o mut Vec<u8>) -> Self {
        Members { out, empty: false }
    }

    fn key(&mut self, key: &str) -> &mut Vec<u8> {
        debug_assert!(!key.bytes().any(needs_escape), "a constant key");
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        write_string(self.key(key), value);
        self
    }

    /// A string member only when `value` is not empty.
    pub fn str_if_any(&mut self, key: &str, value: &str) -> &mut Self {
        if !value.is_empty() {
            self.str(key, value);
        }
        self
    }

    pub fn int(&mut self, key: &str, value: i64) -> &mut Self {
        write_int(self.key(key), value);
        self
    }

    pub fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        let value: &[u8] = if value { b"true" } else { b"false" };
        self.key(key).extend_from_slice(value);
        self
    }

    /// A member whose value `write` writes (an array, a nested object).
    pub fn with(&mut self, key: &str, write: impl FnOnce(&mut Vec<u8>)) -> &mut Self {
        write(self.key(key));
        self
    }

    /// Closes the object.
    pub fn close(&mut self) {
        self.out.push(b'}');
    }
}

/// Appends `text` as a JSON string literal. Runs without escapes are copied whole.
pub fn write_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    write_string_contents(out, text);
    out.push(b'"');
}

/// Appends `text` escaped for the inside of a JSON string literal, without the quotes: for a
/// string written in pieces.
pub fn write_string_contents(out: &mut Vec<u8>, text: &str) {
    gachi_domain::kernel::text::split_specials(text, needs_escape, |run, special| {
        out.extend_from_slice(run.as_bytes());
        if let Some(b) = special {
            escape_into(out, b);
        }
    });
}

/// Appends the 상세페이지 as a JSON string literal: copied as it is when the renderer says it
/// holds nothing JSON must escape (a 10–20 KB page is then not scanned again), escaped
/// otherwise.
pub fn write_page(out: &mut Vec<u8>, page: &gachi_domain::catalog::detail_page::DetailPage) {
    if page.json_plain {
        debug_assert!(
            !page.html.bytes().any(needs_escape),
            "a page said to be plain"
        );
        out.push(b'"');
        out.extend_from_slice(page.html.as_bytes());
        out.push(b'"');
    } else {
        write_string(out, &page.html);
    }
}

/// Appends a JSON array with one element per item, each written by `each`.
pub fn write_array<T>(
    out: &mut Vec<u8>,
    items: impl IntoIterator<Item = T>,
    mut each: impl FnMut(&mut Vec<u8>, T),
) {
    out.push(b'[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(out, item);
    }
    out.push(b']');
}

/// Appends `value` as a JSON number.
pub fn write_int(out: &mut Vec<u8>, value: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
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
            let mut written = Vec::new();
            write_string(&mut written, &text);
            assert_eq!(
                String::from_utf8(written).unwrap(),
                serde_json::to_string(&text).unwrap(),
                "{text:?}"
            );
        }
    }
}

#[cfg(test)]
mod object_tests {
    use super::*;

    #[test]
    fn members_write_a_valid_object() {
        let mut out = Vec::new();
        Members::open(&mut out)
            .str("name", "\"전주\" 비빔밥\n")
            .str_if_any("empty", "")
            .str_if_any("code", "A-1")
            .int("price", -15_900)
            .bool("requested", true)
            .bool("pccNeeded", false)
            .with("tags", |out| {
                out.push(b'[');
                write_string(out, "밀키트");
                out.push(b']');
            })
            .close();
        let parsed: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!({
                "name": "\"전주\" 비빔밥\n", "code": "A-1", "price": -15900,
                "requested": true, "pccNeeded": false, "tags": ["밀키트"]
            })
        );
        let mut empty = Vec::new();
        Members::open(&mut empty).close();
        assert_eq!(empty, b"{}");
    }

    #[derive(serde::Serialize)]
    struct Inner {
        a: u8,
        b: &'static str,
    }

    #[test]
    fn the_leading_field_comes_first_and_the_object_stays_valid() {
        let mut out = b"[".to_vec();
        let text = "<p class='x'>\"따옴표\" \\ 끝</p>";
        object_led_by(
            &mut out,
            "detailContent",
            |out| write_string(out, text),
            &Inner { a: 1, b: "둘" },
        );
        out.push(b']');
        let parsed: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!([{ "detailContent": text, "a": 1, "b": "둘" }])
        );
        assert!(out.starts_with(b"[{\"detailContent\":"));
    }

    #[test]
    fn more_fields_follow_the_objects_own() {
        let mut out = Vec::new();
        object_then(&mut out, &Inner { a: 2, b: "셋" }, |out| {
            out.extend_from_slice(b"\"c\":");
            write_string(out, "줄\n바꿈");
        });
        let parsed: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!({ "a": 2, "b": "셋", "c": "줄\n바꿈" })
        );
    }
}
