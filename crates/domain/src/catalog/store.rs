//! The storage port of this area: products, saved shipping terms and marketplace categories. `gachi-store` implements it for
//! SQLite and PostgreSQL and its conformance suite holds both to it.

use crate::kernel::channel::Channel;
use async_trait::async_trait;

use crate::catalog::product::{CheckedProduct, Product, ProductFile, ProductId, ShippingFile};
use crate::kernel::audit::AuditEntry;
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::MerchantId;

use crate::ports::StoreError;

/// The product master.
#[async_trait]
pub trait ProductStore: Send + Sync {
    /// `StoreError::Conflict("sku")` when the merchant has a product with that code.
    async fn create_product(
        &self,
        merchant: MerchantId,
        file: &ProductFile,
        checked: &CheckedProduct,
        audit: &AuditEntry,
    ) -> Result<Product, StoreError>;
    async fn product(&self, id: ProductId) -> Result<Option<Product>, StoreError>;
    /// A merchant's products, newest first: at most `limit`, those older than `before` when
    /// given (the next page after the product with that id).
    async fn products_of(
        &self,
        merchant: MerchantId,
        before: Option<ProductId>,
        limit: u32,
    ) -> Result<Vec<Product>, StoreError>;
    async fn update_product(
        &self,
        id: ProductId,
        file: &ProductFile,
        checked: &CheckedProduct,
        audit: &AuditEntry,
    ) -> Result<Product, StoreError>;
    /// Deletes a product for `PRODUCT_RESTORE_DAYS`: reads leave it out, its code is free for a
    /// new product, it leaves the MD pool; products deleted longer ago go for good.
    async fn delete_product(&self, id: ProductId, audit: &AuditEntry) -> Result<(), StoreError>;
    /// A merchant's products deleted at `since` or later, newest deletion first, with when.
    async fn deleted_products(
        &self,
        merchant: MerchantId,
        since: Timestamp,
    ) -> Result<Vec<(Product, Timestamp)>, StoreError>;
    /// A deleted product, with when it was deleted.
    async fn deleted_product(
        &self,
        id: ProductId,
    ) -> Result<Option<(Product, Timestamp)>, StoreError>;
    /// Brings a deleted product back under `sku`; `StoreError::Conflict("sku")` when another
    /// product took the code meanwhile, `NotFound` when it is not deleted.
    async fn restore_product(
        &self,
        id: ProductId,
        sku: &str,
        audit: &AuditEntry,
    ) -> Result<Product, StoreError>;
    /// Saves (or replaces, by name) a merchant's reusable shipping and return terms.
    async fn save_shipping_template(
        &self,
        merchant: MerchantId,
        name: &str,
        terms: &ShippingFile,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// A merchant's shipping templates by name.
    async fn shipping_templates(
        &self,
        merchant: MerchantId,
    ) -> Result<Vec<(String, ShippingFile)>, StoreError>;
}

/// Marketplace category trees, per-category metadata and unpublished code tables.
#[async_trait]
pub trait CategoryStore: Send + Sync {
    /// Replaces a marketplace's categories (keeping the metadata of codes still present).
    async fn replace_categories(
        &self,
        channel: Channel,
        rows: &[(String, String)],
        audit: &AuditEntry,
    ) -> Result<u64, StoreError>;
    /// Categories whose path holds `text`, shortest path first.
    async fn search_categories(
        &self,
        channel: Channel,
        text: &str,
        limit: u32,
    ) -> Result<Vec<crate::catalog::category::Category>, StoreError>;
    async fn category(
        &self,
        channel: Channel,
        code: &str,
    ) -> Result<Option<crate::catalog::category::Category>, StoreError>;
    /// `StoreError::NotFound` when the category is not loaded.
    async fn set_category_meta(
        &self,
        channel: Channel,
        code: &str,
        meta_json: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn category_meta(
        &self,
        channel: Channel,
        code: &str,
    ) -> Result<Option<String>, StoreError>;
    async fn save_channel_table(
        &self,
        channel: Channel,
        name: &str,
        body: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn channel_table(
        &self,
        channel: Channel,
        name: &str,
    ) -> Result<Option<String>, StoreError>;
}
