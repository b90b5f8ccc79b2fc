//! `gachi designers match [--sido CODE] [--dry-run]`: the optimal assignment of `managed`-track
//! merchants without a designer to certified designers with places free, printed with why each
//! pair and why each merchant left over. Proposals are not sent to anyone yet, so only a dry run
//! is possible: a merchant acts on a proposal by delegating to the designer.

use anyhow::{Result, bail};
use clap::Subcommand;
use gachi_domain::designers::matching_run::Matchings;
use gachi_domain::kernel::region::RegionCode;
use gachi_domain::ports::{Store, SystemClock};
use gachi_web::i18n::Tr;

#[derive(Subcommand)]
pub enum DesignersCommand {
    /// Compute the optimal matching of managed-track merchants to certified designers.
    Match {
        /// A 2-digit 시도 code (e.g. 52 for 전북); without it, nationally.
        #[arg(long)]
        sido: Option<String>,
        /// Print the proposals without sending them (the only mode built yet).
        #[arg(long)]
        dry_run: bool,
    },
}

pub async fn run_match(store: &dyn Store, sido: Option<&str>, dry_run: bool, t: Tr) -> Result<()> {
    if !dry_run {
        bail!("sending matching proposals is not built yet; run with --dry-run to see them");
    }
    let sido = match sido.map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => Some(
            RegionCode::parse(code, "sido")
                .map_err(|_| anyhow::anyhow!("--sido {code}: not a region code"))?
                .sido(),
        ),
        None => None,
    };
    let proposal = Matchings {
        store,
        clock: &SystemClock,
    }
    .propose_as_system(sido.as_ref())
    .await
    .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    let name = |names: &std::collections::BTreeMap<i64, String>, id: i64| {
        names.get(&id).cloned().unwrap_or_default()
    };
    for a in &proposal.matching.assignments {
        println!(
            "{}\t→ {}\t{}",
            name(&proposal.merchant_names, a.merchant),
            name(&proposal.designer_names, a.designer),
            gachi_web::pages::designers::matching_reasons(t, &a.reasons)
        );
    }
    for (merchant, why) in &proposal.matching.unassigned {
        println!(
            "{}\t✗ {}",
            name(&proposal.merchant_names, *merchant),
            t.get(why.key())
        );
    }
    println!(
        "proposed {}, left over {}, total cost {} (dry run: nothing was sent)",
        proposal.matching.assignments.len(),
        proposal.matching.unassigned.len(),
        proposal.matching.total_cost
    );
    Ok(())
}
