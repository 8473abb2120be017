//! One integration-test binary: every test module is listed here.
mod combine;
