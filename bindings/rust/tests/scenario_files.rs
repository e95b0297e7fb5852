//! Scenario files: mock writers declared in JSON, loaded with `Scenario`
//! (the Rust twin of bindings/python/tests/test_scenario_files.py).
mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::backup_through_snapshot;
use vssapi::{ClockKind, Coordinator, CoordinatorOptions, HResult, Requester, Scenario, WriterState};

/// `examples/scenarios/` at the repository root.
fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios").join(name)
}

/// Simulated time: the examples' timeouts (600 s) pass at once.
fn simulated() -> Coordinator {
    Coordinator::with_options(&CoordinatorOptions { clock: ClockKind::SIMULATED, ..Default::default() }).unwrap()
}

#[test]
fn partial_failure_example_reports_the_writer_and_its_component() {
    let coordinator = simulated();
    let _scenario = Scenario::load(&coordinator, example("partial-failure.json")).unwrap();
    let requester = Requester::new(&coordinator).unwrap();
    backup_through_snapshot(&requester, true).unwrap();

    let statuses = requester.writer_statuses().unwrap();
    let mail = statuses.iter().find(|s| s.name == "Mail Store Writer").expect("the Mail Store Writer reports");
    assert_eq!(mail.state, WriterState::FAILED_AT_POST_SNAPSHOT);
    assert_eq!(mail.hr_failure_writer, HResult::VSS_E_WRITERERROR_PARTIAL_FAILURE);
    assert_eq!(mail.message.as_deref(), Some("1 of 2 mailbox databases failed"));

    let failed: Vec<_> = requester
        .component_failures()
        .unwrap()
        .into_iter()
        .filter(|f| f.is_failed())
        .map(|f| (f.logical_path, f.name, f.hr, f.hr_application))
        .collect();
    assert_eq!(
        failed,
        [(
            Some("Mail".to_string()),
            "Mailbox B".to_string(),
            HResult::VSS_E_WRITERERROR_NONRETRYABLE,
            HResult::from_u32(0x80040115)
        )]
    );
}

#[test]
fn hung_writer_times_out_on_the_simulated_clock_at_once() {
    let coordinator = simulated();
    let _scenario = Scenario::load(&coordinator, example("hung-writer.json")).unwrap();
    let requester = Requester::new(&coordinator).unwrap();
    let started = Instant::now();
    backup_through_snapshot(&requester, false).unwrap();

    let statuses = requester.writer_statuses().unwrap();
    let hung = statuses.iter().find(|s| s.name == "Search Index Writer").expect("the hung writer reports");
    assert_eq!(hung.hr_failure_writer, HResult::VSS_E_WRITER_NOT_RESPONDING);
    assert!(started.elapsed() < Duration::from_secs(60), "not the 600 s event timeout: {:?}", started.elapsed());
}

#[test]
fn a_bad_scenario_fails_with_its_position_and_loads_nothing() {
    let coordinator = simulated();
    let error = Scenario::load_text(&coordinator, r#"{"writers": [{"name": "W", "class_id": 42}]}"#).unwrap_err();
    assert_eq!(error.hresult(), HResult::E_INVALIDARG);
    assert!(error.message().contains("<text>:1:"), "{error}");
    assert!(error.message().contains("writers[0].class_id"), "{error}");

    let requester = Requester::new(&coordinator).unwrap();
    requester.initialize_for_backup().unwrap();
    requester.gather_writer_metadata().unwrap();
    requester.gather_writer_status().unwrap();
    assert_eq!(requester.writer_statuses().unwrap(), []);
}

/// Python's "path or text, not both" check has no Rust twin: `load` and
/// `load_text` are two functions, so neither both nor none can be passed.
/// What can go wrong is a path given as text, a missing file, or a NUL byte.
#[test]
fn path_and_text_are_not_confused() {
    let coordinator = simulated();
    let path = example("hung-writer.json");

    let as_text = Scenario::load_text(&coordinator, path.to_str().unwrap()).unwrap_err();
    assert_eq!(as_text.hresult(), HResult::E_INVALIDARG);
    assert!(as_text.message().contains("<text>:1:1"), "{as_text}");

    let missing = example("no-such-scenario.json");
    let error = Scenario::load(&coordinator, &missing).unwrap_err();
    assert_eq!(error.hresult(), HResult::E_INVALIDARG);
    assert!(error.message().contains("no-such-scenario.json"), "{error}");

    let nul = Scenario::load_text(&coordinator, "{}\0").unwrap_err();
    assert_eq!(nul.hresult(), HResult::E_INVALIDARG);
    assert!(nul.message().contains("NUL"), "{nul}");

    // The same file loads as a path, and again (as text) once it is released.
    drop(Scenario::load(&coordinator, &path).unwrap());
    let text = std::fs::read_to_string(&path).unwrap();
    let scenario = Scenario::load_text(&coordinator, &text).unwrap();
    // The scenario keeps the coordinator alive, as writers and requesters do.
    drop(coordinator);
    drop(scenario);
}
