//! Storage: the conformance suite on every backend, schema parity, migrations.

use std::collections::BTreeMap;

use crate::support::{TempDir, every_store, postgres_store, sqlite_store};

#[tokio::test]
async fn conformance_suite_passes_on_every_backend() {
    let dir = TempDir::new("conformance");
    for store in every_store("conformance", &dir).await {
        eprintln!("conformance on {}", store.backend());
        gachi_store::conformance::run_all(store.as_ref()).await;
    }
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
