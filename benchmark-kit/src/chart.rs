//! The SVG chart of a report, drawn with plotters.

use std::path::Path;

use anyhow::{Result, anyhow, ensure};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::{Column, Report};

/// What a chart shows.
pub enum Chart {
    /// One line per column: how many times faster than its first row, with
    /// the ideal line dashed. (Every chart draws only the columns in the
    /// report's unit; a column with a unit of its own is in the table only.)
    Speedup,
    /// One line per column: the median per row, in the report's unit, with
    /// the ideal line dashed; `log` for a logarithmic value axis.
    Lines { log: bool },
    /// A group of bars per row, one bar per column; `log` as above.
    Bars { log: bool },
}

const WIDTH: u32 = 800;
const HEIGHT: u32 = 500;
/// Colours that stay distinct in print and for the common colour blindnesses (Okabe-Ito).
const COLOURS: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(100, 100, 100),
];

impl Chart {
    /// Draws the chart of `report` to an SVG file.
    pub fn draw(&self, report: &Report, path: &Path) -> Result<()> {
        ensure!(!report.rows.is_empty(), "nothing to draw: the report has no rows");
        let mut svg = String::new();
        self.render(report, &mut svg)
            .map_err(|err| anyhow!("cannot draw the chart: {err}"))?;
        std::fs::write(path, svg)
            .map_err(|err| anyhow!("cannot write {}: {err}", path.display()))
    }

    /// The value this chart plots for a column's row, if it was measured
    /// (and, on a logarithmic axis, if it is above 0: 0 has no place there).
    fn value(&self, column: &Column, row: usize) -> Option<f64> {
        let median = column.median(row)?;
        let log = matches!(self, Chart::Lines { log: true } | Chart::Bars { log: true });
        match self {
            Chart::Speedup => Some(column.median(0)? / median),
            _ => Some(median).filter(|&median| median > 0.0 || !log),
        }
    }

    fn y_label(&self, report: &Report) -> String {
        match self {
            Chart::Speedup => {
                format!("speedup over 1 {}", crate::singular(&report.rows_label))
            }
            _ => report.unit.clone(),
        }
    }

    fn render(
        &self,
        report: &Report,
        svg: &mut String,
    ) -> std::result::Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let (plot, footer) = root.split_vertically(HEIGHT - 24);
        footer.draw_text(
            &format!("{} · median of {}", report.machine, report.runs_text()),
            &("sans-serif", 13).into_font().color(&RGBColor(80, 80, 80)),
            (12, 4),
        )?;

        let columns: Vec<&Column> =
            report.columns.iter().filter(|column| column.unit.is_none()).collect();
        let values: Vec<Vec<Option<f64>>> = columns
            .iter()
            .map(|column| {
                (0..report.rows.len()).map(|row| self.value(column, row)).collect()
            })
            .collect();
        let ideal_values: Vec<Option<f64>> = match &report.ideal {
            // The ideal line is computed in the chart's own terms already.
            Some(ideal) => (0..report.rows.len()).map(|row| ideal.median(row)).collect(),
            None => Vec::new(),
        };
        let all = values.iter().flatten().chain(&ideal_values);
        let top = all.clone().flatten().copied().fold(0.0_f64, f64::max);
        let bottom =
            all.flatten().copied().filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min);

        let rows = report.rows.len();
        let x_range = -0.5..rows as f64 - 0.5;
        let row_label = |x: &f64| {
            let index = x.round();
            if (x - index).abs() < 1e-6 && index >= 0.0 {
                report.rows.get(index as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let mut builder = ChartBuilder::on(&plot);
        builder
            .caption(&report.title, ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(64);
        let log = matches!(self, Chart::Lines { log: true } | Chart::Bars { log: true });
        macro_rules! draw_on {
            ($chart:expr) => {{
                let mut chart = $chart;
                chart
                    .configure_mesh()
                    .x_labels(rows)
                    .x_label_formatter(&row_label)
                    .x_desc(report.rows_label.as_str())
                    .y_desc(self.y_label(report))
                    .y_label_formatter(&|value: &f64| tick(*value))
                    .disable_x_mesh()
                    .max_light_lines(1)
                    .draw()?;
                self.series(report, &columns, &values, &ideal_values, &mut chart)?;
                chart
                    .configure_series_labels()
                    .position(SeriesLabelPosition::UpperLeft)
                    .background_style(WHITE.mix(0.85))
                    .border_style(BLACK.mix(0.3))
                    .draw()?;
            }};
        }
        // Headroom above the highest point keeps the legend clear of the lines.
        // Bars rise from the bottom, so above the tallest one there must be
        // room for the whole legend, one line per column: its share of the plot.
        let entries = columns.len() + usize::from(report.ideal.is_some());
        let legend = match self {
            Chart::Bars { .. } => (16.0 * entries as f64 + 16.0) / 370.0,
            _ => 0.0,
        };
        if log {
            let decades = (top / (bottom / 2.0)).log10();
            let headroom = 10_f64.powf(decades * legend / (1.0 - legend)).max(6.0);
            let y_range = (bottom / 2.0)..(top * headroom);
            draw_on!(builder.build_cartesian_2d(x_range, y_range.log_scale())?);
        } else {
            let headroom = (1.0 / (1.0 - legend)).max(1.6);
            draw_on!(builder.build_cartesian_2d(x_range, 0.0..top * headroom)?);
        }
        root.present()?;
        Ok(())
    }

    fn series<Y: plotters::coord::ranged1d::Ranged<ValueType = f64>>(
        &self,
        report: &Report,
        columns: &[&Column],
        values: &[Vec<Option<f64>>],
        ideal: &[Option<f64>],
        chart: &mut ChartContext<
            '_,
            SVGBackend<'_>,
            Cartesian2d<plotters::coord::types::RangedCoordf64, Y>,
        >,
    ) -> std::result::Result<(), Box<dyn std::error::Error>> {
        let count = columns.len();
        for (index, (column, column_values)) in columns.iter().zip(values).enumerate() {
            let colour = COLOURS[index % COLOURS.len()];
            let points = column_values
                .iter()
                .enumerate()
                .filter_map(|(row, value)| value.map(|value| (row as f64, value)));
            match self {
                Chart::Bars { .. } => {
                    let width = 0.8 / count as f64;
                    let left = -0.4 + width * index as f64;
                    let base = chart.y_range().start;
                    chart
                        .draw_series(points.map(|(x, y)| {
                            let corners = [(x + left, base), (x + left + width * 0.9, y)];
                            Rectangle::new(corners, colour.filled())
                        }))?
                        .label(&column.name)
                        .legend(move |(x, y)| {
                            Rectangle::new([(x, y - 5), (x + 14, y + 5)], colour.filled())
                        });
                }
                _ if column.reference => {
                    // Dotted and grey: a limit to read the other lines against.
                    let style = RGBColor(90, 90, 90).stroke_width(2);
                    chart
                        .draw_series(DashedLineSeries::new(points, 2, 5, style))?
                        .label(&column.name)
                        .legend(move |(x, y)| {
                            PathElement::new([(x, y), (x + 4, y), (x + 8, y)], style)
                        });
                }
                _ => {
                    let style = colour.stroke_width(3);
                    let points: Vec<(f64, f64)> = points.collect();
                    chart
                        .draw_series(LineSeries::new(points.clone(), style))?
                        .label(&column.name)
                        .legend(move |(x, y)| {
                            PathElement::new([(x, y), (x + 20, y)], style)
                        });
                    chart.draw_series(
                        points
                            .into_iter()
                            .map(|point| Circle::new(point, 4, colour.filled())),
                    )?;
                }
            }
        }
        // A cell left out on purpose is named at the top of its row, in its
        // column's colour, so that a missing point does not read as a lost one.
        let top = chart.y_range().end;
        let skipped = columns.iter().enumerate().flat_map(|(index, column)| {
            column.skipped.iter().map(move |(row, reason)| (index, column, *row, reason))
        });
        for (line, (index, column, row, reason)) in skipped.enumerate() {
            let colour = COLOURS[index % COLOURS.len()];
            let right = row as f64 > (report.rows.len() as f64 - 1.0) / 2.0;
            let (side, dx) = if right { (HPos::Right, 6) } else { (HPos::Left, -6) };
            let font = ("sans-serif", 13).into_font().color(&colour);
            let style = font.pos(Pos::new(side, VPos::Top));
            let text = format!("{}: {reason}", column.name);
            let dy = 6 + 16 * line as i32;
            chart.draw_series(std::iter::once(
                EmptyElement::at((row as f64, top))
                    + Text::new(
                        "×",
                        (-4, dy - 2),
                        ("sans-serif", 16).into_font().color(&colour),
                    )
                    + Text::new(text, (-dx, dy), style),
            ))?;
        }
        if let (Some(name), false) =
            (report.ideal.as_ref().map(|ideal| ideal.name.clone()), ideal.is_empty())
        {
            let points: Vec<(f64, f64)> = ideal
                .iter()
                .enumerate()
                .filter_map(|(row, value)| value.map(|value| (row as f64, value)))
                .collect();
            let style = BLACK.stroke_width(2);
            chart
                .draw_series(DashedLineSeries::new(points, 8, 6, style))?
                .label(name)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], style));
        }
        Ok(())
    }
}

/// A value-axis label that reads as a number, not as `1000000.0`: 1,000,000,
/// 250, 1.5, 0.01.
fn tick(value: f64) -> String {
    if value >= 1000.0 {
        crate::thousands(value.round() as u64)
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ticks_read_as_plain_numbers() {
        assert_eq!(super::tick(1_000_000.0), "1,000,000");
        assert_eq!(super::tick(250.0), "250");
        assert_eq!(super::tick(1.5), "1.5");
        assert_eq!(super::tick(0.01), "0.01");
        assert_eq!(super::tick(0.0), "0");
    }
}
