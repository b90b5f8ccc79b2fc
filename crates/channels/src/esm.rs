//! ESM 2.0 (Gmarket and Auction) `POST /item/v1/goods`: the JSON skeleton of the official guide
//! (etapi.gmarket.com, MARKETPLACES.md §4) — basic info, price and stock per site, shipping by
//! the seller's ESM+ place and dispatch policies, the official notice, images and the HTML
//! description.
//!
//! ESM's full field table is not public. What the adapter does not know it reports instead of
//! guessing: the notice group and item codes come from a code table copied from ESM+
//! (`NoticeCodes`); shipping uses the place, policy and courier numbers the seller created in
//! ESM+; and products with options are refused, because the option (`recommendedOpts`) format
//! is only partly documented.

use gachi_domain::catalog::notice::FieldKind;
use gachi_domain::catalog::product::Tax;
use serde::Serialize;

use crate::listing::{CommonTargets, Context, Issues, Prepared};
use gachi_domain::kernel::text::Trimmed;

/// ESM accepts a basic image and up to 14 additional ones.
pub const MAX_EXTRA_IMAGES: usize = 14;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    item_basic_info: BasicInfo<'a>,
    is_sell: PerSiteLower<bool>,
    // "itemAddtionalInfo" (spelled as ESM spells it) is written after these: see `compile`.
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BasicInfo<'a> {
    goods_name: GoodsName<'a>,
    category: Category<'a>,
    catalog: Catalog<'a>,
}

#[derive(Serialize)]
struct GoodsName<'a> {
    kor: &'a str,
}

#[derive(Serialize)]
struct Category<'a> {
    esm: CatCode<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CatCode<'a> {
    cat_code: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Catalog<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    model_name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    brand_name: &'a str,
}

#[derive(Serialize)]
struct PerSite<T> {
    #[serde(rename = "Gmkt")]
    gmarket: T,
    #[serde(rename = "Iac")]
    auction: T,
}

#[derive(Serialize)]
struct PerSiteLower<T> {
    gmkt: T,
    iac: T,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AdditionalInfo<'a> {
    price: PerSite<i64>,
    stock: PerSite<i64>,
    shipping: Shipping<'a>,
    official_notice: OfficialNotice<'a>,
    is_adult_product: bool,
    is_vat_free: bool,
    images: Images<'a>,
    // "descriptions" (the 상세페이지) is written after these: see `compile`.
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Shipping<'a> {
    r#type: u8,
    company_no: &'a str,
    policy: Policy<'a>,
    return_and_exchange: ReturnAndExchange<'a>,
    dispatch_policy_no: PerSiteLower<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Policy<'a> {
    place_no: &'a str,
    fee_type: u8,
    each: EachFee,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EachFee {
    fee_type: u8,
    fee: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    free_condition_amount: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReturnAndExchange<'a> {
    addr_no: &'a str,
    fee: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OfficialNotice<'a> {
    official_notice_no: &'a str,
    details: Vec<NoticeDetail<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NoticeDetail<'a> {
    #[serde(rename = "officialNoticeItemelementCode")]
    code: &'a str,
    value: &'a str,
    is_extra_mark: bool,
}

#[derive(Serialize)]
struct Images<'a> {
    #[serde(rename = "basicImgURL")]
    basic: &'a str,
    #[serde(flatten)]
    additional: AdditionalImages<'a>,
}

/// `addtionalImg1URL` … `addtionalImg14URL` (ESM's spelling).
struct AdditionalImages<'a>(&'a [String]);

impl Serialize for AdditionalImages<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (i, url) in self.0.iter().enumerate() {
            map.serialize_entry(&format!("addtionalImg{}URL", i + 1), url.trimmed())?;
        }
        map.end()
    }
}

pub(crate) fn compile(p: &Prepared, context: &Context, issues: &mut Issues, out: &mut Vec<u8>) {
    p.common_listing_checks(
        issues,
        &CommonTargets {
            category: "itemBasicInfo.category.esm.catCode",
            main_image: "itemAddtionalInfo.images.basicImgURL",
            extra_images: "itemAddtionalInfo.images.addtionalImgURL",
            max_extra_images: Some(MAX_EXTRA_IMAGES),
            main_image_rule: None,
            options: "itemAddtionalInfo.recommendedOpts",
            minor: "itemAddtionalInfo.isAdultProduct",
            courier: "itemAddtionalInfo.shipping.companyNo",
        },
    );
    if !p.file.options.is_empty() {
        issues.error(
            "options",
            "listing-options-unsupported",
            "itemAddtionalInfo.recommendedOpts",
        );
    }
    let seller = &context.seller.esm;
    for (value, name, target) in [
        (&seller.place_no, "place_no", "shipping.policy.placeNo"),
        (
            &seller.dispatch_policy_gmarket,
            "dispatch_policy_gmarket",
            "shipping.dispatchPolicyNo.gmkt",
        ),
        (
            &seller.dispatch_policy_auction,
            "dispatch_policy_auction",
            "shipping.dispatchPolicyNo.iac",
        ),
        (
            &seller.return_address_no,
            "return_address_no",
            "shipping.returnAndExchange.addrNo",
        ),
        (
            &seller.courier_company_no,
            "courier_company_no",
            "shipping.companyNo",
        ),
    ] {
        issues.setting(value, "esm", name, target);
    }
    let s = &p.shipping;
    if s.fee.is_none() {
        issues.error(
            "shipping.fee",
            "listing-required",
            "shipping.policy.each.fee",
        );
    }
    if s.return_fee.is_none() {
        issues.error(
            "shipping.return_fee",
            "listing-required",
            "shipping.returnAndExchange.fee",
        );
    }
    let codes = p.notice_codes(
        &context.esm_notice_codes,
        issues,
        [
            "officialNotice",
            "officialNotice.officialNoticeNo",
            "officialNotice.details[].officialNoticeItemelementCode",
        ],
    );
    if issues.blocking() {
        return;
    }
    let (Some(price), Some(fee), Some((kind, fields)), Some(codes)) =
        (p.price, s.fee, p.notice.as_ref(), codes)
    else {
        debug_assert!(false, "a missing value without an issue");
        return;
    };
    let stock = p.total_stock();
    let free_over = s.free_over.filter(|&f| f > 0);
    let details = fields
        .given(kind)
        .filter_map(|(field, value)| {
            let code = codes.fields.get(&field.name)?;
            Some(NoticeDetail {
                code,
                value: if field.kind == FieldKind::Bool {
                    if gachi_domain::catalog::notice::is_yes(value) {
                        "Y"
                    } else {
                        "N"
                    }
                } else {
                    value
                },
                is_extra_mark: false,
            })
        })
        .collect();
    let item_basic_info = BasicInfo {
        goods_name: GoodsName { kor: &p.name },
        category: Category {
            esm: CatCode {
                cat_code: p.category.unwrap_or_default(),
            },
        },
        catalog: Catalog {
            model_name: p.model,
            brand_name: p.brand,
        },
    };
    let additional_info = AdditionalInfo {
        price: PerSite {
            gmarket: price,
            auction: price,
        },
        stock: PerSite {
            gmarket: stock,
            auction: stock,
        },
        shipping: Shipping {
            r#type: 1,
            company_no: seller.courier_company_no.trimmed(),
            policy: Policy {
                place_no: seller.place_no.trimmed(),
                fee_type: 1,
                each: EachFee {
                    // 1 free, 2 paid, 3 free over an amount.
                    fee_type: match (fee, free_over) {
                        (0, _) => 1,
                        (_, Some(_)) => 3,
                        (_, None) => 2,
                    },
                    fee,
                    free_condition_amount: free_over.filter(|_| fee > 0),
                },
            },
            return_and_exchange: ReturnAndExchange {
                addr_no: seller.return_address_no.trimmed(),
                fee: s.return_fee.unwrap_or_default(),
            },
            dispatch_policy_no: PerSiteLower {
                gmkt: seller.dispatch_policy_gmarket.trimmed(),
                iac: seller.dispatch_policy_auction.trimmed(),
            },
        },
        official_notice: OfficialNotice {
            official_notice_no: &codes.group,
            details,
        },
        is_adult_product: p.file.minor_purchasable == Some(false),
        is_vat_free: p.tax == Tax::TaxFree,
        images: Images {
            basic: p.main_image,
            additional: AdditionalImages(p.extra_images),
        },
    };
    let body = Body {
        item_basic_info,
        is_sell: PerSiteLower {
            gmkt: true,
            iac: true,
        },
    };
    let page = p.detail_page();
    crate::json::object_then(out, &body, |out| {
        out.extend_from_slice(br#""itemAddtionalInfo":"#);
        crate::json::object_then(out, &additional_info, |out| {
            out.extend_from_slice(br#""descriptions":{"kor":{"type":2,"html":"#);
            crate::json::write_page(out, &page);
            out.extend_from_slice(b"}}");
        });
    });
}
