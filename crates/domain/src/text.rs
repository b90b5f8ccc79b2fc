//! Text that comes from a person: trimmed and NFC-normalized before anything else sees it, so
//! that the same Hangul typed on two keyboards compares equal.

use unicode_normalization::UnicodeNormalization;

/// Trims surrounding white space and normalizes to NFC.
pub fn clean(input: &str) -> String {
    input.trim().nfc().collect()
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
