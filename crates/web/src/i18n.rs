//! Translations with Fluent. The message files (`i18n/ko.ftl`, `i18n/en.ftl`) are embedded and
//! parsed once; the locale is chosen per request (user setting, then the `gachi_lang` cookie,
//! then `Accept-Language`, then Korean) and travels in a `Tr` value, never in global state.

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use gachi_domain::accounts::Locale;
use unic_langid::langid;

pub const KO_FTL: &str = include_str!("../i18n/ko.ftl");
pub const EN_FTL: &str = include_str!("../i18n/en.ftl");

struct Catalog {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
    /// Messages without arguments, formatted once: pages use dozens per request.
    plain: HashMap<&'static str, HashMap<String, String>>,
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut bundles = HashMap::new();
        for (locale, id, source) in [
            (Locale::Ko, langid!("ko"), KO_FTL),
            (Locale::En, langid!("en"), EN_FTL),
        ] {
            let resource =
                FluentResource::try_new(source.to_owned()).unwrap_or_else(|(_, errors)| {
                    panic!("{} messages do not parse: {errors:?}", locale.as_str())
                });
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Unicode isolation marks would show up inside HTML attributes and JSON.
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .expect("message ids are unique");
            bundles.insert(locale.as_str(), bundle);
        }
        let mut plain = HashMap::new();
        for (locale, source) in [(Locale::Ko, KO_FTL), (Locale::En, EN_FTL)] {
            let bundle = &bundles[locale.as_str()];
            let formatted: &mut HashMap<String, String> = plain.entry(locale.as_str()).or_default();
            for id in message_ids(source) {
                let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) else {
                    continue;
                };
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, None, &mut errors);
                // A message that needs arguments reports them missing; it is formatted per call.
                if errors.is_empty() {
                    formatted.insert(id, text.into_owned());
                }
            }
        }
        Catalog { bundles, plain }
    })
}

/// Message ids defined in a Fluent source, in file order.
pub fn message_ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

/// The translator for one request's locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr(pub Locale);

impl Tr {
    pub fn locale(&self) -> Locale {
        self.0
    }

    /// The message `key`; a missing key shows as the key itself (the i18n test prevents that).
    pub fn get(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with one named argument.
    pub fn arg(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_string()));
        self.format(key, Some(&args))
    }

    /// Several named arguments.
    pub fn args(&self, key: &str, values: &[(&str, String)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set(name.to_string(), FluentValue::from(value.clone()));
        }
        self.format(key, Some(&args))
    }

    /// A number argument (plural-aware).
    pub fn count(&self, key: &str, name: &str, value: impl std::borrow::Borrow<i64>) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(*value.borrow()));
        self.format(key, Some(&args))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let catalog = catalog();
        if args.is_none()
            && let Some(text) = catalog.plain.get(self.0.as_str()).and_then(|m| m.get(key))
        {
            return text.clone();
        }
        let Some(bundle) = catalog.bundles.get(self.0.as_str()) else {
            return key.to_owned();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, locale = self.0.as_str(), "missing translation");
            return key.to_owned();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    /// A listing issue in words: what the marketplace would reject and, for marketplace rules,
    /// how to fix it.
    pub fn issue(&self, issue: &gachi_channels::Issue) -> IssueText {
        let mut args = vec![(
            "channel",
            self.get(&format!("channel-{}", issue.channel.code())),
        )];
        if let Some(limit) = issue.limit {
            args.push(("limit", grouped(limit)));
        }
        if let Some(detail) = &issue.detail {
            // A missing account setting reads by its label, not its key.
            let detail = if issue.code == "listing-setting-missing" {
                self.get(&format!("market-field-{detail}"))
            } else {
                detail.clone()
            };
            args.push(("detail", detail));
        }
        IssueText {
            message: self.args(issue.code, &args),
            hint: issue
                .code
                .starts_with("listing-")
                .then(|| self.args(&format!("{}-hint", issue.code), &args)),
        }
    }

    /// `ko` or `en`, for `<html lang>`.
    pub fn lang(&self) -> &'static str {
        self.0.as_str()
    }
}

/// A listing issue translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueText {
    pub message: String,
    pub hint: Option<String>,
}

/// `99999` → `99,999`.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The best supported locale in an `Accept-Language` header, by q-value.
pub fn negotiate(accept_language: &str) -> Option<Locale> {
    let mut best: Option<(f32, Locale)> = None;
    for part in accept_language.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or_default();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if let Some(locale) = Locale::parse(tag)
            && best.is_none_or(|(best_q, _)| q > best_q)
        {
            best = Some((q, locale));
        }
    }
    best.map(|(_, locale)| locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_both_languages() {
        let (ko, en) = (message_ids(KO_FTL), message_ids(EN_FTL));
        let missing_en: Vec<_> = ko.iter().filter(|k| !en.contains(k)).collect();
        let missing_ko: Vec<_> = en.iter().filter(|k| !ko.contains(k)).collect();
        assert!(missing_en.is_empty(), "missing in en.ftl: {missing_en:?}");
        assert!(missing_ko.is_empty(), "missing in ko.ftl: {missing_ko:?}");
        assert!(ko.len() > 50);
        for key in &ko {
            for locale in Locale::ALL {
                let text = Tr(locale).get(key);
                assert!(
                    !text.trim().is_empty() && text != *key,
                    "{key} is empty in {locale:?}"
                );
            }
        }
    }

    /// Every `t.get("…")`, `t.arg("…"` and `t.count("…"` in templates and code names a message.
    #[test]
    fn every_key_used_in_templates_and_code_is_defined() {
        let ko = message_ids(KO_FTL);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = Vec::new();
        let mut files = Vec::new();
        let mut folders = vec![root.join("templates"), root.join("src")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path)
                } else {
                    files.push(path)
                }
            }
        }
        for path in files {
            let source = std::fs::read_to_string(&path).unwrap();
            for call in [".get(\"", ".arg(\"", ".count(\"", "key: \""] {
                for piece in source.split(call).skip(1) {
                    if let Some(key) = piece.split('"').next()
                        && key.contains('-')
                        && !key.contains(' ')
                    {
                        used.push(key.to_owned());
                    }
                }
            }
            // Macro calls: (page, errors, NAME, LABEL_KEY, KIND, value, AUTOCOMPLETE, HINT_KEY), all quoted but value.
            let template = path.extension().is_some_and(|e| e == "html");
            for call in source.split("macros::field(").skip(1).filter(|_| template) {
                // The call ends at `) %}`; arguments may contain calls such as form.get("name").
                let args = call.split("%}").next().unwrap_or_default();
                let args = args.trim_end().strip_suffix(')').unwrap_or(args);
                let args: String = {
                    // Drop nested calls' arguments: keep text outside inner parentheses.
                    let mut depth = 0;
                    args.chars()
                        .filter(|c| match c {
                            '(' => {
                                depth += 1;
                                false
                            }
                            ')' => {
                                depth -= 1;
                                false
                            }
                            _ => depth == 0,
                        })
                        .collect()
                };
                let quoted: Vec<&str> = args.split('"').skip(1).step_by(2).collect();
                used.extend(quoted.get(1).map(|k| k.to_string()));
                used.extend(
                    quoted
                        .last()
                        .filter(|k| !k.is_empty())
                        .map(|k| k.to_string()),
                );
            }
        }
        assert!(used.len() > 40, "found {} keys", used.len());
        let missing: Vec<_> = used.iter().filter(|k| !ko.contains(k)).collect();
        assert!(missing.is_empty(), "used but not defined: {missing:?}");
    }

    /// Message families whose keys are built at run time from a prefix and a code, so they
    /// cannot be found literally; each names the code that builds it.
    const DYNAMIC_PREFIXES: &[&str] = &[
        // `pages::home::step`: `format!("step-{key}")` and `format!("step-{key}-body")`.
        "step-",
        // `pages::merchants::status_label`: `format!("status-{}", status.as_str())`.
        "status-",
        // `pages::rounds::status_text`: `format!("round-status-{}", status.as_str())`.
        "round-status-",
        // `format!("track-{}", track.as_str())` in `pages::shop`, `pages::merchants`,
        // `pages::rounds`, `pages::onboarding` and `pages::results::dashboard`.
        "track-",
        // `pages::shop`, the diagnosis form: `format!("q-{}", q.id)`, `format!("q-{}-{a}", q.id)`.
        "q-",
        // Marketplaces and other sales channels: `format!("channel-{c}")` in `Tr::issue`,
        // `pages::shop`, `pages::markets`, `pages::merchants`, `pages::products`,
        // `pages::onboarding` and `pages::results::sales`.
        "channel-",
        // `pages::products`, the 상세페이지 templates: `format!("template-{id}")`.
        "template-",
        // `Stage::label_key` and `Stage::next_action_key` in `gachi_domain::onboarding`
        // (`stage-…`, `stage-next-…`), and `format!("stage-{}", c.stage)` in `onboarding.html`.
        "stage-",
        // Marketplace account settings: `format!("market-field-{}", f.name)` in `pages::markets`,
        // `pages::products` and `Tr::issue`.
        "market-field-",
        // `pages::products`, a submission's outcome: `format!("submission-{outcome}")`.
        "submission-",
        // `pages::results::dashboard`: `format!("kpi-{key}")` and `format!("funnel-{key}")`.
        "kpi-",
        "funnel-",
        // `pages::designers`: `format!("certificate-status-{}", status.as_str())`.
        "certificate-status-",
        // `pages::designers`: `format!("delegation-scope-{}", scope.code())`.
        "delegation-scope-",
        // `pages::designers`: `format!("skill-{}", skill.code())`.
        "skill-",
        // `pages::discovery`: sort orders, pick purposes, decisions and steps by their codes,
        // and the note after an action (`picks-done-{done}`).
        "discovery-sort-",
        "pick-purpose-",
        "pick-decision-",
        "pick-step-",
        "picks-done-",
        // `pages::expeditions`: attendance, marks, outcomes and notes by their codes.
        "event-attendance-",
        "event-mark-",
        "event-outcome-",
        "event-done-",
        // `pages::live`: weekdays, statuses, channels, call stages, criteria, form fields,
        // checklist items and the note after an action, by their codes.
        "live-weekday-",
        "live-status-",
        "live-channel-",
        "live-stage-",
        "live-application-",
        "live-criterion-",
        "live-field-",
        "live-checklist-",
        "live-done-",
        // `pages::community`: topics, article statuses and the note after an action; the
        // domain's badges (`community-badge-…`).
        "community-topic-",
        "community-article-",
        "community-done-",
        // `pages::community::notifications`: `format!("notification-{kind}")`.
        "notification-",
        // `pages::community`: flag reasons, `format!("community-flag-{}", reason.code())`.
        "community-flag-",
        "community-badge-",
    ];

    /// Every message is used somewhere: as a string literal (`"key"`) in a `.rs` file under
    /// `crates/` or in a template, or built from one of `DYNAMIC_PREFIXES`. A listing code's
    /// hint (`listing-…-hint`, built by `Tr::issue`) is used when its code is.
    #[test]
    fn every_message_is_used() {
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut sources = String::new();
        let mut folders = vec![crates.clone()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    if path.file_name().is_some_and(|n| n != "target") {
                        folders.push(path);
                    }
                } else if path.extension().is_some_and(|e| e == "rs") {
                    sources.push_str(&std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        for entry in std::fs::read_dir(crates.join("web/templates")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "html") {
                sources.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
        let unused: Vec<String> = message_ids(KO_FTL)
            .into_iter()
            .filter(|key| {
                let literal = match key.strip_suffix("-hint") {
                    Some(code) if code.starts_with("listing-") => code,
                    _ => key,
                };
                !DYNAMIC_PREFIXES.iter().any(|p| key.starts_with(p))
                    && !sources.contains(&format!("\"{literal}\""))
            })
            .collect();
        assert!(unused.is_empty(), "messages used nowhere: {unused:?}");
    }

    /// Keys built at run time (questions, answers, reasons, tracks, statuses) exist too.
    #[test]
    fn every_domain_key_has_a_message() {
        use gachi_domain::merchants::diagnosis::{QUESTIONS, Track};
        let ko = message_ids(KO_FTL);
        let mut keys: Vec<String> = Vec::new();
        for q in &QUESTIONS {
            keys.push(format!("q-{}", q.id));
            keys.extend(q.answers.iter().map(|(a, _)| format!("q-{}-{a}", q.id)));
        }
        keys.extend(Track::ALL.iter().map(|t| format!("track-{}", t.as_str())));
        keys.extend(
            gachi_domain::merchants::merchant::OnlineChannel::all()
                .map(|c| format!("channel-{}", c.as_str())),
        );
        keys.extend(
            gachi_domain::catalog::product::TEMPLATES
                .iter()
                .map(|t| format!("template-{t}")),
        );
        keys.extend(
            gachi_domain::merchants::merchant::MerchantStatus::ALL
                .iter()
                .map(|s| format!("status-{}", s.as_str())),
        );
        keys.extend(["reason-channel", "reason-managed", "reason-education"].map(String::from));
        keys.extend(
            gachi_domain::merchants::diagnosis::WEAKNESS_REASONS
                .iter()
                .map(|(_, key)| key.to_string()),
        );
        let missing: Vec<_> = keys.iter().filter(|k| !ko.contains(k)).collect();
        assert!(missing.is_empty(), "no message for {missing:?}");
    }

    /// Every listing rule an adapter reports has a message and a fix hint in both languages.
    #[test]
    fn every_listing_code_has_a_message_and_a_hint() {
        let (ko, en) = (message_ids(KO_FTL), message_ids(EN_FTL));
        for code in gachi_channels::listing::CODES {
            for key in [code.to_string(), format!("{code}-hint")] {
                assert!(ko.contains(&key) && en.contains(&key), "{key} missing");
            }
        }
        let issue = gachi_channels::Issue {
            channel: gachi_domain::kernel::channel::Channel::Coupang,
            field: "stock".into(),
            code: "listing-number-max",
            target: "items[].maximumBuyCount",
            limit: Some(99_999),
            detail: None,
            warning: false,
        };
        let text = Tr(Locale::Ko).issue(&issue);
        assert!(text.message.contains("99,999"), "{}", text.message);
        assert!(text.hint.is_some());
        assert_eq!(grouped(-1_234_567), "-1,234,567");
    }

    #[test]
    fn accept_language_picks_the_highest_supported() {
        assert_eq!(negotiate("en-US,en;q=0.9,ko;q=0.8"), Some(Locale::En));
        assert_eq!(negotiate("ja,ko;q=0.5,en;q=0.4"), Some(Locale::Ko));
        assert_eq!(negotiate("fr"), None);
    }

    #[test]
    fn arguments_are_filled_in() {
        assert!(
            Tr(Locale::En)
                .arg("home-welcome", "name", "Kim")
                .contains("Kim")
        );
        assert!(
            Tr(Locale::Ko)
                .arg("home-welcome", "name", "김사장")
                .contains("김사장")
        );
    }
}
