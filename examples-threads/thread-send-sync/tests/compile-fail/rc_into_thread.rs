// An Rc moved into a thread: its reference count is a plain integer, and two
// threads cloning and dropping at once could lose an update.
use std::rc::Rc;
use std::thread;

fn main() {
    let names = Rc::new(vec!["foo", "bar"]);
    let names_for_thread = Rc::clone(&names);
    let worker = thread::spawn(move || names_for_thread.len());
    println!("{} names", worker.join().unwrap());
}
