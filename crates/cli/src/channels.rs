//! `gachi channels …`: what operators load about the marketplaces — category trees (in the
//! marketplace's own format), a category's metadata (Coupang), and the notice code tables 11st
//! and ESM do not publish. Each file is checked before anything is stored.

use std::path::{Path, PathBuf};

use crate::listing::parse_channel;
use anyhow::{Context as _, Result, bail};
use gachi_channels::listing::{CoupangCategoryMeta, NoticeCodes};
use gachi_domain::catalog::category::{Categories, CategoryError};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::ports::{Store, SystemClock};

#[derive(clap::Subcommand)]
pub enum ChannelsCommand {
    /// Load a marketplace's category tree (Naver's category list, Coupang's display-category
    /// tree or dump, 11st's category XML, or a code,path CSV); replaces the loaded tree.
    #[command(name = "import-categories")]
    Categories {
        #[arg(long, value_parser = parse_channel)]
        channel: Channel,
        file: PathBuf,
    },
    /// Load a category's metadata (Coupang's category-related-metas answer, whole or its data).
    #[command(name = "import-category-meta")]
    CategoryMeta {
        #[arg(long, value_parser = parse_channel)]
        channel: Channel,
        #[arg(long)]
        code: String,
        file: PathBuf,
    },
    /// Load a notice code table copied from the seller office (11st or ESM):
    /// {"source", "types": {"GENERAL_FOOD": {"group", "fields": {"foodType": "…"}}}}.
    #[command(name = "import-notice-codes")]
    NoticeCodes {
        #[arg(long, value_parser = parse_channel)]
        channel: Channel,
        file: PathBuf,
    },
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn refused(error: CategoryError) -> anyhow::Error {
    match error {
        CategoryError::NotFound => {
            anyhow::anyhow!("that category is not loaded: import the tree first")
        }
        other => anyhow::anyhow!(other.to_string()),
    }
}

pub async fn run(store: &dyn Store, command: ChannelsCommand) -> Result<()> {
    let categories = Categories {
        store,
        clock: &SystemClock,
    };
    let actor = Actor::system();
    match command {
        ChannelsCommand::Categories { channel, file } => {
            let rows = gachi_channels::categories::parse(channel, &read(&file)?)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let rows: Vec<(String, String)> = rows.into_iter().map(|r| (r.code, r.path)).collect();
            let loaded = categories
                .load_tree(&actor, channel, &rows)
                .await
                .map_err(refused)?;
            println!("loaded {loaded} {} categories", channel.code());
        }
        ChannelsCommand::CategoryMeta {
            channel,
            code,
            file,
        } => {
            if channel != Channel::Coupang {
                bail!("only Coupang publishes category metadata");
            }
            let value: serde_json::Value = serde_json::from_str(&read(&file)?)
                .with_context(|| format!("{} is not JSON", file.display()))?;
            let data = value.get("data").cloned().unwrap_or(value);
            serde_json::from_value::<CoupangCategoryMeta>(data.clone())
                .with_context(|| format!("{} is not Coupang category metadata", file.display()))?;
            categories
                .load_meta(&actor, channel, &code, &data.to_string())
                .await
                .map_err(refused)?;
            println!("loaded the metadata of {} category {code}", channel.code());
        }
        ChannelsCommand::NoticeCodes { channel, file } => {
            if !matches!(channel, Channel::ElevenSt | Channel::Esm) {
                bail!("only 11st and ESM need notice code tables");
            }
            let text = read(&file)?;
            let codes: NoticeCodes = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a notice code table", file.display()))?;
            categories
                .load_table(&actor, channel, "notice_codes", &text)
                .await
                .map_err(refused)?;
            println!(
                "loaded {} notice codes for {} types",
                channel.code(),
                codes.types.len()
            );
        }
    }
    Ok(())
}
