//! What the benchmark programs share, so that each of them shows only what
//! it measures.
//!
//! A benchmark fills a [`Report`]: rows (worker counts, or ways of running a
//! job), and columns (Rust threads, Rust processes, Python threads...), each
//! cell holding the figure of every run. From the report come the Markdown
//! table printed on stdout, the raw figures written with `--json`, and the
//! chart written with `--svg`. The same report can be read back from its JSON
//! and drawn again (`--from-json`), which is how the tests check that the
//! book's tables and charts are what the programs make of the recorded figures.
//!
//! A benchmark's `main` is then three lines: parse its options, and hand
//! [`run`] the chart it draws and the function that measures.
//!
//! The Python benchmarks in `python/` write the same JSON, so `--with-python`
//! runs one and adds its columns to the report ([`Report::add_python`]):
//! both languages measured in one run, on one machine.
//!
//! What a benchmark starts, it cleans up, however it ends: a child process
//! ([`ChildProcess`]) cannot outlive it, and a scratch folder
//! ([`ScratchDir`]) is removed on SIGINT and SIGTERM too.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};

mod chart;
mod cleanup;
mod limits;
mod machine;
mod python;
pub mod timeline;

pub use chart::Chart;
pub use cleanup::{ChildProcess, ScratchDir};
pub use limits::{open_files, open_files_or_exit, solo_if_asked, solo_processes};
pub use machine::{Machine, python_version};
pub use python::python_dir;

/// The options every benchmark has, flattened into its own `clap` parser.
#[derive(clap::Args, Debug, Clone)]
pub struct CommonOptions {
    /// How many times each cell is measured; the table shows the median.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub runs: u32,
    /// Also measure the Python version of this benchmark, in the same run.
    #[arg(long)]
    pub with_python: bool,
    /// Write the raw figures (every run of every cell) to this JSON file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Draw the chart to this SVG file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Measure nothing: read the figures from a JSON file written by `--json`
    /// and print the table (and draw the chart) again.
    #[arg(long, value_name = "FILE")]
    pub from_json: Option<PathBuf>,
}

// ANCHOR: run
/// What every benchmark's `main` does once its options are parsed: measure
/// (or, with `--from-json`, read what was measured before), then print the
/// table, write the JSON and draw the chart that the options ask for.
pub fn run(
    options: &CommonOptions,
    chart: Chart,
    measure: impl FnOnce() -> Result<Report>,
) -> Result<()> {
    run_showing(options, chart, measure, Report::to_markdown)
}

/// [`run`], for a benchmark that prints a table of its own making instead of
/// [`Report::to_markdown`]'s: `table` is given the report, measured or read
/// back from JSON, so `--from-json` prints that table again too.
pub fn run_showing(
    options: &CommonOptions,
    chart: Chart,
    measure: impl FnOnce() -> Result<Report>,
    table: impl FnOnce(&Report) -> String,
) -> Result<()> {
    let report = match &options.from_json {
        Some(path) => Report::read_json(path)?,
        None => measure()?,
    };
    print!("{}", table(&report));
    if let Some(path) = &options.json {
        report.write_json(path)?;
    }
    if let Some(path) = &options.svg {
        chart.draw(&report, path)?;
    }
    Ok(())
}
// ANCHOR_END: run

/// One column of the table: a way of running the work, measured in every row.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    /// `runs[row]` holds every measured value of that row.
    pub runs: Vec<Vec<f64>>,
    /// The unit of this column, when it is not the report's: a count or a
    /// rate beside the report's times. Such a column is shown in the table
    /// only (the chart draws the columns in the report's unit), and when all
    /// its figures are whole numbers it is a count, shown as one (3, not 3.00).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Rows left out on purpose, each with why in a few words ("not
    /// practical"): the table shows the words, the chart marks the row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<(usize, String)>,
    /// A measured reference (what the machine gives), not a way of doing the
    /// work: the chart draws it dotted, as it draws the ideal dashed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reference: bool,
}

impl Column {
    /// A column with no runs yet in any of `rows` rows.
    pub fn new(name: &str, rows: usize) -> Self {
        let runs = vec![Vec::new(); rows];
        Column {
            name: name.to_owned(),
            runs,
            unit: None,
            skipped: Vec::new(),
            reference: false,
        }
    }

    /// A column that is computed, not measured (the ideal line): one value per row.
    pub fn computed(name: &str, values: impl IntoIterator<Item = f64>) -> Self {
        let runs: Vec<Vec<f64>> = values.into_iter().map(|value| vec![value]).collect();
        Column { runs, ..Column::new(name, 0) }
    }

    /// Why row `row` was left out, if it was on purpose.
    pub fn skipped(&self, row: usize) -> Option<&str> {
        let reason = self.skipped.iter().find(|(skipped, _)| *skipped == row);
        reason.map(|(_, reason)| reason.as_str())
    }

    pub fn median(&self, row: usize) -> Option<f64> {
        median(self.runs.get(row)?)
    }
}

/// Everything one run of a benchmark measured, and what it needs to be shown.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Report {
    /// The program that made it, e.g. `bench-cpu-bound`.
    pub benchmark: String,
    pub title: String,
    /// What the rows are, e.g. `workers`.
    pub rows_label: String,
    pub rows: Vec<String>,
    /// The unit of every measured value, e.g. `s` or `µs per job`.
    pub unit: String,
    /// Show, beside each median, how many times faster it is than the first row's.
    pub speedup: bool,
    pub columns: Vec<Column>,
    /// A reference column that is computed, not measured (the ideal line):
    /// a speedup when `speedup` is set, a value in `unit` otherwise.
    pub ideal: Option<Column>,
    /// The sizes and settings the run used, as (name, value), shown under the table.
    pub settings: Vec<(String, String)>,
    pub machine: Machine,
}

/// The median of some measurements; `None` for none.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        len if !len.is_multiple_of(2) => Some(sorted[middle]),
        _ => Some((sorted[middle - 1] + sorted[middle]) / 2.0),
    }
}

/// The nearest-rank percentile of some measurements (the smallest value that
/// at least `percent` % of them do not exceed); `None` for none.
pub fn percentile(values: &[f64], percent: u32) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (sorted.len() * percent as usize).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Runs `work` once and returns its result and how long it took, in seconds.
pub fn timed<T>(work: impl FnOnce() -> Result<T>) -> Result<(T, f64)> {
    let start = Instant::now();
    let result = work()?;
    Ok((result, start.elapsed().as_secs_f64()))
}

impl Report {
    pub fn new(benchmark: &str, title: &str, rows_label: &str, unit: &str) -> Self {
        Report {
            benchmark: benchmark.to_owned(),
            title: title.to_owned(),
            rows_label: rows_label.to_owned(),
            rows: Vec::new(),
            unit: unit.to_owned(),
            speedup: false,
            columns: Vec::new(),
            ideal: None,
            settings: Vec::new(),
            machine: Machine::detect(),
        }
    }

    /// Rows for `workers` workers, shown with their speedup over the first
    /// row, against the ideal: one worker more, one time faster, until they
    /// outnumber the cores.
    pub fn speedup_over(&mut self, workers: &[u64]) {
        self.rows = workers.iter().map(u64::to_string).collect();
        self.speedup = true;
        let cores = self.machine.cores as f64;
        let ideal = workers.iter().map(|&workers| (workers as f64).min(cores));
        self.ideal = Some(Column::computed("ideal", ideal));
    }

    /// Marks row `row` of the column named `column` as left out on purpose,
    /// for `reason` ("not practical"), instead of a bare `-`.
    pub fn skip(&mut self, column: &str, row: usize, reason: &str) {
        if let Some(column) = self.columns.iter_mut().find(|c| c.name == column) {
            column.skipped.push((row, reason.to_owned()));
        }
    }

    pub fn setting(&mut self, name: &str, value: impl ToString) {
        self.settings.push((name.to_owned(), value.to_string()));
    }

    // ANCHOR: measure
    /// Adds a column for each of `ways`, (name, way) pairs, and measures each
    /// of its cells `runs` times. `time(way, row)` runs one cell once and
    /// returns its figure in the report's unit, or `None` where the cell does
    /// not apply.
    ///
    /// The runs go round after round, each round measuring every row of
    /// every column once, rather than one column after another: a spell of
    /// load from elsewhere on a shared machine then slows a little of every
    /// column, instead of all of one.
    pub fn measure<Way>(
        &mut self,
        ways: &[(&str, Way)],
        runs: u32,
        mut time: impl FnMut(&Way, usize) -> Result<Option<f64>>,
    ) -> Result<()> {
        let (first, rows) = (self.columns.len(), self.rows.len());
        self.columns.extend(ways.iter().map(|(name, _)| Column::new(name, rows)));
        let bar = progress((ways.len() * rows) as u64 * u64::from(runs));
        for round in 1..=runs {
            for row in 0..rows {
                for (column, (name, way)) in ways.iter().enumerate() {
                    let label = &self.rows[row];
                    bar.set_message(format!("round {round}: {name}, {label}"));
                    if let Some(figure) = time(way, row).with_context(|| {
                        format!("{name}, {}: {label}", self.rows_label)
                    })? {
                        self.columns[first + column].runs[row].push(figure);
                    }
                    bar.inc(1);
                }
            }
        }
        bar.finish_and_clear();
        Ok(())
    }
    // ANCHOR_END: measure

    /// Like [`measure`](Self::measure), for a benchmark whose one run of a
    /// row gives a figure for every column (a load test: its rate, its
    /// latencies, its errors). Adds `columns`, each a name and its unit when
    /// it is not the report's, and calls `run(row)` `runs` times for every
    /// row, round after round; it returns one figure per column.
    pub fn measure_rows(
        &mut self,
        columns: &[(&str, Option<&str>)],
        runs: u32,
        mut run: impl FnMut(usize) -> Result<Vec<f64>>,
    ) -> Result<()> {
        let (first, rows) = (self.columns.len(), self.rows.len());
        for (name, unit) in columns {
            let unit = unit.map(str::to_owned);
            self.columns.push(Column { unit, ..Column::new(name, rows) });
        }
        let bar = progress(rows as u64 * u64::from(runs));
        for round in 1..=runs {
            for row in 0..rows {
                let label = &self.rows[row];
                bar.set_message(format!("round {round}: {label}"));
                let figures = run(row).with_context(|| label.clone())?;
                ensure!(
                    figures.len() == columns.len(),
                    "{label}: not one figure per column"
                );
                for (column, figure) in self.columns[first..].iter_mut().zip(figures) {
                    column.runs[row].push(figure);
                }
                bar.inc(1);
            }
        }
        bar.finish_and_clear();
        Ok(())
    }

    /// How many runs each cell had (the fewest, if columns differ). A cell
    /// with no runs is one that does not apply (shown as `-`), not a cell run 0 times.
    pub fn runs(&self) -> usize {
        let runs = self.columns.iter().flat_map(|column| column.runs.iter());
        runs.map(Vec::len).filter(|&len| len > 0).min().unwrap_or(0)
    }

    /// Adds columns measured elsewhere (the Python benchmark), for the same rows.
    pub fn merge(&mut self, other: Report) -> Result<()> {
        ensure!(
            other.rows == self.rows && other.unit == self.unit,
            "{} measured rows {:?} in {}, but this run has rows {:?} in {}",
            other.benchmark,
            other.rows,
            other.unit,
            self.rows,
            self.unit
        );
        self.columns.extend(other.columns);
        self.settings.extend(other.settings);
        if let Some(python) = other.machine.python {
            self.machine.python = Some(python);
        }
        Ok(())
    }

    pub fn read_json(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not a benchmark report", path.display()))
    }

    pub fn write_json(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self)? + "\n";
        std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// The Markdown table with the medians, then what the run was.
    pub fn to_markdown(&self) -> String {
        let mut header = vec![self.rows_label.clone()];
        header.extend(self.columns.iter().map(|column| column.name.clone()));
        header.extend(self.ideal.iter().map(|ideal| ideal.name.clone()));
        let mut table = format!("| {} |\n", header.join(" | "));
        table += &format!("|{}\n", "---:|".repeat(header.len()));
        for (row, label) in self.rows.iter().enumerate() {
            let mut cells = vec![label.clone()];
            for column in &self.columns {
                cells.push(self.cell(column, row));
            }
            if let Some(value) = self.ideal.as_ref().and_then(|ideal| ideal.median(row)) {
                // With speedups shown, the ideal is a speedup too; otherwise a time.
                cells.push(match self.speedup {
                    true => format!("{value:.2}x"),
                    false => format!("{} {}", figure(value), self.unit),
                });
            }
            table += &format!("| {} |\n", cells.join(" | "));
        }
        table += &format!("\n{}\n", self.caption());
        table
    }

    fn cell(&self, column: &Column, row: usize) -> String {
        let Some(value) = column.median(row) else {
            return column.skipped(row).unwrap_or("-").to_owned();
        };
        if let Some(unit) = &column.unit {
            let count = column.runs.iter().flatten().all(|value| value.fract() == 0.0);
            let shown = if count && value.fract() == 0.0 {
                format!("{value}")
            } else {
                figure(value)
            };
            return format!("{shown} {unit}").trim_end().to_owned();
        }
        let mut cell = format!("{} {}", figure(value), self.unit);
        if let (true, Some(first)) = (self.speedup, column.median(0)) {
            cell += &format!(" ({:.2}x)", first / value);
        }
        cell
    }

    /// "1 run" or "3 runs".
    pub fn runs_text(&self) -> String {
        match self.runs() {
            1 => "1 run".to_owned(),
            runs => format!("{runs} runs"),
        }
    }

    /// The lines under the table: how the figures were made.
    pub fn caption(&self) -> String {
        let runs = self.runs_text();
        let mut lines = vec![format!(
            "Each figure is the median of {runs}{}.",
            if self.speedup {
                format!(
                    "; in brackets, the speedup over 1 {}",
                    singular(&self.rows_label)
                )
            } else {
                String::new()
            }
        )];
        if !self.settings.is_empty() {
            let settings: Vec<String> = self
                .settings
                .iter()
                .map(|(name, value)| format!("{name}: {value}"))
                .collect();
            lines.push(format!("Settings: {}.", settings.join("; ")));
        }
        lines.push(format!("Machine: {}.", self.machine));
        lines.join("\n") + "\n"
    }
}

/// A count with thousands separated, as a reader scans it: 10,000,000.
pub fn thousands(count: u64) -> String {
    let digits = count.to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Worker counts and other lists as an option takes them: `1,2,4`.
pub fn comma_list(values: &[impl ToString]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

fn singular(label: &str) -> &str {
    label.strip_suffix('s').unwrap_or(label)
}

/// Three significant digits, without an exponent: 12.3, 1.23, 0.123, 0.0123.
pub fn figure(value: f64) -> String {
    if value == 0.0 {
        return "0".to_owned(); // not 0.000000000
    }
    let digits = if value >= 100.0 {
        0
    } else {
        // The number of decimals that leaves three significant digits.
        (2 - value.abs().max(1e-9).log10().floor() as i32).clamp(0, 9) as usize
    };
    format!("{value:.digits$}")
}

/// A progress bar on stderr (hidden when stderr is not a terminal, as in tests).
pub fn progress(measurements: u64) -> ProgressBar {
    let bar = ProgressBar::new(measurements);
    bar.set_style(
        ProgressStyle::with_template("{elapsed:>4} [{bar:30}] {pos}/{len} {msg}")
            .expect("a valid progress template")
            .progress_chars("=> "),
    );
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let values: Vec<f64> = (1..=200).rev().map(f64::from).collect();
        assert_eq!(percentile(&values, 50), Some(100.0));
        assert_eq!(percentile(&values, 99), Some(198.0));
        assert_eq!(percentile(&values, 100), Some(200.0));
        assert_eq!(percentile(&[7.0], 99), Some(7.0));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn figures_keep_three_significant_digits() {
        assert_eq!(figure(123.4), "123");
        assert_eq!(figure(12.34), "12.3");
        assert_eq!(figure(1.234), "1.23");
        assert_eq!(figure(0.01234), "0.0123");
        assert_eq!(figure(0.0), "0");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(500_000_000), "500,000,000");
    }

    #[test]
    fn figures_read_back_from_json_are_the_very_numbers_written() {
        let mut report = Report::new("bench-test", "a test", "workers", "µs");
        report.rows = vec!["1".into()];
        // Many values with long expansions: a parser that is off by one unit
        // in the last place (serde_json without float_roundtrip) changes some.
        let runs = (1..2000).map(|i| f64::from(i) / 7.0 * 1.234e-3).collect();
        report.columns.push(Column { runs: vec![runs], ..Column::new("threads", 1) });
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        report.write_json(&path).unwrap();
        let read = Report::read_json(&path).unwrap();
        assert!(read == report, "a figure changed on its way through JSON");
    }

    #[test]
    fn the_table_shows_medians_and_speedups() {
        let mut report = Report::new("bench-test", "a test", "workers", "s");
        report.rows = vec!["1".into(), "2".into()];
        report.speedup = true;
        report.columns.push(Column {
            runs: vec![vec![2.0, 9.0, 2.2], vec![1.0, 1.1, 0.9]],
            ..Column::new("threads", 2)
        });
        let table = report.to_markdown();
        assert!(table.starts_with("| workers | threads |\n|---:|---:|\n"), "{table}");
        assert!(table.contains("| 1 | 2.20 s (1.00x) |"), "{table}");
        assert!(table.contains("| 2 | 1.00 s (2.20x) |"), "{table}");
        assert!(table.contains("median of 3 runs"), "{table}");
    }

    #[test]
    fn a_cell_that_does_not_apply_shows_a_dash_and_does_not_count_as_runs() {
        let mut report = Report::new("bench-test", "a test", "work", "ms");
        report.rows = vec!["jobs".into(), "no jobs".into()];
        report.columns.push(Column {
            runs: vec![vec![2.0, 3.0], Vec::new()],
            ..Column::new("no pool", 2)
        });
        let table = report.to_markdown();
        assert!(table.contains("| no jobs | - |"), "{table}");
        assert!(table.contains("median of 2 runs"), "{table}");
    }

    #[test]
    fn a_cell_left_out_on_purpose_says_why_in_the_table_and_the_chart() {
        let mut report = Report::new("bench-test", "a test", "in flight", "ms");
        report.rows = vec!["1".into(), "10".into()];
        report.columns.push(Column {
            runs: vec![vec![2.0], Vec::new()],
            ..Column::new("processes", 2)
        });
        report.skip("processes", 1, "not practical");
        report.skip("no such column", 0, "ignored");
        assert!(report.to_markdown().contains("| 10 | not practical |"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chart.svg");
        Chart::Lines { log: true }.draw(&report, &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.contains("processes: not practical"), "{svg}");
        let json = dir.path().join("report.json");
        report.write_json(&json).unwrap();
        assert!(Report::read_json(&json).unwrap() == report, "skipped lost in JSON");
    }

    #[test]
    fn a_column_with_a_unit_of_its_own_shows_counts_whole() {
        let mut report = Report::new("bench-test", "a test", "mode", "ms");
        report.rows = vec!["inline".into()];
        for (name, unit, runs) in
            [("errors", "", vec![0.0, 2.0, 0.0]), ("rate", "req/s", vec![4.5, 5.25, 5.0])]
        {
            let column = Column::new(name, 1);
            report.columns.push(Column {
                runs: vec![runs],
                unit: Some(unit.to_owned()),
                ..column
            });
        }
        let table = report.to_markdown();
        assert!(table.contains("| inline | 0 | 5.00 req/s |"), "{table}");
    }

    #[test]
    fn measure_goes_round_after_round_and_skips_what_does_not_apply() {
        let mut report = Report::new("bench-test", "a test", "workers", "s");
        report.rows = vec!["1".into(), "2".into()];
        let mut order = Vec::new();
        report
            .measure(&[("a", 0), ("b", 1)], 2, |&column, row| {
                order.push((column, row));
                Ok((column + row != 2).then_some((10 * column + row) as f64))
            })
            .unwrap();
        let rounds = [(0, 0), (1, 0), (0, 1), (1, 1)];
        assert_eq!(order, [rounds, rounds].concat());
        assert_eq!(report.columns[0].runs, [vec![0.0, 0.0], vec![1.0, 1.0]]);
        assert_eq!(report.columns[1].runs, [vec![10.0, 10.0], vec![]]);
    }
}
