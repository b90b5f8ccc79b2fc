//! Photos on a marketplace's own image host. Naver takes only photo addresses its image host
//! issued (`POST /v1/product-images/upload`: multipart `imageFiles`, at most 10 files per call,
//! JPG, GIF, PNG or BMP); a product create naming any other address is refused. So before a
//! Naver create the submitter uploads every photo the listing names that Naver does not host
//! yet, and the product is compiled again with the hosted addresses (`Submitter::publish`).
//! Photos the caller knows the host holds already (`KnownPhotos::hosted`) are named without
//! uploading them again; the photos uploaded are reported for the caller to remember.
//!
//! The photos of the 상세페이지 stay where they are: Smart Store shows the detail HTML's images
//! from their own addresses.

use gachi_domain::catalog::product::ProductFile;

use gachi_domain::kernel::channel::Channel;

/// Naver's file limit per upload call.
pub const NAVER_FILES_PER_UPLOAD: usize = 10;

/// Whether `url` is on Naver's image host (`https://shop-phinf.pstatic.net/…`).
pub fn on_naver_host(url: &str) -> bool {
    let url = url.trim();
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .is_some_and(|host| host == "pstatic.net" || host.ends_with(".pstatic.net"))
}

/// The photo addresses a listing of `file` on `channel` names that the marketplace wants on
/// its own host and does not hold yet — the main photo first, then the extra ones, each once.
/// Only Naver has such a host; the others take the addresses as they are.
pub fn photos_to_host(channel: Channel, file: &ProductFile) -> Vec<String> {
    let mut wanted: Vec<String> = Vec::new();
    let (Channel::Naver, Some(images)) = (channel, &file.images) else {
        return wanted;
    };
    for url in std::iter::once(&images.main).chain(&images.extra) {
        let url = url.trim();
        if !url.is_empty() && !on_naver_host(url) && !wanted.iter().any(|w| w == url) {
            wanted.push(url.to_owned());
        }
    }
    wanted
}

/// Points `file` at the hosted copies: each `(from, to)` replaces `from` wherever it is named.
pub fn use_hosted(file: &mut ProductFile, hosted: &[(String, String)]) {
    let swap = |url: &mut String| {
        if let Some((_, to)) = hosted.iter().find(|(from, _)| from == url.trim()) {
            *url = to.clone();
        }
    };
    if let Some(images) = &mut file.images {
        swap(&mut images.main);
        images.extra.iter_mut().for_each(swap);
    }
}

/// A photo format Naver's host takes, read from the first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoType {
    pub extension: &'static str,
    pub mime: &'static str,
}

/// JPEG, PNG, GIF or BMP by their signatures; `None` for anything else (WebP, HEIC, a page).
pub fn naver_photo_type(bytes: &[u8]) -> Option<PhotoType> {
    let (extension, mime) = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ("jpg", "image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ("png", "image/png")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        ("gif", "image/gif")
    } else if bytes.starts_with(b"BM") && bytes.len() > 26 {
        ("bmp", "image/bmp")
    } else {
        return None;
    };
    Some(PhotoType { extension, mime })
}

const BOUNDARY: &str = "gachi-photo-boundary-7d3f0b";

/// A `multipart/form-data` body with one `field` part per file; returns the content type
/// (with its boundary) and the body.
pub fn multipart_files(field: &str, files: &[(String, PhotoType, &[u8])]) -> (String, Vec<u8>) {
    // The boundary must not occur in any file: lengthened until it does not.
    let mut boundary = String::from(BOUNDARY);
    while files
        .iter()
        .any(|(_, _, bytes)| memchr::memmem::find(bytes, boundary.as_bytes()).is_some())
    {
        boundary.push('x');
    }
    let mut body = Vec::new();
    for (name, kind, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: {}\r\n\r\n",
                kind.mime
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pstatic_addresses_count_as_naver_hosted() {
        assert!(on_naver_host(
            "https://shop-phinf.pstatic.net/20260101_1/abc.jpg"
        ));
        assert!(!on_naver_host("https://pstatic.net.evil.kr/a.jpg"));
        assert!(!on_naver_host(
            "https://shop.example.kr/img/pstatic.net/a.jpg"
        ));
        assert!(!on_naver_host("shop-phinf.pstatic.net/a.jpg"));
    }

    #[test]
    fn photos_to_host_are_unique_main_first_and_replaced_everywhere() {
        let mut file = ProductFile::default();
        let images = file.images.get_or_insert_default();
        images.main = " https://a.kr/1.jpg ".into();
        images.extra = vec![
            "https://a.kr/2.jpg".into(),
            "https://shop-phinf.pstatic.net/x.jpg".into(),
            "https://a.kr/1.jpg".into(),
        ];
        assert!(photos_to_host(Channel::Coupang, &file).is_empty());
        let wanted = photos_to_host(Channel::Naver, &file);
        assert_eq!(wanted, ["https://a.kr/1.jpg", "https://a.kr/2.jpg"]);
        use_hosted(
            &mut file,
            &[
                (
                    "https://a.kr/1.jpg".into(),
                    "https://shop-phinf.pstatic.net/1".into(),
                ),
                (
                    "https://a.kr/2.jpg".into(),
                    "https://shop-phinf.pstatic.net/2".into(),
                ),
            ],
        );
        let images = file.images.as_ref().unwrap();
        assert_eq!(images.main, "https://shop-phinf.pstatic.net/1");
        assert_eq!(
            images.extra,
            [
                "https://shop-phinf.pstatic.net/2",
                "https://shop-phinf.pstatic.net/x.jpg",
                "https://shop-phinf.pstatic.net/1"
            ]
        );
        assert!(photos_to_host(Channel::Naver, &file).is_empty());
    }

    #[test]
    fn photo_types_are_read_from_the_bytes() {
        assert_eq!(
            naver_photo_type(&[0xFF, 0xD8, 0xFF, 0xE0])
                .unwrap()
                .extension,
            "jpg"
        );
        assert_eq!(
            naver_photo_type(b"\x89PNG\r\n\x1a\n....").unwrap().mime,
            "image/png"
        );
        assert_eq!(naver_photo_type(b"GIF89a....").unwrap().extension, "gif");
        assert!(naver_photo_type(b"RIFF....WEBPVP8 ").is_none());
        assert!(naver_photo_type(b"<html>").is_none());
    }

    #[test]
    fn the_multipart_boundary_never_occurs_in_a_file() {
        let jpeg = PhotoType {
            extension: "jpg",
            mime: "image/jpeg",
        };
        let (content_type, body) =
            multipart_files("imageFiles", &[("1.jpg".into(), jpeg, b"\xFF\xD8\xFFabc")]);
        let boundary = content_type.split("boundary=").nth(1).unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(text.starts_with(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"imageFiles\"; filename=\"1.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")));
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
        assert_eq!(boundary, BOUNDARY);
        // A file that happens to hold the boundary gets a longer one.
        let tricky = format!("\u{FF}--{BOUNDARY}--");
        let (content_type, body) =
            multipart_files("imageFiles", &[("1.jpg".into(), jpeg, tricky.as_bytes())]);
        let boundary = content_type.split("boundary=").nth(1).unwrap();
        assert_ne!(boundary, BOUNDARY);
        assert_eq!(
            String::from_utf8_lossy(&body).matches(boundary).count(),
            2,
            "only the opening and the closing delimiter"
        );
    }
}
