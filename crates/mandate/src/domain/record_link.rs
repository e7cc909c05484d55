//! Where a record is shown: the page of each record type other records (evidence, findings, the index) point at.

/// The page of `record_type` `id`, when the record type has a page of its own. Policy versions are shown under
/// their policy, and their page address uses the version number, so they link to the policy.
pub fn url(record_type: &str, id: i64) -> Option<String> {
    let base = match record_type {
        "objective" => "/objectives",
        "isms_role" => "/roles",
        "appointment" => "/appointments",
        "isms_process" => "/raci",
        "policy" => "/policies",
        "resource_commitment" => "/resources",
        "communication_plan_entry" => "/communication/plan",
        "training_campaign" => "/training",
        "phishing_simulation" => "/phishing",
        "involvement" => "/involvement",
        "meeting" => "/meetings",
        "decision" => "/decisions",
        "action" => "/actions",
        "management_review" => "/reviews",
        _ => return None,
    };
    Some(format!("{base}/{id}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn records_with_pages_link_to_them_and_others_to_nothing() {
        assert_eq!(super::url("meeting", 7).as_deref(), Some("/meetings/7"));
        assert_eq!(super::url("ledger", 7), None);
    }
}
