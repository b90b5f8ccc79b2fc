//! Verifiable credentials for 디지털 유통설계사 certificates: Open Badges 3.0
//! (`OpenBadgeCredential`, on the W3C Verifiable Credentials Data Model 2.0) secured with a Data
//! Integrity proof of the `eddsa-jcs-2022` cryptosuite — RFC 8785 canonical JSON, SHA-256 of the
//! proof options and of the document, Ed25519 over the two digests — by an issuer identified by
//! a `did:key`, so anyone can verify a downloaded certificate offline with no call to Gachi.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::kernel::time::Timestamp;

/// The contexts every credential Gachi issues starts with.
pub const CONTEXTS: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];

/// The multicodec prefix of an Ed25519 public key (`ed25519-pub`, 0xed, as an unsigned varint).
const ED25519_PUB: [u8; 2] = [0xed, 0x01];

/// The issuing body's key and public profile.
#[derive(Clone)]
pub struct Issuer {
    key: SigningKey,
    /// The issuing body's name as printed (운영기관).
    pub name: String,
}

impl std::fmt::Debug for Issuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issuer")
            .field("did", &self.did())
            .field("name", &self.name)
            .finish()
    }
}

impl Issuer {
    /// The issuer whose Ed25519 key is made from `seed` (32 secret bytes kept by the operator).
    pub fn from_seed(seed: [u8; 32], name: impl Into<String>) -> Issuer {
        Issuer {
            key: SigningKey::from_bytes(&seed),
            name: name.into(),
        }
    }

    /// A new random seed for an issuer key.
    pub fn new_seed() -> [u8; 32] {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).expect("the operating system has a random source");
        seed
    }

    /// `did:key:z6Mk…`: the public key, multibase base58btc of the multicodec-prefixed key.
    pub fn did(&self) -> String {
        did_key(&self.key.verifying_key())
    }

    /// The verification method a proof names: the did with its key fragment.
    pub fn verification_method(&self) -> String {
        let did = self.did();
        let fragment = did.trim_start_matches("did:key:").to_owned();
        format!("{did}#{fragment}")
    }

    /// Adds an `eddsa-jcs-2022` proof to `document` (a JSON object without one), made at `at`.
    pub fn sign(&self, mut document: Value, at: Timestamp) -> Value {
        let mut proof = Map::new();
        proof.insert("type".into(), json!("DataIntegrityProof"));
        proof.insert("cryptosuite".into(), json!("eddsa-jcs-2022"));
        proof.insert("created".into(), json!(at.rfc3339_seconds()));
        proof.insert(
            "verificationMethod".into(),
            json!(self.verification_method()),
        );
        proof.insert("proofPurpose".into(), json!("assertionMethod"));
        if let Some(context) = document.get("@context") {
            proof.insert("@context".into(), context.clone());
        }
        let hash = hash_data(&Value::Object(proof.clone()), &document);
        let signature = self.key.sign(&hash);
        proof.insert(
            "proofValue".into(),
            json!(format!(
                "z{}",
                bs58::encode(signature.to_bytes()).into_string()
            )),
        );
        document
            .as_object_mut()
            .expect("a credential is a JSON object")
            .insert("proof".into(), Value::Object(proof));
        document
    }
}

/// `did:key` of an Ed25519 public key.
pub fn did_key(key: &VerifyingKey) -> String {
    let mut bytes = ED25519_PUB.to_vec();
    bytes.extend_from_slice(key.as_bytes());
    format!("did:key:z{}", bs58::encode(bytes).into_string())
}

/// The Ed25519 public key a `did:key` (or a verification method `did:key:…#…`) names.
pub fn key_of_did(did: &str) -> Result<VerifyingKey, ProofError> {
    let did = did.split('#').next().unwrap_or_default();
    let encoded = did
        .strip_prefix("did:key:z")
        .ok_or(ProofError::UnknownKey)?;
    let bytes = bs58::decode(encoded)
        .into_vec()
        .map_err(|_| ProofError::UnknownKey)?;
    let key: [u8; 32] = bytes
        .strip_prefix(&ED25519_PUB)
        .and_then(|k| k.try_into().ok())
        .ok_or(ProofError::UnknownKey)?;
    VerifyingKey::from_bytes(&key).map_err(|_| ProofError::UnknownKey)
}

/// RFC 8785 canonical JSON of `value`.
fn canonical(value: &Value) -> Vec<u8> {
    serde_jcs::to_vec(value).expect("a JSON value canonicalizes")
}

/// What the signature covers: SHA-256 of the canonical proof options, then of the canonical
/// document (the W3C algorithm's order).
fn hash_data(proof_options: &Value, document: &Value) -> Vec<u8> {
    let mut hash = Sha256::digest(canonical(proof_options)).to_vec();
    hash.extend_from_slice(&Sha256::digest(canonical(document)));
    hash
}

/// Why a credential does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("not a JSON object")]
    NotAnObject,
    #[error("no proof")]
    NoProof,
    #[error("the proof is not an eddsa-jcs-2022 DataIntegrityProof")]
    UnsupportedProof,
    #[error("the verification method is not an Ed25519 did:key")]
    UnknownKey,
    #[error("the proof's key is not the issuer's")]
    IssuerMismatch,
    #[error("the proof's @context does not match the document's")]
    ContextMismatch,
    #[error("the signature does not match the content (the credential was altered)")]
    BadSignature,
}

/// Verifies the `eddsa-jcs-2022` proof of `secured` with `key`, by the W3C algorithm: the proof
/// options without `proofValue` and the document without `proof` (read with the proof's
/// `@context`), each RFC 8785-canonical and SHA-256 hashed, Ed25519 over both digests.
pub fn verify_with_key(secured: &Map<String, Value>, key: &VerifyingKey) -> Result<(), ProofError> {
    let object = secured;
    let proof = object
        .get("proof")
        .and_then(Value::as_object)
        .ok_or(ProofError::NoProof)?;
    let signature = proof
        .get("proofValue")
        .and_then(Value::as_str)
        .and_then(|v| v.strip_prefix('z'))
        .and_then(|v| bs58::decode(v).into_vec().ok())
        .and_then(|bytes| <[u8; 64]>::try_from(bytes.as_slice()).ok())
        .map(|bytes| Signature::from_bytes(&bytes))
        .ok_or(ProofError::BadSignature)?;
    let mut options = proof.clone();
    options.remove("proofValue");
    let mut document = object.clone();
    document.remove("proof");
    if let Some(context) = options.get("@context") {
        // The proof's contexts must lead the document's; the document is read with them.
        let ours = context.as_array().ok_or(ProofError::ContextMismatch)?;
        let theirs = document
            .get("@context")
            .and_then(Value::as_array)
            .ok_or(ProofError::ContextMismatch)?;
        if !theirs.starts_with(ours) {
            return Err(ProofError::ContextMismatch);
        }
        document.insert("@context".into(), context.clone());
    }
    let hash = hash_data(&Value::Object(options), &Value::Object(document));
    key.verify(&hash, &signature)
        .map_err(|_| ProofError::BadSignature)
}

/// Verifies the `eddsa-jcs-2022` proof of a secured document by the W3C algorithm, and that it
/// was made with the issuer's own key. Returns the issuer's `did:key`.
pub fn verify(secured: &Value) -> Result<String, ProofError> {
    let object = secured.as_object().ok_or(ProofError::NotAnObject)?;
    let proof = object
        .get("proof")
        .and_then(Value::as_object)
        .ok_or(ProofError::NoProof)?;
    if proof.get("type").and_then(Value::as_str) != Some("DataIntegrityProof")
        || proof.get("cryptosuite").and_then(Value::as_str) != Some("eddsa-jcs-2022")
    {
        return Err(ProofError::UnsupportedProof);
    }
    let method = proof
        .get("verificationMethod")
        .and_then(Value::as_str)
        .ok_or(ProofError::UnknownKey)?;
    let key = key_of_did(method)?;
    let did = did_key(&key);
    let issuer = match object.get("issuer") {
        Some(Value::String(id)) => Some(id.as_str()),
        Some(Value::Object(profile)) => profile.get("id").and_then(Value::as_str),
        _ => None,
    };
    if issuer != Some(did.as_str()) {
        return Err(ProofError::IssuerMismatch);
    }
    verify_with_key(object, &key)?;
    Ok(did)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer() -> Issuer {
        Issuer::from_seed([7; 32], "가치 운영기관")
    }

    fn document(issuer: &Issuer) -> Value {
        json!({
            "@context": CONTEXTS,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": issuer.did(), "type": ["Profile"], "name": issuer.name},
            "validFrom": "2026-12-07T00:00:00Z",
            "credentialSubject": {"type": ["AchievementSubject"], "licenseNumber": "DDS-2026-000001"}
        })
    }

    #[test]
    fn a_did_key_is_a_z6mk_multibase_key_that_reads_back() {
        let issuer = issuer();
        let did = issuer.did();
        assert!(did.starts_with("did:key:z6Mk"), "{did}");
        let key = key_of_did(&issuer.verification_method()).unwrap();
        assert_eq!(did_key(&key), did);
        assert_eq!(
            key_of_did("did:web:example.kr"),
            Err(ProofError::UnknownKey)
        );
    }

    #[test]
    fn a_signed_credential_verifies_and_any_change_breaks_it() {
        let issuer = issuer();
        let signed = issuer.sign(
            document(&issuer),
            Timestamp::from_unix_ms(1_796_601_600_000),
        );
        assert_eq!(signed["proof"]["cryptosuite"], "eddsa-jcs-2022");
        assert_eq!(verify(&signed), Ok(issuer.did()));

        let mut altered = signed.clone();
        altered["credentialSubject"]["licenseNumber"] = json!("DDS-2026-000002");
        assert_eq!(verify(&altered), Err(ProofError::BadSignature));

        let mut reordered: Map<String, Value> = Map::new();
        for (k, v) in signed.as_object().unwrap().iter().rev() {
            reordered.insert(k.clone(), v.clone());
        }
        assert_eq!(
            verify(&Value::Object(reordered)),
            Ok(issuer.did()),
            "canonical JSON: member order does not matter"
        );

        let stranger = Issuer::from_seed([9; 32], "다른 기관");
        let mut forged = signed.clone();
        forged["proof"]["verificationMethod"] = json!(stranger.verification_method());
        assert_eq!(verify(&forged), Err(ProofError::IssuerMismatch));

        let mut unproven = signed.clone();
        unproven.as_object_mut().unwrap().remove("proof");
        assert_eq!(verify(&unproven), Err(ProofError::NoProof));
    }

    /// The W3C's own `eddsa-jcs-2022` test vector (vc-di-eddsa, TestVectors/eddsa-jcs-2022 and
    /// TestVectors/keyPair.json): an Alumni credential signed with a published key pair.
    const W3C_SIGNED: &str = r#"{
      "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
      "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
      "type": ["VerifiableCredential", "AlumniCredential"],
      "name": "Alumni Credential",
      "description": "A minimum viable example of an Alumni Credential.",
      "issuer": "https://vc.example/issuers/5678",
      "validFrom": "2023-01-01T00:00:00Z",
      "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
      "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "proofPurpose": "assertionMethod",
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "proofValue": "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4"
      }
    }"#;
    const W3C_PUBLIC: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    const W3C_PRIVATE: &str = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";

    #[test]
    fn the_w3c_test_vector_verifies_and_signs_byte_for_byte() {
        let signed: Value = serde_json::from_str(W3C_SIGNED).unwrap();
        let key = key_of_did(&format!("did:key:{W3C_PUBLIC}")).unwrap();
        assert_eq!(verify_with_key(signed.as_object().unwrap(), &key), Ok(()));
        let mut altered = signed.clone();
        altered["credentialSubject"]["alumniOf"] = json!("The School of Examples!");
        assert_eq!(
            verify_with_key(altered.as_object().unwrap(), &key),
            Err(ProofError::BadSignature)
        );

        // Signing the same document with the published private key (multicodec 0x8026 + 32
        // bytes) gives the published proofValue: Ed25519 is deterministic.
        let private = bs58::decode(&W3C_PRIVATE[1..]).into_vec().unwrap();
        assert_eq!(&private[..2], &[0x80, 0x26]);
        let issuer = Issuer::from_seed(private[2..].try_into().unwrap(), "vc.example");
        assert_eq!(issuer.did(), format!("did:key:{W3C_PUBLIC}"));
        let mut unsigned = signed.clone();
        let expected = unsigned.as_object_mut().unwrap().remove("proof").unwrap();
        let mut options = expected.clone();
        options.as_object_mut().unwrap().remove("proofValue");
        let hash = hash_data(&options, &unsigned);
        let signature = issuer.key.sign(&hash);
        assert_eq!(
            format!("z{}", bs58::encode(signature.to_bytes()).into_string()),
            expected["proofValue"]
        );
    }

    #[test]
    fn the_proof_follows_the_published_algorithm() {
        // Recompute the W3C algorithm by hand: the proof options (without proofValue) and the
        // document (without proof), each RFC 8785-canonical and SHA-256 hashed, Ed25519 over both.
        let issuer = issuer();
        let signed = issuer.sign(document(&issuer), Timestamp::from_unix_ms(0));
        let mut options = signed["proof"].clone();
        let proof_value = options
            .as_object_mut()
            .unwrap()
            .remove("proofValue")
            .unwrap();
        let mut unsigned = signed.clone();
        unsigned.as_object_mut().unwrap().remove("proof");
        let mut hash = Sha256::digest(serde_jcs::to_vec(&options).unwrap()).to_vec();
        hash.extend_from_slice(&Sha256::digest(serde_jcs::to_vec(&unsigned).unwrap()));
        let bytes = bs58::decode(&proof_value.as_str().unwrap()[1..])
            .into_vec()
            .unwrap();
        let signature = Signature::from_bytes(&bytes.try_into().unwrap());
        assert!(issuer.key.verifying_key().verify(&hash, &signature).is_ok());
        assert_eq!(options["@context"], json!(CONTEXTS));
    }
}
