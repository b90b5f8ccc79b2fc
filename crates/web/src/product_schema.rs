//! The product file v1 (DESIGN.md) described for the OpenAPI document, built from the
//! domain's own limits and tables (notice types and their fields, taxes, templates,
//! marketplaces), so a client or a fuzzer can build a valid product from the document and the
//! document cannot drift from the checks that `ProductFile::check` makes.
//!
//! Amounts are documented as integers in their accepted range. The server also reads amounts
//! as people write them (`"15,900"`, `"15,900원"`, `"1.5만"`); that is said in the
//! descriptions and the schema admits such text by a pattern, so what the document calls
//! invalid is refused and what it calls valid is read.

use std::borrow::Cow;

use gachi_domain::catalog::notice::{self, FieldKind};
use gachi_domain::catalog::product::{
    MAX_EXTRA_IMAGES, MAX_NAME_CHARS, MAX_OPTION_GROUPS, MAX_PRICE, MAX_SKU_CHARS, MAX_STOCK,
    MAX_TAG_CHARS, MAX_TAGS, MAX_VARIANTS, TEMPLATES,
};
use gachi_domain::kernel::channel::Channel;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::{RefOr, schema};

/// Text a person types into a name: no control, bidi or zero-width characters (what
/// `kernel::text` refuses) and at least one letter or digit.
const NAME: &str = r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]*[0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u3040-\u30FF\u3131-\u318E\u4E00-\u9FFF\uAC00-\uD7A3][^\u0000-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]*$";
/// One line of free text (a tag): no control, bidi or zero-width characters.
const LINE: &str =
    r"^[^\u0000-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]*$";
/// A code (SKU): no white space, control, bidi or zero-width characters.
const CODE: &str =
    r"^[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]+$";
/// An amount written as a number with thousands separators, optionally with 원.
const WRITTEN_AMOUNT: &str = r"^[1-9][0-9]{0,2}(,[0-9]{3}){0,2}원?$";

fn text(max_chars: Option<usize>, description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(max_chars)
        .description(Some(description))
}

fn nullable_text(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .description(Some(description))
}

/// A whole number in `min..=max`, or (for amounts) the same written with separators.
fn number(min: i64, max: i64, description: &str, nullable: bool) -> Schema {
    let integer = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(schema::SchemaFormat::KnownFormat(
            schema::KnownFormat::Int64,
        )))
        .minimum(Some(min as f64))
        .maximum(Some(max as f64));
    let mut one_of = OneOfBuilder::new().item(integer);
    // A written amount is at most 999,999 here, so the pattern never exceeds the range.
    if min <= 1 && max >= 999_999 {
        one_of = one_of.item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(WRITTEN_AMOUNT))
                .description(Some("The amount as written: 15,900 or 15,900원")),
        );
    }
    if nullable {
        one_of = one_of.item(ObjectBuilder::new().schema_type(Type::Null));
    }
    one_of.description(Some(description)).build().into()
}

fn list(item: impl Into<RefOr<Schema>>, max_items: Option<usize>, description: &str) -> Schema {
    ArrayBuilder::new()
        .items(Into::<RefOr<Schema>>::into(item))
        .max_items(max_items)
        .description(Some(description))
        .build()
        .into()
}

fn object() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::Object)
}

/// The nullable form of an object member: the object, or `null`.
fn or_null(schema: impl Into<RefOr<Schema>>) -> Schema {
    OneOfBuilder::new()
        .item(schema)
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// One notice type: its `type` name and exactly its fields, the required ones required.
fn notice_type(kind: &notice::NoticeType) -> Schema {
    let mut fields = object().additional_properties(Some(AdditionalProperties::FreeForm(false)));
    for field in &kind.fields {
        let value: Schema = match field.kind {
            FieldKind::Text => text(field.max_chars, &field.label)
                .min_length(field.required.then_some(1))
                .pattern(field.required.then_some(r"\S"))
                .into(),
            // An item left out may also be sent empty (the product form does); a required one
            // is a date.
            FieldKind::Date => text(None, &format!("{} (YYYY-MM-DD or YYYY-MM)", field.label))
                .pattern(Some(if field.required {
                    r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$"
                } else {
                    r"^([0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
                }))
                .into(),
            FieldKind::Bool => OneOfBuilder::new()
                .item(ObjectBuilder::new().schema_type(Type::Boolean))
                .item(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(
                            ["true", "false", "Y", "N", "예", "아니오", ""]
                                .into_iter()
                                .filter(|v| !(field.required && v.is_empty())),
                        )),
                )
                .description(Some(field.label.as_str()))
                .build()
                .into(),
        };
        fields = fields.property(&field.name, value);
        if field.required {
            fields = fields.required(&field.name);
        }
    }
    object()
        .title(Some(kind.upper.as_str()))
        .description(Some(kind.label.as_str()))
        .property(
            "type",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([kind.upper.as_str()])),
        )
        .required("type")
        .property("fields", fields)
        .required("fields")
        .into()
}

/// The 상품정보제공고시: one of the 2023-revision notice types, each with its own fields.
fn notice() -> Schema {
    let mut one_of = OneOfBuilder::new().description(Some(
        "상품정보제공고시: `type` names a notice type of the 2023 revision (Naver's UPPER_SNAKE form); `fields` holds that type's items by name",
    ));
    for kind in notice::all() {
        one_of = one_of.item(notice_type(kind));
    }
    one_of.build().into()
}

fn shipping() -> Schema {
    object()
        .description(Some("배송 and 반품/교환 terms (KRW)"))
        .property("fee", number(0, 1_000_000, "Delivery fee", true))
        .property(
            "free_over",
            number(0, MAX_PRICE, "Free delivery from this order amount", true),
        )
        .property("dispatch_days", number(0, 30, "Days until dispatch", true))
        .property("courier", nullable_text("Courier code, e.g. CJGLS"))
        .property("return_fee", number(0, 1_000_000, "Return fee", true))
        .property("exchange_fee", number(0, 1_000_000, "Exchange fee", true))
        .property("ship_from", nullable_text("출고지 address"))
        .property("return_to", nullable_text("반품지 address"))
        .into()
}

fn detail_page() -> Schema {
    let pair = |description: &str| -> Schema {
        object()
            .description(Some(description))
            .property("label", text(None, "Label"))
            .property("value", text(None, "Value"))
            .into()
    };
    object()
        .description(Some(
            "The structured 상세페이지 built in Gachi (an extension of v1; files without it stay valid)",
        ))
        .property(
            "template",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(TEMPLATES.iter().copied().chain([""]))),
        )
        .property(
            "color",
            text(Some(7), "Brand colour #RRGGBB").pattern(Some("^(#[0-9A-Fa-f]{6})?$")),
        )
        .property("headline", text(Some(100), "Headline"))
        .property(
            "selling_points",
            list(text(Some(100), "A selling point"), Some(3), "Up to three"),
        )
        .property("story", text(Some(2000), "The story of the shop and the maker"))
        .property(
            "photos",
            list(
                object()
                    .property("url", text(None, "Photo address"))
                    .property("caption", text(None, "Caption")),
                Some(20),
                "Photos with captions",
            ),
        )
        .property("specs", list(pair("A row of the specs table"), Some(30), "Specs"))
        .property("faq", list(pair("A question and its answer"), Some(10), "FAQ"))
        .into()
}

/// The product file v1 as the API reads and returns it; `whole` marks the fields a new
/// product needs as required (a change names only the fields it replaces).
fn product_file(whole: bool) -> Schema {
    let categories = object()
        .description(Some(
            "Each marketplace's category: its leaf id (Naver), code (Coupang), dispNo (11st) or ESM code",
        ))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    let categories = Channel::ALL.iter().fold(categories, |o, channel| {
        o.property(channel.code(), nullable_text("Category id, or null"))
    });
    let option_group = object()
        .property(
            "name",
            text(None, "Option name, e.g. 맛").pattern(Some(r"\S")),
        )
        .required("name")
        .property(
            "values",
            ArrayBuilder::new()
                .items(text(None, "A value").pattern(Some(r"\S")))
                .min_items(Some(1))
                .unique_items(true),
        )
        .required("values");
    let variant = object()
        .description(Some(
            "One combination: one value of each option group, in the groups' order",
        ))
        .property("sku", text(Some(MAX_SKU_CHARS), "The variant's own code").pattern(Some(r"^[^\s\u0000-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]*$")))
        .property("values", list(text(None, "A value of the group at this position"), Some(MAX_OPTION_GROUPS), "Values"))
        .property("price_delta", number(-MAX_PRICE, MAX_PRICE, "Surcharge over the price (KRW)", true))
        .property("stock", number(0, MAX_STOCK, "Stock of this combination", true));
    let origin = object()
        .description(Some(
            "원산지: domestic with a region, or imported with a country",
        ))
        .property(
            "kind",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["domestic", "imported"])),
        )
        .required("kind")
        .property("region", nullable_text("Region of a domestic product"))
        .property(
            "country",
            nullable_text("Country of an imported product (required then)"),
        )
        .property("importer", nullable_text("Importer of an imported product"));
    let images = object()
        .property(
            "main",
            text(None, "Main photo: a /media/… path or an https address"),
        )
        .property(
            "extra",
            list(
                text(None, "Photo address"),
                Some(MAX_EXTRA_IMAGES),
                "More photos",
            ),
        );
    let after_service = object()
        .property("phone", text(None, "A/S phone number"))
        .property("guide", text(None, "A/S guide"));
    let certification = object()
        .property("kind", text(None, "e.g. HACCP, KC"))
        .property("number", text(None, "Certificate number"));
    let file = object()
        .title(Some("Product file v1"))
        .description(Some(
            "One product, as DESIGN.md's product file v1. sku, name, price and stock are required; everything else may be filled in later, and readiness per marketplace says what a listing still needs.",
        ))
        .property(
            "sku",
            text(Some(MAX_SKU_CHARS), "The merchant's own code, unique per merchant (compared without case)")
                .pattern(Some(CODE)),
        )
        .property(
            "name",
            text(Some(MAX_NAME_CHARS), "Product name").pattern(Some(NAME)),
        )
        .property("brand", nullable_text("Brand"))
        .property("manufacturer", nullable_text("Manufacturer"))
        .property("model", nullable_text("Model"))
        .property("channel_categories", categories)
        .property("price", number(1, MAX_PRICE, "Selling price (KRW)", false))
        .property(
            "list_price",
            number(1, MAX_PRICE, "List price before discount (KRW), not below the price", true),
        )
        .property("stock", number(0, MAX_STOCK, "Stock", false))
        .property(
            "tax",
            ObjectBuilder::new()
                .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                .enum_values(Some(["taxable", "tax_free", "zero_rated"])),
        )
        .property("origin", or_null(origin))
        .property("images", or_null(images))
        .property("detail_html", nullable_text("상세페이지 HTML, when not built in Gachi"))
        .property(
            "options",
            list(option_group, Some(MAX_OPTION_GROUPS), "Option groups"),
        )
        .property("variants", list(variant, Some(MAX_VARIANTS), "Option combinations"))
        .property("notice", or_null(notice()))
        .property("shipping", or_null(shipping()))
        .property("after_service", or_null(after_service))
        .property(
            "minor_purchasable",
            ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::Boolean, Type::Null])),
        )
        .property(
            "tags",
            list(
                text(Some(MAX_TAG_CHARS), "Search tag").pattern(Some(LINE)),
                Some(MAX_TAGS),
                "Search tags",
            ),
        )
        .property("certifications", list(certification, None, "Certifications"))
        .property("detail_page", or_null(detail_page()));
    let required: &[&str] = if whole {
        &["sku", "name", "price", "stock"]
    } else {
        &[]
    };
    required
        .iter()
        .fold(file, |o, name| o.required(*name))
        .into()
}

/// `ProductFile` in the document.
pub struct ProductFileSchema;

impl utoipa::PartialSchema for ProductFileSchema {
    fn schema() -> RefOr<Schema> {
        product_file(true).into()
    }
}

impl utoipa::ToSchema for ProductFileSchema {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ProductFile")
    }
}

/// The body that creates a product: a product file, and `merchant_id` when staff send it.
pub struct NewProductSchema;

impl utoipa::PartialSchema for NewProductSchema {
    fn schema() -> RefOr<Schema> {
        let all_of = schema::AllOfBuilder::new()
            .item(RefOr::Ref(utoipa::openapi::Ref::from_schema_name("ProductFile")))
            .item(object().property(
                "merchant_id",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
                    .format(Some(schema::SchemaFormat::KnownFormat(
                        schema::KnownFormat::Int64,
                    )))
                    .minimum(Some(1))
                    .description(Some(
                        "Whose product (staff only; a merchant's product is always their own shop's)",
                    )),
            ))
            .build();
        RefOr::T(Schema::AllOf(all_of))
    }
}

impl utoipa::ToSchema for NewProductSchema {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("NewProduct")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push(("ProductFile".into(), product_file(true).into()));
    }
}

/// The body that changes a product: the top-level fields of a product file to replace.
pub struct ProductChangesSchema;

impl utoipa::PartialSchema for ProductChangesSchema {
    fn schema() -> RefOr<Schema> {
        product_file(false).into()
    }
}

impl utoipa::ToSchema for ProductChangesSchema {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ProductChanges")
    }
}
