//! Listing use cases: readiness per marketplace, publishing a product (check, compile, host the
//! photos, sign, send, record, move the shop's card), asking how a marketplace's review went,
//! and the board's bulk jobs (validate, submit, review) card by card.
//!
//! The marketplaces themselves are behind the `Marketplaces` port; where a card goes after an
//! answer is `onboarding::Stage::after_submission` / `after_review` / `after_answers`.

use std::collections::BTreeMap;

use crate::accounts::User;
use crate::catalog::completeness;
use crate::catalog::media::{BlobStore, ImageKey, with_send_addresses};
use crate::catalog::product::{Product, ProductFile, ProductId};
use crate::designers::delegation::{Scope, actor_for, may_act};
use crate::kernel::audit::Actor;
use crate::kernel::channel::Channel;
use crate::kernel::secret::SecretBox;
use crate::listing::market_account::{MarketAccounts, SubmissionRecord};
use crate::listing::marketplaces::{
    Issue, KnownPhotos, Marketplaces, Outcome, SellerSetup, Submission, is_ready,
};
use crate::merchants::merchant::MerchantId;
use crate::onboarding::bulk_job::{BulkJob, JobKind, JobState};
use crate::onboarding::{Card, Onboarding, Stage};
use crate::ports::{Clock, Store, StoreError};

/// At most this many of a shop's products are checked or sent by one card of a bulk job.
const PRODUCTS_PER_CARD: u32 = 100;

#[derive(Debug, thiserror::Error)]
pub enum ListingError {
    /// The product or shop does not exist, or the user may not manage it (not told apart, so a
    /// stranger learns nothing).
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How ready a product is for one marketplace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    pub channel: Channel,
    /// 0–100; 100 only when the marketplace would accept the product.
    pub percent: u32,
    pub issues: Vec<Issue>,
}

impl Readiness {
    /// No error (warnings allowed).
    pub fn ready(&self) -> bool {
        self.percent == 100
    }

    /// How many things are left to fix before the marketplace would take the product
    /// (warnings do not count). People read this before the percentage, which counts only
    /// the checks made and so can look further along than the work left.
    /// Missing seller settings are fixed together on the account form, so they count once.
    pub fn remaining(&self) -> usize {
        let mut settings_counted = false;
        self.issues
            .iter()
            .filter(|issue| !issue.warning)
            .filter(|issue| {
                issue.code != "listing-setting-missing"
                    || !std::mem::replace(&mut settings_counted, true)
            })
            .count()
    }
}

/// What became of a publish.
#[derive(Debug)]
pub enum Published {
    /// The product is not ready: nothing was sent.
    NotReady(Vec<Issue>),
    /// The marketplace was asked; its answer (and every attempt) is recorded.
    Sent(Submission),
}

/// What asking the marketplace about one card in 심사중 found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reviewed {
    /// Decided: the card moved to 판매중, 반려 or 보류.
    Moved,
    /// Still being reviewed.
    Waiting,
    /// Could not be asked: nothing listed through Gachi, no keys, no answer, or a marketplace
    /// without a read-back (11st, ESM).
    NotAsked,
}

pub struct Listing<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
    pub marketplaces: &'a dyn Marketplaces,
    pub blobs: &'a dyn BlobStore,
    /// Opens the sealed keys; without it no keys can be read (none could have been saved).
    pub sealer: Option<&'a SecretBox>,
    /// The server's configured public address (empty: none), under which the photos Gachi
    /// stores are sent (`catalog::media::send_address`).
    pub public_url: &'a str,
}

impl Listing<'_> {
    pub(crate) fn market_accounts(&self) -> MarketAccounts<'_> {
        MarketAccounts {
            store: self.store,
            clock: self.clock,
        }
    }

    fn onboarding(&self) -> Onboarding<'_> {
        Onboarding {
            store: self.store,
            clock: self.clock,
        }
    }

    /// Whether `user` may work on `merchant`'s listings in `scope` (the shop's owner, staff, or
    /// a designer under a delegation granting it).
    async fn check(
        &self,
        user: &User,
        merchant: MerchantId,
        scope: Scope,
    ) -> Result<(), ListingError> {
        if may_act(self.store, user, merchant, scope, self.clock.now()).await? {
            Ok(())
        } else {
            Err(ListingError::NotFound)
        }
    }

    /// The notice code tables operators loaded (11st, ESM): the same for every shop.
    pub async fn notice_tables(&self) -> Result<BTreeMap<Channel, String>, StoreError> {
        let mut tables = BTreeMap::new();
        for channel in [Channel::ElevenSt, Channel::Esm] {
            if let Some(table) = self.store.channel_table(channel, "notice_codes").await? {
                tables.insert(channel, table);
            }
        }
        Ok(tables)
    }

    /// The shop's setup with the tables already read (a bulk job reads them once): its stored
    /// accounts and its keys, unsealed in memory. Keys that cannot be opened (sealed under
    /// another server key) or read count as missing.
    async fn setup_with(
        &self,
        merchant: MerchantId,
        notice_codes: &BTreeMap<Channel, String>,
    ) -> Result<SellerSetup, StoreError> {
        let accounts = self.store.channel_accounts(merchant).await?;
        let mut keys = BTreeMap::new();
        for account in &accounts {
            let Some(channel) = Some(account.channel) else {
                continue;
            };
            let opened = account
                .sealed_credentials
                .as_deref()
                .zip(self.sealer)
                .and_then(|(sealed, sealer)| sealer.open(sealed))
                .and_then(|plain| serde_json::from_slice::<BTreeMap<String, String>>(&plain).ok());
            if let Some(opened) = opened {
                keys.insert(channel, opened);
            }
        }
        Ok(SellerSetup {
            accounts,
            keys,
            notice_codes: notice_codes.clone(),
            coupang_meta: BTreeMap::new(),
        })
    }

    /// Adds the loaded Coupang metadata of `file`'s Coupang category to `setup`.
    async fn add_category_meta(
        &self,
        setup: &mut SellerSetup,
        file: &ProductFile,
    ) -> Result<(), StoreError> {
        let Some(Some(code)) = file.channel_categories.get(Channel::Coupang.code()) else {
            return Ok(());
        };
        let code = code.trim();
        if code.is_empty() || setup.coupang_meta.contains_key(code) {
            return Ok(());
        }
        if let Some(meta) = self.store.category_meta(Channel::Coupang, code).await? {
            setup.coupang_meta.insert(code.to_owned(), meta);
        }
        Ok(())
    }

    /// The setup `file` of `merchant` is checked and sent with.
    async fn setup_for(
        &self,
        merchant: MerchantId,
        file: &ProductFile,
    ) -> Result<SellerSetup, StoreError> {
        let tables = self.notice_tables().await?;
        let mut setup = self.setup_with(merchant, &tables).await?;
        self.add_category_meta(&mut setup, file).await?;
        Ok(setup)
    }

    /// Readiness of `file` for every marketplace with `setup`.
    fn readiness_with(&self, file: &ProductFile, setup: &SellerSetup) -> Vec<Readiness> {
        readiness_of(self.marketplaces, file, setup)
    }

    /// Readiness per marketplace of `file`, a product of `merchant` (saved, or being typed in
    /// the form), with the shop's stored settings: the product page's word on "ready".
    pub async fn readiness(
        &self,
        user: &User,
        merchant: MerchantId,
        file: &ProductFile,
    ) -> Result<Vec<Readiness>, ListingError> {
        self.check(user, merchant, Scope::Catalog).await?;
        let file = &with_send_addresses(file, self.public_url);
        let setup = self.setup_for(merchant, file).await?;
        Ok(self.readiness_with(file, &setup))
    }

    /// Readiness per marketplace of several products of `merchant`, with the shop's setup read
    /// once (the product list).
    pub async fn readiness_of_each(
        &self,
        user: &User,
        merchant: MerchantId,
        files: &[&ProductFile],
    ) -> Result<Vec<Vec<Readiness>>, ListingError> {
        self.check(user, merchant, Scope::Catalog).await?;
        let tables = self.notice_tables().await?;
        let mut setup = self.setup_with(merchant, &tables).await?;
        let mut all = Vec::with_capacity(files.len());
        for file in files {
            let file = &with_send_addresses(file, self.public_url);
            self.add_category_meta(&mut setup, file).await?;
            all.push(self.readiness_with(file, &setup));
        }
        Ok(all)
    }

    /// Every submission of product `id`, newest first.
    pub async fn submissions(
        &self,
        user: &User,
        id: ProductId,
    ) -> Result<Vec<SubmissionRecord>, ListingError> {
        let product = self.product(user, id, Scope::Listing).await?;
        Ok(self.store.submissions(product.id).await?)
    }

    /// Readiness of `file` of `merchant` for one marketplace.
    pub async fn readiness_for(
        &self,
        user: &User,
        merchant: MerchantId,
        file: &ProductFile,
        channel: Channel,
    ) -> Result<Readiness, ListingError> {
        Ok(self
            .readiness(user, merchant, file)
            .await?
            .into_iter()
            .find(|r| r.channel == channel)
            .expect("readiness covers every marketplace"))
    }

    /// Readiness of product `id` for `channel` and, when it is ready, the request body the
    /// marketplace would receive.
    pub async fn validate(
        &self,
        user: &User,
        id: ProductId,
        channel: Channel,
    ) -> Result<(Readiness, Option<Vec<u8>>), ListingError> {
        let mut product = self.product(user, id, Scope::Listing).await?;
        product.file = with_send_addresses(&product.file, self.public_url);
        let setup = self.setup_for(product.merchant, &product.file).await?;
        let readiness = self
            .readiness_with(&product.file, &setup)
            .into_iter()
            .find(|r| r.channel == channel)
            .expect("readiness covers every marketplace");
        let payload = if readiness.ready() {
            self.marketplaces
                .compile(channel, &product.file, &setup)
                .ok()
        } else {
            None
        };
        Ok((readiness, payload))
    }

    /// The product `id` as `user` may publish it: a merchant their own, staff any.
    async fn product(
        &self,
        user: &User,
        id: ProductId,
        scope: Scope,
    ) -> Result<Product, ListingError> {
        let product = self
            .store
            .product(id)
            .await?
            .ok_or(ListingError::NotFound)?;
        self.check(user, product.merchant, scope).await?;
        Ok(product)
    }

    /// Checks, compiles, sends and records product `id` for `channel`, then moves the shop's
    /// card where the marketplace's answer puts it (심사중 when taken, 반려 when refused).
    pub async fn publish(
        &self,
        user: &User,
        actor: &Actor,
        id: ProductId,
        channel: Channel,
    ) -> Result<Published, ListingError> {
        let mut product = self.product(user, id, Scope::Listing).await?;
        product.file = with_send_addresses(&product.file, self.public_url);
        let actor = &actor_for(self.store, user, actor, product.merchant).await?;
        let mut setup = self.setup_for(product.merchant, &product.file).await?;
        let published = self
            .send(user, actor, &product, channel, &mut setup)
            .await?;
        if let Published::Sent(submission) = &published
            && let Some(stage) = Stage::after_submission(&submission.outcome)
        {
            self.onboarding()
                .follow_marketplace(
                    user,
                    actor,
                    product.merchant,
                    channel,
                    stage,
                    &format!("submission of product {}", product.id.0),
                )
                .await?;
        }
        Ok(published)
    }

    /// The bytes of the photos at `urls` Gachi keeps, by address: read from the blob store
    /// instead of over the network.
    async fn stored_photos(&self, urls: &[String]) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let mut stored = Vec::new();
        for url in urls {
            if let Some(key) = ImageKey::from_url(url)
                && let Some(bytes) = self.blobs.get(&key.file_name()).await?
            {
                stored.push((url.clone(), bytes));
            }
        }
        Ok(stored)
    }

    /// Sends `product` with the shop's `setup` and records the answer, without moving the
    /// card: a bulk job moves each card once for all its products.
    async fn send(
        &self,
        user: &User,
        actor: &Actor,
        product: &Product,
        channel: Channel,
        setup: &mut SellerSetup,
    ) -> Result<Published, StoreError> {
        self.add_category_meta(setup, &product.file).await?;
        // Photos the marketplace's host holds already under these keys' account are named, not
        // uploaded again. The bytes of every photo Gachi keeps are at hand all the same (a
        // local read): should the host have dropped a remembered copy, it is uploaded again.
        let wanted = self.marketplaces.photos_to_host(channel, &product.file);
        let host_account = self.marketplaces.host_account(channel, setup);
        let accounts = self.market_accounts();
        let hosted = match &host_account {
            Some(account) => {
                accounts
                    .hosted_photos(product.merchant, channel, account, &wanted)
                    .await?
            }
            None => Vec::new(),
        };
        let stored = self.stored_photos(&wanted).await?;
        let known = KnownPhotos {
            stored: &stored,
            hosted: &hosted,
        };
        let submission = match self
            .marketplaces
            .publish(channel, &product.file, setup, known)
            .await
        {
            Ok(submission) => submission,
            Err(issues) => return Ok(Published::NotReady(issues)),
        };
        let record = SubmissionRecord {
            channel,
            outcome: submission.outcome.kind(),
            marketplace_product_id: match &submission.outcome {
                Outcome::Created { product_id } => Some(product_id.clone()),
                _ => None,
            },
            request_digest: submission.request_digest.clone(),
            detail: serde_json::to_string(&submission).unwrap_or_default(),
            submitted_by: Some(user.id),
            at: self.clock.now(),
        };
        accounts
            .record_submission(actor, product.id, &record)
            .await
            .map_err(|e| match e {
                crate::listing::market_account::MarketAccountError::Store(e) => e,
                other => StoreError::Backend(other.to_string()),
            })?;
        // Remembered last and best-effort: the marketplace has answered and the answer is
        // recorded; a failure here only means the photos are uploaded again next time.
        if let Some(account) = &host_account
            && let Err(error) = accounts
                .remember_hosted_photos(
                    product.merchant,
                    channel,
                    account,
                    &submission.hosted_photos,
                )
                .await
        {
            tracing::warn!(%error, product = product.id.0, "hosted photo addresses not remembered");
        }
        Ok(Published::Sent(submission))
    }

    /// Asks the marketplace about the listed product of `card` (in 심사중; the product asked
    /// about is the shop's latest listing there) and moves the card when it has decided.
    pub async fn review_card(
        &self,
        user: &User,
        actor: &Actor,
        card: &Card,
    ) -> Result<Reviewed, StoreError> {
        let channel = card.channel;
        let Some(product_id) = self.store.latest_listing(card.merchant, channel).await? else {
            return Ok(Reviewed::NotAsked);
        };
        let setup = self.setup_with(card.merchant, &BTreeMap::new()).await?;
        let status = match self
            .marketplaces
            .review_status(channel, &product_id, &setup)
            .await
        {
            Ok(status) => status,
            Err(reason) => {
                tracing::info!(merchant = card.merchant.0, channel = %channel, %reason, "review status not known");
                return Ok(Reviewed::NotAsked);
            }
        };
        let Some((stage, why)) = Stage::after_review(&status) else {
            return Ok(Reviewed::Waiting);
        };
        self.onboarding()
            .follow_marketplace(
                user,
                actor,
                card.merchant,
                channel,
                stage,
                &format!("marketplace product {product_id}: {why}"),
            )
            .await?;
        Ok(Reviewed::Moved)
    }

    /// Works through a bulk job's cards, recording progress after each, and finishes it
    /// (interrupted when the store fails: the cards done so far stay done).
    pub async fn run_bulk_job(
        &self,
        user: &User,
        actor: &Actor,
        job: &BulkJob,
        channel: Channel,
        cards: &[Card],
    ) {
        let state = self.work(user, actor, job, channel, cards).await;
        if let Err(error) = self
            .store
            .finish_bulk_job(job.id, state, self.clock.now())
            .await
        {
            tracing::error!(job = job.id, %error, "bulk job not finished");
        }
    }

    async fn work(
        &self,
        user: &User,
        actor: &Actor,
        job: &BulkJob,
        channel: Channel,
        cards: &[Card],
    ) -> JobState {
        let stopped = |error: StoreError| {
            tracing::error!(job = job.id, %error, "bulk job stopped");
            JobState::Interrupted
        };
        // The notice code tables, the same for every shop, are read once.
        let tables = match job.kind {
            JobKind::Review => BTreeMap::new(),
            JobKind::Validate | JobKind::Submit => match self.notice_tables().await {
                Ok(tables) => tables,
                Err(error) => return stopped(error),
            },
        };
        let (mut done, mut passed, mut failed) = (0i64, 0i64, 0i64);
        for card in cards {
            let result = match job.kind {
                JobKind::Review => {
                    self.review_card(user, actor, card)
                        .await
                        .map(|reviewed| match reviewed {
                            Reviewed::Moved => (1, 0),
                            Reviewed::Waiting => (0, 0),
                            Reviewed::NotAsked => (0, 1),
                        })
                }
                JobKind::Submit => self.submit_card(user, actor, card, channel, &tables).await,
                JobKind::Validate => {
                    self.validate_card(user, actor, card, channel, &tables)
                        .await
                }
            };
            match result {
                Ok((p, f)) => {
                    passed += p;
                    failed += f;
                }
                Err(error) => return stopped(error),
            }
            done += 1;
            if let Err(error) = self
                .store
                .bulk_job_progress(job.id, done, passed, failed)
                .await
            {
                tracing::error!(job = job.id, %error, "bulk job progress not recorded");
            }
        }
        JobState::Done
    }

    /// The products of the card's shop a bulk job works on, with the photos Gachi stores under
    /// the server's public address.
    async fn products_to_send(&self, card: &Card) -> Result<Vec<Product>, StoreError> {
        let mut products = self
            .store
            .products_of(card.merchant, None, PRODUCTS_PER_CARD)
            .await?;
        for product in &mut products {
            product.file = with_send_addresses(&product.file, self.public_url);
        }
        Ok(products)
    }

    /// Sends every product of the card's shop (publishing sends only a ready one) and moves
    /// the card once for all their answers: (products taken, products not taken).
    async fn submit_card(
        &self,
        user: &User,
        actor: &Actor,
        card: &Card,
        channel: Channel,
        tables: &BTreeMap<Channel, String>,
    ) -> Result<(i64, i64), StoreError> {
        let products = self.products_to_send(card).await?;
        let mut setup = self.setup_with(card.merchant, tables).await?;
        let (mut passed, mut failed) = (0, 0);
        let mut answers = Vec::new();
        for product in &products {
            let Published::Sent(sent) =
                self.send(user, actor, product, channel, &mut setup).await?
            else {
                continue;
            };
            if matches!(sent.outcome, Outcome::Created { .. }) {
                passed += 1;
            } else {
                failed += 1;
            }
            answers.push(Stage::after_submission(&sent.outcome));
        }
        if let Some(stage) = Stage::after_answers(answers) {
            self.onboarding()
                .follow_marketplace(
                    user,
                    actor,
                    card.merchant,
                    channel,
                    stage,
                    &format!("bulk submission of {passed} product(s)"),
                )
                .await?;
        }
        Ok((passed, failed))
    }

    /// A card passes validation when any of its shop's products is ready as the product page
    /// reckons it; it then moves to 검증 통과: (1, 0) passed, (0, 1) not.
    async fn validate_card(
        &self,
        user: &User,
        actor: &Actor,
        card: &Card,
        channel: Channel,
        tables: &BTreeMap<Channel, String>,
    ) -> Result<(i64, i64), StoreError> {
        let products = self.products_to_send(card).await?;
        let mut setup = self.setup_with(card.merchant, tables).await?;
        let mut any_ready = false;
        for product in &products {
            self.add_category_meta(&mut setup, &product.file).await?;
            if is_ready(&self.marketplaces.readiness(channel, &product.file, &setup)) {
                any_ready = true;
                break;
            }
        }
        if !any_ready {
            return Ok((0, 1));
        }
        if card.stage != Stage::Validated {
            self.onboarding()
                .move_to(user, actor, card.merchant, channel, Stage::Validated, None)
                .await
                .map_err(|e| match e {
                    crate::onboarding::OnboardingError::Store(e) => e,
                    other => StoreError::Backend(other.to_string()),
                })?;
        }
        Ok((1, 0))
    }
}

/// Readiness of `file` for every marketplace with `setup`: each marketplace's rules, and how
/// far the catalog's common checks got while it is not ready.
pub fn readiness_of(
    marketplaces: &dyn Marketplaces,
    file: &ProductFile,
    setup: &SellerSetup,
) -> Vec<Readiness> {
    let common = completeness::common(file);
    Channel::ALL
        .into_iter()
        .map(|channel| {
            let issues = marketplaces.readiness(channel, file, setup);
            let common_percent = common
                .iter()
                .find(|c| c.channel == channel)
                .map_or(0, |c| c.percent);
            Readiness {
                channel,
                percent: if is_ready(&issues) {
                    100
                } else {
                    common_percent.min(99)
                },
                issues,
            }
        })
        .collect()
}
