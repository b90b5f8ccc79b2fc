//! A bulk import of products into one shop, as the command line runs it for staff: each item is
//! checked as the product form checks it; a sku the shop has updates that product, a new sku
//! creates one, and a sku met earlier in the same file is refused (the first item stands).

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::catalog::product::{ProductFile, ProductId};
use crate::kernel::audit::Actor;
use crate::kernel::error::ValidationErrors;
use crate::merchants::merchant::MerchantId;
use crate::ports::StoreError;

/// What an imported item did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    Created(ProductId),
    Updated(ProductId),
}

/// Why an item was not saved (the import goes on with the next).
#[derive(Debug, thiserror::Error)]
pub enum ImportRefused {
    #[error("invalid product")]
    Invalid(ValidationErrors),
    /// The same sku came earlier in the file, as item (or line) `first`.
    #[error("sku repeated")]
    RepeatedSku { first: usize },
    /// Storage failed: the import stops.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An import under way into one shop.
pub struct ProductImport<'c> {
    catalog: &'c Catalog<'c>,
    merchant: MerchantId,
    actor: Actor,
    /// The shop's products by sku, to update rather than duplicate.
    existing: HashMap<String, ProductId>,
    /// Each sku's first item in this import.
    first_of_sku: HashMap<String, usize>,
}

impl<'c> Catalog<'c> {
    /// Starts importing into `merchant` as `actor`; `None` when there is no such shop.
    pub async fn begin_import(
        &'c self,
        merchant: MerchantId,
        actor: Actor,
    ) -> Result<Option<ProductImport<'c>>, StoreError> {
        if self.store.merchant(merchant).await?.is_none() {
            return Ok(None);
        }
        let existing = self
            .store
            .products_of(merchant, None, u32::MAX)
            .await?
            .into_iter()
            .map(|p| (p.file.sku.trim().to_owned(), p.id))
            .collect();
        Ok(Some(ProductImport {
            catalog: self,
            merchant,
            actor,
            existing,
            first_of_sku: HashMap::new(),
        }))
    }
}

impl ProductImport<'_> {
    /// Saves item `number` of the file.
    pub async fn save(
        &mut self,
        number: usize,
        file: &ProductFile,
    ) -> Result<Imported, ImportRefused> {
        let checked = file.check().map_err(ImportRefused::Invalid)?;
        if let Some(&first) = self.first_of_sku.get(checked.sku.as_ref()) {
            return Err(ImportRefused::RepeatedSku { first });
        }
        self.first_of_sku.insert(checked.sku.to_string(), number);
        let audit = self.actor.entry(
            self.catalog.clock.now(),
            "product.import",
            format!("merchant:{}", self.merchant.0),
            checked.sku.to_string(),
        );
        let store = self.catalog.store;
        let file = file.with_whole_amounts();
        Ok(match self.existing.get(checked.sku.as_ref()) {
            Some(&id) => {
                store.update_product(id, &file, &checked, &audit).await?;
                Imported::Updated(id)
            }
            None => {
                let product = store
                    .create_product(self.merchant, &file, &checked, &audit)
                    .await?;
                self.existing.insert(checked.sku.to_string(), product.id);
                Imported::Created(product.id)
            }
        })
    }
}
