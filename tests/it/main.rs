//! One integration-test binary: every test module is listed here.
#[path = "differential_gen.rs"]
mod differential_gen;
