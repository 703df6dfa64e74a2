//! Workspace-wide checks: every example is tested, in the book and in the
//! README; the book includes only files and anchors that exist; and no output
//! block in the book was pasted by hand.

use std::fs;
use std::path::{Path, PathBuf};

use example_harness::takeaway::{self, Dependency, dependencies};
use example_harness::{timeline, workspace_root};

/// Every example package of this workspace and of the MPI one: (name, directory).
fn every_example() -> Vec<(String, PathBuf)> {
    let all = takeaway::examples().into_iter().chain(takeaway::cluster_examples());
    all.map(|example| (example.name.clone(), example.dir())).collect()
}

/// Every example package of this workspace: (name, directory).
fn examples() -> Vec<(String, PathBuf)> {
    takeaway::examples()
        .into_iter()
        .map(|example| (example.name.clone(), example.dir()))
        .collect()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return files;
    };
    for path in entries.map(|entry| entry.unwrap().path()) {
        if path.is_dir() {
            files.extend(files_under(&path, extension));
        } else if path.extension().is_some_and(|ext| ext == extension) {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The chapters listed in SUMMARY.md, as paths under book/src.
fn chapters() -> Vec<PathBuf> {
    let src = workspace_root().join("book/src");
    let summary = read(&src.join("SUMMARY.md"));
    summary
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|target| !target.is_empty())
        .map(|target| src.join(target))
        .collect()
}

/// A fenced block of a chapter: its info string and its lines.
struct Fence {
    chapter: PathBuf,
    info: String,
    lines: Vec<String>,
}

fn fences(chapter: &Path) -> Vec<Fence> {
    let mut found = Vec::new();
    let mut open: Option<Fence> = None;
    for line in read(chapter).lines() {
        let fence = line.trim_start().starts_with("```");
        match (&mut open, fence) {
            (None, true) => {
                open = Some(Fence {
                    chapter: chapter.to_path_buf(),
                    info: line.trim_start().trim_start_matches('`').trim().to_owned(),
                    lines: Vec::new(),
                });
            }
            (Some(_), true) => found.extend(open.take()),
            (Some(block), false) => block.lines.push(line.to_owned()),
            (None, false) => {}
        }
    }
    assert!(open.is_none(), "{} has an unclosed code block", chapter.display());
    found
}

/// Every `{{#include path[:anchor]}}` of a chapter, resolved against the chapter's directory.
fn includes(chapter: &Path) -> Vec<(PathBuf, Option<String>)> {
    let text = read(chapter);
    text.split("{{#include ")
        .skip(1)
        .map(|rest| {
            let target = rest.split("}}").next().unwrap().trim();
            let (path, anchor) = match target.rsplit_once(':') {
                Some((path, anchor)) if !anchor.chars().all(|c| c.is_ascii_digit()) => {
                    (path, Some(anchor.to_owned()))
                }
                _ => (target, None),
            };
            (chapter.parent().unwrap().join(path), anchor)
        })
        .collect()
}

/// `cargo run -p name`, or with `--release` for the benchmarks, which mean
/// nothing in a debug build.
fn tells_how_to_run(text: &str, name: &str) -> bool {
    ["cargo run -p", "cargo run --release -p"]
        .iter()
        .any(|command| text.contains(&format!("{command} {name}")))
}

#[test]
fn every_example_package_is_named_after_its_directory() {
    for (name, dir) in every_example() {
        let manifest = read(&dir.join("Cargo.toml"));
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{} must be the package {name}, so that `cargo run -p {name}` works",
            dir.display()
        );
        assert!(dir.join("src/main.rs").is_file(), "{name} has no src/main.rs");
    }
}

/// An example's tests are the module `tests/tests/examples/<name>.rs` (or a
/// folder of that name), declared in that test binary's main.rs.
#[test]
fn every_example_has_a_test_module() {
    let tests = workspace_root().join("tests/tests/examples");
    let main = read(&tests.join("main.rs"));
    for (name, _) in examples() {
        let module = name.replace('-', "_");
        let file =
            [tests.join(format!("{module}.rs")), tests.join(&module).join("mod.rs")]
                .into_iter()
                .find(|file| file.is_file())
                .unwrap_or_else(|| {
                    panic!("{name} has no tests: write tests/tests/examples/{module}.rs")
                });
        assert!(
            main.contains(&format!("mod {module};")),
            "tests/tests/examples/main.rs lacks `mod {module};`"
        );
        let text: String = if file.ends_with("mod.rs") {
            files_under(file.parent().unwrap(), "rs").iter().map(|f| read(f)).collect()
        } else {
            read(&file)
        };
        assert!(text.contains("#[test]"), "{} has no test", file.display());
        assert!(
            text.contains(&format!("\"{name}\"")),
            "{} never runs {name}",
            file.display()
        );
    }
}

#[test]
fn every_example_has_a_chapter_that_shows_its_code_and_output() {
    let chapters = chapters();
    for (name, dir) in every_example() {
        let dir = dir.canonicalize().unwrap();
        let included_by = |chapter: &PathBuf| -> Vec<PathBuf> {
            includes(chapter)
                .into_iter()
                .filter_map(|(path, _)| path.canonicalize().ok())
                .collect()
        };
        let (chapter, included) = chapters
            .iter()
            .map(|chapter| (chapter, included_by(chapter)))
            .find(|(_, included)| included.contains(&dir.join("src/main.rs")))
            .unwrap_or_else(|| {
                panic!("no chapter in SUMMARY.md includes {name}'s src/main.rs")
            });
        assert!(
            tells_how_to_run(&read(chapter), &name),
            "{} does not tell the reader to `cargo run -p {name}`",
            chapter.display()
        );
        assert!(
            included.iter().any(|path| path.starts_with(dir.join("recorded"))),
            "{} does not show a recorded output of {name}",
            chapter.display()
        );
    }
}

#[test]
fn every_chapter_in_the_summary_exists() {
    for chapter in chapters() {
        assert!(
            chapter.is_file(),
            "SUMMARY.md lists {}, which does not exist",
            chapter.display()
        );
    }
}

#[test]
fn every_include_points_at_an_existing_file_and_anchor() {
    for chapter in chapters() {
        for (path, anchor) in includes(&chapter) {
            let text = fs::read_to_string(&path).unwrap_or_else(|_| {
                panic!(
                    "{} includes {}, which does not exist",
                    chapter.display(),
                    path.display()
                )
            });
            if let Some(anchor) = anchor {
                for marker in
                    [format!("ANCHOR: {anchor}"), format!("ANCHOR_END: {anchor}")]
                {
                    assert!(
                        text.contains(&marker),
                        "{} includes anchor {anchor:?} of {}, which has no {marker:?}",
                        chapter.display(),
                        path.display()
                    );
                }
            }
        }
    }
}

/// Output, code and compiler errors in the book come from files that tests
/// check; only shell commands and configuration may be written in a chapter.
#[test]
fn no_chapter_pastes_output_or_code_by_hand() {
    const WRITTEN_BY_HAND: [&str; 3] = ["sh", "toml", "mermaid"];
    for chapter in chapters() {
        for fence in fences(&chapter) {
            let language = fence.info.split(',').next().unwrap_or("");
            if WRITTEN_BY_HAND.contains(&language) {
                continue;
            }
            let pasted: Vec<&String> = fence
                .lines
                .iter()
                .filter(|line| {
                    !line.trim().is_empty() && !line.trim().starts_with("{{#include ")
                })
                .collect();
            assert!(
                pasted.is_empty(),
                "{}: a ```{} block holds text pasted by hand instead of an {{{{#include}}}} \
                 of a checked file:\n{}",
                fence.chapter.display(),
                fence.info,
                pasted.iter().map(|line| line.as_str()).collect::<Vec<_>>().join("\n")
            );
        }
    }
}

/// The text of every test that may run a program: the workspace's tests
/// (`tests/tests`, the examples' modules included) and the tests an example
/// keeps in its own folder (a loom model, compile-fail cases).
fn all_tests_text() -> String {
    let mut files = files_under(&workspace_root().join("tests/tests"), "rs");
    for (_, dir) in every_example() {
        files.extend(files_under(&dir.join("tests"), "rs"));
    }
    files.iter().map(|file| read(file)).collect()
}

/// An included output is only trustworthy if a test compares it with the program.
#[test]
fn every_recorded_output_is_checked_by_a_test() {
    let root = workspace_root();
    let checked_somewhere = all_tests_text();
    let mut recorded = files_under(&root.join("python/recorded"), "txt");
    for (_, dir) in every_example() {
        // Benchmarks record a table (.md) and their raw figures (.json) too.
        for extension in ["txt", "md", "json"] {
            recorded.extend(files_under(&dir.join("recorded"), extension));
        }
    }
    for file in recorded {
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        // The times beside an output are checked with it (check_recorded_timeline),
        // and the timelines' own test below checks what they draw.
        let checked = match relative.strip_suffix(".times.json") {
            Some(stem) => format!("{stem}.txt"),
            None => relative.clone(),
        };
        assert!(
            checked_somewhere.contains(&format!("\"{checked}\"")),
            "{relative} is not checked by any example's test"
        );
    }
}

/// A timeline is only worth showing if it is the run the chapter shows, and
/// if the record command draws it again. Each SVG under a `timelines/` folder
/// of the book: well formed and naming its recording of times; those times
/// hold exactly the lines of the output beside them; a chapter shows it, under
/// that output; and a test draws it (`check_recorded_timeline`, which also
/// compares it byte for byte with what its rule draws from the times). And
/// every recording of times is drawn by one of them.
#[test]
fn every_timeline_is_drawn_from_the_output_its_chapter_shows() {
    let root = workspace_root();
    let tests = all_tests_text();
    let book = root.join("book/src");
    let mut drawn = Vec::new();
    let timelines: Vec<PathBuf> = files_under(&book, "svg")
        .into_iter()
        .filter(|path| path.parent().unwrap().ends_with("timelines"))
        .collect();
    assert!(!timelines.is_empty(), "no timeline in the book");
    for svg_path in timelines {
        let svg = read(&svg_path);
        let relative =
            svg_path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        timeline::assert_timeline_svg(&svg, &relative);
        let times = timeline::drawn_from(&svg).expect("checked above");
        let output = times.replace(".times.json", ".txt");
        timeline::assert_same_lines(
            &timeline::Recording::read(&times),
            &read(&root.join(&output)),
            &times,
            &output,
        );
        assert!(
            tests.contains(&format!("\"{relative}\"")),
            "{relative} is not drawn by any test, so recording again would not redraw it"
        );
        // The chapters that show it, and where: under the include of its output.
        let showing: Vec<PathBuf> = chapters()
            .into_iter()
            .filter(|chapter| {
                let target = svg_path.strip_prefix(chapter.parent().unwrap());
                target.is_ok_and(|target| {
                    read(chapter).contains(&format!("]({})", target.display()))
                })
            })
            .collect();
        assert!(!showing.is_empty(), "no chapter shows {relative}");
        for chapter in showing {
            let text = read(&chapter);
            let target = svg_path.strip_prefix(chapter.parent().unwrap()).unwrap();
            let image = text.find(&format!("]({})", target.display())).unwrap();
            let include = text.find(&format!("{output}}}}}"));
            assert!(
                include.is_some_and(|include| include < image),
                "{} shows {relative} but not under the output it was drawn from, {output}",
                chapter.display()
            );
        }
        drawn.push(times);
    }
    let mut recordings = files_under(&root.join("python/recorded"), "json");
    for (_, dir) in every_example() {
        recordings.extend(files_under(&dir.join("recorded"), "json"));
    }
    for file in recordings {
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        if relative.ends_with(".times.json") {
            assert!(
                drawn.contains(&relative),
                "{relative} is drawn by no timeline in the book"
            );
        }
    }
}

#[test]
fn every_python_counterpart_is_run_by_a_test() {
    let root = workspace_root();
    let tests = all_tests_text();
    for script in files_under(&root.join("python"), "py") {
        let name = script.file_name().unwrap().to_string_lossy().into_owned();
        if name == "steps.py" || name == "benchkit.py" {
            continue; // helpers that the counterparts and the benchmarks import
        }
        assert!(
            tests.contains(&format!("Program::python(\"{name}\")")),
            "python/{name} is not run by any test"
        );
    }
}

#[test]
fn the_readme_lists_every_example() {
    let readme = read(&workspace_root().join("README.md"));
    for (name, _) in every_example() {
        let row = readme
            .lines()
            .find(|line| line.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("README.md's table has no row for {name}"));
        assert!(tells_how_to_run(row, &name), "README row for {name}: {row}");
        let link = row
            .rsplit("](")
            .next()
            .and_then(|rest| rest.split(')').next())
            .unwrap_or_else(|| panic!("README row for {name} links no chapter"));
        assert!(
            workspace_root().join(link).is_file(),
            "README row for {name} links {link}, which does not exist"
        );
    }
}

/// CI must run exactly what the README tells a newcomer to run.
#[test]
fn ci_runs_the_readmes_test_command() {
    let root = workspace_root();
    let readme = read(&root.join("README.md"));
    let ci = read(&root.join(".ci/run"));
    let command = "cargo test --workspace";
    assert!(
        readme.lines().any(|line| line == command),
        "README.md must show `{command}` on its own line"
    );
    assert!(
        ci.lines().any(|line| line == command),
        ".ci/run must run `{command}` as its own line"
    );
}

/// Every package of the workspace, by its manifest.
fn manifests() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut manifests: Vec<PathBuf> = ["shared", "benchmark-kit", "tests"]
        .iter()
        .map(|dir| root.join(dir).join("Cargo.toml"))
        .collect();
    manifests.extend(examples().into_iter().map(|(_, dir)| dir.join("Cargo.toml")));
    manifests
}

/// A reader copies an example (and the toolkit) out of the workspace: a
/// manifest that inherits from the workspace would not build there.
#[test]
fn no_package_inherits_from_the_workspace() {
    for manifest in manifests() {
        let text = read(&manifest);
        for line in text.lines() {
            assert!(
                !line.replace(' ', "").contains("workspace=true"),
                "{} inherits from the workspace: {line}",
                manifest.display()
            );
        }
    }
    let root = read(&workspace_root().join("Cargo.toml"));
    for table in ["[workspace.package]", "[workspace.dependencies]", "[workspace.lints"] {
        assert!(
            !root.contains(table),
            "the root Cargo.toml has {table}: nothing may inherit it"
        );
    }
}

/// The same crate is asked for with the same version everywhere, so that
/// `cargo add` lines in one chapter agree with another's, and Cargo.lock
/// holds a version that satisfies it.
#[test]
fn every_dependency_has_one_version_requirement_that_the_lock_satisfies() {
    let lock: toml::Table = read(&workspace_root().join("Cargo.lock")).parse().unwrap();
    let locked: Vec<(String, semver::Version)> = lock["package"]
        .as_array()
        .unwrap()
        .iter()
        .map(|package| {
            let name = package["name"].as_str().unwrap().to_owned();
            (name, package["version"].as_str().unwrap().parse().unwrap())
        })
        .collect();
    let mut seen: Vec<(String, String, PathBuf)> = Vec::new();
    for manifest in manifests() {
        for Dependency { name, version, path, .. } in dependencies(&manifest) {
            if path.is_some() {
                continue;
            }
            let version = version.unwrap_or_else(|| {
                panic!("{}: {name} has no version", manifest.display())
            });
            if let Some((_, first, where_first)) =
                seen.iter().find(|(seen, _, _)| *seen == name)
            {
                assert_eq!(
                    &version,
                    first,
                    "{name} is \"{version}\" in {} but \"{first}\" in {}",
                    manifest.display(),
                    where_first.display()
                );
                continue;
            }
            let requirement: semver::VersionReq = version.parse().unwrap();
            assert!(
                locked
                    .iter()
                    .any(|(locked, at)| *locked == name && requirement.matches(at)),
                "Cargo.lock has no {name} that matches \"{version}\" ({})",
                manifest.display()
            );
            seen.push((name, version, manifest.clone()));
        }
    }
}

/// Each chapter's "Try it" shows how to take its example along, and shows it
/// exactly: the copy commands that the take-away test runs, and, for an
/// example that needs only crates.io, the `cargo add` lines of its Cargo.toml.
#[test]
fn every_chapter_tells_how_to_take_its_example_along() {
    let chapters = chapters();
    let mut failures = Vec::new();
    for example in takeaway::examples() {
        let main = example.dir().join("src/main.rs").canonicalize().unwrap();
        let chapter = chapters
            .iter()
            .find(|chapter| {
                includes(chapter)
                    .iter()
                    .any(|(path, _)| path.canonicalize().ok().as_ref() == Some(&main))
            })
            .unwrap_or_else(|| {
                panic!("no chapter includes {}'s src/main.rs", example.name)
            });
        let shell: Vec<String> = fences(chapter)
            .into_iter()
            .filter(|fence| fence.info == "sh")
            .flat_map(|fence| fence.lines)
            .collect();
        let mut wanted = example.copy_commands();
        wanted.extend(example.cargo_add_lines().unwrap_or_default());
        if wanted.iter().any(|line| !shell.contains(line)) {
            failures.push(format!(
                "{}: its Try it must show, in a ```sh block, how to take {} along:\n{}",
                chapter.display(),
                example.name,
                wanted.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// CI runs the Python counterparts again on every CPython present by
/// filtering the tests on "python" (`.ci/run`), so a test that runs one must
/// say so in its name.
#[test]
fn every_test_that_runs_python_says_so_in_its_name() {
    let mut unnamed = Vec::new();
    for file in files_under(&workspace_root().join("tests/tests"), "rs") {
        if file.ends_with("consistency.rs") {
            continue; // this file only names Program::python in its checks
        }
        let text = read(&file);
        for test in text.split("#[test]").skip(1) {
            let name = test
                .split("fn ")
                .nth(1)
                .and_then(|rest| rest.split('(').next())
                .unwrap_or("")
                .to_owned();
            let body = test.split("\n}\n").next().unwrap_or("");
            if body.contains("Program::python(") && !name.contains("python") {
                unnamed.push(format!("{}: {name}", file.display()));
            }
        }
    }
    assert!(
        unnamed.is_empty(),
        "tests that run Python without saying so:\n{}",
        unnamed.join("\n")
    );
}

/// `cargo run -p <name>`, as every chapter says, and the copy's `cargo run`:
/// with a `src/bin/` beside `src/main.rs`, cargo runs neither unless the
/// manifest names the default one, and that must be the package's own.
#[test]
fn every_example_with_several_binaries_runs_its_main_by_default() {
    for example in takeaway::examples().into_iter().chain(takeaway::cluster_examples()) {
        if example.binaries().len() < 2 {
            continue;
        }
        let manifest: toml::Table =
            read(&example.dir().join("Cargo.toml")).parse().expect("a valid Cargo.toml");
        let default_run = manifest["package"].get("default-run").and_then(|v| v.as_str());
        assert_eq!(
            default_run,
            Some(example.name.as_str()),
            "{}: its Cargo.toml needs `default-run = \"{}\"` under [package]",
            example.name,
            example.name
        );
    }
}
