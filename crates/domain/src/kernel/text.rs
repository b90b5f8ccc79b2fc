//! Text that comes from a person: trimmed and NFC-normalized before anything else sees it, so
//! that the same Hangul typed on two keyboards compares equal.
//! Also the walk the HTML, JSON and XML escapers share (`split_specials`).

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
}
