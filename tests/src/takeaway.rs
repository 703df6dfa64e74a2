//! Taking an example out of the workspace, as a reader does.
//!
//! Every example package must build and run on its own, copied anywhere with
//! the libraries it names by path (the process toolkit, the benchmark kit) at
//! the same relative place. [`Example::copy_commands`] are the shell lines
//! each chapter's "Try it" shows; [`Example::cargo_add_lines`] are the other
//! way in, for an example that needs only crates.io; and [`copy_out`] runs
//! the copy lines for real and builds the copy, so a test can run it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::workspace_root;

/// An example package of the workspace: `examples-<group>/<name>/`.
#[derive(Clone, Debug)]
pub struct Example {
    pub name: String,
    /// Its folder, relative to the workspace root: `examples-threads/thread-join`.
    pub folder: String,
}

/// Every example package of this workspace, sorted by name. The MPI examples
/// (`examples-cluster/`) are a workspace of their own, with their own tests,
/// so that this one builds without MPI: see [`cluster_examples`].
pub fn examples() -> Vec<Example> {
    let mut examples = all_examples();
    examples.retain(|example| !example.folder.starts_with(CLUSTER));
    examples
}

/// The MPI examples, in their own workspace.
pub fn cluster_examples() -> Vec<Example> {
    let mut examples = all_examples();
    examples.retain(|example| example.folder.starts_with(CLUSTER));
    examples
}

const CLUSTER: &str = "examples-cluster/";

fn all_examples() -> Vec<Example> {
    let root = workspace_root();
    let mut found = Vec::new();
    for group in fs::read_dir(&root).unwrap().map(|entry| entry.unwrap().path()) {
        let group_name = group.file_name().unwrap().to_string_lossy().into_owned();
        if !group_name.starts_with("examples-") || !group.is_dir() {
            continue;
        }
        for dir in fs::read_dir(&group).unwrap().map(|entry| entry.unwrap().path()) {
            if dir.join("Cargo.toml").is_file() {
                let name = dir.file_name().unwrap().to_string_lossy().into_owned();
                found.push(Example { folder: format!("{group_name}/{name}"), name });
            }
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(!found.is_empty(), "no example packages under {}", root.display());
    found
}

/// A dependency as a manifest names it.
#[derive(Debug, PartialEq)]
pub struct Dependency {
    pub name: String,
    /// `[dependencies]`, `[dev-dependencies]`, or `[target.'cfg(loom)'.dependencies]`.
    pub table: String,
    pub version: Option<String>,
    pub path: Option<String>,
    pub features: Vec<String>,
    pub default_features: bool,
}

/// Every dependency of the manifest at `path`, in every table.
pub fn dependencies(manifest: &Path) -> Vec<Dependency> {
    let text = fs::read_to_string(manifest)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", manifest.display()));
    let manifest: toml::Table = text.parse().expect("a valid Cargo.toml");
    let mut tables: Vec<(String, &toml::Table)> = Vec::new();
    for table in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(deps) = manifest.get(table).and_then(toml::Value::as_table) {
            tables.push((table.to_owned(), deps));
        }
    }
    if let Some(targets) = manifest.get("target").and_then(toml::Value::as_table) {
        for (target, tables_of_target) in targets {
            for table in ["dependencies", "dev-dependencies"] {
                if let Some(deps) = tables_of_target.get(table).and_then(|t| t.as_table())
                {
                    tables.push((format!("target.{target}.{table}"), deps));
                }
            }
        }
    }
    let mut found = Vec::new();
    for (table, deps) in tables {
        for (name, spec) in deps {
            let text =
                |key: &str| spec.get(key).and_then(|v| v.as_str()).map(str::to_owned);
            let features = spec.get("features").and_then(|v| v.as_array()).map_or(
                Vec::new(),
                |features| {
                    features.iter().map(|f| f.as_str().unwrap().to_owned()).collect()
                },
            );
            found.push(Dependency {
                name: name.clone(),
                table: table.clone(),
                version: spec.as_str().map(str::to_owned).or_else(|| text("version")),
                path: text("path"),
                features,
                default_features: spec
                    .get("default-features")
                    .and_then(toml::Value::as_bool)
                    .unwrap_or(true),
            });
        }
    }
    found
}

impl Example {
    /// The example's folder, absolute.
    pub fn dir(&self) -> PathBuf {
        workspace_root().join(&self.folder)
    }

    /// Its binaries: the package's own (`src/main.rs`) and one per `src/bin/*.rs`.
    pub fn binaries(&self) -> Vec<String> {
        let mut binaries = Vec::new();
        if self.dir().join("src/main.rs").is_file() {
            binaries.push(self.name.clone());
        }
        if let Ok(entries) = fs::read_dir(self.dir().join("src/bin")) {
            for path in entries.map(|entry| entry.unwrap().path()) {
                if path.extension().is_some_and(|ext| ext == "rs") {
                    binaries
                        .push(path.file_stem().unwrap().to_string_lossy().into_owned());
                }
            }
        }
        binaries.sort();
        binaries
    }

    pub fn dependencies(&self) -> Vec<Dependency> {
        dependencies(&self.dir().join("Cargo.toml"))
    }

    /// The workspace folders it needs beside it (`shared`, `benchmark-kit`),
    /// from its path dependencies, relative to the workspace root.
    pub fn libraries(&self) -> Vec<String> {
        let mut libraries: Vec<String> = self
            .dependencies()
            .iter()
            .filter_map(|dep| dep.path.as_deref())
            .map(|path| {
                let library =
                    self.dir().join(path).canonicalize().unwrap_or_else(|err| {
                        panic!("{}: path dependency {path}: {err}", self.name)
                    });
                let root = workspace_root().canonicalize().unwrap();
                let relative = library.strip_prefix(&root).unwrap_or_else(|_| {
                    panic!("{}: {path} is outside the workspace", self.name)
                });
                relative.to_string_lossy().into_owned()
            })
            .collect();
        libraries.sort();
        libraries.dedup();
        // A library's own path dependencies come along too (none today, but a
        // copy without them would not build).
        libraries
    }

    /// The shell lines that take the example out, run from the workspace root:
    /// the same in every chapter's "Try it" and in the README.
    pub fn copy_commands(&self) -> Vec<String> {
        let group = self.folder.split('/').next().unwrap();
        let mut lines = vec![
            format!("mkdir -p ~/learn/{group}"),
            format!("cp -r {} ~/learn/{group}/", self.folder),
        ];
        for library in self.libraries() {
            lines.push(format!("cp -r {library} ~/learn/"));
        }
        // The versions every test here ran with; cargo drops what the example does not use.
        lines.push(format!("cp Cargo.lock ~/learn/{}/", self.folder));
        lines.push(format!("cd ~/learn/{} && cargo run", self.folder));
        lines
    }

    /// For an example that needs nothing but crates.io: the `cargo add` lines
    /// that give a new project the same dependencies. `None` when it needs a
    /// library of this workspace (then only copying works).
    pub fn cargo_add_lines(&self) -> Option<Vec<String>> {
        let dependencies = self.dependencies();
        if dependencies.iter().any(|dep| dep.path.is_some()) {
            return None;
        }
        let mut plain = Vec::new();
        let mut lines = Vec::new();
        for dep in &dependencies {
            let version =
                dep.version.as_deref().expect("a crates.io dependency has a version");
            let mut words = vec!["cargo add".to_owned()];
            if dep.table.ends_with("dev-dependencies") {
                words.push("--dev".to_owned());
            }
            if let Some(target) = dep.table.strip_prefix("target.") {
                let target = target.rsplit_once('.').unwrap().0;
                words.push(format!("--target '{target}'"));
            }
            words.push(format!("{}@{version}", dep.name));
            if !dep.default_features {
                words.push("--no-default-features".to_owned());
            }
            if !dep.features.is_empty() {
                words.push(format!("--features {}", dep.features.join(",")));
            }
            if words.len() == 2 {
                plain.push(words.pop().unwrap());
            } else {
                lines.push(words.join(" "));
            }
        }
        if !plain.is_empty() {
            lines.insert(0, format!("cargo add {}", plain.join(" ")));
        }
        Some(lines)
    }
}

/// An example copied out of the workspace by its [`Example::copy_commands`]
/// into a temporary home, and built there. The folder goes when this is dropped.
pub struct Copied {
    pub home: tempfile::TempDir,
    /// The binary that `cargo run` would run there.
    pub binary: PathBuf,
}

/// Copies `example` out as a reader would and builds it there, offline, with
/// the workspace's Cargo.lock copied along as the commands say.
///
/// The build shares one target directory, `<target>/takeaway`, so that the
/// crates.io dependencies are compiled once for all the copies.
pub fn copy_out(example: &Example) -> Copied {
    let home = tempfile::Builder::new().prefix("takeaway-").tempdir().unwrap();
    let home_path = home.path().to_string_lossy().into_owned();
    let commands = example.copy_commands();
    let (copying, run) = commands.split_at(commands.len() - 1);
    let script = copying.join("\n").replace('~', &home_path);
    let status = Command::new("sh")
        .args(["-euc", &script])
        .current_dir(workspace_root())
        .status()
        .unwrap();
    assert!(status.success(), "copying {} out failed:\n{script}", example.name);
    let folder = run[0]
        .strip_prefix("cd ")
        .and_then(|rest| rest.strip_suffix(" && cargo run"))
        .unwrap()
        .replace('~', &home_path);
    let target = crate::target_dir().join("takeaway");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--offline", "--quiet"])
        .current_dir(&folder)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{} does not build when copied out of the workspace:\n{}",
        example.name,
        String::from_utf8_lossy(&output.stderr)
    );
    Copied { home, binary: target.join("debug").join(&example.name) }
}
