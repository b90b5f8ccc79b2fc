//! Naver Commerce API `POST /v2/products` (Smart Store): the body `{originProduct,
//! smartstoreChannelProduct}` as the official OpenAPI document (2.0.0-RC) shapes it, with the
//! limits of the current documentation (products.POST.md, 2026-03).
//!
//! Mapping choices worth knowing:
//! - A list price above the price becomes `salePrice` = list price with an immediate discount of
//!   the difference in won, which is how Smart Store shows a struck-through price.
//! - Origin: domestic goods send the top-level code `00` (국산); imported goods send `04`
//!   (직접입력) with the country in `content` and the importer, since the detailed country codes
//!   come from an authenticated API (`/v1/product-origin-areas`).
//! - Notice: the typed object of the notice type, the five claim texts set to `"0"` (the
//!   standard legal sentences), and the two fields the RC schema still requires
//!   (`importDeclarationCheck`, `dietFood.foodType`).
//! - Certifications are not sent: Naver needs a `certificationInfoId` from the category API.

use gachi_domain::catalog::notice::{FieldKind, NoticeType, NoticeValues};
use gachi_domain::catalog::product::Tax;
use serde::Serialize;
use serde::ser::SerializeMap;

use crate::listing::{CommonTargets, Context, Issues, Prepared};
use gachi_domain::kernel::text::Trimmed;

pub const MAX_OPTIONAL_IMAGES: usize = 9;
pub const MAX_TAGS: usize = 10;
pub const MAX_BASE_FEE: i64 = 100_000;
pub const MAX_DISCOUNT: i64 = 10_000_000;
/// Names longer than this are allowed but cut in search results (Naver recommends 50).
pub const RECOMMENDED_NAME_CHARS: usize = 50;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OriginProduct<'a> {
    status_type: &'static str,
    sale_type: &'static str,
    leaf_category_id: &'a str,
    name: &'a str,
    // detailContent (the 상세페이지) is written in front by `json::object_led_by`.
    images: Images<'a>,
    sale_price: i64,
    stock_quantity: i64,
    delivery_info: DeliveryInfo,
    detail_attribute: DetailAttribute<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_benefit: Option<CustomerBenefit>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Images<'a> {
    representative_image: Url<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    optional_images: Vec<Url<'a>>,
}

#[derive(Serialize)]
struct Url<'a> {
    url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeliveryInfo {
    delivery_type: &'static str,
    delivery_attribute_type: &'static str,
    delivery_company: &'static str,
    delivery_fee: DeliveryFee,
    claim_delivery_info: ClaimDeliveryInfo,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeliveryFee {
    delivery_fee_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_fee: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    free_conditional_amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delivery_fee_pay_type: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClaimDeliveryInfo {
    return_delivery_fee: i64,
    exchange_delivery_fee: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_address_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    return_address_id: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DetailAttribute<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    naver_shopping_search_info: Option<SearchInfo<'a>>,
    after_service_info: AfterServiceInfo<'a>,
    origin_area_info: OriginAreaInfo<'a>,
    seller_code_info: SellerCodeInfo<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    option_info: Option<OptionInfo<'a>>,
    tax_type: &'static str,
    minor_purchasable: bool,
    product_info_provided_notice: Notice<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seo_info: Option<SeoInfo<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SearchInfo<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    manufacturer_name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    brand_name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    model_name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AfterServiceInfo<'a> {
    after_service_telephone_number: &'a str,
    after_service_guide_content: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OriginAreaInfo<'a> {
    origin_area_code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    importer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<String>,
    plural: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SellerCodeInfo<'a> {
    seller_management_code: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OptionInfo<'a> {
    option_combination_sort_type: &'static str,
    option_combination_group_names: GroupNames<'a>,
    option_combinations: Vec<Combination<'a>>,
    use_stock_management: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GroupNames<'a> {
    option_group_name1: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    option_group_name2: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    option_group_name3: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Combination<'a> {
    option_name1: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    option_name2: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    option_name3: Option<&'a str>,
    stock_quantity: i64,
    price: i64,
    #[serde(skip_serializing_if = "str::is_empty")]
    seller_manager_code: &'a str,
    usable: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SeoInfo<'a> {
    seller_tags: Vec<Tag<'a>>,
}

#[derive(Serialize)]
struct Tag<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CustomerBenefit {
    immediate_discount_policy: DiscountPolicy,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DiscountPolicy {
    discount_method: DiscountMethod,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DiscountMethod {
    value: i64,
    unit_type: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SmartstoreChannelProduct {
    naver_shopping_registration: bool,
    channel_product_display_status_type: &'static str,
}

/// `{"productInfoProvidedNoticeType": "GENERAL_FOOD", "generalFood": {…}}`.
struct Notice<'a> {
    kind: &'static NoticeType,
    fields: &'a NoticeValues<'a>,
    imported: bool,
}

/// The five claim texts every notice object carries; `"0"` selects the standard legal sentence.
const CLAIM_FIELDS: [&str; 5] = [
    "returnCostReason",
    "noRefundReason",
    "qualityAssuranceStandard",
    "compensationProcedure",
    "troubleShootingContents",
];

impl Serialize for Notice<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("productInfoProvidedNoticeType", &self.kind.upper)?;
        map.serialize_entry(&self.kind.key, &NoticeFields(self))?;
        map.end()
    }
}

struct NoticeFields<'n, 'a>(&'n Notice<'a>);

impl Serialize for NoticeFields<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let notice = self.0;
        let mut map = s.serialize_map(None)?;
        for claim in CLAIM_FIELDS {
            map.serialize_entry(claim, "0")?;
        }
        for (field, value) in notice.fields.given(notice.kind) {
            match field.kind {
                FieldKind::Bool => {
                    map.serialize_entry(&field.name, &gachi_domain::catalog::notice::is_yes(value))?
                }
                // Month-only dates go to the `…Text` twin (checked to exist before compiling).
                FieldKind::Date if value.len() != 10 => {
                    map.serialize_entry(&format!("{}Text", field.name), value)?
                }
                _ => map.serialize_entry(&field.name, value)?,
            }
        }
        // Required by the RC schema although newer documentation dropped them.
        if matches!(notice.kind.key.as_str(), "generalFood" | "dietFood") {
            map.serialize_entry("importDeclarationCheck", &notice.imported)?;
        }
        if notice.kind.key == "dietFood" && notice.fields.get(notice.kind, "foodType").is_none() {
            map.serialize_entry("foodType", "건강기능식품")?;
        }
        map.end()
    }
}

/// The option price range Smart Store allows around the sale price, in percent
/// (seller-center rule: under 2,000 won 0…+100 %, under 10,000 won −50…+100 %, else −50…+50 %).
pub fn option_price_range(price: i64) -> (i64, i64) {
    if price < 2_000 {
        (0, 100)
    } else if price < 10_000 {
        (-50, 100)
    } else {
        (-50, 50)
    }
}

pub(crate) fn compile(p: &Prepared, context: &Context, issues: &mut Issues, out: &mut Vec<u8>) {
    p.common_listing_checks(
        issues,
        &CommonTargets {
            category: "originProduct.leafCategoryId",
            main_image: "originProduct.images.representativeImage.url",
            extra_images: "originProduct.images.optionalImages",
            max_extra_images: Some(MAX_OPTIONAL_IMAGES),
            main_image_rule: None,
            options: "originProduct.detailAttribute.optionInfo",
            minor: "originProduct.detailAttribute.minorPurchasable",
            courier: "originProduct.deliveryInfo.deliveryCompany",
        },
    );
    if gachi_domain::kernel::text::longer_than(&p.name, RECOMMENDED_NAME_CHARS) {
        issues
            .warn("name", "listing-name-long", "originProduct.name")
            .limit(RECOMMENDED_NAME_CHARS as i64);
    }
    if p.tags.len() > MAX_TAGS {
        issues
            .error(
                "tags",
                "listing-too-many",
                "originProduct.detailAttribute.seoInfo.sellerTags",
            )
            .limit(MAX_TAGS as i64);
    }
    let discount = match (p.price, p.list_price) {
        (Some(price), Some(list)) if list > price => Some(list - price),
        _ => None,
    };
    if discount.is_some_and(|d| d > MAX_DISCOUNT) {
        issues
            .error(
                "list_price",
                "listing-number-max",
                "originProduct.customerBenefit.immediateDiscountPolicy.discountMethod.value",
            )
            .limit(MAX_DISCOUNT);
    }
    let s = &p.shipping;
    let fee = s.fee;
    match fee {
        None => {
            issues.error(
                "shipping.fee",
                "listing-required",
                "originProduct.deliveryInfo.deliveryFee",
            );
        }
        Some(fee) if fee > MAX_BASE_FEE => {
            issues
                .error(
                    "shipping.fee",
                    "listing-number-max",
                    "originProduct.deliveryInfo.deliveryFee.baseFee",
                )
                .limit(MAX_BASE_FEE);
        }
        _ => {}
    }
    if s.return_fee.is_none() {
        issues.error(
            "shipping.return_fee",
            "listing-required",
            "originProduct.deliveryInfo.claimDeliveryInfo.returnDeliveryFee",
        );
    }
    if s.exchange_fee.is_none() {
        issues.error(
            "shipping.exchange_fee",
            "listing-required",
            "originProduct.deliveryInfo.claimDeliveryInfo.exchangeDeliveryFee",
        );
    }
    if p.as_phone.is_empty() {
        issues.error(
            "after_service.phone",
            "listing-required",
            "originProduct.detailAttribute.afterServiceInfo.afterServiceTelephoneNumber",
        );
    }
    if p.as_guide.is_empty() {
        issues.error(
            "after_service.guide",
            "listing-required",
            "originProduct.detailAttribute.afterServiceInfo.afterServiceGuideContent",
        );
    }
    let origin = p.file.origin.as_ref();
    let origin_info = match origin.map(|o| o.kind.trimmed()) {
        Some("domestic") => Some(OriginAreaInfo {
            origin_area_code: "00",
            importer: None,
            content: None,
            plural: false,
        }),
        Some("imported") => {
            let importer = origin
                .and_then(|o| o.importer.as_deref())
                .map(str::trimmed)
                .filter(|i| !i.is_empty());
            if importer.is_none() {
                issues.error(
                    "origin.importer",
                    "listing-required",
                    "originProduct.detailAttribute.originAreaInfo.importer",
                );
            }
            let country = origin
                .and_then(|o| o.country.as_deref())
                .map(str::trimmed)
                .unwrap_or_default();
            Some(OriginAreaInfo {
                origin_area_code: "04",
                importer,
                content: Some(format!("{country}산")),
                plural: false,
            })
        }
        _ => {
            issues.error(
                "origin",
                "listing-required",
                "originProduct.detailAttribute.originAreaInfo",
            );
            None
        }
    };
    match (&p.file.notice, &p.notice) {
        (None, _) => {
            issues.error(
                "notice.type",
                "listing-required",
                "originProduct.detailAttribute.productInfoProvidedNotice",
            );
        }
        (Some(_), Some((kind, fields))) => {
            for (field, value) in fields.given(kind) {
                if field.kind == FieldKind::Date
                    && value.len() != 10
                    && kind.text_form(&field.name).is_none()
                {
                    issues.error(
                        format!("notice.fields.{}", field.name),
                        "error-notice-date",
                        "originProduct.detailAttribute.productInfoProvidedNotice",
                    );
                }
            }
        }
        // An invalid notice is already a common issue.
        (Some(_), None) => {}
    }
    if let (Some(price), false) = (p.price, p.variants.is_empty()) {
        let (low, high) = option_price_range(price);
        for v in &p.variants {
            if v.delta * 100 < low * price || v.delta * 100 > high * price {
                let issue = issues.error(
                    format!("variants[{}].price_delta", v.index),
                    "listing-option-price-range",
                    "originProduct.detailAttribute.optionInfo.optionCombinations[].price",
                );
                issue.detail = Some(format!("{low}% ~ +{high}%"));
            }
        }
    }
    if issues.blocking() {
        return;
    }
    // Every value below was checked above or by the common checks.
    let (
        Some(price),
        Some(fee),
        Some(origin_area_info),
        Some((kind, notice_fields)),
        Some(courier),
    ) = (p.price, fee, origin_info, p.notice.as_ref(), s.courier)
    else {
        debug_assert!(false, "a missing value without an issue");
        return;
    };
    let free_over = s.free_over.filter(|&f| f > 0);
    let delivery_fee = if fee == 0 {
        DeliveryFee {
            delivery_fee_type: "FREE",
            base_fee: None,
            free_conditional_amount: None,
            delivery_fee_pay_type: None,
        }
    } else {
        DeliveryFee {
            delivery_fee_type: if free_over.is_some() {
                "CONDITIONAL_FREE"
            } else {
                "PAID"
            },
            base_fee: Some(fee),
            free_conditional_amount: free_over,
            delivery_fee_pay_type: Some("PREPAID"),
        }
    };
    let groups = &p.file.options;
    let option_info = (!p.variants.is_empty()).then(|| OptionInfo {
        option_combination_sort_type: "CREATE",
        option_combination_group_names: GroupNames {
            option_group_name1: groups[0].name.trimmed(),
            option_group_name2: groups.get(1).map(|g| g.name.trimmed()),
            option_group_name3: groups.get(2).map(|g| g.name.trimmed()),
        },
        option_combinations: p
            .variants
            .iter()
            .map(|v| Combination {
                option_name1: v.values[0].trimmed(),
                option_name2: v.values.get(1).map(|s| s.trimmed()),
                option_name3: v.values.get(2).map(|s| s.trimmed()),
                stock_quantity: v.stock,
                price: v.delta,
                seller_manager_code: v.sku,
                usable: true,
            })
            .collect(),
        use_stock_management: true,
    });
    let search_info = (!(p.manufacturer.is_empty() && p.brand.is_empty() && p.model.is_empty()))
        .then_some(SearchInfo {
            manufacturer_name: p.manufacturer,
            brand_name: p.brand,
            model_name: p.model,
        });
    let origin_product = OriginProduct {
        status_type: "SALE",
        sale_type: "NEW",
        leaf_category_id: p.category.unwrap_or_default(),
        name: &p.name,
        images: Images {
            representative_image: Url { url: p.main_image },
            optional_images: p
                .extra_images
                .iter()
                .map(|u| Url { url: u.trimmed() })
                .collect(),
        },
        sale_price: price + discount.unwrap_or(0),
        stock_quantity: p.total_stock(),
        delivery_info: DeliveryInfo {
            delivery_type: "DELIVERY",
            delivery_attribute_type: "NORMAL",
            delivery_company: courier.code,
            delivery_fee,
            claim_delivery_info: ClaimDeliveryInfo {
                return_delivery_fee: s.return_fee.unwrap_or_default(),
                exchange_delivery_fee: s.exchange_fee.unwrap_or_default(),
                shipping_address_id: context.seller.naver.shipping_address_id,
                return_address_id: context.seller.naver.return_address_id,
            },
        },
        detail_attribute: DetailAttribute {
            naver_shopping_search_info: search_info,
            after_service_info: AfterServiceInfo {
                after_service_telephone_number: p.as_phone,
                after_service_guide_content: p.as_guide,
            },
            origin_area_info,
            seller_code_info: SellerCodeInfo {
                seller_management_code: p.file.sku.trimmed(),
            },
            option_info,
            tax_type: match p.tax {
                Tax::Taxable => "TAX",
                Tax::TaxFree => "DUTYFREE",
                Tax::ZeroRated => "SMALL",
            },
            minor_purchasable: p.file.minor_purchasable.unwrap_or(false),
            product_info_provided_notice: Notice {
                kind,
                fields: notice_fields,
                imported: p.imported(),
            },
            seo_info: (!p.tags.is_empty()).then(|| SeoInfo {
                seller_tags: p.tags.iter().map(|t| Tag { text: t }).collect(),
            }),
        },
        customer_benefit: discount.map(|value| CustomerBenefit {
            immediate_discount_policy: DiscountPolicy {
                discount_method: DiscountMethod {
                    value,
                    unit_type: "WON",
                },
            },
        }),
    };
    let channel_product = SmartstoreChannelProduct {
        naver_shopping_registration: true,
        channel_product_display_status_type: "ON",
    };
    // {"originProduct":{"detailContent":…,…},"smartstoreChannelProduct":{…}}
    out.extend_from_slice(b"{\"originProduct\":");
    let page = p.detail_page();
    crate::json::object_led_by(
        out,
        "detailContent",
        |out| crate::json::write_page(out, &page),
        &origin_product,
    );
    out.extend_from_slice(b",\"smartstoreChannelProduct\":");
    crate::json::write_value(out, &channel_product);
    out.push(b'}');
}
