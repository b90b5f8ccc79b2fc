//! Gachi's web layer: server-rendered pages (askama + htmx), the JSON API under `/api/v1` with
//! its OpenAPI document, translations, CSRF protection, metrics and health.
//!
//! Handlers parse input into domain types, call one use case, and render. Business rules live in
//! `gachi-domain`; nothing here talks SQL.

pub mod api;
pub mod api_categories;
pub mod api_community;
pub mod api_courses;
pub mod api_designers;
pub mod api_discovery;
pub mod api_exams;
pub mod api_live;
pub mod api_merchants;
pub mod api_onboarding;
pub mod api_products;
pub mod api_results;
pub mod context;
pub mod csrf;
pub mod digest;
pub mod error;
pub mod i18n;
pub mod ics;
pub mod json_body;
pub mod metrics;
pub mod pages;
pub mod photos;
pub mod product_schema;
pub mod readiness;
mod routes;
mod state;
pub mod write_limit;

pub use routes::app;
pub use state::{AppState, BlockingHasher, WebConfig};
