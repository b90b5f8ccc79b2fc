//! Completeness: the checks every marketplace makes, per channel ("what would be rejected, and
//! why"). The channel adapters add their own rules to the same list.

use crate::catalog::product::ProductFile;
use crate::kernel::channel::Channel;
use crate::kernel::text::Trimmed;

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
    pub channel: Channel,
    /// 0–100.
    pub percent: u32,
    pub gaps: Vec<Gap>,
}

/// The checks every marketplace makes, per channel (the category is per channel).
pub fn common(file: &ProductFile) -> Vec<Completeness> {
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
    let filled = |s: &Option<String>| s.as_deref().is_some_and(|v| !v.trimmed().is_empty());
    check(!file.name.trimmed().is_empty(), "name", "gap-name");
    check(file.price.is_some(), "price", "gap-price");
    check(file.stock.is_some(), "stock", "gap-stock");
    check(
        file.images
            .as_ref()
            .is_some_and(|i| !i.main.trimmed().is_empty()),
        "images.main",
        "gap-main-image",
    );
    check(
        file.origin
            .as_ref()
            .is_some_and(|o| !o.kind.trimmed().is_empty()),
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
            .is_some_and(|a| !a.phone.trimmed().is_empty()),
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
        Some(notice) => match crate::catalog::notice::find(&notice.kind) {
            None => check(false, "notice.type", "gap-notice"),
            Some(kind) => {
                for field in kind.fields.iter().filter(|f| f.required) {
                    let present = notice
                        .fields
                        .get(&field.name)
                        .is_some_and(|v| !v.trimmed().is_empty());
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
    Channel::ALL
        .into_iter()
        .map(|channel| {
            let mut items = common.clone();
            let category = file
                .channel_categories
                .get(channel.code())
                .is_some_and(|c| c.as_deref().is_some_and(|c| !c.trimmed().is_empty()));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::test_fixture::file;

    #[test]
    fn completeness_names_what_is_missing_per_channel() {
        let mut product = file();
        product
            .channel_categories
            .insert("naver".into(), Some("50000803".into()));
        let report = common(&product);
        let naver = report.iter().find(|c| c.channel == Channel::Naver).unwrap();
        assert_eq!((naver.percent, naver.gaps.len()), (100, 0), "{naver:?}");
        let coupang = report
            .iter()
            .find(|c| c.channel == Channel::Coupang)
            .unwrap();
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
        let naver = common(&product)
            .into_iter()
            .find(|c| c.channel == Channel::Naver)
            .unwrap();
        let fields: Vec<_> = naver.gaps.iter().map(|g| g.field.as_str()).collect();
        assert!(
            fields.contains(&"images.main") && fields.contains(&"notice.fields.foodType"),
            "{fields:?}"
        );
    }
}
