//! The vocabulary every area shares: person-typed text, time, regions (법정동 codes), industries
//! (상권업종), the audit trail, sealed secrets and the field-error type every use case returns.

pub mod audit;
pub mod channel;
pub mod error;
pub mod flow;
pub mod industry;
pub mod money;
pub mod region;
pub mod secret;
pub mod text;
pub mod time;
