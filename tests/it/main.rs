//! One integration-test binary: every test module is listed here.

mod cli;
mod combine;
mod combine_corpus;
mod config;
mod ipynb_bad_inputs;
mod ipynb_conformance;
mod ipynb_roundtrip;
mod ipynb_v3;
mod merge_bad_inputs;
mod merge_fixtures;
mod merge_git;
mod merge_props;
mod merge_text;
mod myst_conformance;
mod myst_write_cli;
mod myst_write_spec;
mod myst_write_support;
mod support;
mod textconv;
mod yaml_differential;
mod yaml_emitter_cases;
mod yaml_support;
