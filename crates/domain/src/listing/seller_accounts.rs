//! A shop's marketplace accounts as people fill them: per marketplace the fields its seller
//! center issues (the schema comes from the `Marketplaces` port), the settings stored as typed,
//! and keys sealed before they reach the store — never read back, only "saved, and when".

use std::collections::BTreeMap;

use crate::accounts::User;
use crate::kernel::audit::Actor;
use crate::kernel::channel::Channel;
use crate::kernel::error::FieldError;
use crate::kernel::time::Timestamp;
use crate::listing::market_account::{MarketAccountError, SellerSettings};
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

/// The settings typed for `fields` (empty inputs left out; a number field must be a whole
/// number), and the keys typed as JSON to seal, when any was (none typed keeps the stored keys).
fn split_typed(
    fields: &[AccountField],
    typed: &BTreeMap<String, String>,
) -> Result<(SellerSettings, Option<String>), FieldError> {
    let mut settings = SellerSettings::new();
    let mut keys = serde_json::Map::new();
    for field in fields {
        let value = typed.get(field.name).map(|v| v.trim()).unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        if field.secret {
            keys.insert(field.name.to_owned(), serde_json::Value::from(value));
            continue;
        }
        if field.number && value.parse::<i64>().is_err() {
            return Err(FieldError::new(field.name, "error-integer"));
        }
        settings.insert(field.name.to_owned(), value.to_owned());
    }
    Ok((
        settings,
        (!keys.is_empty()).then(|| serde_json::Value::Object(keys).to_string()),
    ))
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
                    settings: account.map(|a| a.settings.clone()).unwrap_or_default(),
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
        let (settings, keys) = split_typed(self.marketplaces.account_fields(channel), typed)
            .map_err(|e| MarketAccountError::Invalid(e.into()))?;
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
    fn settings_and_keys_are_kept_apart() {
        let (settings, keys) = split_typed(
            FIELDS,
            &typed(&[
                ("client_id", " id-1 "),
                ("address_id", "42"),
                ("code", "007"),
                ("other", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(settings, typed(&[("address_id", "42"), ("code", "007")]));
        assert_eq!(keys.as_deref(), Some(r#"{"client_id":"id-1"}"#));
        let (settings, keys) =
            split_typed(FIELDS, &typed(&[("code", " "), ("client_id", "")])).unwrap();
        assert!(settings.is_empty() && keys.is_none());
    }

    #[test]
    fn a_number_setting_must_be_a_number() {
        let error = split_typed(FIELDS, &typed(&[("address_id", "12a")])).unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.code),
            ("address_id", "error-integer")
        );
    }
}
