//! The SQL of matching proposals, written once and expanded for each backend by
//! `proposal_store_impl!(StoreType)` inside that backend's module.

macro_rules! proposal_store_impl {
    ($store:ident) => {
        mod proposal_sql {
            use super::*;
            use gachi_domain::designers::ProposalStore;
            use gachi_domain::designers::delegation::{NewDelegation, Scope};
            use gachi_domain::designers::matching::Reasons;
            use gachi_domain::designers::proposals::{
                Answer, MatchProposal, NewProposal, RecordedAnswer, Side,
            };
            use gachi_domain::merchants::merchant::MerchantId;

            const COLUMNS: &str = "p.id, p.merchant_id, m.name, p.designer_id, u.display_name, p.reasons, \
                                   p.proposed_at, p.merchant_answer, p.merchant_answered_at, p.scopes, p.days, \
                                   p.designer_answer, p.designer_answered_at, p.delegation_id";
            const FROM: &str = "FROM match_proposals p JOIN merchants m ON m.id = p.merchant_id \
                                JOIN users u ON u.id = p.designer_id";

            fn proposal_of<R: sqlx::Row>(row: &R) -> Result<MatchProposal, StoreError>
            where
                usize: sqlx::ColumnIndex<R>,
                for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
                for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            {
                let answer = |answer: usize, at: usize| -> Result<Option<(Answer, Timestamp)>, StoreError> {
                    let given: Option<String> = row.try_get(answer).map_err(backend_error)?;
                    let when: Option<i64> = row.try_get(at).map_err(backend_error)?;
                    Ok(given
                        .as_deref()
                        .and_then(Answer::parse)
                        .zip(when.map(Timestamp::from_unix_ms)))
                };
                let reasons: String = row.try_get(5).map_err(backend_error)?;
                let scopes: Option<String> = row.try_get(9).map_err(backend_error)?;
                Ok(MatchProposal {
                    id: row.try_get(0).map_err(backend_error)?,
                    merchant: MerchantId(row.try_get(1).map_err(backend_error)?),
                    merchant_name: row.try_get(2).map_err(backend_error)?,
                    designer: UserId(row.try_get(3).map_err(backend_error)?),
                    designer_name: row.try_get(4).map_err(backend_error)?,
                    reasons: Reasons::decode(&reasons),
                    proposed_at: Timestamp::from_unix_ms(row.try_get(6).map_err(backend_error)?),
                    merchant_answer: answer(7, 8)?,
                    scopes: scopes.as_deref().map(Scope::decode).unwrap_or_default(),
                    days: row.try_get(10).map_err(backend_error)?,
                    designer_answer: answer(11, 12)?,
                    delegation: row.try_get(13).map_err(backend_error)?,
                })
            }

            #[async_trait]
            impl ProposalStore for $store {
                async fn insert_match_proposals(&self, proposals: &[NewProposal], audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    for proposal in proposals {
                        sqlx::query(
                            "INSERT INTO match_proposals (merchant_id, designer_id, reasons, proposed_at)
                             VALUES ($1, $2, $3, $4)",
                        )
                        .bind(proposal.merchant.0)
                        .bind(proposal.designer.0)
                        .bind(proposal.reasons.encode())
                        .bind(proposal.proposed_at.unix_ms())
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }

                async fn match_proposal(&self, id: i64) -> Result<Option<MatchProposal>, StoreError> {
                    sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE p.id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(backend_error)?
                        .as_ref()
                        .map(proposal_of)
                        .transpose()
                }

                async fn match_proposals(&self, merchant: Option<MerchantId>, designer: Option<UserId>) -> Result<Vec<MatchProposal>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {COLUMNS} {FROM}
                         WHERE ($1 IS NULL OR p.merchant_id = $1) AND ($2 IS NULL OR p.designer_id = $2)
                         ORDER BY p.id DESC LIMIT 1000"
                    ))
                    .bind(merchant.map(|m| m.0))
                    .bind(designer.map(|d| d.0))
                    .fetch_all(self.reader())
                    .await
                    .map_err(backend_error)?;
                    rows.iter().map(proposal_of).collect()
                }

                async fn answer_match_proposal(&self, id: i64, answer: &RecordedAnswer, audit: &AuditEntry) -> Result<MatchProposal, StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    // Only while this side has not answered, nobody declined and nothing started:
                    // two answers racing cannot both land.
                    let open = "delegation_id IS NULL
                                AND (merchant_answer IS NULL OR merchant_answer = 'accepted')
                                AND (designer_answer IS NULL OR designer_answer = 'accepted')";
                    let done = match answer.side {
                        Side::Merchant => {
                            let (scopes, days) = match &answer.grant {
                                Some((scopes, days)) => (Some(Scope::encode(scopes)), Some(*days)),
                                None => (None, None),
                            };
                            sqlx::query(&format!(
                                "UPDATE match_proposals SET merchant_answer = $2, merchant_answered_at = $3,
                                     scopes = $4, days = $5
                                 WHERE id = $1 AND merchant_answer IS NULL AND {open}"
                            ))
                            .bind(id)
                            .bind(answer.answer.as_str())
                            .bind(answer.at.unix_ms())
                            .bind(scopes)
                            .bind(days)
                            .execute(&mut *tx)
                            .await
                        }
                        Side::Designer => {
                            sqlx::query(&format!(
                                "UPDATE match_proposals SET designer_answer = $2, designer_answered_at = $3
                                 WHERE id = $1 AND designer_answer IS NULL AND {open}"
                            ))
                            .bind(id)
                            .bind(answer.answer.as_str())
                            .bind(answer.at.unix_ms())
                            .execute(&mut *tx)
                            .await
                        }
                    }
                    .map_err(backend_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Conflict("proposal"));
                    }
                    insert_audit(&mut *tx, audit).await?;
                    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE p.id = $1"))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    let after = proposal_of(&row)?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(after)
                }

                async fn start_proposed_delegation(&self, id: i64, delegation: &NewDelegation, audit: &AuditEntry) -> Result<(), StoreError> {
                    let mut tx = self.begin_write().await.map_err(backend_error)?;
                    let started = super::delegation_sql::insert_delegation(&mut *tx, delegation).await?;
                    let linked = sqlx::query(
                        "UPDATE match_proposals SET delegation_id = $2 WHERE id = $1 AND delegation_id IS NULL",
                    )
                    .bind(id)
                    .bind(started)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    if linked.rows_affected() == 0 {
                        // Started by the other side's answer a moment ago: keep that one.
                        return Ok(());
                    }
                    insert_audit(&mut *tx, audit).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(())
                }
            }
        }
    };
}

pub(crate) use proposal_store_impl;
