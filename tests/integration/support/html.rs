//! Reading the part of a page a test is about, so an assertion cannot pass on words that
//! every page carries (the navigation, the footer, the filters' option lists).

/// The text of `body` from just after `start` up to the next `end` (panics naming `start` when
/// the page has no such part).
pub fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body
        .split_once(start)
        .unwrap_or_else(|| panic!("no {start} in the page: {body}"))
        .1;
    from.split(end).next().unwrap()
}

/// Who the header says is signed in: "name · role", or nothing when signed out.
pub fn signed_in_as(body: &str) -> Option<&str> {
    let who = body.split_once("<li class=\"who\"><span>")?.1;
    who.split("</span>").next()
}

/// One stage's column of the onboarding board.
pub fn column<'a>(body: &'a str, stage: &str) -> &'a str {
    between(
        body,
        &format!("data-testid=\"column-{stage}\""),
        "data-testid=\"column-",
    )
}

/// The table row that holds `needle`.
pub fn row_with<'a>(body: &'a str, needle: &str) -> &'a str {
    body.split("<tr>")
        .skip(1)
        .map(|row| row.split("</tr>").next().unwrap())
        .find(|row| row.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle}: {body}"))
}

/// One marketplace's entry (by its name, e.g. 네이버 스마트스토어) in the product page's
/// readiness list.
pub fn readiness_of<'a>(body: &'a str, market: &str) -> &'a str {
    let list = between(body, "data-testid=\"readiness\"", "</section>");
    list.split("<details class=\"channel\"")
        .skip(1)
        .map(|entry| entry.split("</details>").next().unwrap())
        .find(|entry| entry.contains(&format!("<summary><strong>{market}</strong>")))
        .unwrap_or_else(|| panic!("no readiness entry for {market}: {list}"))
}

/// The id in the page's first link to `prefix` + id (e.g. `href="/merchants/`).
pub fn first_id_after(body: &str, prefix: &str) -> String {
    between(body, prefix, "\"").to_owned()
}
