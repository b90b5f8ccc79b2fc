//! iCalendar (RFC 5545) for agendas: one `VEVENT` per meeting, times in UTC, text escaped
//! (backslash, semicolon, comma, newline) and lines folded at 75 octets without splitting a
//! character, CRLF line ends — what calendar apps on phones import.

use axum::response::{IntoResponse, Response};
use gachi_domain::discovery::events::{Event, Meeting};
use gachi_domain::kernel::time::Timestamp;

/// One entry of a calendar.
pub struct CalendarEvent {
    /// Unique and stable across downloads, so a re-import updates instead of duplicating.
    pub uid: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub summary: String,
    pub location: String,
    pub description: String,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `YYYYMMDDTHHMMSSZ`.
fn utc(at: Timestamp) -> String {
    at.rfc3339_seconds().replace(['-', ':'], "")
}

/// Appends `line` folded at 75 octets (continuations start with a space).
fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// The calendar document.
pub fn calendar(name: &str, stamp: Timestamp, events: &[CalendarEvent]) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Gachi//Gachi//KO".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", escape(name)),
    ] {
        push_folded(&mut out, &line);
    }
    for event in events {
        for line in [
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", escape(&event.uid)),
            format!("DTSTAMP:{}", utc(stamp)),
            format!("DTSTART:{}", utc(event.start)),
            format!("DTEND:{}", utc(event.end)),
            format!("SUMMARY:{}", escape(&event.summary)),
            format!("LOCATION:{}", escape(&event.location)),
            format!("DESCRIPTION:{}", escape(&event.description)),
            "END:VEVENT".to_owned(),
        ] {
            push_folded(&mut out, &line);
        }
    }
    push_folded(&mut out, "END:VCALENDAR");
    out
}

/// The calendar of someone's meetings at a 원정대 event: each meeting names the other side (the
/// shop for an MD, the MD otherwise) and the table, at the event's venue.
pub fn agenda(
    stamp: Timestamp,
    event: &Event,
    meetings: &[(Meeting, Timestamp, Timestamp)],
    md_view: bool,
) -> String {
    let entries: Vec<CalendarEvent> = meetings
        .iter()
        .map(|(m, start, end)| CalendarEvent {
            uid: format!("meeting-{}@gachi", m.id),
            start: *start,
            end: *end,
            summary: format!(
                "{} · {}번 테이블",
                if md_view {
                    &m.merchant_name
                } else {
                    &m.md_name
                },
                m.table
            ),
            location: event.venue.clone(),
            description: event.name.clone(),
        })
        .collect();
    calendar(&event.name, stamp, &entries)
}

/// A calendar as a download: `text/calendar`, saved as `file_name`.
pub fn calendar_response(file_name: &str, body: String) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_fold_between_characters() {
        let at = Timestamp::from_unix_ms(1_797_728_400_000);
        let doc = calendar(
            "전주 원정대",
            at,
            &[CalendarEvent {
                uid: "meeting-1@gachi".into(),
                start: at,
                end: at.plus_seconds(1200),
                summary: "쿠팡 MD, 1번 테이블; 상담".into(),
                location: "전주 한옥마을 공예품전시관 2층 대회의실 (전북특별자치도 전주시 완산구)"
                    .into(),
                description: "줄\n바꿈".into(),
            }],
        );
        assert!(doc.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(doc.contains("SUMMARY:쿠팡 MD\\, 1번 테이블\\; 상담\r\n"));
        assert!(doc.contains("DESCRIPTION:줄\\n바꿈\r\n"));
        assert!(doc.contains("DTSTART:20261220T010000Z\r\n"), "{doc}");
        assert!(doc.contains("DTEND:20261220T012000Z\r\n"));
        for line in doc.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert!(doc.contains("\r\n "), "the location line folds");
        assert!(doc.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(doc.matches("BEGIN:VEVENT").count(), 1);
    }
}
