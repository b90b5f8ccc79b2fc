//! Listing on the marketplaces: each shop's seller settings and sealed API keys per marketplace
//! (`market_account`), the `Marketplaces` port and its vocabulary (`marketplaces`), and the use
//! cases that check, publish and follow listings (`publishing`).

mod store;
pub use store::MarketAccountStore;

pub mod market_account;
pub mod marketplaces;
pub mod publishing;
pub mod seller_accounts;
