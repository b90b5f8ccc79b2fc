//! A listing: one product file compiled for one marketplace, or the list of what that
//! marketplace would reject. The four adapters (`naver`, `coupang`, `elevenst`, `esm`) share the
//! vocabulary here: the `Channel`, the `Issue` that names the *product* field to fix (and the
//! marketplace field it becomes), the seller's per-marketplace settings, the code tables that
//! marketplaces do not publish, and `Prepared`, the product's values read once for every adapter.
//!
//! Issue codes are message keys (`listing-…`); the web layer translates them, and each has a
//! `…-hint` message saying how to fix it. Common product checks keep the domain's keys.

use std::borrow::Cow;
use std::collections::BTreeMap;

use gachi_domain::catalog;
use gachi_domain::catalog::notice::{NoticeType, NoticeValues};
use gachi_domain::catalog::product::{Loose, ProductFile, Tax};
use gachi_domain::kernel::text;
use gachi_domain::kernel::text::is_web_url;
use serde::{Deserialize, Serialize};

use crate::courier::{self, Courier};
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::text::Trimmed;
pub use gachi_domain::listing::marketplaces::{Issue, is_ready};

/// The payload's media type: 11st takes XML, the others JSON.
pub const fn content_type(channel: Channel) -> &'static str {
    match channel {
        Channel::ElevenSt => "application/xml; charset=utf-8",
        _ => "application/json",
    }
}

/// Whether a photo Gachi stores, given by its path (`/media/…`: the server has no public address
/// configured), can be listed all the same: on Naver, whose submitter uploads the stored bytes
/// to Naver's image host. The other marketplaces download photos from an address.
fn stored_photo_ok(issues: &Issues, url: &str) -> bool {
    issues.channel == Channel::Naver
        && url.starts_with(gachi_domain::catalog::media::MEDIA_PATH)
        && gachi_domain::catalog::media::stored_path(url).is_some()
}

/// Why an image address that is not a web address is refused: a photo Gachi stores needs the
/// server's public address (`--public-url`) to be sent; anything else is not an address.
fn image_url_code(url: &str) -> &'static str {
    if gachi_domain::catalog::media::stored_path(url).is_some() {
        "listing-image-public-url"
    } else {
        "listing-image-url"
    }
}

/// Every `listing-…` code an adapter can report (each has a message and a hint in both languages).
pub const CODES: &[&str] = &[
    "listing-required",
    "listing-category-missing",
    "listing-category-invalid",
    "listing-main-image-missing",
    "listing-main-image-square",
    "listing-main-image-small",
    "listing-image-url",
    "listing-image-public-url",
    "listing-too-many-images",
    "listing-images-dropped",
    "listing-setting-missing",
    "listing-courier-missing",
    "listing-courier-unknown",
    "listing-courier-code-unknown",
    "listing-too-long",
    "listing-too-long-bytes",
    "listing-too-many",
    "listing-price-step",
    "listing-number-max",
    "listing-stock-zero",
    "listing-option-price-range",
    "listing-option-zero-price",
    "listing-variants-missing",
    "listing-tag-chars",
    "listing-option-chars",
    "listing-tax-unsupported",
    "listing-notice-codes-missing",
    "listing-category-meta-missing",
    "listing-notice-category",
    "listing-notice-unmapped",
    "listing-attribute-unknown",
    "listing-attribute-required",
    "listing-name-long",
    "listing-certifications-manual",
    "listing-options-unsupported",
];

/// Collects the issues of one compile.
pub(crate) struct Issues {
    pub channel: Channel,
    pub list: Vec<Issue>,
}

impl Issues {
    pub fn new(channel: Channel) -> Self {
        Self {
            channel,
            list: Vec::new(),
        }
    }
    fn add(
        &mut self,
        field: String,
        code: &'static str,
        target: &'static str,
        warning: bool,
    ) -> &mut Issue {
        debug_assert!(
            !code.starts_with("listing-") || CODES.contains(&code),
            "{code}"
        );
        self.list.push(Issue {
            channel: self.channel,
            field,
            code,
            target,
            limit: None,
            detail: None,
            warning,
        });
        self.list.last_mut().expect("just pushed")
    }
    pub fn error(
        &mut self,
        field: impl Into<String>,
        code: &'static str,
        target: &'static str,
    ) -> &mut Issue {
        self.add(field.into(), code, target, false)
    }
    pub fn warn(
        &mut self,
        field: impl Into<String>,
        code: &'static str,
        target: &'static str,
    ) -> &mut Issue {
        self.add(field.into(), code, target, true)
    }
    pub fn blocking(&self) -> bool {
        self.list.iter().any(|i| !i.warning)
    }

    /// `value` must be at most `max` characters; `field` names the product field, built only
    /// when there is an issue.
    pub fn max_chars(
        &mut self,
        field: impl FnOnce() -> String,
        value: &str,
        max: usize,
        target: &'static str,
    ) {
        if text::longer_than(value, max) {
            self.error(field(), "listing-too-long", target).limit = Some(max as i64);
        }
    }
    /// A required setting of the seller's marketplace account.
    pub fn setting(
        &mut self,
        value: &str,
        channel: &str,
        name: &'static str,
        target: &'static str,
    ) {
        if value.trimmed().is_empty() {
            self.error(
                format!("seller.{channel}.{name}"),
                "listing-setting-missing",
                target,
            )
            .detail = Some(name.to_owned());
        }
    }
}

/// What a seller registered once in each seller center (not secret: ids and codes). Credentials
/// are kept apart, encrypted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SellerSettings {
    #[serde(default)]
    pub naver: NaverSeller,
    #[serde(default)]
    pub coupang: CoupangSeller,
    #[serde(default, rename = "11st")]
    pub elevenst: ElevenStSeller,
    #[serde(default)]
    pub esm: EsmSeller,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NaverSeller {
    /// Address-book ids (`GET /v1/seller/addressbooks-for-page`); Naver uses the defaults when absent.
    pub shipping_address_id: Option<i64>,
    pub return_address_id: Option<i64>,
}

/// Coupang Wing facts: the vendor, its login, and the registered return centre and outbound place.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CoupangSeller {
    pub vendor_id: String,
    pub vendor_user_id: String,
    pub return_center_code: String,
    pub return_charge_name: String,
    pub company_contact_number: String,
    pub return_zip_code: String,
    pub return_address: String,
    pub return_address_detail: String,
    pub outbound_shipping_place_code: String,
}

/// 11st address-book sequences (`/rest/areaservice/outboundarea`, `/inboundarea`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ElevenStSeller {
    pub outbound_address_seq: String,
    pub inbound_address_seq: String,
}

/// ESM+ facts: the shipping place, dispatch policies, return address and courier number, all
/// created in ESM+ first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EsmSeller {
    pub place_no: String,
    pub dispatch_policy_gmarket: String,
    pub dispatch_policy_auction: String,
    pub return_address_no: String,
    pub courier_company_no: String,
}

/// A notice code table a marketplace does not publish (11st, ESM): per notice type, the group
/// code and each field's item code, as copied from the seller office.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NoticeCodes {
    /// Where the codes were copied from (which seller office page, when).
    #[serde(default)]
    pub source: String,
    /// `GENERAL_FOOD` → its codes.
    #[serde(default)]
    pub types: BTreeMap<String, NoticeTypeCodes>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NoticeTypeCodes {
    pub group: String,
    /// Field name (`foodType`) → item code.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// Coupang category metadata as its meta API answers (`data` of
/// `category-related-metas/display-category-codes/{code}`), only the parts validation uses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CoupangCategoryMeta {
    pub attributes: Vec<CoupangAttribute>,
    pub notice_categories: Vec<CoupangNoticeCategory>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CoupangAttribute {
    pub attribute_type_name: String,
    pub required: String,
    pub exposed: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CoupangNoticeCategory {
    pub notice_category_name: String,
    pub notice_category_detail_names: Vec<CoupangNoticeDetail>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "NoticeDetailAsSent")]
pub struct CoupangNoticeDetail {
    pub notice_category_detail_name: String,
    pub required: String,
    /// The name as labels are compared (`notice::compared_label`), worked out when the
    /// metadata is read rather than on every compile.
    #[serde(skip_serializing)]
    pub(crate) compared_name: String,
}

/// A notice detail as Coupang's metadata gives it.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct NoticeDetailAsSent {
    notice_category_detail_name: String,
    required: String,
}

impl From<NoticeDetailAsSent> for CoupangNoticeDetail {
    fn from(sent: NoticeDetailAsSent) -> Self {
        CoupangNoticeDetail::new(sent.notice_category_detail_name, sent.required)
    }
}

impl CoupangNoticeDetail {
    pub fn new(name: impl Into<String>, required: impl Into<String>) -> Self {
        let name = name.into();
        CoupangNoticeDetail {
            compared_name: gachi_domain::catalog::notice::compared_label(&name),
            notice_category_detail_name: name,
            required: required.into(),
        }
    }
}

/// Everything besides the product that a compile reads.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub seller: SellerSettings,
    /// Coupang category code → its metadata (imported with the category tree).
    pub coupang_meta: BTreeMap<String, CoupangCategoryMeta>,
    pub elevenst_notice_codes: NoticeCodes,
    pub esm_notice_codes: NoticeCodes,
    /// Seoul local time of the compile, `YYYY-MM-DDTHH:MM:SS` (Coupang's sale start).
    pub now_seoul: String,
}

impl Context {
    /// A context with no seller settings, stamped with the current time.
    pub fn now() -> Self {
        let t = gachi_domain::kernel::time::Timestamp::now().in_seoul();
        Self {
            now_seoul: format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            ..Self::default()
        }
    }
}

/// A variant with its absolute price and stock.
pub(crate) struct Variant<'a> {
    pub index: usize,
    pub sku: &'a str,
    pub values: &'a [String],
    pub delta: i64,
    pub stock: i64,
}

/// Shipping terms as numbers.
pub(crate) struct Shipping<'a> {
    pub fee: Option<i64>,
    pub free_over: Option<i64>,
    pub dispatch_days: Option<i64>,
    pub return_fee: Option<i64>,
    pub exchange_fee: Option<i64>,
    pub courier: Option<&'static Courier>,
    pub return_to: &'a str,
}

/// The product's values, read once and shared by the adapters. Values that fail the common
/// checks are `None`; those failures are already issues, so nothing is serialized.
pub(crate) struct Prepared<'a> {
    pub file: &'a ProductFile,
    pub name: Cow<'a, str>,
    pub price: Option<i64>,
    pub list_price: Option<i64>,
    pub stock: Option<i64>,
    pub tax: Tax,
    pub notice: Option<(&'static NoticeType, NoticeValues<'a>)>,
    pub variants: Vec<Variant<'a>>,
    pub shipping: Shipping<'a>,
    pub main_image: &'a str,
    pub extra_images: &'a [String],
    pub tags: Vec<Cow<'a, str>>,
    pub brand: &'a str,
    pub manufacturer: &'a str,
    pub model: &'a str,
    pub as_phone: &'a str,
    pub as_guide: &'a str,
    pub category: Option<&'a str>,
}

fn whole(value: &Option<Loose>) -> Option<i64> {
    value.as_ref().and_then(Loose::whole)
}

fn opt_str(value: &Option<String>) -> &str {
    value.as_deref().map(str::trimmed).unwrap_or_default()
}

impl<'a> Prepared<'a> {
    /// The codes of the product's notice type in `table`, for a marketplace whose notice codes
    /// are a file (11st, ESM), with what is missing as issues at `targets` (the notice, its
    /// type code, an item's code): no notice, no codes for the type, a given field without one.
    pub fn notice_codes<'c>(
        &self,
        table: &'c NoticeCodes,
        issues: &mut Issues,
        [notice, group, item]: [&'static str; 3],
    ) -> Option<&'c NoticeTypeCodes> {
        let codes = self
            .notice
            .as_ref()
            .and_then(|(kind, _)| table.types.get(&kind.upper));
        match (&self.file.notice, &self.notice, codes) {
            (None, _, _) => {
                issues.error("notice.type", "listing-required", notice);
            }
            (Some(_), Some(_), None) => {
                issues.error("notice.type", "listing-notice-codes-missing", group);
            }
            (Some(_), Some((kind, fields)), Some(codes)) => {
                for (field, _) in fields.given(kind) {
                    if !codes.fields.contains_key(&field.name) {
                        issues.error(
                            format!("notice.fields.{}", field.name),
                            "listing-notice-codes-missing",
                            item,
                        );
                    }
                }
            }
            (Some(_), None, _) => {}
        }
        codes
    }

    /// Reads `file` for `issues.channel`, recording the common checks' faults.
    pub fn new(file: &'a ProductFile, issues: &mut Issues) -> Self {
        let checked = match file.check() {
            Ok(checked) => Some(checked),
            Err(errors) => {
                for e in errors.0 {
                    issues.error(e.field, e.code, "");
                }
                None
            }
        };
        let (tax, notice, tags, name) = match checked {
            Some(c) => (c.tax, c.notice, c.tags, c.name),
            None => (Tax::Taxable, None, Vec::new(), text::cleaned(&file.name)),
        };
        let variants = file
            .variants
            .iter()
            .enumerate()
            .map(|(index, v)| Variant {
                index,
                sku: v.sku.trimmed(),
                values: &v.values,
                delta: whole(&v.price_delta).unwrap_or(0),
                stock: whole(&v.stock).unwrap_or(0),
            })
            .collect();
        let shipping = file.shipping.as_ref();
        let courier_code = shipping.map(|s| opt_str(&s.courier)).unwrap_or_default();
        let courier = courier::find(courier_code);
        match shipping.map(|s| opt_str(&s.courier)) {
            None | Some("") => {
                issues.error("shipping.courier", "listing-courier-missing", "");
            }
            Some(code) if courier.is_none() => {
                issues
                    .error("shipping.courier", "listing-courier-unknown", "")
                    .detail = Some(code.to_owned());
            }
            _ => {}
        }
        let images = file.images.as_ref();
        let category = file
            .channel_categories
            .get(issues.channel.code())
            .and_then(|c| c.as_deref())
            .map(str::trimmed)
            .filter(|c| !c.is_empty());
        Prepared {
            file,
            name,
            price: whole(&file.price),
            list_price: whole(&file.list_price),
            stock: whole(&file.stock),
            tax,
            notice,
            variants,
            shipping: Shipping {
                fee: shipping.and_then(|s| whole(&s.fee)),
                free_over: shipping.and_then(|s| whole(&s.free_over)),
                dispatch_days: shipping.and_then(|s| whole(&s.dispatch_days)),
                return_fee: shipping.and_then(|s| whole(&s.return_fee)),
                exchange_fee: shipping.and_then(|s| whole(&s.exchange_fee)),
                courier,
                return_to: shipping.map(|s| opt_str(&s.return_to)).unwrap_or_default(),
            },
            main_image: images.map(|i| i.main.trimmed()).unwrap_or_default(),
            extra_images: images.map(|i| i.extra.as_slice()).unwrap_or_default(),
            tags,
            brand: opt_str(&file.brand),
            manufacturer: opt_str(&file.manufacturer),
            model: opt_str(&file.model),
            as_phone: file
                .after_service
                .as_ref()
                .map(|a| a.phone.trimmed())
                .unwrap_or_default(),
            as_guide: file
                .after_service
                .as_ref()
                .map(|a| a.guide.trimmed())
                .unwrap_or_default(),
            category,
        }
    }

    /// Product stock: the variants' total when the product has variants.
    pub fn total_stock(&self) -> i64 {
        if self.variants.is_empty() {
            self.stock.unwrap_or(0)
        } else {
            self.variants.iter().map(|v| v.stock).sum()
        }
    }

    /// Whether the product is imported.
    pub fn imported(&self) -> bool {
        self.file
            .origin
            .as_ref()
            .is_some_and(|o| o.kind.trimmed() == "imported")
    }

    /// The 상세페이지 fragment (built from its sections, the seller's own HTML sanitized inside).
    pub fn detail_page(&self) -> catalog::detail_page::DetailPage {
        catalog::detail_page::rendered(self.file)
    }

    /// The checks every adapter makes the same way: a category, a main image and image URLs,
    /// options backed by variants, a courier the marketplace knows.
    pub fn common_listing_checks(&self, issues: &mut Issues, targets: &CommonTargets) {
        if self.category.is_none() {
            issues.error(
                format!("channel_categories.{}", issues.channel.code()),
                "listing-category-missing",
                targets.category,
            );
        }
        if self.main_image.is_empty() {
            issues.error(
                "images.main",
                "listing-main-image-missing",
                targets.main_image,
            );
        } else if !is_web_url(self.main_image) && !stored_photo_ok(issues, self.main_image) {
            issues.error(
                "images.main",
                image_url_code(self.main_image),
                targets.main_image,
            );
        }
        // A photo Gachi stores carries its size, whether it can be sent yet or not.
        if (is_web_url(self.main_image)
            || gachi_domain::catalog::media::stored_path(self.main_image).is_some())
            && let (Some(rule), Some(photo)) = (
                targets.main_image_rule,
                gachi_domain::catalog::media::ImageKey::from_url(self.main_image),
            )
            && !rule.accepts(photo.width, photo.height)
        {
            // Only photos stored by Gachi carry their size; others are checked by the marketplace.
            let code = if rule.square {
                "listing-main-image-square"
            } else {
                "listing-main-image-small"
            };
            let issue = issues.warn("images.main", code, targets.main_image);
            issue.limit = Some(i64::from(rule.min_side));
            issue.detail = Some(format!("{}×{}", photo.width, photo.height));
        }
        for (i, url) in self.extra_images.iter().enumerate() {
            let url = url.trimmed();
            if !is_web_url(url) && !stored_photo_ok(issues, url) {
                issues.error(
                    format!("images.extra[{i}]"),
                    image_url_code(url),
                    targets.extra_images,
                );
            }
        }
        if let Some(max) = targets.max_extra_images
            && self.extra_images.len() > max
        {
            issues
                .error(
                    "images.extra",
                    "listing-too-many-images",
                    targets.extra_images,
                )
                .limit(max as i64);
        }
        if !self.file.options.is_empty() && self.variants.is_empty() {
            issues.error("variants", "listing-variants-missing", targets.options);
        }
        if self.file.minor_purchasable.is_none() {
            issues.error("minor_purchasable", "listing-required", targets.minor);
        }
        if let Some(courier) = self.shipping.courier
            && courier.code_for(issues.channel).is_none()
        {
            issues
                .error(
                    "shipping.courier",
                    "listing-courier-code-unknown",
                    targets.courier,
                )
                .detail = Some(courier.label.to_owned());
        }
    }
}

/// The marketplace field names the common checks report.
pub(crate) struct CommonTargets {
    pub category: &'static str,
    pub main_image: &'static str,
    pub extra_images: &'static str,
    pub max_extra_images: Option<usize>,
    /// The marketplace's size rule for the main image, where it has one.
    pub main_image_rule: Option<gachi_domain::catalog::media::MainImageRule>,
    pub options: &'static str,
    pub minor: &'static str,
    pub courier: &'static str,
}

/// Bytes as Korean marketplaces count them (EUC-KR: two bytes per Hangul or other non-ASCII
/// character), for limits given in bytes.
pub fn euc_kr_len(value: &str) -> usize {
    value
        .chars()
        .map(|c| if c.is_ascii() { 1 } else { 2 })
        .sum()
}

/// The output of a successful compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    /// Warnings the marketplace would not reject.
    pub warnings: Vec<Issue>,
}

/// Compiles `file` for `channel` into `out` (JSON, or XML for 11st). On failure nothing is
/// written and every issue is returned, errors and warnings alike.
pub fn compile(
    channel: Channel,
    file: &ProductFile,
    context: &Context,
    out: &mut Vec<u8>,
) -> Result<Compiled, Vec<Issue>> {
    let mut issues = Issues::new(channel);
    let prepared = Prepared::new(file, &mut issues);
    let start = out.len();
    match channel {
        Channel::Naver => crate::naver::compile(&prepared, context, &mut issues, out),
        Channel::Coupang => crate::coupang::compile(&prepared, context, &mut issues, out),
        Channel::ElevenSt => crate::elevenst::compile(&prepared, context, &mut issues, out),
        Channel::Esm => crate::esm::compile(&prepared, context, &mut issues, out),
    }
    if issues.blocking() {
        out.truncate(start);
        Err(issues.list)
    } else {
        Ok(Compiled {
            warnings: issues.list,
        })
    }
}

/// The catalog's common checks of `file` for `channel` (what every marketplace needs).
pub fn common_checks(file: &ProductFile, channel: Channel) -> catalog::completeness::Completeness {
    catalog::completeness::common(file)
        .into_iter()
        .find(|c| c.channel == channel)
        .expect("the catalog lists every channel")
}

/// `common`'s gaps (as issues without a marketplace field) joined with the marketplace's own
/// issues for `file`, each field named once.
pub fn joined_with(
    common: &catalog::completeness::Completeness,
    channel: Channel,
    file: &ProductFile,
    context: &Context,
) -> Vec<Issue> {
    let mut issues: Vec<Issue> = common
        .gaps
        .iter()
        .map(|g| Issue {
            channel,
            field: g.field.clone(),
            code: g.code,
            target: "",
            limit: None,
            detail: None,
            warning: false,
        })
        .collect();
    let named = issues.len();
    for issue in validate(channel, file, context) {
        // The common checks already name these fields (and the product's own faults, the
        // issues without a marketplace field, are among them).
        if issue.target.is_empty() || issues[..named].iter().any(|g| g.field == issue.field) {
            continue;
        }
        issues.push(issue);
    }
    issues
}

/// What keeps `file` off `channel`, or only warns: the catalog's common checks joined with the
/// marketplace's rules. "Ready" means this everywhere — the product page, publishing (web,
/// API, bulk jobs, `gachi listing submit`) and the board's bulk validation.
pub fn readiness(channel: Channel, file: &ProductFile, context: &Context) -> Vec<Issue> {
    joined_with(&common_checks(file, channel), channel, file, context)
}

/// Every issue of `file` for `channel`, without keeping a payload.
pub fn validate(channel: Channel, file: &ProductFile, context: &Context) -> Vec<Issue> {
    let mut scratch = Vec::new();
    match compile(channel, file, context, &mut scratch) {
        Ok(compiled) => compiled.warnings,
        Err(issues) => issues,
    }
}
