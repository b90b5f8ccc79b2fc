//! A complete 가공식품 product for the catalog's unit tests.

use crate::catalog::product::{
    AfterServiceFile, ImagesFile, Loose, NoticeFile, OriginFile, ProductFile, ShippingFile,
};

pub(crate) fn file() -> ProductFile {
    let mut fields: std::collections::BTreeMap<String, String> =
        crate::catalog::notice::find("GENERAL_FOOD")
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
                        crate::catalog::notice::SEE_DETAIL_PAGE.into()
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
            importer: None,
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
