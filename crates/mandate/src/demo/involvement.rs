//! The demo's log of personal involvement, which differs clearly between the two top managers: the CEO visits
//! depots, joins the internal audit, speaks at the town hall and sponsors the phishing programme, mostly logging
//! it himself; the CFO did a few things early in the year, some logged by the ISMS manager on her behalf, and
//! nothing in the last eight months — the gap a façade detector should find. Generated organisations repeat the
//! year once per unit of scale, a few days apart.

use super::DemoOrg;
use crate::context::Ctx;
use crate::db::Tx;
use crate::db::phishing::SimulationRow;
use crate::domain::ids::UserId;
use crate::domain::involvement::Kind;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::involvement::{self, InvolvementInput, Recorder};

/// Who the entry is about and who logs it.
#[derive(Clone, Copy)]
enum Who {
    Ceo,
    CeoByCiso,
    Cfo,
    CfoByCiso,
}

/// (day of the history, who, kind, place, notes, the n-th phishing simulation it belongs to).
type Entry = (i64, Who, Kind, &'static str, &'static str, Option<usize>);

const ENTRIES: &[Entry] = &[
    (
        12,
        Who::Ceo,
        Kind::SponsoredCampaign,
        "Head office",
        "Launched the phishing awareness programme in the all-hands mail.",
        Some(0),
    ),
    (
        18,
        Who::Cfo,
        Kind::OpenedTraining,
        "Finance floor",
        "Opened the payment-fraud awareness session for Finance.",
        None,
    ),
    (
        34,
        Who::Ceo,
        Kind::WorkplaceVisit,
        "Rotterdam depot",
        "Walked the loading bays with the site lead; asked about badge sharing at the gate.",
        None,
    ),
    (
        55,
        Who::CfoByCiso,
        Kind::ChairedReview,
        "Board room",
        "Chaired the quarterly ISMS review in the CEO's absence.",
        None,
    ),
    (
        71,
        Who::Ceo,
        Kind::SpokeAboutSecurity,
        "Town hall",
        "Spoke about the first phishing results and thanked those who reported.",
        None,
    ),
    (
        88,
        Who::CfoByCiso,
        Kind::WorkplaceVisit,
        "Customer Service",
        "Sat in on the call-back procedure for bank-detail changes.",
        None,
    ),
    (97, Who::Ceo, Kind::SponsoredCampaign, "Head office", "Approved and announced the second simulation.", Some(1)),
    (
        118,
        Who::Ceo,
        Kind::WorkplaceVisit,
        "Antwerp cross-dock",
        "Night-shift visit; followed up on the unlocked server cabinet.",
        None,
    ),
    (
        140,
        Who::CeoByCiso,
        Kind::LedImprovement,
        "Head office",
        "Led the steering meeting of the visitor-management project.",
        None,
    ),
    (163, Who::Ceo, Kind::ChairedReview, "Board room", "Chaired the half-year ISMS review.", None),
    (201, Who::Ceo, Kind::JoinedAudit, "Warehouse", "Joined the internal audit of access control for a morning.", None),
    (
        215,
        Who::Ceo,
        Kind::SponsoredCampaign,
        "Head office",
        "Sponsored the third simulation; asked for results per department.",
        Some(2),
    ),
    (
        244,
        Who::Ceo,
        Kind::SpokeAboutSecurity,
        "Town hall",
        "Presented the falling click rate and the new report button.",
        None,
    ),
    (
        270,
        Who::CeoByCiso,
        Kind::WorkplaceVisit,
        "Transport office",
        "Reviewed how drivers' tablets are locked overnight.",
        None,
    ),
    (302, Who::Ceo, Kind::OpenedTraining, "Training room", "Opened the security champions' training.", None),
    (
        333,
        Who::Ceo,
        Kind::LedImprovement,
        "Board room",
        "Asked for the stalled half-year review's open input to be settled before the next review.",
        None,
    ),
    (352, Who::Ceo, Kind::WorkplaceVisit, "Rotterdam depot", "Checked the fixes from the spring visit.", None),
];

/// Logs the year's entries (`scale` times over).
pub async fn seed(ctx: &Ctx<'_>, tx: &mut Tx, demo: &DemoOrg, simulations: &[SimulationRow]) -> Result<(), AppError> {
    let today = (demo.now - demo.start) / 86_400;
    for copy in 0..demo.scale as i64 {
        for (day, who, kind, place, notes, simulation) in ENTRIES {
            let day = (*day + copy % 7).min(today);
            let (manager, by, role): (UserId, UserId, Role) = match who {
                Who::Ceo => (demo.ceo, demo.ceo, Role::TopManagement),
                Who::CeoByCiso => (demo.ceo, demo.ciso, Role::IsmsManager),
                Who::Cfo => (demo.cfo, demo.cfo, Role::TopManagement),
                Who::CfoByCiso => (demo.cfo, demo.ciso, Role::IsmsManager),
            };
            let record =
                simulation.and_then(|n| simulations.get(n)).map(|s| ("phishing_simulation".to_string(), s.id.0));
            let input = InvolvementInput {
                manager,
                kind: *kind,
                occurred_on: demo.day(day),
                place: (*place).into(),
                notes: (*notes).into(),
                record,
            };
            // Logged the same afternoon.
            let at = demo.day(day) + 7 * 3600;
            involvement::record_in(&demo.ctx(ctx, by, at), tx, demo.org, Recorder { user: by, role }, &input).await?;
        }
    }
    Ok(())
}
