//! The merchant registry's use cases and access rules: who may see, create and edit which
//! merchant records. Staff see all; a local-government officer sees the merchants of their
//! region; a merchant sees and edits only the record they own. Records one may not see are
//! "not found", so their existence is not revealed.

use crate::accounts::{Role, User};
use crate::kernel::audit::Actor;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::time::Timestamp;
use crate::merchants::diagnosis::{self, Answers, Diagnosed, DiagnosisRecord, Track, TrackChange};
use crate::merchants::merchant::{
    Merchant, MerchantFilter, MerchantId, MerchantInput, MerchantSource, MerchantStatus,
};
use crate::ports::{Clock, Store, StoreError};

/// The most merchants one list page returns.
pub const MAX_PAGE: u32 = 200;

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    /// The 사업자등록번호 is registered already; staff are told which record has it.
    #[error("business number already registered")]
    DuplicateBusinessNumber { existing: Option<MerchantId> },
    /// The shop took the diagnosis less than a day ago; it may again from `next_at`, in
    /// `retry_after_seconds`.
    #[error("diagnosis retaken too soon; next at {next_at:?}")]
    RetakeTooSoon {
        next_at: Timestamp,
        retry_after_seconds: i64,
    },
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ValidationErrors> for RegistryError {
    fn from(errors: ValidationErrors) -> Self {
        RegistryError::Invalid(errors)
    }
}

/// Whether `user` may see `merchant`.
pub fn may_view(user: &User, merchant: &Merchant, owner: Option<crate::accounts::UserId>) -> bool {
    match user.role {
        Role::Operator | Role::Admin => true,
        Role::LocalGov => user.may_see_region(&merchant.region),
        Role::Merchant => owner == Some(user.id),
        Role::Designer | Role::Md => false,
    }
}

pub struct Registry<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

impl Registry<'_> {
    /// Staff register any shop; a merchant registers their own, once.
    pub async fn create(
        &self,
        user: &User,
        input: &MerchantInput,
        actor: &Actor,
    ) -> Result<Merchant, RegistryError> {
        let (status, source, owner) = match user.role {
            Role::Operator | Role::Admin => {
                (MerchantStatus::Registered, MerchantSource::Staff, None)
            }
            Role::Merchant => {
                if self.store.merchant_of_owner(user.id).await?.is_some() {
                    return Err(ValidationErrors::from(FieldError::new(
                        "name",
                        "error-shop-exists",
                    ))
                    .into());
                }
                (
                    MerchantStatus::Registered,
                    MerchantSource::SelfRegistered,
                    Some(user.id),
                )
            }
            _ => return Err(RegistryError::Forbidden),
        };
        let fields = input.validate(true)?;
        let digits = fields
            .business_number
            .as_ref()
            .map(|b| b.digits().to_owned());
        if let Some(digits) = &digits
            && let Some(existing) = self.store.merchant_by_business_number(digits).await?
        {
            return Err(self.duplicate(user, existing.id));
        }
        let audit = actor.entry(
            self.clock.now(),
            "merchant.create",
            "",
            format!("source={}", source.as_str()),
        );
        match self
            .store
            .create_merchant(&fields, status, source, owner, &audit)
            .await
        {
            Ok(merchant) => Ok(merchant),
            Err(StoreError::Conflict("business_number")) => {
                let existing = match &digits {
                    Some(d) => self
                        .store
                        .merchant_by_business_number(d)
                        .await?
                        .map(|m| m.id),
                    None => None,
                };
                Err(RegistryError::DuplicateBusinessNumber {
                    existing: existing.filter(|_| user.role.is_staff()),
                })
            }
            Err(other) => Err(other.into()),
        }
    }

    fn duplicate(&self, user: &User, existing: MerchantId) -> RegistryError {
        RegistryError::DuplicateBusinessNumber {
            existing: user.role.is_staff().then_some(existing),
        }
    }

    /// The record, if `user` may see it.
    /// The shop `user` owns (a merchant's own; none for other roles or before registering).
    pub async fn own_shop(&self, user: &User) -> Result<Option<Merchant>, StoreError> {
        if user.role != Role::Merchant {
            return Ok(None);
        }
        self.store.merchant_of_owner(user.id).await
    }

    /// The latest diagnosis of a shop `user` may see.
    pub async fn latest_diagnosis(
        &self,
        user: &User,
        id: MerchantId,
    ) -> Result<Option<DiagnosisRecord>, RegistryError> {
        self.get(user, id).await?;
        Ok(self.store.latest_diagnosis(id).await?)
    }

    /// The track decisions of a shop `user` may see, oldest first.
    pub async fn track_history(
        &self,
        user: &User,
        id: MerchantId,
    ) -> Result<Vec<TrackChange>, RegistryError> {
        self.get(user, id).await?;
        Ok(self.store.track_history(id).await?)
    }

    pub async fn get(&self, user: &User, id: MerchantId) -> Result<Merchant, RegistryError> {
        let merchant = self
            .store
            .merchant(id)
            .await?
            .ok_or(RegistryError::NotFound)?;
        let owner = self.owner_of(user, &merchant).await?;
        if may_view(user, &merchant, owner) {
            Ok(merchant)
        } else {
            Err(RegistryError::NotFound)
        }
    }

    /// The owner, looked up only when it matters (a merchant viewing).
    async fn owner_of(
        &self,
        user: &User,
        merchant: &Merchant,
    ) -> Result<Option<crate::accounts::UserId>, StoreError> {
        if user.role != Role::Merchant {
            return Ok(None);
        }
        Ok(self
            .store
            .merchant_of_owner(user.id)
            .await?
            .filter(|own| own.id == merchant.id)
            .map(|_| user.id))
    }

    /// Applies `change` to the record: every field of `change` replaces the stored one when set
    /// (`Some`), and the whole is validated again.
    pub async fn update(
        &self,
        user: &User,
        id: MerchantId,
        change: &MerchantChange,
        actor: &Actor,
    ) -> Result<Merchant, RegistryError> {
        let current = self.get(user, id).await?;
        if user.role == Role::LocalGov {
            return Err(RegistryError::Forbidden);
        }
        let input = change.apply(&current);
        // Prospects from the register may lack a 사업자등록번호; a registered shop must keep one.
        let required = current.status != MerchantStatus::Prospect;
        let fields = input.validate(required)?;
        if let Some(bn) = &fields.business_number
            && let Some(other) = self.store.merchant_by_business_number(bn.digits()).await?
            && other.id != id
        {
            return Err(self.duplicate(user, other.id));
        }
        let audit = actor.entry(
            self.clock.now(),
            "merchant.update",
            format!("merchant:{}", id.0),
            "",
        );
        match self.store.update_merchant(id, &fields, &audit).await {
            Ok(merchant) => Ok(merchant),
            Err(StoreError::Conflict("business_number")) => {
                Err(RegistryError::DuplicateBusinessNumber { existing: None })
            }
            Err(other) => Err(other.into()),
        }
    }

    /// A page of merchants `user` may see, newest first. A local-government officer's list is
    /// always limited to their region; asking for another region is forbidden.
    pub async fn list(
        &self,
        user: &User,
        filter: MerchantFilter,
        before: Option<MerchantId>,
        limit: u32,
    ) -> Result<Vec<Merchant>, RegistryError> {
        let filter = match user.role {
            Role::Operator | Role::Admin => filter,
            Role::LocalGov => MerchantFilter {
                region: Some(
                    user.officer_scope(filter.region.as_ref())
                        .ok_or(RegistryError::Forbidden)?,
                ),
                ..filter
            },
            _ => return Err(RegistryError::Forbidden),
        };
        Ok(self
            .store
            .list_merchants(&filter, before, limit.clamp(1, MAX_PAGE))
            .await?)
    }
}

impl Registry<'_> {
    /// Takes the diagnosis for a merchant: the owner themselves, or staff entering the answers
    /// with them; at most once a day per shop, every one kept. The recommended track becomes the
    /// merchant's unless an operator's decision stands, which only an operator changes.
    pub async fn diagnose(
        &self,
        user: &User,
        id: MerchantId,
        answers: &Answers,
        actor: &Actor,
    ) -> Result<Diagnosed, RegistryError> {
        let merchant = self.get(user, id).await?;
        if !matches!(user.role, Role::Merchant | Role::Operator | Role::Admin) {
            return Err(RegistryError::Forbidden);
        }
        let assessment = diagnosis::assess(answers)?;
        let now = self.clock.now();
        if let Some(previous) = self.store.latest_diagnosis(merchant.id).await? {
            let next_at = diagnosis::next_retake_at(previous.created_at);
            if now < next_at {
                return Err(RegistryError::RetakeTooSoon {
                    next_at,
                    retry_after_seconds: now.seconds_until(next_at),
                });
            }
        }
        let detail = format!(
            "product={} online={} track={}",
            assessment.product_score,
            assessment.online_score,
            assessment.track.as_str()
        );
        let audit = actor.entry(
            now,
            "merchant.diagnose",
            format!("merchant:{}", merchant.id.0),
            detail,
        );
        Ok(self
            .store
            .record_diagnosis(merchant.id, &assessment, actor.user, &audit)
            .await?)
    }

    /// An operator sets the track by hand, with a written reason kept in the history.
    pub async fn override_track(
        &self,
        user: &User,
        id: MerchantId,
        track: &str,
        reason: &str,
        actor: &Actor,
    ) -> Result<(), RegistryError> {
        if !user.role.is_staff() {
            return Err(RegistryError::Forbidden);
        }
        let merchant = self.get(user, id).await?;
        let mut errors = ValidationErrors::new();
        let track = errors.check(Track::parse(track, "track"));
        let reason = errors.check(diagnosis::override_reason(reason));
        errors.into_result()?;
        let (Some(track), Some(reason)) = (track, reason) else {
            unreachable!("errors were checked")
        };
        let audit = actor.entry(
            self.clock.now(),
            "merchant.track_override",
            format!("merchant:{}", merchant.id.0),
            format!("track={}", track.as_str()),
        );
        Ok(self
            .store
            .override_track(merchant.id, track, &reason, user.id, &audit)
            .await?)
    }
}

/// A partial change of a merchant record (API `PATCH`): `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct MerchantChange {
    pub name: Option<String>,
    pub representative: Option<String>,
    pub business_number: Option<String>,
    pub mail_order_number: Option<String>,
    pub phone: Option<String>,
    pub road_address: Option<String>,
    pub region_code: Option<String>,
    pub industry_code: Option<String>,
    pub opened_year: Option<String>,
    pub employees: Option<String>,
    pub floor_area_m2: Option<String>,
    pub online_channels: Option<Vec<String>>,
}

impl MerchantChange {
    /// A change that sets every field (a whole form submitted).
    pub fn replace_all(input: MerchantInput) -> Self {
        Self {
            name: Some(input.name),
            representative: Some(input.representative),
            business_number: Some(input.business_number),
            mail_order_number: Some(input.mail_order_number),
            phone: Some(input.phone),
            road_address: Some(input.road_address),
            region_code: Some(input.region_code),
            industry_code: Some(input.industry_code),
            opened_year: Some(input.opened_year),
            employees: Some(input.employees),
            floor_area_m2: Some(input.floor_area_m2),
            online_channels: Some(input.online_channels),
        }
    }

    fn apply(&self, current: &Merchant) -> MerchantInput {
        let keep = |new: &Option<String>, old: Option<&str>| {
            new.clone()
                .unwrap_or_else(|| old.unwrap_or_default().to_owned())
        };
        MerchantInput {
            name: keep(&self.name, Some(&current.name)),
            representative: keep(&self.representative, current.representative.as_deref()),
            business_number: keep(
                &self.business_number,
                current.business_number.as_ref().map(|b| b.digits()),
            ),
            mail_order_number: keep(
                &self.mail_order_number,
                current.mail_order_number.as_deref(),
            ),
            phone: keep(&self.phone, current.phone.as_deref()),
            road_address: keep(&self.road_address, current.road_address.as_deref()),
            region_code: keep(&self.region_code, Some(current.region.as_str())),
            industry_code: keep(&self.industry_code, Some(&current.industry.code)),
            opened_year: keep(
                &self.opened_year,
                current.facts.opened_year.map(|y| y.to_string()).as_deref(),
            ),
            employees: keep(
                &self.employees,
                current.facts.employees.map(|n| n.to_string()).as_deref(),
            ),
            floor_area_m2: keep(
                &self.floor_area_m2,
                current
                    .facts
                    .floor_area_m2
                    .map(|n| n.to_string())
                    .as_deref(),
            ),
            online_channels: self.online_channels.clone().unwrap_or_else(|| {
                current
                    .online_channels
                    .iter()
                    .map(|c| c.as_str().to_owned())
                    .collect()
            }),
        }
    }
}
