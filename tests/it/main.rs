//! One integration-test binary: every test module is listed here.
mod yaml_differential;
mod yaml_emitter_cases;
mod yaml_read_cases;
mod yaml_read_differential;
mod yaml_support;
