//! How fast is textconv, and how far from the floor?
//!
//! For each notebook of `shared/bench/gen_notebooks.py` (small ~13 KB, medium ~300 KB, large
//! ~3 MB, outputs ~20 MB of images and tables), generated afresh into `CARGO_TARGET_TMPDIR` at
//! start, this times in one run:
//! - `nbmyst`: the in-process textconv, `notebook::read` with outputs skipped, then the MyST
//!   writer (what `nbmyst textconv FILE` does between reading the file and printing);
//! - `floor`: `serde_json::from_slice::<Value>` of the same bytes, a plain JSON parse that
//!   builds a tree and keeps nothing of the notebook's rules.
//!
//! Run with `cargo bench --bench textconv`. `NBMYST_SHARED` locates the shared folder (default
//! `../shared`), `NBMYST_BENCH_PYTHON` the interpreter for the generator (default `python3`;
//! the generator uses only the standard library).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use nbmyst::myst::write::{write as write_myst, WriteOptions};
use nbmyst::notebook::{self, ReadOptions};

const SIZES: [&str; 4] = ["small", "medium", "large", "outputs"];

fn shared_dir() -> PathBuf {
    match std::env::var_os("NBMYST_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    }
}

/// Generate the four notebooks into the target tmp directory and read them.
fn notebooks() -> Vec<(&'static str, Vec<u8>)> {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-notebooks");
    let script = shared_dir().join("bench/gen_notebooks.py");
    let python = std::env::var_os("NBMYST_BENCH_PYTHON").unwrap_or_else(|| "python3".into());
    let status = Command::new(&python).arg(&script).arg(&out).status();
    match status {
        Ok(s) if s.success() => {}
        other => panic!(
            "could not generate the bench notebooks with {} {} {} ({other:?}); set NBMYST_SHARED \
             to the shared folder or NBMYST_BENCH_PYTHON to a Python 3 interpreter",
            python.to_string_lossy(),
            script.display(),
            out.display()
        ),
    }
    SIZES
        .iter()
        .map(|size| {
            let path = out.join(format!("{size}.ipynb"));
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            (*size, bytes)
        })
        .collect()
}

fn textconv(bytes: &[u8]) -> String {
    let read =
        notebook::read(bytes, &ReadOptions::WITHOUT_OUTPUTS).expect("the generated notebook reads");
    write_myst(&read.notebook, &WriteOptions::default())
        .expect("the generated notebook writes as MyST")
}

fn bench_textconv(c: &mut Criterion) {
    for (size, bytes) in notebooks() {
        // Fail early and clearly rather than time an error path.
        let text = textconv(&bytes);
        assert!(!text.is_empty());
        let mut group = c.benchmark_group(format!("textconv/{size}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        if bytes.len() > 1_000_000 {
            group
                .sample_size(20)
                .measurement_time(Duration::from_secs(10));
        }
        group.bench_with_input(
            BenchmarkId::new("nbmyst", bytes.len()),
            &bytes,
            |b, bytes| b.iter(|| textconv(black_box(bytes))),
        );
        group.bench_with_input(
            BenchmarkId::new("floor_serde_json", bytes.len()),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    serde_json::from_slice::<serde_json::Value>(black_box(bytes))
                        .expect("valid JSON")
                })
            },
        );
        group.finish();
    }
}

criterion_group!(benches, bench_textconv);
criterion_main!(benches);
