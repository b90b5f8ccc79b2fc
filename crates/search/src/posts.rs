//! The community's posts (questions and know-how articles) on tantivy: [`PostSearch`] implements
//! `gachi_domain::community::search::PostIndex` with the same Korean analysis as the MD pool
//! ([`korean`](crate::korean)), so `반품이` finds a post about `반품` and one misspelt syllable is
//! forgiven when the words as typed find few posts.
//!
//! It is built like [`PoolSearch`](crate::PoolSearch): the index is a cache of the database
//! (`rebuild` refills it, `upsert`/`remove` keep it current); one `IndexWriter` lives as long as
//! the [`PostSearch`] (tantivy's lock file refuses a second process on the same directory with a
//! clear message); every write commits and reloads the reader before it returns, so the next
//! search sees it.
//!
//! A post is one document: a unique `key` term (`question:12`) to replace or delete it, the
//! title (weight 3, with 초성 tokens) and the body (weight 1), and exact-term filters (kind,
//! topic, channel code, error code, solved). Every query word must match, in the title or the
//! body; each word scores its best field (the fixed tiers of [`korean::word_query`]). The title's
//! boost is so far above the body's that posts rank by how many query words their title holds,
//! then by how many match with the particle as typed: with fewer than [`TITLE_FIRST_MAX_WORDS`]
//! words, a post with every word in its title outranks every post without. Hits are ordered by
//! score, then newest, then id, so pages are stable; an empty text lists the posts matching the
//! filters newest first.
//!
//! That order makes a fast path exact: the page is first sought among posts whose titles hold
//! every word (titles are short, so their postings are a small part of the index); when they fill
//! the page, no other post could rank on it, and the body is only read to count. Counting stops at
//! [`EXACT_TOTAL_UP_TO`] hits, as search engines do ("1,000건 이상"). Only when titles cannot fill
//! the page is every hit scored. Segments are searched on two threads.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use gachi_domain::community::search::{
    MAX_PAGE, MAX_QUERY_CHARS, PostDocument, PostHits, PostIndex, PostKind, PostQuery,
};
use gachi_domain::discovery::search::SearchError;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery, Weight};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{
    DocAddress, DocId, DocSet, Index, IndexReader, IndexWriter, Score, SegmentReader, TERMINATED,
    TantivyDocument, Term,
};

use crate::korean::{self, QueryWord, TOKENIZER_NAME, TOKENIZER_NAME_NO_INITIALS};
use crate::{
    RAM_WRITER_BYTES, TYPOS_WHEN_FEWER_THAN, index_error, open_index_in, writer_and_reader,
};

/// Field names (also the fast-field column names).
mod name {
    pub const KEY: &str = "key";
    pub const KIND: &str = "kind";
    pub const ID: &str = "id";
    pub const TITLE: &str = "title";
    pub const BODY: &str = "body";
    pub const TOPIC: &str = "topic";
    pub const CHANNEL: &str = "channel";
    pub const ERROR_CODE: &str = "error_code";
    pub const SOLVED: &str = "solved";
    pub const CREATED_AT: &str = "created_at";
}

/// Boosts of the two text fields. A word's exact tiers are then 210/200 in the title (with/without
/// its particle) and 110/100 in the body, so a post with all `n` words in its title scores at least
/// `200n`, and any other at most `210(n − 1) + 110`: below it while `n < 10`.
const BOOST_TITLE: f32 = 100.0;
const BOOST_BODY: f32 = 0.0;
/// Queries with more words than this skip the titles-first path (its proof needs `n < 10`).
const TITLE_FIRST_MAX_WORDS: usize = 9;
/// Totals are counted exactly up to this many hits; past it, `total` says "at least".
pub const EXACT_TOTAL_UP_TO: u64 = 1_000;
/// Threads that search an index's segments in parallel.
const SEARCH_THREADS: usize = 2;

/// Writer memory on disk: posts are far fewer than pooled products, so less than the pool's.
const DISK_WRITER_BYTES: usize = 48_000_000;
/// Writer threads on disk (at most).
const DISK_WRITER_THREADS: usize = 2;

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    title: Field,
    body: Field,
    topic: Field,
    channel: Field,
    error_code: Field,
    solved: Field,
    created_at: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        key: b.add_text_field(name::KEY, STRING),
        kind: b.add_text_field(name::KIND, STRING | FAST),
        id: b.add_i64_field(name::ID, FAST),
        title: b.add_text_field(name::TITLE, text(TOKENIZER_NAME)),
        body: b.add_text_field(name::BODY, text(TOKENIZER_NAME_NO_INITIALS)),
        topic: b.add_text_field(name::TOPIC, STRING),
        channel: b.add_text_field(name::CHANNEL, STRING),
        error_code: b.add_text_field(name::ERROR_CODE, STRING),
        solved: b.add_bool_field(name::SOLVED, INDEXED),
        created_at: b.add_i64_field(name::CREATED_AT, FAST),
    };
    (b.build(), fields)
}

/// The unique term of a post: its kind and id (`question:12`), since a question and an article
/// may share an id.
fn key(kind: PostKind, id: i64) -> String {
    format!("{}:{id}", kind.code())
}

/// A filter's value, trimmed; blank means no filter (a form's empty choice).
fn filter_value(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// How a hit ranks, larger first: score, then creation time, then id (the kind last, so the
/// order is total and pages are stable). The kind rides along so a hit needs no lookup.
type Rank = (Score, i64, i64, Option<PostKind>);

/// The community posts' search index (tantivy, in memory or on disk).
pub struct PostSearch {
    fields: Fields,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
}

impl PostSearch {
    /// An index in memory (tests, or a process that rebuilds at start).
    pub fn in_memory() -> Result<PostSearch, SearchError> {
        let (schema, _) = schema();
        PostSearch::with_index(Index::create_in_ram(schema), 1, RAM_WRITER_BYTES)
    }

    /// The index in `dir` (created, with the directory, when missing). Fails when another
    /// process holds the index (tantivy allows one writer per directory).
    pub fn open(dir: &Path) -> Result<PostSearch, SearchError> {
        let (schema, _) = schema();
        let index = open_index_in(dir, schema, "posts ")?;
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(DISK_WRITER_THREADS);
        PostSearch::with_index(index, threads, DISK_WRITER_BYTES).map_err(|e| match e {
            SearchError::Index(message) => {
                SearchError::Index(format!("{} ({message})", dir.display()))
            }
        })
    }

    fn with_index(
        mut index: Index,
        threads: usize,
        memory: usize,
    ) -> Result<PostSearch, SearchError> {
        let (_, fields) = schema();
        index
            .set_multithread_executor(SEARCH_THREADS)
            .map_err(index_error)?;
        let (writer, reader) = writer_and_reader(&index, threads, memory, "posts ")?;
        Ok(PostSearch {
            fields,
            writer: Mutex::new(writer),
            reader,
        })
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        // As in the pool: uncommitted operations left by a panic are only published by the next
        // commit, which is what the next write wants anyway, so a poisoned lock is taken over.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn commit(&self, writer: &mut IndexWriter) -> Result<(), SearchError> {
        writer.commit().map_err(index_error)?;
        self.reader.reload().map_err(index_error)
    }

    fn key_term(&self, kind: PostKind, id: i64) -> Term {
        Term::from_field_text(self.fields.key, &key(kind, id))
    }

    fn document(&self, d: &PostDocument) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, key(d.kind, d.id));
        doc.add_text(f.kind, d.kind.code());
        doc.add_i64(f.id, d.id);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.body, &d.body);
        let topic = d.topic.trim();
        if !topic.is_empty() {
            doc.add_text(f.topic, topic);
        }
        if let Some(channel) = d.channel {
            doc.add_text(f.channel, channel.code());
        }
        let error_code = d.error_code.trim();
        if !error_code.is_empty() {
            doc.add_text(f.error_code, error_code);
        }
        doc.add_bool(f.solved, d.solved);
        doc.add_i64(f.created_at, d.created_at.unix_ms());
        doc
    }

    /// The tantivy query: every word must match (in the title, or with `body` in the title or
    /// the body) and every filter.
    fn query(&self, words: &[QueryWord], q: &PostQuery, typos: bool, body: bool) -> Box<dyn Query> {
        let f = &self.fields;
        let text_fields: &[(Field, f32)] = if body {
            &[(f.title, BOOST_TITLE), (f.body, BOOST_BODY)]
        } else {
            &[(f.title, BOOST_TITLE)]
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|word| (Occur::Must, korean::word_query(text_fields, word, typos)))
            .collect();
        if clauses.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        // Filters restrict without scoring.
        let mut filter = |term: Term| {
            let exact = TermQuery::new(term, IndexRecordOption::Basic);
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(exact), 0.0)),
            ));
        };
        if let Some(kind) = q.kind {
            filter(Term::from_field_text(f.kind, kind.code()));
        }
        if let Some(topic) = filter_value(&q.topic) {
            filter(Term::from_field_text(f.topic, topic));
        }
        if let Some(channel) = q.channel {
            filter(Term::from_field_text(f.channel, channel.code()));
        }
        if let Some(error_code) = filter_value(&q.error_code) {
            filter(Term::from_field_text(f.error_code, error_code));
        }
        if q.solved_only {
            filter(Term::from_field_bool(f.solved, true));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// `query`, further requiring at least `at_least` of `words` in the title (scoring as
    /// before: the extra clause adds nothing).
    fn with_words_in_title(
        &self,
        query: Box<dyn Query>,
        words: &[QueryWord],
        at_least: usize,
    ) -> Box<dyn Query> {
        let title = [(self.fields.title, BOOST_TITLE)];
        let in_title: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|word| {
                let matched: Box<dyn Query> = Box::new(ConstScoreQuery::new(
                    korean::word_query(&title, word, false),
                    0.0,
                ));
                (Occur::Should, matched)
            })
            .collect();
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (
                Occur::Must,
                Box::new(BooleanQuery::with_minimum_required_clauses(
                    in_title, at_least,
                )),
            ),
        ]))
    }

    /// One page of hits and the total for the query built from `words`.
    fn search_words(
        &self,
        words: &[QueryWord],
        q: &PostQuery,
        typos: bool,
    ) -> Result<PostHits, SearchError> {
        let limit = q.limit.clamp(1, MAX_PAGE) as usize;
        let offset = q.offset as usize;
        let searcher = self.reader.searcher();
        let query = self.query(words, q, typos, true);
        // A caller that shows no total is told what the page's query saw, uncounted.
        let counted = |floor: u64| -> Result<(u64, bool), SearchError> {
            if q.without_total || floor >= EXACT_TOTAL_UP_TO {
                return Ok((floor, false));
            }
            let (n, capped) = searcher
                .search(&*query, &CountUpTo(EXACT_TOTAL_UP_TO))
                .map_err(index_error)?;
            Ok((n.max(floor), !capped))
        };
        // `TopDocs` reserves room for `offset + limit` hits up front: past the last post no page
        // has hits, so only count (a huge offset must not become a huge allocation).
        if offset as u64 >= searcher.num_docs() {
            let (total, total_exact) = counted(0)?;
            return Ok(PostHits {
                hits: Vec::new(),
                total,
                total_exact,
            });
        }
        // Titles first: posts with at least `m` of the words in their title outrank every post
        // with fewer (see the module docs), so for m = n, n − 1, … 1 the first query whose hits
        // fill the page gives the page. Each is narrowed by the titles' short postings; only
        // when none fills it is every hit scored. Misspelt words score below any exact one, so
        // typo searches take the full path.
        if !typos && !words.is_empty() && words.len() <= TITLE_FIRST_MAX_WORDS {
            for in_title in (1..=words.len()).rev() {
                let tier = if in_title == words.len() {
                    self.query(words, q, false, false)
                } else {
                    self.with_words_in_title(self.query(words, q, false, true), words, in_title)
                };
                let (page, found) = searcher
                    .search(&*tier, &(ranked(offset, limit), Count))
                    .map_err(index_error)?;
                if found >= offset + limit {
                    let (total, total_exact) = counted(found as u64)?;
                    return Ok(PostHits {
                        hits: hits_of(page),
                        total,
                        total_exact,
                    });
                }
            }
        }
        let (page, total) = searcher
            .search(&*query, &(ranked(offset, limit), Count))
            .map_err(index_error)?;
        Ok(PostHits {
            hits: hits_of(page),
            total: total as u64,
            total_exact: true,
        })
    }
}

fn hits_of(page: Vec<(Rank, DocAddress)>) -> Vec<(PostKind, i64)> {
    page.into_iter()
        .filter_map(|((_, _, id, kind), _)| kind.map(|kind| (kind, id)))
        .collect()
}

/// Counts hits, but stops reading a segment once the count reaches the cap; the fruit is the
/// count (at most the cap) and whether it reached it (then the true total is at least that).
struct CountUpTo(u64);

/// The per-segment side of [`CountUpTo`] (used only if tantivy collects document by document).
struct SegmentCountUpTo {
    n: u64,
    cap: u64,
}

impl SegmentCollector for SegmentCountUpTo {
    type Fruit = u64;

    fn collect(&mut self, _doc: DocId, _score: Score) {
        self.n = (self.n + 1).min(self.cap);
    }

    fn harvest(self) -> u64 {
        self.n
    }
}

impl Collector for CountUpTo {
    type Fruit = (u64, bool);
    type Child = SegmentCountUpTo;

    fn for_segment(
        &self,
        _ord: u32,
        _segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCountUpTo> {
        Ok(SegmentCountUpTo { n: 0, cap: self.0 })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, counts: Vec<u64>) -> tantivy::Result<(u64, bool)> {
        let n: u64 = counts.into_iter().sum();
        Ok((n.min(self.0), n >= self.0))
    }

    /// Walks the segment's matches itself so it can stop at the cap.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        _ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<u64> {
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut n = 0u64;
        let mut doc = scorer.doc();
        while doc != TERMINATED && n < self.0 {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                n += 1;
            }
            doc = scorer.advance();
        }
        Ok(n)
    }
}

/// The top `offset + limit` hits by [`Rank`], the first `offset` skipped.
fn ranked(offset: usize, limit: usize) -> impl Collector<Fruit = Vec<(Rank, DocAddress)>> {
    TopDocs::with_limit(limit)
        .and_offset(offset)
        .tweak_score(|segment: &SegmentReader| {
            let ff = segment.fast_fields();
            // The columns exist in every segment (the schema has them); a missing one would
            // only sort its hits last.
            let created_at = ff.i64(name::CREATED_AT).ok();
            let id = ff.i64(name::ID).ok();
            let kind = ff.str(name::KIND).ok().flatten();
            // The segment's kinds by term ordinal (at most two terms).
            let kinds: Vec<Option<PostKind>> = kind.as_ref().map_or_else(Vec::new, |column| {
                (0..column.num_terms() as u64)
                    .map(|ord| {
                        let mut code = String::new();
                        match column.ord_to_str(ord, &mut code) {
                            Ok(true) => PostKind::parse(&code),
                            _ => None,
                        }
                    })
                    .collect()
            });
            move |doc: DocId, score: Score| -> Rank {
                let kind = kind
                    .as_ref()
                    .and_then(|column| column.ords().first(doc))
                    .and_then(|ord| kinds.get(ord as usize).copied().flatten());
                (
                    score,
                    created_at
                        .as_ref()
                        .and_then(|c| c.first(doc))
                        .unwrap_or(i64::MIN),
                    id.as_ref().and_then(|c| c.first(doc)).unwrap_or(i64::MIN),
                    kind,
                )
            }
        })
}

/// Whether a word would be searched with one syllable substituted (see [`korean::word_query`]).
fn has_typo_variants(word: &QueryWord) -> bool {
    match word {
        QueryWord::Text { full, stem } => full == stem && korean::allows_typo(stem),
        QueryWord::Initials(_) => false,
    }
}

impl PostIndex for PostSearch {
    fn rebuild(
        &self,
        documents: &mut dyn Iterator<Item = PostDocument>,
    ) -> Result<u64, SearchError> {
        let mut writer = self.writer();
        let filled = (|| {
            writer.delete_all_documents().map_err(index_error)?;
            let mut n = 0u64;
            for d in documents {
                writer
                    .add_document(self.document(&d))
                    .map_err(index_error)?;
                n += 1;
            }
            self.commit(&mut writer)?;
            Ok(n)
        })();
        if filled.is_err() {
            // Leave the committed index as it was.
            let _ = writer.rollback();
        }
        filled
    }

    fn upsert(&self, document: &PostDocument) -> Result<(), SearchError> {
        let mut writer = self.writer();
        writer.delete_term(self.key_term(document.kind, document.id));
        writer
            .add_document(self.document(document))
            .map_err(index_error)?;
        self.commit(&mut writer)
    }

    fn remove(&self, kind: PostKind, id: i64) -> Result<(), SearchError> {
        let mut writer = self.writer();
        writer.delete_term(self.key_term(kind, id));
        self.commit(&mut writer)
    }

    fn count(&self) -> Result<u64, SearchError> {
        Ok(self.reader.searcher().num_docs())
    }

    fn search(&self, query: &PostQuery) -> Result<PostHits, SearchError> {
        let text: String = query.text.chars().take(MAX_QUERY_CHARS).collect();
        let words = korean::query_words(&text);
        let found = self.search_words(&words, query, false)?;
        // As in the pool: misspellings are guessed only when the words as typed find few posts
        // (and only when some word can be misspelt). Exact matches still rank first. Not while
        // a title is being typed: its last word is often half a word, and the box only hints.
        if !query.without_total
            && found.total < TYPOS_WHEN_FEWER_THAN
            && words.iter().any(has_typo_variants)
        {
            return self.search_words(&words, query, true);
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use gachi_domain::kernel::channel::Channel;
    use gachi_domain::kernel::time::Timestamp;

    use super::*;

    const Q: PostKind = PostKind::Question;
    const A: PostKind = PostKind::Article;

    /// A solved Naver question about listing, created `id` seconds after a fixed instant (a
    /// larger id is newer).
    fn post(kind: PostKind, id: i64, title: &str, body: &str) -> PostDocument {
        PostDocument {
            kind,
            id,
            title: title.to_owned(),
            body: body.to_owned(),
            topic: "listing".to_owned(),
            channel: Some(Channel::Naver),
            error_code: String::new(),
            solved: true,
            created_at: Timestamp::from_unix_ms(1_700_000_000_000 + id * 1000),
        }
    }

    fn index_of(posts: Vec<PostDocument>) -> PostSearch {
        let index = PostSearch::in_memory().expect("index");
        let n = posts.len() as u64;
        assert_eq!(index.rebuild(&mut posts.into_iter()).expect("rebuild"), n);
        index
    }

    fn query(text: &str) -> PostQuery {
        PostQuery {
            text: text.to_owned(),
            limit: MAX_PAGE,
            ..PostQuery::default()
        }
    }

    fn hits(index: &PostSearch, q: &PostQuery) -> Vec<(PostKind, i64)> {
        index.search(q).expect("search").hits
    }

    fn found(index: &PostSearch, text: &str) -> Vec<(PostKind, i64)> {
        hits(index, &query(text))
    }

    #[test]
    fn a_word_with_a_particle_finds_the_word_in_the_body() {
        let index = index_of(vec![
            post(Q, 1, "스마트스토어 질문", "반품 기간이 궁금해요"),
            post(Q, 2, "배송 질문", "택배사를 바꾸고 싶어요"),
        ]);
        assert_eq!(found(&index, "반품이"), vec![(Q, 1)]);
        assert_eq!(found(&index, "반품"), vec![(Q, 1)]);
        // Spacing does not matter, either side.
        assert_eq!(found(&index, "반품기간"), vec![(Q, 1)]);
        assert_eq!(found(&index, "택배사"), vec![(Q, 2)]);
        assert!(found(&index, "정산").is_empty());
    }

    #[test]
    fn every_word_must_match_in_the_title_or_the_body() {
        let index = index_of(vec![
            post(Q, 1, "반품 문의", "기간은 며칠인가요"),
            post(Q, 2, "반품 문의", "비용은 누가 내나요"),
        ]);
        // 반품 in the title, 기간 in the body: both words match post 1 only.
        assert_eq!(found(&index, "기간 반품"), vec![(Q, 1)]);
        assert_eq!(found(&index, "반품은 비용"), vec![(Q, 2)]);
        assert!(found(&index, "반품 정산").is_empty());
    }

    #[test]
    fn a_title_match_ranks_above_a_body_match() {
        // The body match is newer, so only the weight can put the title match first.
        let index = index_of(vec![
            post(A, 1, "반품 처리 방법", "순서대로 정리했습니다"),
            post(A, 2, "상세페이지 팁", "반품 사유를 줄이는 사진"),
        ]);
        assert_eq!(found(&index, "반품"), vec![(A, 1), (A, 2)]);
        // With equal scores the newest comes first.
        assert_eq!(found(&index, "사진"), vec![(A, 2)]);
        let index = index_of(vec![
            post(A, 1, "반품 안내", ""),
            post(A, 2, "반품 정리", ""),
        ]);
        assert_eq!(found(&index, "반품"), vec![(A, 2), (A, 1)]);
    }

    #[test]
    fn one_misspelt_syllable_is_forgiven_when_few_posts_match() {
        let index = index_of(vec![post(Q, 1, "정산 질문", "배송비 정산이 늦어요")]);
        assert_eq!(found(&index, "배송미"), vec![(Q, 1)]);
        // Two syllables are too short to guess, and a particle word is not also misspelt.
        assert!(found(&index, "정샨").is_empty());
        assert!(found(&index, "배송미가").is_empty());
    }

    #[test]
    fn initials_search_the_title() {
        let index = index_of(vec![
            post(Q, 1, "반품 기간", "문의"),
            post(Q, 2, "문의", "반품 기간"),
        ]);
        assert_eq!(found(&index, "ㅂㅍ"), vec![(Q, 1)]);
    }

    #[test]
    fn filters_exclude_what_does_not_match() {
        let mut question = post(Q, 1, "반품 질문", "");
        question.solved = false;
        question.error_code = "E_RETURN_ADDRESS".to_owned();
        let mut article = post(A, 2, "반품 정리", "");
        article.channel = Some(Channel::Coupang);
        article.topic = "shipping".to_owned();
        let mut no_channel = post(Q, 3, "반품 질문", "");
        no_channel.channel = None;
        no_channel.error_code = "E_OTHER".to_owned();
        let index = index_of(vec![question, article, no_channel]);

        let with = |f: &dyn Fn(&mut PostQuery)| {
            let mut q = query("반품");
            f(&mut q);
            let mut ids: Vec<i64> = hits(&index, &q).into_iter().map(|(_, id)| id).collect();
            ids.sort_unstable();
            ids
        };
        assert_eq!(with(&|_| {}), vec![1, 2, 3]);
        assert_eq!(with(&|q| q.kind = Some(Q)), vec![1, 3]);
        assert_eq!(with(&|q| q.kind = Some(A)), vec![2]);
        assert_eq!(with(&|q| q.channel = Some(Channel::Naver)), vec![1]);
        assert_eq!(with(&|q| q.channel = Some(Channel::Coupang)), vec![2]);
        assert!(with(&|q| q.channel = Some(Channel::Esm)).is_empty());
        assert_eq!(with(&|q| q.topic = Some("shipping".to_owned())), vec![2]);
        assert_eq!(
            with(&|q| q.topic = Some(" listing ".to_owned())),
            vec![1, 3]
        );
        assert_eq!(
            with(&|q| q.error_code = Some("E_RETURN_ADDRESS".to_owned())),
            vec![1]
        );
        assert!(with(&|q| q.error_code = Some("E_NONE".to_owned())).is_empty());
        // A blank filter is no filter.
        assert_eq!(
            with(&|q| q.error_code = Some(" ".to_owned())),
            vec![1, 2, 3]
        );
        assert_eq!(with(&|q| q.solved_only = true), vec![2, 3]);
        // Filters are ANDed.
        assert_eq!(
            with(&|q| {
                q.kind = Some(Q);
                q.solved_only = true;
            }),
            vec![3]
        );
        assert!(
            with(&|q| {
                q.kind = Some(A);
                q.channel = Some(Channel::Naver);
            })
            .is_empty()
        );
        // Filters apply to an empty text too.
        let mut q = query("");
        q.kind = Some(A);
        assert_eq!(hits(&index, &q), vec![(A, 2)]);
    }

    #[test]
    fn upsert_replaces_and_remove_removes() {
        let index = index_of(vec![
            post(Q, 1, "반품 질문", ""),
            post(A, 1, "정산 정리", ""),
        ]);
        // A question and an article may share an id: two posts.
        assert_eq!(index.count().expect("count"), 2);

        index.upsert(&post(Q, 1, "교환 질문", "")).expect("upsert");
        index
            .upsert(&post(Q, 1, "교환 질문", "다시"))
            .expect("upsert");
        assert_eq!(index.count().expect("count"), 2);
        assert!(found(&index, "반품").is_empty());
        assert_eq!(found(&index, "교환"), vec![(Q, 1)]);
        assert_eq!(found(&index, "정산"), vec![(A, 1)]);

        index.upsert(&post(Q, 2, "교환 질문", "")).expect("upsert");
        assert_eq!(index.count().expect("count"), 3);
        assert_eq!(found(&index, "교환"), vec![(Q, 2), (Q, 1)]);

        index.remove(Q, 1).expect("remove");
        assert_eq!(index.count().expect("count"), 2);
        assert_eq!(found(&index, "교환"), vec![(Q, 2)]);
        // The article with the same id stays.
        assert_eq!(found(&index, "정산"), vec![(A, 1)]);
        // Removing what is not there is no error.
        index.remove(Q, 1).expect("remove again");
        index.remove(A, 99).expect("remove missing");
        assert_eq!(index.count().expect("count"), 2);
    }

    #[test]
    fn rebuild_replaces_everything() {
        let index = index_of(vec![post(Q, 1, "반품", ""), post(Q, 2, "교환", "")]);
        let n = index
            .rebuild(&mut vec![post(A, 3, "정산", "")].into_iter())
            .expect("rebuild");
        assert_eq!(n, 1);
        assert_eq!(index.count().expect("count"), 1);
        assert!(found(&index, "반품").is_empty());
        assert_eq!(found(&index, ""), vec![(A, 3)]);
    }

    #[test]
    fn an_empty_text_lists_newest_first() {
        // Created out of id order, to tell newest from highest id.
        let mut old = post(Q, 3, "가장 오래된 질문", "");
        old.created_at = Timestamp::from_unix_ms(1_000);
        let index = index_of(vec![post(A, 1, "정리", ""), old, post(Q, 2, "질문", "")]);
        assert_eq!(found(&index, ""), vec![(Q, 2), (A, 1), (Q, 3)]);
        assert_eq!(found(&index, "  \t "), vec![(Q, 2), (A, 1), (Q, 3)]);
        assert_eq!(index.search(&query("")).expect("search").total, 3);
    }

    #[test]
    fn paging_limits_and_totals() {
        let posts: Vec<PostDocument> = (1..=60)
            .map(|id| post(Q, id, "반품 질문", ""))
            .chain([post(A, 61, "정산", "")])
            .collect();
        let index = index_of(posts);

        let mut q = query("반품");
        q.offset = 2;
        q.limit = 3;
        let page = index.search(&q).expect("search");
        assert_eq!(page.hits, vec![(Q, 58), (Q, 57), (Q, 56)]);
        assert_eq!(page.total, 60);

        // The last, partial page.
        q.offset = 58;
        q.limit = 10;
        let page = index.search(&q).expect("search");
        assert_eq!(page.hits, vec![(Q, 2), (Q, 1)]);
        assert_eq!(page.total, 60);

        // Past the end: no hits, the total still counted (and no huge allocation).
        q.offset = u32::MAX;
        let page = index.search(&q).expect("search");
        assert!(page.hits.is_empty());
        assert_eq!(page.total, 60);

        // The limit is clamped to 1..=MAX_PAGE.
        q.offset = 0;
        q.limit = 0;
        assert_eq!(index.search(&q).expect("search").hits, vec![(Q, 60)]);
        q.limit = 1000;
        let page = index.search(&q).expect("search");
        assert_eq!(page.hits.len(), MAX_PAGE as usize);
        assert_eq!(page.hits[0], (Q, 60));

        // Consecutive pages neither repeat nor skip a post.
        let mut seen = Vec::new();
        q.limit = 7;
        loop {
            let page = index.search(&q).expect("search").hits;
            if page.is_empty() {
                break;
            }
            q.offset += page.len() as u32;
            seen.extend(page);
        }
        let expected: Vec<(PostKind, i64)> = (1..=60).rev().map(|id| (Q, id)).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn every_word_in_the_title_ranks_first_and_pages_cross_into_body_matches() {
        // Both words in the title (older), one in each, and both only in the body (newest).
        let mut posts: Vec<PostDocument> = (1..=30)
            .map(|id| post(Q, id, "쿠팡 반품 질문", "내용"))
            .collect();
        posts.push(post(Q, 31, "쿠팡 질문", "반품 내용"));
        posts.extend((32..=60).map(|id| post(A, id, "정리", "쿠팡 반품지 안내")));
        let index = index_of(posts);
        let expected: Vec<(PostKind, i64)> = (1..=30)
            .rev()
            .map(|id| (Q, id))
            .chain([(Q, 31)])
            .chain((32..=60).rev().map(|id| (A, id)))
            .collect();
        // Pages of 7: the first four come from titles alone, the fifth crosses into the rest.
        let mut q = query("쿠팡 반품");
        q.limit = 7;
        let mut seen = Vec::new();
        loop {
            let page = index.search(&q).expect("search");
            assert_eq!(page.total, 60);
            assert!(page.total_exact);
            if page.hits.is_empty() {
                break;
            }
            q.offset += page.hits.len() as u32;
            seen.extend(page.hits);
        }
        assert_eq!(seen, expected);
        // A page that posts with one word in the title fill, and one of everything, agree.
        q.offset = 0;
        q.limit = 31;
        assert_eq!(index.search(&q).expect("search").hits, expected[..31]);
        q.limit = MAX_PAGE;
        assert_eq!(index.search(&q).expect("search").hits, expected[..50]);
    }

    #[test]
    fn totals_are_exact_up_to_a_thousand_then_at_least() {
        let posts: Vec<PostDocument> = (1..=1_050)
            .map(|id| {
                let mut p = post(Q, id, "반품 질문", "");
                p.solved = id <= 990;
                p
            })
            .collect();
        let index = index_of(posts);
        let page = index.search(&query("반품")).expect("search");
        // At least the cap; here the titles alone were counted exactly, which says more.
        assert!(!page.total_exact && (EXACT_TOTAL_UP_TO..=1_050).contains(&page.total));
        assert_eq!(page.hits[0], (Q, 1_050), "the newest first all the same");
        let mut solved = query("반품");
        solved.solved_only = true;
        let page = index.search(&solved).expect("search");
        assert_eq!((page.total, page.total_exact), (990, true));
        assert_eq!(page.hits[0], (Q, 990));
    }

    #[test]
    fn the_query_text_is_cut_to_max_query_chars() {
        let index = index_of(vec![post(Q, 1, "반품 질문", "")]);
        // A word starting past the cut is not searched; one before it is.
        let mut text = "반품 ".repeat(MAX_QUERY_CHARS / 3);
        text.push_str(&" ".repeat(MAX_QUERY_CHARS - text.chars().count()));
        assert_eq!(text.chars().count(), MAX_QUERY_CHARS);
        assert_eq!(found(&index, &format!("{text}없는단어")), vec![(Q, 1)]);
        assert!(found(&index, &format!("없는단어 {text}")).is_empty());
    }

    #[test]
    fn hostile_input_never_fails() {
        let index = index_of(vec![post(Q, 1, "반품 \u{0} 질문", "\u{200B}\u{FEFF}")]);
        for text in [
            "\"",
            "*",
            "AND OR NOT",
            "title:반품",
            "(((",
            "\\",
            "\u{0}",
            "ㅂ",
            "a",
            "🙂",
            "반품\u{200B}",
        ] {
            index.search(&query(text)).expect("search");
        }
        let mut q = query("반품");
        q.topic = Some("\u{0}".to_owned());
        q.error_code = Some("*".to_owned());
        assert!(hits(&index, &q).is_empty());
        index
            .upsert(&post(Q, 2, &"가".repeat(10_000), &"ㄱ🙂 ".repeat(10_000)))
            .expect("upsert a long post");
        assert_eq!(found(&index, "가가가가"), vec![(Q, 2)]);
    }

    #[test]
    fn on_disk_index_survives_reopening_and_refuses_a_second_writer() {
        let dir = std::env::temp_dir().join(format!(
            "gachi-posts-search-test-{}-{}",
            std::process::id(),
            Timestamp::now().unix_ms()
        ));
        {
            let index = PostSearch::open(&dir).expect("open");
            index.upsert(&post(Q, 1, "반품 질문", "")).expect("upsert");
            // Visible at once, without reopening.
            assert_eq!(found(&index, "반품"), vec![(Q, 1)]);
            let Err(SearchError::Index(message)) = PostSearch::open(&dir) else {
                panic!("a second writer on the same directory must be refused");
            };
            assert!(
                message.contains("in use by another Gachi process"),
                "{message}"
            );
        }
        let index = PostSearch::open(&dir).expect("reopen");
        assert_eq!(index.count().expect("count"), 1);
        assert_eq!(found(&index, "반품이"), vec![(Q, 1)]);
        drop(index);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
