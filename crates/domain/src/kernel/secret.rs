//! Secrets: random tokens (session cookies, API tokens, CSRF tokens), their stored digests,
//! argon2id password hashing, and `SecretBox`, which seals marketplace keys for storage. Tokens are stored only as SHA-256 digests, so a copy of the
//! database does not let anyone sign in.
//!
//! Hashing a password is slow on purpose; callers run these functions off the async threads
//! (the `PasswordHasher` port).

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// 32 random bytes, URL-safe base64 (43 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The digest under which a token is stored: lowercase hex SHA-256.
pub fn token_digest(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// Lowercase hex SHA-256 of `bytes` (stored token digests, request digests, photo names).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hashes a password with argon2id (the crate's OWASP-recommended defaults: 19 MiB, t=2, p=1)
/// into a PHC string.
pub fn hash_password(password: &str) -> String {
    let mut salt_bytes = [0u8; 16];
    getrandom::fill(&mut salt_bytes).expect("the operating system's random source is available");
    let salt = SaltString::encode_b64(&salt_bytes).expect("16 bytes is a valid salt length");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters accepts any password")
        .to_string()
}

/// Checks a password against a stored PHC string. A malformed hash never verifies.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A real hash of a password nobody knows, checked when an email is unknown so that a failed
/// login takes the same time whether or not the account exists.
pub fn dummy_password_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_token()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_against_its_own_hash() {
        let hash = hash_password("전주비빔밥2인분");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("전주비빔밥2인분", &hash));
        assert!(!verify_password("전주비빔밥3인분", &hash));
        assert!(!verify_password("anything", "not a phc string"));
    }

    #[test]
    fn tokens_are_unique_and_digests_stable() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(
            token_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn constant_time_eq_compares_content_and_length() {
        assert!(constant_time_eq(b"same", b"same"));
        assert!(!constant_time_eq(b"same", b"sama"));
        assert!(!constant_time_eq(b"same", b"same!"));
    }
}

/// Seals secrets for storage (marketplace API keys) with XChaCha20-Poly1305 under a 32-byte key
/// that lives outside the database, so a copy of the database does not reveal them. Each seal
/// takes a fresh random 24-byte nonce; the sealed text is `v1.` + base64(nonce ‖ ciphertext).
#[derive(Clone)]
pub struct SecretBox {
    cipher: chacha20poly1305::XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(…)")
    }
}

impl SecretBox {
    pub fn new(key: &[u8; 32]) -> Self {
        use chacha20poly1305::KeyInit as _;
        Self {
            cipher: chacha20poly1305::XChaCha20Poly1305::new(key.into()),
        }
    }

    /// A key as the environment gives it: 32 bytes in (URL-safe or standard) base64.
    pub fn from_base64(key: &str) -> Option<Self> {
        let key = key.trim();
        let bytes = URL_SAFE_NO_PAD
            .decode(key.trim_end_matches('='))
            .or_else(|_| base64::engine::general_purpose::STANDARD.decode(key))
            .ok()?;
        let key: [u8; 32] = bytes.try_into().ok()?;
        Some(Self::new(&key))
    }

    /// A new random key in the form `from_base64` reads.
    pub fn generate_key() -> String {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).expect("the OS random source works");
        URL_SAFE_NO_PAD.encode(key)
    }

    pub fn seal(&self, plaintext: &[u8]) -> String {
        use chacha20poly1305::aead::Aead as _;
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).expect("the OS random source works");
        let ciphertext = self
            .cipher
            .encrypt((&nonce).into(), plaintext)
            .expect("encrypting in memory cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ciphertext);
        format!("v1.{}", URL_SAFE_NO_PAD.encode(out))
    }

    /// The plaintext, or `None` when the text was not sealed under this key (or was altered).
    pub fn open(&self, sealed: &str) -> Option<Vec<u8>> {
        use chacha20poly1305::aead::Aead as _;
        let bytes = URL_SAFE_NO_PAD.decode(sealed.strip_prefix("v1.")?).ok()?;
        if bytes.len() < 24 {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        let nonce: &[u8; 24] = nonce.try_into().ok()?;
        self.cipher.decrypt(nonce.into(), ciphertext).ok()
    }
}

#[cfg(test)]
mod secret_box_tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_unaltered() {
        let key = SecretBox::generate_key();
        let sealer = SecretBox::from_base64(&key).unwrap();
        let sealed = sealer.seal(b"$2a$04$QKLnou1D2cSH19Pia30bcu");
        assert!(!sealed.contains("QKLnou"), "the secret is not readable");
        assert_ne!(
            sealed,
            sealer.seal(b"$2a$04$QKLnou1D2cSH19Pia30bcu"),
            "fresh nonce"
        );
        assert_eq!(
            sealer.open(&sealed).unwrap(),
            b"$2a$04$QKLnou1D2cSH19Pia30bcu"
        );
        let other = SecretBox::from_base64(&SecretBox::generate_key()).unwrap();
        assert!(other.open(&sealed).is_none());
        let mut altered = sealed.clone();
        altered.replace_range(10..11, if &sealed[10..11] == "A" { "B" } else { "A" });
        assert!(sealer.open(&altered).is_none());
        assert!(SecretBox::from_base64("too short").is_none());
    }
}
