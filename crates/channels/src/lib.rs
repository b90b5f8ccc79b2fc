//! Gachi's marketplace adapters, one module per marketplace (compile a product file into the
//! marketplace's payload, validate it against the marketplace's rules, sign and submit). So far:
//! the request signatures, checked against the published vectors (shared/specs/MARKETPLACES.md).

pub mod signing;
