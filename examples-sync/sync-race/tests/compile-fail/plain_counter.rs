// The race in its plainest form: two threads add to one ordinary integer.
use std::thread;

fn main() {
    let mut counter = 0i64;
    thread::scope(|scope| {
        scope.spawn(|| {
            for _ in 0..100_000 {
                counter += 1;
            }
        });
        scope.spawn(|| {
            for _ in 0..100_000 {
                counter += 1;
            }
        });
    });
    println!("{counter}");
}
