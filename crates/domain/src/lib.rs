//! Gachi's domain: types that cannot hold invalid values, the rules of the program, the use
//! cases, and the ports (traits) the use cases need from storage and the outside world.
//!
//! Nothing here does I/O or knows about the web or a database: handlers parse input into these
//! types, call one use case, and render the result.
//!
//! One folder per area of the program, each holding its types, its rules, its use cases and the
//! storage port they need; `kernel` holds the vocabulary every area shares. ARCHITECTURE.md at
//! the repository root maps them.

pub mod kernel;

pub mod accounts;
pub mod catalog;
pub mod community;
pub mod designers;
pub mod discovery;
pub mod listing;
pub mod live;
pub mod mail;
pub mod merchants;
pub mod onboarding;
pub mod program;
pub mod results;

pub mod ports;

pub use kernel::error::{FieldError, ValidationErrors};
