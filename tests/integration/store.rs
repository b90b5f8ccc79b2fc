//! Storage: each conformance story on each backend, schema parity, migrations.

use std::collections::BTreeMap;

use gachi_store::conformance::{
    accounts, categories, designers, discovery, expeditions, market_accounts, merchants,
    onboarding, results, rounds,
};

use crate::support::{TempDir, postgres_store, sqlite_store};

/// One test per conformance story per backend, so a failure names both. Each runs on a fresh
/// store: SQLite in its own directory, PostgreSQL in its own schema (labelled with the story, as
/// `postgres_store` names it). Without `GACHI_TEST_POSTGRES_URL` the PostgreSQL tests are skipped
/// with a message, except under `CI=true`, where they fail.
macro_rules! conformance {
    ($($story:path => $on_sqlite:ident, $on_postgres:ident;)+) => {$(
        #[tokio::test]
        async fn $on_sqlite() {
            let dir = TempDir::new(stringify!($on_sqlite));
            $story(sqlite_store(&dir).await.as_ref()).await;
        }

        #[tokio::test]
        async fn $on_postgres() {
            // The story's name, short enough to keep the schema name unique (63 bytes at most).
            let label = stringify!($on_postgres)
                .trim_start_matches("conformance_")
                .trim_end_matches("_on_postgres");
            if let Some(store) = postgres_store(&format!("conf_{label}")).await {
                $story(store.as_ref()).await;
            }
        }
    )+};
}

conformance! {
    accounts::users_are_created_once_and_audited
        => conformance_accounts_sign_up_on_sqlite, conformance_accounts_sign_up_on_postgres;
    accounts::sign_in_starts_a_session_and_failures_lock_the_account
        => conformance_accounts_sign_in_lock_on_sqlite, conformance_accounts_sign_in_lock_on_postgres;
    accounts::sessions_slide_and_expire
        => conformance_accounts_sessions_on_sqlite, conformance_accounts_sessions_on_postgres;
    accounts::api_tokens_identify_their_user
        => conformance_accounts_api_tokens_on_sqlite, conformance_accounts_api_tokens_on_postgres;
    accounts::api_tokens_expire_are_revoked_and_record_their_use
        => conformance_accounts_token_lifetimes_on_sqlite,
           conformance_accounts_token_lifetimes_on_postgres;
    accounts::password_change_ends_other_sessions
        => conformance_accounts_password_change_on_sqlite,
           conformance_accounts_password_change_on_postgres;
    accounts::roles_regions_and_locales_are_kept
        => conformance_accounts_roles_on_sqlite, conformance_accounts_roles_on_postgres;
    merchants::merchants => conformance_merchants_on_sqlite, conformance_merchants_on_postgres;
    merchants::diagnoses_keep_an_operators_decision
        => conformance_diagnoses_on_sqlite, conformance_diagnoses_on_postgres;
    rounds::rounds => conformance_rounds_on_sqlite, conformance_rounds_on_postgres;
    onboarding::onboarding => conformance_onboarding_on_sqlite, conformance_onboarding_on_postgres;
    onboarding::bulk_jobs => conformance_bulk_jobs_on_sqlite, conformance_bulk_jobs_on_postgres;
    market_accounts::market_accounts
        => conformance_market_accounts_on_sqlite, conformance_market_accounts_on_postgres;
    categories::categories => conformance_categories_on_sqlite, conformance_categories_on_postgres;
    results::results => conformance_results_on_sqlite, conformance_results_on_postgres;
    designers::certificates
        => conformance_certificates_on_sqlite, conformance_certificates_on_postgres;
    designers::delegations
        => conformance_delegations_on_sqlite, conformance_delegations_on_postgres;
    designers::profiles => conformance_profiles_on_sqlite, conformance_profiles_on_postgres;
    discovery::discovery => conformance_discovery_on_sqlite, conformance_discovery_on_postgres;
    expeditions::expeditions
        => conformance_expeditions_on_sqlite, conformance_expeditions_on_postgres;
}

/// Both schemas must have the same tables, columns, nullability and (normalized) types.
#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let dir = TempDir::new("parity");
    let sqlite = sqlite_store(&dir).await;
    let Some(pg) = postgres_store("parity").await else {
        return;
    };
    let normalize = |columns: Vec<(String, String, String, bool)>| {
        columns
            .into_iter()
            .map(|(table, column, ty, not_null)| {
                let ty = match ty.as_str() {
                    "INTEGER" | "BIGINT" => "integer",
                    "TEXT" | "CHARACTER VARYING" => "text",
                    "BOOLEAN" => "boolean",
                    other => {
                        panic!("{table}.{column} has a type the parity test does not know: {other}")
                    }
                };
                ((table, column), (ty, not_null))
            })
            .collect::<BTreeMap<_, _>>()
    };
    let sqlite_columns = normalize(sqlite.schema_columns().await.unwrap());
    let pg_columns = normalize(pg.schema_columns().await.unwrap());
    assert!(sqlite_columns.len() > 20, "schema read: {sqlite_columns:?}");
    assert_eq!(sqlite_columns, pg_columns);
}

#[tokio::test]
async fn reopening_a_database_applies_no_migration_twice() {
    let dir = TempDir::new("remigrate");
    let first = sqlite_store(&dir).await;
    let applied = first.applied_migrations().await.unwrap();
    drop(first);
    let second = sqlite_store(&dir).await;
    assert_eq!(second.applied_migrations().await.unwrap(), applied);
    assert!(!applied.is_empty());
}
