//! The 상세페이지 as one self-contained HTML fragment the marketplaces accept in their detail
//! field, in three designs around the brand colour, and the sanitizer for a seller's own HTML.

use crate::catalog::notice::FieldKind;
use crate::catalog::product::ProductFile;
use crate::kernel::text::{Trimmed, is_web_url};

/// The look of one 상세페이지 template: inline styles built around the brand colour.
struct Theme {
    page: &'static str,
    hero_band: Option<String>,
    headline: String,
    h2: String,
    section: &'static str,
    point: &'static str,
    point_mark: String,
    caption: &'static str,
}

fn theme(template: &str, color: &str) -> Theme {
    match template {
        "warm" => Theme {
            page: "background:#fbf6ee;font-family:serif;padding:0 0 24px",
            hero_band: None,
            headline: format!(
                "font-size:28px;text-align:center;margin:28px 16px 8px;color:{color}"
            ),
            h2: format!(
                "font-size:21px;text-align:center;margin:0 0 14px;padding-bottom:8px;border-bottom:2px solid {color}"
            ),
            section: "background:#fff;border-radius:16px;padding:20px;margin:16px",
            point: "background:#fff;border-radius:16px;padding:16px;margin:10px 16px;text-align:center;font-size:17px",
            point_mark: format!("display:block;color:{color};font-size:22px"),
            caption: "text-align:center;color:#6b5a45;font-size:14px;margin:6px 0 18px",
        },
        "bold" => Theme {
            page: "background:#fff;padding:0 0 24px",
            hero_band: Some(format!(
                "background:{color};color:#fff;padding:28px 20px;text-align:center"
            )),
            headline: "font-size:30px;line-height:1.35;margin:0;font-weight:800".into(),
            h2: format!(
                "display:inline-block;background:{color};color:#fff;font-size:18px;padding:4px 14px;border-radius:999px;margin:0 0 12px"
            ),
            section: "padding:20px;margin:0",
            point: "display:flex;gap:12px;align-items:center;padding:12px 20px;font-size:18px;font-weight:700",
            point_mark: format!(
                "flex:none;width:34px;height:34px;border-radius:50%;background:{color};color:#fff;text-align:center;line-height:34px"
            ),
            caption: "color:#5b6478;font-size:14px;margin:6px 0 18px",
        },
        _ => Theme {
            page: "background:#fff;padding:0 0 24px",
            hero_band: None,
            headline: format!(
                "font-size:26px;margin:24px 20px 8px;color:#1d2433;border-bottom:3px solid {color};padding-bottom:10px"
            ),
            h2: format!(
                "font-size:20px;margin:0 0 12px;padding-left:10px;border-left:6px solid {color}"
            ),
            section: "padding:20px;margin:0",
            point: "padding:8px 20px;font-size:17px",
            point_mark: format!("color:{color};font-weight:800;margin-right:8px"),
            caption: "color:#5b6478;font-size:14px;margin:6px 0 18px",
        },
    }
}

/// The 상세페이지 being written: markup pushed as is, people's text pushed escaped.
///
/// Attributes are single-quoted and text escapes `"` and `\` too, so the fragment holds no
/// double quote, backslash or control character of ours: the marketplaces' JSON bodies carry it
/// with almost nothing to escape (only a seller's own sanitized HTML may add some).
struct Html(String);

impl Html {
    fn raw(&mut self, markup: &str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// `text` escaped for HTML element content and quoted attributes; runs without a special
    /// character are copied whole (the specials are ASCII, so runs end on character boundaries).
    fn text(&mut self, text: &str) -> &mut Self {
        let special = |b: u8| {
            (b == b'&')
                | (b == b'<')
                | (b == b'>')
                | (b == b'"')
                | (b == b'\'')
                | (b == b'\\')
                | (b < 0x20)
        };
        crate::kernel::text::split_specials(text, special, |run, special| {
            self.0.push_str(run);
            if let Some(b) = special {
                self.0.push_str(match b {
                    b'&' => "&amp;",
                    b'<' => "&lt;",
                    b'>' => "&gt;",
                    b'"' => "&quot;",
                    b'\'' => "&#39;",
                    b'\\' => "&#92;",
                    _ => " ", // a control character
                });
            }
        });
        self
    }

    /// `<div style='…'><h2 style='…'>title</h2>`: a titled section, left open.
    fn section(&mut self, t: &Theme, title: &str) -> &mut Self {
        self.raw("<div style='")
            .raw(t.section)
            .raw("'><h2 style='")
            .raw(&t.h2)
            .raw("'>")
            .text(title)
            .raw("</h2>")
    }

    /// One row of a two-column table; the value is given as escaped parts.
    fn row(&mut self, label: &str, value: &[&str]) -> &mut Self {
        self.raw(ROW_LABEL).text(label).raw(ROW_VALUE);
        for (i, part) in value.iter().enumerate() {
            if i > 0 {
                self.raw(" ");
            }
            self.text(part);
        }
        self.raw("</td></tr>")
    }

    /// `<img src='…' alt='…' style='…'>`.
    fn img(&mut self, src: &str, alt: &str, style: &str) -> &mut Self {
        self.raw("<img src='")
            .text(src)
            .raw("' alt='")
            .text(alt)
            .raw("' style='")
            .raw(style)
            .raw("'>")
    }
}

/// A table cell's style (a macro, so the row's markup around it is one constant).
macro_rules! cell_style {
    () => {
        "border:1px solid #dfe3ea;padding:8px 10px;text-align:left;vertical-align:top"
    };
}
/// A row's markup up to its label, and between its label and its value.
const ROW_LABEL: &str = concat!(
    "<tr><th style='",
    cell_style!(),
    ";width:34%;background:#f6f7f9'>"
);
const ROW_VALUE: &str = concat!("</th><td style='", cell_style!(), "'>");
const TABLE: &str =
    "<table style='width:100%;border-collapse:collapse;font-size:15px;background:#fff'>";

/// A user's own HTML made safe for a marketplace detail field: no script or style elements, no
/// event handlers, no `javascript:` (or any non-http) URLs, no forms or frames; inline `style`
/// attributes are kept, since detail pages are styled inline.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["style", "align"])
        .url_schemes(["http", "https"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

/// The 상세페이지 as one fragment the marketplaces accept in their detail field: inline styles,
/// no script, no external fonts, images by URL, at most 860 px wide, Korean line breaking —
/// in one of three templates around the brand colour. Every text a person typed is escaped,
/// and their own `detail_html` is sanitized (after the story, before the photos).
pub fn render(file: &ProductFile) -> String {
    rendered(file).html
}

/// A rendered 상세페이지 and what is known of its characters.
pub struct DetailPage {
    pub html: String,
    /// The page holds no double quote, backslash or control character (nothing a JSON string
    /// must escape): true unless the seller's own HTML is in it, since everything Gachi writes
    /// is single-quoted and escaped for those too.
    pub json_plain: bool,
}

/// `detail_page`, saying whether the page holds anything JSON must escape, so a marketplace
/// body can carry it without scanning it again.
pub fn rendered(file: &ProductFile) -> DetailPage {
    let mut html = Html(String::with_capacity(16 * 1024));
    write_detail_page(&mut html, file);
    DetailPage {
        html: html.0,
        json_plain: sellers_own_html(file).is_none(),
    }
}

/// The seller's own HTML for the page, when there is any.
fn sellers_own_html(file: &ProductFile) -> Option<&str> {
    file.detail_html
        .as_deref()
        .filter(|h| !h.trimmed().is_empty())
}

fn write_detail_page(html: &mut Html, file: &ProductFile) {
    let default = crate::catalog::product::DetailPageFile::default();
    let page = file.detail_page.as_ref().unwrap_or(&default);
    let color = if crate::catalog::product::is_hex_color(page.color.trimmed()) {
        page.color.trimmed()
    } else {
        "#0b7a5c"
    };
    let template = page.template.trimmed();
    let t = theme(template, color);
    let headline = if page.headline.trimmed().is_empty() {
        &file.name
    } else {
        &page.headline
    };
    html.raw("<div style='max-width:860px;margin:0 auto;font-family:sans-serif;color:#1d2433;line-height:1.7;word-break:keep-all;overflow-wrap:anywhere;")
        .raw(t.page)
        .raw("'>");
    let main = file
        .images
        .as_ref()
        .map(|i| i.main.trimmed())
        .filter(|u| is_web_url(u));
    let write_main = |html: &mut Html| {
        if let Some(src) = main {
            html.img(src, &file.name, "display:block;width:100%;height:auto");
        }
    };
    let write_headline = |html: &mut Html| {
        html.raw("<h1 style='")
            .raw(&t.headline)
            .raw("'>")
            .text(headline)
            .raw("</h1>");
    };
    if let Some(band) = &t.hero_band {
        html.raw("<div style='").raw(band).raw("'>");
        write_headline(html);
        html.raw("</div>");
        write_main(html);
    } else {
        write_main(html);
        write_headline(html);
    }
    for (i, point) in page
        .selling_points
        .iter()
        .filter(|p| !p.trimmed().is_empty())
        .enumerate()
    {
        html.raw("<div style='")
            .raw(t.point)
            .raw("'><span style='")
            .raw(&t.point_mark)
            .raw("'>");
        match template {
            "bold" => html.raw(&(i + 1).to_string()),
            "warm" => html.raw("❀"),
            _ => html.raw("✓"),
        };
        html.raw("</span>").text(point).raw("</div>");
    }
    if !page.story.trimmed().is_empty() {
        html.section(&t, "만든 사람 이야기");
        for paragraph in page
            .story
            .split('\n')
            .map(str::trimmed)
            .filter(|p| !p.is_empty())
        {
            html.raw("<p style='margin:0 0 10px'>")
                .text(paragraph)
                .raw("</p>");
        }
        html.raw("</div>");
    }
    if let Some(own) = sellers_own_html(file) {
        html.raw("<div style='")
            .raw(t.section)
            .raw("'>")
            .raw(&sanitize(own))
            .raw("</div>");
    }
    let extra: &[String] = file
        .images
        .as_ref()
        .map(|i| i.extra.as_slice())
        .unwrap_or_default();
    if page.photos.iter().any(|p| is_web_url(&p.url)) || extra.iter().any(|u| is_web_url(u)) {
        html.raw("<div style='").raw(t.section).raw("'>");
        for photo in page.photos.iter().filter(|p| is_web_url(&p.url)) {
            html.img(
                photo.url.trimmed(),
                &photo.caption,
                "display:block;width:100%;height:auto;border-radius:8px",
            );
            if !photo.caption.trimmed().is_empty() {
                html.raw("<p style='")
                    .raw(t.caption)
                    .raw("'>")
                    .text(&photo.caption)
                    .raw("</p>");
            }
        }
        for src in extra.iter().map(|u| u.trimmed()).filter(|u| is_web_url(u)) {
            html.img(
                src,
                "",
                "display:block;width:100%;height:auto;margin:12px 0",
            );
        }
        html.raw("</div>");
    }
    if page.specs.iter().any(|p| !p.label.trimmed().is_empty()) {
        html.section(&t, "제품 정보").raw(TABLE);
        for spec in page.specs.iter().filter(|p| !p.label.trimmed().is_empty()) {
            html.row(&spec.label, &[&spec.value]);
        }
        html.raw("</table></div>");
    }
    if let Some(notice) = &file.notice
        && let Some(kind) = crate::catalog::notice::find(&notice.kind)
    {
        html.raw("<div style='")
            .raw(t.section)
            .raw("'><h2 style='")
            .raw(&t.h2)
            .raw("'>상품정보제공고시 (")
            .text(&kind.label)
            .raw(")</h2>")
            .raw(TABLE);
        let mut given = [None; crate::catalog::notice::MAX_FIELDS];
        kind.match_given(&notice.fields, |index, _, value: &String| {
            if let Some(index) = index {
                given[index] = Some(value.as_str());
            }
        });
        for (field, value) in kind.fields.iter().zip(given) {
            let Some(value) = value.filter(|v| !v.trimmed().is_empty()) else {
                continue;
            };
            let shown = match field.kind {
                FieldKind::Bool if crate::catalog::notice::is_yes(value.trimmed()) => "예",
                FieldKind::Bool => "아니오",
                _ => value,
            };
            html.row(&field.label, &[shown]);
        }
        html.raw("</table></div>");
    }
    let shipping = file.shipping.as_ref();
    let after_service = file
        .after_service
        .as_ref()
        .filter(|a| !a.phone.trimmed().is_empty());
    // The section is written first and taken back when it gets no row.
    let section_start = html.0.len();
    html.section(&t, "배송·교환·반품·A/S").raw(TABLE);
    let rows_start = html.0.len();
    if let Some(shipping) = shipping {
        for (label, amount) in [
            ("배송비", &shipping.fee),
            ("무료배송 기준", &shipping.free_over),
            ("반품 배송비", &shipping.return_fee),
            ("교환 배송비", &shipping.exchange_fee),
        ] {
            if let Some(crate::catalog::product::Loose::Int(n)) = amount {
                html.raw(ROW_LABEL).text(label).raw(ROW_VALUE);
                write_won(&mut html.0, *n);
                html.raw("</td></tr>");
            }
        }
        for (label, place) in [
            ("보내는 곳", &shipping.ship_from),
            ("반품·교환 받는 곳", &shipping.return_to),
        ] {
            if let Some(place) = place.as_deref().filter(|p| !p.trimmed().is_empty()) {
                html.row(label, &[place]);
            }
        }
    }
    if let Some(a) = after_service {
        html.row("A/S", &[&a.phone, &a.guide]);
    }
    if html.0.len() == rows_start {
        html.0.truncate(section_start);
    } else {
        html.raw("</table></div>");
    }
    if page.faq.iter().any(|p| !p.label.trimmed().is_empty()) {
        html.section(&t, "자주 묻는 질문");
        for qa in page.faq.iter().filter(|p| !p.label.trimmed().is_empty()) {
            html.raw("<p style='margin:0 0 4px;font-weight:700'>Q. ")
                .text(&qa.label)
                .raw("</p><p style='margin:0 0 14px'>A. ")
                .text(&qa.value)
                .raw("</p>");
        }
        html.raw("</div>");
    }
    html.raw("</div>");
}

/// Writes `n` won as Koreans read an amount: `30,000원`.
fn write_won(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut buffer = [0u8; 20];
    let mut start = buffer.len();
    let mut rest = n.unsigned_abs();
    loop {
        start -= 1;
        buffer[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let digits = &buffer[start..];
    for (i, &digit) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(char::from(digit));
    }
    out.push('원');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::test_fixture::file;

    #[test]
    fn amounts_are_written_with_thousands_separators() {
        for (n, written) in [
            (0, "0원"),
            (999, "999원"),
            (1000, "1,000원"),
            (30000, "30,000원"),
            (1234567, "1,234,567원"),
            (-5000, "-5,000원"),
            (i64::MIN, "-9,223,372,036,854,775,808원"),
        ] {
            let mut out = String::new();
            write_won(&mut out, n);
            assert_eq!(out, written);
        }
    }

    #[test]
    fn the_detail_page_holds_nothing_json_must_escape() {
        // Quotes, backslashes and control characters in everything a person typed: the page
        // (without the seller's own HTML) must still hold none, so JSON bodies carry it as is.
        let mut product = file();
        product.detail_html = None;
        product.name = "엄마\"손\\맛\t김치".into();
        product.detail_page = Some(crate::catalog::product::DetailPageFile {
            template: "bold".into(),
            color: "#123456".into(),
            headline: "\"진짜\" 김치\\".into(),
            selling_points: vec!["국산 '배추'\u{1}".into()],
            story: "첫 줄 \"a\"\n둘째 줄 \\".into(),
            photos: vec![crate::catalog::product::CaptionedPhoto {
                url: "https://img.example/a.jpg?x=\"1\"".into(),
                caption: "사진 \"1\"".into(),
            }],
            specs: vec![crate::catalog::product::Pair {
                label: "무게\"".into(),
                value: "1kg\\".into(),
            }],
            faq: vec![crate::catalog::product::Pair {
                label: "맵나요\"?".into(),
                value: "네\t조금".into(),
            }],
        });
        for template in ["basic", "warm", "bold"] {
            product.detail_page.as_mut().unwrap().template = template.into();
            let page = rendered(&product);
            assert!(page.json_plain, "said to be plain");
            let html = page.html;
            assert!(
                !html.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20),
                "{template}: {html}"
            );
            assert!(html.contains("&quot;진짜&quot; 김치&#92;") && html.contains("&#39;배추&#39;"));
            let as_json = serde_json::to_string(&html).unwrap();
            assert_eq!(&as_json[1..as_json.len() - 1], html);
        }
        // The seller's own HTML (sanitized, with its double-quoted attributes) is not plain.
        product.detail_html = Some("<p style=\"color:red\">직접 쓴 소개</p>".into());
        let page = rendered(&product);
        assert!(!page.json_plain);
        assert!(page.html.contains('"'), "{}", page.html);
        product.detail_html = Some("  \n".into());
        assert!(rendered(&product).json_plain, "blank is none");
    }

    #[test]
    fn the_detail_page_escapes_everything_and_carries_the_notice() {
        let html = render(&file());
        assert!(
            !html.contains("<script") && !html.contains("javascript:"),
            "{html}"
        );
        assert!(html.contains("전주 비빔밥 &lt;script&gt;"));
        assert!(
            html.contains("<th style=")
                && html.contains("식품의 유형")
                && html.contains("즉석조리식품 &lt;b&gt;")
        );
        assert!(html.contains("유전자변형식품에 해당하는 경우의 표시") && html.contains("아니오"));
        assert!(
            html.contains("3,000원")
                && html.contains("max-width:860px")
                && html.contains("word-break:keep-all")
        );
    }

    #[test]
    fn a_user_s_own_html_is_sanitized() {
        let mut product = file();
        product.detail_html = Some(
            "<div style=\"color:red\" onclick=\"steal()\"><b>국산</b> 재료<script>alert(1)</script>\
             <img src=\"https://img.example/a.jpg\" onerror=\"x()\"><a href=\"javascript:alert(1)\">보기</a>\
             <iframe src=\"https://evil.example\"></iframe><form action=\"/x\"><input></form></div>"
                .into(),
        );
        let html = render(&product);
        for banned in [
            "<script",
            "onclick",
            "onerror",
            "javascript:",
            "<iframe",
            "<form",
            "<input",
        ] {
            assert!(!html.contains(banned), "{banned} in {html}");
        }
        assert!(
            html.contains("<b>국산</b>")
                && html.contains("style=\"color:red\"")
                && html.contains("src=\"https://img.example/a.jpg\"")
        );
    }

    #[test]
    fn the_three_templates_look_different_and_use_the_brand_colour() {
        let mut product = file();
        let page = |template: &str| crate::catalog::product::DetailPageFile {
            template: template.into(),
            color: "#c0392b".into(),
            headline: "할머니 손맛 그대로".into(),
            selling_points: vec![
                "국산 재료".into(),
                "당일 제조".into(),
                "<b>무첨가</b>".into(),
            ],
            story: "1986년 남부시장에서\n시작했습니다.".into(),
            photos: vec![crate::catalog::product::CaptionedPhoto {
                url: "https://img.example/p.jpg".into(),
                caption: "비빔 재료".into(),
            }],
            specs: vec![crate::catalog::product::Pair {
                label: "중량".into(),
                value: "2인분 820g".into(),
            }],
            faq: vec![crate::catalog::product::Pair {
                label: "맵나요?".into(),
                value: "순한맛도 있어요.".into(),
            }],
        };
        let pages: Vec<String> = ["clean", "warm", "bold"]
            .into_iter()
            .map(|t| {
                product.detail_page = Some(page(t));
                render(&product)
            })
            .collect();
        assert!(pages[0] != pages[1] && pages[1] != pages[2] && pages[0] != pages[2]);
        for html in &pages {
            assert!(
                html.contains("#c0392b")
                    && html.contains("할머니 손맛 그대로")
                    && html.contains("&lt;b&gt;무첨가")
            );
            assert!(
                html.contains("남부시장에서</p>")
                    && html.contains("2인분 820g")
                    && html.contains("Q. 맵나요?")
            );
            assert!(!html.contains("<script") && !html.contains("<b>"));
        }
        assert!(
            pages[2].contains("background:#c0392b;color:#fff"),
            "bold has a coloured hero band"
        );
        assert!(
            pages[1].contains("background:#fbf6ee"),
            "warm has a cream page"
        );
        product.detail_page = Some(crate::catalog::product::DetailPageFile {
            color: "red;background:url(x)".into(),
            ..page("clean")
        });
        assert!(
            product.check().is_err(),
            "a colour that is not #RRGGBB is refused"
        );
        assert!(
            !render(&product).contains("url(x)"),
            "and never reaches the page"
        );
    }
}
