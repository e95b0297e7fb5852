//! The README's example (example.rs) runs, and the README shows it verbatim.
// The example's items, `main` included, become this test crate's own.
include!("../example.rs");

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn the_example_runs_in_process() {
    main().expect("example.rs main");
}

/// `cargo test` builds the examples next to the test binaries: run the real
/// one and check what it prints.
#[test]
fn the_example_binary_prints_the_writer_failure() {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap(); // target/debug
    let binary: PathBuf = dir.join("examples").join(format!("example{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.exists(), "{} was not built", binary.display());
    let output = Command::new(&binary).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout,
        "Database Writer: FAILED_AT_FREEZE VSS_E_WRITERERROR_RETRYABLE 0x80070020 Some(\"database busy\")\n"
    );
}

#[test]
fn the_readme_shows_the_example_verbatim() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("example.rs")).unwrap();
    assert!(readme.contains(&format!("```rust\n{example}```")), "README.md must show example.rs verbatim");
}
