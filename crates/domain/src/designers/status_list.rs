//! Revocation as the W3C Bitstring Status List v1.0 publishes it: one bit per certificate (its
//! `statusListIndex`), 1 when revoked, GZIP-compressed and multibase base64url-encoded into a
//! `BitstringStatusListCredential` that Gachi serves and signs like the certificates, so a
//! verifier learns whether one certificate is revoked without learning whose others are.

use std::io::{Read, Write};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

/// The smallest list the specification allows (16 KB), which also hides how many were issued.
pub const MIN_BITS: usize = 131_072;

/// `encodedList` for a list where the indexes in `revoked` are set.
pub fn encode(revoked: &[u32]) -> String {
    let bits = revoked
        .iter()
        .map(|&i| i as usize + 1)
        .max()
        .unwrap_or(0)
        .max(MIN_BITS);
    let mut bytes = vec![0u8; bits.div_ceil(8)];
    for &index in revoked {
        let index = index as usize;
        // Index 0 is the left-most bit of the first byte.
        bytes[index / 8] |= 0x80 >> (index % 8);
    }
    let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
    gzip.write_all(&bytes).expect("writing to memory");
    let compressed = gzip.finish().expect("writing to memory");
    format!("u{}", URL_SAFE_NO_PAD.encode(compressed))
}

/// Whether bit `index` is set in an `encodedList`; `None` when the list cannot be read or is
/// shorter than the index.
pub fn is_set(encoded: &str, index: u32) -> Option<bool> {
    let compressed = URL_SAFE_NO_PAD.decode(encoded.strip_prefix('u')?).ok()?;
    let mut bytes = Vec::new();
    GzDecoder::new(compressed.as_slice())
        .take(16 * 1024 * 1024)
        .read_to_end(&mut bytes)
        .ok()?;
    let index = index as usize;
    let byte = bytes.get(index / 8)?;
    Some(byte & (0x80 >> (index % 8)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoked_indexes_read_back_and_others_do_not() {
        let encoded = encode(&[0, 9, 131_071]);
        assert!(encoded.starts_with('u'));
        for (index, revoked) in [
            (0, true),
            (1, false),
            (9, true),
            (10, false),
            (131_071, true),
        ] {
            assert_eq!(is_set(&encoded, index), Some(revoked), "{index}");
        }
        assert_eq!(is_set(&encoded, 131_072), None, "past the end");
        assert_eq!(is_set("not a list", 0), None);
    }

    #[test]
    fn the_list_is_at_least_sixteen_kilobytes_and_grows_past_it() {
        let empty = encode(&[]);
        assert_eq!(is_set(&empty, MIN_BITS as u32 - 1), Some(false));
        let long = encode(&[200_000]);
        assert_eq!(is_set(&long, 200_000), Some(true));
        assert_eq!(is_set(&long, 199_999), Some(false));
    }
}
