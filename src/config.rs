//! jupytext settings, found the way jupytext finds them (to be written)
