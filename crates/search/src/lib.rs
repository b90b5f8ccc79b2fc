//! Gachi's search: the MD product pool (`gachi_domain::discovery::search::PoolIndex`) on
//! tantivy, with the dictionary-free Korean analysis of [`korean`]; the community's posts
//! (`gachi_domain::community::search::PostIndex`) are indexed the same way in [`posts`].
//!
//! The index is a cache of the database: [`PoolSearch::rebuild`](PoolIndex::rebuild) refills it
//! from the pooled products, and `upsert`/`remove` keep it current in between. One
//! `IndexWriter` lives as long as the [`PoolSearch`] (tantivy allows one per index, guarded by a
//! lock file on disk, so a second Gachi process on the same directory is refused with a clear
//! message); every write commits and reloads the reader before it returns, so the next search
//! sees it.
//!
//! Texts are indexed into three fields by weight: brand and region names (a MD often searches
//! for a maker or a place), the product name, and the rest (shop name, industry names, tags).
//! Only the product name carries the 초성 tokens: a 초성 query searches names.
//! Filters and facets read exact-term and fast fields; hits are collected in one pass that keeps
//! the page (top `offset + limit` by the sort key) and counts facets over every hit.

pub mod korean;
pub mod posts;

pub use posts::PostSearch;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;

use gachi_domain::catalog::product::ProductId;
use gachi_domain::discovery::search::{
    MAX_PAGE, MAX_QUERY_CHARS, PoolDocument, PoolFacets, PoolHits, PoolIndex, PoolQuery, PoolSort,
    SearchError,
};
use gachi_domain::kernel::channel::Channel;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::directory::MmapDirectory;
use tantivy::directory::error::LockError;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, NumericOptions, STRING, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentOrdinal, SegmentReader,
    TantivyDocument, TantivyError, Term,
};

use crate::korean::{KoreanTokenizer, TOKENIZER_NAME, TOKENIZER_NAME_NO_INITIALS};

/// Field names (also the fast-field column names).
mod name {
    pub const ID: &str = "id";
    pub const POOLED_AT: &str = "pooled_at";
    pub const PRICE: &str = "price";
    pub const SIDO: &str = "sido";
    pub const SIGUNGU: &str = "sigungu";
    pub const INDUSTRY: &str = "industry";
    pub const CERTIFICATION: &str = "certification";
    pub const LISTED_ON: &str = "listed_on";
    pub const TAX_FREE: &str = "tax_free";
    pub const SHIPS_NATIONWIDE: &str = "ships_nationwide";
    pub const TEXT_HIGH: &str = "text_high";
    pub const TEXT_NAME: &str = "text_name";
    pub const TEXT_OTHER: &str = "text_other";
}

/// Boosts of the three text fields: brand and region, name, the rest.
const BOOST_HIGH: f32 = 3.0;
const BOOST_NAME: f32 = 2.0;
const BOOST_OTHER: f32 = 1.0;

/// Writer memory: the on-disk index indexes in bulk (rebuild); the in-memory one is for tests.
const DISK_WRITER_BYTES: usize = 128_000_000;
const RAM_WRITER_BYTES: usize = 15_000_000;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    pooled_at: Field,
    price: Field,
    sido: Field,
    sigungu: Field,
    industry: Field,
    certification: Field,
    listed_on: Field,
    tax_free: Field,
    ships_nationwide: Field,
    text_high: Field,
    text_name: Field,
    text_other: Field,
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
        id: b.add_i64_field(name::ID, NumericOptions::default().set_indexed().set_fast()),
        pooled_at: b.add_i64_field(name::POOLED_AT, FAST),
        price: b.add_i64_field(name::PRICE, FAST),
        sido: b.add_text_field(name::SIDO, STRING | FAST),
        sigungu: b.add_text_field(name::SIGUNGU, STRING),
        industry: b.add_text_field(name::INDUSTRY, STRING | FAST),
        certification: b.add_text_field(name::CERTIFICATION, STRING | FAST),
        listed_on: b.add_text_field(name::LISTED_ON, STRING | FAST),
        tax_free: b.add_bool_field(name::TAX_FREE, INDEXED | FAST),
        ships_nationwide: b.add_bool_field(name::SHIPS_NATIONWIDE, INDEXED | FAST),
        text_high: b.add_text_field(name::TEXT_HIGH, text(TOKENIZER_NAME_NO_INITIALS)),
        text_name: b.add_text_field(name::TEXT_NAME, text(TOKENIZER_NAME)),
        text_other: b.add_text_field(name::TEXT_OTHER, text(TOKENIZER_NAME_NO_INITIALS)),
    };
    (b.build(), fields)
}

fn index_error(e: TantivyError) -> SearchError {
    SearchError::Index(e.to_string())
}

/// The index kept in `dir` (created, with the directory, when missing); `what` names it in
/// errors (`""` for the pool, `"posts "` for the community's).
pub(crate) fn open_index_in(dir: &Path, schema: Schema, what: &str) -> Result<Index, SearchError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        SearchError::Index(format!(
            "cannot create {what}index directory {}: {e}",
            dir.display()
        ))
    })?;
    let directory = MmapDirectory::open(dir).map_err(|e| {
        SearchError::Index(format!(
            "cannot open {what}index directory {}: {e}",
            dir.display()
        ))
    })?;
    Index::open_or_create(directory, schema).map_err(|e| {
        SearchError::Index(format!(
            "cannot open the {what}search index in {} (if its schema changed, delete the \
             directory and rebuild the index): {e}",
            dir.display()
        ))
    })
}

/// The Korean analyzers registered on `index`, its one writer (a lock another process holds is
/// said plainly) and a reader reloaded by hand after each commit.
pub(crate) fn writer_and_reader(
    index: &Index,
    threads: usize,
    memory: usize,
    what: &str,
) -> Result<(IndexWriter, IndexReader), SearchError> {
    index.tokenizers().register(
        TOKENIZER_NAME,
        TextAnalyzer::from(KoreanTokenizer::with_initials()),
    );
    index.tokenizers().register(
        TOKENIZER_NAME_NO_INITIALS,
        TextAnalyzer::from(KoreanTokenizer::without_initials()),
    );
    let writer = index
        .writer_with_num_threads(threads, memory.max(threads * RAM_WRITER_BYTES))
        .map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => SearchError::Index(format!(
                "the {what}search index is in use by another Gachi process (its writer lock is \
                 held); stop that process or give this one another index directory"
            )),
            e => index_error(e),
        })?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(index_error)?;
    Ok((writer, reader))
}

/// The MD product pool's search index (tantivy, in memory or on disk).
pub struct PoolSearch {
    fields: Fields,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
}

impl PoolSearch {
    /// An index in memory (tests, or a process that rebuilds at start).
    pub fn in_memory() -> Result<PoolSearch, SearchError> {
        let (schema, _) = schema();
        PoolSearch::with_index(Index::create_in_ram(schema), 1, RAM_WRITER_BYTES)
    }

    /// The index in `dir` (created, with the directory, when missing). Fails when another
    /// process holds the index (tantivy allows one writer per directory).
    pub fn open(dir: &Path) -> Result<PoolSearch, SearchError> {
        let (schema, _) = schema();
        let mut index = open_index_in(dir, schema, "")?;
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(4);
        // A broad word matches hundreds of thousands of products at national scale; its
        // segments are searched (and their facets counted) on every core at once.
        index
            .set_default_multithread_executor()
            .map_err(index_error)?;
        PoolSearch::with_index(index, threads, DISK_WRITER_BYTES).map_err(|e| match e {
            SearchError::Index(message) => {
                SearchError::Index(format!("{} ({message})", dir.display()))
            }
        })
    }

    fn with_index(index: Index, threads: usize, memory: usize) -> Result<PoolSearch, SearchError> {
        let (_, fields) = schema();
        let (writer, reader) = writer_and_reader(&index, threads, memory, "")?;
        Ok(PoolSearch {
            fields,
            writer: Mutex::new(writer),
            reader,
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        // A panic while holding the writer leaves nothing half-done that a commit would publish
        // unexpectedly (uncommitted operations are only published by the next commit, which is
        // what the next write wants anyway), so a poisoned lock is taken over.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn commit(&self, writer: &mut IndexWriter) -> Result<(), SearchError> {
        writer.commit().map_err(index_error)?;
        self.reader.reload().map_err(index_error)
    }

    fn document(&self, d: &PoolDocument) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_i64(f.id, d.product_id.0);
        doc.add_i64(f.pooled_at, d.pooled_at.unix_ms());
        doc.add_i64(f.price, d.price);
        doc.add_text(f.sido, d.sido.trim());
        doc.add_text(f.sigungu, d.sigungu.trim());
        doc.add_text(f.industry, d.industry_code.trim());
        for c in &d.certifications {
            doc.add_text(f.certification, c.trim().to_uppercase());
        }
        for c in &d.listed_on {
            doc.add_text(f.listed_on, c.code());
        }
        doc.add_bool(f.tax_free, d.tax_free);
        doc.add_bool(f.ships_nationwide, d.ships_nationwide);
        doc.add_text(f.text_high, &d.brand);
        doc.add_text(f.text_high, &d.region_names);
        doc.add_text(f.text_name, &d.name);
        doc.add_text(f.text_other, &d.shop_name);
        doc.add_text(f.text_other, &d.industry_names);
        for tag in &d.tags {
            doc.add_text(f.text_other, tag);
        }
        doc
    }

    fn id_term(&self, product: ProductId) -> Term {
        Term::from_field_i64(self.fields.id, product.0)
    }

    /// The tantivy query for a pool query: every word of the text (cut to `MAX_QUERY_CHARS`)
    /// and every filter must match.
    fn query(&self, q: &PoolQuery, typos: bool) -> Box<dyn Query> {
        let f = &self.fields;
        let text: String = q.text.chars().take(MAX_QUERY_CHARS).collect();
        let text_fields = [
            (f.text_high, BOOST_HIGH),
            (f.text_name, BOOST_NAME),
            (f.text_other, BOOST_OTHER),
        ];
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = korean::query_words(&text)
            .iter()
            .map(|word| (Occur::Must, korean::word_query(&text_fields, word, typos)))
            .collect();
        if clauses.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        let filter = |query: Box<dyn Query>| -> (Occur, Box<dyn Query>) {
            (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
        };
        let exact = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value.trim()),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(sido) = &q.sido {
            clauses.push(filter(exact(f.sido, sido)));
        }
        if let Some(sigungu) = &q.sigungu {
            clauses.push(filter(exact(f.sigungu, sigungu)));
        }
        if let Some(industry) = &q.industry_code {
            clauses.push(filter(exact(f.industry, industry)));
        }
        if q.price_min.is_some() || q.price_max.is_some() {
            let bound = |v: Option<i64>| match v {
                Some(v) => Bound::Included(Term::from_field_i64(f.price, v)),
                None => Bound::Unbounded,
            };
            clauses.push(filter(Box::new(RangeQuery::new(
                bound(q.price_min),
                bound(q.price_max),
            ))));
        }
        if let Some(certification) = &q.certification {
            clauses.push(filter(exact(
                f.certification,
                &certification.trim().to_uppercase(),
            )));
        }
        if let Some(channel) = q.listed_on {
            clauses.push(filter(exact(f.listed_on, channel.code())));
        }
        if let Some(channel) = q.not_listed_on {
            clauses.push((Occur::MustNot, exact(f.listed_on, channel.code())));
        }
        let flag = |field: Field, value: bool| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_bool(field, value),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(tax_free) = q.tax_free {
            clauses.push(filter(flag(f.tax_free, tax_free)));
        }
        if let Some(ships) = q.ships_nationwide {
            clauses.push(filter(flag(f.ships_nationwide, ships)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Every product the query matches (ignoring sort and paging), for checks and benchmarks.
    pub fn all_matching_ids(&self, query: &PoolQuery) -> Result<Vec<ProductId>, SearchError> {
        let searcher = self.reader.searcher();
        let mut ids = searcher
            .search(&*self.query(query, false), &IdCollector)
            .map_err(index_error)?;
        if (ids.len() as u64) < TYPOS_WHEN_FEWER_THAN {
            ids = searcher
                .search(&*self.query(query, true), &IdCollector)
                .map_err(index_error)?;
        }
        Ok(ids.into_iter().map(ProductId).collect())
    }
}

impl PoolIndex for PoolSearch {
    fn rebuild(
        &self,
        documents: &mut dyn Iterator<Item = PoolDocument>,
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

    fn upsert(&self, document: &PoolDocument) -> Result<(), SearchError> {
        let mut writer = self.writer();
        writer.delete_term(self.id_term(document.product_id));
        writer
            .add_document(self.document(document))
            .map_err(index_error)?;
        self.commit(&mut writer)
    }

    fn remove(&self, product: ProductId) -> Result<(), SearchError> {
        let mut writer = self.writer();
        writer.delete_term(self.id_term(product));
        self.commit(&mut writer)
    }

    fn count(&self) -> Result<u64, SearchError> {
        Ok(self.reader.searcher().num_docs())
    }

    fn search(&self, query: &PoolQuery) -> Result<PoolHits, SearchError> {
        let limit = query.limit.clamp(1, MAX_PAGE) as usize;
        let offset = query.offset as usize;
        let collector = PoolCollector {
            sort: query.sort,
            keep: offset.saturating_add(limit),
        };
        let searcher = self.reader.searcher();
        let mut found = searcher
            .search(&*self.query(query, false), &collector)
            .map_err(index_error)?;
        // Misspellings are looked for only when the words as typed find few products: a
        // common word spelt right needs no guesses (which cost more than the search itself),
        // a misspelt one finds few or none. Exact matches still rank first.
        if found.total < TYPOS_WHEN_FEWER_THAN {
            found = searcher
                .search(&*self.query(query, true), &collector)
                .map_err(index_error)?;
        }
        let mut hits = found.hits;
        hits.sort_unstable_by(|a, b| b.cmp(a));
        Ok(PoolHits {
            product_ids: hits
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(|k| ProductId(k.id))
                .collect(),
            total: found.total,
            facets: found.facets.into_facets(),
        })
    }
}

/// Below this many hits for the words as typed, one-syllable misspellings are searched too.
pub const TYPOS_WHEN_FEWER_THAN: u64 = 20;

/// How one hit sorts: larger first. `primary` is the score (as an order-preserving integer),
/// the price (negated for "price low") or 0 for "newest"; ties go to the newest, then the
/// highest id, so the order is total and pages are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    primary: i64,
    pooled_at: i64,
    id: i64,
}

/// An f32 as an i64 with the same order (the usual sign-flip of the IEEE bits).
fn score_key(score: Score) -> i64 {
    let bits = score.to_bits() as i32;
    i64::from(if bits < 0 { bits ^ i32::MAX } else { bits })
}

/// Facet counts by value, for one segment (by term ordinal) or merged (by value).
#[derive(Default)]
struct FacetCounts {
    sido: HashMap<String, u64>,
    industry: HashMap<String, u64>,
    certification: HashMap<String, u64>,
    listed_on: HashMap<String, u64>,
    tax_free: u64,
    ships_nationwide: u64,
}

impl FacetCounts {
    fn merge(&mut self, other: FacetCounts) {
        for (mine, theirs) in [
            (&mut self.sido, other.sido),
            (&mut self.industry, other.industry),
            (&mut self.certification, other.certification),
            (&mut self.listed_on, other.listed_on),
        ] {
            for (k, v) in theirs {
                *mine.entry(k).or_default() += v;
            }
        }
        self.tax_free += other.tax_free;
        self.ships_nationwide += other.ships_nationwide;
    }

    fn into_facets(self) -> PoolFacets {
        fn ranked(counts: HashMap<String, u64>) -> Vec<(String, u64)> {
            let mut v: Vec<_> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        }
        PoolFacets {
            sido: ranked(self.sido),
            industry: ranked(self.industry),
            certification: ranked(self.certification),
            listed_on: {
                let mut v: Vec<(Channel, u64)> = self
                    .listed_on
                    .into_iter()
                    .filter(|(_, n)| *n > 0)
                    .filter_map(|(code, n)| Channel::parse(&code).map(|c| (c, n)))
                    .collect();
                v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                v
            },
            tax_free: self.tax_free,
            ships_nationwide: self.ships_nationwide,
        }
    }
}

/// Keeps the best `keep` hits by the sort key and counts every hit into the facets.
struct PoolCollector {
    sort: PoolSort,
    keep: usize,
}

struct Found {
    hits: Vec<SortKey>,
    total: u64,
    facets: FacetCounts,
}

/// The fast-field columns of one segment.
struct Columns {
    id: Column<i64>,
    pooled_at: Column<i64>,
    price: Column<i64>,
    sido: Option<StrColumn>,
    industry: Option<StrColumn>,
    certification: Option<StrColumn>,
    listed_on: Option<StrColumn>,
    tax_free: Column<bool>,
    ships_nationwide: Column<bool>,
}

impl Columns {
    fn of(segment: &SegmentReader) -> tantivy::Result<Columns> {
        let ff = segment.fast_fields();
        Ok(Columns {
            id: ff.i64(name::ID)?,
            pooled_at: ff.i64(name::POOLED_AT)?,
            price: ff.i64(name::PRICE)?,
            sido: ff.str(name::SIDO)?,
            industry: ff.str(name::INDUSTRY)?,
            certification: ff.str(name::CERTIFICATION)?,
            listed_on: ff.str(name::LISTED_ON)?,
            tax_free: ff.bool(name::TAX_FREE)?,
            ships_nationwide: ff.bool(name::SHIPS_NATIONWIDE)?,
        })
    }
}

/// Counts per term ordinal of one string column of a segment.
struct OrdCounts {
    column: Option<StrColumn>,
    counts: Vec<u64>,
}

impl OrdCounts {
    fn new(column: Option<StrColumn>) -> OrdCounts {
        let terms = column.as_ref().map_or(0, |c| c.num_terms());
        OrdCounts {
            column,
            counts: vec![0; terms],
        }
    }

    #[inline]
    fn count(&mut self, doc: DocId) {
        if let Some(column) = &self.column {
            for ord in column.ords().values_for_doc(doc) {
                if let Some(n) = self.counts.get_mut(ord as usize) {
                    *n += 1;
                }
            }
        }
    }

    fn by_value(self) -> HashMap<String, u64> {
        let mut out = HashMap::new();
        let Some(column) = self.column else {
            return out;
        };
        let (ords, counts): (Vec<u64>, Vec<u64>) = self
            .counts
            .into_iter()
            .enumerate()
            .filter(|&(_, n)| n > 0)
            .map(|(ord, n)| (ord as u64, n))
            .unzip();
        // One ordered walk of the dictionary (looking each ordinal up alone rescans a block).
        let mut counts = counts.into_iter();
        let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |term| {
            if let Some(n) = counts.next() {
                out.insert(String::from_utf8_lossy(term).into_owned(), n);
            }
        });
        out
    }
}

/// Hits are handled in blocks, so the single-valued columns are read with one batched call.
const BLOCK: usize = 64;

struct PoolSegmentCollector {
    sort: PoolSort,
    keep: usize,
    columns: Columns,
    docs: Vec<DocId>,
    scores: Vec<Score>,
    sido_ords: Vec<Option<u64>>,
    industry_ords: Vec<Option<u64>>,
    flags: Vec<Option<bool>>,
    values: Vec<Option<i64>>,
    pooled: Vec<Option<i64>>,
    heap: BinaryHeap<Reverse<SortKey>>,
    total: u64,
    sido: OrdCounts,
    industry: OrdCounts,
    certification: OrdCounts,
    listed_on: OrdCounts,
    tax_free: u64,
    ships_nationwide: u64,
}

impl Collector for PoolCollector {
    type Fruit = Found;
    type Child = PoolSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<PoolSegmentCollector> {
        let columns = Columns::of(segment)?;
        Ok(PoolSegmentCollector {
            sort: self.sort,
            keep: self.keep,
            sido: OrdCounts::new(columns.sido.clone()),
            industry: OrdCounts::new(columns.industry.clone()),
            certification: OrdCounts::new(columns.certification.clone()),
            listed_on: OrdCounts::new(columns.listed_on.clone()),
            columns,
            docs: Vec::with_capacity(BLOCK),
            scores: Vec::with_capacity(BLOCK),
            sido_ords: vec![None; BLOCK],
            industry_ords: vec![None; BLOCK],
            flags: vec![None; BLOCK],
            values: vec![None; BLOCK],
            pooled: vec![None; BLOCK],
            heap: BinaryHeap::new(),
            total: 0,
            tax_free: 0,
            ships_nationwide: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == PoolSort::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<Found>) -> tantivy::Result<Found> {
        let mut merged = Found {
            hits: Vec::new(),
            total: 0,
            facets: FacetCounts::default(),
        };
        for fruit in fruits {
            merged.hits.extend(fruit.hits);
            merged.total += fruit.total;
            merged.facets.merge(fruit.facets);
        }
        if merged.hits.len() > self.keep {
            merged
                .hits
                .select_nth_unstable_by(self.keep - 1, |a, b| b.cmp(a));
            merged.hits.truncate(self.keep);
        }
        Ok(merged)
    }
}

impl PoolSegmentCollector {
    /// Counts and ranks the buffered hits.
    fn flush(&mut self) {
        let n = self.docs.len();
        if n == 0 {
            return;
        }
        let docs = &self.docs[..];
        let c = &self.columns;
        self.total += n as u64;

        for (column, ords, counts) in [
            (&c.sido, &mut self.sido_ords, &mut self.sido.counts),
            (
                &c.industry,
                &mut self.industry_ords,
                &mut self.industry.counts,
            ),
        ] {
            if let Some(column) = column {
                let ords = &mut ords[..n];
                ords.fill(None);
                column.ords().first_vals(docs, ords);
                for ord in ords.iter().flatten() {
                    if let Some(count) = counts.get_mut(*ord as usize) {
                        *count += 1;
                    }
                }
            }
        }
        for &doc in docs {
            self.certification.count(doc);
            self.listed_on.count(doc);
        }
        for (column, total) in [
            (&c.tax_free, &mut self.tax_free),
            (&c.ships_nationwide, &mut self.ships_nationwide),
        ] {
            let flags = &mut self.flags[..n];
            flags.fill(None);
            column.first_vals(docs, flags);
            *total += flags.iter().filter(|f| **f == Some(true)).count() as u64;
        }

        let pooled = &mut self.pooled[..n];
        pooled.fill(None);
        c.pooled_at.first_vals(docs, pooled);
        let values = &mut self.values[..n];
        values.fill(None);
        match self.sort {
            PoolSort::PriceLow | PoolSort::PriceHigh => c.price.first_vals(docs, values),
            PoolSort::Relevance | PoolSort::Newest => {}
        }
        for i in 0..n {
            let primary = match self.sort {
                PoolSort::Relevance => score_key(self.scores[i]),
                PoolSort::Newest => 0,
                PoolSort::PriceLow => values[i].map_or(i64::MIN, |p| -p),
                PoolSort::PriceHigh => values[i].unwrap_or(i64::MIN),
            };
            let pooled_at = pooled[i].unwrap_or(i64::MIN);
            if self.heap.len() >= self.keep
                && let Some(Reverse(worst)) = self.heap.peek()
                && (primary, pooled_at) < (worst.primary, worst.pooled_at)
            {
                continue;
            }
            let key = SortKey {
                primary,
                pooled_at,
                id: c.id.first(docs[i]).unwrap_or_default(),
            };
            self.heap.push(Reverse(key));
            if self.heap.len() > self.keep {
                self.heap.pop();
            }
        }
        self.docs.clear();
        self.scores.clear();
    }
}

impl SegmentCollector for PoolSegmentCollector {
    type Fruit = Found;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.docs.push(doc);
        self.scores.push(score);
        if self.docs.len() == BLOCK {
            self.flush();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for chunk in docs.chunks(BLOCK) {
            if self.docs.len() + chunk.len() > BLOCK {
                self.flush();
            }
            self.docs.extend_from_slice(chunk);
            self.scores.resize(self.docs.len(), 0.0);
            if self.docs.len() == BLOCK {
                self.flush();
            }
        }
    }

    fn harvest(mut self) -> Found {
        self.flush();
        Found {
            hits: self.heap.into_iter().map(|Reverse(k)| k).collect(),
            total: self.total,
            facets: FacetCounts {
                sido: self.sido.by_value(),
                industry: self.industry.by_value(),
                certification: self.certification.by_value(),
                listed_on: self.listed_on.by_value(),
                tax_free: self.tax_free,
                ships_nationwide: self.ships_nationwide,
            },
        }
    }
}

/// Collects the product id of every hit.
struct IdCollector;

struct IdSegmentCollector {
    id: Column<i64>,
    ids: Vec<i64>,
}

impl Collector for IdCollector {
    type Fruit = Vec<i64>;
    type Child = IdSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<IdSegmentCollector> {
        Ok(IdSegmentCollector {
            id: segment.fast_fields().i64(name::ID)?,
            ids: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<i64>>) -> tantivy::Result<Vec<i64>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for IdSegmentCollector {
    type Fruit = Vec<i64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(id) = self.id.first(doc) {
            self.ids.push(id);
        }
    }

    fn harvest(self) -> Vec<i64> {
        self.ids
    }
}

#[cfg(test)]
mod tests;
