//! A merchant's marketplace accounts as the web layer handles them: which settings and keys each
//! marketplace needs (one table drives the form, the storage format and the adapters' inputs),
//! sealing keys on the way in, and loading a merchant's compile `Context` and submit
//! `Credentials` (unsealed only in memory, only to sign a request).

use std::collections::BTreeMap;

use gachi_channels::Context;
use gachi_channels::listing::{NoticeCodes, SellerSettings};
use gachi_channels::submit::Credentials;
use gachi_domain::kernel::secret::SecretBox;
use gachi_domain::listing::market_account::ChannelAccount;
use gachi_domain::merchants::merchant::MerchantId;
use gachi_domain::ports::StoreError;
use serde_json::{Map, Value};

use crate::AppState;

/// One input of a marketplace account.
pub struct Field {
    pub name: &'static str,
    /// A key: sealed at rest, never shown again after entry.
    pub secret: bool,
    /// A number in the adapter's settings (Naver address-book ids).
    pub number: bool,
}

const fn setting(name: &'static str) -> Field {
    Field {
        name,
        secret: false,
        number: false,
    }
}

const fn key(name: &'static str) -> Field {
    Field {
        name,
        secret: true,
        number: false,
    }
}

/// Per marketplace (in `CHANNELS` order), the settings from its seller center and the API keys.
pub const FIELDS: &[(&str, &[Field])] = &[
    (
        "naver",
        &[
            key("client_id"),
            key("client_secret"),
            Field {
                name: "shipping_address_id",
                secret: false,
                number: true,
            },
            Field {
                name: "return_address_id",
                secret: false,
                number: true,
            },
        ],
    ),
    (
        "coupang",
        &[
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
        ],
    ),
    (
        "11st",
        &[
            key("api_key"),
            setting("outbound_address_seq"),
            setting("inbound_address_seq"),
        ],
    ),
    (
        "esm",
        &[
            key("master_id"),
            key("secret_key"),
            key("gmarket_seller_id"),
            key("auction_seller_id"),
            setting("place_no"),
            setting("dispatch_policy_gmarket"),
            setting("dispatch_policy_auction"),
            setting("return_address_no"),
            setting("courier_company_no"),
        ],
    ),
];

pub fn fields(channel: &str) -> &'static [Field] {
    FIELDS
        .iter()
        .find(|(c, _)| *c == channel)
        .map(|(_, f)| *f)
        .unwrap_or_default()
}

/// The settings typed for `channel` as the JSON stored (strings; numbers where the adapter
/// wants them; empty inputs left out).
pub fn settings_json(channel: &str, typed: &BTreeMap<String, String>) -> String {
    let mut map = Map::new();
    for field in fields(channel).iter().filter(|f| !f.secret) {
        let value = typed.get(field.name).map(|v| v.trim()).unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        let json = match value.parse::<i64>() {
            Ok(n) if field.number => Value::from(n),
            _ => Value::from(value),
        };
        map.insert(field.name.to_owned(), json);
    }
    Value::Object(map).to_string()
}

/// The keys typed for `channel`, as JSON, when any was typed (empty means "keep the stored").
pub fn keys_json(channel: &str, typed: &BTreeMap<String, String>) -> Option<String> {
    let mut map = Map::new();
    for field in fields(channel).iter().filter(|f| f.secret) {
        let value = typed.get(field.name).map(|v| v.trim()).unwrap_or_default();
        if !value.is_empty() {
            map.insert(field.name.to_owned(), Value::from(value));
        }
    }
    (!map.is_empty()).then(|| Value::Object(map).to_string())
}

/// The settings stored with an account (its JSON object), empty when there are none.
pub fn stored_settings(account: Option<&ChannelAccount>) -> Map<String, Value> {
    account
        .and_then(|a| serde_json::from_str::<Value>(&a.settings).ok())
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default()
}

/// What a merchant's stored accounts give the adapters.
pub struct Loaded {
    pub context: Context,
    pub credentials: Credentials,
}

/// The notice code tables operators loaded (11st, ESM): the same for every shop.
#[derive(Debug, Clone, Default)]
pub struct NoticeTables {
    pub elevenst: NoticeCodes,
    pub esm: NoticeCodes,
}

/// Reads the notice code tables; a table not loaded (or unreadable) is empty.
pub async fn notice_tables(state: &AppState) -> Result<NoticeTables, StoreError> {
    let mut tables = NoticeTables::default();
    for (channel, table) in [("11st", &mut tables.elevenst), ("esm", &mut tables.esm)] {
        if let Some(body) = state.store().channel_table(channel, "notice_codes").await?
            && let Ok(codes) = serde_json::from_str(&body)
        {
            *table = codes;
        }
    }
    Ok(tables)
}

/// The compile context and the (unsealed, in memory) keys of `merchant`, with the notice code
/// tables operators loaded.
pub async fn load(state: &AppState, merchant: MerchantId) -> Result<Loaded, StoreError> {
    let tables = notice_tables(state).await?;
    load_with(state, merchant, &tables).await
}

/// `load` with the notice code tables already read (a bulk job reads them once).
pub async fn load_with(
    state: &AppState,
    merchant: MerchantId,
    tables: &NoticeTables,
) -> Result<Loaded, StoreError> {
    let accounts = state.store().channel_accounts(merchant).await?;
    let mut loaded = from_accounts(&accounts, state.config().secret_box.as_ref());
    loaded.context.elevenst_notice_codes = tables.elevenst.clone();
    loaded.context.esm_notice_codes = tables.esm.clone();
    Ok(loaded)
}

/// The (unsealed, in memory) keys of `merchant` alone: what asking a marketplace about a
/// listed product needs, without the compile context's tables.
pub async fn credentials(
    state: &AppState,
    merchant: MerchantId,
) -> Result<Credentials, StoreError> {
    let accounts = state.store().channel_accounts(merchant).await?;
    Ok(from_accounts(&accounts, state.config().secret_box.as_ref()).credentials)
}

/// Adds the loaded Coupang metadata of `file`'s Coupang category to `context`.
pub async fn add_category_meta(
    state: &AppState,
    context: &mut Context,
    file: &gachi_domain::catalog::product::ProductFile,
) -> Result<(), StoreError> {
    let Some(Some(code)) = file.channel_categories.get("coupang") else {
        return Ok(());
    };
    let code = code.trim();
    if code.is_empty() || context.coupang_meta.contains_key(code) {
        return Ok(());
    }
    if let Some(meta) = state.store().category_meta("coupang", code).await?
        && let Ok(meta) = serde_json::from_str(&meta)
    {
        context.coupang_meta.insert(code.to_owned(), meta);
    }
    Ok(())
}

/// Builds the context and keys from stored accounts; keys that cannot be opened (another
/// server key) are treated as missing.
pub fn from_accounts(accounts: &[ChannelAccount], sealer: Option<&SecretBox>) -> Loaded {
    let mut settings = Map::new();
    let mut keys = Map::new();
    for account in accounts {
        let stored = stored_settings(Some(account));
        let mut channel_keys = account
            .sealed_credentials
            .as_deref()
            .zip(sealer)
            .and_then(|(sealed, sealer)| sealer.open(sealed))
            .and_then(|plain| serde_json::from_slice::<Value>(&plain).ok())
            .and_then(|v| v.as_object().cloned());
        // Coupang signs requests with the vendor id from the settings.
        if let (Some(k), Some(vendor)) = (channel_keys.as_mut(), stored.get("vendor_id"))
            && account.channel == "coupang"
        {
            k.insert("vendor_id".into(), vendor.clone());
        }
        if let Some(k) = channel_keys {
            keys.insert(account.channel.clone(), Value::Object(k));
        }
        settings.insert(account.channel.clone(), Value::Object(stored));
    }
    let mut context = Context::now();
    context.seller =
        serde_json::from_value::<SellerSettings>(Value::Object(settings)).unwrap_or_default();
    let credentials =
        serde_json::from_value::<Credentials>(Value::Object(keys)).unwrap_or_default();
    Loaded {
        context,
        credentials,
    }
}
