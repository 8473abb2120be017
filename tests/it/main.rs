//! One integration-test binary: every test module is listed here.
mod combine;
mod combine_corpus;
mod ipynb_conformance;
mod myst_write_spec;
mod myst_write_support;
