//! The index's twelve-month trend as an SVG line chart drawn on the server: the overall score and one line per
//! top manager, 0–100.

use crate::leadership::index::{Index, TrendPoint};

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/// Line colours, the overall line first; each passes 4.5:1 contrast on white.
const COLOURS: [&str; 6] = ["#1f4e79", "#8a3b12", "#2f6b2f", "#6b2f6b", "#5c5c00", "#00616b"];
const DASHES: [&str; 6] = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2"];

pub struct Line {
    pub name: String,
    pub colour: &'static str,
    pub dash: &'static str,
    pub width: f64,
    pub points: String,
    pub last: u8,
}

pub struct Tick {
    pub pos: f64,
    pub label: String,
}

/// What the template draws.
pub struct TrendChart {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    pub lines: Vec<Line>,
    pub desc: String,
}

impl TrendChart {
    pub fn build(index: &Index) -> Self {
        let (width, height, left, right, top, bottom) = (640.0, 240.0, 36.0, 628.0, 12.0, 212.0);
        let n = index.trend.len().max(2);
        let x = |i: usize| left + (right - left) * i as f64 / (n - 1) as f64;
        let y = |v: u8| bottom - (bottom - top) * f64::from(v) / 100.0;
        let points = |values: &dyn Fn(&TrendPoint) -> u8| -> String {
            let pts: Vec<String> =
                index.trend.iter().enumerate().map(|(i, p)| format!("{:.1},{:.1}", x(i), y(values(p)))).collect();
            pts.join(" ")
        };
        let mut lines = vec![Line {
            name: "Overall".into(),
            colour: COLOURS[0],
            dash: DASHES[0],
            width: 3.0,
            points: points(&|p| p.overall),
            last: index.trend.last().map_or(0, |p| p.overall),
        }];
        for (m, manager) in index.managers.iter().enumerate().take(COLOURS.len() - 1) {
            lines.push(Line {
                name: manager.name.clone(),
                colour: COLOURS[m + 1],
                dash: DASHES[m + 1],
                width: 1.5,
                points: points(&|p| p.managers.get(m).copied().unwrap_or(0)),
                last: index.trend.last().and_then(|p| p.managers.get(m).copied()).unwrap_or(0),
            });
        }
        let x_ticks = index
            .trend
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == 1 || *i + 1 == index.trend.len())
            .map(|(i, p)| Tick { pos: x(i), label: month_label(p.at) })
            .collect();
        let y_ticks = [0u8, 25, 50, 75, 100].iter().map(|v| Tick { pos: y(*v), label: v.to_string() }).collect();
        let first = index.trend.first().map_or(0, |p| p.overall);
        let desc = format!(
            "The overall index went from {first} to {} over twelve months; {}.",
            index.trend.last().map_or(0, |p| p.overall),
            lines.iter().skip(1).map(|l| format!("{} ends at {}", l.name, l.last)).collect::<Vec<_>>().join(", ")
        );
        TrendChart { width, height, left, right, top, bottom, x_ticks, y_ticks, lines, desc }
    }
}

fn month_label(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .map(|d| format!("{} {}", MONTHS[usize::from(u8::from(d.month())) - 1], d.year() % 100))
        .unwrap_or_default()
}
