//! The search port over the community's posts (questions and know-how articles): what one post
//! looks like to the index (`PostDocument`), what a reader asks (`PostQuery`), and what comes
//! back (`PostHits`). `crates/search` implements it with the same Korean analysis as the MD pool
//! (particles stripped, so `반품이` finds `반품`); the index is a cache of the database, rebuilt
//! from it at start, so nothing is lost if it is thrown away.

use crate::discovery::search::SearchError;
use crate::kernel::channel::Channel;
use crate::kernel::time::Timestamp;

/// Queries longer than this many characters are cut.
pub const MAX_QUERY_CHARS: usize = 200;

/// The most hits one page holds.
pub const MAX_PAGE: u32 = 50;

/// What kind of post a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PostKind {
    Question,
    Article,
}

impl PostKind {
    pub fn code(self) -> &'static str {
        match self {
            PostKind::Question => "question",
            PostKind::Article => "article",
        }
    }

    pub fn parse(code: &str) -> Option<PostKind> {
        match code.trim() {
            "question" => Some(PostKind::Question),
            "article" => Some(PostKind::Article),
            _ => None,
        }
    }
}

/// One post as the index sees it. Texts are what readers see (personal data already masked,
/// Markdown as typed); only public posts are indexed (published articles, visible questions).
#[derive(Debug, Clone, PartialEq)]
pub struct PostDocument {
    pub kind: PostKind,
    pub id: i64,
    pub title: String,
    /// The question's or article's body, with the accepted answers' text appended for a question
    /// (an answer's words find the question it solved).
    pub body: String,
    /// Topic code (`listing`, `detail_page`, `notice`, `shipping`, `settlement`, `live`, `photos`).
    pub topic: String,
    pub channel: Option<Channel>,
    /// The readiness or marketplace error code the post is about (may be empty).
    pub error_code: String,
    /// A question with an accepted answer, or a published article.
    pub solved: bool,
    pub created_at: Timestamp,
}

/// What a reader asks. Filters are ANDed; an empty text with no filters lists newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostQuery {
    /// Words in any order (the title weighs more than the body).
    pub text: String,
    pub kind: Option<PostKind>,
    pub topic: Option<String>,
    pub channel: Option<Channel>,
    pub error_code: Option<String>,
    /// Only solved questions and articles.
    pub solved_only: bool,
    pub offset: u32,
    /// 1 to `MAX_PAGE`.
    pub limit: u32,
    /// Similar posts while a title is typed: no total is shown and the words are taken as typed,
    /// so the index neither counts every hit (`total` is what the page's query saw) nor guesses
    /// misspellings.
    pub without_total: bool,
}

/// One page of hits, best first (newest first when the text is empty), with the total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostHits {
    pub hits: Vec<(PostKind, i64)>,
    /// How many posts match; a lower bound when `total_exact` is false (an index may stop
    /// counting past a thousand or so, as search engines do).
    pub total: u64,
    pub total_exact: bool,
}

/// The posts' search index. Writes are visible to the next search once the call returns.
pub trait PostIndex: Send + Sync {
    /// Throws the index away and fills it with `documents`; returns how many were indexed.
    fn rebuild(
        &self,
        documents: &mut dyn Iterator<Item = PostDocument>,
    ) -> Result<u64, SearchError>;
    /// Adds the post, or replaces it when already indexed.
    fn upsert(&self, document: &PostDocument) -> Result<(), SearchError>;
    /// Takes the post out (no error when it was not in).
    fn remove(&self, kind: PostKind, id: i64) -> Result<(), SearchError>;
    /// How many posts the index holds.
    fn count(&self) -> Result<u64, SearchError>;
    fn search(&self, query: &PostQuery) -> Result<PostHits, SearchError>;
}
