//! One integration-test binary: every test module is listed here.

mod check;
mod cli;
mod combine;
mod combine_corpus;
mod interop;
mod ipynb_bad_inputs;
mod ipynb_conformance;
mod ipynb_roundtrip;
mod ipynb_v3;
mod myst_conformance;
mod myst_read_conformance;
mod myst_write_cli;
mod myst_write_spec;
mod myst_write_support;
mod precommit;
mod support;
mod sync;
mod sync_bad_inputs;
mod sync_props;
mod sync_support;
mod textconv;
mod yaml_differential;
mod yaml_emitter_cases;
mod yaml_support;
