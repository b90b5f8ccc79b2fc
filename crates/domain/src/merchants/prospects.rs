//! Prospects: shops from the public store register (상가(상권)정보) or a business licence list
//! brought into the merchant registry in bulk, before anyone has talked to them.
//!
//! An import run is a bracket: [`Prospects::begin_import`] readies the registry for a bulk load
//! (on an empty registry the secondary indexes are dropped and built once at the end),
//! [`ProspectImport::save`] upserts each batch of already-checked rows in one transaction,
//! keyed by 상가업소번호 (or a licence row's digest), and [`ProspectImport::finish`] builds the
//! indexes back — also after a failed batch. A row equal to the stored one is left alone, so
//! running the same file again (after success or an interrupted run) ends in the same state as
//! one clean run. Reading and checking the file is the caller's work.

use crate::kernel::audit::Actor;
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::ImportCounts;
use crate::merchants::register::StoreRecord;
use crate::ports::{Clock, Store, StoreError};

/// The prospect imports.
pub struct Prospects<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

impl<'a> Prospects<'a> {
    /// Starts an import run as `actor`, readying the registry for a bulk load.
    pub async fn begin_import(&'a self, actor: Actor) -> Result<ProspectImport<'a>, StoreError> {
        let bulk_load = self.store.begin_bulk_load().await?;
        Ok(ProspectImport {
            prospects: self,
            actor,
            run: self.clock.now(),
            bulk_load,
            counts: ImportCounts::default(),
        })
    }
}

/// One import run, from [`Prospects::begin_import`] to [`ProspectImport::finish`].
#[must_use = "an import run must be finished, even after a failed batch, to build the indexes"]
pub struct ProspectImport<'a> {
    prospects: &'a Prospects<'a>,
    actor: Actor,
    /// When the run began; marks the rows it inserted.
    run: Timestamp,
    bulk_load: bool,
    counts: ImportCounts,
}

/// What a finished import run did.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportFinished {
    /// Prospects inserted, updated and left unchanged over the whole run.
    pub counts: ImportCounts,
    /// Whether the run loaded an empty registry without its secondary indexes and built them
    /// at the end.
    pub indexes_built: bool,
}

impl ProspectImport<'_> {
    /// Upserts one batch of rows in one transaction, with one audit entry; returns what the
    /// batch did.
    pub async fn save(&mut self, records: &[StoreRecord]) -> Result<ImportCounts, StoreError> {
        let audit = self.actor.entry(
            self.prospects.clock.now(),
            "merchant.import",
            "register",
            "",
        );
        let counts = self
            .prospects
            .store
            .upsert_store_records(records, self.run.unix_ms(), &audit)
            .await?;
        self.counts += counts;
        Ok(counts)
    }

    /// What the run has done so far.
    pub fn counts(&self) -> ImportCounts {
        self.counts
    }

    /// Ends the run: builds the indexes a bulk load dropped and settles the files. Call it also
    /// when a batch failed.
    pub async fn finish(self) -> Result<ImportFinished, StoreError> {
        self.prospects.store.finish_bulk_load().await?;
        Ok(ImportFinished {
            counts: self.counts,
            indexes_built: self.bulk_load,
        })
    }
}
