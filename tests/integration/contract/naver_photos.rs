//! Naver's photos: Smart Store takes only photos on its own image host, so the submitter
//! uploads them first — Gachi's stored photos, or others fetched from their address — names the
//! copies the host holds already instead of uploading them again, and stops before creating
//! anything when a photo cannot be had or is in a format Naver does not take.

use gachi_channels::submit::{ProductKey, Submitter};
use gachi_contract::naver_server;
use gachi_domain::catalog::product::ImagesFile;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::marketplaces::{KnownPhotos, Outcome, Submission};

use super::{context, credentials, fast, fixture, photo_server, publish, results, stored_photos};

/// A create naming any address but Naver's host is refused (the contract server checks it), so
/// photos on the shop's own site are fetched and uploaded; formats Naver does not take and
/// addresses that do not answer stop the listing before anything is created.
#[tokio::test]
async fn naver_listings_carry_photos_uploaded_to_its_image_host() {
    let keys = credentials();
    let (url, market) = naver_server(vec![]).await;
    let mut file = fixture("bibimbap.json");

    // Sent as compiled, with the shop's own photo addresses: refused by field.
    let mut body = Vec::new();
    gachi_channels::compile(Channel::Naver, &file, &context(), &mut body).unwrap();
    let key = ProductKey {
        seller_code: file.sku.clone(),
        name: file.name.clone(),
    };
    let sent = Submitter::new(Channel::Naver, fast(&url))
        .submit(&body, &key, &keys)
        .await;
    let Outcome::Rejected { errors } = &sent.outcome else {
        panic!("{sent:#?}")
    };
    let fields: Vec<&str> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
    assert_eq!(
        fields,
        [
            "originProduct.images.representativeImage.url",
            "originProduct.images.optionalImages[0].url",
            "originProduct.images.optionalImages[1].url"
        ]
    );

    // Photos on the shop's own site are fetched and uploaded; the create names Naver's copies.
    let photos = photo_server().await;
    file.images = Some(ImagesFile {
        main: format!("{photos}/photos/main.jpg"),
        extra: vec![format!("{photos}/photos/side.jpg")],
    });
    let sent = Submitter::new(Channel::Naver, fast(&url))
        .publish(&file, &context(), &keys, KnownPhotos::default())
        .await
        .unwrap();
    assert!(matches!(sent.outcome, Outcome::Created { .. }), "{sent:#?}");
    assert_eq!(
        market.lock().unwrap().images,
        [
            "https://shop-phinf.pstatic.net/contract/1.jpg",
            "https://shop-phinf.pstatic.net/contract/2.jpg"
        ]
    );

    // A WebP Naver would not take, and an address that does not answer: nothing is created.
    for (main, why) in [
        (format!("{photos}/photos/main.webp"), "JPG, GIF, PNG or BMP"),
        ("http://127.0.0.1:9/gone.jpg".to_owned(), "could not fetch"),
    ] {
        file.sku = format!("SKU-{}", why.len());
        file.images.as_mut().unwrap().main = main;
        let sent = Submitter::new(Channel::Naver, fast(&url))
            .publish(&file, &context(), &keys, KnownPhotos::default())
            .await
            .unwrap();
        let Outcome::Failed { reason } = &sent.outcome else {
            panic!("{sent:#?}")
        };
        assert!(reason.contains(why), "{reason}");
    }
    assert_eq!(market.lock().unwrap().products.len(), 1);
}

/// Photos Naver's host holds already are named as they are, not uploaded again; only the
/// others are uploaded, and those are reported for the caller to remember.
#[tokio::test]
async fn naver_names_photos_its_host_holds_and_uploads_only_the_others() {
    let keys = credentials();
    let (url, market) = naver_server(vec![]).await;
    let mut file = fixture("bibimbap.json");
    let submitter = Submitter::new(Channel::Naver, fast(&url));
    let created = |sent: &Submission| {
        assert!(matches!(sent.outcome, Outcome::Created { .. }), "{sent:#?}");
    };

    let first = publish(Channel::Naver, &file, &url, &keys).await;
    created(&first);
    let photos = stored_photos(&file);
    assert_eq!(first.hosted_photos.len(), photos.len());
    for ((from, to), (address, _)) in first.hosted_photos.iter().zip(&photos) {
        assert_eq!(from, address);
        assert!(to.starts_with("https://shop-phinf.pstatic.net/"), "{to}");
    }
    assert_eq!(market.lock().unwrap().images.len(), photos.len());

    // The same photos again: no upload call, and the create names the hosted copies (the
    // contract server refuses any address its host did not issue).
    file.sku = "JJ-BIBIM-AGAIN".into();
    let hosted_only = KnownPhotos {
        stored: &[],
        hosted: &first.hosted_photos,
    };
    let again = submitter
        .publish(&file, &context(), &keys, hosted_only)
        .await
        .unwrap();
    created(&again);
    assert_eq!(results(&again), ["created"]);
    assert!(again.hosted_photos.is_empty());
    assert_eq!(market.lock().unwrap().images.len(), photos.len());

    // One new photo: only it is uploaded.
    file.sku = "JJ-BIBIM-3".into();
    let new_photo = "https://shop.example.kr/img/bibim-new.jpg".to_owned();
    file.images.as_mut().unwrap().extra.push(new_photo.clone());
    let stored = stored_photos(&file);
    let third = submitter
        .publish(
            &file,
            &context(),
            &keys,
            KnownPhotos {
                stored: &stored,
                hosted: &first.hosted_photos,
            },
        )
        .await
        .unwrap();
    created(&third);
    assert_eq!(results(&third), ["photos-uploaded", "created"]);
    let issued = market.lock().unwrap().images.last().cloned().unwrap();
    assert_eq!(third.hosted_photos, [(new_photo, issued)]);
    assert_eq!(market.lock().unwrap().images.len(), photos.len() + 1);

    // A remembered address the host no longer holds: Naver refuses it by its image field, so
    // the photo is uploaded again, once, and the product sent again.
    file.sku = "JJ-BIBIM-4".into();
    file.images.as_mut().unwrap().extra.pop();
    let main = file.images.as_ref().unwrap().main.clone();
    let gone = "https://shop-phinf.pstatic.net/contract/gone.jpg".to_owned();
    let stale = [(main.clone(), gone.clone())];
    let stored = stored_photos(&file);
    let renewed = submitter
        .publish(
            &file,
            &context(),
            &keys,
            KnownPhotos {
                stored: &stored,
                hosted: &stale,
            },
        )
        .await
        .unwrap();
    created(&renewed);
    assert_eq!(
        results(&renewed),
        ["photos-uploaded", "rejected", "photos-uploaded", "created"]
    );
    let again = renewed.hosted_photos.iter().find(|(from, _)| *from == main);
    assert!(
        again.is_some_and(|(_, to)| !to.ends_with("gone.jpg")),
        "the new address is reported, to be remembered: {:#?}",
        renewed.hosted_photos
    );
    assert_eq!(market.lock().unwrap().products.len(), 4);

    // Without the photo's bytes at hand and at an address that does not answer, it stops.
    file.sku = "JJ-BIBIM-5".into();
    file.images.as_mut().unwrap().main = "http://127.0.0.1:9/gone.jpg".into();
    let stale = [(file.images.as_ref().unwrap().main.clone(), gone)];
    let extras: Vec<(String, Vec<u8>)> = stored_photos(&file)
        .into_iter()
        .filter(|(address, _)| *address != stale[0].0)
        .collect();
    let stopped = submitter
        .publish(
            &file,
            &context(),
            &keys,
            KnownPhotos {
                stored: &extras,
                hosted: &stale,
            },
        )
        .await
        .unwrap();
    let Outcome::Failed { reason } = &stopped.outcome else {
        panic!("{stopped:#?}")
    };
    assert!(reason.contains("could not fetch"), "{reason}");
    assert_eq!(results(&stopped), ["photos-uploaded", "rejected"]);
    assert_eq!(
        stopped.hosted_photos.len(),
        extras.len(),
        "what was uploaded is still reported"
    );
    assert_eq!(market.lock().unwrap().products.len(), 4);
}
