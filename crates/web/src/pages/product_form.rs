//! The product form ⇄ product file v1. Flat form fields (`price`, `ship_fee`, `notice.foodType`)
//! map to the file's nested fields; a file's error paths (`shipping.fee`,
//! `notice.fields.foodType`) map back to the inputs, so each error sits beside its field.

use std::collections::BTreeMap;

use gachi_domain::catalog::product::{
    AfterServiceFile, CaptionedPhoto, DetailPageFile, ImagesFile, Loose, NoticeFile, OptionGroup,
    OriginFile, Pair, ProductFile, ShippingFile,
};

/// The parts of a product file the form keeps without showing.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Carried {
    #[serde(default)]
    certifications: Vec<gachi_domain::catalog::product::Certification>,
    #[serde(default)]
    detail_html: Option<String>,
}

/// One option combination in the form's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantRow {
    pub index: usize,
    /// `순한맛 / 1인분`.
    pub label: String,
    /// The values as a hidden key.
    pub key: String,
    pub sku: String,
    pub delta: String,
    pub stock: String,
}

/// A combination's values as one hidden input (JSON, so any value survives).
fn variant_key(values: &[String]) -> String {
    serde_json::to_string(values).unwrap_or_default()
}

fn values_of_key(key: &str) -> Vec<String> {
    serde_json::from_str(key).unwrap_or_default()
}

/// The form as typed: every input by name.
#[derive(Debug, Clone, Default)]
pub struct ProductForm(pub BTreeMap<String, String>);

fn loose(value: &str) -> Option<Loose> {
    let value = value.trim();
    (!value.is_empty()).then(|| Loose::typed(value))
}

fn shown(value: &Option<Loose>) -> String {
    match value {
        Some(Loose::Int(n)) => n.to_string(),
        Some(Loose::Float(f)) => f.to_string(),
        Some(Loose::Text(t)) => t.clone(),
        None => String::new(),
    }
}

fn some(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

impl ProductForm {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs.into_iter().filter(|(k, _)| k != "_csrf").collect())
    }

    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map(String::as_str).unwrap_or_default()
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.0.insert(name.to_owned(), value.to_owned());
    }

    /// The notice type chosen in the form.
    pub fn notice_type(&self) -> &str {
        self.get("notice_type")
    }

    pub fn to_file(&self) -> ProductFile {
        let g = |n: &str| self.get(n);
        let lines = |n: &str| {
            g(n).lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let options = self.options();
        let notice_fields: BTreeMap<String, String> = self
            .0
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("notice.")
                    .map(|f| (f.to_owned(), v.trim().to_owned()))
            })
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let origin_kind = g("origin_kind").trim();
        ProductFile {
            sku: g("sku").to_owned(),
            name: g("name").to_owned(),
            brand: some(g("brand")),
            manufacturer: some(g("manufacturer")),
            model: some(g("model")),
            channel_categories: ["naver", "coupang", "11st", "esm"]
                .into_iter()
                .map(|c| (c.to_owned(), some(g(&format!("cat_{c}")))))
                .collect(),
            price: loose(g("price")),
            list_price: loose(g("list_price")),
            stock: loose(g("stock")),
            tax: some(g("tax")),
            origin: (!origin_kind.is_empty()).then(|| OriginFile {
                kind: origin_kind.to_owned(),
                region: some(g("origin_region")),
                country: some(g("origin_country")),
                importer: some(g("origin_importer")),
            }),
            images: (!g("image_main").trim().is_empty() || !lines("image_extra").is_empty()).then(
                || ImagesFile {
                    main: g("image_main").trim().to_owned(),
                    extra: lines("image_extra"),
                },
            ),
            detail_html: self.carried().detail_html,
            options,
            variants: self.variants(),
            notice: (!self.notice_type().trim().is_empty()).then(|| NoticeFile {
                kind: self.notice_type().trim().to_owned(),
                fields: notice_fields,
            }),
            shipping: Some(self.shipping()),
            after_service: (!g("as_phone").trim().is_empty() || !g("as_guide").trim().is_empty())
                .then(|| AfterServiceFile {
                    phone: g("as_phone").trim().to_owned(),
                    guide: g("as_guide").trim().to_owned(),
                }),
            minor_purchasable: match g("minor_purchasable") {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
            tags: g("tags")
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            certifications: self.carried().certifications,
            detail_page: self.detail_page(),
        }
    }

    /// The option groups as typed, one `name: value, value` per line.
    pub fn options(&self) -> Vec<OptionGroup> {
        self.get("options")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| match line.split_once(':') {
                Some((name, values)) => OptionGroup {
                    name: name.trim().to_owned(),
                    values: values
                        .split(',')
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned)
                        .collect(),
                },
                None => OptionGroup {
                    name: line.to_owned(),
                    values: Vec::new(),
                },
            })
            .collect()
    }

    /// The variants as typed in the combination table (`var.{i}.key|sku|delta|stock`); a
    /// combination with neither stock nor surcharge nor code is left out.
    pub fn variants(&self) -> Vec<gachi_domain::catalog::product::VariantFile> {
        let mut rows: BTreeMap<usize, gachi_domain::catalog::product::VariantFile> =
            BTreeMap::new();
        for (name, value) in &self.0 {
            let Some(rest) = name.strip_prefix("var.") else {
                continue;
            };
            let Some((index, part)) = rest.split_once('.') else {
                continue;
            };
            let Ok(index) = index.parse::<usize>() else {
                continue;
            };
            let row = rows.entry(index).or_default();
            match part {
                "key" => row.values = values_of_key(value),
                "sku" => row.sku = value.trim().to_owned(),
                "delta" => row.price_delta = loose(value),
                "stock" => row.stock = loose(value),
                _ => {}
            }
        }
        // Rows of an earlier set of options (the table is rebuilt when the options change) and
        // rows left empty are not variants.
        let options = self.options();
        let current = |values: &[String]| {
            values.len() == options.len()
                && values
                    .iter()
                    .zip(&options)
                    .all(|(v, g)| g.values.contains(v))
        };
        rows.into_values()
            .filter(|v| {
                current(&v.values)
                    && (v.stock.is_some() || v.price_delta.is_some() || !v.sku.is_empty())
            })
            .collect()
    }

    /// One row per combination of the options as typed, with what was typed for it.
    pub fn variant_rows(&self) -> Vec<VariantRow> {
        let file_options = self.options();
        let typed = self.variants();
        let groups: Vec<&OptionGroup> = file_options
            .iter()
            .filter(|g| !g.values.is_empty())
            .collect();
        let count = groups
            .iter()
            .try_fold(1usize, |n, g| n.checked_mul(g.values.len()));
        if file_options.is_empty()
            || count.is_none_or(|n| n > gachi_domain::catalog::product::MAX_VARIANTS)
        {
            return Vec::new();
        }
        gachi_domain::catalog::product::option_combinations(groups)
            .into_iter()
            .enumerate()
            .map(|(index, values)| {
                let found = typed.iter().find(|v| v.values == values);
                VariantRow {
                    index,
                    label: values.join(" / "),
                    key: variant_key(&values),
                    sku: found.map(|v| v.sku.clone()).unwrap_or_default(),
                    delta: found.map(|v| shown(&v.price_delta)).unwrap_or_default(),
                    stock: found.map(|v| shown(&v.stock)).unwrap_or_default(),
                }
            })
            .collect()
    }

    /// What the form does not edit but must keep (variants, certifications, the user's own
    /// detail HTML), carried through a hidden field as JSON.
    fn carried(&self) -> Carried {
        serde_json::from_str(self.get("carry")).unwrap_or_default()
    }

    /// The shipping and return terms as typed.
    pub fn shipping(&self) -> ShippingFile {
        let g = |n: &str| self.get(n);
        ShippingFile {
            fee: loose(g("ship_fee")),
            free_over: loose(g("ship_free_over")),
            dispatch_days: loose(g("ship_dispatch_days")),
            courier: some(g("ship_courier")),
            return_fee: loose(g("ship_return_fee")),
            exchange_fee: loose(g("ship_exchange_fee")),
            ship_from: some(g("ship_from")),
            return_to: some(g("ship_return_to")),
        }
    }

    /// Fills the shipping inputs (from a product or a saved template).
    pub fn set_shipping(&mut self, s: &ShippingFile) {
        for (name, value) in [
            ("ship_fee", shown(&s.fee)),
            ("ship_free_over", shown(&s.free_over)),
            ("ship_dispatch_days", shown(&s.dispatch_days)),
            ("ship_courier", s.courier.clone().unwrap_or_default()),
            ("ship_return_fee", shown(&s.return_fee)),
            ("ship_exchange_fee", shown(&s.exchange_fee)),
            ("ship_from", s.ship_from.clone().unwrap_or_default()),
            ("ship_return_to", s.return_to.clone().unwrap_or_default()),
        ] {
            self.set(name, &value);
        }
    }

    /// The 상세페이지 sections, when any was filled.
    fn detail_page(&self) -> Option<DetailPageFile> {
        let g = |n: &str| self.get(n).trim().to_owned();
        let lines = |n: &str| {
            self.get(n)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let split = |line: &str, sep: char| match line.split_once(sep) {
            Some((a, b)) => (a.trim().to_owned(), b.trim().to_owned()),
            None => (line.trim().to_owned(), String::new()),
        };
        let page = DetailPageFile {
            template: g("dp_template"),
            color: g("dp_color"),
            headline: g("dp_headline"),
            selling_points: ["dp_point1", "dp_point2", "dp_point3"]
                .into_iter()
                .map(g)
                .filter(|p| !p.is_empty())
                .collect(),
            story: self.get("dp_story").trim().to_owned(),
            photos: lines("dp_photos")
                .iter()
                .map(|l| split(l, '|'))
                .map(|(url, caption)| CaptionedPhoto { url, caption })
                .collect(),
            specs: lines("dp_specs")
                .iter()
                .map(|l| split(l, ':'))
                .map(|(label, value)| Pair { label, value })
                .collect(),
            faq: lines("dp_faq")
                .iter()
                .map(|l| split(l, '|'))
                .map(|(label, value)| Pair { label, value })
                .collect(),
        };
        (page != DetailPageFile::default()).then_some(page)
    }

    pub fn from_file(file: &ProductFile) -> Self {
        let mut form = ProductForm::default();
        let mut set = |k: &str, v: String| {
            form.0.insert(k.to_owned(), v);
        };
        set("sku", file.sku.clone());
        set("name", file.name.clone());
        set("brand", file.brand.clone().unwrap_or_default());
        set(
            "manufacturer",
            file.manufacturer.clone().unwrap_or_default(),
        );
        set("model", file.model.clone().unwrap_or_default());
        for (channel, category) in &file.channel_categories {
            set(
                &format!("cat_{channel}"),
                category.clone().unwrap_or_default(),
            );
        }
        set("price", shown(&file.price));
        set("list_price", shown(&file.list_price));
        set("stock", shown(&file.stock));
        set("tax", file.tax.clone().unwrap_or_default());
        if let Some(o) = &file.origin {
            set("origin_kind", o.kind.clone());
            set("origin_region", o.region.clone().unwrap_or_default());
            set("origin_country", o.country.clone().unwrap_or_default());
            set("origin_importer", o.importer.clone().unwrap_or_default());
        }
        if let Some(i) = &file.images {
            set("image_main", i.main.clone());
            set("image_extra", i.extra.join("\n"));
        }
        set(
            "options",
            file.options
                .iter()
                .map(|o| format!("{}: {}", o.name, o.values.join(", ")))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        if let Some(n) = &file.notice {
            set("notice_type", n.kind.clone());
            for (k, v) in &n.fields {
                set(&format!("notice.{k}"), v.clone());
            }
        }
        if let Some(s) = &file.shipping {
            form.set_shipping(s);
        }
        let mut set = |k: &str, v: String| {
            form.0.insert(k.to_owned(), v);
        };
        if let Some(a) = &file.after_service {
            set("as_phone", a.phone.clone());
            set("as_guide", a.guide.clone());
        }
        set(
            "minor_purchasable",
            match file.minor_purchasable {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => String::new(),
            },
        );
        set("tags", file.tags.join(", "));
        for (i, v) in file.variants.iter().enumerate() {
            set(&format!("var.{i}.key"), variant_key(&v.values));
            set(&format!("var.{i}.sku"), v.sku.clone());
            set(&format!("var.{i}.delta"), shown(&v.price_delta));
            set(&format!("var.{i}.stock"), shown(&v.stock));
        }
        let carry = Carried {
            certifications: file.certifications.clone(),
            detail_html: file.detail_html.clone(),
        };
        set("carry", serde_json::to_string(&carry).unwrap_or_default());
        if let Some(page) = &file.detail_page {
            set("dp_template", page.template.clone());
            set("dp_color", page.color.clone());
            set("dp_headline", page.headline.clone());
            for (i, point) in page.selling_points.iter().enumerate().take(3) {
                set(&format!("dp_point{}", i + 1), point.clone());
            }
            set("dp_story", page.story.clone());
            set(
                "dp_photos",
                page.photos
                    .iter()
                    .map(|p| format!("{} | {}", p.url, p.caption))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            set(
                "dp_specs",
                page.specs
                    .iter()
                    .map(|p| format!("{}: {}", p.label, p.value))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            set(
                "dp_faq",
                page.faq
                    .iter()
                    .map(|p| format!("{} | {}", p.label, p.value))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        form
    }
}

/// The form input for an error path of the file.
pub fn input_for(path: &str) -> String {
    if let Some(field) = path.strip_prefix("notice.fields.") {
        return format!("notice.{field}");
    }
    match path {
        "notice.type" => "notice_type".into(),
        "images.main" => "image_main".into(),
        "images.extra" => "image_extra".into(),
        "after_service.phone" => "as_phone".into(),
        "after_service.guide" => "as_guide".into(),
        "shipping" => "ship_fee".into(),
        "origin" | "origin.kind" => "origin_kind".into(),
        "origin.country" => "origin_country".into(),
        "origin.importer" => "origin_importer".into(),
        p if p.starts_with("shipping.") => {
            let rest = &p["shipping.".len()..];
            match rest {
                "ship_from" => "ship_from".into(),
                "return_to" => "ship_return_to".into(),
                other => format!("ship_{other}"),
            }
        }
        p if p.starts_with("channel_categories.") => {
            format!("cat_{}", &p["channel_categories.".len()..])
        }
        p if p.starts_with("detail_page.selling_points[") => {
            let index: usize = p["detail_page.selling_points[".len()..]
                .trim_end_matches(']')
                .parse()
                .unwrap_or(0);
            format!("dp_point{}", index + 1)
        }
        p if p.starts_with("detail_page.") => format!(
            "dp_{}",
            p["detail_page.".len()..]
                .split('[')
                .next()
                .unwrap_or_default()
        ),
        p if p.starts_with("variants[") => match p.split_once("].") {
            Some((index, "price_delta")) => format!("var.{}.delta", &index["variants[".len()..]),
            Some((index, "stock")) => format!("var.{}.stock", &index["variants[".len()..]),
            Some((index, "sku")) => format!("var.{}.sku", &index["variants[".len()..]),
            _ => "options".into(),
        },
        p if p.starts_with("options") || p.starts_with("variants") => "options".into(),
        p if p.starts_with("tags") => "tags".into(),
        p => p.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_round_trips_through_the_product_file() {
        let pairs = [
            ("sku", "JJ-1"),
            ("name", "비빔밥 밀키트"),
            ("price", "15,900"),
            ("stock", "10"),
            ("tax", "taxable"),
            ("origin_kind", "domestic"),
            ("origin_region", "전북 전주시"),
            ("image_main", "https://i/1.jpg"),
            ("image_extra", "https://i/2.jpg\nhttps://i/3.jpg"),
            ("options", "맛: 순한맛, 매운맛"),
            ("tags", "밀키트, 비빔밥"),
            ("ship_fee", "3000"),
            ("ship_return_to", "전주"),
            ("as_phone", "063-123-4567"),
            ("minor_purchasable", "yes"),
            ("cat_naver", "50000803"),
            ("notice_type", "GENERAL_FOOD"),
            ("notice.foodType", "즉석조리식품"),
            ("_csrf", "x"),
        ];
        let form = ProductForm::from_pairs(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        let file = form.to_file();
        assert_eq!(file.price, Some(Loose::Int(15900)));
        assert_eq!(file.options[0].values, ["순한맛", "매운맛"]);
        assert_eq!(file.images.as_ref().unwrap().extra.len(), 2);
        assert_eq!(
            file.notice.as_ref().unwrap().fields["foodType"],
            "즉석조리식품"
        );
        assert_eq!(file.minor_purchasable, Some(true));
        let back = ProductForm::from_file(&file);
        assert_eq!(back.get("price"), "15900");
        assert_eq!(back.get("options"), "맛: 순한맛, 매운맛");
        assert_eq!(back.get("notice.foodType"), "즉석조리식품");
        assert_eq!(back.to_file(), file);
        // What the form does not show survives a save through it.
        let mut rich = file.clone();
        rich.variants = vec![gachi_domain::catalog::product::VariantFile {
            sku: "JJ-1-M".into(),
            values: vec!["매운맛".into()],
            price_delta: None,
            stock: None,
        }];
        rich.detail_html = Some("<p>우리 가게 이야기</p>".into());
        assert_eq!(ProductForm::from_file(&rich).to_file(), rich);
        let mut with_page = back.clone();
        for (k, v) in [
            ("dp_template", "warm"),
            ("dp_color", "#c0392b"),
            ("dp_point1", "국산 재료"),
            ("dp_photos", "https://i/p.jpg | 재료"),
            ("dp_specs", "중량: 820g"),
            ("dp_faq", "맵나요? | 순한맛도 있어요"),
        ] {
            with_page.set(k, v);
        }
        let page = with_page.to_file().detail_page.unwrap();
        assert_eq!(
            (
                page.template.as_str(),
                page.photos[0].caption.as_str(),
                page.specs[0].value.as_str()
            ),
            ("warm", "재료", "820g")
        );
        assert_eq!(
            ProductForm::from_file(&with_page.to_file()).to_file(),
            with_page.to_file(),
            "the page round-trips"
        );
    }

    #[test]
    fn error_paths_point_at_inputs() {
        assert_eq!(input_for("notice.fields.foodType"), "notice.foodType");
        assert_eq!(input_for("shipping.fee"), "ship_fee");
        assert_eq!(input_for("shipping.return_to"), "ship_return_to");
        assert_eq!(input_for("channel_categories.coupang"), "cat_coupang");
        assert_eq!(input_for("variants[0].values"), "options");
        assert_eq!(input_for("tags[3]"), "tags");
        assert_eq!(input_for("price"), "price");
        assert_eq!(input_for("detail_page.color"), "dp_color");
        assert_eq!(input_for("detail_page.selling_points[1]"), "dp_point2");
    }
}
