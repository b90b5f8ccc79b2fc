//! Instants as the domain sees them: UTC milliseconds since the Unix epoch. Storage keeps the
//! integer; display converts to Asia/Seoul (UTC+9, no daylight saving).

use ::time::{OffsetDateTime, UtcOffset};

/// A UTC instant with millisecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// Korea Standard Time; Korea has no daylight saving time.
pub const SEOUL: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("UTC+9 is a valid offset"),
};

impl Timestamp {
    pub const fn from_unix_ms(ms: i64) -> Self {
        Self(ms)
    }
    pub const fn unix_ms(self) -> i64 {
        self.0
    }
    pub fn now() -> Self {
        Self((OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64)
    }
    pub const fn plus_seconds(self, seconds: i64) -> Self {
        Self(self.0 + seconds * 1000)
    }
    pub const fn minus_seconds(self, seconds: i64) -> Self {
        Self(self.0 - seconds * 1000)
    }
    /// Whole seconds from `self` until `later` (0 if `later` is not later).
    pub fn seconds_until(self, later: Timestamp) -> i64 {
        ((later.0 - self.0).max(0) + 999) / 1000
    }
    /// The instant in Seoul local time, for display.
    pub fn in_seoul(self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            .to_offset(SEOUL)
    }
    /// `YYYY-MM-DDTHH:MM:SSZ` in UTC (XML Schema dateTime, as Verifiable Credentials write it).
    pub fn rfc3339_seconds(self) -> String {
        let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }

    /// The instant of an RFC 3339 date-time (`2026-12-07T00:00:00Z`, any offset).
    pub fn parse_rfc3339(text: &str) -> Option<Timestamp> {
        OffsetDateTime::parse(text, &::time::format_description::well_known::Rfc3339)
            .ok()
            .map(|t| Timestamp((t.unix_timestamp_nanos() / 1_000_000) as i64))
    }

    /// `YYYY-MM-DD HH:MM` in Seoul time.
    pub fn display_seoul(self) -> String {
        let t = self.in_seoul();
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        )
    }
}

/// A calendar day.
pub type Date = ::time::Date;

/// `YYYY-MM-DD` → the day.
pub fn parse_date(text: &str) -> Option<Date> {
    ::time::Date::parse(
        text.trim(),
        &::time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// The instant a time of day (minutes after midnight) is on `date` in Seoul (no daylight saving).
pub fn seoul_instant(date: Date, minute: u16) -> Timestamp {
    let midnight_utc = date.midnight().assume_utc().unix_timestamp();
    Timestamp::from_unix_ms((midnight_utc + i64::from(minute) * 60 - 9 * 3600) * 1000)
}

/// The last millisecond of a day in Seoul.
pub fn end_of_day(date: Date) -> Timestamp {
    let next = date.next_day().unwrap_or(date);
    Timestamp::from_unix_ms(seoul_instant(next, 0).unix_ms() - 1)
}

/// The day an instant falls on in Seoul.
pub fn seoul_date(at: Timestamp) -> Date {
    at.in_seoul().date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_reads_back() {
        let at = Timestamp::from_unix_ms(1_796_601_600_000);
        assert_eq!(at.rfc3339_seconds(), "2026-12-07T00:00:00Z");
        assert_eq!(Timestamp::parse_rfc3339("2026-12-07T00:00:00Z"), Some(at));
        assert_eq!(
            Timestamp::parse_rfc3339("2026-12-07T09:00:00+09:00"),
            Some(at)
        );
        assert_eq!(Timestamp::parse_rfc3339("yesterday"), None);
    }

    #[test]
    fn seoul_display_is_nine_hours_ahead_of_utc() {
        // 2026-01-01T15:30:00Z is 2026-01-02 00:30 in Seoul.
        let t = Timestamp::from_unix_ms(1_767_281_400_000);
        assert_eq!(t.display_seoul(), "2026-01-02 00:30");
    }

    #[test]
    fn seconds_until_rounds_up_and_never_goes_negative() {
        let t = Timestamp::from_unix_ms(1_000);
        assert_eq!(t.seconds_until(Timestamp::from_unix_ms(2_001)), 2);
        assert_eq!(t.seconds_until(Timestamp::from_unix_ms(0)), 0);
    }
}
