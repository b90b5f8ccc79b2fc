//! The one integration-test binary: storage on both backends, HTTP in-process, and the CLI
//! as a user runs it. One binary keeps linking fast (see kanidm's DO_NOT_ADD_MORE_TESTS_HERE).

mod support;

mod cli;
mod contract;
mod http;
mod import;
mod listing;
mod photos;
mod store;
