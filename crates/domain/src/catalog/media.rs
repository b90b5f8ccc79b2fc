//! Product photos: what an upload may be, how a stored image is named, the marketplaces' rules
//! for the main image, and the blob-store port that keeps the bytes.
//!
//! A stored image is named by its content and size — `{sha256 prefix}-{width}x{height}.{jpg|png}`
//! — so the same photo uploaded twice is stored once, its address never changes meaning (it is
//! served as immutable), and the marketplaces' size rules can be checked from the address alone.

use async_trait::async_trait;

use crate::ports::StoreError;

/// The largest upload accepted: 10 MB (phones' photos are 2–6 MB).
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// The longest side accepted, before decoding (no marketplace takes more than 5,000 px).
pub const MAX_SIDE: u32 = 12_000;
/// The most pixels decoded (a 48-megapixel phone photo fits; a decompression bomb does not).
pub const MAX_PIXELS: u64 = 50_000_000;
/// The longest side of a thumbnail.
pub const THUMB_SIDE: u32 = 320;
/// Where stored images are served.
pub const MEDIA_PATH: &str = "/media/";

/// The name of a stored image, parsed back from its key or its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageKey {
    pub digest: String,
    pub width: u32,
    pub height: u32,
    /// `jpg` or `png`.
    pub ext: &'static str,
}

impl ImageKey {
    pub fn new(digest_hex: &str, width: u32, height: u32, ext: &'static str) -> Self {
        Self {
            digest: digest_hex[..32.min(digest_hex.len())].to_owned(),
            width,
            height,
            ext,
        }
    }

    /// `{digest}-{w}x{h}.{ext}`.
    pub fn file_name(&self) -> String {
        format!(
            "{}-{}x{}.{}",
            self.digest, self.width, self.height, self.ext
        )
    }

    /// The thumbnail's name: always a JPEG.
    pub fn thumb_name(&self) -> String {
        format!("{}-{}x{}.thumb.jpg", self.digest, self.width, self.height)
    }

    /// Reads a stored image's name (`abc…-800x800.jpg`, or its `.thumb.jpg`), or None for any
    /// other text; only names this module writes are accepted, so a key is also safe as a path.
    pub fn parse(name: &str) -> Option<(Self, bool)> {
        let (stem, ext, thumb) = if let Some(stem) = name.strip_suffix(".thumb.jpg") {
            (stem, "jpg", true)
        } else if let Some(stem) = name.strip_suffix(".jpg") {
            (stem, "jpg", false)
        } else if let Some(stem) = name.strip_suffix(".png") {
            (stem, "png", false)
        } else {
            return None;
        };
        let (digest, size) = stem.split_once('-')?;
        if digest.len() != 32
            || !digest
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return None;
        }
        let (w, h) = size.split_once('x')?;
        let number = |s: &str| -> Option<u32> {
            (!s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        Some((
            Self {
                digest: digest.to_owned(),
                width: number(w)?,
                height: number(h)?,
                ext,
            },
            thumb,
        ))
    }

    /// The stored image an address points to, when it is one of ours (`https://host/media/…`).
    pub fn from_url(url: &str) -> Option<Self> {
        let at = url.rfind(MEDIA_PATH)?;
        match Self::parse(&url[at + MEDIA_PATH.len()..])? {
            (key, false) => Some(key),
            (_, true) => None,
        }
    }

    /// The content type to serve it with.
    pub fn content_type(ext: &str) -> &'static str {
        if ext == "png" {
            "image/png"
        } else {
            "image/jpeg"
        }
    }
}

/// The path of a photo Gachi stores (`/media/<name>`), read from what a product file holds: the
/// path itself, as uploads are kept now, or an address of this server's media written before
/// (`http://host/media/<name>`, whatever host the upload came through). None for any other
/// address, and for thumbnails.
pub fn stored_path(url: &str) -> Option<String> {
    let url = url.trim();
    let path = if url.starts_with(MEDIA_PATH) {
        url
    } else {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        &rest[rest.find('/')?..]
    };
    let name = path.strip_prefix(MEDIA_PATH)?;
    match ImageKey::parse(name)? {
        (_, false) => Some(format!("{MEDIA_PATH}{name}")),
        (_, true) => None,
    }
}

/// The public address of a photo stored by Gachi, at send time: `public_url` (the server's
/// configured address, e.g. `https://gachi.example.kr`) followed by its path; without one, the
/// path alone (a marketplace that downloads photos reports that the public address is missing).
/// Any other address is given back as it is.
pub fn send_address(url: &str, public_url: &str) -> String {
    let public = public_url.trim().trim_end_matches('/');
    match stored_path(url) {
        Some(path) if public.is_empty() => path,
        Some(path) => format!("{public}{path}"),
        None => url.to_owned(),
    }
}

/// `file` with the photos Gachi stores addressed as marketplaces receive them
/// ([`send_address`]). The product file itself keeps paths, so no request (nor its Host
/// header) decides where marketplaces fetch from.
pub fn with_send_addresses(
    file: &crate::catalog::product::ProductFile,
    public_url: &str,
) -> crate::catalog::product::ProductFile {
    let mut file = file.clone();
    if let Some(images) = &mut file.images {
        images.main = send_address(&images.main, public_url);
        for url in &mut images.extra {
            *url = send_address(url, public_url);
        }
    }
    file
}

/// A marketplace's rule for the main image, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MainImageRule {
    pub min_side: u32,
    pub max_side: Option<u32>,
    pub square: bool,
}

/// Coupang: a square image of 500–5,000 px.
pub const COUPANG_MAIN_IMAGE: MainImageRule = MainImageRule {
    min_side: 500,
    max_side: Some(5_000),
    square: true,
};
/// 11st: at least 600 × 600.
pub const ELEVENST_MAIN_IMAGE: MainImageRule = MainImageRule {
    min_side: 600,
    max_side: None,
    square: false,
};

impl MainImageRule {
    /// Whether an image of this size keeps the rule.
    pub fn accepts(&self, width: u32, height: u32) -> bool {
        let short = width.min(height);
        let long = width.max(height);
        short >= self.min_side
            && self.max_side.is_none_or(|max| long <= max)
            && (!self.square || width == height)
    }
}

/// What happened to an uploaded image on the way in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedImage {
    pub key: ImageKey,
    /// The image to keep: re-encoded, turned upright, without its metadata (a phone photo's
    /// EXIF carries where it was taken).
    pub bytes: Vec<u8>,
    pub thumb: Vec<u8>,
    /// The photo was turned upright by its EXIF orientation.
    pub rotated: bool,
}

/// Why an upload was refused; each is the message key shown beside the file input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("empty upload")]
    Empty,
    #[error("larger than 10 MB")]
    TooLarge,
    /// Not a JPEG, PNG or WebP by its content (whatever its name or declared type says).
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    /// Too many pixels to decode safely (a decompression bomb or a panorama).
    #[error("too many pixels")]
    TooManyPixels,
    /// The header promised an image the data does not hold.
    #[error("damaged image")]
    Damaged,
}

impl ImageError {
    pub fn code(self) -> &'static str {
        match self {
            ImageError::Empty => "error-image-empty",
            ImageError::TooLarge => "error-image-too-large",
            ImageError::NotAnImage => "error-image-type",
            ImageError::TooManyPixels => "error-image-pixels",
            ImageError::Damaged => "error-image-damaged",
        }
    }
}

/// Keeps stored files by name (a filesystem directory now; an S3 bucket can follow).
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores `bytes` under `name`; storing the same name again is harmless (names are digests).
    async fn put(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError>;
    /// The bytes under `name`, or None.
    async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_refuse_anything_else() {
        let key = ImageKey::new("0123456789abcdef0123456789abcdef99", 1000, 800, "jpg");
        assert_eq!(
            key.file_name(),
            "0123456789abcdef0123456789abcdef-1000x800.jpg"
        );
        assert_eq!(
            ImageKey::parse(&key.file_name()),
            Some((key.clone(), false))
        );
        assert_eq!(ImageKey::parse(&key.thumb_name()).map(|k| k.1), Some(true));
        assert_eq!(
            ImageKey::from_url(&format!("https://gachi.example/media/{}", key.file_name())),
            Some(key)
        );
        for bad in [
            "../../etc/passwd",
            "0123456789abcdef0123456789abcdef-1000x800.gif",
            "0123456789ABCDEF0123456789abcdef-1000x800.jpg",
            "0123456789abcdef0123456789abcdef-x800.jpg",
            "0123456789abcdef0123456789abcdef-1000x800.jpg/../x.jpg",
            "abc-10x10.jpg",
        ] {
            assert_eq!(ImageKey::parse(bad), None, "{bad}");
        }
        assert_eq!(ImageKey::from_url("https://cdn.example/a/main.jpg"), None);
    }

    #[test]
    fn stored_photos_are_kept_as_paths_and_addressed_at_send_time() {
        let name = "0123456789abcdef0123456789abcdef-800x800.jpg";
        let path = format!("/media/{name}");
        assert_eq!(stored_path(&path), Some(path.clone()));
        // Addresses written before paths were kept, whatever Host they followed.
        assert_eq!(
            stored_path(&format!("http://evil.example/media/{name}")),
            Some(path.clone())
        );
        assert_eq!(
            stored_path(&format!("https://gachi.example.kr/media/{name}")),
            Some(path.clone())
        );
        for other in [
            "https://cdn.example/a/main.jpg".to_owned(),
            format!("https://cdn.example/x/media/{name}"),
            "/media/0123456789abcdef0123456789abcdef-800x800.thumb.jpg".to_owned(),
            "/media/../secret.key".to_owned(),
            "javascript:alert(1)".to_owned(),
        ] {
            assert_eq!(stored_path(&other), None, "{other}");
        }
        assert_eq!(
            send_address(
                &format!("http://evil.example/media/{name}"),
                "https://gachi.example.kr/"
            ),
            format!("https://gachi.example.kr/media/{name}")
        );
        assert_eq!(send_address(&path, ""), path, "no public address: the path");
        assert_eq!(
            send_address("https://cdn.example/a/main.jpg", "https://gachi.example.kr"),
            "https://cdn.example/a/main.jpg"
        );
    }

    #[test]
    fn main_image_rules_follow_the_marketplaces() {
        assert!(COUPANG_MAIN_IMAGE.accepts(1000, 1000));
        assert!(!COUPANG_MAIN_IMAGE.accepts(1000, 800), "not square");
        assert!(!COUPANG_MAIN_IMAGE.accepts(400, 400), "too small");
        assert!(!COUPANG_MAIN_IMAGE.accepts(6000, 6000), "too large");
        assert!(ELEVENST_MAIN_IMAGE.accepts(800, 600));
        assert!(!ELEVENST_MAIN_IMAGE.accepts(800, 599));
    }
}
