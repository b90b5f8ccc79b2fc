//! Gachi's domain: types that cannot hold invalid values, the rules of the program, the use
//! cases, and the ports (traits) the use cases need from storage and the outside world.
//!
//! Nothing here does I/O or knows about the web or a database: handlers parse input into these
//! types, call one use case, and render the result.

pub mod accounts;
pub mod audit;
pub mod bulk_job;
pub mod catalog;
pub mod category;
pub mod diagnosis;
pub mod error;
pub mod industry;
pub mod licence;
pub mod market_account;
pub mod media;
pub mod merchant;
pub mod notice;
pub mod onboarding;
pub mod ports;
pub mod product;
pub mod product_sheet;
pub mod region;
pub mod register;
pub mod registry;
pub mod results;
pub mod rounds;
pub mod secret;
pub mod text;
pub mod time;

pub use error::{FieldError, ValidationErrors};
