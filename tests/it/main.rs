//! One integration-test binary: every test module is listed here.

mod cli;
mod diff;
mod ipynb_conformance;
mod myst_write_spec;
mod myst_write_support;
mod support;
mod textconv;
