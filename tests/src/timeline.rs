//! Timelines of recorded runs: who ran when, drawn in the book under the output.
//!
//! The lesson of an interleaving is in the times, and the printed lines alone
//! make the reader rebuild them. So a test that asks for a timeline records,
//! with [`RECORD_OUTPUTS`](crate::RECORD_OUTPUTS) set, three files from one
//! run at the human pace: the output the chapter shows (`recorded/x.txt`),
//! when each of its lines arrived (`recorded/x.times.json`, a [`Recording`]),
//! and the picture drawn from those times (an SVG under `book/src/`).
//!
//! The times are taken from outside, as the harness reads the program's
//! stdout ([`Program::run`](crate::Program::run)), so the examples print
//! nothing for it. A per-example rule, in the example's test module, says how
//! lines become lanes and bars: "each `foo N` line starts a bar in lane foo
//! that ends at foo's next line"; "`start job N` and `finish job N` bound job
//! N's bar, and before its start it waits in the queue". The helpers here
//! ([`bars_to_next`], [`job_lanes`], [`count_lane`]) are the common rules.
//!
//! [`check_recorded_timeline`] checks on every run, without running anything
//! more: the times hold exactly the recorded output's lines, in order; the
//! book's SVG is well formed and is, byte for byte, what the rule draws from
//! those times (so it was redrawn, not edited, when the output was recorded).
//!
//! A program that measures its own steps (a benchmark timing its chunks) can
//! draw a [`Timeline`] itself with the same code in `benchmark-kit`; the check
//! then is the benchmark's `--from-json` redraw, as for its charts.

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use benchmark_kit::timeline::{Kind, Lane, Marker, Span, Timeline};

use crate::{
    Program, RECORD_OUTPUTS, Run, compare_recorded, read_recorded, record, workspace_root,
};

/// Set this variable to draw the book's timelines again from the recorded
/// times, without recording anything (after a change to the drawing code):
/// `REDRAW_TIMELINES=1 cargo test -p example-harness --test examples`.
pub const REDRAW_TIMELINES: &str = "REDRAW_TIMELINES";

/// When each line of a recorded run arrived: the `.times.json` beside its `.txt`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Recording {
    /// What ran, for a person reading the file.
    pub program: String,
    /// When the program's stdout closed, in milliseconds after it was started.
    pub ended_ms: f64,
    /// Every line of stdout, in order, with the moment it arrived.
    pub lines: Vec<Arrival>,
}

/// One line of stdout and when it arrived, in milliseconds after the start.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Arrival {
    pub at_ms: f64,
    pub line: String,
}

impl Recording {
    /// The times of a run.
    pub fn of(run: &Run) -> Self {
        let lines = run.lines();
        assert_eq!(
            lines.len(),
            run.times.len(),
            "a time for every line of {}",
            run.label
        );
        let lines = lines
            .iter()
            .zip(&run.times)
            .map(|(line, at_ms)| Arrival { at_ms: *at_ms, line: (*line).to_owned() })
            .collect();
        Recording { program: run.label.clone(), ended_ms: run.ended_ms, lines }
    }

    /// The JSON text, one line per arrival so that a diff reads line by line.
    pub fn to_json(&self) -> String {
        let mut text = format!(
            "{{\n  \"program\": {},\n  \"ended_ms\": {},\n  \"lines\": [\n",
            json(&self.program),
            json(&self.ended_ms),
        );
        for (index, arrival) in self.lines.iter().enumerate() {
            let comma = if index + 1 < self.lines.len() { "," } else { "" };
            text += &format!(
                "    {{\"at_ms\": {}, \"line\": {}}}{comma}\n",
                json(&arrival.at_ms),
                json(&arrival.line)
            );
        }
        text + "  ]\n}\n"
    }

    /// Reads a recording (a path under the workspace root).
    pub fn read(path: &str) -> Self {
        serde_json::from_str(&read_recorded(path))
            .unwrap_or_else(|err| panic!("{path} is not a recording of times: {err}"))
    }

    /// When the first line for which `matches` holds arrived.
    pub fn time_of(&self, matches: impl Fn(&str) -> bool) -> Option<f64> {
        self.lines
            .iter()
            .find(|arrival| matches(&arrival.line))
            .map(|arrival| arrival.at_ms)
    }
}

/// A string or a number as JSON: the file is written by hand around them,
/// so that it keeps one arrival per line.
fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("a string or a number")
}

/// Where the times of a recorded output are kept: `x.txt` gives `x.times.json`.
pub fn times_path(recorded: &str) -> String {
    let stem = recorded.strip_suffix(".txt").unwrap_or_else(|| {
        panic!("a recorded output with a timeline is a .txt file, not {recorded}")
    });
    format!("{stem}.times.json")
}

/// The line under a timeline's axis: what the times are and where they were
/// recorded. It is also the SVG's `<desc>`, where the consistency test finds
/// the recording.
fn note(times: &str) -> String {
    format!(
        "Each line at the moment the test harness read it, in the recorded run {times}"
    )
}

/// [`check_recorded`](crate::check_recorded), and the timeline of the same
/// recorded run.
///
/// With [`RECORD_OUTPUTS`] set it records, from one run at the human pace,
/// the output `recorded`, the times beside it and the SVG `svg` (a path under
/// the workspace root), drawn by `draw` from the times as written. Then, every
/// time: the recorded output must match `now` after `normalize`, as with
/// `check_recorded`; the times must hold exactly the recorded output's lines;
/// and the SVG must be well formed and exactly what `draw` makes of the times.
pub fn check_recorded_timeline(
    program: &Program,
    recorded: &str,
    normalize: impl Fn(&str) -> String,
    now: &Run,
    svg: &str,
    draw: impl Fn(&Recording) -> Timeline,
) {
    let times = times_path(recorded);
    let root = workspace_root();
    if std::env::var_os(RECORD_OUTPUTS).is_some() {
        let run = record(program, recorded);
        write(&root.join(&times), &Recording::of(&run).to_json());
        // Drawn from the file, so that the picture is what a redraw makes of it.
        write(&root.join(svg), &drawing(&Recording::read(&times), &times, &draw));
    }
    compare_recorded(recorded, &normalize, now);

    let recording = Recording::read(&times);
    if std::env::var_os(REDRAW_TIMELINES).is_some() {
        write(&root.join(svg), &drawing(&recording, &times, &draw));
    }
    assert_same_lines(&recording, &read_recorded(recorded), &times, recorded);
    let book = std::fs::read_to_string(root.join(svg))
        .unwrap_or_else(|err| panic!("cannot read the timeline {svg}: {err}"));
    assert_timeline_svg(&book, svg);
    assert!(
        book == drawing(&recording, &times, &draw),
        "the timeline {svg} is not what its rule draws from {times}: it must be \
         redrawn, never edited. Record it again: {RECORD_OUTPUTS}=1 cargo test"
    );
}

fn drawing(
    recording: &Recording,
    times: &str,
    draw: &impl Fn(&Recording) -> Timeline,
) -> String {
    let mut timeline = draw(recording);
    timeline.note = note(times);
    timeline
        .to_svg()
        .unwrap_or_else(|err| panic!("drawing the timeline of {times}: {err:#}"))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text)
        .unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
}

/// The times hold the recorded output's lines, exactly and in order, and the
/// times run forward within the run.
pub fn assert_same_lines(
    recording: &Recording,
    output: &str,
    times: &str,
    recorded: &str,
) {
    let timed: Vec<&str> =
        recording.lines.iter().map(|arrival| arrival.line.as_str()).collect();
    let shown: Vec<&str> = output.lines().collect();
    assert!(
        timed == shown,
        "{times} does not hold the lines of {recorded}, in order: the timeline \
         would not be the run the chapter shows. Record both again: \
         {RECORD_OUTPUTS}=1 cargo test\n--- timed\n{}\n--- shown\n{}",
        timed.join("\n"),
        shown.join("\n")
    );
    let mut last = 0.0;
    for arrival in &recording.lines {
        assert!(
            last <= arrival.at_ms && arrival.at_ms <= recording.ended_ms,
            "{times}: {arrival:?} is out of order, or after the end"
        );
        last = arrival.at_ms;
    }
}

/// A timeline as the book needs it: a well-formed SVG document, 800 px wide
/// like the benchmark charts (the browser check wants every chart at the
/// content width), with a title, and a description naming its recording.
pub fn assert_timeline_svg(svg: &str, path: &str) {
    let document = roxmltree::Document::parse(svg).unwrap_or_else(|err| {
        panic!("the timeline {path} is not well-formed XML: {err}")
    });
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{path}");
    assert_eq!(root.attribute("width"), Some("800"), "{path} is not 800 px wide");
    let child_text = |name: &str| {
        root.children()
            .find(|node| node.has_tag_name(name))
            .and_then(|node| node.text())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(!child_text("title").trim().is_empty(), "{path} has no <title>");
    assert!(
        child_text("desc").contains(".times.json"),
        "{path}'s <desc> does not name the recording it was drawn from"
    );
}

/// The recording a timeline SVG was drawn from, as its `<desc>` names it.
pub fn drawn_from(svg: &str) -> Option<String> {
    let document = roxmltree::Document::parse(svg).ok()?;
    let desc =
        document.root_element().children().find(|node| node.has_tag_name("desc"))?;
    let word =
        desc.text()?.split_whitespace().find(|word| word.ends_with(".times.json"))?;
    Some(word.to_owned())
}

// ------------------------------------------------------------------ the rules' helpers

/// A timeline of `recording` with these lanes, and the legend's words for a
/// bar and for a thin line; the axis runs to the end of the run.
pub fn timeline(
    title: &str,
    recording: &Recording,
    lanes: Vec<Lane>,
    [busy, waiting]: [&str; 2],
) -> Timeline {
    Timeline {
        title: title.to_owned(),
        note: String::new(),
        lanes,
        markers: Vec::new(),
        end_ms: recording.ended_ms,
        busy: busy.to_owned(),
        waiting: waiting.to_owned(),
    }
}

pub fn lane(name: &str, colour: usize, spans: Vec<Span>) -> Lane {
    Lane { name: name.to_owned(), colour, spans }
}

/// Steps that print a line as they begin: each line for which `starts` gives
/// a label begins a bar that ends at the next line for which `ends` holds
/// (it is given the lines after it), or at the end of the run.
pub fn bars_to_next(
    recording: &Recording,
    starts: impl Fn(&str) -> Option<String>,
    ends: impl Fn(&str) -> bool,
) -> Vec<Span> {
    let lines = &recording.lines;
    let mut spans = Vec::new();
    for (index, arrival) in lines.iter().enumerate() {
        let Some(label) = starts(&arrival.line) else { continue };
        let end = lines[index + 1..]
            .iter()
            .find(|later| ends(&later.line))
            .map_or(recording.ended_ms, |later| later.at_ms);
        spans.push(Span::busy(arrival.at_ms, end, label));
    }
    spans
}

/// The two edges of a job's bar, as its lines say.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Edge {
    Start,
    Finish,
}

/// Jobs that print a line as they start and one as they finish, such as
/// `start job 3` and `finish job 3`: one lane per job, in job order, named by
/// `name`, with a bar from its start line to its finish line, and before its
/// start a wait from `queued_ms`, when every job was already waiting in the
/// queue. `edge` reads a line: which edge of which job, if any.
pub fn job_lanes(
    recording: &Recording,
    queued_ms: f64,
    edge: impl Fn(&str) -> Option<(Edge, u32)>,
    name: impl Fn(u32) -> String,
    colour: usize,
) -> Vec<Lane> {
    let mut jobs: Vec<(u32, Option<f64>, Option<f64>)> = Vec::new();
    for arrival in &recording.lines {
        let Some((which, job)) = edge(&arrival.line) else { continue };
        let index = match jobs.iter().position(|(known, ..)| *known == job) {
            Some(index) => index,
            None => {
                jobs.push((job, None, None));
                jobs.len() - 1
            }
        };
        let slot = match which {
            Edge::Start => &mut jobs[index].1,
            Edge::Finish => &mut jobs[index].2,
        };
        assert!(slot.is_none(), "job {job}: a second {which:?} line, {:?}", arrival.line);
        *slot = Some(arrival.at_ms);
    }
    jobs.sort_by_key(|(job, ..)| *job);
    jobs.into_iter()
        .map(|(job, start, finish)| {
            let (Some(start), Some(finish)) = (start, finish) else {
                panic!("job {job} lacks its start or its finish line");
            };
            let mut spans = Vec::new();
            if start > queued_ms {
                spans.push(Span::waiting(queued_ms, start, "queued"));
            }
            spans.push(Span::busy(start, finish, ""));
            lane(&name(job), colour, spans)
        })
        .collect()
}

/// A lane that counts the bars of `lanes` running at each moment, up to the
/// limit `max`: where a bound is the lesson, it shows at a glance that the
/// count reaches the limit and never passes it.
pub fn count_lane(name: &str, lanes: &[Lane], max: u32, colour: usize) -> Lane {
    // +1 at each start, -1 at each end; at the same moment the end counts first,
    // as a pool thread finishes one job before it takes the next.
    let mut changes: Vec<(f64, i32)> = lanes
        .iter()
        .flat_map(|lane| &lane.spans)
        .filter(|span| span.kind == Kind::Busy)
        .flat_map(|span| [(span.from_ms, 1), (span.to_ms, -1)])
        .collect();
    changes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut spans = Vec::new();
    let mut running = 0;
    for pair in changes.windows(2) {
        running += pair[0].1;
        let (from, to) = (pair[0].0, pair[1].0);
        if running > 0 && to > from {
            let value = running as u32;
            spans.push(Span {
                from_ms: from,
                to_ms: to,
                kind: Kind::Level { value, max },
                label: value.to_string(),
            });
        }
    }
    lane(name, colour, spans)
}

/// The first article's foo/bar program, with threads or processes, in Rust
/// or Python: each `foo N` line starts a bar in lane foo that ends at foo's
/// next line, the last one at `foo finish`, which main prints once its join
/// has returned; the same for bar. Main starts up until `joins_at` (a bar:
/// Python's start is long enough to see), then waits in join until `foo
/// finish`, then until `bar finish`. `names` are the lanes' names (a PID may
/// belong in them), foo's, bar's and main's.
pub fn foo_bar_lanes(
    recording: &Recording,
    names: [&str; 3],
    joins_at: f64,
) -> Vec<Lane> {
    let steps = |name: &str| {
        let is_step = |line: &str| {
            line.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(' '))
                .is_some_and(|step| step.parse::<u32>().is_ok())
        };
        // Not any line that starts with the name: "foo runs in pid 42" is main's.
        let finish = format!("{name} finish");
        let ends = |line: &str| is_step(line) || line == finish;
        bars_to_next(recording, |line| is_step(line).then(|| line.to_owned()), ends)
    };
    let finish = |name: &str| {
        let line = format!("{name} finish");
        recording
            .time_of(|printed| printed == line)
            .unwrap_or_else(|| panic!("no {line:?}"))
    };
    let main = vec![
        Span::busy(0.0, joins_at, "starts"),
        Span::waiting(joins_at, finish("foo"), "join foo"),
        Span::waiting(finish("foo"), finish("bar"), "join bar"),
    ];
    vec![
        lane(names[0], 0, steps("foo")),
        lane(names[1], 1, steps("bar")),
        lane(names[2], 6, main),
    ]
}

/// The guide's numbers and letters, on two threads or two processes, in Rust
/// or Python: each `Number: N` line starts a bar in the numbers lane that
/// ends at its next line, the last at the end of the run (the worker sleeps
/// a step after it, and main ends once it is joined); the same for letters.
/// Main starts up until the first line, then waits in join to the end.
/// `names` are the numbers', the letters' and main's lanes.
pub fn numbers_letters_lanes(recording: &Recording, names: [&str; 3]) -> Vec<Lane> {
    let steps = |label: &str| {
        let mine = |line: &str| line.split(' ').next() == Some(label);
        bars_to_next(recording, |line| mine(line).then(|| line.to_owned()), mine)
    };
    let started = recording.lines.first().map_or(0.0, |first| first.at_ms);
    let main = vec![
        Span::busy(0.0, started, "starts"),
        Span::waiting(started, recording.ended_ms, "join"),
    ];
    vec![
        lane(names[0], 0, steps("Number:")),
        lane(names[1], 1, steps("Letter:")),
        lane(names[2], 6, main),
    ]
}

/// The first article's `map(square, 1..=10)` on a pool of `workers`: a lane
/// per job, its bar bounded by `start square(N)` and `finish square(N)`, and
/// before its start a wait in the queue from the first job's start (map
/// queues all ten at once); under them, how many run at once.
pub fn map_lanes(recording: &Recording, workers: u32) -> Vec<Lane> {
    let edge = |line: &str| {
        let job =
            |prefix: &str| line.strip_prefix(prefix)?.strip_suffix(')')?.parse().ok();
        match (job("start square("), job("finish square(")) {
            (Some(job), _) => Some((Edge::Start, job)),
            (_, Some(job)) => Some((Edge::Finish, job)),
            _ => None,
        }
    };
    let first = recording.time_of(|line| edge(line).is_some()).expect("a job line");
    let mut lanes = job_lanes(recording, first, edge, |job| format!("square({job})"), 0);
    lanes.push(count_lane("running at once", &lanes, workers, 6));
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recording(lines: &[(f64, &str)], ended_ms: f64) -> Recording {
        Recording {
            program: "test".into(),
            ended_ms,
            lines: lines
                .iter()
                .map(|(at_ms, line)| Arrival { at_ms: *at_ms, line: (*line).into() })
                .collect(),
        }
    }

    #[test]
    fn a_recording_reads_back_as_written() {
        let written = recording(&[(0.1, "foo 0"), (1000.3, "say \"hi\"")], 2000.7);
        let text = written.to_json();
        assert_eq!(text.lines().count(), 8, "one arrival per line:\n{text}");
        assert_eq!(serde_json::from_str::<Recording>(&text).unwrap(), written);
    }

    #[test]
    fn a_bar_ends_at_the_next_line_of_its_lane_or_at_the_end() {
        let run = recording(&[(0.0, "foo 0"), (5.0, "bar 0"), (1000.0, "foo 1")], 2000.0);
        let foo = |line: &str| line.starts_with("foo");
        let spans = bars_to_next(&run, |line| foo(line).then(|| line.into()), foo);
        assert_eq!(
            spans,
            [Span::busy(0.0, 1000.0, "foo 0"), Span::busy(1000.0, 2000.0, "foo 1")]
        );
    }

    fn job_edge(line: &str) -> Option<(Edge, u32)> {
        let (edge, job) = line.split_once(" job ")?;
        let edge = if edge == "start" { Edge::Start } else { Edge::Finish };
        Some((edge, job.parse().ok()?))
    }

    #[test]
    fn a_job_waits_until_it_starts_and_the_count_follows_the_bars() {
        let run = recording(
            &[
                (0.0, "start job 1"),
                (10.0, "finish job 1"),
                (10.0, "start job 2"),
                (30.0, "finish job 2"),
            ],
            30.0,
        );
        let lanes = job_lanes(&run, 0.0, job_edge, |job| format!("job {job}"), 0);
        assert_eq!(lanes[0].spans, [Span::busy(0.0, 10.0, "")]);
        assert_eq!(
            lanes[1].spans,
            [Span::waiting(0.0, 10.0, "queued"), Span::busy(10.0, 30.0, "")]
        );
        // One job at a time, without a moment of two where one hands over to the other.
        let count = count_lane("running", &lanes, 1, 6);
        let values: Vec<Kind> = count.spans.iter().map(|span| span.kind).collect();
        assert_eq!(values, [Kind::Level { value: 1, max: 1 }; 2]);
    }

    #[test]
    #[should_panic(expected = "a second Start line")]
    fn a_job_that_starts_twice_is_a_failure() {
        let run = recording(&[(0.0, "start job 1"), (1.0, "start job 1")], 2.0);
        job_lanes(&run, 0.0, job_edge, |job| format!("job {job}"), 0);
    }

    #[test]
    fn a_foo_step_ends_at_foos_next_step_not_at_mains_pid_line() {
        let run = recording(
            &[
                (0.0, "main process: pid 1"),
                (1.0, "foo 0"),
                (2.0, "foo runs in pid 2, bar in pid 3"),
                (1001.0, "foo 1"),
                (1002.0, "bar 0"),
                (2001.0, "foo finish"),
                (2002.0, "bar finish"),
            ],
            2003.0,
        );
        let lanes = foo_bar_lanes(&run, ["foo", "bar", "main"], 2.0);
        let foo_steps =
            [Span::busy(1.0, 1001.0, "foo 0"), Span::busy(1001.0, 2001.0, "foo 1")];
        assert_eq!(lanes[0].spans, foo_steps);
        assert_eq!(lanes[1].spans, [Span::busy(1002.0, 2002.0, "bar 0")]);
        assert_eq!(lanes[2].spans[1], Span::waiting(2.0, 2001.0, "join foo"));
    }

    #[test]
    fn the_times_path_sits_beside_the_output() {
        assert_eq!(times_path("a/recorded/run.txt"), "a/recorded/run.times.json");
    }
}
