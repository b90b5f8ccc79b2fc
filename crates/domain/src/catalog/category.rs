//! Marketplace categories: the leaf categories an operator loaded per marketplace, searched by
//! words of their path and suggested from a product's name (a person confirms the choice in the
//! form), with the marketplace's per-category metadata where it has some (Coupang). Also the code
//! tables a marketplace does not publish (11st and ESM notice codes), kept as loaded.

use crate::accounts::User;
use crate::kernel::audit::Actor;
use crate::kernel::channel::Channel;
use crate::kernel::error::ValidationErrors;
use crate::ports::{Clock, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub channel: Channel,
    pub code: String,
    /// `식품>가공식품>즉석식품>밀키트`.
    pub path: String,
    /// Whether the marketplace's metadata for it is loaded.
    pub has_meta: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CategoryError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The words of a product name worth searching categories with: two characters or more, or one
/// Hangul syllable (떡, 김, 옷 are whole product kinds); not bare numbers.
fn words(name: &str) -> Vec<String> {
    let hangul = |c: char| ('가'..='힣').contains(&c);
    let mut words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2 || w.chars().all(hangul))
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_owned)
        .collect();
    words.dedup();
    words.truncate(8);
    words
}

/// The category use cases. Loading trees and tables is for staff (or the CLI, as the system).
pub struct Categories<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

impl Categories<'_> {
    /// Replaces `channel`'s tree with `rows` (code, path); returns how many were loaded.
    pub async fn load_tree(
        &self,
        actor: &Actor,
        channel: Channel,
        rows: &[(String, String)],
    ) -> Result<u64, CategoryError> {
        let audit = actor.entry(
            self.clock.now(),
            "categories.load",
            format!("channel:{channel}"),
            rows.len().to_string(),
        );
        Ok(self.store.replace_categories(channel, rows, &audit).await?)
    }

    /// Stores the marketplace's metadata for one loaded category.
    pub async fn load_meta(
        &self,
        actor: &Actor,
        channel: Channel,
        code: &str,
        meta_json: &str,
    ) -> Result<(), CategoryError> {
        let audit = actor.entry(
            self.clock.now(),
            "categories.meta",
            format!("channel:{channel}:{code}"),
            "",
        );
        match self
            .store
            .set_category_meta(channel, code.trim(), meta_json, &audit)
            .await
        {
            Err(StoreError::NotFound) => Err(CategoryError::NotFound),
            other => Ok(other?),
        }
    }

    /// Stores a code table (`notice_codes`) for a marketplace.
    pub async fn load_table(
        &self,
        actor: &Actor,
        channel: Channel,
        name: &str,
        body: &str,
    ) -> Result<(), CategoryError> {
        let audit = actor.entry(
            self.clock.now(),
            "channel_table.load",
            format!("channel:{channel}:{name}"),
            "",
        );
        Ok(self
            .store
            .save_channel_table(channel, name, body, &audit)
            .await?)
    }

    /// The loaded category `code` of `channel`, if there is one (the tree is public data).
    pub async fn find(
        &self,
        channel: Channel,
        code: &str,
    ) -> Result<Option<Category>, CategoryError> {
        let code = code.trim();
        if code.is_empty() {
            return Ok(None);
        }
        Ok(self.store.category(channel, code).await?)
    }

    /// Categories whose path holds `text` (any signed-in user may search).
    pub async fn search(
        &self,
        _user: &User,
        channel: Channel,
        text: &str,
        limit: u32,
    ) -> Result<Vec<Category>, CategoryError> {
        let text = crate::kernel::text::clean(text);
        if text.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.store.search_categories(channel, &text, limit).await?)
    }

    /// Categories suggested for a product name: those whose path holds the most of the name's
    /// words, then the most specific (longest path) first.
    pub async fn suggest(
        &self,
        channel: Channel,
        product_name: &str,
        limit: usize,
    ) -> Result<Vec<Category>, CategoryError> {
        let words = words(product_name);
        let mut scored: Vec<(usize, Category)> = Vec::new();
        for word in &words {
            for category in self.store.search_categories(channel, word, 50).await? {
                if scored.iter().any(|(_, c)| c.code == category.code) {
                    continue;
                }
                let hits = words
                    .iter()
                    .filter(|w| category.path.contains(w.as_str()))
                    .count();
                scored.push((hits, category));
            }
        }
        scored.sort_by(|(a, x), (b, y)| b.cmp(a).then(y.path.len().cmp(&x.path.len())));
        Ok(scored.into_iter().take(limit).map(|(_, c)| c).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_s_words_are_what_is_searched() {
        assert_eq!(
            words("전주 한옥마을 비빔밥 밀키트 2인분"),
            ["전주", "한옥마을", "비빔밥", "밀키트", "2인분"]
        );
        assert_eq!(words("[특가] 수제 떡 1kg 2"), ["특가", "수제", "떡", "1kg"]);
    }
}
