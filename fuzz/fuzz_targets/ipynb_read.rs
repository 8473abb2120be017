//! The `.ipynb` reader on arbitrary bytes: it must never panic, and whatever it reads must
//! write and read back to the same bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nbmyst::notebook::{read, write, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let _ = read(data, &ReadOptions::WITHOUT_OUTPUTS);
    if let Ok(first) = read(data, &ReadOptions::FULL) {
        let written = write(&first.notebook);
        let again = read(written.as_bytes(), &ReadOptions::FULL)
            .unwrap_or_else(|e| panic!("cannot read what was written: {e}\n{written}"));
        assert_eq!(write(&again.notebook), written);
    }
});
