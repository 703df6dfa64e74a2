// A RefCell borrowed by two scoped threads at once: its borrow flag is a
// plain integer too, so two threads could both be let in to write.
use std::cell::RefCell;
use std::thread;

fn main() {
    let names = RefCell::new(Vec::new());
    thread::scope(|scope| {
        scope.spawn(|| names.borrow_mut().push("foo"));
        scope.spawn(|| names.borrow_mut().push("bar"));
    });
    println!("{:?}", names.into_inner());
}
