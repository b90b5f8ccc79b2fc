//! 11st Open API `POST /rest/prodservices/product`: the XML `<Product>` of the OpenAPI guide's
//! "신규상품등록" (MARKETPLACES.md §3), with its codes and limits: price in 10-won steps and under
//! 1,000,000,000, stock above 0, fees in 10-won steps, option prices within −50 %…+100 % with
//! one at 0, A/S and return texts required and at most 4,000 bytes.
//!
//! The 상품정보제공고시 type and item codes are not public (they live in a Seller Office popup):
//! they come from a code table the operator copies in (`NoticeCodes`); without it the adapter
//! reports the gap rather than guess. Origin is sent as `03` (기타) with the region or country
//! in words, since the region/country code list is not public either.

use gachi_domain::catalog::notice::FieldKind;
use gachi_domain::catalog::product::Tax;

use crate::listing::{CommonTargets, Context, Issues, Prepared, euc_kr_len};
use gachi_domain::kernel::text::Trimmed;

pub const MAX_IMAGES_EXTRA: usize = 3;
pub const MAX_TEXT_BYTES: usize = 4_000;
pub const MAX_OPTION_VALUE_BYTES: usize = 50;
pub const MAX_OPTION_TITLE_CHARS: usize = 25;
/// Characters 11st refuses in option values.
pub const OPTION_FORBIDDEN: &[char] = &[',', '&', ';', '"', '%', '<', '>', '#', '†'];

/// `<name>`.
fn open_tag(out: &mut Vec<u8>, name: &str) {
    out.push(b'<');
    out.extend_from_slice(name.as_bytes());
    out.push(b'>');
}

/// `</name>`.
fn close_tag(out: &mut Vec<u8>, name: &str) {
    out.extend_from_slice(b"</");
    out.extend_from_slice(name.as_bytes());
    out.push(b'>');
}

/// `<name>text</name>` with the text escaped (runs without `&`, `<`, `>` copied whole).
fn element(out: &mut Vec<u8>, name: &str, text: &str) {
    open_tag(out, name);
    gachi_domain::kernel::text::split_specials(
        text,
        |b| (b == b'&') | (b == b'<') | (b == b'>'),
        |run, special| {
            out.extend_from_slice(run.as_bytes());
            out.extend_from_slice(match special {
                None => b"",
                Some(b'&') => b"&amp;",
                Some(b'<') => b"&lt;",
                Some(_) => b"&gt;",
            });
        },
    );
    close_tag(out, name);
}

/// `<name><![CDATA[text]]></name>`, splitting any `]]>` inside the text.
fn cdata(out: &mut Vec<u8>, name: &str, text: &str) {
    open_tag(out, name);
    out.extend_from_slice(b"<![CDATA[");
    let mut rest = text.as_bytes();
    while let Some(at) = memchr::memmem::find(rest, b"]]>") {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(b"]]]]><![CDATA[>");
        rest = &rest[at + 3..];
    }
    out.extend_from_slice(rest);
    out.extend_from_slice(b"]]>");
    close_tag(out, name);
}

fn number(out: &mut Vec<u8>, name: &str, value: i64) {
    open_tag(out, name);
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    close_tag(out, name);
}

/// The A/S text: the guide, then the phone number.
fn after_service_text(p: &Prepared) -> String {
    match (p.as_guide.is_empty(), p.as_phone.is_empty()) {
        (false, false) => format!("{} (A/S {})", p.as_guide, p.as_phone),
        (false, true) => p.as_guide.to_owned(),
        (true, false) => format!("A/S {}", p.as_phone),
        (true, true) => String::new(),
    }
}

/// The return/exchange text from the shipping terms.
fn returns_text(p: &Prepared) -> String {
    let s = &p.shipping;
    let mut text = format!(
        "반품 배송비(편도) {}원, 교환 배송비(왕복) {}원.",
        s.return_fee.unwrap_or_default(),
        s.exchange_fee.unwrap_or_default()
    );
    if !s.return_to.is_empty() {
        text.push_str(" 보내실 곳: ");
        text.push_str(s.return_to);
    }
    text
}

fn ten_won(issues: &mut Issues, field: &str, value: Option<i64>, target: &'static str) {
    if value.is_some_and(|v| v % 10 != 0) {
        issues.error(field, "listing-price-step", target).limit(10);
    }
}

pub(crate) fn compile(p: &Prepared, context: &Context, issues: &mut Issues, out: &mut Vec<u8>) {
    p.common_listing_checks(
        issues,
        &CommonTargets {
            category: "dispCtgrNo",
            main_image: "prdImage01",
            extra_images: "prdImage02..04",
            max_extra_images: None,
            main_image_rule: Some(gachi_domain::catalog::media::ELEVENST_MAIN_IMAGE),
            options: "ProductOptionExt",
            minor: "minorSelCnYn",
            courier: "dlvEtprsCd",
        },
    );
    if p.extra_images.len() > MAX_IMAGES_EXTRA {
        issues
            .warn("images.extra", "listing-images-dropped", "prdImage02..04")
            .limit(MAX_IMAGES_EXTRA as i64);
    }
    let seller = &context.seller.elevenst;
    for (value, name, target) in [
        (
            &seller.outbound_address_seq,
            "outbound_address_seq",
            "addrSeqOut",
        ),
        (
            &seller.inbound_address_seq,
            "inbound_address_seq",
            "addrSeqIn",
        ),
    ] {
        if value.trimmed().is_empty() {
            issues
                .warn(
                    format!("seller.11st.{name}"),
                    "listing-setting-missing",
                    target,
                )
                .detail = Some(name.to_owned());
        }
    }
    ten_won(issues, "price", p.price, "selPrc");
    if p.total_stock() == 0 && p.stock.is_some() {
        issues.error(
            if p.variants.is_empty() {
                "stock"
            } else {
                "variants"
            },
            "listing-stock-zero",
            "prdSelQty",
        );
    }
    let s = &p.shipping;
    if s.fee.is_none() {
        issues.error("shipping.fee", "listing-required", "dlvCst1");
    }
    ten_won(issues, "shipping.fee", s.fee, "dlvCst1");
    ten_won(issues, "shipping.free_over", s.free_over, "PrdFrDlvBasiAmt");
    ten_won(issues, "shipping.return_fee", s.return_fee, "rtngdDlvCst");
    ten_won(
        issues,
        "shipping.exchange_fee",
        s.exchange_fee,
        "exchDlvCst",
    );
    if s.return_fee.is_none() {
        issues.error("shipping.return_fee", "listing-required", "rtngdDlvCst");
    }
    if s.exchange_fee.is_none() {
        issues.error("shipping.exchange_fee", "listing-required", "exchDlvCst");
    }
    let as_text = after_service_text(p);
    if as_text.is_empty() {
        issues.error("after_service.guide", "listing-required", "asDetail");
    } else if euc_kr_len(&as_text) > MAX_TEXT_BYTES {
        issues
            .error("after_service.guide", "listing-too-long-bytes", "asDetail")
            .limit(MAX_TEXT_BYTES as i64);
    }
    let returns = returns_text(p);
    if euc_kr_len(&returns) > MAX_TEXT_BYTES {
        issues
            .error(
                "shipping.return_to",
                "listing-too-long-bytes",
                "rtngExchDetail",
            )
            .limit(MAX_TEXT_BYTES as i64);
    }
    if p.file.origin.is_none() {
        issues.error("origin", "listing-required", "orgnTypCd");
    }
    if !p.file.certifications.is_empty() {
        issues.warn(
            "certifications",
            "listing-certifications-manual",
            "ProductCertGroup",
        );
    }
    for (i, group) in p.file.options.iter().enumerate() {
        issues.max_chars(
            || format!("options[{i}].name"),
            group.name.trimmed(),
            MAX_OPTION_TITLE_CHARS,
            "ProductRootOption.colTitle",
        );
        for value in &group.values {
            if euc_kr_len(value.trimmed()) > MAX_OPTION_VALUE_BYTES {
                issues
                    .error(
                        format!("options[{i}].values"),
                        "listing-too-long-bytes",
                        "colValue0",
                    )
                    .limit(MAX_OPTION_VALUE_BYTES as i64);
            }
            if value.contains(OPTION_FORBIDDEN) {
                issues.error(
                    format!("options[{i}].values"),
                    "listing-option-chars",
                    "colValue0",
                );
            }
        }
    }
    if let (Some(price), false) = (p.price, p.variants.is_empty()) {
        for v in &p.variants {
            if v.delta * 2 < -price || v.delta > price {
                issues
                    .error(
                        format!("variants[{}].price_delta", v.index),
                        "listing-option-price-range",
                        "colOptPrice",
                    )
                    .detail = Some("-50% ~ +100%".to_owned());
            }
        }
        if !p.variants.iter().any(|v| v.delta == 0) {
            issues.error("variants", "listing-option-zero-price", "colOptPrice");
        }
    }
    let codes = p.notice_codes(
        &context.elevenst_notice_codes,
        issues,
        [
            "ProductNotification",
            "ProductNotification.type",
            "ProductNotification.item.code",
        ],
    );
    if issues.blocking() {
        return;
    }
    let (Some(price), Some(fee), Some(courier), Some((kind, fields)), Some(codes), Some(origin)) = (
        p.price,
        s.fee,
        s.courier,
        p.notice.as_ref(),
        codes,
        p.file.origin.as_ref(),
    ) else {
        debug_assert!(false, "a missing value without an issue");
        return;
    };
    let food = matches!(kind.upper.as_str(), "FOOD" | "GENERAL_FOOD" | "DIET_FOOD");
    out.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Product>");
    element(out, "selMthdCd", "01");
    element(out, "dispCtgrNo", p.category.unwrap_or_default());
    element(out, "prdTypCd", "01");
    cdata(out, "prdNm", &p.name);
    element(
        out,
        "brand",
        if p.brand.is_empty() {
            "알수없음"
        } else {
            p.brand
        },
    );
    // 05: 상품별 원산지는 상세설명 참조 (food); 04: 원산지 의무 표시대상 아님.
    element(out, "rmaterialTypCd", if food { "05" } else { "04" });
    element(out, "orgnTypCd", "03");
    let place = if origin.kind.trimmed() == "imported" {
        origin.country.as_deref().unwrap_or_default()
    } else {
        origin.region.as_deref().unwrap_or("국산")
    };
    element(out, "orgnNmVal", place.trimmed());
    element(out, "beefTraceStat", if food { "03" } else { "02" });
    element(
        out,
        "suplDtyfrPrdClfCd",
        match p.tax {
            Tax::Taxable => "01",
            Tax::TaxFree => "02",
            Tax::ZeroRated => "03",
        },
    );
    element(out, "forAbrdBuyClf", "01");
    element(out, "prdStatCd", "01");
    element(
        out,
        "minorSelCnYn",
        if p.file.minor_purchasable == Some(false) {
            "N"
        } else {
            "Y"
        },
    );
    element(out, "prdImage01", p.main_image);
    for (name, url) in ["prdImage02", "prdImage03", "prdImage04"]
        .into_iter()
        .zip(p.extra_images)
    {
        element(out, name, url.trimmed());
    }
    cdata(out, "htmlDetail", &p.detail_page().html);
    // No KC certification declared: each certification group says "not a target".
    for (group, not_target) in [("01", "03"), ("02", "03"), ("03", "03"), ("04", "05")] {
        out.extend_from_slice(b"<ProductCertGroup>");
        element(out, "crtfGrpTypCd", group);
        element(out, "crtfGrpObjClfCd", not_target);
        out.extend_from_slice(b"</ProductCertGroup>");
    }
    element(out, "sellerPrdCd", p.file.sku.trimmed());
    element(out, "selTermUseYn", "N");
    number(out, "selPrc", price);
    number(out, "prdSelQty", p.total_stock());
    if !p.variants.is_empty() {
        element(out, "optSelectYn", "Y");
        element(out, "txtColCnt", "1");
        element(out, "prdExposeClfCd", "00");
        element(out, "optMixYn", "N");
        for group in &p.file.options {
            out.extend_from_slice(b"<ProductRootOption>");
            element(out, "colTitle", group.name.trimmed());
            for value in &group.values {
                out.extend_from_slice(b"<ProductOption>");
                element(out, "colValue0", value.trimmed());
                out.extend_from_slice(b"</ProductOption>");
            }
            out.extend_from_slice(b"</ProductRootOption>");
        }
        out.extend_from_slice(b"<ProductOptionExt>");
        let mut key = String::new();
        for v in &p.variants {
            out.extend_from_slice(b"<ProductOption>");
            element(out, "useYn", "Y");
            number(out, "colOptPrice", v.delta);
            number(out, "colOptCount", v.stock);
            element(out, "colSellerStockCd", v.sku);
            key.clear();
            for (g, value) in p.file.options.iter().zip(v.values) {
                if !key.is_empty() {
                    key.push('†');
                }
                key.push_str(g.name.trimmed());
                key.push(':');
                key.push_str(value.trimmed());
            }
            element(out, "optionMappingKey", &key);
            out.extend_from_slice(b"</ProductOption>");
        }
        out.extend_from_slice(b"</ProductOptionExt>");
    }
    element(out, "dlvCnAreaCd", "01");
    element(out, "dlvWyCd", "01");
    element(
        out,
        "dlvEtprsCd",
        courier
            .code_for(gachi_domain::kernel::channel::Channel::ElevenSt)
            .unwrap_or_default(),
    );
    let free_over = s.free_over.filter(|&f| f > 0);
    match (fee, free_over) {
        (0, _) => element(out, "dlvCstInstBasiCd", "01"),
        (fee, Some(over)) => {
            element(out, "dlvCstInstBasiCd", "03");
            number(out, "dlvCst1", fee);
            number(out, "PrdFrDlvBasiAmt", over);
        }
        (fee, None) => {
            element(out, "dlvCstInstBasiCd", "02");
            number(out, "dlvCst1", fee);
        }
    }
    element(out, "bndlDlvCnYn", "Y");
    element(out, "dlvCstPayTypCd", "03");
    if !seller.outbound_address_seq.trimmed().is_empty() {
        element(out, "addrSeqOut", seller.outbound_address_seq.trimmed());
    }
    if !seller.inbound_address_seq.trimmed().is_empty() {
        element(out, "addrSeqIn", seller.inbound_address_seq.trimmed());
    }
    number(out, "rtngdDlvCst", s.return_fee.unwrap_or_default());
    number(out, "exchDlvCst", s.exchange_fee.unwrap_or_default());
    element(out, "rtngdDlvCd", "02");
    cdata(out, "asDetail", &as_text);
    cdata(out, "rtngExchDetail", &returns);
    element(out, "dlvClf", "02");
    if !p.manufacturer.is_empty() {
        element(out, "company", p.manufacturer);
    }
    if !p.model.is_empty() {
        element(out, "modelNm", p.model);
    }
    out.extend_from_slice(b"<ProductNotification>");
    element(out, "type", &codes.group);
    for (field, value) in fields.given(kind) {
        let Some(code) = codes.fields.get(&field.name) else {
            continue;
        };
        out.extend_from_slice(b"<item>");
        element(out, "code", code);
        if field.kind == FieldKind::Date {
            element(out, "name", &value.replace('-', "/"));
        } else {
            element(out, "name", value);
        }
        out.extend_from_slice(b"</item>");
    }
    out.extend_from_slice(b"</ProductNotification></Product>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_full() {
        for value in [0, 7, -7, 15_900, 999_999_990, i64::MIN, i64::MAX] {
            let mut out = Vec::new();
            number(&mut out, "selPrc", value);
            assert_eq!(out, format!("<selPrc>{value}</selPrc>").into_bytes());
        }
    }

    #[test]
    fn a_cdata_end_inside_the_text_is_split() {
        let mut out = Vec::new();
        cdata(&mut out, "htmlDetail", "<p>a]]>b</p>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<htmlDetail><![CDATA[<p>a]]]]><![CDATA[>b</p>]]></htmlDetail>"
        );
    }
}
