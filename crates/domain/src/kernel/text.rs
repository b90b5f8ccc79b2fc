//! Text that comes from a person: trimmed and NFC-normalized before anything else sees it, so
//! that the same Hangul typed on two keyboards compares equal.
//! Also the walk the HTML, JSON and XML escapers share (`split_specials`).
//!
//! THE rule for text a person types (or a public file brings), on top of trimming and NFC:
//!
//! - no control characters (`Cc`: NUL, ESC, DEL, the C1 set), except newline and tab in
//!   multi-line text;
//! - no bidi overrides or isolates (U+202A–U+202E, U+2066–U+2069): they reorder what is shown,
//!   so `gpj.exe` can be made to look like `exe.jpg`;
//! - no zero-width characters (U+200B–U+200D, U+2060, U+FEFF): they make two different texts
//!   look the same. The one exception is the joiner U+200D between two emoji in free text
//!   (👩‍🍳 is one picture made of three characters);
//! - a name (of a shop, a person, a product) has at least one visible letter or digit;
//! - e-mails and codes (SKUs, business numbers) are NFKC-folded as well (full-width `ＳＫＵ`
//!   becomes `SKU`, as a Korean IME types it in full-width mode) and compared without case.
//!
//! Where a person typed the text (`line`, `multi_line`, `name`, `code`), text breaking the rule
//! is refused with [`INVALID_CHARACTERS`], a field error the form shows: silently changing what
//! someone typed would hide a look-alike instead of telling them. Where a public file brings it
//! (`stripped`, used by the register and licence imports), the invisible characters are removed
//! silently: nobody can retype a row of the public register, and the characters carry nothing.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Trims surrounding white space and normalizes to NFC (text already in NFC, nearly all of it,
/// is only copied).
pub fn clean(input: &str) -> String {
    cleaned(input).into_owned()
}

/// `clean` without the copy: the trimmed input itself when it is already NFC (nearly all text
/// is), a new string only when it must change.
pub fn cleaned(input: &str) -> Cow<'_, str> {
    let input = trim(input);
    // ASCII and precomposed Hangul syllables (nearly all Korean text) are NFC as they are: the
    // quick check starts at the first other character (one that would compose with what is
    // before it, a trailing jamo or a combining accent, is a "maybe" to the check itself).
    let plainly_nfc = |c: char| c.is_ascii() || ('\u{AC00}'..='\u{D7A3}').contains(&c);
    let other = input
        .char_indices()
        .find(|&(_, c)| !plainly_nfc(c))
        .map(|(at, _)| at);
    if other.is_none_or(|at| is_nfc_quick(input[at..].chars()) == IsNormalized::Yes) {
        Cow::Borrowed(input)
    } else {
        Cow::Owned(input.nfc().collect())
    }
}

/// The field error for text breaking the rule above.
pub const INVALID_CHARACTERS: &str = "error-invalid-characters";

/// Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Zero-width characters (U+200B–U+200D, U+2060, U+FEFF).
pub fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Pictographs, and what may sit inside an emoji sequence before a joiner (the emoji variation
/// selector; skin tones are in the pictograph block).
fn is_emoji_part(c: char) -> bool {
    matches!(c,
        '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{2300}'..='\u{23FF}'
        | '\u{2B00}'..='\u{2BFF}' | '\u{FE0F}')
}

/// Whether `c`, between `previous` and `next`, breaks the rule. `multi_line` allows newline
/// and tab; `emoji` allows U+200D between two emoji.
fn forbidden(
    previous: Option<char>,
    c: char,
    next: Option<char>,
    multi_line: bool,
    emoji: bool,
) -> bool {
    if c.is_ascii() {
        c.is_ascii_control() && !(multi_line && matches!(c, '\n' | '\t' | '\r'))
    } else if c == '\u{200D}' {
        !(emoji && previous.is_some_and(is_emoji_part) && next.is_some_and(is_emoji_part))
    } else {
        c.is_control() || is_bidi_control(c) || is_zero_width(c)
    }
}

/// Where in `text` the first character the rule forbids is (byte offset), if any.
fn first_forbidden(text: &str, multi_line: bool, emoji: bool) -> Option<usize> {
    // Printable ASCII and Hangul syllables (nearly all text) are answered by a range test.
    let plain = |c: char| (' '..='~').contains(&c) || ('가'..='힣').contains(&c);
    let mut previous = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !plain(c)
            && forbidden(
                previous,
                c,
                chars.peek().map(|&(_, n)| n),
                multi_line,
                emoji,
            )
        {
            return Some(at);
        }
        previous = Some(c);
    }
    None
}

/// One line of free text (a title, a tag, an address): `cleaned`, and refused with
/// [`INVALID_CHARACTERS`] when it holds a control, bidi or zero-width character (a joiner
/// inside an emoji sequence is allowed).
pub fn line(input: &str) -> Result<Cow<'_, str>, &'static str> {
    let text = cleaned(input);
    match first_forbidden(&text, false, true) {
        None => Ok(text),
        Some(_) => Err(INVALID_CHARACTERS),
    }
}

/// Free text of several lines (a description, a story): as `line`, with newline and tab.
pub fn multi_line(input: &str) -> Result<Cow<'_, str>, &'static str> {
    let text = cleaned(input);
    match first_forbidden(&text, true, true) {
        None => Ok(text),
        Some(_) => Err(INVALID_CHARACTERS),
    }
}

/// Whether `text` shows at least one letter or digit (of any script).
pub fn has_visible_letter(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// A name (a shop's, a person's, a product's): `line`, and refused with
/// [`INVALID_CHARACTERS`] unless it shows a letter or digit. Empty input stays empty (the
/// caller says whether the field is required).
pub fn name(input: &str) -> Result<Cow<'_, str>, &'static str> {
    let text = line(input)?;
    if text.is_empty() || has_visible_letter(&text) {
        Ok(text)
    } else {
        Err(INVALID_CHARACTERS)
    }
}

/// A code or an e-mail: trimmed, NFKC-folded (full-width letters and digits become ASCII), and
/// refused with [`INVALID_CHARACTERS`] when it holds a control, bidi or zero-width character
/// (no emoji exception). Case is kept; compare codes with [`same_code`].
pub fn code(input: &str) -> Result<Cow<'_, str>, &'static str> {
    let input = trim(input);
    let text = if input.is_ascii() {
        Cow::Borrowed(input)
    } else {
        let folded: String = input.nfkc().collect();
        Cow::Owned(trim(&folded).to_owned())
    };
    match first_forbidden(&text, false, false) {
        None => Ok(text),
        Some(_) => Err(INVALID_CHARACTERS),
    }
}

/// Whether two codes (already through `code`) are the same code: case does not count.
pub fn same_code(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// For text a public file brings, which nobody can retype: `cleaned`, with every character the
/// rule forbids removed silently (newline and tab are kept when `multi_line`; a joiner inside
/// an emoji sequence is kept), and trimmed again.
pub fn stripped(input: &str, multi_line: bool) -> Cow<'_, str> {
    let text = cleaned(input);
    let Some(at) = first_forbidden(&text, multi_line, true) else {
        return text;
    };
    let mut kept = String::with_capacity(text.len());
    kept.push_str(&text[..at]);
    let mut previous = kept.chars().next_back();
    let mut chars = text[at..].chars().peekable();
    while let Some(c) = chars.next() {
        if !forbidden(previous, c, chars.peek().copied(), multi_line, true) {
            kept.push(c);
            previous = Some(c);
        }
    }
    Cow::Owned(trim(&kept).to_owned())
}

/// `str::trim` with a quick answer for text that neither starts nor ends with white space
/// (nearly all of it): the two end characters are looked at without the Unicode tables. A
/// compile trims the same option values, labels and addresses a few hundred times, and std's
/// general trim was several per cent of it.
#[inline]
fn trim(input: &str) -> &str {
    let surely_not_space =
        |c: Option<char>| c.is_some_and(|c| ('!'..='~').contains(&c) || ('가'..='힣').contains(&c));
    if surely_not_space(input.chars().next()) && surely_not_space(input.chars().next_back()) {
        input
    } else {
        input.trim()
    }
}

/// `trim` as a method: `value.trimmed()`, or `.map(str::trimmed)`.
pub trait Trimmed {
    fn trimmed(&self) -> &str;
}

impl Trimmed for str {
    #[inline]
    fn trimmed(&self) -> &str {
        trim(self)
    }
}

/// Whether `input` has more than `max` characters. No byte count beyond `max` needs counting:
/// a character is at least one byte, so most texts are answered by their length alone.
#[inline]
pub fn longer_than(input: &str, max: usize) -> bool {
    input.len() > max && char_len(input) > max
}

/// Length in characters (what a person counts), not bytes.
pub fn char_len(input: &str) -> usize {
    input.chars().count()
}

/// Walks `text` for an escaper: `emit(run, Some(b))` for each run of bytes `special` does not
/// pick followed by a byte it picks, then `emit(rest, None)`. `special` must pick only ASCII
/// bytes (so every run is whole characters) and be a cheap branch-free test of one byte — comparisons joined with `|`, which the compiler
/// turns into vector instructions: runs are found 32 bytes a step, so texts with few specials (a
/// 상세페이지, a name) cost little more than a copy.
#[inline]
pub fn split_specials<'t>(
    text: &'t str,
    special: impl Fn(u8) -> bool,
    mut emit: impl FnMut(&'t str, Option<u8>),
) {
    let bytes = text.as_bytes();
    let mut run = 0;
    loop {
        let plain = run + plain_prefix(&bytes[run..], &special);
        match bytes.get(plain) {
            Some(&b) => {
                emit(&text[run..plain], Some(b));
                run = plain + 1;
            }
            None => return emit(&text[run..], None),
        }
    }
}

/// The length of the prefix of `bytes` holding no byte `special` picks.
#[inline]
fn plain_prefix(bytes: &[u8], special: impl Fn(u8) -> bool) -> usize {
    // Fixed-length blocks, so the compiler unrolls and vectorises the tests.
    fn any<const N: usize>(block: &[u8; N], special: &impl Fn(u8) -> bool) -> bool {
        block.iter().fold(false, |any, &b| any | special(b))
    }
    let block = |at: usize| -> &[u8; 16] { bytes[at..at + 16].try_into().expect("16 bytes") };
    let mut i = 0;
    while let Some(step) = bytes.get(i..i + 32) {
        if any::<32>(step.try_into().expect("32 bytes"), &special) {
            break;
        }
        i += 32;
    }
    // Most texts are short (a label, a name): a tail of 16 to 32 bytes with no special in it is
    // settled by two overlapping 16-byte tests read straight from the text, not byte by byte.
    let rest = bytes.len() - i;
    if (16..=32).contains(&rest)
        && !any(block(i), &special)
        && !any(block(bytes.len() - 16), &special)
    {
        return bytes.len();
    }
    while i < bytes.len() && !special(bytes[i]) {
        i += 1;
    }
    i
}

/// An absolute `http(s)://` address without spaces (marketplaces download images from it).
pub fn is_web_url(url: &str) -> bool {
    let url = url.trimmed();
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.bytes().any(|b| b <= b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed_and_only_changed_text_is_copied() {
        assert!(matches!(
            cleaned("  전주 비빔밥 \n"),
            Cow::Borrowed("전주 비빔밥")
        ));
        assert!(matches!(cleaned("Café"), Cow::Borrowed("Café")));
        // Hangul typed as jamo (NFD, as macOS file names and some keyboards give it).
        let decomposed = "\u{1100}\u{1161}\u{11BC} 밀키트";
        match cleaned(decomposed) {
            Cow::Owned(text) => assert_eq!(text, "강 밀키트"),
            Cow::Borrowed(text) => panic!("NFD text left as it was: {text:?}"),
        }
        assert_eq!(clean(decomposed), "강 밀키트");
        // What composes with a plain character before it is still found.
        assert_eq!(cleaned("맛있는 가\u{11A8}"), "맛있는 각");
        assert_eq!(cleaned("Cafe\u{301} 라떼"), "Café 라떼");
        assert!(matches!(cleaned("전주 — 비빔밥 ｢국산｣"), Cow::Borrowed(_)));
    }

    #[test]
    fn longer_than_counts_characters_not_bytes() {
        assert!(!longer_than("가나다", 3));
        assert!(longer_than("가나다라", 3));
        assert!(!longer_than("abc", 3));
        assert!(longer_than("abcd", 3));
        assert!(!longer_than("", 0));
    }

    #[test]
    fn the_quick_trim_trims_as_std_does() {
        let spaces = [
            " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{a0}", "\u{1680}", "\u{2000}",
            "\u{200a}", "\u{2028}", "\u{2029}", "\u{202f}", "\u{205f}", "\u{3000}",
        ];
        let cores = [
            "",
            "a",
            "가",
            "순한맛",
            "a b",
            "가 나",
            "~",
            "!",
            "ÿ",
            "漢",
            "\u{1f600}",
            "\u{1c}",
        ];
        for core in cores {
            assert_eq!(trim(core), core.trim(), "{core:?}");
            for space in spaces {
                for text in [
                    format!("{space}{core}"),
                    format!("{core}{space}"),
                    format!("{space}{core}{space}"),
                ] {
                    assert_eq!(trim(&text), text.trim(), "{text:?}");
                    assert_eq!(text.as_str().trimmed(), text.trim(), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn every_length_and_every_special_position_is_found() {
        let special = |b: u8| (b == b'<') | (b < 0x20);
        for len in 0..=80 {
            let plain = vec![b'a'; len];
            assert_eq!(plain_prefix(&plain, special), len, "no special in {len}");
            for at in 0..len {
                for mark in [b'<', b'\n'] {
                    // The only special in the text, so each block of the scan must find it.
                    let mut text = plain.clone();
                    text[at] = mark;
                    assert_eq!(
                        plain_prefix(&text, special),
                        at,
                        "{len} bytes, special at {at}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_plain_prefix_ends_at_the_first_special_byte() {
        for n in 0..100 {
            let text = "가".repeat(n / 3) + &"a".repeat(n) + "<" + &"b".repeat(n % 40) + ">";
            let expected = text.find('<').unwrap();
            assert_eq!(
                plain_prefix(text.as_bytes(), |b| b == b'<' || b == b'>'),
                expected
            );
            assert_eq!(
                plain_prefix(&text.as_bytes()[..expected], |b| b == b'<'),
                expected
            );
            let mut pieces = Vec::new();
            split_specials(
                &text,
                |b| b == b'<' || b == b'>',
                |run, b| pieces.push((run, b)),
            );
            assert_eq!(
                pieces,
                [
                    (&text[..expected], Some(b'<')),
                    (&text[expected + 1..text.len() - 1], Some(b'>')),
                    ("", None)
                ]
            );
        }
        assert_eq!(plain_prefix(b"", |_| true), 0);
    }

    #[test]
    fn decomposed_hangul_becomes_composed() {
        // "가" as a leading jamo + vowel (NFD) must equal the precomposed syllable.
        let nfd = "\u{1100}\u{1161}";
        assert_eq!(clean(&format!("  {nfd}치 ")), "가치");
        assert_eq!(char_len(&clean(nfd)), 1);
    }

    /// Hostile inputs: control and bidi characters, oversized fields.
    #[test]
    fn hostile_inputs_are_refused_or_stripped() {
        // Zero-width space beside a plain name or code.
        assert_eq!(line("전주\u{200B}비빔밥"), Err(INVALID_CHARACTERS));
        assert_eq!(code("SKU-m1\u{200b}"), Err(INVALID_CHARACTERS));
        assert_eq!(code("a\u{200b}@example.com"), Err(INVALID_CHARACTERS));
        // A name of zero-width characters only.
        assert_eq!(
            name("\u{200B}\u{200C}\u{2060}\u{FEFF}"),
            Err(INVALID_CHARACTERS)
        );
        // Right-to-left override, and the isolates.
        assert_eq!(line("invoice\u{202E}fdp.exe"), Err(INVALID_CHARACTERS));
        for c in ['\u{202A}', '\u{202D}', '\u{2066}', '\u{2069}'] {
            assert_eq!(multi_line(&format!("a{c}b")), Err(INVALID_CHARACTERS));
        }
        // NUL and other controls; newline and tab only in multi-line text.
        assert_eq!(name("김치\0찌개"), Err(INVALID_CHARACTERS));
        assert_eq!(line("a\u{1b}[31mb"), Err(INVALID_CHARACTERS));
        assert_eq!(line("a\u{85}b"), Err(INVALID_CHARACTERS));
        assert_eq!(line("첫 줄\n둘째 줄"), Err(INVALID_CHARACTERS));
        assert_eq!(
            multi_line("첫 줄\n\t둘째 줄").as_deref(),
            Ok("첫 줄\n\t둘째 줄")
        );
        assert_eq!(multi_line("a\0b"), Err(INVALID_CHARACTERS));
        // Full-width codes fold to the plain one; case is not counted.
        assert_eq!(code("ＳＫＵ-m1").as_deref(), Ok("SKU-m1"));
        assert!(same_code(&code("ＳＫＵ-m1").unwrap(), "sku-M1"));
        assert!(!same_code("SKU-m1", "SKU-m2"));
        assert!(matches!(code(" SKU-m1 "), Ok(Cow::Borrowed("SKU-m1"))));
        // A name needs a visible letter or digit.
        assert_eq!(name("- . -"), Err(INVALID_CHARACTERS));
        assert_eq!(name("7번가").as_deref(), Ok("7번가"));
        assert_eq!(name("   ").as_deref(), Ok(""));
        // Public files: the invisible characters are removed.
        assert_eq!(
            stripped("오미당\u{200B}꽈배기\u{202E}", false),
            "오미당꽈배기"
        );
        assert_eq!(stripped("\u{FEFF} 가게 \0", false), "가게");
        assert_eq!(stripped("\u{200B}\u{200B}", false), "");
        assert!(matches!(stripped("오미당꽈배기", false), Cow::Borrowed(_)));
    }

    #[test]
    fn a_joiner_is_allowed_only_inside_an_emoji_sequence() {
        let cook = "\u{1F469}\u{200D}\u{1F373}"; // 👩‍🍳
        assert_eq!(
            line(&format!("요리 {cook}")).as_deref(),
            Ok(&*format!("요리 {cook}"))
        );
        let heart_on_fire = "\u{2764}\u{FE0F}\u{200D}\u{1F525}"; // ❤️‍🔥
        assert!(multi_line(heart_on_fire).is_ok());
        assert_eq!(line("가\u{200D}나"), Err(INVALID_CHARACTERS));
        assert_eq!(line("\u{1F469}\u{200D}"), Err(INVALID_CHARACTERS));
        // Codes allow no emoji at all, so no joiner either.
        assert_eq!(code(cook), Err(INVALID_CHARACTERS));
        assert_eq!(
            stripped(&format!("{cook}\u{200D}가"), false),
            cook.to_owned() + "가"
        );
    }

    #[test]
    fn ordinary_text_passes_the_rule_unchanged() {
        for text in [
            "전주 비빔밥",
            "Café 라떼",
            "전주 — 비빔밥 ｢국산｣",
            "漢字 かな",
            "ab-12_3",
        ] {
            assert_eq!(line(text).as_deref(), Ok(text));
            assert_eq!(name(text).as_deref(), Ok(text));
            assert_eq!(stripped(text, false), text);
        }
    }
}
