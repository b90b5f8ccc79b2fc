//! Uploaded product photos made safe and ready for the marketplaces, and the filesystem blob
//! store that keeps them.
//!
//! [`prepare`] trusts nothing it is given: the type comes from the bytes (not the name or the
//! declared type), the size is read from the header and refused before any pixel is decoded when
//! it is too large (decompression bombs), decoding runs under allocation limits, the EXIF
//! orientation is applied (marketplaces ignore it, so a phone photo would show on its side), and
//! the image is re-encoded — which also drops its metadata, including where a photo was taken.
//! JPEG and opaque WebP become JPEG, PNG stays PNG, WebP with transparency becomes PNG: the
//! formats every Korean marketplace accepts.
//!
//! Decoding is CPU work: call [`prepare`] from a blocking thread.

use std::io::Cursor;
use std::path::PathBuf;

use async_trait::async_trait;
use gachi_domain::catalog::media::{
    BlobStore, ImageError, ImageKey, MAX_PIXELS, MAX_SIDE, MAX_UPLOAD_BYTES, PreparedImage,
    THUMB_SIDE,
};
use gachi_domain::ports::StoreError;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};

/// The JPEG quality of stored photos and thumbnails (visually lossless for product photos).
const JPEG_QUALITY: u8 = 90;

/// Checks an upload and turns it into the image to store and its thumbnail.
pub fn prepare(bytes: &[u8]) -> Result<PreparedImage, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ImageError::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| ImageError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(ImageError::NotAnImage);
    }
    if format == ImageFormat::Jpeg && !ends_after_its_scan(bytes) {
        // Decoders fill a cut-off JPEG with grey; an upload cut short must be sent again.
        return Err(ImageError::Damaged);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(|e| header_error(&e))?;
    // The header alone says how large the picture is: refuse before decoding a single pixel.
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(ImageError::Damaged);
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooManyPixels);
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|e| header_error(&e))?;
    let rotated = orientation != image::metadata::Orientation::NoTransforms;
    picture.apply_orientation(orientation);

    let transparent = picture.color().has_alpha() && has_transparency(&picture);
    let (stored, ext) = if format == ImageFormat::Png || transparent {
        (encode_png(&picture)?, "png")
    } else {
        (encode_jpeg(&opaque(&picture))?, "jpg")
    };
    let thumb = encode_jpeg(&opaque(&picture.thumbnail(THUMB_SIDE, THUMB_SIDE)))?;
    let digest = gachi_domain::kernel::secret::sha256_hex(&stored);
    Ok(PreparedImage {
        key: ImageKey::new(&digest, picture.width(), picture.height(), ext),
        bytes: stored,
        thumb,
        rotated,
    })
}

/// Whether a JPEG's end marker (FFD9) comes after its last scan (FFDA): false for a file cut
/// short, even when an embedded EXIF thumbnail has an end marker of its own further up.
fn ends_after_its_scan(jpeg: &[u8]) -> bool {
    let last = |marker: u8| jpeg.windows(2).rposition(|w| w == [0xFF, marker]);
    matches!((last(0xDA), last(0xD9)), (Some(scan), Some(end)) if end > scan)
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Four bytes a pixel and room for the decoder's own buffers.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    limits
}

fn header_error(error: &image::ImageError) -> ImageError {
    match error {
        image::ImageError::Limits(_) => ImageError::TooManyPixels,
        image::ImageError::Unsupported(_) => ImageError::NotAnImage,
        _ => ImageError::Damaged,
    }
}

fn has_transparency(picture: &DynamicImage) -> bool {
    match picture {
        DynamicImage::ImageRgba8(p) => p.pixels().any(|px| px.0[3] < 255),
        DynamicImage::ImageLumaA8(p) => p.pixels().any(|px| px.0[1] < 255),
        other => other.to_rgba8().pixels().any(|px| px.0[3] < 255),
    }
}

/// The picture on a white background (JPEG has no transparency; marketplaces show white).
fn opaque(picture: &DynamicImage) -> RgbImage {
    if !picture.color().has_alpha() {
        return picture.to_rgb8();
    }
    let rgba = picture.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

fn encode_jpeg(picture: &RgbImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    picture
        .write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
        .map_err(|_| ImageError::Damaged)?;
    Ok(out)
}

fn encode_png(picture: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let picture = if picture.color().has_alpha() {
        DynamicImage::ImageRgba8(picture.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(picture.to_rgb8())
    };
    picture
        .write_with_encoder(PngEncoder::new(&mut out))
        .map_err(|_| ImageError::Damaged)?;
    Ok(out)
}

/// Blobs as files under one directory, fanned out by the first two characters of the name.
/// Writes go to a temporary file renamed into place, so a reader never sees half a file.
pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, name: &str) -> Result<PathBuf, StoreError> {
        // Names are digests this program made; anything path-like is refused outright.
        if name.len() < 3
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            || name.starts_with('.')
            || name.contains("..")
        {
            return Err(StoreError::NotFound);
        }
        Ok(self.root.join(&name[..2]).join(name))
    }
}

#[async_trait]
impl BlobStore for FsBlobStore {
    async fn put(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let path = self.path(name)?;
        let backend = |e: std::io::Error| StoreError::Backend(format!("blob {name}: {e}"));
        if tokio::fs::try_exists(&path).await.map_err(backend)? {
            return Ok(());
        }
        let dir = path.parent().expect("fanned out under the root");
        tokio::fs::create_dir_all(dir).await.map_err(backend)?;
        // Unique per process and write, so two uploads of one photo never share a temporary.
        static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let write = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temporary = dir.join(format!(".{name}.{}.{write}.tmp", std::process::id()));
        tokio::fs::write(&temporary, bytes).await.map_err(backend)?;
        tokio::fs::rename(&temporary, &path).await.map_err(backend)
    }

    async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let Ok(path) = self.path(name) else {
            return Ok(None);
        };
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Backend(format!("blob {name}: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests;
