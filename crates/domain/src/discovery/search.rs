//! The search port over the MD product pool: what one pooled product looks like to the index
//! (`PoolDocument`), what an MD asks (`PoolQuery`), and what comes back (`PoolHits`, with counts
//! per facet). `crates/search` implements it with a Korean analyzer; the index is a cache of the
//! database, rebuilt from it whenever asked, so nothing is lost if it is thrown away.

use crate::catalog::product::ProductId;
use crate::kernel::channel::Channel;
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::MerchantId;

/// Queries longer than this many characters are cut (and the answer says so).
pub const MAX_QUERY_CHARS: usize = 200;

/// The most hits one page holds.
pub const MAX_PAGE: u32 = 100;

/// One pooled product as the index sees it. Texts are already clean (NFC, trimmed).
#[derive(Debug, Clone, PartialEq)]
pub struct PoolDocument {
    pub product_id: ProductId,
    pub merchant_id: MerchantId,
    /// The product name, e.g. `강릉 초당 쌀막걸리 750ml 2병`.
    pub name: String,
    /// Brand and manufacturer, joined by a space (may be empty).
    pub brand: String,
    /// The shop's name.
    pub shop_name: String,
    /// 시도 and 시군구 names, e.g. `강원특별자치도 강릉시`.
    pub region_names: String,
    /// The shop's 시도 code (2 digits) and 시군구 code (5 digits), for filters.
    pub sido: String,
    pub sigungu: String,
    /// The shop's 소분류 industry code (e.g. `I21001`) and its names (대/중/소분류), for filters and
    /// for matching words such as `한식`.
    pub industry_code: String,
    pub industry_names: String,
    /// The product's search tags.
    pub tags: Vec<String>,
    /// Selling price in KRW.
    pub price: i64,
    /// Marketplaces where the shop's onboarding card for that marketplace is on sale (판매중).
    pub listed_on: Vec<Channel>,
    pub tax_free: bool,
    /// Certification kinds the product carries, upper-cased (e.g. `HACCP`).
    pub certifications: Vec<String>,
    /// Ships to the whole country (no region left out of delivery).
    pub ships_nationwide: bool,
    /// When the product entered the pool (for "newest").
    pub pooled_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PoolSort {
    #[default]
    Relevance,
    Newest,
    PriceLow,
    PriceHigh,
}

impl PoolSort {
    pub const ALL: [PoolSort; 4] = [
        PoolSort::Relevance,
        PoolSort::Newest,
        PoolSort::PriceLow,
        PoolSort::PriceHigh,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PoolSort::Relevance => "relevance",
            PoolSort::Newest => "newest",
            PoolSort::PriceLow => "price_low",
            PoolSort::PriceHigh => "price_high",
        }
    }

    pub fn parse(code: &str) -> Option<PoolSort> {
        PoolSort::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

/// What an MD asks. Every filter is optional; filters are ANDed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PoolQuery {
    /// Words in any order; empty means every pooled product (sorted by `sort`, relevance = newest).
    pub text: String,
    pub sido: Option<String>,
    pub sigungu: Option<String>,
    pub industry_code: Option<String>,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    /// Carries this certification kind (upper-case).
    pub certification: Option<String>,
    /// On sale on this marketplace already.
    pub listed_on: Option<Channel>,
    /// Not yet on sale on this marketplace.
    pub not_listed_on: Option<Channel>,
    pub tax_free: Option<bool>,
    pub ships_nationwide: Option<bool>,
    pub sort: PoolSort,
    pub offset: u32,
    /// 1 to `MAX_PAGE`.
    pub limit: u32,
}

/// Counts per value of each facet over every hit of the query (not only the page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolFacets {
    /// (시도 code, hits), most hits first.
    pub sido: Vec<(String, u64)>,
    /// (industry code, hits), most hits first.
    pub industry: Vec<(String, u64)>,
    /// (certification kind, hits), most hits first.
    pub certification: Vec<(String, u64)>,
    /// (marketplace, hits on sale there).
    pub listed_on: Vec<(Channel, u64)>,
    pub tax_free: u64,
    pub ships_nationwide: u64,
}

/// One page of hits, best first, with the total and the facet counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolHits {
    pub product_ids: Vec<ProductId>,
    pub total: u64,
    pub facets: PoolFacets,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index failed (disk, lock, corruption); the message is for logs.
    #[error("search index failure: {0}")]
    Index(String),
}

/// The pool's search index. Writes are visible to the next search once the call returns.
pub trait PoolIndex: Send + Sync {
    /// Throws the index away and fills it with `documents`; returns how many were indexed.
    fn rebuild(
        &self,
        documents: &mut dyn Iterator<Item = PoolDocument>,
    ) -> Result<u64, SearchError>;
    /// Adds the product, or replaces it when already indexed.
    fn upsert(&self, document: &PoolDocument) -> Result<(), SearchError>;
    /// Takes the product out (no error when it was not in).
    fn remove(&self, product: ProductId) -> Result<(), SearchError>;
    /// How many products the index holds.
    fn count(&self) -> Result<u64, SearchError>;
    fn search(&self, query: &PoolQuery) -> Result<PoolHits, SearchError>;
}
