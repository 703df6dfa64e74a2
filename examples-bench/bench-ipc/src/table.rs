//! The table: one row per way of sending, one column per message size.

use anyhow::{Context, Result};
use benchmark_kit::{Column, Report, figure, median, thousands};

/// 8 B, 4 KiB, 4 MiB, or 1000 B.
pub fn size_label(bytes: u64) -> String {
    match (bytes.is_multiple_of(1 << 20), bytes.is_multiple_of(1 << 10)) {
        (true, _) => format!("{} MiB", bytes >> 20),
        (_, true) => format!("{} KiB", bytes >> 10),
        _ => format!("{bytes} B"),
    }
}

fn size_of(label: &str) -> Result<u64> {
    let (number, unit) = label.split_once(' ').context("a size and its unit")?;
    let shift = match unit {
        "MiB" => 20,
        "KiB" => 10,
        _ => 0,
    };
    Ok(number.parse::<u64>().context("a size")? << shift)
}

// ANCHOR: table
/// One row per way, one column per size. In each cell: the round trips per
/// second, the megabytes per second of messages, and the rate over that of
/// the same language's thread channel (its first way) in the same round.
pub fn table(report: &Report) -> String {
    let header = [&["way".to_owned()][..], &report.rows].concat();
    let rule = "---:|".repeat(header.len());
    let mut table = format!("| {} |\n|{rule}\n", header.join(" | "));
    for column in &report.columns {
        let language = |column: &Column| column.name.split(' ').next().map(str::to_owned);
        let first =
            report.columns.iter().find(|other| language(other) == language(column));
        let baseline = first.filter(|first| first.name != column.name);
        let mut cells = vec![column.name.clone()];
        for (row, label) in report.rows.iter().enumerate() {
            cells.push(cell(column, baseline, row, label).unwrap_or_else(|| "-".into()));
        }
        table += &format!("| {} |\n", cells.join(" | "));
    }
    let note = "In each cell: round trips per second (a message and its answer), \
                megabytes of messages per second, and the rate over that of the \
                same language's thread channel in the same round (the median).";
    format!("{table}\n{note}\n{}", report.caption())
}

fn cell(
    column: &Column,
    baseline: Option<&Column>,
    row: usize,
    label: &str,
) -> Option<String> {
    let (rate, size) = (column.median(row)?, size_of(label).ok()?);
    let mut cell =
        format!("{}/s · {} MB/s", number(rate), number(rate * size as f64 / 1e6));
    if let Some(baseline) = baseline {
        let pairs = column.runs[row].iter().zip(&baseline.runs[row]);
        let ratios: Vec<f64> = pairs.map(|(rate, base)| rate / base).collect();
        cell += &format!(" · {}x", figure(median(&ratios)?));
    }
    Some(cell)
}
// ANCHOR_END: table

/// 12,345 or 1.23: three significant digits, or all the digits of a number in thousands.
fn number(value: f64) -> String {
    if value >= 1000.0 { thousands(value.round() as u64) } else { figure(value) }
}
