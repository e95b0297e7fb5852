//! Snapshot providers through the crate (C-5.4 to C-5.6), as
//! tests/capi/provider_test.cpp checks them in C: the coordinator's list, a
//! provider written in Rust plugged in and chosen by id, its steps in order,
//! its device path in the snapshot properties, a failing commit that aborts
//! the set, panics kept out of C, ids nobody registered, and the built-in
//! copy and live providers read through their device paths.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use vssapi::{
    ClockKind, Coordinator, CoordinatorOptions, Error, Guid, HResult, Provider, ProviderType, Requester, Result,
    PROVIDER_COPY_ID, PROVIDER_LIVE_ID, PROVIDER_SIMULATED_ID,
};

const RUST_PROVIDER: Guid = Guid::from_u128(0x5e1f00aa_0000_4000_8000_000000000001);

fn coordinator() -> Coordinator {
    Coordinator::with_options(&CoordinatorOptions { clock: ClockKind::SIMULATED, ..Default::default() }).unwrap()
}

/// What a step does when called.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Act {
    Succeed,
    Fail(HResult),
    Panic,
}

/// Notes every call, with the ids it was given, and does what it is told.
struct Recorder {
    id: Guid,
    steps: Mutex<Vec<String>>,
    sets: Mutex<Vec<Guid>>,
    snapshots: Mutex<Vec<Guid>>,
    commit: Mutex<Act>,
    volume_check: Mutex<Act>,
    /// None: `/snapshots/<id>`.
    device: Mutex<Option<String>>,
    dropped: Arc<AtomicBool>,
}

impl Recorder {
    fn new(id: Guid) -> Arc<Recorder> {
        Arc::new(Recorder {
            id,
            steps: Mutex::default(),
            sets: Mutex::default(),
            snapshots: Mutex::default(),
            commit: Mutex::new(Act::Succeed),
            volume_check: Mutex::new(Act::Succeed),
            device: Mutex::new(None),
            dropped: Arc::default(),
        })
    }

    fn note(&self, step: impl Into<String>, set: Option<Guid>) {
        self.steps.lock().unwrap().push(step.into());
        if let Some(set) = set {
            self.sets.lock().unwrap().push(set);
        }
    }

    fn steps(&self) -> Vec<String> {
        std::mem::take(&mut *self.steps.lock().unwrap())
    }
}

fn act(act: Act, what: &str) -> Result<()> {
    match act {
        Act::Succeed => Ok(()),
        Act::Fail(hr) => Err(Error::new(hr, format!("{what} refused"))),
        Act::Panic => panic!("{what} panicked on purpose"),
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

impl Provider for Recorder {
    fn id(&self) -> Guid {
        self.id
    }
    fn name(&self) -> &str {
        "Rust test provider"
    }
    fn version(&self) -> &str {
        "3.2"
    }
    fn is_volume_supported(&self, volume: &str) -> Result<()> {
        self.note(format!("is_volume_supported {volume}"), None);
        if volume == "Z:\\nothing" {
            return Err(Error::new(HResult::VSS_E_OBJECT_NOT_FOUND, "no such volume"));
        }
        let told = *self.volume_check.lock().unwrap(); // not locked while it panics
        act(told, "is_volume_supported")
    }
    fn prepare_for_snapshot(&self, set: Guid, snapshot: Guid, volume: &str) -> Result<()> {
        self.note(format!("prepare {volume}"), Some(set));
        self.snapshots.lock().unwrap().push(snapshot);
        Ok(())
    }
    fn end_prepare_snapshots(&self, set: Guid) -> Result<()> {
        self.note("end_prepare_snapshots", Some(set));
        Ok(())
    }
    fn pre_commit_snapshots(&self, set: Guid) -> Result<()> {
        self.note("pre_commit_snapshots", Some(set));
        Ok(())
    }
    fn commit_snapshots(&self, set: Guid) -> Result<()> {
        self.note("commit_snapshots", Some(set));
        let told = *self.commit.lock().unwrap();
        act(told, "commit_snapshots")
    }
    fn post_commit_snapshots(&self, set: Guid, count: i32) -> Result<()> {
        self.note(format!("post_commit_snapshots({count})"), Some(set));
        Ok(())
    }
    fn pre_final_commit_snapshots(&self, set: Guid) -> Result<()> {
        self.note("pre_final_commit_snapshots", Some(set));
        Ok(())
    }
    fn post_final_commit_snapshots(&self, set: Guid) -> Result<()> {
        self.note("post_final_commit_snapshots", Some(set));
        Ok(())
    }
    fn abort_snapshots(&self, set: Guid) -> Result<()> {
        self.note("abort_snapshots", Some(set));
        Ok(())
    }
    fn snapshot_device(&self, snapshot: Guid) -> Result<String> {
        self.note("snapshot_device", None);
        self.snapshots.lock().unwrap().push(snapshot);
        Ok(self.device.lock().unwrap().clone().unwrap_or_else(|| format!("/snapshots/{snapshot}")))
    }
    fn delete_snapshot(&self, snapshot: Guid) -> Result<()> {
        self.note("delete_snapshot", None);
        self.snapshots.lock().unwrap().push(snapshot);
        Ok(())
    }
}

/// A backup of `volumes` with `provider` up to DoSnapshotSet: the requester,
/// the snapshot set id, the snapshot ids and DoSnapshotSet's result.
fn back_up(coordinator: &Coordinator, volumes: &[&str], provider: Guid) -> (Requester, Guid, Vec<Guid>, Result<()>) {
    let requester = Requester::new(coordinator).unwrap();
    requester.initialize_for_backup().unwrap();
    requester.gather_writer_metadata().unwrap();
    let set = requester.start_snapshot_set().unwrap();
    let snapshots =
        volumes.iter().map(|volume| requester.add_to_snapshot_set_with(volume, provider).unwrap()).collect();
    requester.prepare_for_backup().unwrap();
    let done = requester.do_snapshot_set();
    (requester, set, snapshots, done)
}

#[test]
fn the_coordinator_lists_its_providers_default_first() {
    let coordinator = coordinator();
    let providers = coordinator.providers().unwrap();
    assert_eq!(providers.len() as u32, coordinator.provider_count().unwrap());
    assert_eq!(providers[0].id, PROVIDER_SIMULATED_ID, "{providers:#?}");
    assert_eq!(PROVIDER_SIMULATED_ID.to_string(), "b5946137-7b9f-4925-af80-51abd60b20d5");
    for id in [PROVIDER_LIVE_ID, PROVIDER_COPY_ID] {
        assert!(providers.iter().any(|p| p.id == id), "{id} not in {providers:#?}");
    }
    for provider in &providers {
        assert!(!provider.name.is_empty() && !provider.version.is_empty(), "{provider:?}");
        assert_eq!(provider.provider_type, ProviderType::SOFTWARE, "{provider:?}");
    }
    assert_eq!(coordinator.provider(0).unwrap(), providers[0]);
    let past = coordinator.provider(providers.len() as u32).unwrap_err();
    assert_eq!(past.hresult(), HResult::VSS_E_OBJECT_NOT_FOUND);
}

#[test]
fn a_rust_provider_is_listed_chosen_by_id_and_called_in_order() {
    let coordinator = coordinator();
    let recorder = Recorder::new(RUST_PROVIDER);
    let registration = coordinator.register_provider(Box::new(recorder.clone())).unwrap();
    assert_eq!(registration.id(), RUST_PROVIDER);
    assert_eq!(registration.provider().name(), "Rust test provider");

    let listed = coordinator.providers().unwrap();
    let ours: Vec<_> = listed.iter().filter(|p| p.id == RUST_PROVIDER).collect();
    assert_eq!(ours.len(), 1, "{listed:#?}");
    assert_eq!(ours[0].name, "Rust test provider");
    assert_eq!(ours[0].version, "3.2");
    assert_eq!(ours[0].provider_type, ProviderType::SOFTWARE);
    assert_eq!(listed[0].id, PROVIDER_SIMULATED_ID, "registering does not change the default");

    let (requester, set, snapshots, done) = back_up(&coordinator, &["Z:\\data", "Z:\\logs"], RUST_PROVIDER);
    done.unwrap();
    assert_eq!(
        recorder.steps(),
        [
            "is_volume_supported Z:\\data",
            "is_volume_supported Z:\\logs",
            "prepare Z:\\data",
            "prepare Z:\\logs",
            "end_prepare_snapshots",
            "pre_commit_snapshots",
            "commit_snapshots",
            "post_commit_snapshots(2)",
            "pre_final_commit_snapshots",
            "post_final_commit_snapshots",
            "snapshot_device",
            "snapshot_device",
        ]
    );
    // Every step was about this set, and prepare and snapshot_device about these snapshots.
    let sets = std::mem::take(&mut *recorder.sets.lock().unwrap());
    assert_eq!(sets.len(), 8);
    assert!(sets.iter().all(|s| *s == set), "{sets:?} vs {set}");
    let seen = std::mem::take(&mut *recorder.snapshots.lock().unwrap());
    assert_eq!(seen, [snapshots[0], snapshots[1], snapshots[0], snapshots[1]]);

    for (snapshot, volume) in snapshots.iter().zip(["Z:\\data", "Z:\\logs"]) {
        let props = requester.snapshot_properties(*snapshot).unwrap();
        assert_eq!(props.provider_id, RUST_PROVIDER);
        assert_eq!(props.snapshot_set_id, set);
        assert_eq!(props.snapshots_in_set, 2);
        assert_eq!(props.original_volume, volume);
        assert_eq!(props.device_name, format!("/snapshots/{snapshot}"));
    }

    // Releasing the requester deletes its snapshots (auto-release).
    drop(requester);
    assert_eq!(recorder.steps(), ["delete_snapshot", "delete_snapshot"]);
    let mut deleted = std::mem::take(&mut *recorder.snapshots.lock().unwrap());
    deleted.sort();
    let mut made = snapshots.clone();
    made.sort();
    assert_eq!(deleted, made);
}

#[test]
fn a_failing_commit_aborts_the_set_and_leaves_no_snapshot() {
    let coordinator = coordinator();
    let recorder = Recorder::new(RUST_PROVIDER);
    let _registration = coordinator.register_provider(Box::new(recorder.clone())).unwrap();
    *recorder.commit.lock().unwrap() = Act::Fail(HResult::VSS_E_PROVIDER_VETO);

    let (requester, _, snapshots, done) = back_up(&coordinator, &["Z:\\logs"], RUST_PROVIDER);
    assert_eq!(done.unwrap_err().hresult(), HResult::VSS_E_PROVIDER_VETO);
    assert_eq!(
        recorder.steps(),
        [
            "is_volume_supported Z:\\logs",
            "prepare Z:\\logs",
            "end_prepare_snapshots",
            "pre_commit_snapshots",
            "commit_snapshots",
            "abort_snapshots",
        ]
    );
    let missing = requester.snapshot_properties(snapshots[0]).unwrap_err();
    assert_eq!(missing.hresult(), HResult::VSS_E_OBJECT_NOT_FOUND);
    drop(requester);
    assert_eq!(recorder.steps(), Vec::<String>::new(), "nothing made, nothing to delete");
}

#[test]
fn panics_in_steps_become_provider_errors_and_never_reach_c() {
    let coordinator = coordinator();
    let recorder = Recorder::new(RUST_PROVIDER);
    let _registration = coordinator.register_provider(Box::new(recorder.clone())).unwrap();

    *recorder.commit.lock().unwrap() = Act::Panic;
    let (requester, _, snapshots, done) = back_up(&coordinator, &["Z:\\data"], RUST_PROVIDER);
    assert_eq!(done.unwrap_err().hresult(), HResult::VSS_E_UNEXPECTED_PROVIDER_ERROR);
    assert_eq!(recorder.steps().last().map(String::as_str), Some("abort_snapshots"));
    assert!(requester.snapshot_properties(snapshots[0]).is_err());
    drop(requester);

    // The library reads any failure of is_volume_supported but NOT_FOUND as "not supported".
    *recorder.volume_check.lock().unwrap() = Act::Panic;
    let requester = Requester::new(&coordinator).unwrap();
    requester.initialize_for_backup().unwrap();
    requester.gather_writer_metadata().unwrap();
    requester.start_snapshot_set().unwrap();
    let refused = requester.add_to_snapshot_set_with("Z:\\data", RUST_PROVIDER).unwrap_err();
    assert_eq!(refused.hresult(), HResult::VSS_E_VOLUME_NOT_SUPPORTED);

    // And the provider still works afterwards.
    *recorder.volume_check.lock().unwrap() = Act::Succeed;
    *recorder.commit.lock().unwrap() = Act::Succeed;
    drop(requester);
    let (_requester, _, _, done) = back_up(&coordinator, &["Z:\\data"], RUST_PROVIDER);
    done.unwrap();
}

#[test]
fn a_device_path_that_does_not_fit_ends_the_set() {
    let coordinator = coordinator();
    let recorder = Recorder::new(RUST_PROVIDER);
    let _registration = coordinator.register_provider(Box::new(recorder.clone())).unwrap();

    for (device, code) in [
        ("/".repeat(4096), HResult::E_NOT_SUFFICIENT_BUFFER),
        (String::from("/snap\0shot"), HResult::VSS_E_UNEXPECTED_PROVIDER_ERROR),
    ] {
        *recorder.device.lock().unwrap() = Some(device);
        let (_requester, _, _, done) = back_up(&coordinator, &["Z:\\data"], RUST_PROVIDER);
        assert_eq!(done.unwrap_err().hresult(), code);
        let steps = recorder.steps();
        assert_eq!(steps[steps.len() - 2..], ["snapshot_device", "abort_snapshots"]);
    }

    // The longest path that fits: 4095 bytes and the NUL.
    let longest = format!("/{}", "x".repeat(4094));
    *recorder.device.lock().unwrap() = Some(longest.clone());
    let (requester, _, snapshots, done) = back_up(&coordinator, &["Z:\\data"], RUST_PROVIDER);
    done.unwrap();
    assert_eq!(requester.snapshot_properties(snapshots[0]).unwrap().device_name, longest);
}

#[test]
fn unknown_or_unregistered_ids_are_not_registered() {
    let coordinator = coordinator();
    let requester = Requester::new(&coordinator).unwrap();
    requester.initialize_for_backup().unwrap();
    requester.gather_writer_metadata().unwrap();
    requester.start_snapshot_set().unwrap();
    let unknown = requester.add_to_snapshot_set_with("C:\\", RUST_PROVIDER).unwrap_err();
    assert_eq!(unknown.hresult(), HResult::VSS_E_PROVIDER_NOT_REGISTERED);

    let recorder = Recorder::new(RUST_PROVIDER);
    let dropped = recorder.dropped.clone();
    let registration = coordinator.register_provider(Box::new(recorder)).unwrap();
    let missing = requester.add_to_snapshot_set_with("Z:\\nothing", RUST_PROVIDER).unwrap_err();
    assert_eq!(missing.hresult(), HResult::VSS_E_OBJECT_NOT_FOUND, "the provider's own answer");
    requester.add_to_snapshot_set_with("Z:\\data", RUST_PROVIDER).unwrap();

    // Unregistered: the id is unknown again, and the provider is dropped.
    registration.unregister().unwrap();
    assert!(dropped.load(Ordering::SeqCst), "the registration dropped the provider");
    let gone = requester.add_to_snapshot_set_with("Z:\\data", RUST_PROVIDER).unwrap_err();
    assert_eq!(gone.hresult(), HResult::VSS_E_PROVIDER_NOT_REGISTERED);

    // The set still holds the Z:\data snapshot: its commit is refused without
    // calling the provider (which is gone).
    requester.prepare_for_backup().unwrap();
    let refused = requester.do_snapshot_set().unwrap_err();
    assert_eq!(refused.hresult(), HResult::VSS_E_PROVIDER_NOT_REGISTERED);
    drop(requester);

    // Guid::NULL is the default provider.
    let requester = Requester::new(&coordinator).unwrap();
    requester.initialize_for_backup().unwrap();
    requester.gather_writer_metadata().unwrap();
    requester.start_snapshot_set().unwrap();
    let snapshot = requester.add_to_snapshot_set_with("C:\\", Guid::NULL).unwrap();
    requester.prepare_for_backup().unwrap();
    requester.do_snapshot_set().unwrap();
    assert_eq!(requester.snapshot_properties(snapshot).unwrap().provider_id, PROVIDER_SIMULATED_ID);
}

#[test]
fn dropping_the_registration_unregisters_and_bad_registrations_are_refused() {
    let coordinator = coordinator();
    let before = coordinator.provider_count().unwrap();
    {
        let recorder = Recorder::new(RUST_PROVIDER);
        let dropped = recorder.dropped.clone();
        let registration = coordinator.register_provider(Box::new(recorder)).unwrap();
        assert_eq!(coordinator.provider_count().unwrap(), before + 1);

        // The same id again, a taken built-in id, a null id: refused, and the
        // refused provider is dropped at once.
        for (id, code) in [
            (RUST_PROVIDER, HResult::VSS_E_PROVIDER_ALREADY_REGISTERED),
            (PROVIDER_SIMULATED_ID, HResult::VSS_E_PROVIDER_ALREADY_REGISTERED),
            (Guid::NULL, HResult::E_INVALIDARG),
        ] {
            let other = Recorder::new(id);
            let other_dropped = other.dropped.clone();
            let refused = coordinator.register_provider(Box::new(other)).unwrap_err();
            assert_eq!(refused.hresult(), code, "{id}: {refused}");
            assert!(other_dropped.load(Ordering::SeqCst));
        }
        assert_eq!(coordinator.provider_count().unwrap(), before + 1);
        assert!(!dropped.load(Ordering::SeqCst));
        drop(registration);
        assert!(dropped.load(Ordering::SeqCst));
    }
    assert_eq!(coordinator.provider_count().unwrap(), before);
    assert!(coordinator.providers().unwrap().iter().all(|p| p.id != RUST_PROVIDER));

    /// A name with a NUL cannot reach C.
    struct BadName;
    impl Provider for BadName {
        fn id(&self) -> Guid {
            RUST_PROVIDER
        }
        fn name(&self) -> &str {
            "bad\0name"
        }
        fn snapshot_device(&self, _: Guid) -> Result<String> {
            Ok(String::new())
        }
    }
    let refused = coordinator.register_provider(Box::new(BadName)).unwrap_err();
    assert_eq!(refused.hresult(), HResult::E_INVALIDARG);
    assert_eq!(coordinator.provider_count().unwrap(), before);
}

#[test]
fn built_in_providers_are_chosen_by_id_and_their_device_paths_open_the_files() {
    let coordinator = coordinator();
    let volume = std::env::temp_dir().join(format!("vssapi-rust-volume-{}", std::process::id()));
    std::fs::create_dir_all(&volume).unwrap();
    std::fs::write(volume.join("a.txt"), "before").unwrap();
    let volume_name = volume.to_str().unwrap();

    let requester = Requester::new(&coordinator).unwrap();
    requester.initialize_for_backup().unwrap();
    requester.gather_writer_metadata().unwrap();
    requester.start_snapshot_set().unwrap();
    let copy = requester.add_to_snapshot_set_with(volume_name, PROVIDER_COPY_ID).unwrap();
    requester.prepare_for_backup().unwrap();
    requester.do_snapshot_set().unwrap();
    std::fs::write(volume.join("a.txt"), "after").unwrap();

    let props = requester.snapshot_properties(copy).unwrap();
    assert_eq!(props.provider_id, PROVIDER_COPY_ID);
    let device = std::path::PathBuf::from(&props.device_name);
    assert_ne!(device, volume, "a copy is somewhere else");
    assert_eq!(
        std::fs::read_to_string(device.join("a.txt")).unwrap(),
        "before",
        "the copy keeps the snapshot's content"
    );
    drop(requester);
    assert!(!device.exists(), "the copy goes with its requester: {}", device.display());

    // The live provider reads the volume itself.
    let (requester, _, snapshots, done) = back_up(&coordinator, &[volume_name], PROVIDER_LIVE_ID);
    done.unwrap();
    let props = requester.snapshot_properties(snapshots[0]).unwrap();
    assert_eq!(props.provider_id, PROVIDER_LIVE_ID);
    assert_eq!(std::fs::read_to_string(std::path::Path::new(&props.device_name).join("a.txt")).unwrap(), "after");
    drop(requester);
    std::fs::remove_dir_all(&volume).unwrap();
}
