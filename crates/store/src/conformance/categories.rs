//! Marketplace categories: trees loaded whole, metadata per category, search and suggestion,
//! and the code tables a marketplace does not publish.

use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::ports::Store;

use super::ManualClock;

/// Category trees load whole (vanished codes go, the rest keep their metadata), search by path,
/// suggest from a product name, and keep per-category metadata and code tables.
pub async fn categories(store: &dyn Store) {
    use gachi_domain::catalog::category::{Categories, CategoryError};

    let clock = &ManualClock::new(Timestamp::now());
    let categories = Categories { store, clock };
    let actor = Actor::system();
    let tree = |rows: &[(&str, &str)]| -> Vec<(String, String)> {
        rows.iter()
            .map(|(c, p)| (c.to_string(), p.to_string()))
            .collect()
    };
    let loaded = categories
        .load_tree(
            &actor,
            Channel::Coupang,
            &tree(&[
                ("58927", "식품>간편조리식품>밀키트"),
                ("58930", "식품>전통식품>떡"),
                ("78877", "자동차용품>차량용 거치대>스마트폰 거치대"),
            ]),
        )
        .await
        .unwrap();
    assert_eq!(loaded, 3);
    categories
        .load_meta(
            &actor,
            Channel::Coupang,
            "58927",
            r#"{"noticeCategories":[]}"#,
        )
        .await
        .unwrap();
    assert!(matches!(
        categories
            .load_meta(&actor, Channel::Coupang, "99999", "{}")
            .await,
        Err(CategoryError::NotFound)
    ));
    // Reloading drops the vanished code and keeps the metadata of the others.
    categories
        .load_tree(
            &actor,
            Channel::Coupang,
            &tree(&[
                ("58927", "식품>간편조리식품>밀키트"),
                ("58930", "식품>전통식품>떡"),
            ]),
        )
        .await
        .unwrap();
    assert!(
        store
            .category(Channel::Coupang, "78877")
            .await
            .unwrap()
            .is_none()
    );
    let kit = store
        .category(Channel::Coupang, "58927")
        .await
        .unwrap()
        .unwrap();
    assert!(kit.has_meta);
    assert_eq!(
        store
            .category_meta(Channel::Coupang, "58927")
            .await
            .unwrap()
            .as_deref(),
        Some(r#"{"noticeCategories":[]}"#)
    );
    let suggested = categories
        .suggest(Channel::Coupang, "전주 한옥마을 비빔밥 밀키트 2인분", 3)
        .await
        .unwrap();
    assert_eq!(suggested[0].code, "58927");
    assert!(
        categories
            .suggest(Channel::Naver, "전주 비빔밥 밀키트", 3)
            .await
            .unwrap()
            .is_empty(),
        "nothing loaded for Naver"
    );
    let found = store
        .search_categories(Channel::Coupang, "떡", 10)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    categories
        .load_table(&actor, Channel::ElevenSt, "notice_codes", r#"{"types":{}}"#)
        .await
        .unwrap();
    assert_eq!(
        store
            .channel_table(Channel::ElevenSt, "notice_codes")
            .await
            .unwrap()
            .as_deref(),
        Some(r#"{"types":{}}"#)
    );
}
