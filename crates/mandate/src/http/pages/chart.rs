//! The trend chart of an objective, drawn on the server as SVG: the measurements, the target line, the due
//! date and the projection of the recent trend. The geometry is worked out here; the markup is a template.

use crate::clock::UnixTime;
use crate::db::objective::ObjectiveRow;
use crate::domain::objective::{Direction, date_text, format_value};
use crate::domain::progress::Reading;
use askama::Template;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 620.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 240.0;

/// A labelled position along an axis.
pub struct Tick {
    pub pos: String,
    pub label: String,
    /// How the label sits on its position (`start`, `middle`, `end`), so the outermost dates stay inside.
    pub anchor: &'static str,
}

/// A measurement as drawn.
pub struct Point {
    pub x: String,
    pub y: String,
    pub label: String,
}

/// A vertical line with a label beside it, on whichever side has room.
pub struct Marker {
    pub x: String,
    pub anchor: &'static str,
    pub dx: i32,
}

/// A straight segment.
pub struct Segment {
    pub x1: String,
    pub y1: String,
    pub x2: String,
    pub y2: String,
}

/// The chart as the SVG template draws it; coordinates are preformatted strings.
#[derive(Template)]
#[template(path = "objective_chart.svg")]
pub struct Chart {
    pub id: String,
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub title: String,
    pub desc: String,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub points: Vec<Point>,
    /// The polyline through the points ("x,y x,y …").
    pub line: String,
    pub target_y: String,
    pub target_label: String,
    pub due_x: String,
    pub due_label: String,
    /// Where today is, when it falls inside the chart, and how its label sits: silence since the latest
    /// measurement shows as a gap before this line.
    pub today: Option<Marker>,
    pub trend: Option<Segment>,
}

fn coordinate(value: f64) -> String {
    format!("{value:.1}")
}

/// A round step of about `range / 5` (1, 2 or 5 times a power of ten).
fn nice_step(range: f64) -> f64 {
    let raw = (range / 5.0).max(f64::MIN_POSITIVE);
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|f| f * magnitude).find(|s| *s >= raw);
    step.unwrap_or(10.0 * magnitude)
}

/// The value range shown: every point, the target and the projection, padded and widened to round steps.
fn value_range(values: impl Iterator<Item = f64>) -> (f64, f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let spread = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
    let step = nice_step(spread * 1.2);
    let lo = ((lo - spread * 0.1) / step).floor() * step;
    let hi = ((hi + spread * 0.1) / step).ceil() * step;
    (lo, hi, step)
}

/// Where times and values land on the drawing.
struct Scale {
    first: UnixTime,
    span: f64,
    lo: f64,
    hi: f64,
    step: f64,
}

impl Scale {
    fn x(&self, t: UnixTime) -> f64 {
        LEFT + (t - self.first) as f64 / self.span * (RIGHT - LEFT)
    }

    fn y(&self, v: f64) -> f64 {
        BOTTOM - (v - self.lo) / (self.hi - self.lo) * (BOTTOM - TOP)
    }

    fn y_ticks(&self) -> Vec<Tick> {
        let steps = ((self.hi - self.lo) / self.step).round() as i64;
        let values = (0..=steps).map(|i| self.lo + i as f64 * self.step);
        values.map(|v| Tick { pos: coordinate(self.y(v)), label: format_value(v), anchor: "end" }).collect()
    }

    /// Five dates spread evenly from the first to the last day shown.
    fn x_ticks(&self) -> Vec<Tick> {
        let anchors = ["start", "middle", "middle", "middle", "end"];
        let times =
            anchors.into_iter().enumerate().map(|(i, anchor)| (self.first + (self.span as i64) * i as i64 / 4, anchor));
        times.map(|(t, anchor)| Tick { pos: coordinate(self.x(t)), label: date_text(t), anchor }).collect()
    }
}

/// The chart's text alternative: what a sighted reader takes from it.
fn describe(
    readings: &[Reading],
    projected: Option<f64>,
    target: &str,
    due: &str,
    shown: impl Fn(f64) -> String,
) -> String {
    let (Some(first), Some(latest)) = (readings.first(), readings.last()) else {
        return format!("No measurements yet. Target {target} by {due}.");
    };
    let trend = projected.map_or(String::new(), |p| format!(" The recent trend reaches {} by the due date.", shown(p)));
    format!(
        "{} measurements from {} to {}; latest {}. Target {target} by {due}.{trend}",
        readings.len(),
        date_text(first.on),
        date_text(latest.on),
        shown(latest.value)
    )
}

impl Chart {
    /// The chart of `objective` with its standing measurements (oldest first) and the trend's value on the
    /// due date, if any, as of `now`. Time runs from the first measurement (or the day the objective was set) to
    /// the due date (or the latest measurement).
    pub fn build(objective: &ObjectiveRow, readings: &[Reading], projected: Option<f64>, now: UnixTime) -> Self {
        let unit = objective.unit.as_str();
        let shown = |v: f64| format!("{} {unit}", format_value(v)).trim_end().to_string();
        let first = readings.first().map_or(objective.created_at, |r| r.on.min(objective.created_at));
        let last = readings.last().map_or(objective.due_on, |r| r.on.max(objective.due_on));
        let values = readings.iter().map(|r| r.value).chain([objective.target_value]).chain(projected);
        let (lo, hi, step) = value_range(values);
        let scale = Scale { first, span: (last - first).max(86_400) as f64, lo, hi, step };
        let at = |t: UnixTime, v: f64| (coordinate(scale.x(t)), coordinate(scale.y(v)));
        let points: Vec<Point> = readings
            .iter()
            .map(|r| (at(r.on, r.value), format!("{}: {}", date_text(r.on), shown(r.value))))
            .map(|((x, y), label)| Point { x, y, label })
            .collect();
        let line = points.iter().map(|p| format!("{},{}", p.x, p.y)).collect::<Vec<_>>().join(" ");
        let trend = match (readings.last(), projected) {
            (Some(latest), Some(value)) if objective.due_on > latest.on => {
                let ((x1, y1), (x2, y2)) = (at(latest.on, latest.value), at(objective.due_on, value));
                Some(Segment { x1, y1, x2, y2 })
            }
            _ => None,
        };
        let direction = Direction::parse(&objective.direction).map_or("", |d| d.label());
        let target = format!("{direction} {}", shown(objective.target_value));
        let due = date_text(objective.due_on);
        let today = (first..=last).contains(&now).then(|| {
            let x = scale.x(now);
            let room_right = x < RIGHT - 60.0;
            Marker {
                x: coordinate(x),
                anchor: if room_right { "start" } else { "end" },
                dx: if room_right { 4 } else { -4 },
            }
        });
        Chart {
            id: format!("objective-{}-chart", objective.id),
            width: WIDTH,
            height: HEIGHT,
            left: LEFT,
            right: RIGHT,
            top: TOP,
            bottom: BOTTOM,
            title: format!("Trend of “{}”", objective.statement),
            desc: describe(readings, projected, &target, &due, shown),
            y_ticks: scale.y_ticks(),
            x_ticks: scale.x_ticks(),
            points,
            line,
            target_y: coordinate(scale.y(objective.target_value)),
            target_label: format!("Target: {target}"),
            due_x: coordinate(scale.x(objective.due_on)),
            due_label: format!("Due {due}"),
            today,
            trend,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn value_axes_use_round_steps_around_every_value() {
        let (lo, hi, step) = super::value_range([60.0, 87.0, 95.0].into_iter());
        assert_eq!(step, 10.0);
        assert!(lo <= 60.0 && hi >= 95.0 && lo % step == 0.0 && hi % step == 0.0, "{lo}..{hi}");
        let (lo, hi, _) = super::value_range([0.0].into_iter());
        assert!(lo < 0.0 && hi > 0.0, "a single value still gets a range: {lo}..{hi}");
        assert_eq!(super::nice_step(7.0), 2.0);
        assert_eq!(super::nice_step(0.02), 0.005);
    }
}
