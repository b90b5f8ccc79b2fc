//! The one integration-test binary: storage on both backends, HTTP in-process (one module per
//! area), the publish flow against the marketplaces' contract servers, and the CLI as a user
//! runs it. One binary keeps linking fast (see kanidm's DO_NOT_ADD_MORE_TESTS_HERE); shared
//! setup lives in `support` as builders.

mod support;

mod cli;
mod contract;
mod http;
mod import;
mod listing;
mod store;
