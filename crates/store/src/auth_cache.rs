//! A short-lived cache of "who is behind this session cookie / API token" and "which shop does
//! this merchant own", so an authenticated request (and a merchant's home page) does not cost a
//! database round trip. Every merchant write through this store empties the shop entries. Only found entries are cached, for
//! `AUTH_CACHE_SECONDS`; every write through this store that could change an answer (sign-out,
//! password change, language change, session slide, an API token revoked) drops the affected
//! entries at once. A cached token carries its expiry, which the use case checks on every
//! request, and its last use, which a recorded use updates in place.
//!
//! With several web nodes, a change made on one node reaches the others' caches within
//! `AUTH_CACHE_SECONDS` (e.g. a session signed out or a token revoked elsewhere keeps working
//! there for up to that long). Any new write that changes a user (role, region, disabling) must
//! call `forget_user`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use gachi_domain::accounts::{ApiTokenId, ApiTokenInfo, Session, SessionId, User, UserId};
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::merchants::merchant::Merchant;

pub const AUTH_CACHE_SECONDS: u64 = 5;
/// Past this many entries the cache is emptied rather than grown (a crude bound, not an LRU).
const MAX_ENTRIES: usize = 100_000;

#[derive(Default)]
pub(crate) struct AuthCache {
    sessions: Mutex<HashMap<String, (Instant, Session, User)>>,
    tokens: Mutex<HashMap<String, (Instant, ApiTokenInfo, User)>>,
    /// The shop each merchant account owns, or that it owns none yet.
    shops: Mutex<HashMap<UserId, (Instant, Option<Merchant>)>>,
}

fn fresh(at: Instant) -> bool {
    at.elapsed() < Duration::from_secs(AUTH_CACHE_SECONDS)
}

impl AuthCache {
    pub fn session(&self, digest: &str) -> Option<(Session, User)> {
        let sessions = self.sessions.lock().ok()?;
        let (at, session, user) = sessions.get(digest)?;
        fresh(*at).then(|| (session.clone(), user.clone()))
    }

    pub fn put_session(&self, digest: &str, session: &Session, user: &User) {
        if let Ok(mut sessions) = self.sessions.lock() {
            if sessions.len() >= MAX_ENTRIES {
                sessions.clear();
            }
            sessions.insert(
                digest.to_owned(),
                (Instant::now(), session.clone(), user.clone()),
            );
        }
    }

    pub fn token(&self, digest: &str) -> Option<(ApiTokenInfo, User)> {
        let tokens = self.tokens.lock().ok()?;
        let (at, token, user) = tokens.get(digest)?;
        fresh(*at).then(|| (token.clone(), user.clone()))
    }

    pub fn put_token(&self, digest: &str, token: &ApiTokenInfo, user: &User) {
        if let Ok(mut tokens) = self.tokens.lock() {
            if tokens.len() >= MAX_ENTRIES {
                tokens.clear();
            }
            tokens.insert(
                digest.to_owned(),
                (Instant::now(), token.clone(), user.clone()),
            );
        }
    }

    /// After a recorded use: the cached token shows it, so the next request does not write again.
    pub fn touch_token(&self, id: ApiTokenId, used_at: Timestamp) {
        if let Ok(mut tokens) = self.tokens.lock() {
            for (_, token, _) in tokens.values_mut() {
                if token.id == id {
                    token.last_used_at = Some(used_at);
                }
            }
        }
    }

    /// After a token is revoked.
    pub fn forget_token(&self, id: ApiTokenId) {
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.retain(|_, (_, token, _)| token.id != id);
        }
    }

    /// After every token of a user is revoked.
    pub fn forget_tokens_of(&self, user: UserId) {
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.retain(|_, (_, token, _)| token.user != user);
        }
    }

    /// `Some(shop or none)` when known and fresh.
    pub fn shop_of(&self, owner: UserId) -> Option<Option<Merchant>> {
        let shops = self.shops.lock().ok()?;
        let (at, shop) = shops.get(&owner)?;
        fresh(*at).then(|| shop.clone())
    }

    pub fn put_shop_of(&self, owner: UserId, shop: &Option<Merchant>) {
        if let Ok(mut shops) = self.shops.lock() {
            if shops.len() >= MAX_ENTRIES {
                shops.clear();
            }
            shops.insert(owner, (Instant::now(), shop.clone()));
        }
    }

    /// After any merchant write: shops, tracks and statuses may have changed.
    pub fn forget_shops(&self) {
        if let Ok(mut shops) = self.shops.lock() {
            shops.clear();
        }
    }

    pub fn forget_session_digest(&self, digest: &str) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.remove(digest);
        }
    }

    pub fn forget_session(&self, id: SessionId) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.retain(|_, (_, session, _)| session.id != id);
        }
    }

    /// Drops every session and token entry of this user.
    pub fn forget_user(&self, id: UserId) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.retain(|_, (_, _, user)| user.id != id);
        }
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.retain(|_, (_, _, user)| user.id != id);
        }
    }
}
