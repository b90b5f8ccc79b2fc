//! The domain's `Marketplaces` port, implemented by the adapters: each marketplace's
//! settings-and-keys schema (what its seller center issues), readiness (the catalog's common
//! checks joined with the marketplace's own rules), and publishing and review read-back
//! through one `Submitter` per marketplace, so a marketplace's pace holds across every request
//! of the server and a shop's Naver token serves all its calls.

use std::collections::BTreeMap;

use async_trait::async_trait;
use gachi_domain::catalog::product::ProductFile;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::marketplaces::{
    AccountField, Issue, KnownPhotos, Marketplaces, ReviewStatus, SellerSetup, Submission,
};
use serde_json::{Map, Value};

use crate::listing::{Context, SellerSettings};
use crate::submit::{Credentials, SubmitConfig, Submitter};

const fn setting(name: &'static str) -> AccountField {
    AccountField {
        name,
        secret: false,
        number: false,
    }
}

const fn number(name: &'static str) -> AccountField {
    AccountField {
        name,
        secret: false,
        number: true,
    }
}

const fn key(name: &'static str) -> AccountField {
    AccountField {
        name,
        secret: true,
        number: false,
    }
}

const NAVER: &[AccountField] = &[
    key("client_id"),
    key("client_secret"),
    number("shipping_address_id"),
    number("return_address_id"),
];

const COUPANG: &[AccountField] = &[
    setting("vendor_id"),
    setting("vendor_user_id"),
    key("access_key"),
    key("secret_key"),
    setting("return_center_code"),
    setting("return_charge_name"),
    setting("company_contact_number"),
    setting("return_zip_code"),
    setting("return_address"),
    setting("return_address_detail"),
    setting("outbound_shipping_place_code"),
];

const ELEVENST: &[AccountField] = &[
    key("api_key"),
    setting("outbound_address_seq"),
    setting("inbound_address_seq"),
];

const ESM: &[AccountField] = &[
    key("master_id"),
    key("secret_key"),
    key("gmarket_seller_id"),
    key("auction_seller_id"),
    setting("place_no"),
    setting("dispatch_policy_gmarket"),
    setting("dispatch_policy_auction"),
    setting("return_address_no"),
    setting("courier_company_no"),
];

/// The settings from `channel`'s seller center and the API keys it issues, in form order.
pub fn account_fields(channel: Channel) -> &'static [AccountField] {
    match channel {
        Channel::Naver => NAVER,
        Channel::Coupang => COUPANG,
        Channel::ElevenSt => ELEVENST,
        Channel::Esm => ESM,
    }
}

/// An account's settings as the adapters read them: numbers where the marketplace's API wants
/// a number (Naver's address-book ids), text otherwise.
fn settings_json(
    channel: Channel,
    settings: &gachi_domain::listing::market_account::SellerSettings,
) -> Map<String, Value> {
    settings
        .iter()
        .map(|(name, value)| {
            let number = account_fields(channel)
                .iter()
                .any(|f| f.name == name && f.number);
            let json = match value.parse::<i64>() {
                Ok(n) if number => Value::from(n),
                _ => Value::from(value.as_str()),
            };
            (name.clone(), json)
        })
        .collect()
}

/// The compile context of a shop's setup: its seller settings, the notice code tables and the
/// Coupang category metadata it was given. Tables that cannot be read count as not loaded.
pub fn context(setup: &SellerSetup) -> Context {
    let mut settings = Map::new();
    for account in &setup.accounts {
        settings.insert(
            account.channel.code().to_owned(),
            Value::Object(settings_json(account.channel, &account.settings)),
        );
    }
    let mut context = Context::now();
    context.seller =
        serde_json::from_value::<SellerSettings>(Value::Object(settings)).unwrap_or_default();
    let table = |channel: Channel| {
        setup
            .notice_codes
            .get(&channel)
            .and_then(|body| serde_json::from_str(body).ok())
            .unwrap_or_default()
    };
    context.elevenst_notice_codes = table(Channel::ElevenSt);
    context.esm_notice_codes = table(Channel::Esm);
    for (code, meta) in &setup.coupang_meta {
        if let Ok(meta) = serde_json::from_str(meta) {
            context.coupang_meta.insert(code.clone(), meta);
        }
    }
    context
}

/// The keys of a shop's setup as the submitter signs with them. Coupang signs with the vendor
/// id from the settings, so it joins the keys here.
pub fn credentials(setup: &SellerSetup) -> Credentials {
    let mut keys = Map::new();
    for (channel, entered) in &setup.keys {
        let mut channel_keys: Map<String, Value> = entered
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        if *channel == Channel::Coupang
            && let Some(vendor) = setup
                .accounts
                .iter()
                .find(|a| a.channel == Channel::Coupang)
                .and_then(|a| a.settings.get("vendor_id"))
        {
            channel_keys.insert("vendor_id".into(), Value::from(vendor.as_str()));
        }
        keys.insert(channel.code().to_owned(), Value::Object(channel_keys));
    }
    serde_json::from_value::<Credentials>(Value::Object(keys)).unwrap_or_default()
}

/// The marketplaces through their adapters, one submitter each.
pub struct Markets {
    submitters: BTreeMap<Channel, Submitter>,
}

impl Markets {
    /// Production APIs, except the marketplaces given another root in `base_urls` (a contract
    /// server, a staging gateway).
    pub fn new(base_urls: &BTreeMap<Channel, String>) -> Self {
        let submitters = Channel::ALL
            .into_iter()
            .map(|channel| {
                let mut config = SubmitConfig::production(channel);
                if let Some(url) = base_urls.get(&channel) {
                    config.base_url = url.clone();
                }
                (channel, Submitter::new(channel, config))
            })
            .collect();
        Self { submitters }
    }

    fn submitter(&self, channel: Channel) -> &Submitter {
        &self.submitters[&channel]
    }
}

#[async_trait]
impl Marketplaces for Markets {
    fn account_fields(&self, channel: Channel) -> &'static [AccountField] {
        account_fields(channel)
    }

    fn readiness(&self, channel: Channel, file: &ProductFile, setup: &SellerSetup) -> Vec<Issue> {
        crate::listing::readiness(channel, file, &context(setup))
    }

    fn compile(
        &self,
        channel: Channel,
        file: &ProductFile,
        setup: &SellerSetup,
    ) -> Result<Vec<u8>, Vec<Issue>> {
        let mut body = Vec::new();
        crate::listing::compile(channel, file, &context(setup), &mut body)?;
        Ok(body)
    }

    fn photos_to_host(&self, channel: Channel, file: &ProductFile) -> Vec<String> {
        crate::hosting::photos_to_host(channel, file)
    }

    fn host_account(&self, channel: Channel, setup: &SellerSetup) -> Option<String> {
        credentials(setup).host_account(channel).map(str::to_owned)
    }

    async fn publish(
        &self,
        channel: Channel,
        file: &ProductFile,
        setup: &SellerSetup,
        photos: KnownPhotos<'_>,
    ) -> Result<Submission, Vec<Issue>> {
        self.submitter(channel)
            .publish(file, &context(setup), &credentials(setup), photos)
            .await
    }

    async fn review_status(
        &self,
        channel: Channel,
        marketplace_product_id: &str,
        setup: &SellerSetup,
    ) -> Result<ReviewStatus, String> {
        self.submitter(channel)
            .status(marketplace_product_id, &credentials(setup))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gachi_domain::kernel::time::Timestamp;
    use gachi_domain::listing::market_account::ChannelAccount;

    fn account(channel: Channel, settings: &[(&str, &str)]) -> ChannelAccount {
        ChannelAccount {
            channel,
            settings: settings
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            sealed_credentials: None,
            updated_at: Timestamp::from_unix_ms(0),
            keys_saved_at: None,
        }
    }

    #[test]
    fn every_marketplace_asks_for_keys_and_names_each_field_once() {
        for channel in Channel::ALL {
            let fields = account_fields(channel);
            assert!(fields.iter().any(|f| f.secret), "{channel} has keys");
            let mut names: Vec<_> = fields.iter().map(|f| f.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), fields.len(), "{channel}");
        }
    }

    #[test]
    fn coupang_signs_with_the_vendor_id_from_the_settings() {
        let mut setup = SellerSetup {
            accounts: vec![account(Channel::Coupang, &[("vendor_id", "A00012345")])],
            ..SellerSetup::default()
        };
        setup.keys.insert(
            Channel::Coupang,
            [("access_key", "ak"), ("secret_key", "sk")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .into(),
        );
        let keys = credentials(&setup);
        assert_eq!(keys.coupang.unwrap().vendor_id, "A00012345");
        assert!(keys.naver.is_none());
    }

    #[test]
    fn the_context_carries_the_stored_settings_and_tables() {
        let setup = SellerSetup {
            accounts: vec![account(Channel::Naver, &[("shipping_address_id", "42")])],
            ..SellerSetup::default()
        };
        assert_eq!(context(&setup).seller.naver.shipping_address_id, Some(42));
        let coupang = SellerSetup {
            accounts: vec![account(Channel::Coupang, &[("return_zip_code", "04524")])],
            ..SellerSetup::default()
        };
        assert_eq!(
            context(&coupang).seller.coupang.return_zip_code,
            "04524",
            "a code of digits stays text where the marketplace wants text"
        );
    }
}
