//! `gachi designers match [--sido CODE] [--dry-run]`: the optimal assignment of `managed`-track
//! merchants without a designer or an open proposal to certified designers with places free,
//! printed with why each pair and why each merchant left over. Without `--dry-run` each new pair
//! becomes a proposal the shop's owner and the designer answer on their 설계사 위임 page; a
//! delegation starts when both accept.

use anyhow::Result;
use clap::Subcommand;
use gachi_domain::designers::matching_run::Matchings;
use gachi_domain::kernel::audit::Actor;
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
        /// Print the matching without sending proposals.
        #[arg(long)]
        dry_run: bool,
    },
}

pub async fn run_match(store: &dyn Store, sido: Option<&str>, dry_run: bool, t: Tr) -> Result<()> {
    let sido = match sido.map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => Some(
            RegionCode::parse(code, "sido")
                .map_err(|_| anyhow::anyhow!("--sido {code}: not a region code"))?
                .sido(),
        ),
        None => None,
    };
    let matchings = Matchings {
        store,
        clock: &SystemClock,
    };
    let (proposal, sent) = if dry_run {
        (matchings.propose_as_system(sido.as_ref()).await, None)
    } else {
        match matchings.send_as(&Actor::system(), sido.as_ref()).await {
            Ok((run, sent)) => (Ok(run), Some(sent)),
            Err(e) => (Err(e), None),
        }
    };
    let proposal = proposal.map_err(|e| anyhow::anyhow!(e.to_string()))?;
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
    let what = match sent {
        None => "dry run: nothing was sent".to_owned(),
        Some(n) => format!("{n} proposals sent to both sides"),
    };
    println!(
        "proposed {}, left over {}, total cost {} ({what})",
        proposal.matching.assignments.len(),
        proposal.matching.unassigned.len(),
        proposal.matching.total_cost
    );
    Ok(())
}
