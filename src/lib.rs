//! nbmyst: Jupyter notebooks as MyST Markdown in git.
//!
//! Data flows one way: bytes -> [`notebook::Notebook`] -> MyST text (textconv, diff, sync), and
//! MyST text -> notebook -> combine with the prior notebook -> `.ipynb` bytes (sync, merge).

pub mod combine;
pub mod config;
pub mod myst;
pub mod notebook;
