//! Certificate verification speed: a 디지털 유통설계사 credential as Gachi issues it, verified
//! offline by the W3C `eddsa-jcs-2022` algorithm (canonical JSON, two SHA-256, Ed25519) on one
//! core, against the target of 10,000 verifications a second per core; signing is timed too.
//!
//! `cargo bench -p gachi-domain --bench certificates`

use std::hint::black_box;
use std::time::{Duration, Instant};

use gachi_domain::designers::credential::{CONTEXTS, Issuer};
use gachi_domain::designers::verify_offline;
use gachi_domain::kernel::time::Timestamp;
use serde_json::json;

const TARGET_PER_SECOND: f64 = 10_000.0;

/// Calls `f` for `budget` and returns the calls per second.
fn rate(budget: Duration, mut f: impl FnMut()) -> f64 {
    // Warm up, then count whole batches.
    for _ in 0..200 {
        f();
    }
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < budget {
        for _ in 0..100 {
            f();
        }
        calls += 100;
    }
    calls as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let issuer = Issuer::from_seed([11; 32], "가치 디지털 유통설계사 자격 운영기관");
    let issued = Timestamp::now();
    let document = json!({
        "@context": CONTEXTS,
        "id": "https://gachi.example.kr/api/v1/certificates/DDS-2026-000123",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer.did(), "type": ["Profile"], "name": issuer.name},
        "name": "디지털 유통설계사 2급",
        "validFrom": issued.rfc3339_seconds(),
        "validUntil": issued.plus_seconds(2 * 365 * 24 * 3600).rfc3339_seconds(),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "licenseNumber": "DDS-2026-000123",
            "identifier": [{"type": "IdentityObject", "identityHash": "김유통", "identityType": "name", "hashed": false}],
            "achievement": {
                "id": "urn:gachi:achievement:digital-distribution-designer:2",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": "디지털 유통설계사 2급",
                "description": "소상공인의 온라인 판로(마켓 입점, 상세페이지, 라이브커머스)를 설계하고 운영하는 전문가 자격. 「자격기본법」에 따른 민간자격이며, 국가자격 또는 국가공인자격이 아닙니다.",
                "criteria": {"narrative": "교육 과정 이수, 필기 시험과 실기 합격."}
            }
        },
        "credentialStatus": {
            "id": "https://gachi.example.kr/api/v1/certificates/status-list#123",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "123",
            "statusListCredential": "https://gachi.example.kr/api/v1/certificates/status-list"
        }
    });
    let signed = issuer.sign(document.clone(), issued);
    let text = signed.to_string();
    let now = Timestamp::now();
    assert!(
        verify_offline(&signed, now).is_ok(),
        "the benchmark credential verifies"
    );

    let budget = Duration::from_secs(3);
    let verify_parsed = rate(budget, || {
        black_box(verify_offline(black_box(&signed), now).is_ok());
    });
    let verify_text = rate(budget, || {
        let value: serde_json::Value = serde_json::from_str(black_box(&text)).unwrap();
        black_box(verify_offline(&value, now).is_ok());
    });
    let sign = rate(budget, || {
        black_box(issuer.sign(black_box(document.clone()), issued));
    });
    println!("certificate credential: {} bytes", text.len());
    println!(
        "verify (parsed JSON):   {verify_parsed:>9.0}/s on one core  ratio against the 10,000/s target: {:.2}×",
        verify_parsed / TARGET_PER_SECOND
    );
    println!(
        "verify (from the text): {verify_text:>9.0}/s on one core  ratio against the 10,000/s target: {:.2}×",
        verify_text / TARGET_PER_SECOND
    );
    println!("sign:                   {sign:>9.0}/s on one core");
}
