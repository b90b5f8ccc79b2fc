//! Couriers (택배사) and their code at each marketplace. Product files name the courier by its
//! Naver code (`CJGLS`), as DESIGN.md's example does. A marketplace's code is filled in only
//! where a public source gives it (MARKETPLACES.md §1.2, §2.2, §3); where none does, the adapter
//! says so instead of guessing. ESM takes the courier from the seller's ESM+ settings.

use gachi_domain::kernel::channel::Channel;

#[derive(Debug, PartialEq, Eq)]
pub struct Courier {
    /// Naver's `deliveryCompanyCode`, the key in product files.
    pub code: &'static str,
    pub label: &'static str,
    coupang: Option<&'static str>,
    elevenst: Option<&'static str>,
}

impl Courier {
    /// The courier's code at `channel`, when it is known.
    pub fn code_for(&self, channel: Channel) -> Option<&'static str> {
        match channel {
            Channel::Naver => Some(self.code),
            Channel::Coupang => self.coupang,
            Channel::ElevenSt => self.elevenst,
            // ESM+ takes the courier number from the seller's settings, not from the product.
            Channel::Esm => Some(self.code),
        }
    }
}

pub const COURIERS: &[Courier] = &[
    Courier {
        code: "CJGLS",
        label: "CJ대한통운",
        coupang: Some("CJGLS"),
        elevenst: Some("00034"),
    },
    Courier {
        code: "HANJIN",
        label: "한진택배",
        coupang: Some("HANJIN"),
        elevenst: Some("00011"),
    },
    Courier {
        code: "HYUNDAI",
        label: "롯데택배",
        coupang: None,
        elevenst: Some("00012"),
    },
    Courier {
        code: "KGB",
        label: "로젠택배",
        coupang: Some("KGB"),
        elevenst: Some("00002"),
    },
    Courier {
        code: "EPOST",
        label: "우체국택배",
        coupang: Some("EPOST"),
        elevenst: Some("00007"),
    },
    Courier {
        code: "KDEXP",
        label: "경동택배",
        coupang: Some("KDEXP"),
        elevenst: None,
    },
    Courier {
        code: "CVSNET",
        label: "GS Postbox 택배",
        coupang: None,
        elevenst: Some("00060"),
    },
    Courier {
        code: "CUPOST",
        label: "CU 편의점택배",
        coupang: None,
        elevenst: Some("00061"),
    },
];

/// The courier with Naver code `code`.
pub fn find(code: &str) -> Option<&'static Courier> {
    let code = code.trim();
    COURIERS.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}
