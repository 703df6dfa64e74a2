// The short post's calc_quad, in Rust: a function without a parameter, called
// with one in the thread that should run it. Python finds out in the thread,
// at run time; Rust refuses to build the program.
use std::thread;

fn calc_quad() {
    println!("Quad: {}", 7_i64.pow(4));
}

fn main() {
    let number = 7;
    let quad = thread::spawn(move || calc_quad(number));
    quad.join().unwrap();
}
