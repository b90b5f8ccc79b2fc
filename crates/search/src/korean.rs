//! Korean text analysis for tantivy, without a dictionary: the document-side tokenizer and the
//! query-side word queries that go with it. Written for the MD product pool, reusable for any
//! Korean index (e.g. community Q&A): register [`KoreanTokenizer`] under [`TOKENIZER_NAME`] on a
//! text field indexed with positions, split query texts with [`query_words`] and search each
//! word with [`word_query`] (all words `Must`).
//!
//! Korean has no reliable word boundaries in product names (`전주비빔밥` and `전주 비빔밥` are the
//! same thing), and a morphological dictionary would have to be downloaded (no network). So a text is
//! normalized (NFC, lower case, full-width ASCII folded), its whitespace is removed, and it is
//! indexed as overlapping character n-grams **with their character positions**. Because the
//! positions are kept (tantivy's `NgramTokenizer` puts every gram at position 0), a query word
//! becomes a phrase of its bigrams: the phrase matches exactly where the word occurs as a
//! substring of the text, spaces ignored. A search is therefore a superset of SQL
//! `LIKE '%word%'`, which is what people expect from a shop search box.
//!
//! Each character position `i` of the de-spaced text `c₀c₁…` emits, all in one field:
//!
//! | kind | term | why |
//! |---|---|---|
//! | unigram | `u`+cᵢ | a one-character query (`배`, `꿀`) |
//! | bigram | `b`+cᵢcᵢ₊₁ | the phrase a word is searched as |
//! | skip bigram | `s`+cᵢcᵢ₊₂ (Hangul only) | a misspelt middle syllable (`막걸이` → `쌀막걸리`) |
//! | initial | `i`+초성(cᵢ) | a one-consonant 초성 query |
//! | initial bigram | `j`+초성(cᵢ)초성(cᵢ₊₁) | 초성 search: `ㅁㄱㄹ` finds `쌀막걸리` |
//!
//! The one-letter kind prefix keeps the kinds apart in the term dictionary. The 초성 kinds are
//! optional ([`KoreanTokenizer::without_initials`]) for fields nobody searches by 초성.
//!
//! On the query side ([`query_words`]) a text is split on whitespace into words that must all
//! match, in any order. A trailing particle (조사) is stripped from a Hangul word when two
//! syllables remain (`쌀막걸리를` → `쌀막걸리`): stripping a suffix only ever widens the match,
//! so the superset-of-LIKE property holds. A word of 3 to [`MAX_TYPO_SYLLABLES`] syllables that
//! had no particle also matches with one syllable substituted: for each position `k` the phrase keeps every bigram
//! that does not touch `k` (at its offset) and bridges `k` with the skip bigram
//! `cₖ₋₁cₖ₊₁`. Scores are tiers, not BM25 ([`word_query`]): an exact match scores
//! [`EXACT_BONUS`] plus the field's boost, a typo match a fraction of the boost, so exact matches
//! always rank above typo matches.

use tantivy::query::{ConstScoreQuery, DisjunctionMaxQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

/// The name [`KoreanTokenizer::with_initials`] is registered under in an index's tokenizer
/// manager.
pub const TOKENIZER_NAME: &str = "gachi_korean";

/// The name [`KoreanTokenizer::without_initials`] is registered under: for fields whose 초성
/// nobody searches (region and industry names), which keeps the index smaller and 초성 queries
/// fast (`ㄱㅇ` would otherwise match every 강원 product).
pub const TOKENIZER_NAME_NO_INITIALS: &str = "gachi_korean_no_initials";

/// Typo matching (one substituted syllable) applies to words of 3 up to this many syllables;
/// longer words are matched exactly only, which bounds the work of a pasted paragraph.
pub const MAX_TYPO_SYLLABLES: usize = 12;

/// Score of a query word that matches exactly (not through a typo), above any typo match, so a
/// document with more exact words always ranks above one with fewer.
pub const EXACT_BONUS: f32 = 100.0;

const UNIGRAM: char = 'u';
const BIGRAM: char = 'b';
const SKIP_BIGRAM: char = 's';
const INITIAL: char = 'i';
const INITIAL_BIGRAM: char = 'j';

/// Particles (조사) stripped from the end of a query word, longest first.
pub const PARTICLES: [&str; 26] = [
    "에서", "으로", "까지", "부터", "이나", "이랑", "에게", "한테", "처럼", "보다", "을", "를",
    "이", "가", "은", "는", "의", "에", "로", "와", "과", "도", "만", "나", "랑", "께",
];

/// The 19 initial consonants (초성) as compatibility jamo, in Unicode syllable order.
const INITIALS: [char; 19] = [
    'ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ',
    'ㅌ', 'ㅍ', 'ㅎ',
];

/// A precomposed Hangul syllable (가–힣)?
pub fn is_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// One of the 19 initial consonants as a compatibility jamo (ㄱ, ㄲ, … ㅎ)?
pub fn is_initial_consonant(c: char) -> bool {
    INITIALS.contains(&c)
}

/// The initial consonant (초성) of a syllable as a compatibility jamo (`막` → `ㅁ`); a compatibility
/// initial consonant stands for itself; anything else has none.
pub fn initial_of(c: char) -> Option<char> {
    if is_syllable(c) {
        let index = (c as u32 - 0xAC00) / (21 * 28);
        Some(INITIALS[index as usize])
    } else if is_initial_consonant(c) {
        Some(c)
    } else {
        None
    }
}

/// NFC, full-width ASCII folded to ASCII (`ＡＢＣ１` → `abc1`), lower case.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfc() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        };
        if c.is_uppercase() {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that are not content: whitespace, control characters and invisible format
/// characters. They are dropped from documents and queries alike, which keeps a query's
/// characters a substring of a document's whenever the raw texts were.
fn is_ignored(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        )
}

/// The normalized characters of `text` without whitespace (the unit the n-grams are cut from).
pub fn content_chars(text: &str) -> Vec<char> {
    normalize(text)
        .chars()
        .filter(|&c| !is_ignored(c))
        .collect()
}

fn term_text(kind: char, chars: &[char]) -> String {
    let mut s = String::with_capacity(1 + chars.len() * 3);
    s.push(kind);
    s.extend(chars);
    s
}

/// The document-side tokenizer: see the module docs for the tokens it emits.
#[derive(Clone)]
pub struct KoreanTokenizer {
    initials: bool,
    tokens: Vec<Token>,
}

impl KoreanTokenizer {
    /// Every kind of token, 초성 included.
    pub fn with_initials() -> KoreanTokenizer {
        KoreanTokenizer {
            initials: true,
            tokens: Vec::new(),
        }
    }

    /// Every kind of token but the 초성 ones.
    pub fn without_initials() -> KoreanTokenizer {
        KoreanTokenizer {
            initials: false,
            tokens: Vec::new(),
        }
    }
}

/// The tokens of one text, in position order.
pub struct KoreanTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for KoreanTokenizer {
    type TokenStream<'a> = KoreanTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KoreanTokenStream<'a> {
        self.tokens.clear();
        let chars = content_chars(text);
        // Offsets point into the normalized text (nothing here highlights hits).
        let tokens = &mut self.tokens;
        let mut push = |position: usize, text: String| {
            tokens.push(Token {
                offset_from: 0,
                offset_to: 0,
                position,
                text,
                position_length: 1,
            });
        };
        for (i, &c) in chars.iter().enumerate() {
            push(i, term_text(UNIGRAM, &[c]));
            if let Some(&next) = chars.get(i + 1) {
                push(i, term_text(BIGRAM, &[c, next]));
            }
            if let Some(&after) = chars.get(i + 2)
                && is_syllable(c)
                && is_syllable(after)
            {
                push(i, term_text(SKIP_BIGRAM, &[c, after]));
            }
            if !self.initials {
                continue;
            }
            if let Some(initial) = initial_of(c) {
                push(i, term_text(INITIAL, &[initial]));
                if let Some(next) = chars.get(i + 1).copied().and_then(initial_of) {
                    push(i, term_text(INITIAL_BIGRAM, &[initial, next]));
                }
            }
        }
        KoreanTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for KoreanTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// One word of a query, analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryWord {
    /// Initial consonants only (`ㅁㄱㄹ`): searched among the 초성 of the text.
    Initials(Vec<char>),
    /// Any other word: `full` as typed (normalized), `stem` without a trailing particle (the
    /// same as `full` when there was none).
    Text { full: Vec<char>, stem: Vec<char> },
}

/// `word` without its trailing particle, when it is all Hangul and two syllables remain.
pub fn strip_particle(word: &[char]) -> &[char] {
    if !word.iter().all(|&c| is_syllable(c)) {
        return word;
    }
    for particle in PARTICLES {
        let p: Vec<char> = particle.chars().collect();
        if word.len() >= p.len() + 2 && word.ends_with(&p) {
            return &word[..word.len() - p.len()];
        }
    }
    word
}

/// The words of a query text (split on whitespace, normalized, empty ones dropped).
pub fn query_words(text: &str) -> Vec<QueryWord> {
    normalize(text)
        .split(|c: char| c.is_whitespace())
        .filter_map(|raw| {
            let chars: Vec<char> = raw.chars().filter(|&c| !is_ignored(c)).collect();
            if chars.is_empty() {
                None
            } else if chars.iter().all(|&c| is_initial_consonant(c)) {
                Some(QueryWord::Initials(chars))
            } else {
                let stem = strip_particle(&chars).to_vec();
                Some(QueryWord::Text { full: chars, stem })
            }
        })
        .collect()
}

fn term(field: Field, kind: char, chars: &[char]) -> Term {
    Term::from_field_text(field, &term_text(kind, chars))
}

/// A query that all `(offset, term)` pairs match at those relative positions.
fn positioned(terms: Vec<(usize, Term)>) -> Box<dyn Query> {
    if terms.len() == 1 {
        let (_, term) = terms.into_iter().next().expect("one term");
        Box::new(TermQuery::new(term, IndexRecordOption::Basic))
    } else {
        Box::new(PhraseQuery::new_with_offset(terms))
    }
}

/// The offsets of the bigrams that cover `len` chars: every other one, and the last. Bigrams at
/// fixed relative positions that cover every char match exactly where all the overlapping ones
/// would, with about half the terms to intersect (a long word such as `상품정보제공고시` is four
/// terms, not seven).
fn covering_bigrams(len: usize) -> impl Iterator<Item = usize> {
    let last = len.saturating_sub(2);
    (0..last)
        .step_by(2)
        .chain(std::iter::once(last))
        .filter(move |_| len >= 2)
}

/// The chars occur contiguously (spaces in the text ignored).
fn contiguous(field: Field, chars: &[char]) -> Box<dyn Query> {
    if chars.len() == 1 {
        positioned(vec![(0, term(field, UNIGRAM, chars))])
    } else {
        positioned(
            covering_bigrams(chars.len())
                .map(|i| (i, term(field, BIGRAM, &chars[i..i + 2])))
                .collect(),
        )
    }
}

/// The initial consonants occur contiguously among the text's 초성.
fn initials(field: Field, chars: &[char]) -> Box<dyn Query> {
    if chars.len() == 1 {
        positioned(vec![(0, term(field, INITIAL, chars))])
    } else {
        positioned(
            covering_bigrams(chars.len())
                .map(|i| (i, term(field, INITIAL_BIGRAM, &chars[i..i + 2])))
                .collect(),
        )
    }
}

/// The chars occur contiguously with the one at `k` replaced by any character: the bigrams
/// that do not touch `k`, plus the skip bigram over `k` when `k` is inside the word.
fn with_substitution(field: Field, chars: &[char], k: usize) -> Box<dyn Query> {
    let mut terms: Vec<(usize, Term)> = chars
        .windows(2)
        .enumerate()
        .filter(|&(i, _)| i + 1 != k && i != k)
        .map(|(i, w)| (i, term(field, BIGRAM, w)))
        .collect();
    if k > 0 && k + 1 < chars.len() {
        terms.push((
            k - 1,
            term(field, SKIP_BIGRAM, &[chars[k - 1], chars[k + 1]]),
        ));
    }
    positioned(terms)
}

/// Whether a word gets typo variants: all Hangul, 3 to [`MAX_TYPO_SYLLABLES`] syllables.
pub fn allows_typo(chars: &[char]) -> bool {
    (3..=MAX_TYPO_SYLLABLES).contains(&chars.len()) && chars.iter().all(|&c| is_syllable(c))
}

/// The query for one word over several fields, each with its boost: it matches a document when
/// the word matches in any field, and scores the best way it matches (each phrase is evaluated
/// once, without BM25: for short product texts the tiers below rank better than term
/// statistics, and ties go to the caller's tie-break, e.g. newest first):
///
/// - the word as typed, particle included, in a field: `EXACT_BONUS + 10 + boost`;
/// - the word (without particle, 초성 words too) in a field: `EXACT_BONUS + boost`;
/// - the word with one syllable substituted, in a field: `boost / 4`.
///
/// Every tier of exact matches is above every typo match, so with one such query per word
/// (all `Must`), a document with more exactly matched words always ranks first.
pub fn word_query(fields: &[(Field, f32)], word: &QueryWord, typos: bool) -> Box<dyn Query> {
    let mut ways: Vec<Box<dyn Query>> = Vec::new();
    let scored = |query: Box<dyn Query>, score: f32| -> Box<dyn Query> {
        Box::new(ConstScoreQuery::new(query, score))
    };
    for &(field, boost) in fields {
        match word {
            QueryWord::Initials(chars) => {
                ways.push(scored(initials(field, chars), EXACT_BONUS + boost));
            }
            QueryWord::Text { full, stem } => {
                ways.push(scored(contiguous(field, stem), EXACT_BONUS + boost));
                if full != stem {
                    ways.push(scored(contiguous(field, full), EXACT_BONUS + 10.0 + boost));
                }
                // One relaxation per word: a word that lost a particle is not also misspelt
                // (else `초당명가` → `초당명` → `초당?` would find every 초당).
                if typos && full == stem && allows_typo(stem) {
                    for k in 0..stem.len() {
                        ways.push(scored(with_substitution(field, stem, k), boost * 0.25));
                    }
                }
            }
        }
    }
    Box::new(DisjunctionMaxQuery::new(ways))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(usize, String)> {
        let mut tokenizer = KoreanTokenizer::with_initials();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.position, t.text.clone()));
        }
        out
    }

    #[test]
    fn normalization_folds_full_width_and_case_and_composes_jamo() {
        assert_eq!(normalize("ＨＡＣＣＰ　인증"), "haccp 인증");
        // 막 as conjoining jamo (decomposed) composes to the syllable.
        assert_eq!(normalize("\u{1106}\u{1161}\u{11A8}"), "막");
    }

    #[test]
    fn bigrams_keep_positions_across_removed_spaces() {
        let t = tokens("전주 비빔밥");
        assert!(t.contains(&(1, "b주비".to_owned())));
        assert!(t.contains(&(4, "u밥".to_owned())));
        assert!(t.contains(&(2, "s비밥".to_owned())));
        assert!(t.contains(&(0, "jㅈㅈ".to_owned())));
        let positions: Vec<usize> = t.iter().map(|(p, _)| *p).collect();
        assert!(positions.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn covering_bigrams_cover_every_char_once_or_twice() {
        let offsets = |n: usize| covering_bigrams(n).collect::<Vec<_>>();
        assert_eq!(offsets(0), Vec::<usize>::new());
        assert_eq!(offsets(1), Vec::<usize>::new());
        assert_eq!(offsets(2), vec![0]);
        assert_eq!(offsets(3), vec![0, 1]);
        assert_eq!(offsets(4), vec![0, 2]);
        assert_eq!(offsets(5), vec![0, 2, 3]);
        assert_eq!(offsets(8), vec![0, 2, 4, 6]);
        for n in 2..40 {
            let covered: std::collections::BTreeSet<usize> =
                covering_bigrams(n).flat_map(|i| [i, i + 1]).collect();
            assert_eq!(covered, (0..n).collect(), "{n} chars");
        }
    }

    #[test]
    fn initial_consonants_come_from_syllables() {
        let initials: String = "쌀막걸리".chars().filter_map(initial_of).collect();
        assert_eq!(initials, "ㅆㅁㄱㄹ");
        assert_eq!(initial_of('a'), None);
        assert_eq!(initial_of('ㅎ'), Some('ㅎ'));
    }

    #[test]
    fn particles_are_stripped_only_when_two_syllables_remain() {
        let strip = |w: &str| {
            strip_particle(&w.chars().collect::<Vec<_>>())
                .iter()
                .collect::<String>()
        };
        assert_eq!(strip("쌀막걸리를"), "쌀막걸리");
        assert_eq!(strip("비빔밥을"), "비빔밥");
        assert_eq!(strip("서울에서"), "서울");
        assert_eq!(strip("한과"), "한과");
        assert_eq!(strip("오이"), "오이");
        assert_eq!(strip("750ml를"), "750ml를");
    }

    #[test]
    fn query_words_split_on_whitespace_and_recognise_initials() {
        let words = query_words("  ㅈㅈ   비빔밥을\u{0}  ");
        assert_eq!(
            words,
            vec![
                QueryWord::Initials(vec!['ㅈ', 'ㅈ']),
                QueryWord::Text {
                    full: "비빔밥을".chars().collect(),
                    stem: "비빔밥".chars().collect()
                }
            ]
        );
        assert!(query_words(" \u{7}\t ").is_empty());
    }
}
