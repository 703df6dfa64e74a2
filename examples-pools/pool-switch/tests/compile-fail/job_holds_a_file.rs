// Python's "can't pickle" error, moved to compile time: a job that holds an
// open file cannot be sent to a worker process. On a ThreadPool it would run.
use std::fs::File;
use std::io::Read;

use process_toolkit::pool::ProcessPool;

fn file_length(mut file: File) -> usize {
    let mut text = String::new();
    file.read_to_string(&mut text).map_or(0, |_| text.len())
}

fn main() -> anyhow::Result<()> {
    let _pool = ProcessPool::new(2, file_length)?;
    Ok(())
}
