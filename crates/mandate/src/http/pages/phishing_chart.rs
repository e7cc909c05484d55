//! The phishing trend chart, drawn on the server as SVG: each simulation's click rate and report rate by launch
//! date, so a reader sees whether staff click less and report more over time. Geometry here; markup in the
//! template, in the style of the objective chart.

use super::chart::Tick;
use crate::db::phishing::SimulationRow;
use crate::domain::objective::date_text;
use crate::domain::phishing::percent;
use askama::Template;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 620.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 240.0;

/// A rate as drawn.
pub struct Dot {
    pub x: String,
    pub y: String,
    pub label: String,
}

/// One rate's line through the simulations.
pub struct Series {
    pub points: String,
    pub dots: Vec<Dot>,
}

#[derive(Template)]
#[template(path = "phishing_chart.svg")]
pub struct TrendChart {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub desc: String,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub clicked: Series,
    pub reported: Series,
}

fn coordinate(value: f64) -> String {
    format!("{value:.1}")
}

impl TrendChart {
    /// The chart of the simulations that have results, oldest launch first.
    pub fn build(simulations: &[SimulationRow]) -> Self {
        let mut shown: Vec<&SimulationRow> = simulations.iter().filter(|s| s.sent_count > 0).collect();
        shown.sort_by_key(|s| (s.launched_on, s.id));
        let rates: Vec<(i64, f64, f64, &str)> = shown
            .iter()
            .map(|s| {
                let r = s.tally().rates();
                (s.launched_on, r.clicked.unwrap_or(0.0), r.reported.unwrap_or(0.0), s.name.as_str())
            })
            .collect();
        let top = rates.iter().map(|r| r.1.max(r.2)).fold(0.0f64, f64::max);
        // Steps of 10 % up to the highest rate (at least 30 %).
        let hi = ((top * 10.0).ceil() / 10.0).clamp(0.3, 1.0);
        let (first, last) = match (rates.first(), rates.last()) {
            (Some(a), Some(b)) => (a.0, b.0),
            _ => (0, 0),
        };
        let span = (last - first).max(1) as f64;
        let x = |t: i64| {
            if rates.len() < 2 { (LEFT + RIGHT) / 2.0 } else { LEFT + (t - first) as f64 / span * (RIGHT - LEFT) }
        };
        let y = |v: f64| BOTTOM - v / hi * (BOTTOM - TOP);
        let series = |pick: fn(&(i64, f64, f64, &str)) -> f64, what: &str| {
            let dots: Vec<Dot> = rates
                .iter()
                .map(|r| Dot {
                    x: coordinate(x(r.0)),
                    y: coordinate(y(pick(r))),
                    label: format!("{} ({}): {what} {}", r.3, date_text(r.0), percent(Some(pick(r)))),
                })
                .collect();
            let points = dots.iter().map(|d| format!("{},{}", d.x, d.y)).collect::<Vec<_>>().join(" ");
            Series { points, dots }
        };
        let steps = (hi * 10.0).round() as i64;
        let y_ticks = (0..=steps)
            .map(|i| i as f64 / 10.0)
            .map(|v| Tick { pos: coordinate(y(v)), label: percent(Some(v)), anchor: "end" })
            .collect();
        let x_ticks = rates
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let anchor = if rates.len() < 2 {
                    "middle"
                } else if i == 0 {
                    "start"
                } else if i + 1 == rates.len() {
                    "end"
                } else {
                    "middle"
                };
                Tick { pos: coordinate(x(r.0)), label: date_text(r.0), anchor }
            })
            .collect();
        let desc = match (rates.first(), rates.last()) {
            (Some(a), Some(b)) => format!(
                "{} simulations from {} to {}: click rate {} then {}, report rate {} then {}.",
                rates.len(),
                date_text(a.0),
                date_text(b.0),
                percent(Some(a.1)),
                percent(Some(b.1)),
                percent(Some(a.2)),
                percent(Some(b.2))
            ),
            _ => "No simulation has results yet.".into(),
        };
        TrendChart {
            width: WIDTH,
            height: HEIGHT,
            left: LEFT,
            right: RIGHT,
            top: TOP,
            bottom: BOTTOM,
            desc,
            y_ticks,
            x_ticks,
            clicked: series(|r| r.1, "clicked"),
            reported: series(|r| r.2, "reported"),
        }
    }
}
