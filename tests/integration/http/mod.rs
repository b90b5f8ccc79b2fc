//! The web application in-process, as a browser or an API client sees it, one module per area:
//! the site itself (health, metrics, errors), security (CSRF, access by role and region, return
//! addresses, switching accounts, who reads the metrics, caching and transport headers, the
//! badge's escaping), accounts, the API and its OpenAPI document, the merchant registry, the
//! diagnosis, products and their photos, what each marketplace would accept, the onboarding
//! board, rounds, and results (sales, hall of fame, dashboard).

mod access;
mod accounts;
mod api;
mod badge_escaping;
mod caching;
mod certificates;
mod community;
mod courses;
mod delegations;
mod designers;
mod diagnosis;
mod discovery;
mod events;
mod exams;
mod listings;
mod live;
mod merchants;
mod metrics_access;
mod onboarding;
mod password_reset;
mod photos;
mod product_form;
mod product_trash;
mod products;
mod proposals;
mod request_trust;
mod results;
mod return_addresses;
mod rounds;
mod security;
mod session_switch;
mod site;
mod staff;
mod write_limit;

/// The DESIGN.md example product file (the import tests read it from here).
pub(crate) use crate::support::bibimbap_file;
