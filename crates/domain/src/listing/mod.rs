//! Listing on the marketplaces: each shop's seller settings and sealed API keys per marketplace.

mod store;
pub use store::MarketAccountStore;

pub mod market_account;
