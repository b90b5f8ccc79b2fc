//! The catalog: products (the product file v1 and its checked form), the 상품정보제공고시 notice
//! table, categories per marketplace, photos, the product spreadsheet, the common completeness
//! checks and the 상세페이지 renderer — and the use cases that say who may manage which products.

mod store;
pub use store::{CategoryStore, ProductStore};

pub mod category;
pub mod completeness;
pub mod detail_page;
pub mod import;
pub mod media;
pub mod notice;
pub mod product;
pub mod sheet;
#[cfg(test)]
pub(crate) mod test_fixture;

use crate::accounts::{Role, User};
use crate::catalog::product::{
    AfterServiceFile, NoticeFile, OriginFile, Product, ProductFile, ProductId, ShippingFile,
};
use crate::designers::delegation::{Scope, actor_for, may_act};
use crate::kernel::audit::Actor;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::merchants::merchant::{Merchant, MerchantId};
use crate::ports::{Clock, Store, StoreError};

/// The most products one page of a shop's list holds.
pub const MAX_PAGE: u32 = 200;

/// How long a deleted product can be restored.
pub const PRODUCT_RESTORE_DAYS: i64 = 30;

/// A new product's starting point for `shop`: the notice type its industry usually sells, taxable,
/// made in the shop's region, A/S on the shop's phone, shipped from and returned to its address.
pub fn draft_for_shop(shop: &Merchant) -> ProductFile {
    ProductFile {
        tax: Some("taxable".into()),
        origin: Some(OriginFile {
            kind: "domestic".into(),
            region: Some(shop.region.region().name.to_owned()),
            country: None,
            importer: None,
        }),
        notice: Some(NoticeFile {
            kind: notice::suggest_for_industry(shop.industry).upper.clone(),
            fields: Default::default(),
        }),
        shipping: shop.road_address.as_ref().map(|address| ShippingFile {
            ship_from: Some(address.clone()),
            return_to: Some(address.clone()),
            ..ShippingFile::default()
        }),
        after_service: shop.phone.as_ref().map(|phone| AfterServiceFile {
            phone: phone.clone(),
            guide: String::new(),
        }),
        ..ProductFile::default()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("sku taken")]
    SkuTaken,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Catalog<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
    /// The MD pool's search index, kept current when a pooled product changes. `None` in
    /// processes that do not hold it (the CLI): the server re-reads the pool when it starts.
    pub pool: Option<&'a dyn crate::discovery::search::PoolIndex>,
}

impl Catalog<'_> {
    /// The merchant whose catalog `user` works on: their own shop, or for staff the one named.
    pub async fn merchant_for(
        &self,
        user: &User,
        named: Option<MerchantId>,
    ) -> Result<MerchantId, CatalogError> {
        match user.role {
            Role::Merchant => {
                let shop = self
                    .store
                    .merchant_of_owner(user.id)
                    .await?
                    .ok_or_else(|| {
                        CatalogError::Invalid(
                            FieldError::new("merchant_id", "error-round-no-shop").into(),
                        )
                    })?;
                match named {
                    Some(id) if id != shop.id => Err(CatalogError::Forbidden),
                    _ => Ok(shop.id),
                }
            }
            Role::Operator | Role::Admin => {
                let id = named.ok_or_else(|| {
                    CatalogError::Invalid(FieldError::new("merchant_id", "error-required").into())
                })?;
                self.store.merchant(id).await?.ok_or_else(|| {
                    CatalogError::Invalid(FieldError::new("merchant_id", "error-not-found").into())
                })?;
                Ok(id)
            }
            // A designer works on a shop that delegated its catalog to them.
            Role::Designer => {
                let id = named.ok_or_else(|| {
                    CatalogError::Invalid(FieldError::new("merchant_id", "error-required").into())
                })?;
                if may_act(self.store, user, id, Scope::Catalog, self.clock.now()).await? {
                    Ok(id)
                } else {
                    Err(CatalogError::NotFound)
                }
            }
            _ => Err(CatalogError::Forbidden),
        }
    }

    pub async fn create(
        &self,
        user: &User,
        merchant: Option<MerchantId>,
        file: &ProductFile,
        actor: &Actor,
    ) -> Result<Product, CatalogError> {
        let merchant = self.merchant_for(user, merchant).await?;
        let checked = file.check().map_err(CatalogError::Invalid)?;
        let file = file.with_whole_amounts();
        let actor = actor_for(self.store, user, actor, merchant).await?;
        let audit = actor.entry(
            self.clock.now(),
            "product.create",
            "",
            format!("merchant={} sku={}", merchant.0, checked.sku),
        );
        match self
            .store
            .create_product(merchant, &file, &checked, &audit)
            .await
        {
            Ok(product) => Ok(product),
            Err(StoreError::Conflict("sku")) => Err(CatalogError::SkuTaken),
            Err(other) => Err(other.into()),
        }
    }

    /// The product, if `user` may work on it (others get "not found").
    pub async fn get(&self, user: &User, id: ProductId) -> Result<Product, CatalogError> {
        let product = self
            .store
            .product(id)
            .await?
            .ok_or(CatalogError::NotFound)?;
        let allowed = may_act(
            self.store,
            user,
            product.merchant,
            Scope::Catalog,
            self.clock.now(),
        )
        .await?;
        if allowed {
            Ok(product)
        } else {
            Err(CatalogError::NotFound)
        }
    }

    /// A page of the shop's products, newest first: those older than `before` when given, at
    /// most `limit` (1 to `MAX_PAGE`).
    pub async fn list(
        &self,
        user: &User,
        merchant: Option<MerchantId>,
        before: Option<ProductId>,
        limit: u32,
    ) -> Result<Vec<Product>, CatalogError> {
        let merchant = self.merchant_for(user, merchant).await?;
        Ok(self
            .store
            .products_of(merchant, before, limit.clamp(1, MAX_PAGE))
            .await?)
    }

    pub async fn replace(
        &self,
        user: &User,
        id: ProductId,
        file: &ProductFile,
        actor: &Actor,
    ) -> Result<Product, CatalogError> {
        let product = self.get(user, id).await?;
        let checked = file.check().map_err(CatalogError::Invalid)?;
        let file = file.with_whole_amounts();
        let actor = actor_for(self.store, user, actor, product.merchant).await?;
        let audit = actor.entry(
            self.clock.now(),
            "product.update",
            format!("product:{}", product.id.0),
            "",
        );
        match self
            .store
            .update_product(product.id, &file, &checked, &audit)
            .await
        {
            Ok(product) => {
                self.refresh_pool(product.id).await;
                Ok(product)
            }
            Err(StoreError::Conflict("sku")) => Err(CatalogError::SkuTaken),
            Err(other) => Err(other.into()),
        }
    }

    /// Saves the shop's shipping and return terms under a name, to fill into other products.
    pub async fn save_shipping_template(
        &self,
        user: &User,
        name: &str,
        terms: &ShippingFile,
        actor: &Actor,
    ) -> Result<(), CatalogError> {
        let merchant = self.merchant_for(user, None).await?;
        let mut errors = ValidationErrors::new();
        let name = crate::kernel::text::clean(name);
        if name.is_empty() {
            errors.push("shipping_template", "error-required");
        } else if crate::kernel::text::longer_than(&name, 30) {
            errors.push("shipping_template", "error-too-long");
        }
        crate::catalog::product::check_shipping(&mut errors, terms);
        errors.into_result().map_err(CatalogError::Invalid)?;
        let audit = actor.entry(
            self.clock.now(),
            "shipping_template.save",
            format!("merchant:{}", merchant.0),
            name.clone(),
        );
        Ok(self
            .store
            .save_shipping_template(merchant, &name, terms, &audit)
            .await?)
    }

    /// The shipping terms saved under a name by `user`'s shop (staff: the shop `named`).
    pub async fn shipping_templates(
        &self,
        user: &User,
        named: Option<MerchantId>,
    ) -> Result<Vec<(String, ShippingFile)>, CatalogError> {
        let merchant = self.merchant_for(user, named).await?;
        Ok(self.store.shipping_templates(merchant).await?)
    }

    pub async fn delete(
        &self,
        user: &User,
        id: ProductId,
        actor: &Actor,
    ) -> Result<(), CatalogError> {
        let product = self.get(user, id).await?;
        let actor = actor_for(self.store, user, actor, product.merchant).await?;
        let audit = actor.entry(
            self.clock.now(),
            "product.delete",
            format!("product:{}", product.id.0),
            product.file.sku.clone(),
        );
        self.store.delete_product(product.id, &audit).await?;
        self.refresh_pool(product.id).await;
        Ok(())
    }

    /// The products of `user`'s shop (staff: the shop `named`) deleted in the last
    /// `PRODUCT_RESTORE_DAYS`, with when: what can still be restored.
    pub async fn deleted(
        &self,
        user: &User,
        named: Option<MerchantId>,
    ) -> Result<Vec<(Product, crate::kernel::time::Timestamp)>, CatalogError> {
        let merchant = self.merchant_for(user, named).await?;
        let since = self
            .clock
            .now()
            .plus_seconds(-PRODUCT_RESTORE_DAYS * 24 * 3600);
        Ok(self.store.deleted_products(merchant, since).await?)
    }

    /// Restores a product deleted in the last `PRODUCT_RESTORE_DAYS` (whoever may work on its
    /// shop's catalog). `SkuTaken` when a product took its code meanwhile.
    pub async fn restore(
        &self,
        user: &User,
        id: ProductId,
        actor: &Actor,
    ) -> Result<Product, CatalogError> {
        let (product, deleted_at) = self
            .store
            .deleted_product(id)
            .await?
            .ok_or(CatalogError::NotFound)?;
        let now = self.clock.now();
        let allowed = may_act(self.store, user, product.merchant, Scope::Catalog, now).await?;
        if !allowed || deleted_at < now.plus_seconds(-PRODUCT_RESTORE_DAYS * 24 * 3600) {
            return Err(CatalogError::NotFound);
        }
        let sku = crate::kernel::text::code(&product.file.sku)
            .map(|s| s.into_owned())
            .unwrap_or_else(|_| product.file.sku.clone());
        let actor = actor_for(self.store, user, actor, product.merchant).await?;
        let audit = actor.entry(now, "product.restore", format!("product:{}", id.0), &sku);
        let restored = match self.store.restore_product(id, &sku, &audit).await {
            Err(StoreError::Conflict(_)) => return Err(CatalogError::SkuTaken),
            Err(StoreError::NotFound) => return Err(CatalogError::NotFound),
            other => other?,
        };
        self.refresh_pool(id).await;
        Ok(restored)
    }

    /// Brings the pool index up to date with a changed product. The change is saved already;
    /// an index failure is logged, not returned, because the index is rebuilt from the
    /// database at the next start.
    async fn refresh_pool(&self, id: ProductId) {
        if let Some(index) = self.pool
            && let Err(e) = crate::discovery::refresh_in_index(self.store, index, id).await
        {
            tracing::warn!(product = id.0, error = %e, "pool index not refreshed");
        }
    }
}
