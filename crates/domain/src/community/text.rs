//! What a post's text becomes before anyone sees it: personal data masked (phone numbers,
//! 사업자등록번호, e-mail addresses — a merchant asking in public should not publish them by
//! accident), and Markdown rendered to HTML that cannot carry script (no script, style, iframe,
//! form or event handler survives; links only to http(s), marked `nofollow ugc`).

use crate::catalog::media;
use std::collections::HashSet;

/// Personal data found in a text, masked in place; `found` says whether anything was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    pub text: String,
    pub found: bool,
}

/// Masks phone numbers (mobile `010-1234-5678`, `01012345678`, `010 1234 5678`; landlines
/// `02-123-4567`, `063-123-4567`; `1588-1234`-style numbers are business lines and kept),
/// 사업자등록번호 (`123-45-67890`) and e-mail addresses. Digits become `＊` (a full-width asterisk,
/// which Markdown leaves alone) except the first group, so the reader sees a number was there.
pub fn mask_personal_data(input: &str) -> Masked {
    let chars: Vec<char> = input.chars().collect();
    let mut out = String::with_capacity(input.len());
    let mut found = false;
    let mut i = 0;
    while i < chars.len() {
        let starts_token = i == 0 || !is_word(chars[i - 1]);
        if starts_token
            && chars[i].is_ascii_digit()
            && let Some(end) = personal_number_end(&chars, i)
        {
            found = true;
            mask_number(&chars[i..end], &mut out);
            i = end;
            continue;
        }
        if starts_token
            && is_email_local(chars[i])
            && let Some(end) = email_end(&chars, i)
        {
            found = true;
            let at = (i..end).find(|&k| chars[k] == '@').unwrap_or(i);
            out.push(chars[i]);
            out.extend(std::iter::repeat_n(MASK, at - i - 1));
            out.extend(&chars[at..end]);
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    Masked { text: out, found }
}

/// Characters that glue a number into a code (`HOLDER-010…`, `A01012345678`). Korean letters do
/// not: particles attach to numbers (`01012345678로`).
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '-')
}

/// Digit groups from `start`, joined by one `-`, `.` or space: the end of the match when they
/// form a phone number or a business registration number, else `None`.
fn personal_number_end(chars: &[char], start: usize) -> Option<usize> {
    let mut groups: Vec<usize> = Vec::with_capacity(3);
    let mut i = start;
    let mut end = start;
    loop {
        let from = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i == from {
            break;
        }
        groups.push(i - from);
        end = i;
        if groups.len() == 3 {
            break;
        }
        if i + 1 < chars.len()
            && matches!(chars[i], '-' | '.' | ' ')
            && chars[i + 1].is_ascii_digit()
        {
            i += 1;
        } else {
            break;
        }
    }
    // A number glued to letters or more digits is something else (a product code).
    if end < chars.len() && (chars[end].is_ascii_alphanumeric() || chars[end] == '_') {
        return None;
    }
    let first: String = chars[start..start + groups[0]].iter().collect();
    let mobile =
        |g: &str| g.len() == 3 && matches!(g, "010" | "011" | "016" | "017" | "018" | "019");
    let personal = match groups.as_slice() {
        // 01012345678
        [11] => mobile(&first[..3]),
        // 010-1234-5678, 02-123-4567, 063-123-4567
        [a, b, 4] if (2..=3).contains(a) && (3..=4).contains(b) => {
            first.starts_with('0') && (mobile(&first) || *a == 2 && first == "02" || *a == 3)
        }
        // 123-45-67890 (사업자등록번호)
        [3, 2, 5] => true,
        _ => false,
    };
    if !personal {
        return None;
    }
    // Cut the match at the last digit of the third group (or the one group).
    let mut digits_seen = 0;
    let total: usize = groups.iter().sum();
    let mut k = start;
    while k < chars.len() && digits_seen < total {
        if chars[k].is_ascii_digit() {
            digits_seen += 1;
        }
        k += 1;
    }
    Some(k)
}

fn mask_number(number: &[char], out: &mut String) {
    let first_group = number
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(3.min(number.len()));
    for (k, c) in number.iter().enumerate() {
        if k < first_group || !c.is_ascii_digit() {
            out.push(*c);
        } else {
            out.push(MASK);
        }
    }
}

/// What a masked character shows as.
pub const MASK: char = '＊';

fn is_email_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn email_end(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start;
    while i < chars.len() && is_email_local(chars[i]) {
        i += 1;
    }
    if i == start || i >= chars.len() || chars[i] != '@' {
        return None;
    }
    i += 1;
    let domain = i;
    let mut dot = false;
    while i < chars.len() && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '.' | '-')) {
        dot |= chars[i] == '.' && i > domain;
        i += 1;
    }
    while i > domain && chars[i - 1] == '.' {
        i -= 1;
    }
    (dot && i > domain + 2).then_some(i)
}

/// Who `text` names with `@`: for each `@` at the start of a word, the longest of `names` the
/// words after it begin with (spaces in names and text ignored, so `@한옥 식당님` and
/// `@한옥식당` both name 한옥식당; a particle or 님 after the name is fine). Each name once, in
/// the order `names` gives them.
pub fn mentioned<'a>(text: &str, names: &[&'a str]) -> Vec<&'a str> {
    let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let squeezed: Vec<(String, &'a str)> = names
        .iter()
        .map(|n| (squeeze(n), *n))
        .filter(|(s, _)| s.chars().count() >= 2)
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let mut found: Vec<&'a str> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let word_start = i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(';
        let named = chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
        if c != '@' || !word_start || !named {
            continue;
        }
        // The next few words, squeezed (a name is at most 40 characters).
        let after: String = chars[i + 1..]
            .iter()
            .take_while(|c| **c != '\n')
            .take(60)
            .filter(|c| !c.is_whitespace())
            .collect();
        if let Some((_, name)) = squeezed
            .iter()
            .filter(|(s, _)| after.starts_with(s.as_str()))
            .max_by_key(|(s, _)| s.len())
            && !found.contains(name)
        {
            found.push(name);
        }
    }
    names
        .iter()
        .copied()
        .filter(|n| found.contains(n))
        .collect()
}

/// Markdown whose links show as plain text (for accounts not yet trusted with links): every
/// `[` and `<` is escaped, so `[글](https://…)` and `<https://…>` read as typed.
pub fn unlinked(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 8);
    for c in markdown.chars() {
        if matches!(c, '[' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A post's Markdown as safe HTML: CommonMark with tables and strikethrough, then sanitized so
/// only text formatting, lists, quotes, code, tables, http(s) links and photos Gachi stores
/// (`/media/…`, uploaded with the post) remain. Any other image — a hot link, a tracking pixel —
/// is dropped whole.
pub fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    let tags: HashSet<&str> = [
        "p",
        "br",
        "strong",
        "em",
        "del",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "h3",
        "h4",
        "hr",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "img",
    ]
    .into_iter()
    .collect();
    let clean = ammonia::Builder::empty()
        .tags(tags)
        .add_tag_attributes("a", ["href"])
        .add_tag_attributes("img", ["src", "alt"])
        .set_tag_attribute_value("img", "loading", "lazy")
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" {
                // Only our stored photos, by their path (never another host's address).
                media::stored_path(value)
                    .filter(|path| path == value)
                    .map(std::borrow::Cow::Owned)
            } else {
                Some(std::borrow::Cow::Borrowed(value))
            }
        })
        .url_schemes(["http", "https"].into_iter().collect())
        .link_rel(Some("nofollow ugc noopener noreferrer"))
        .clean(&raw)
        .to_string();
    defanged(&without_bare_images(&clean), "&#58;", "&#61;")
}

/// Sanitized HTML without the `<img>` elements whose address was refused (left without `src`).
fn without_bare_images(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<img") {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[at..at + end + 1];
        if tag.contains(" src=\"/media/") {
            out.push_str(tag);
        }
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Sanitized HTML (or plain text) with what scanners and careless copy-paste treat as script
/// written otherwise: the colon of `javascript:` and the `=` of `onsomething=` become `colon`
/// and `equals` (character references in HTML, full-width signs in plain text). Only text and
/// http(s) link addresses are left at this point, so nothing could run either way; a browser
/// shows (and follows) the same characters.
fn defanged(html: &str, colon: &str, equals: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 16);
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        let word_start = i == 0 || !bytes[i - 1].is_ascii_alphabetic();
        if word_start
            && bytes.len() - i >= 11
            && bytes[i..i + 11].eq_ignore_ascii_case(b"javascript:")
        {
            out.push_str(&html[last..i + 10]);
            out.push_str(colon);
            i += 11;
            last = i;
            continue;
        }
        if word_start && bytes.len() - i >= 3 && bytes[i..i + 2].eq_ignore_ascii_case(b"on") {
            let mut k = i + 2;
            while k < bytes.len() && bytes[k].is_ascii_alphabetic() {
                k += 1;
            }
            if k > i + 2 && k < bytes.len() && bytes[k] == b'=' {
                out.push_str(&html[last..k]);
                out.push_str(equals);
                i = k + 1;
                last = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&html[last..]);
    out
}

/// A post's first words as plain text for a list or a page description (Markdown marks and
/// HTML dropped, at most `max` characters with `…`).
pub fn excerpt(markdown: &str, max: usize) -> String {
    let plain: String = ammonia::Builder::empty()
        .clean(&render_markdown(markdown))
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let plain = plain
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let plain = defanged(&plain, "：", "＝");
    if plain.chars().count() <= max {
        plain
    } else {
        let mut cut: String = plain.chars().take(max).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_business_numbers_and_emails_are_masked() {
        let cases = [
            (
                "연락 주세요 010-1234-5678 감사",
                "연락 주세요 010-****-**** 감사",
            ),
            ("01012345678로 문자", "010********로 문자"),
            ("가게 063-123-4567", "가게 063-***-****"),
            ("서울 02-123-4567", "서울 02-***-****"),
            ("사업자 220-81-62517 입니다", "사업자 220-**-***** 입니다"),
            ("메일 owner.kim@hanok.kr 로", "메일 o********@hanok.kr 로"),
        ];
        for (input, masked) in cases {
            let masked = masked.replace('*', &MASK.to_string());
            let m = mask_personal_data(input);
            assert_eq!(m.text, masked, "{input}");
            assert!(m.found, "{input}");
            let html = render_markdown(&m.text);
            assert!(html.contains(&masked), "Markdown keeps the mask: {html}");
        }
    }

    #[test]
    fn ordinary_numbers_are_kept() {
        for text in [
            "가격 15,900원, 재고 300개",
            "상품코드 HOLDER-010-1234-5678X",
            "고객센터 1588-1234",
            "2026-12-07에 반품",
            "카테고리 78877, 택배 3-4일",
        ] {
            let m = mask_personal_data(text);
            assert_eq!(m.text, text);
            assert!(!m.found, "{text}");
        }
    }

    #[test]
    fn markdown_keeps_formatting_and_drops_every_script_vector() {
        let html =
            render_markdown("**반품**은 *7일* 안에\n\n- 하나\n- 둘\n\n[안내](https://example.kr)");
        assert!(html.contains("<strong>반품</strong>"), "{html}");
        assert!(html.contains("<li>하나</li>"), "{html}");
        assert!(html.contains("href=\"https://example.kr\""), "{html}");
        assert!(html.contains("nofollow ugc"), "{html}");
        let vectors = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<svg onload=alert(1)>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](javascript:alert(1))",
            "<form action=\"https://evil.example\"><input name=p></form>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<body onload=alert(1)>",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "<object data=x></object><embed src=x>",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        ];
        for vector in vectors {
            let html = render_markdown(vector).to_lowercase();
            for bad in [
                "<script",
                "onerror=",
                "onload=",
                "javascript:",
                "<iframe",
                "<form",
                "data:text",
                "<object",
                "<embed",
                "style=",
                "<svg",
                "<img",
            ] {
                assert!(!html.contains(bad), "{vector} gave {html}");
            }
        }
    }

    #[test]
    fn script_words_in_text_are_written_as_references() {
        let html =
            render_markdown("`javascript:alert(1)` 그리고 onerror=x, JavaScript: 글자, section=1");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("onerror="), "{html}");
        assert!(html.contains("section=1"), "{html}");
        let link = render_markdown("[안내](https://example.kr/?onload=1)");
        assert!(
            link.contains("href=\"https://example.kr/?onload&#61;1\""),
            "{link}"
        );
    }

    #[test]
    fn mentions_name_the_longest_participant_after_an_at_sign() {
        let names = ["한옥식당", "한옥식당 본점", "동부떡집", "가치농원"];
        assert_eq!(
            mentioned("@한옥식당님 말씀이 맞아요. @동부떡집 도 보세요", &names),
            vec!["한옥식당", "동부떡집"]
        );
        // The longest name wins; spacing does not matter on either side.
        assert_eq!(
            mentioned("@한옥식당본점에 물어보세요", &names),
            vec!["한옥식당 본점"]
        );
        assert_eq!(
            mentioned("(@한옥 식당 본점)", &names),
            vec!["한옥식당 본점"]
        );
        // Not an address, not a name nobody has, not twice.
        assert!(mentioned("mail@가치농원.kr 로 보내세요", &names).is_empty());
        assert!(mentioned("@없는가게 @ 가", &names).is_empty());
        assert_eq!(mentioned("@가치농원 @가치농원", &names), vec!["가치농원"]);
    }

    #[test]
    fn unlinked_markdown_shows_links_as_text() {
        let html = render_markdown(&unlinked(
            "[싸게](https://spam.example) <https://spam.example>",
        ));
        assert!(!html.contains("<a"), "{html}");
        assert!(html.contains("[싸게](https://spam.example)"), "{html}");
    }

    #[test]
    fn an_excerpt_is_plain_and_short() {
        assert_eq!(
            excerpt("**쿠팡** 반품지 <b>코드</b>는", 100),
            "쿠팡 반품지 코드는"
        );
        assert_eq!(excerpt("가나다라마바사", 3), "가나다…");
        assert_eq!(
            excerpt("주소에 javascript:alert(1) 쓰지 마세요", 100),
            "주소에 javascript：alert(1) 쓰지 마세요"
        );
    }
}
