//! Gachi's marketplace adapters: compile a product file into each marketplace's payload and
//! validate it against the marketplace's rules (`listing`, one module per marketplace), and sign
//! requests as each marketplace documents (`signing`, checked against the published vectors in
//! shared/specs/MARKETPLACES.md). Depends on the domain only; no web, no storage.

pub mod categories;
mod coupang;
pub mod courier;
mod elevenst;
mod esm;
pub mod hosting;
mod json;
pub mod listing;
pub mod markets;
mod naver;
pub mod signing;
pub mod submit;

pub use listing::{Context, Issue, compile, is_ready, readiness, validate};
pub mod spec_check;

#[cfg(test)]
mod tests;
