//! A shop's marketplace accounts as people fill them: per marketplace the fields its seller
//! center issues (the schema comes from the `Marketplaces` port), the settings stored as typed,
//! and keys sealed before they reach the store — never read back, only "saved, and when".

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::accounts::User;
use crate::kernel::audit::Actor;
use crate::kernel::channel::Channel;
use crate::kernel::time::Timestamp;
use crate::listing::market_account::{ChannelAccount, MarketAccountError};
use crate::listing::marketplaces::AccountField;
use crate::listing::publishing::Listing;
use crate::merchants::merchant::MerchantId;

/// One marketplace account as the settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub channel: Channel,
    pub fields: &'static [AccountField],
    /// The stored settings as text, by field name (keys are never here).
    pub settings: BTreeMap<String, String>,
    pub keys_saved: bool,
    pub updated_at: Option<Timestamp>,
}

/// The stored settings of `account` as text by field name.
fn settings_text(account: Option<&ChannelAccount>) -> BTreeMap<String, String> {
    account
        .and_then(|a| serde_json::from_str::<Map<String, Value>>(&a.settings).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| {
            let text = match value {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (name, text)
        })
        .collect()
}

/// The settings typed for `fields` as stored (numbers where the marketplace wants them; empty
/// inputs left out), and the keys typed, when any was (none typed keeps the stored keys).
fn split_typed(
    fields: &[AccountField],
    typed: &BTreeMap<String, String>,
) -> (String, Option<String>) {
    let mut settings = Map::new();
    let mut keys = Map::new();
    for field in fields {
        let value = typed.get(field.name).map(|v| v.trim()).unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        if field.secret {
            keys.insert(field.name.to_owned(), Value::from(value));
            continue;
        }
        let json = match value.parse::<i64>() {
            Ok(n) if field.number => Value::from(n),
            _ => Value::from(value),
        };
        settings.insert(field.name.to_owned(), json);
    }
    (
        Value::Object(settings).to_string(),
        (!keys.is_empty()).then(|| Value::Object(keys).to_string()),
    )
}

impl Listing<'_> {
    /// Whether keys can be saved at all (a server key to seal them is configured).
    pub fn can_seal(&self) -> bool {
        self.sealer.is_some()
    }

    /// Every marketplace's account of `merchant`, saved or not, in marketplace order.
    pub async fn seller_accounts(
        &self,
        user: &User,
        merchant: MerchantId,
    ) -> Result<Vec<AccountView>, MarketAccountError> {
        let stored = self.market_accounts().accounts(user, merchant).await?;
        Ok(Channel::ALL
            .into_iter()
            .map(|channel| {
                let account = stored.iter().find(|a| a.channel == channel);
                AccountView {
                    channel,
                    fields: self.marketplaces.account_fields(channel),
                    settings: settings_text(account),
                    keys_saved: account.is_some_and(|a| a.sealed_credentials.is_some()),
                    updated_at: account.map(|a| a.updated_at),
                }
            })
            .collect())
    }

    /// Saves `channel`'s settings as typed, and its keys (sealed first) when any were typed.
    /// Keys typed on a server without a sealing key are refused (`market_accounts.keys`).
    pub async fn save_seller_account(
        &self,
        user: &User,
        actor: &Actor,
        merchant: MerchantId,
        channel: Channel,
        typed: &BTreeMap<String, String>,
    ) -> Result<(), MarketAccountError> {
        let (settings, keys) = split_typed(self.marketplaces.account_fields(channel), typed);
        let sealed = match (keys, self.sealer) {
            (Some(keys), Some(sealer)) => Some(sealer.seal(keys.as_bytes())),
            (Some(_), None) => return Err(MarketAccountError::CannotSeal),
            (None, _) => None,
        };
        self.market_accounts()
            .save(user, actor, merchant, channel, &settings, sealed.as_deref())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[AccountField] = &[
        AccountField {
            name: "client_id",
            secret: true,
            number: false,
        },
        AccountField {
            name: "address_id",
            secret: false,
            number: true,
        },
        AccountField {
            name: "code",
            secret: false,
            number: false,
        },
    ];

    fn typed(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn settings_and_keys_are_kept_apart_and_numbers_stay_numbers() {
        let (settings, keys) = split_typed(
            FIELDS,
            &typed(&[
                ("client_id", " id-1 "),
                ("address_id", "42"),
                ("code", "007"),
                ("other", "x"),
            ]),
        );
        assert_eq!(settings, r#"{"address_id":42,"code":"007"}"#);
        assert_eq!(keys.as_deref(), Some(r#"{"client_id":"id-1"}"#));
        let (settings, keys) = split_typed(FIELDS, &typed(&[("code", " "), ("client_id", "")]));
        assert_eq!((settings.as_str(), keys), ("{}", None));
    }
}
