//! Schema migrations, embedded per backend and applied in order at start-up. Each runs in its
//! own transaction together with its row in `schema_migrations`, so a crash mid-way leaves the
//! schema at the previous version. Applied migrations are never edited: add a new one.

/// One schema change.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "accounts",
        sql: include_str!("../migrations/sqlite/0001_accounts.sql"),
    },
    Migration {
        version: 2,
        name: "merchants",
        sql: include_str!("../migrations/sqlite/0002_merchants.sql"),
    },
    Migration {
        version: 3,
        name: "diagnoses",
        sql: include_str!("../migrations/sqlite/0003_diagnoses.sql"),
    },
    Migration {
        version: 4,
        name: "rounds",
        sql: include_str!("../migrations/sqlite/0004_rounds.sql"),
    },
    Migration {
        version: 5,
        name: "merchant_facts",
        sql: include_str!("../migrations/sqlite/0005_merchant_facts.sql"),
    },
    Migration {
        version: 6,
        name: "products",
        sql: include_str!("../migrations/sqlite/0006_products.sql"),
    },
    Migration {
        version: 7,
        name: "shipping_templates",
        sql: include_str!("../migrations/sqlite/0007_shipping_templates.sql"),
    },
    Migration {
        version: 8,
        name: "onboarding",
        sql: include_str!("../migrations/sqlite/0008_onboarding.sql"),
    },
    Migration {
        version: 9,
        name: "channel_accounts",
        sql: include_str!("../migrations/sqlite/0009_channel_accounts.sql"),
    },
    Migration {
        version: 10,
        name: "categories",
        sql: include_str!("../migrations/sqlite/0010_categories.sql"),
    },
    Migration {
        version: 11,
        name: "results",
        sql: include_str!("../migrations/sqlite/0011_results.sql"),
    },
    Migration {
        version: 12,
        name: "counts",
        // The triggers live in their own file: a fresh bulk import drops and recreates them.
        sql: concat!(
            include_str!("../migrations/sqlite/0012_counts.sql"),
            include_str!("../sql/sqlite_count_triggers.sql")
        ),
    },
    Migration {
        version: 13,
        name: "bulk_jobs",
        sql: include_str!("../migrations/sqlite/0013_bulk_jobs.sql"),
    },
    Migration {
        version: 14,
        name: "review_jobs",
        sql: include_str!("../migrations/sqlite/0014_review_jobs.sql"),
    },
    Migration {
        version: 15,
        name: "hosted_photos",
        sql: include_str!("../migrations/sqlite/0015_hosted_photos.sql"),
    },
    Migration {
        version: 16,
        name: "industry_majors",
        sql: concat!(
            include_str!("../migrations/sqlite/0016_industry_majors.sql"),
            include_str!("../sql/sqlite_count_triggers.sql"),
            include_str!("../sql/recount_merchant_counts.sql")
        ),
    },
    Migration {
        version: 17,
        name: "certificates",
        sql: include_str!("../migrations/sqlite/0017_certificates.sql"),
    },
    Migration {
        version: 18,
        name: "delegations",
        sql: include_str!("../migrations/sqlite/0018_delegations.sql"),
    },
    Migration {
        version: 19,
        name: "token_lifetimes",
        sql: include_str!("../migrations/sqlite/0019_token_lifetimes.sql"),
    },
    Migration {
        version: 20,
        name: "designer_profiles",
        sql: include_str!("../migrations/sqlite/0020_designer_profiles.sql"),
    },
    Migration {
        version: 21,
        name: "discovery",
        sql: include_str!("../migrations/sqlite/0021_discovery.sql"),
    },
    Migration {
        version: 22,
        name: "expeditions",
        sql: include_str!("../migrations/sqlite/0022_expeditions.sql"),
    },
    Migration {
        version: 23,
        name: "expedition_check_in",
        sql: include_str!("../migrations/sqlite/0023_expedition_check_in.sql"),
    },
    Migration {
        version: 24,
        name: "live",
        sql: include_str!("../migrations/sqlite/0024_live.sql"),
    },
    Migration {
        version: 25,
        name: "community",
        sql: include_str!("../migrations/sqlite/0025_community.sql"),
    },
    Migration {
        version: 26,
        name: "community_routing",
        sql: include_str!("../migrations/sqlite/0026_community_routing.sql"),
    },
    Migration {
        version: 27,
        name: "community_flags",
        sql: include_str!("../migrations/sqlite/0027_community_flags.sql"),
    },
    Migration {
        version: 28,
        name: "community_suspensions",
        sql: include_str!("../migrations/sqlite/0028_community_suspensions.sql"),
    },
    Migration {
        version: 29,
        name: "community_mentors",
        sql: include_str!("../migrations/sqlite/0029_community_mentors.sql"),
    },
    Migration {
        version: 30,
        name: "community_cooked",
        sql: include_str!("../migrations/sqlite/0030_community_cooked.sql"),
    },
    Migration {
        version: 31,
        name: "mail_outbox",
        sql: include_str!("../migrations/sqlite/0031_mail_outbox.sql"),
    },
    Migration {
        version: 32,
        name: "password_resets",
        sql: include_str!("../migrations/sqlite/0032_password_resets.sql"),
    },
    Migration {
        version: 33,
        name: "match_proposals",
        sql: include_str!("../migrations/sqlite/0033_match_proposals.sql"),
    },
    Migration {
        version: 34,
        name: "courses",
        sql: include_str!("../migrations/sqlite/0034_courses.sql"),
    },
    Migration {
        version: 35,
        name: "exams",
        sql: include_str!("../migrations/sqlite/0035_exams.sql"),
    },
    Migration {
        version: 36,
        name: "course_hours",
        sql: include_str!("../migrations/sqlite/0036_course_hours.sql"),
    },
    Migration {
        version: 37,
        name: "product_trash",
        sql: include_str!("../migrations/sqlite/0037_product_trash.sql"),
    },
    Migration {
        version: 38,
        name: "account_disable",
        sql: include_str!("../migrations/sqlite/0038_account_disable.sql"),
    },
    Migration {
        version: 39,
        name: "move_reasons",
        sql: include_str!("../migrations/sqlite/0039_move_reasons.sql"),
    },
];

pub const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "accounts",
        sql: include_str!("../migrations/postgres/0001_accounts.sql"),
    },
    Migration {
        version: 2,
        name: "merchants",
        sql: include_str!("../migrations/postgres/0002_merchants.sql"),
    },
    Migration {
        version: 3,
        name: "diagnoses",
        sql: include_str!("../migrations/postgres/0003_diagnoses.sql"),
    },
    Migration {
        version: 4,
        name: "rounds",
        sql: include_str!("../migrations/postgres/0004_rounds.sql"),
    },
    Migration {
        version: 5,
        name: "merchant_facts",
        sql: include_str!("../migrations/postgres/0005_merchant_facts.sql"),
    },
    Migration {
        version: 6,
        name: "products",
        sql: include_str!("../migrations/postgres/0006_products.sql"),
    },
    Migration {
        version: 7,
        name: "shipping_templates",
        sql: include_str!("../migrations/postgres/0007_shipping_templates.sql"),
    },
    Migration {
        version: 8,
        name: "onboarding",
        sql: include_str!("../migrations/postgres/0008_onboarding.sql"),
    },
    Migration {
        version: 9,
        name: "channel_accounts",
        sql: include_str!("../migrations/postgres/0009_channel_accounts.sql"),
    },
    Migration {
        version: 10,
        name: "categories",
        sql: include_str!("../migrations/postgres/0010_categories.sql"),
    },
    Migration {
        version: 11,
        name: "results",
        sql: include_str!("../migrations/postgres/0011_results.sql"),
    },
    Migration {
        version: 12,
        name: "counts",
        // The triggers live in their own file: a fresh bulk import drops and recreates them.
        sql: concat!(
            include_str!("../migrations/postgres/0012_counts.sql"),
            include_str!("../sql/postgres_count_triggers.sql")
        ),
    },
    Migration {
        version: 13,
        name: "bulk_jobs",
        sql: include_str!("../migrations/postgres/0013_bulk_jobs.sql"),
    },
    Migration {
        version: 14,
        name: "review_jobs",
        sql: include_str!("../migrations/postgres/0014_review_jobs.sql"),
    },
    Migration {
        version: 15,
        name: "hosted_photos",
        sql: include_str!("../migrations/postgres/0015_hosted_photos.sql"),
    },
    Migration {
        version: 16,
        name: "industry_majors",
        sql: concat!(
            include_str!("../migrations/postgres/0016_industry_majors.sql"),
            include_str!("../sql/postgres_count_triggers.sql"),
            include_str!("../sql/recount_merchant_counts.sql")
        ),
    },
    Migration {
        version: 17,
        name: "certificates",
        sql: include_str!("../migrations/postgres/0017_certificates.sql"),
    },
    Migration {
        version: 18,
        name: "delegations",
        sql: include_str!("../migrations/postgres/0018_delegations.sql"),
    },
    Migration {
        version: 19,
        name: "token_lifetimes",
        sql: include_str!("../migrations/postgres/0019_token_lifetimes.sql"),
    },
    Migration {
        version: 20,
        name: "designer_profiles",
        sql: include_str!("../migrations/postgres/0020_designer_profiles.sql"),
    },
    Migration {
        version: 21,
        name: "discovery",
        sql: include_str!("../migrations/postgres/0021_discovery.sql"),
    },
    Migration {
        version: 22,
        name: "expeditions",
        sql: include_str!("../migrations/postgres/0022_expeditions.sql"),
    },
    Migration {
        version: 23,
        name: "expedition_check_in",
        sql: include_str!("../migrations/postgres/0023_expedition_check_in.sql"),
    },
    Migration {
        version: 24,
        name: "live",
        sql: include_str!("../migrations/postgres/0024_live.sql"),
    },
    Migration {
        version: 25,
        name: "community",
        sql: include_str!("../migrations/postgres/0025_community.sql"),
    },
    Migration {
        version: 26,
        name: "community_routing",
        sql: include_str!("../migrations/postgres/0026_community_routing.sql"),
    },
    Migration {
        version: 27,
        name: "community_flags",
        sql: include_str!("../migrations/postgres/0027_community_flags.sql"),
    },
    Migration {
        version: 28,
        name: "community_suspensions",
        sql: include_str!("../migrations/postgres/0028_community_suspensions.sql"),
    },
    Migration {
        version: 29,
        name: "community_mentors",
        sql: include_str!("../migrations/postgres/0029_community_mentors.sql"),
    },
    Migration {
        version: 30,
        name: "community_cooked",
        sql: include_str!("../migrations/postgres/0030_community_cooked.sql"),
    },
    Migration {
        version: 31,
        name: "mail_outbox",
        sql: include_str!("../migrations/postgres/0031_mail_outbox.sql"),
    },
    Migration {
        version: 32,
        name: "password_resets",
        sql: include_str!("../migrations/postgres/0032_password_resets.sql"),
    },
    Migration {
        version: 33,
        name: "match_proposals",
        sql: include_str!("../migrations/postgres/0033_match_proposals.sql"),
    },
    Migration {
        version: 34,
        name: "courses",
        sql: include_str!("../migrations/postgres/0034_courses.sql"),
    },
    Migration {
        version: 35,
        name: "exams",
        sql: include_str!("../migrations/postgres/0035_exams.sql"),
    },
    Migration {
        version: 36,
        name: "course_hours",
        sql: include_str!("../migrations/postgres/0036_course_hours.sql"),
    },
    Migration {
        version: 37,
        name: "product_trash",
        sql: include_str!("../migrations/postgres/0037_product_trash.sql"),
    },
    Migration {
        version: 38,
        name: "account_disable",
        sql: include_str!("../migrations/postgres/0038_account_disable.sql"),
    },
    Migration {
        version: 39,
        name: "move_reasons",
        sql: include_str!("../migrations/postgres/0039_move_reasons.sql"),
    },
];

pub const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migrations_in_order() {
        let versions = |m: &[Migration]| m.iter().map(|m| (m.version, m.name)).collect::<Vec<_>>();
        assert_eq!(versions(SQLITE), versions(POSTGRES));
        assert!(SQLITE.windows(2).all(|w| w[0].version < w[1].version));
    }
}
