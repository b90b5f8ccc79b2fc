//! The program (사업): rounds (회차) merchants apply to, with quotas and selection.

mod store;
pub use store::RoundStore;

pub mod rounds;
