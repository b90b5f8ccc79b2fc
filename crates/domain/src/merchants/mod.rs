//! Merchants (소상공인): the shop record and its validated fields, the registry use cases (who may
//! see and change which shop), the online-sales diagnosis that chooses a track, and prospects
//! from the public store register (상가(상권)정보) and business licence lists, read by `register`
//! and `licence` and imported in bulk by the `prospects` use case.

mod store;
pub use store::MerchantStore;

pub mod diagnosis;
pub mod licence;
pub mod merchant;
pub mod prospects;
pub mod register;
pub mod registry;
