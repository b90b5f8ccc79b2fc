//! The marketplaces Gachi lists on (마켓/채널), one vocabulary for every layer: product files
//! name them by code (`channel_categories.naver`), URLs and the CLI too, ports store that code.
//! WeMakePrice is bankrupt (2025-11) and has no API, so it is not one of them.

use serde::{Deserialize, Serialize};

use crate::kernel::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// Naver Smart Store (네이버 스마트스토어).
    Naver,
    Coupang,
    /// 11번가.
    ElevenSt,
    /// Gmarket and Auction through ESM PLUS.
    Esm,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Naver,
        Channel::Coupang,
        Channel::ElevenSt,
        Channel::Esm,
    ];

    /// The code used in product files, URLs, the CLI and storage.
    pub const fn code(self) -> &'static str {
        match self {
            Channel::Naver => "naver",
            Channel::Coupang => "coupang",
            Channel::ElevenSt => "11st",
            Channel::Esm => "esm",
        }
    }

    /// The marketplace with this code (surrounding spaces ignored).
    pub fn parse(code: &str) -> Option<Channel> {
        let code = code.trim();
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }

    /// A marketplace named in input `field`, or the field error (`error-channel-unknown`).
    pub fn parse_field(code: &str, field: &str) -> Result<Channel, FieldError> {
        Channel::parse(code).ok_or_else(|| FieldError::new(field, "error-channel-unknown"))
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Channel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Channel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Channel::parse(&code).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "unknown marketplace `{code}` (naver, coupang, 11st or esm)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_marketplace_reads_back_from_its_code() {
        for channel in Channel::ALL {
            assert_eq!(Channel::parse(channel.code()), Some(channel));
            let json = serde_json::to_string(&channel).unwrap();
            assert_eq!(serde_json::from_str::<Channel>(&json).unwrap(), channel);
        }
        assert_eq!(Channel::parse(" 11st "), Some(Channel::ElevenSt));
        assert_eq!(Channel::parse("wemakeprice"), None);
        assert!(serde_json::from_str::<Channel>("\"gmarket\"").is_err());
        assert_eq!(
            Channel::parse_field("x", "channel").unwrap_err().code,
            "error-channel-unknown"
        );
    }
}
