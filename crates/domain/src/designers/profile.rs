//! A designer's profile for the directory and for matching: the 시군구 they serve, the
//! industries and skills they work in, how many shops they take at once, and the languages they
//! speak. Merchants and staff search the directory of certified designers by these.

use crate::accounts::{Role, User, UserId};
use crate::designers::Level;
use crate::kernel::audit::Actor;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::region::RegionCode;
use crate::ports::{Clock, Store, StoreError};

/// The most shops one designer takes at once.
pub const MAX_CAPACITY: u32 = 30;

/// What a designer is good at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Skill {
    /// 마켓 입점.
    Onboarding,
    /// 상세페이지.
    DetailPage,
    /// 라이브커머스.
    Live,
    /// 상품 사진.
    Photo,
}

impl Skill {
    pub const ALL: [Skill; 4] = [
        Skill::Onboarding,
        Skill::DetailPage,
        Skill::Live,
        Skill::Photo,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Skill::Onboarding => "onboarding",
            Skill::DetailPage => "detail_page",
            Skill::Live => "live",
            Skill::Photo => "photo",
        }
    }

    pub fn parse(code: &str) -> Option<Skill> {
        let code = code.trim();
        Skill::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A designer's profile as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub designer: UserId,
    /// 시군구 (5 digits) or whole 시도 (2 digits) served.
    pub regions: Vec<RegionCode>,
    /// 상권업종 codes (a major category like `I2` or a full code).
    pub industries: Vec<String>,
    pub skills: Vec<Skill>,
    pub capacity: u32,
    pub languages: Vec<String>,
    pub intro: String,
}

impl Profile {
    /// Whether the designer serves `region` (a 시군구 or a 시도 that holds it).
    pub fn serves(&self, region: &RegionCode) -> bool {
        self.regions
            .iter()
            .any(|r| r == region || r.contains(region))
    }
}

/// A profile as typed in the form.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub regions: Vec<String>,
    pub industries: Vec<String>,
    pub skills: Vec<String>,
    pub capacity: String,
    pub languages: String,
    pub intro: String,
}

impl ProfileInput {
    /// The profile, or every fault by field.
    pub fn validate(&self, designer: UserId) -> Result<Profile, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut regions = Vec::new();
        for code in self.regions.iter().filter(|c| !c.trim().is_empty()) {
            if let Some(region) = errors.check(RegionCode::parse(code, "regions"))
                && !regions.contains(&region)
            {
                regions.push(region);
            }
        }
        if regions.is_empty() {
            errors.push("regions", "error-required");
        }
        let mut industries = Vec::new();
        for code in self
            .industries
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            // A full code, or the prefix of a category (`I2` is every 음식 business).
            let known = crate::kernel::industry::resolve(code, "industries").is_ok()
                || crate::kernel::industry::all()
                    .iter()
                    .any(|i| i.code.starts_with(code));
            if known {
                industries.push(code.to_owned());
            } else {
                errors.push("industries", "error-industry-unknown");
            }
        }
        let mut skills = Vec::new();
        for code in &self.skills {
            match Skill::parse(code) {
                Some(skill) if !skills.contains(&skill) => skills.push(skill),
                Some(_) => {}
                None => errors.push("skills", "error-skill-unknown"),
            }
        }
        let capacity = match self.capacity.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_CAPACITY).contains(&n) => n,
            _ => {
                errors.push("capacity", "error-capacity-range");
                0
            }
        };
        let intro = crate::kernel::text::clean(&self.intro);
        if crate::kernel::text::longer_than(&intro, 500) {
            errors.push("intro", "error-intro-too-long");
        }
        let languages = self
            .languages
            .split([',', '，'])
            .map(crate::kernel::text::clean)
            .filter(|l| !l.is_empty())
            .take(10)
            .collect();
        errors.into_result()?;
        Ok(Profile {
            designer,
            regions,
            industries,
            skills,
            capacity,
            languages,
            intro,
        })
    }
}

/// A certified designer as the directory lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    pub designer: UserId,
    pub name: String,
    /// The highest level of a valid certificate.
    pub level: Level,
    pub profile: Profile,
    /// Shops under a running delegation now.
    pub active_shops: u32,
}

/// The most designers one page of the directory holds.
pub const DIRECTORY_PAGE_MAX: u32 = 200;

/// One page of the directory.
#[derive(Debug, Clone)]
pub struct DirectoryPage {
    pub entries: Vec<DirectoryEntry>,
    /// The outcomes of the designers on this page (a designer without any served no shop yet).
    pub outcomes: std::collections::BTreeMap<UserId, crate::designers::outcomes::Outcomes>,
    /// How many designers match the filter, on every page.
    pub total: usize,
}

/// What the directory is filtered by.
#[derive(Debug, Clone, Default)]
pub struct DirectoryFilter {
    pub region: Option<RegionCode>,
    pub industry: Option<String>,
    pub skill: Option<Skill>,
    /// Only designers with a free place.
    pub available: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The profile and directory use cases.
pub struct Profiles<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

impl Profiles<'_> {
    /// The designer's own profile (an empty one before it is first saved).
    pub async fn own(&self, user: &User) -> Result<Profile, ProfileError> {
        if user.role != Role::Designer {
            return Err(ProfileError::Forbidden);
        }
        Ok(self
            .store
            .designer_profile(user.id)
            .await?
            .unwrap_or(Profile {
                designer: user.id,
                regions: Vec::new(),
                industries: Vec::new(),
                skills: Vec::new(),
                capacity: 5,
                languages: Vec::new(),
                intro: String::new(),
            }))
    }

    /// Saves the designer's own profile.
    pub async fn save(
        &self,
        user: &User,
        actor: &Actor,
        input: &ProfileInput,
    ) -> Result<Profile, ProfileError> {
        if user.role != Role::Designer {
            return Err(ProfileError::Forbidden);
        }
        let profile = input.validate(user.id).map_err(ProfileError::Invalid)?;
        let audit = actor.entry(
            self.clock.now(),
            "designer.profile",
            format!("user:{}", user.id.0),
            format!("capacity:{}", profile.capacity),
        );
        self.store.save_designer_profile(&profile, &audit).await?;
        Ok(profile)
    }

    /// Certified designers (a valid certificate now) with a profile, matching `filter`, by
    /// name: page `page` (from 1) of `per_page` (1 to `DIRECTORY_PAGE_MAX`), with how many
    /// match in all. For merchants looking for help and for staff; designers see it too.
    pub async fn directory(
        &self,
        user: &User,
        filter: &DirectoryFilter,
        page: u32,
        per_page: u32,
    ) -> Result<DirectoryPage, ProfileError> {
        if !matches!(user.role, Role::Merchant | Role::Designer) && !user.role.is_staff() {
            return Err(ProfileError::Forbidden);
        }
        let now = self.clock.now();
        let mut entries = self.store.certified_designers(now).await?;
        entries.retain(|entry| {
            filter
                .region
                .as_ref()
                .is_none_or(|region| entry.profile.serves(region))
                && filter.industry.as_deref().is_none_or(|industry| {
                    entry
                        .profile
                        .industries
                        .iter()
                        .any(|i| industry.starts_with(i.as_str()))
                })
                && filter
                    .skill
                    .is_none_or(|skill| entry.profile.skills.contains(&skill))
                && (!filter.available || entry.active_shops < entry.profile.capacity)
        });
        let total = entries.len();
        let per_page = per_page.clamp(1, DIRECTORY_PAGE_MAX) as usize;
        let skipped = (page.max(1) as usize - 1).saturating_mul(per_page);
        let entries: Vec<DirectoryEntry> =
            entries.into_iter().skip(skipped).take(per_page).collect();
        let mut outcomes = std::collections::BTreeMap::new();
        for entry in &entries {
            outcomes.extend(
                crate::designers::outcomes::recorded(self.store, Some(entry.designer)).await?,
            );
        }
        Ok(DirectoryPage {
            entries,
            outcomes,
            total,
        })
    }
}

/// Field errors of a region typed in a filter, for the pages.
pub fn region_filter(code: &str) -> Result<Option<RegionCode>, FieldError> {
    let code = code.trim();
    if code.is_empty() {
        Ok(None)
    } else {
        RegionCode::parse(code, "region").map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProfileInput {
        ProfileInput {
            regions: vec!["52110".into(), "52".into(), "52110".into()],
            industries: vec!["I2".into(), "I20101".into()],
            skills: vec!["onboarding".into(), "live".into()],
            capacity: "8".into(),
            languages: "한국어, 영어".into(),
            intro: "전주 음식점 입점 전문".into(),
        }
    }

    #[test]
    fn a_profile_keeps_what_was_typed_once_and_serves_its_regions() {
        let profile = input().validate(UserId(1)).unwrap();
        assert_eq!(profile.regions.len(), 2, "the repeated 시군구 once");
        assert_eq!(profile.languages, ["한국어", "영어"]);
        let jeonju = RegionCode::parse("52113", "r").unwrap();
        assert!(profile.serves(&jeonju), "전북 holds 덕진구");
        assert!(!profile.serves(&RegionCode::parse("11110", "r").unwrap()));
    }

    #[test]
    fn faults_are_named_by_field() {
        let bad = ProfileInput {
            regions: vec![],
            industries: vec!["ZZ".into()],
            skills: vec!["juggling".into()],
            capacity: "0".into(),
            ..input()
        };
        let errors = bad.validate(UserId(1)).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        for field in ["regions", "industries", "skills", "capacity"] {
            assert!(fields.contains(&field), "{field}: {fields:?}");
        }
    }
}
