//! Text that comes from a person: trimmed and NFC-normalized before anything else sees it, so
//! that the same Hangul typed on two keyboards compares equal.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Trims surrounding white space and normalizes to NFC (text already in NFC, nearly all of it,
/// is only copied).
pub fn clean(input: &str) -> String {
    let input = input.trim();
    // ASCII and precomposed Hangul syllables (nearly all Korean text) are NFC as they are.
    let plainly_nfc = |c: char| c.is_ascii() || ('\u{AC00}'..='\u{D7A3}').contains(&c);
    if input.chars().all(plainly_nfc) || is_nfc_quick(input.chars()) == IsNormalized::Yes {
        input.to_owned()
    } else {
        input.nfc().collect()
    }
}

/// Length in characters (what a person counts), not bytes.
pub fn char_len(input: &str) -> usize {
    input.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_hangul_becomes_composed() {
        // "가" as a leading jamo + vowel (NFD) must equal the precomposed syllable.
        let nfd = "\u{1100}\u{1161}";
        assert_eq!(clean(&format!("  {nfd}치 ")), "가치");
        assert_eq!(char_len(&clean(nfd)), 1);
    }
}
