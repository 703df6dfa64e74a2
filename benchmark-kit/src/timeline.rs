//! A timeline of one run: who ran when, one lane per thread or process, each
//! step or job a bar from its start to its end, and the waits between them.
//!
//! The examples' tests build a [`Timeline`] from the moments their program's
//! lines arrived; a benchmark builds one from the start and end times it
//! measured itself. Either way it is drawn here, with plotters, as the
//! benchmark charts are: an SVG of fixed width whose height grows with the
//! number of lanes, with the same colours, and with a `<title>` and `<desc>`
//! so that the picture carries its text alternative and says where its times
//! came from. The same timeline always draws the same bytes, so a test can
//! redraw a recorded one and compare.

use std::path::Path;

use anyhow::{Result, anyhow, ensure};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

/// Everything a timeline shows. Times are milliseconds from the start of the run.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The caption above the lanes, which is also the SVG's `<title>`.
    pub title: String,
    /// A line under the axis: what the times are and where they come from,
    /// also kept as the SVG's `<desc>`.
    pub note: String,
    /// From top to bottom.
    pub lanes: Vec<Lane>,
    /// Moments that concern every lane (a phase begins), drawn across all of them.
    pub markers: Vec<Marker>,
    /// Where the time axis ends: the end of the run. The axis also reaches
    /// the end of the last span, should one end later.
    pub end_ms: f64,
    /// What a bar means in this picture ("running", "a step: from its line to
    /// the next"), and what a thin line means ("waiting in join"), for the legend.
    pub busy: String,
    pub waiting: String,
}

/// One thread or process (or a count, such as the jobs running at once).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Lane {
    pub name: String,
    /// Which of the charts' colours its bars take; lanes of one kind (two
    /// producers, say) share one.
    pub colour: usize,
    pub spans: Vec<Span>,
}

/// A stretch of a lane's time.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Span {
    pub from_ms: f64,
    pub to_ms: f64,
    pub kind: Kind,
    /// Written in the span when it fits; may be empty.
    pub label: String,
}

/// What the lane was doing.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Running: a full-height bar in the lane's colour. A span of no length
    /// (a moment, such as a line printed) is drawn as a narrow bar.
    Busy,
    /// Waiting (blocked, queued, asleep in `join`): a thin grey line.
    Waiting,
    /// A count that holds for the span, drawn as a bar `value / max` of the
    /// lane high, under a dotted line at `max`.
    Level { value: u32, max: u32 },
}

/// A vertical line across every lane, labelled at its top.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Marker {
    pub at_ms: f64,
    pub label: String,
}

impl Span {
    pub fn busy(from_ms: f64, to_ms: f64, label: impl Into<String>) -> Self {
        Span { from_ms, to_ms, kind: Kind::Busy, label: label.into() }
    }

    pub fn waiting(from_ms: f64, to_ms: f64, label: impl Into<String>) -> Self {
        Span { from_ms, to_ms, kind: Kind::Waiting, label: label.into() }
    }
}

const WIDTH: u32 = 800;
/// Room for the lane names, left of the time axis.
const NAMES: u32 = 150;
const LANE: u32 = 34;
/// The caption, the axis with its description, the legend and the note.
const FRAME: u32 = 44 + 44 + 52;
/// Font sizes as plotters takes them (it writes 1/1.24 of each into the SVG):
/// about 12 px for the names and the labels once the book scales the 800 px
/// down to its column, as large as the benchmark charts' axis labels or larger.
const NAME_FONT: f64 = 16.0;
const LABEL_FONT: f64 = 14.0;
/// The benchmark charts' colours (Okabe-Ito): distinct in print and for the
/// common colour blindnesses.
const COLOURS: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(100, 100, 100),
];
const GREY: RGBColor = RGBColor(120, 120, 120);

impl Timeline {
    /// The SVG document: the same bytes for the same timeline.
    pub fn to_svg(&self) -> Result<String> {
        ensure!(!self.lanes.is_empty(), "nothing to draw: the timeline has no lanes");
        for lane in &self.lanes {
            for span in &lane.spans {
                ensure!(
                    span.from_ms.is_finite()
                        && span.to_ms.is_finite()
                        && 0.0 <= span.from_ms
                        && span.from_ms <= span.to_ms,
                    "lane {}: span {:?} does not run forward from 0",
                    lane.name,
                    span
                );
            }
        }
        let mut svg = String::new();
        self.render(&mut svg)
            .map_err(|err| anyhow!("cannot draw the timeline: {err}"))?;
        // plotters writes no title or description: put them first in the
        // document, where screen readers and the browser's tooltip look.
        let open =
            svg.find('>').ok_or_else(|| anyhow!("plotters wrote no <svg> tag"))? + 1;
        let head = format!(
            "\n<title>{}</title>\n<desc>{}</desc>",
            escape(&self.title),
            escape(&self.note)
        );
        svg.insert_str(open, &head);
        Ok(svg)
    }

    /// Draws the timeline to an SVG file.
    pub fn draw(&self, path: &Path) -> Result<()> {
        std::fs::write(path, self.to_svg()?)
            .map_err(|err| anyhow!("cannot write {}: {err}", path.display()))
    }

    /// The time the axis ends at, in seconds.
    fn end_seconds(&self) -> f64 {
        let spans = self.lanes.iter().flat_map(|lane| &lane.spans).map(|span| span.to_ms);
        let markers = self.markers.iter().map(|marker| marker.at_ms);
        spans.chain(markers).fold(self.end_ms, f64::max).max(1.0) / 1000.0
    }

    fn render(
        &self,
        svg: &mut String,
    ) -> std::result::Result<(), Box<dyn std::error::Error>> {
        let lanes = self.lanes.len();
        // Above the lanes, a strip for the markers' labels, if there are any.
        let strip = if self.markers.is_empty() { 0 } else { LANE * 3 / 5 };
        let height = FRAME + LANE * lanes as u32 + strip;
        let top = lanes as f64 + f64::from(strip) / f64::from(LANE);
        let root = SVGBackend::with_string(svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let (plot, footer) = root.split_vertically(height - 52);
        self.legend(&footer)?;

        let end = self.end_seconds();
        let mut chart = ChartBuilder::on(&plot)
            .caption(&self.title, ("sans-serif", 22))
            .margin_top(8)
            .margin_left(12)
            .margin_right(24)
            .x_label_area_size(44)
            .y_label_area_size(NAMES)
            .build_cartesian_2d(0.0..end, 0.0..top)?;
        chart
            .configure_mesh()
            .x_desc("seconds since the program started")
            .x_label_formatter(&|seconds: &f64| seconds_tick(*seconds))
            .x_label_style(("sans-serif", LABEL_FONT))
            .axis_desc_style(("sans-serif", LABEL_FONT))
            .disable_y_mesh()
            .y_labels(0)
            .max_light_lines(0)
            .draw()?;

        let columns = chart.plotting_area().get_pixel_range().0;
        let pixels_per_second = f64::from(columns.end - columns.start) / end;
        let name_style = ("sans-serif", NAME_FONT)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (index, lane) in self.lanes.iter().enumerate() {
            // Lane 0 at the top: its band is [lanes - 1, lanes) on the y axis.
            let bottom = (lanes - 1 - index) as f64;
            if index > 0 {
                let line = [(0.0, bottom + 1.0), (end, bottom + 1.0)];
                chart.draw_series([PathElement::new(line, BLACK.mix(0.08))])?;
            }
            let (x, y) = chart.backend_coord(&(0.0, bottom + 0.5));
            root.draw(&Text::new(lane.name.clone(), (x - 10, y), name_style.clone()))?;
            let colour = COLOURS[lane.colour % COLOURS.len()];
            for span in &lane.spans {
                draw_span(&mut chart, span, bottom, colour, pixels_per_second)?;
            }
        }

        let marker_style = ("sans-serif", LABEL_FONT)
            .into_font()
            .color(&GREY)
            .pos(Pos::new(HPos::Left, VPos::Top));
        for marker in &self.markers {
            let x = marker.at_ms / 1000.0;
            let line = vec![(x, 0.0), (x, top)];
            chart.draw_series(DashedLineSeries::new(line, 5, 4, GREY.stroke_width(1)))?;
            let (px, py) = chart.backend_coord(&(x, top));
            root.draw(&Text::new(
                marker.label.clone(),
                (px + 4, py + 3),
                marker_style.clone(),
            ))?;
        }
        root.present()?;
        Ok(())
    }

    /// What a bar, a thin line and a count mean, then the note.
    fn legend<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, plotters::coord::Shift>,
    ) -> std::result::Result<(), Box<dyn std::error::Error>>
    where
        DB::ErrorType: 'static,
    {
        let style = ("sans-serif", LABEL_FONT).into_font().color(&BLACK);
        // Each entry as wide as its text needs, as the labels in the bars are measured.
        let width = |text: &str| text_width(text) as i32 + 56;
        let mut x = 12;
        for (text, sample) in [(&self.busy, 0), (&self.waiting, 1)] {
            if text.is_empty() {
                continue;
            }
            let shape = match sample {
                0 => Rectangle::new([(x, 11), (x + 22, 25)], COLOURS[0].filled()),
                _ => Rectangle::new([(x, 17), (x + 22, 19)], GREY.filled()),
            };
            area.draw(&shape)?;
            area.draw(&Text::new(text.clone(), (x + 28, 12), style.clone()))?;
            x += width(text);
        }
        let counts = self.lanes.iter().flat_map(|lane| &lane.spans);
        if counts.clone().any(|span| matches!(span.kind, Kind::Level { .. })) {
            area.draw(&Rectangle::new(
                [(x, 17), (x + 22, 25)],
                COLOURS[6].mix(0.55).filled(),
            ))?;
            area.draw(&Text::new(
                "a count, up to its limit (dotted)",
                (x + 28, 12),
                style,
            ))?;
        }
        let note_style = ("sans-serif", 13).into_font().color(&RGBColor(80, 80, 80));
        area.draw(&Text::new(self.note.clone(), (12, 32), note_style))?;
        Ok(())
    }
}

type Plot<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<
        plotters::coord::types::RangedCoordf64,
        plotters::coord::types::RangedCoordf64,
    >,
>;

/// Draws one span in the lane whose band starts at `bottom`.
fn draw_span(
    chart: &mut Plot<'_, '_>,
    span: &Span,
    bottom: f64,
    colour: RGBColor,
    pixels_per_second: f64,
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let (from, to) = (span.from_ms / 1000.0, span.to_ms / 1000.0);
    // A moment still shows, at least 3 px wide; a longer span leaves 2 px
    // free at its end, so that one that follows at once is seen to begin.
    let pixel = 1.0 / pixels_per_second;
    let to = match span.kind {
        _ if to - from > 5.0 * pixel => to - 2.0 * pixel,
        // A wait of a moment is no wait worth a mark.
        Kind::Waiting => to,
        _ => to.max(from + 3.0 * pixel),
    };
    let width = (to - from) * pixels_per_second;
    let centre = bottom + 0.5;
    let (rectangle, text_y, text_colour) = match span.kind {
        Kind::Busy => {
            let corners = [(from, bottom + 0.16), (to, bottom + 0.84)];
            (Rectangle::new(corners, colour.filled()), centre, text_on(colour))
        }
        Kind::Waiting => {
            let corners = [(from, centre - 0.05), (to, centre + 0.05)];
            (Rectangle::new(corners, GREY.filled()), bottom + 0.78, BLACK)
        }
        Kind::Level { value, max } => {
            let top = bottom + 0.12 + 0.76 * f64::from(value) / f64::from(max.max(1));
            let limit = bottom + 0.88;
            let dots = vec![(from, limit), (to, limit)];
            chart.draw_series(DashedLineSeries::new(
                dots,
                2,
                3,
                BLACK.stroke_width(1),
            ))?;
            let corners = [(from, bottom + 0.12), (to, top)];
            let shade = colour.mix(0.55);
            (Rectangle::new(corners, shade.filled()), bottom + 0.35, BLACK)
        }
    };
    chart.draw_series([rectangle])?;
    let needed = text_width(&span.label) + 6.0;
    if !span.label.is_empty() && needed <= width {
        let style = ("sans-serif", LABEL_FONT)
            .into_font()
            .color(&text_colour)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let text = Text::new(span.label.clone(), ((from + to) / 2.0, text_y), style);
        chart.draw_series([text])?;
    }
    Ok(())
}

/// How wide a label is, about: 0.58 em per character in a sans-serif font.
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * LABEL_FONT / 1.24 * 0.58
}

/// White on a dark bar, black on a light one.
fn text_on(colour: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = colour;
    let luminance = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    if luminance < 140.0 { WHITE } else { BLACK }
}

/// An axis label: whole seconds as "3", fractions as "0.25".
fn seconds_tick(seconds: f64) -> String {
    let text = format!("{seconds:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Timeline {
        Timeline {
            title: "two threads".into(),
            note: "a test".into(),
            lanes: vec![
                Lane {
                    name: "foo".into(),
                    colour: 0,
                    spans: vec![
                        Span::busy(0.0, 1000.0, "foo 0"),
                        Span::waiting(1000.0, 1500.0, ""),
                    ],
                },
                Lane {
                    name: "running".into(),
                    colour: 6,
                    spans: vec![Span {
                        from_ms: 0.0,
                        to_ms: 1000.0,
                        kind: Kind::Level { value: 1, max: 4 },
                        label: "1".into(),
                    }],
                },
            ],
            markers: vec![Marker { at_ms: 1000.0, label: "half way".into() }],
            end_ms: 2000.0,
            busy: "a step".into(),
            waiting: "waiting".into(),
        }
    }

    #[test]
    fn the_same_timeline_draws_the_same_bytes() {
        assert_eq!(example().to_svg().unwrap(), example().to_svg().unwrap());
    }

    #[test]
    fn the_svg_carries_its_title_and_description_first() {
        let svg = example().to_svg().unwrap();
        let first = svg.find("<title>two threads</title>\n<desc>a test</desc>").unwrap();
        assert!(first < svg.find("<rect").unwrap(), "{svg}");
        assert!(svg.contains(">\nfoo 0\n<") || svg.contains(">foo 0<"), "{svg}");
    }

    #[test]
    fn a_span_that_runs_backwards_is_refused() {
        let mut timeline = example();
        timeline.lanes[0].spans.push(Span::busy(900.0, 800.0, ""));
        assert!(timeline.to_svg().is_err());
    }

    #[test]
    fn ticks_read_as_seconds() {
        assert_eq!(seconds_tick(3.0), "3");
        assert_eq!(seconds_tick(0.25), "0.25");
        assert_eq!(seconds_tick(0.0), "0");
    }
}
