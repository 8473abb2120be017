//! Reading MyST text into a notebook, as jupytext 1.19.6 reads `md:myst`.

mod blocks;
