//! Catalog use cases: who may manage which products, completeness per channel ("what would be
//! rejected, and why"), and the 상세페이지 as one self-contained HTML fragment.
//!
//! Completeness here holds the rules common to all four marketplaces; the channel adapters add
//! their own (issue 5) to the same list.

use crate::accounts::{Role, User};
use crate::audit::Actor;
use crate::error::{FieldError, ValidationErrors};
use crate::merchant::MerchantId;
use crate::notice::FieldKind;
use crate::ports::{Clock, Store, StoreError};
use crate::product::{Product, ProductFile, ProductId};

/// The marketplaces a product is prepared for.
pub const CHANNELS: [&str; 4] = ["naver", "coupang", "11st", "esm"];

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("sku taken")]
    SkuTaken,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Catalog<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

impl Catalog<'_> {
    /// The merchant whose catalog `user` works on: their own shop, or for staff the one named.
    pub async fn merchant_for(
        &self,
        user: &User,
        named: Option<MerchantId>,
    ) -> Result<MerchantId, CatalogError> {
        match user.role {
            Role::Merchant => {
                let shop = self
                    .store
                    .merchant_of_owner(user.id)
                    .await?
                    .ok_or_else(|| {
                        CatalogError::Invalid(
                            FieldError::new("merchant_id", "error-round-no-shop").into(),
                        )
                    })?;
                match named {
                    Some(id) if id != shop.id => Err(CatalogError::Forbidden),
                    _ => Ok(shop.id),
                }
            }
            Role::Operator | Role::Admin => {
                let id = named.ok_or_else(|| {
                    CatalogError::Invalid(FieldError::new("merchant_id", "error-required").into())
                })?;
                self.store.merchant(id).await?.ok_or_else(|| {
                    CatalogError::Invalid(FieldError::new("merchant_id", "error-not-found").into())
                })?;
                Ok(id)
            }
            _ => Err(CatalogError::Forbidden),
        }
    }

    pub async fn create(
        &self,
        user: &User,
        merchant: Option<MerchantId>,
        file: &ProductFile,
        actor: &Actor,
    ) -> Result<Product, CatalogError> {
        let merchant = self.merchant_for(user, merchant).await?;
        let checked = file.check().map_err(CatalogError::Invalid)?;
        let audit = actor.entry(
            self.clock.now(),
            "product.create",
            "",
            format!("merchant={} sku={}", merchant.0, checked.sku),
        );
        match self
            .store
            .create_product(merchant, file, &checked, &audit)
            .await
        {
            Ok(product) => Ok(product),
            Err(StoreError::Conflict("sku")) => Err(CatalogError::SkuTaken),
            Err(other) => Err(other.into()),
        }
    }

    /// The product, if `user` may work on it (others get "not found").
    pub async fn get(&self, user: &User, id: ProductId) -> Result<Product, CatalogError> {
        let product = self
            .store
            .product(id)
            .await?
            .ok_or(CatalogError::NotFound)?;
        let allowed = match user.role {
            Role::Operator | Role::Admin => true,
            Role::Merchant => self
                .store
                .merchant_of_owner(user.id)
                .await?
                .is_some_and(|m| m.id == product.merchant),
            _ => false,
        };
        if allowed {
            Ok(product)
        } else {
            Err(CatalogError::NotFound)
        }
    }

    pub async fn list(
        &self,
        user: &User,
        merchant: Option<MerchantId>,
    ) -> Result<Vec<Product>, CatalogError> {
        let merchant = self.merchant_for(user, merchant).await?;
        Ok(self.store.products_of(merchant, 500).await?)
    }

    pub async fn replace(
        &self,
        user: &User,
        id: ProductId,
        file: &ProductFile,
        actor: &Actor,
    ) -> Result<Product, CatalogError> {
        let product = self.get(user, id).await?;
        let checked = file.check().map_err(CatalogError::Invalid)?;
        let audit = actor.entry(
            self.clock.now(),
            "product.update",
            format!("product:{}", product.id.0),
            "",
        );
        match self
            .store
            .update_product(product.id, file, &checked, &audit)
            .await
        {
            Ok(product) => Ok(product),
            Err(StoreError::Conflict("sku")) => Err(CatalogError::SkuTaken),
            Err(other) => Err(other.into()),
        }
    }

    pub async fn delete(
        &self,
        user: &User,
        id: ProductId,
        actor: &Actor,
    ) -> Result<(), CatalogError> {
        let product = self.get(user, id).await?;
        let audit = actor.entry(
            self.clock.now(),
            "product.delete",
            format!("product:{}", product.id.0),
            product.file.sku.clone(),
        );
        Ok(self.store.delete_product(product.id, &audit).await?)
    }
}

/// One thing a marketplace would reject, with the product field to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub field: String,
    /// The message key saying what is missing and how to fix it.
    pub code: &'static str,
}

/// How ready a product is for one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completeness {
    pub channel: &'static str,
    /// 0–100.
    pub percent: u32,
    pub gaps: Vec<Gap>,
}

/// The checks every marketplace makes, per channel (the category is per channel).
pub fn completeness(file: &ProductFile) -> Vec<Completeness> {
    let mut common: Vec<(bool, Gap)> = Vec::new();
    let mut check = |ok: bool, field: &str, code: &'static str| {
        common.push((
            ok,
            Gap {
                field: field.to_owned(),
                code,
            },
        ))
    };
    let filled = |s: &Option<String>| s.as_deref().is_some_and(|v| !v.trim().is_empty());
    check(!file.name.trim().is_empty(), "name", "gap-name");
    check(file.price.is_some(), "price", "gap-price");
    check(file.stock.is_some(), "stock", "gap-stock");
    check(
        file.images
            .as_ref()
            .is_some_and(|i| !i.main.trim().is_empty()),
        "images.main",
        "gap-main-image",
    );
    check(
        file.origin
            .as_ref()
            .is_some_and(|o| !o.kind.trim().is_empty()),
        "origin",
        "gap-origin",
    );
    check(
        file.minor_purchasable.is_some(),
        "minor_purchasable",
        "gap-minor",
    );
    check(
        file.after_service
            .as_ref()
            .is_some_and(|a| !a.phone.trim().is_empty()),
        "after_service.phone",
        "gap-after-service",
    );
    check(
        file.shipping
            .as_ref()
            .is_some_and(|s| s.fee.is_some() && filled(&s.return_to)),
        "shipping",
        "gap-shipping",
    );
    match &file.notice {
        None => check(false, "notice.type", "gap-notice"),
        Some(notice) => match crate::notice::find(&notice.kind) {
            None => check(false, "notice.type", "gap-notice"),
            Some(kind) => {
                for field in kind.fields.iter().filter(|f| f.required) {
                    let present = notice
                        .fields
                        .get(&field.name)
                        .is_some_and(|v| !v.trim().is_empty());
                    check(
                        present,
                        &format!("notice.fields.{}", field.name),
                        "gap-notice-field",
                    );
                }
            }
        },
    }
    if let Err(errors) = file.check() {
        for e in errors.0 {
            check(false, &e.field, "gap-invalid");
        }
    }
    CHANNELS
        .into_iter()
        .map(|channel| {
            let mut items = common.clone();
            let category = file
                .channel_categories
                .get(channel)
                .is_some_and(|c| c.as_deref().is_some_and(|c| !c.trim().is_empty()));
            items.push((
                category,
                Gap {
                    field: format!("channel_categories.{channel}"),
                    code: "gap-category",
                },
            ));
            let total = items.len() as u32;
            let done = items.iter().filter(|(ok, _)| *ok).count() as u32;
            let mut gaps: Vec<Gap> = Vec::new();
            for (_, gap) in items.into_iter().filter(|(ok, _)| !ok) {
                if !gaps.contains(&gap) {
                    gaps.push(gap);
                }
            }
            Completeness {
                channel,
                percent: if gaps.is_empty() {
                    100
                } else {
                    (done * 100 / total).min(99)
                },
                gaps,
            }
        })
        .collect()
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// An image address is used only when it is http(s); anything else is left out.
fn image_url(url: &str) -> Option<String> {
    let url = url.trim();
    (url.starts_with("https://") || url.starts_with("http://")).then(|| escape(url))
}

/// The 상세페이지 as one fragment the marketplaces accept in their detail field: inline styles,
/// no script, no external fonts, images by URL, at most 860 px wide, Korean line breaking.
/// Every text a person typed is escaped. (`detail_html` given by a user is not included until it
/// can be sanitized; the structured sections and templates are issue 4's builder.)
pub fn detail_page(file: &ProductFile) -> String {
    const BOX: &str = "max-width:860px;margin:0 auto;font-family:sans-serif;color:#1d2433;line-height:1.7;word-break:keep-all;overflow-wrap:anywhere";
    const CELL: &str =
        "border:1px solid #dfe3ea;padding:8px 10px;text-align:left;vertical-align:top";
    let mut html = format!("<div style=\"{BOX}\">");
    if let Some(src) = file.images.as_ref().and_then(|i| image_url(&i.main)) {
        html.push_str(&format!(
            "<img src=\"{src}\" alt=\"{}\" style=\"display:block;width:100%;height:auto\">",
            escape(&file.name)
        ));
    }
    html.push_str(&format!(
        "<h1 style=\"font-size:26px;margin:24px 0 8px\">{}</h1>",
        escape(&file.name)
    ));
    if let Some(extra) = file.images.as_ref().map(|i| &i.extra) {
        for src in extra.iter().filter_map(|u| image_url(u)) {
            html.push_str(&format!("<img src=\"{src}\" alt=\"\" style=\"display:block;width:100%;height:auto;margin:12px 0\">"));
        }
    }
    if let Some(notice) = &file.notice
        && let Some(kind) = crate::notice::find(&notice.kind)
    {
        html.push_str(&format!(
            "<h2 style=\"font-size:20px;margin:32px 0 8px\">상품정보제공고시 ({})</h2><table style=\"width:100%;border-collapse:collapse;font-size:15px\">",
            escape(&kind.label)
        ));
        for field in &kind.fields {
            if let Some(value) = notice
                .fields
                .get(&field.name)
                .filter(|v| !v.trim().is_empty())
            {
                let shown = match (field.kind, value.trim()) {
                    (FieldKind::Bool, "true" | "Y" | "예") => "예".to_owned(),
                    (FieldKind::Bool, _) => "아니오".to_owned(),
                    _ => escape(value),
                };
                html.push_str(&format!("<tr><th style=\"{CELL};width:34%;background:#f6f7f9\">{}</th><td style=\"{CELL}\">{shown}</td></tr>", escape(&field.label)));
            }
        }
        html.push_str("</table>");
    }
    if let Some(shipping) = &file.shipping {
        let money = |v: &Option<crate::product::Loose>| match v {
            Some(crate::product::Loose::Int(n)) => format!("{}원", group_thousands(*n)),
            _ => String::new(),
        };
        html.push_str("<h2 style=\"font-size:20px;margin:32px 0 8px\">배송·교환·반품</h2><table style=\"width:100%;border-collapse:collapse;font-size:15px\">");
        for (label, value) in [
            ("배송비", money(&shipping.fee)),
            ("무료배송 기준", money(&shipping.free_over)),
            ("반품 배송비", money(&shipping.return_fee)),
            ("교환 배송비", money(&shipping.exchange_fee)),
            (
                "보내는 곳",
                shipping
                    .ship_from
                    .as_deref()
                    .map(escape)
                    .unwrap_or_default(),
            ),
            (
                "반품·교환 받는 곳",
                shipping
                    .return_to
                    .as_deref()
                    .map(escape)
                    .unwrap_or_default(),
            ),
        ] {
            if !value.is_empty() {
                html.push_str(&format!("<tr><th style=\"{CELL};width:34%;background:#f6f7f9\">{label}</th><td style=\"{CELL}\">{value}</td></tr>"));
            }
        }
        html.push_str("</table>");
    }
    if let Some(a) = file
        .after_service
        .as_ref()
        .filter(|a| !a.phone.trim().is_empty())
    {
        html.push_str(&format!(
            "<p style=\"margin:24px 0;font-size:15px\">A/S 안내: {} {}</p>",
            escape(&a.phone),
            escape(&a.guide)
        ));
    }
    html.push_str("</div>");
    html
}

fn group_thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::product::{
        AfterServiceFile, ImagesFile, Loose, NoticeFile, OriginFile, ShippingFile,
    };

    fn file() -> ProductFile {
        let mut fields: std::collections::BTreeMap<String, String> =
            crate::notice::find("GENERAL_FOOD")
                .unwrap()
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| {
                    (
                        f.name.clone(),
                        if f.name == "geneticallyModified" {
                            "false".into()
                        } else {
                            crate::notice::SEE_DETAIL_PAGE.into()
                        },
                    )
                })
                .collect();
        fields.insert("foodType".into(), "즉석조리식품 <b>".into());
        ProductFile {
            sku: "JJ-1".into(),
            name: "전주 비빔밥 <script>alert(1)</script>".into(),
            price: Some(Loose::Int(15900)),
            stock: Some(Loose::Int(10)),
            images: Some(ImagesFile {
                main: "https://img.example/main.jpg".into(),
                extra: vec!["javascript:alert(1)".into()],
            }),
            notice: Some(NoticeFile {
                kind: "GENERAL_FOOD".into(),
                fields,
            }),
            origin: Some(OriginFile {
                kind: "domestic".into(),
                region: Some("전북특별자치도 전주시".into()),
                country: None,
            }),
            minor_purchasable: Some(true),
            after_service: Some(AfterServiceFile {
                phone: "063-123-4567".into(),
                guide: "평일 9~18시".into(),
            }),
            shipping: Some(ShippingFile {
                fee: Some(Loose::Int(3000)),
                return_to: Some("전주시 완산구".into()),
                ..ShippingFile::default()
            }),
            ..ProductFile::default()
        }
    }

    #[test]
    fn the_detail_page_escapes_everything_and_carries_the_notice() {
        let html = detail_page(&file());
        assert!(
            !html.contains("<script") && !html.contains("javascript:"),
            "{html}"
        );
        assert!(html.contains("전주 비빔밥 &lt;script&gt;"));
        assert!(
            html.contains("<th style=")
                && html.contains("식품의 유형")
                && html.contains("즉석조리식품 &lt;b&gt;")
        );
        assert!(html.contains("유전자변형식품에 해당하는 경우의 표시") && html.contains("아니오"));
        assert!(
            html.contains("3,000원")
                && html.contains("max-width:860px")
                && html.contains("word-break:keep-all")
        );
    }

    #[test]
    fn completeness_names_what_is_missing_per_channel() {
        let mut product = file();
        product
            .channel_categories
            .insert("naver".into(), Some("50000803".into()));
        let report = completeness(&product);
        let naver = report.iter().find(|c| c.channel == "naver").unwrap();
        assert_eq!((naver.percent, naver.gaps.len()), (100, 0), "{naver:?}");
        let coupang = report.iter().find(|c| c.channel == "coupang").unwrap();
        assert_eq!(
            coupang.gaps,
            [Gap {
                field: "channel_categories.coupang".into(),
                code: "gap-category"
            }]
        );
        assert!(coupang.percent < 100);

        product.images = None;
        product.notice.as_mut().unwrap().fields.remove("foodType");
        let naver = completeness(&product)
            .into_iter()
            .find(|c| c.channel == "naver")
            .unwrap();
        let fields: Vec<_> = naver.gaps.iter().map(|g| g.field.as_str()).collect();
        assert!(
            fields.contains(&"images.main") && fields.contains(&"notice.fields.foodType"),
            "{fields:?}"
        );
    }
}
