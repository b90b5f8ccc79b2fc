//! Uploads as phones and attackers send them: rotated photos, WebP, transparency, renamed files,
//! truncated files and decompression bombs.

use super::*;
use image::{Rgb, Rgba, RgbaImage};

/// A JPEG of `width` × `height`: the left half red, the right half blue.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let picture = RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    });
    encode_jpeg(&picture).unwrap()
}

/// The JPEG with an EXIF segment saying "rotate 90° clockwise to view" (orientation 6), as a
/// phone held upright writes it.
fn with_exif_orientation(jpeg: &[u8], orientation: u8) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec(); // big-endian TIFF, first IFD at 8
    tiff.extend_from_slice(&[0, 1]); // one entry
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let length = (app1.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A few hundred bytes claiming a `side` × `side` RGBA picture: decoding it would need
/// side² × 4 bytes.
fn png_bomb(side: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    };
    let mut header = side.to_be_bytes().to_vec();
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(b"IHDR", &header);
    chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(b"IEND", &[]);
    out
}

#[test]
fn a_photo_is_stored_as_jpeg_with_a_thumbnail_and_named_by_its_size() {
    let prepared = prepare(&jpeg(1000, 800)).unwrap();
    assert_eq!((prepared.key.width, prepared.key.height), (1000, 800));
    assert_eq!(prepared.key.ext, "jpg");
    assert!(!prepared.rotated);
    let stored = image::load_from_memory(&prepared.bytes).unwrap();
    assert_eq!((stored.width(), stored.height()), (1000, 800));
    let thumb = image::load_from_memory(&prepared.thumb).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (THUMB_SIDE, 256));
    let (parsed, _) = ImageKey::parse(&prepared.key.file_name()).unwrap();
    assert_eq!(parsed, prepared.key);
    assert_eq!(
        prepare(&jpeg(1000, 800)).unwrap().key,
        prepared.key,
        "the same photo gets the same name"
    );
}

#[test]
fn a_phone_photo_is_turned_upright_and_loses_its_exif() {
    let upload = with_exif_orientation(&jpeg(400, 200), 6);
    assert!(upload.windows(4).any(|w| w == b"Exif"));
    let prepared = prepare(&upload).unwrap();
    assert!(prepared.rotated);
    assert_eq!((prepared.key.width, prepared.key.height), (200, 400));
    let stored = image::load_from_memory(&prepared.bytes).unwrap().to_rgb8();
    // Turned clockwise: the left (red) half is now on top.
    let top = stored.get_pixel(100, 20).0;
    let bottom = stored.get_pixel(100, 380).0;
    assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "bottom is blue: {bottom:?}"
    );
    assert!(
        !prepared.bytes.windows(4).any(|w| w == b"Exif"),
        "metadata is dropped"
    );
}

#[test]
fn webp_and_transparency_become_formats_marketplaces_take() {
    let mut opaque_webp = Vec::new();
    DynamicImage::ImageRgb8(RgbImage::from_pixel(600, 600, Rgb([10, 200, 10])))
        .write_to(&mut Cursor::new(&mut opaque_webp), ImageFormat::WebP)
        .unwrap();
    assert_eq!(prepare(&opaque_webp).unwrap().key.ext, "jpg");

    let mut clear = RgbaImage::from_pixel(64, 64, Rgba([0, 0, 0, 0]));
    clear.put_pixel(1, 1, Rgba([255, 0, 0, 255]));
    let mut transparent_webp = Vec::new();
    DynamicImage::ImageRgba8(clear.clone())
        .write_to(&mut Cursor::new(&mut transparent_webp), ImageFormat::WebP)
        .unwrap();
    let prepared = prepare(&transparent_webp).unwrap();
    assert_eq!(prepared.key.ext, "png", "transparency kept");
    let thumb = image::load_from_memory(&prepared.thumb).unwrap().to_rgb8();
    assert_eq!(
        thumb.get_pixel(40, 40).0,
        [255, 255, 255],
        "thumbnail on white"
    );

    let png = encode_png(&DynamicImage::ImageRgba8(clear)).unwrap();
    assert_eq!(prepare(&png).unwrap().key.ext, "png");
}

#[test]
fn what_is_not_a_safe_image_is_refused_by_name() {
    assert_eq!(prepare(b"").err(), Some(ImageError::Empty));
    assert_eq!(
        prepare(b"<html><script>alert(1)</script></html>"),
        Err(ImageError::NotAnImage)
    );
    assert_eq!(
        prepare(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        Err(ImageError::NotAnImage),
        "GIF is not taken"
    );
    let mut pdf_named_jpg = b"%PDF-1.7\n".to_vec();
    pdf_named_jpg.extend_from_slice(&[0u8; 100]);
    assert_eq!(prepare(&pdf_named_jpg).err(), Some(ImageError::NotAnImage));
    let whole = jpeg(300, 300);
    assert_eq!(
        prepare(&whole[..whole.len() / 3]).err(),
        Some(ImageError::Damaged),
        "a truncated upload"
    );
    let bomb = png_bomb(60_000);
    assert!(bomb.len() < 200);
    assert_eq!(prepare(&bomb).err(), Some(ImageError::TooManyPixels));
    assert_eq!(
        prepare(&png_bomb(8_000)).err(),
        Some(ImageError::TooManyPixels),
        "64 megapixels is over the limit even within the side limit"
    );
    let mut huge = jpeg(16, 16);
    huge.resize(MAX_UPLOAD_BYTES + 1, 0);
    assert_eq!(prepare(&huge).err(), Some(ImageError::TooLarge));
}

#[tokio::test]
async fn the_blob_store_keeps_files_and_refuses_paths() {
    let root = std::env::temp_dir().join(format!("gachi-blobs-{}", std::process::id()));
    let store = FsBlobStore::new(&root);
    let name = "0123456789abcdef0123456789abcdef-10x10.jpg";
    assert_eq!(store.get(name).await.unwrap(), None);
    store.put(name, b"bytes").await.unwrap();
    store.put(name, b"bytes").await.unwrap();
    assert_eq!(
        store.get(name).await.unwrap().as_deref(),
        Some(&b"bytes"[..])
    );
    assert!(root.join("01").join(name).exists());
    assert!(store.put("../escape.jpg", b"x").await.is_err());
    assert_eq!(store.get("../../etc/passwd").await.unwrap(), None);
    std::fs::remove_dir_all(&root).unwrap();
}
