//! Segregation of duties (ISO/IEC 27001 Annex A 5.3) and the gaps in who holds which role: conflicts between
//! roles one person holds at the same time, roles that need a deputy but whose holder has none, and roles
//! nobody holds.
//!
//! Deputies count. A deputy steps into the role whenever its holder is away and then exercises its authority;
//! an internal auditor who deputises for the ISMS manager may end up auditing work they did themselves. So a
//! conflict is flagged when a person holds one role and deputises for the other (or deputises for both), and it
//! says so (`via_deputy`), because the remedy differs: naming another deputy is usually enough.

use super::ids::{CatalogueRoleId, SodRuleId, UserId};
use crate::clock::UnixTime;
use std::collections::HashMap;

/// A person holding a role now, as its holder or as a deputy of a current holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holding {
    pub user: UserId,
    pub role: CatalogueRoleId,
    /// Since when (the later of the appointment's start and the day the deputy was named).
    pub since: UnixTime,
    pub via_deputy: bool,
}

/// A pair of roles one person must not hold together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: SodRuleId,
    pub role_a: CatalogueRoleId,
    pub role_b: CatalogueRoleId,
}

/// A person who holds both roles of a rule now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict {
    pub rule: SodRuleId,
    pub user: UserId,
    pub role_a: CatalogueRoleId,
    pub role_b: CatalogueRoleId,
    /// Since when the person has held both.
    pub since: UnixTime,
    /// Whether at least one of the two is held only as a deputy.
    pub via_deputy: bool,
}

/// The two roles of a rule in the order the database keeps them (smaller id first), so a pair has one form.
pub fn ordered(a: CatalogueRoleId, b: CatalogueRoleId) -> (CatalogueRoleId, CatalogueRoleId) {
    if a <= b { (a, b) } else { (b, a) }
}

/// Each person's hold on each role, merged over the ways they hold it: since the earliest, and only "via
/// deputy" when every way is a deputyship (holding the role outranks deputising for it).
fn merged(holdings: &[Holding]) -> HashMap<(UserId, CatalogueRoleId), Holding> {
    let mut out: HashMap<(UserId, CatalogueRoleId), Holding> = HashMap::new();
    for h in holdings {
        out.entry((h.user, h.role))
            .and_modify(|m| {
                m.since = m.since.min(h.since);
                m.via_deputy &= h.via_deputy;
            })
            .or_insert(*h);
    }
    out
}

/// Every current conflict: for each rule, each person who holds both of its roles. Sorted by person, then rule.
pub fn conflicts(holdings: &[Holding], rules: &[Rule]) -> Vec<Conflict> {
    let best = merged(holdings);
    let mut by_role: HashMap<CatalogueRoleId, Vec<UserId>> = HashMap::new();
    for (user, role) in best.keys() {
        by_role.entry(*role).or_default().push(*user);
    }
    let mut out = Vec::new();
    for rule in rules {
        for user in by_role.get(&rule.role_a).into_iter().flatten() {
            if let (Some(a), Some(b)) = (best.get(&(*user, rule.role_a)), best.get(&(*user, rule.role_b))) {
                out.push(Conflict {
                    rule: rule.id,
                    user: *user,
                    role_a: rule.role_a,
                    role_b: rule.role_b,
                    since: a.since.max(b.since),
                    via_deputy: a.via_deputy || b.via_deputy,
                });
            }
        }
    }
    out.sort_by_key(|c| (c.user, c.rule));
    out
}

/// The roles (of `roles`) that nobody holds now as holder; deputies of nobody do not fill a role.
pub fn unfilled(roles: &[CatalogueRoleId], holdings: &[Holding]) -> Vec<CatalogueRoleId> {
    roles.iter().copied().filter(|role| !holdings.iter().any(|h| h.role == *role && !h.via_deputy)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUDITOR: CatalogueRoleId = CatalogueRoleId(7);
    const MANAGER: CatalogueRoleId = CatalogueRoleId(2);
    const CISO: CatalogueRoleId = CatalogueRoleId(1);

    fn held(user: i64, role: CatalogueRoleId, since: UnixTime, via_deputy: bool) -> Holding {
        Holding { user: UserId(user), role, since, via_deputy }
    }

    fn rules() -> Vec<Rule> {
        vec![
            Rule { id: SodRuleId(1), role_a: MANAGER, role_b: AUDITOR },
            Rule { id: SodRuleId(2), role_a: CISO, role_b: AUDITOR },
        ]
    }

    #[test]
    fn a_person_holding_both_roles_is_a_conflict_since_the_later_start() {
        let holdings = [held(5, AUDITOR, 100, false), held(5, MANAGER, 300, false), held(6, CISO, 50, false)];
        let found = conflicts(&holdings, &rules());
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].user, found[0].rule, found[0].since, found[0].via_deputy),
            (UserId(5), SodRuleId(1), 300, false)
        );
        assert!(conflicts(&holdings[..1], &rules()).is_empty());
    }

    #[test]
    fn deputising_counts_and_says_so_but_holding_outranks_it() {
        let deputy = [held(5, AUDITOR, 100, false), held(5, CISO, 200, true)];
        let found = conflicts(&deputy, &rules());
        assert_eq!(found.len(), 1);
        assert!(found[0].via_deputy);
        let both = [held(5, AUDITOR, 100, false), held(5, CISO, 200, true), held(5, CISO, 400, false)];
        let found = conflicts(&both, &rules());
        assert_eq!(found.len(), 1, "one conflict per person and rule");
        assert_eq!((found[0].since, found[0].via_deputy), (200, false), "since the deputyship, now held outright");
    }

    #[test]
    fn one_person_can_break_several_rules() {
        let holdings = [held(5, AUDITOR, 1, false), held(5, MANAGER, 2, false), held(5, CISO, 3, false)];
        let found: Vec<_> = conflicts(&holdings, &rules()).iter().map(|c| c.rule).collect();
        assert_eq!(found, vec![SodRuleId(1), SodRuleId(2)]);
    }

    #[test]
    fn a_role_is_filled_only_by_a_holder() {
        let holdings = [held(5, AUDITOR, 1, false), held(6, CISO, 1, true)];
        assert_eq!(unfilled(&[CISO, MANAGER, AUDITOR], &holdings), vec![CISO, MANAGER]);
        assert_eq!(ordered(AUDITOR, CISO), (CISO, AUDITOR));
    }
}
