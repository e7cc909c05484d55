//! The inputs compiled from the meeting, resource and policy registers: improvement (9.3.2 g) with the façade
//! detectors' current findings, and resources and policy reviews as context.

use super::compile::{Compiled, Scope};
use crate::db::Conn;
use crate::db::review_sources as sources;
use crate::domain::leadership::review::InputKey;
use crate::domain::leadership::review_figures::{Figure, FigureRecord, percent, percent_text};
use crate::domain::objective::date_text;
use crate::domain::resource::money::show_money;
use crate::error::AppError;

/// Days ahead within which a policy review counts as due.
const POLICY_DUE_DAYS: i64 = 60;

/// g: decisions on improvement in the period, follow-through, and what the detectors find now.
pub async fn improvement(c: &mut Conn<'_>, scope: Scope) -> Result<Compiled, AppError> {
    let decisions: Vec<FigureRecord> = sources::improvement_decisions(c, scope.org, scope.period)
        .await?
        .into_iter()
        .map(|(id, text)| FigureRecord::new("decision", id, text))
        .collect();
    let (on_time, counted, imp_on_time, imp_counted) =
        sources::follow_through(c, scope.org, scope.period, scope.now).await?;
    // The findings that stand: dismissed ones were judged not to need management's attention.
    let findings = crate::leadership::current_findings(c, scope.org, scope.now).await?;
    let mut finding_records = Vec::new();
    for f in &findings {
        let first = f.records.first();
        finding_records.push(FigureRecord::new(
            first.map_or("organisation", |r| r.record_type),
            first.map_or(scope.org.0, |r| r.id),
            format!("{}: {}", f.detector.label(), f.title),
        ));
    }
    let summary = format!(
        "{} decisions on improvement in the period; follow-through of the period's meeting actions {}, of \
         improvement actions {}; {} current findings of the façade detectors.",
        decisions.len(),
        percent_text(on_time, counted),
        percent_text(imp_on_time, imp_counted),
        findings.len()
    );
    let figures = vec![
        Figure::count("improvement_decisions", "Decisions on improvement", decisions),
        Figure::new(
            "follow_through",
            "Follow-through of actions",
            percent_text(on_time, counted),
            share(on_time, counted),
        ),
        Figure::new(
            "improvement_follow_through",
            "Follow-through of improvement actions",
            percent_text(imp_on_time, imp_counted),
            share(imp_on_time, imp_counted),
        ),
        Figure::count("findings", "Current detector findings", finding_records),
    ];
    Ok(Compiled { key: InputKey::Improvement, summary, figures })
}

fn share(part: i64, whole: i64) -> Option<f64> {
    percent(part, whole).map(|p| p as f64)
}

/// Resources (7.1): approved against spent in the period, and commitments whose remainder was moved elsewhere.
pub async fn resources(c: &mut Conn<'_>, scope: Scope) -> Result<Compiled, AppError> {
    let approved = sources::approved(c, scope.org, scope.period).await?;
    let spent = sources::spent(c, scope.org, scope.period).await?;
    let redirected: Vec<FigureRecord> = sources::redirected(c, scope.org, scope.period)
        .await?
        .into_iter()
        .map(|(id, title)| FigureRecord::new("resource_commitment", id, title))
        .collect();
    let mut currencies: Vec<&str> =
        approved.iter().map(|a| a.2.as_str()).chain(spent.iter().map(|s| s.0.as_str())).collect();
    currencies.sort_unstable();
    currencies.dedup();
    let mut figures = Vec::new();
    let mut parts = Vec::new();
    for code in currencies {
        let approved_sum: i64 = approved.iter().filter(|a| a.2 == code).map(|a| a.3).sum();
        let spent_sum: i64 = spent.iter().filter(|s| s.0 == code).map(|s| s.1).sum();
        let records = approved
            .iter()
            .filter(|a| a.2 == code)
            .map(|a| FigureRecord::new("resource_commitment", a.0, format!("{}: {}", a.1, show_money(a.3, code))))
            .collect();
        let text = format!("{} approved, {} spent", show_money(approved_sum, code), show_money(spent_sum, code));
        parts.push(text.clone());
        let spent_share = share(spent_sum, approved_sum);
        figures.push(
            Figure::new(&format!("money_{code}"), &format!("Resources in {code}"), text, spent_share)
                .with_records(records),
        );
    }
    let summary = if parts.is_empty() {
        "No resources were approved or spent in the period.".to_string()
    } else {
        format!("{}; {} commitments closed with their remainder moved elsewhere.", parts.join("; "), redirected.len())
    };
    figures.push(Figure::count("redirected", "Closed with the remainder moved elsewhere", redirected));
    Ok(Compiled { key: InputKey::Resources, summary, figures })
}

/// Policies (5.2): reviews overdue now and due within [`POLICY_DUE_DAYS`].
pub async fn policies(c: &mut Conn<'_>, scope: Scope) -> Result<Compiled, AppError> {
    let rows = sources::policy_reviews(c, scope.org, scope.now + POLICY_DUE_DAYS * 86_400).await?;
    let (mut overdue, mut due) = (Vec::new(), Vec::new());
    for (id, title, next) in rows {
        let record = FigureRecord::new("policy", id, format!("{title} (review due {})", date_text(next)));
        if next < scope.now { overdue.push(record) } else { due.push(record) }
    }
    let summary = format!(
        "{} policies are past their review date; {} are due for review within {POLICY_DUE_DAYS} days.",
        overdue.len(),
        due.len()
    );
    let figures =
        vec![Figure::count("overdue", "Reviews overdue", overdue), Figure::count("due", "Reviews due soon", due)];
    Ok(Compiled { key: InputKey::Policies, summary, figures })
}
