//! Coupang Open API `POST /v2/providers/seller_api/apis/api/v1/marketplace/seller-products`:
//! one seller product with one item per variant, as the official parameter tree
//! (coupang/create-seller-product.json) and the current limits (MARKETPLACES.md §2.2) describe.
//!
//! Notices and purchase options are category-specific at Coupang: the notice category and its
//! Korean detail names, and the attribute names, come from the category metadata imported with
//! the category tree. A detail name is matched to the product's notice fields by its Korean
//! label (spaces and punctuation ignored) and a few combined items Coupang uses
//! (`품명 및 모델명`, `제조자(수입자)`, `제조국(원산지)`); an unmatched required item is an issue,
//! never a guess.
//!
//! The body is written by hand (`json::Members`): the members every item repeats (images,
//! notices, the 상세페이지, constants) once, copied into each item after its own fields.

use std::borrow::Cow;

use gachi_domain::catalog::notice::{NoticeType, NoticeValues, same_label};
use gachi_domain::catalog::product::Tax;

use crate::json::{Members, write_array};
use crate::listing::{CommonTargets, Context, CoupangCategoryMeta, Issues, Prepared};
use gachi_domain::kernel::text::Trimmed;

pub const MAX_DETAIL_IMAGES: usize = 9;
pub const MAX_ITEM_NAME_CHARS: usize = 150;
pub const MAX_BUY_COUNT: i64 = 99_999;
pub const MAX_ATTRIBUTE_NAME_CHARS: usize = 25;
pub const MAX_ATTRIBUTE_VALUE_CHARS: usize = 30;
/// The special characters Coupang accepts in a search tag.
pub const TAG_SPECIAL_CHARS: &str = "!@#$%^&*-+;:'’.";

struct NoticeItem<'a> {
    notice_category_name: &'a str,
    notice_category_detail_name: &'a str,
    content: Cow<'a, str>,
}

/// A letter or digit, Hangul syllables (nearly every tag) checked without the Unicode tables.
fn tag_letter(c: char) -> bool {
    ('가'..='힣').contains(&c) || c.is_ascii_alphanumeric() || c.is_alphanumeric()
}

/// The product's value for `kind`'s notice field `name`, or for its `…Text` form.
fn field_value<'f>(kind: &NoticeType, fields: &'f NoticeValues, name: &str) -> Option<&'f str> {
    match kind.index(name) {
        Some(index) => field_value_at(kind, fields, index),
        None => fields.at(kind.text_form(name)?),
    }
}

/// `field_value` for the field at `index` of `kind`.
fn field_value_at<'f>(
    kind: &NoticeType,
    fields: &'f NoticeValues,
    index: usize,
) -> Option<&'f str> {
    fields
        .at(index)
        .or_else(|| fields.at(kind.text_form(&kind.fields[index].name)?))
}

/// The notice value Coupang's detail item asks for (its normalized name `wanted`), from the
/// product's notice.
fn notice_value<'f>(
    wanted: &str,
    kind: &NoticeType,
    fields: &'f NoticeValues,
    p: &'f Prepared,
) -> Option<Cow<'f, str>> {
    let value = |name: &str| field_value(kind, fields, name);
    let value_at = |index: usize| field_value_at(kind, fields, index);
    let labels = || {
        kind.fields
            .iter()
            .map(|f| f.compared_label.as_str())
            .enumerate()
    };
    // A field with the same label.
    if let Some(v) = labels()
        .filter(|(_, label)| *label == wanted)
        .find_map(|(index, _)| value_at(index))
    {
        return Some(Cow::Borrowed(v));
    }
    let joined = |parts: &[Option<&'f str>]| -> Option<Cow<'f, str>> {
        let mut parts = parts.iter().flatten();
        let first = parts.next()?;
        Some(parts.fold(Cow::Borrowed(*first), |joined, part| {
            Cow::Owned(format!("{joined} / {part}"))
        }))
    };
    let nonempty = |v: &'f str| (!v.is_empty()).then_some(v);
    let combined = match wanted {
        "품명및모델명" => joined(&[value("itemName"), value("modelName")]),
        "제조자수입자" | "제조자" | "제조업자및제조판매업자" => joined(&[
            value("manufacturer").or(nonempty(p.manufacturer)),
            value("importer").or(p.file.origin.as_ref().and_then(|o| o.importer.as_deref())),
        ]),
        "제조국원산지" | "제조국" | "원산지" => value("producer")
            .filter(|_| {
                kind.field("producer")
                    .is_some_and(|f| f.label.contains("제조국"))
            })
            .map(Cow::Borrowed)
            .or_else(|| match p.file.origin.as_ref() {
                Some(o) if o.kind.trimmed() == "imported" => {
                    o.country.as_deref().map(Cow::Borrowed)
                }
                Some(_) => Some(Cow::Borrowed("대한민국")),
                None => None,
            }),
        "소비자상담관련전화번호" | "소비자상담전화번호" => {
            value("customerServicePhoneNumber")
                .or_else(|| nonempty(p.as_phone))
                .map(Cow::Borrowed)
        }
        "as책임자와전화번호" => value("afterServiceDirector")
            .or_else(|| nonempty(p.as_phone))
            .map(Cow::Borrowed),
        "인증사항" | "kc인증필유무" | "kc인증정보" => value("certificateDetails")
            .or(value("certificationType"))
            .map(Cow::Borrowed),
        "출시년월" | "출시연월" => value("releaseDate").map(Cow::Borrowed),
        "품질보증기준" => value("warrantyPolicy").map(Cow::Borrowed),
        _ => None,
    };
    combined.or_else(|| {
        // A label that contains the item's name or is contained in it (`용량(중량)`).
        labels().find_map(|(index, label)| {
            (label.contains(wanted) || wanted.contains(label))
                .then(|| value_at(index))
                .flatten()
                .map(Cow::Borrowed)
        })
    })
}

/// The notice items for the category: the notice category named like the product's notice
/// type, and a value for every item.
fn notices<'m>(
    meta: &'m CoupangCategoryMeta,
    p: &'m Prepared,
    issues: &mut Issues,
) -> Vec<NoticeItem<'m>> {
    let Some((kind, fields)) = &p.notice else {
        return Vec::new();
    };
    let Some(category) = meta
        .notice_categories
        .iter()
        .find(|c| same_label(&c.notice_category_name, &kind.label))
    else {
        let accepted: Vec<&str> = meta
            .notice_categories
            .iter()
            .map(|c| c.notice_category_name.as_str())
            .collect();
        issues
            .error(
                "notice.type",
                "listing-notice-category",
                "items[].notices[].noticeCategoryName",
            )
            .detail = Some(accepted.join(", "));
        return Vec::new();
    };
    let mut items = Vec::with_capacity(category.notice_category_detail_names.len());
    for detail in &category.notice_category_detail_names {
        let name = detail.notice_category_detail_name.as_str();
        match notice_value(&detail.compared_name, kind, fields, p) {
            Some(content) => items.push(NoticeItem {
                notice_category_name: &category.notice_category_name,
                notice_category_detail_name: name,
                content,
            }),
            None if detail.required == "MANDATORY" => {
                issues
                    .error(
                        "notice.fields",
                        "listing-notice-unmapped",
                        "items[].notices[].content",
                    )
                    .detail = Some(name.to_owned());
            }
            None => {}
        }
    }
    items
}

pub(crate) fn compile(p: &Prepared, context: &Context, issues: &mut Issues, out: &mut Vec<u8>) {
    p.common_listing_checks(
        issues,
        &CommonTargets {
            category: "displayCategoryCode",
            main_image: "items[].images[REPRESENTATION].vendorPath",
            extra_images: "items[].images[DETAIL]",
            max_extra_images: Some(MAX_DETAIL_IMAGES),
            main_image_rule: Some(gachi_domain::catalog::media::COUPANG_MAIN_IMAGE),
            options: "items[]",
            minor: "items[].adultOnly",
            courier: "deliveryCompanyCode",
        },
    );
    let category_code = p.category.and_then(|c| c.parse::<i64>().ok());
    if p.category.is_some() && category_code.is_none() {
        issues.error(
            "channel_categories.coupang",
            "listing-category-invalid",
            "displayCategoryCode",
        );
    }
    let meta = p.category.and_then(|c| context.coupang_meta.get(c));
    if category_code.is_some() && meta.is_none() {
        issues.error(
            "channel_categories.coupang",
            "listing-category-meta-missing",
            "displayCategoryCode",
        );
    }
    let seller = &context.seller.coupang;
    for (value, name, target) in [
        (&seller.vendor_id, "vendor_id", "vendorId"),
        (&seller.vendor_user_id, "vendor_user_id", "vendorUserId"),
        (
            &seller.return_center_code,
            "return_center_code",
            "returnCenterCode",
        ),
        (
            &seller.return_charge_name,
            "return_charge_name",
            "returnChargeName",
        ),
        (
            &seller.company_contact_number,
            "company_contact_number",
            "companyContactNumber",
        ),
        (&seller.return_zip_code, "return_zip_code", "returnZipCode"),
        (&seller.return_address, "return_address", "returnAddress"),
        (
            &seller.return_address_detail,
            "return_address_detail",
            "returnAddressDetail",
        ),
    ] {
        issues.setting(value, "coupang", name, target);
    }
    let outbound = seller.outbound_shipping_place_code.trimmed();
    if !outbound.is_empty() && outbound.parse::<i64>().is_err() {
        issues
            .error(
                "seller.coupang.outbound_shipping_place_code",
                "listing-setting-missing",
                "outboundShippingPlaceCode",
            )
            .detail = Some("outbound_shipping_place_code".to_owned());
    }
    if p.brand.is_empty() {
        issues.error("brand", "listing-required", "brand");
    }
    if p.tax == Tax::ZeroRated {
        issues.error("tax", "listing-tax-unsupported", "items[].taxType");
    }
    if p.as_phone.is_empty() {
        issues.error(
            "after_service.phone",
            "listing-required",
            "afterServiceContactNumber",
        );
    }
    if p.as_guide.is_empty() {
        issues.error(
            "after_service.guide",
            "listing-required",
            "afterServiceInformation",
        );
    }
    let s = &p.shipping;
    if s.fee.is_none() {
        issues.error("shipping.fee", "listing-required", "deliveryCharge");
    }
    if s.free_over.is_some_and(|f| f > 0 && f % 100 != 0) {
        issues
            .error(
                "shipping.free_over",
                "listing-price-step",
                "freeShipOverAmount",
            )
            .limit(100);
    }
    if s.return_fee.is_none() {
        issues.error("shipping.return_fee", "listing-required", "returnCharge");
    }
    if s.dispatch_days.is_none() {
        issues.error(
            "shipping.dispatch_days",
            "listing-required",
            "items[].outboundShippingTimeDay",
        );
    }
    if let Some(price) = p.price
        && price % 10 != 0
    {
        issues
            .error("price", "listing-price-step", "items[].salePrice")
            .limit(10);
    }
    if p.variants.is_empty() && p.stock.is_some_and(|s| s > MAX_BUY_COUNT) {
        issues
            .error("stock", "listing-number-max", "items[].maximumBuyCount")
            .limit(MAX_BUY_COUNT);
    }
    for v in &p.variants {
        if v.delta % 10 != 0 {
            issues
                .error(
                    format!("variants[{}].price_delta", v.index),
                    "listing-price-step",
                    "items[].salePrice",
                )
                .limit(10);
        }
        if v.stock > MAX_BUY_COUNT {
            issues
                .error(
                    format!("variants[{}].stock", v.index),
                    "listing-number-max",
                    "items[].maximumBuyCount",
                )
                .limit(MAX_BUY_COUNT);
        }
        // The item name: the product name, then the variant's values, each after a space.
        // Characters are counted only when the bytes could be too many.
        let item_name_len = |count: fn(&str) -> usize| {
            v.values
                .iter()
                .fold(count(&p.name), |n, value| n + 1 + count(value.trimmed()))
        };
        if item_name_len(str::len) > MAX_ITEM_NAME_CHARS
            && item_name_len(gachi_domain::kernel::text::char_len) > MAX_ITEM_NAME_CHARS
        {
            issues
                .error(
                    format!("variants[{}].values", v.index),
                    "listing-too-long",
                    "items[].itemName",
                )
                .limit(MAX_ITEM_NAME_CHARS as i64);
        }
    }
    if p.variants.is_empty()
        && gachi_domain::kernel::text::longer_than(&p.name, MAX_ITEM_NAME_CHARS)
    {
        issues
            .error("name", "listing-too-long", "items[].itemName")
            .limit(MAX_ITEM_NAME_CHARS as i64);
    }
    for (i, tag) in p.tags.iter().enumerate() {
        if tag
            .chars()
            .any(|c| !(tag_letter(c) || c == ' ' || TAG_SPECIAL_CHARS.contains(c)))
        {
            issues.error(
                format!("tags[{i}]"),
                "listing-tag-chars",
                "items[].searchTags",
            );
        }
    }
    for (i, group) in p.file.options.iter().enumerate() {
        issues.max_chars(
            || format!("options[{i}].name"),
            group.name.trimmed(),
            MAX_ATTRIBUTE_NAME_CHARS,
            "items[].attributes[].attributeTypeName",
        );
        for value in &group.values {
            issues.max_chars(
                || format!("options[{i}].values"),
                value.trimmed(),
                MAX_ATTRIBUTE_VALUE_CHARS,
                "items[].attributes[].attributeValueName",
            );
        }
    }
    let mut notice_items = Vec::new();
    if let Some(meta) = meta {
        // Since 2024-10 only the category's own attributes are accepted as purchase options.
        for (i, group) in p.file.options.iter().enumerate() {
            if !meta
                .attributes
                .iter()
                .any(|a| same_label(&a.attribute_type_name, &group.name))
            {
                let exposed: Vec<&str> = meta
                    .attributes
                    .iter()
                    .filter(|a| a.exposed == "EXPOSED")
                    .map(|a| a.attribute_type_name.as_str())
                    .collect();
                issues
                    .error(
                        format!("options[{i}].name"),
                        "listing-attribute-unknown",
                        "items[].attributes[].attributeTypeName",
                    )
                    .detail = Some(exposed.join(", "));
            }
        }
        for attribute in meta.attributes.iter().filter(|a| a.required == "MANDATORY") {
            if !p
                .file
                .options
                .iter()
                .any(|g| same_label(&g.name, &attribute.attribute_type_name))
            {
                issues
                    .error(
                        "options",
                        "listing-attribute-required",
                        "items[].attributes",
                    )
                    .detail = Some(attribute.attribute_type_name.clone());
            }
        }
        if p.file.notice.is_none() {
            issues.error("notice.type", "listing-required", "items[].notices");
        } else {
            notice_items = notices(meta, p, issues);
        }
    }
    if issues.blocking() {
        return;
    }
    let (Some(category), Some(price), Some(fee), Some(courier), Some(dispatch_days)) =
        (category_code, p.price, s.fee, s.courier, s.dispatch_days)
    else {
        debug_assert!(false, "a missing value without an issue");
        return;
    };
    let courier_code = courier
        .code_for(gachi_domain::kernel::channel::Channel::Coupang)
        .unwrap_or_default();
    let free_over = s.free_over.filter(|&f| f > 0);
    let return_fee = s.return_fee.unwrap_or_default();
    let (charge_type, charge, over, on_return) = match (fee, free_over) {
        (0, _) => ("FREE", 0, 0, return_fee),
        (fee, Some(over)) => ("CONDITIONAL_FREE", fee, over, return_fee),
        (fee, None) => ("NOT_FREE", fee, 0, 0),
    };
    let list_price = p.list_price.unwrap_or(price);
    let seller = &context.seller.coupang;
    let outbound_place = seller
        .outbound_shipping_place_code
        .trimmed()
        .parse::<i64>()
        .ok();
    let mut body = Members::open(out);
    body.int("displayCategoryCode", category)
        .str("sellerProductName", &p.name)
        .str("vendorId", seller.vendor_id.trimmed())
        .str("saleStartedAt", &context.now_seoul)
        .str("saleEndedAt", "2099-01-01T23:59:59")
        .str("displayProductName", &p.name)
        .str("brand", p.brand)
        .str("generalProductName", &p.name)
        .str(
            "manufacture",
            if p.manufacturer.is_empty() {
                p.brand
            } else {
                p.manufacturer
            },
        )
        .str("deliveryMethod", "SEQUENCIAL")
        .str("deliveryCompanyCode", courier_code)
        .str("deliveryChargeType", charge_type)
        .int("deliveryCharge", charge)
        .int("freeShipOverAmount", over)
        .int("deliveryChargeOnReturn", on_return)
        .str("remoteAreaDeliverable", "N")
        .str(
            "unionDeliveryType",
            if outbound_place.is_some() {
                "UNION_DELIVERY"
            } else {
                "NOT_UNION_DELIVERY"
            },
        )
        .str("returnCenterCode", seller.return_center_code.trimmed())
        .str("returnChargeName", seller.return_charge_name.trimmed())
        .str(
            "companyContactNumber",
            seller.company_contact_number.trimmed(),
        )
        .str("returnZipCode", seller.return_zip_code.trimmed())
        .str("returnAddress", seller.return_address.trimmed())
        .str(
            "returnAddressDetail",
            seller.return_address_detail.trimmed(),
        )
        .int("returnCharge", return_fee)
        .str("returnChargeVendor", "N")
        .str("afterServiceInformation", p.as_guide)
        .str("afterServiceContactNumber", p.as_phone);
    if let Some(place) = outbound_place {
        body.int("outboundShippingPlaceCode", place);
    }
    body.str("vendorUserId", seller.vendor_user_id.trimmed())
        .bool("requested", true)
        .with("items", |out| {
            write_items(out, p, price, list_price, |out| {
                write_item_shared_members(out, p, dispatch_days, &notice_items)
            });
        })
        .close();
}

/// Writes the members every item repeats (images, notices, the 상세페이지 as `contents`, a
/// dozen constants) after an item's own: `write_items` writes them into the first item and
/// copies them into the others, so a product with 20 variants serializes them once.
fn write_item_shared_members(
    out: &mut Vec<u8>,
    p: &Prepared,
    dispatch_days: i64,
    notices: &[NoticeItem],
) {
    use crate::json::write_string;
    let page = p.detail_page();
    out.reserve(page.html.len() * 9 / 8 + 4 * 1024);
    let mut shared = Members::resume(out);
    shared
        .int("maximumBuyForPerson", 0)
        .int("outboundShippingTimeDay", dispatch_days)
        .int("maximumBuyForPersonPeriod", 1)
        .int("unitCount", 0)
        .str(
            "adultOnly",
            if p.file.minor_purchasable == Some(false) {
                "ADULT_ONLY"
            } else {
                "EVERYONE"
            },
        )
        .str(
            "taxType",
            if p.tax == Tax::TaxFree { "FREE" } else { "TAX" },
        )
        .str("parallelImported", "NOT_PARALLEL_IMPORTED")
        .str("overseasPurchased", "NOT_OVERSEAS_PURCHASED")
        .bool("pccNeeded", false)
        .bool("emptyBarcode", true)
        .str("emptyBarcodeReason", "바코드 없는 상품")
        .str_if_any("modelNo", p.model)
        .with("certifications", |out| {
            let certification = if p.file.certifications.is_empty() {
                "NOT_REQUIRED"
            } else {
                "PRESENTED_IN_DETAIL_PAGE"
            };
            write_array(out, [certification], |out, certification| {
                Members::open(out)
                    .str("certificationType", certification)
                    .str("certificationCode", "")
                    .close();
            });
        });
    if !p.tags.is_empty() {
        shared.with("searchTags", |out| {
            write_array(out, &p.tags, |out, tag| write_string(out, tag));
        });
    }
    shared
        .with("images", |out| {
            let main = std::iter::once(("REPRESENTATION", p.main_image));
            let extra = p.extra_images.iter().map(|url| ("DETAIL", url.trimmed()));
            write_array(
                out,
                main.chain(extra).enumerate(),
                |out, (order, (kind, url))| {
                    Members::open(out)
                        .int("imageOrder", order as i64)
                        .str("imageType", kind)
                        .str("vendorPath", url)
                        .close();
                },
            );
        })
        .str("offerCondition", "NEW")
        .with("notices", |out| write_notices(out, notices))
        .with("contents", |out| {
            out.extend_from_slice(
                br#"[{"contentsType":"TEXT","contentDetails":[{"detailType":"TEXT","content":"#,
            );
            crate::json::write_page(out, &page);
            out.extend_from_slice(b"}]}]");
        });
}

/// Writes the notices array: one object per notice item.
fn write_notices(out: &mut Vec<u8>, items: &[NoticeItem]) {
    write_array(out, items, |out, item| {
        Members::open(out)
            .str("noticeCategoryName", item.notice_category_name)
            .str("noticeCategoryDetailName", item.notice_category_detail_name)
            .str("content", &item.content)
            .close();
    });
}

/// Writes the items array: one item per variant (or one for the product), each with its own
/// fields written here by hand — the keys are constants, and serde's per-field work was the
/// largest part of a compile at 20 items — then the members every item repeats, written by
/// `write_shared` into the first item and copied from there into the others.
fn write_items(
    out: &mut Vec<u8>,
    p: &Prepared,
    price: i64,
    list_price: i64,
    write_shared: impl FnOnce(&mut Vec<u8>),
) {
    use crate::json::{write_int, write_string, write_string_contents};
    let items = p.variants.len().max(1);
    let mut write_shared = Some(write_shared);
    let mut shared = 0..0;
    // What every item writes the same is escaped once: the product name, which leads each
    // item name, and each option group's name.
    let mut name = Vec::with_capacity(p.name.len() + 8);
    write_string_contents(&mut name, &p.name);
    let group_names: Vec<Vec<u8>> = p
        .file
        .options
        .iter()
        .map(|group| {
            let mut written = b"{\"attributeTypeName\":".to_vec();
            write_string(&mut written, group.name.trimmed());
            written.extend_from_slice(b",\"attributeValueName\":");
            written
        })
        .collect();
    let mut item = |out: &mut Vec<u8>, values: &[String], delta: i64, stock: i64, sku: &str| {
        out.extend_from_slice(b"{\"itemName\":\"");
        out.extend_from_slice(&name);
        for value in values {
            out.push(b' ');
            write_string_contents(out, value.trimmed());
        }
        out.extend_from_slice(b"\",\"originalPrice\":");
        write_int(out, list_price + delta);
        out.extend_from_slice(b",\"salePrice\":");
        write_int(out, price + delta);
        out.extend_from_slice(b",\"maximumBuyCount\":");
        write_int(out, stock);
        if !sku.is_empty() {
            out.extend_from_slice(b",\"externalVendorSku\":");
            write_string(out, sku);
        }
        out.extend_from_slice(b",\"attributes\":");
        write_array(
            out,
            group_names.iter().zip(values),
            |out, (group, value)| {
                out.extend_from_slice(group);
                write_string(out, value.trimmed());
                out.extend_from_slice(b",\"exposed\":\"EXPOSED\"}");
            },
        );
        match write_shared.take() {
            Some(write) => {
                let start = out.len();
                write(out);
                shared = start..out.len();
                // The others, each its own fields (~300 bytes) and a copy of these.
                out.reserve((items - 1) * (shared.len() + 384) + 16);
            }
            None => out.extend_from_within(shared.clone()),
        }
        out.push(b'}');
    };
    // One item per variant, or one for a product without options.
    let product: &[String] = &[];
    let single = p
        .variants
        .is_empty()
        .then(|| (product, 0, p.stock.unwrap_or(0), p.file.sku.trimmed()));
    let variants = p
        .variants
        .iter()
        .map(|v| (v.values, v.delta, v.stock, v.sku));
    write_array(
        out,
        single.into_iter().chain(variants),
        |out, (values, delta, stock, sku)| item(out, values, delta, stock, sku),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_field_is_read_by_its_name_or_its_text_form() {
        let kind = gachi_domain::catalog::notice::find("GENERAL_FOOD").unwrap();
        let fields = NoticeValues::from_pairs(
            kind,
            [
                ("consumptionDate", "2026-12-01"),
                ("consumptionDateText", "제조일로부터 1년"),
                ("expirationDateText", "제조일로부터 6개월"),
                ("producer", "전주"),
                ("producerTextual", "아님"),
            ]
            .map(|(k, v)| (k, Cow::Borrowed(v))),
        );
        let value = |name| field_value(kind, &fields, name);
        assert_eq!(value("consumptionDate"), Some("2026-12-01"));
        assert_eq!(value("expirationDate"), Some("제조일로부터 6개월"));
        assert_eq!(value("producer"), Some("전주"));
        assert_eq!(value("packDate"), None);
        assert_eq!(value("volume"), None);
        assert_eq!(value("producerText"), None);
    }

    #[test]
    fn labels_compare_by_their_letters_digits_and_hangul() {
        let kind = gachi_domain::catalog::notice::find("GENERAL_FOOD").unwrap();
        for field in &kind.fields {
            assert_eq!(
                field.compared_label,
                gachi_domain::catalog::notice::label_chars(&field.label).collect::<String>()
            );
        }
        assert!(same_label("제조국(원산지)", "제조국 원산지"));
        assert!(same_label("KC 인증", "kc인증"));
        let detail = crate::listing::CoupangNoticeDetail::new("품명 및 모델명", "MANDATORY");
        assert_eq!(detail.compared_name, "품명및모델명");
        let read: crate::listing::CoupangNoticeDetail = serde_json::from_str(
            r#"{"noticeCategoryDetailName": "품명 및 모델명", "required": "MANDATORY"}"#,
        )
        .unwrap();
        assert_eq!(read, detail);
        assert!(!serde_json::to_string(&read).unwrap().contains("compared"));
    }
}
