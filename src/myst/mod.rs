//! The `md:myst` text form, as jupytext 1.19.6 writes and reads it.

pub mod filter;
pub mod read;
pub mod write;
pub mod yaml;
pub mod yaml_read;
