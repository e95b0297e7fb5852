//! Snapshot providers: the coordinator's list, and your [`Provider`] behind a
//! `vss_provider_callbacks` table.
use std::borrow::Cow;
use std::ffi::CStr;
use std::os::raw::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::{self, NonNull};
use std::sync::Arc;

use crate::requester::{field, Filled};
use crate::sys::{self, SizedStruct};
use crate::writer::drop_payload;
use crate::{c_string, check, Coordinator, Error, Guid, HResult, ProviderType, Result};

/// `VSS_PROVIDER_SIMULATED_ID`: every coordinator's default provider (device
/// names that open nothing).
pub const PROVIDER_SIMULATED_ID: Guid = guid(sys::VSS_PROVIDER_SIMULATED_ID);
/// `VSS_PROVIDER_LIVE_ID`: reads the volume folder itself.
pub const PROVIDER_LIVE_ID: Guid = guid(sys::VSS_PROVIDER_LIVE_ID);
/// `VSS_PROVIDER_COPY_ID`: copies the volume folder's tree.
pub const PROVIDER_COPY_ID: Guid = guid(sys::VSS_PROVIDER_COPY_ID);
/// `VSS_PROVIDER_BTRFS_ID` (Linux).
pub const PROVIDER_BTRFS_ID: Guid = guid(sys::VSS_PROVIDER_BTRFS_ID);
/// `VSS_PROVIDER_REFLINK_ID` (Linux).
pub const PROVIDER_REFLINK_ID: Guid = guid(sys::VSS_PROVIDER_REFLINK_ID);
/// `VSS_PROVIDER_FSFREEZE_ID` (Linux).
pub const PROVIDER_FSFREEZE_ID: Guid = guid(sys::VSS_PROVIDER_FSFREEZE_ID);

// `From` is not const.
const fn guid(id: sys::vss_guid) -> Guid {
    Guid { data1: id.data1, data2: id.data2, data3: id.data3, data4: id.data4 }
}

/// A provider the coordinator lists (`vss_provider_info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderInfo {
    pub id: Guid,
    pub name: String,
    pub provider_type: ProviderType,
    pub version: String,
}

/// A snapshot provider written in Rust: the steps of the SDK's
/// IVssProviderCreateSnapshotSet. For one snapshot set the library calls
/// `prepare_for_snapshot` once per volume, then `end_prepare_snapshots`,
/// `pre_commit_snapshots`, `commit_snapshots`, `post_commit_snapshots`,
/// `pre_final_commit_snapshots`, `post_final_commit_snapshots`, then
/// `snapshot_device` once per snapshot, all between the writers' freeze and
/// thaw. A step that returns `Err` (or panics) ends the set: `abort_snapshots`
/// is called and no snapshot is made.
///
/// The steps run on the library's threads, hence `Send + Sync`. An `Err`'s
/// HRESULT is what the library sees (`VSS_E_PROVIDER_VETO` and
/// `VSS_E_UNEXPECTED_PROVIDER_ERROR` are the usual); its message stays on the
/// Rust side, since the C table has no place for it. A panic, or an `Err`
/// with a success code, becomes `VSS_E_UNEXPECTED_PROVIDER_ERROR`.
#[allow(unused_variables)]
pub trait Provider: Send + Sync {
    /// The provider's id: not all zero, and no other registered provider's.
    fn id(&self) -> Guid;
    /// Its name, as the coordinator lists it.
    fn name(&self) -> &str;
    /// Its version string.
    fn version(&self) -> &str {
        "1.0"
    }
    /// Whether `volume` can be snapshotted here: `Ok`, or an `Err` with
    /// `VSS_E_OBJECT_NOT_FOUND` (no such volume) or `VSS_E_VOLUME_NOT_SUPPORTED`
    /// (any other failure is reported as the latter). The default takes every volume.
    fn is_volume_supported(&self, volume: &str) -> Result<()> {
        Ok(())
    }
    /// Once per volume of the set.
    fn prepare_for_snapshot(&self, snapshot_set_id: Guid, snapshot_id: Guid, volume: &str) -> Result<()> {
        Ok(())
    }
    fn end_prepare_snapshots(&self, snapshot_set_id: Guid) -> Result<()> {
        Ok(())
    }
    fn pre_commit_snapshots(&self, snapshot_set_id: Guid) -> Result<()> {
        Ok(())
    }
    /// Makes the snapshots.
    fn commit_snapshots(&self, snapshot_set_id: Guid) -> Result<()> {
        Ok(())
    }
    /// `count`: the snapshots in the set.
    fn post_commit_snapshots(&self, snapshot_set_id: Guid, count: i32) -> Result<()> {
        Ok(())
    }
    fn pre_final_commit_snapshots(&self, snapshot_set_id: Guid) -> Result<()> {
        Ok(())
    }
    fn post_final_commit_snapshots(&self, snapshot_set_id: Guid) -> Result<()> {
        Ok(())
    }
    /// After a failed step; its own result is ignored.
    fn abort_snapshots(&self, snapshot_set_id: Guid) -> Result<()> {
        Ok(())
    }
    /// Where the committed snapshot can be read: the snapshot properties'
    /// `device_name` (at most 4095 bytes of UTF-8, no NUL). Required: it is
    /// what a requester opens the snapshot's files through.
    fn snapshot_device(&self, snapshot_id: Guid) -> Result<String>;
    /// The snapshot is deleted, released with its requester, or was made by a
    /// commit that finished too late; its result is ignored.
    fn delete_snapshot(&self, snapshot_id: Guid) -> Result<()> {
        Ok(())
    }
}

macro_rules! forward {
    () => {
        fn id(&self) -> Guid {
            (**self).id()
        }
        fn name(&self) -> &str {
            (**self).name()
        }
        fn version(&self) -> &str {
            (**self).version()
        }
        fn is_volume_supported(&self, volume: &str) -> Result<()> {
            (**self).is_volume_supported(volume)
        }
        fn prepare_for_snapshot(&self, set: Guid, snapshot: Guid, volume: &str) -> Result<()> {
            (**self).prepare_for_snapshot(set, snapshot, volume)
        }
        fn end_prepare_snapshots(&self, set: Guid) -> Result<()> {
            (**self).end_prepare_snapshots(set)
        }
        fn pre_commit_snapshots(&self, set: Guid) -> Result<()> {
            (**self).pre_commit_snapshots(set)
        }
        fn commit_snapshots(&self, set: Guid) -> Result<()> {
            (**self).commit_snapshots(set)
        }
        fn post_commit_snapshots(&self, set: Guid, count: i32) -> Result<()> {
            (**self).post_commit_snapshots(set, count)
        }
        fn pre_final_commit_snapshots(&self, set: Guid) -> Result<()> {
            (**self).pre_final_commit_snapshots(set)
        }
        fn post_final_commit_snapshots(&self, set: Guid) -> Result<()> {
            (**self).post_final_commit_snapshots(set)
        }
        fn abort_snapshots(&self, set: Guid) -> Result<()> {
            (**self).abort_snapshots(set)
        }
        fn snapshot_device(&self, snapshot: Guid) -> Result<String> {
            (**self).snapshot_device(snapshot)
        }
        fn delete_snapshot(&self, snapshot: Guid) -> Result<()> {
            (**self).delete_snapshot(snapshot)
        }
    };
}

/// Keep a clone of the `Arc` to look at the provider's state while the
/// registration owns the other.
impl<T: Provider + ?Sized> Provider for Arc<T> {
    forward!();
}

impl<T: Provider + ?Sized> Provider for Box<T> {
    forward!();
}

impl Coordinator {
    /// How many providers the coordinator has (`vss_coordinator_provider_count`).
    pub fn provider_count(&self) -> Result<u32> {
        let mut count = 0;
        // SAFETY: a live handle and a valid out pointer.
        check(unsafe { sys::vss_coordinator_provider_count(self.as_raw(), &mut count) })?;
        Ok(count)
    }

    /// One provider; index 0 is the default one (`vss_coordinator_provider`).
    pub fn provider(&self, index: u32) -> Result<ProviderInfo> {
        let mut filled = Filled {
            value: sys::vss_provider_info::sized(),
            // SAFETY: clears what the library filled (or the zeroed struct).
            clear: |v| unsafe { sys::vss_provider_info_clear(v) },
        };
        // SAFETY: a live handle and a sized struct.
        check(unsafe { sys::vss_coordinator_provider(self.as_raw(), index, &mut filled.value) })?;
        let v = &filled.value;
        Ok(ProviderInfo {
            id: v.id.into(),
            name: field(v.name).unwrap_or_default(),
            provider_type: ProviderType(v.type_),
            version: field(v.version).unwrap_or_default(),
        })
    }

    /// Every provider, the default first.
    pub fn providers(&self) -> Result<Vec<ProviderInfo>> {
        (0..self.provider_count()?).map(|i| self.provider(i)).collect()
    }

    /// Plugs `provider` in (`vss_coordinator_register_provider`): requesters
    /// choose it by id with [`Requester::add_to_snapshot_set_with`](crate::Requester::add_to_snapshot_set_with).
    /// It stays registered until the returned handle is dropped or
    /// [`ProviderRegistration::unregister`]ed. `E_INVALIDARG` for a null id or
    /// a name with a NUL byte, `VSS_E_PROVIDER_ALREADY_REGISTERED` for an id
    /// that is taken.
    pub fn register_provider(&self, provider: Box<dyn Provider + Send + Sync>) -> Result<ProviderRegistration<'_>> {
        let id = provider.id();
        let name = c_string(provider.name(), "provider name")?;
        let version = c_string(provider.version(), "provider version")?;
        let mut callbacks = sys::vss_provider_callbacks::sized();
        callbacks.id = id.into();
        callbacks.name = name.as_ptr();
        callbacks.version = version.as_ptr();
        callbacks.is_volume_supported = Some(is_volume_supported);
        callbacks.prepare_for_snapshot = Some(prepare_for_snapshot);
        callbacks.end_prepare_snapshots = Some(end_prepare_snapshots);
        callbacks.pre_commit_snapshots = Some(pre_commit_snapshots);
        callbacks.commit_snapshots = Some(commit_snapshots);
        callbacks.post_commit_snapshots = Some(post_commit_snapshots);
        callbacks.pre_final_commit_snapshots = Some(pre_final_commit_snapshots);
        callbacks.post_final_commit_snapshots = Some(post_final_commit_snapshots);
        callbacks.abort_snapshots = Some(abort_snapshots);
        callbacks.snapshot_device = Some(snapshot_device);
        callbacks.delete_snapshot = Some(delete_snapshot);

        let slot = NonNull::from(Box::leak(Box::new(Slot { provider })));
        // SAFETY: the table and its strings are valid for the call and
        // copied; `user` stays in the heap until the provider is unregistered.
        let registered =
            check(unsafe { sys::vss_coordinator_register_provider(self.as_raw(), &callbacks, slot.as_ptr().cast()) });
        match registered {
            Ok(_) => Ok(ProviderRegistration { coordinator: self, id, slot, registered: true }),
            Err(error) => {
                // SAFETY: the library kept nothing; the Box is taken back once.
                drop(unsafe { Box::from_raw(slot.as_ptr()) });
                Err(error)
            }
        }
    }
}

/// What the C user pointer points to: a thin pointer to the trait object.
struct Slot {
    provider: Box<dyn Provider + Send + Sync>,
}

/// A registered [`Provider`]. Borrows its coordinator, whose handle the
/// unregistration needs. Dropping it unregisters the provider
/// (`vss_coordinator_unregister_provider`, which waits for a running step and
/// lets none start after it) and then drops the provider. Do not drop it from
/// inside one of its own provider's steps: that wait would never end.
pub struct ProviderRegistration<'c> {
    coordinator: &'c Coordinator,
    id: Guid,
    // From Box::leak: the library holds this pointer as its `user`. Freed
    // once the library has let go of it.
    slot: NonNull<Slot>,
    registered: bool,
}

impl std::fmt::Debug for ProviderRegistration<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderRegistration").field("id", &self.id).finish_non_exhaustive()
    }
}

// SAFETY: the coordinator handle is Sync, and the provider the library calls
// is Send + Sync.
unsafe impl Send for ProviderRegistration<'_> {}
unsafe impl Sync for ProviderRegistration<'_> {}

impl ProviderRegistration<'_> {
    /// The provider's id, as requesters name it.
    pub fn id(&self) -> Guid {
        self.id
    }

    /// The provider, as the trait object the registration owns.
    pub fn provider(&self) -> &dyn Provider {
        // SAFETY: the slot lives as long as `self`; steps only read it too.
        unsafe { &*self.slot.as_ptr() }.provider.as_ref()
    }

    /// Unregisters now, with the library's answer. Should it fail, the
    /// library may still call the provider, so it is never dropped (leaked).
    pub fn unregister(mut self) -> Result<()> {
        self.release()
    }

    fn release(&mut self) -> Result<()> {
        if !self.registered {
            return Ok(());
        }
        self.registered = false;
        let id = sys::vss_guid::from(self.id);
        // SAFETY: the coordinator handle outlives `self`; the id is read during the call.
        check(unsafe { sys::vss_coordinator_unregister_provider(self.coordinator.as_raw(), &id) })?;
        // SAFETY: after a successful unregister no step runs or starts, so
        // nothing references the slot; the Box is taken back once.
        drop(unsafe { Box::from_raw(self.slot.as_ptr()) });
        Ok(())
    }
}

impl Drop for ProviderRegistration<'_> {
    fn drop(&mut self) {
        // A failure leaks the provider (see `unregister`); there is no one to tell.
        let _ = self.release();
    }
}

// ---- the extern "system" (VSS_CALL) trampolines -----------------------------

/// Runs a step: `Err` becomes its HRESULT, a panic
/// VSS_E_UNEXPECTED_PROVIDER_ERROR, never an unwind into C.
fn guard(user: *mut c_void, body: impl FnOnce(&dyn Provider) -> Result<()>) -> sys::vss_hresult {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `user` is the Slot the registration owns; the library calls
        // steps only while the provider is registered.
        let slot = unsafe { &*(user as *const Slot) };
        body(&*slot.provider)
    }));
    match outcome {
        Ok(Ok(())) => HResult::S_OK.0,
        // The library must see a failure, whatever code the Err carries.
        Ok(Err(error)) if error.hresult().is_failure() => error.code(),
        Ok(Err(_)) => HResult::VSS_E_UNEXPECTED_PROVIDER_ERROR.0,
        Err(payload) => {
            drop_payload(payload);
            HResult::VSS_E_UNEXPECTED_PROVIDER_ERROR.0
        }
    }
}

/// A GUID the library passes (NULL read as GUID_NULL).
fn id(raw: *const sys::vss_guid) -> Guid {
    if raw.is_null() {
        Guid::NULL
    } else {
        // SAFETY: a valid GUID for the call.
        Guid::from(unsafe { *raw })
    }
}

/// A string the library passes: UTF-8 by contract, so lossless in practice.
fn text<'a>(raw: *const c_char) -> Cow<'a, str> {
    if raw.is_null() {
        Cow::Borrowed("")
    } else {
        // SAFETY: a NUL-terminated string valid for the call.
        unsafe { CStr::from_ptr(raw) }.to_string_lossy()
    }
}

/// Copies `device` and its NUL into the library's buffer of `size` bytes.
fn write_device(device: &str, buffer: *mut c_char, size: u32) -> Result<()> {
    if device.as_bytes().contains(&0) {
        return Err(Error::new(HResult::VSS_E_UNEXPECTED_PROVIDER_ERROR, "the device path contains a NUL byte"));
    }
    if buffer.is_null() || device.len() >= size as usize {
        return Err(Error::new(HResult::E_NOT_SUFFICIENT_BUFFER, "the device path does not fit the library's buffer"));
    }
    // SAFETY: the buffer holds `size` bytes, more than the path and its NUL.
    unsafe {
        ptr::copy_nonoverlapping(device.as_ptr(), buffer.cast::<u8>(), device.len());
        *buffer.add(device.len()) = 0;
    }
    Ok(())
}

extern "system" fn is_volume_supported(user: *mut c_void, volume: *const c_char) -> sys::vss_hresult {
    guard(user, |p| p.is_volume_supported(&text(volume)))
}

extern "system" fn prepare_for_snapshot(
    user: *mut c_void,
    snapshot_set_id: *const sys::vss_guid,
    snapshot_id: *const sys::vss_guid,
    volume: *const c_char,
) -> sys::vss_hresult {
    guard(user, |p| p.prepare_for_snapshot(id(snapshot_set_id), id(snapshot_id), &text(volume)))
}

macro_rules! step {
    ($name:ident) => {
        extern "system" fn $name(user: *mut c_void, snapshot_set_id: *const sys::vss_guid) -> sys::vss_hresult {
            guard(user, |p| p.$name(id(snapshot_set_id)))
        }
    };
}

step!(end_prepare_snapshots);
step!(pre_commit_snapshots);
step!(commit_snapshots);
step!(pre_final_commit_snapshots);
step!(post_final_commit_snapshots);
step!(abort_snapshots);

extern "system" fn post_commit_snapshots(
    user: *mut c_void,
    snapshot_set_id: *const sys::vss_guid,
    count: i32,
) -> sys::vss_hresult {
    guard(user, |p| p.post_commit_snapshots(id(snapshot_set_id), count))
}

extern "system" fn snapshot_device(
    user: *mut c_void,
    snapshot_id: *const sys::vss_guid,
    buffer: *mut c_char,
    size: u32,
) -> sys::vss_hresult {
    guard(user, |p| write_device(&p.snapshot_device(id(snapshot_id))?, buffer, size))
}

extern "system" fn delete_snapshot(user: *mut c_void, snapshot_id: *const sys::vss_guid) -> sys::vss_hresult {
    guard(user, |p| p.delete_snapshot(id(snapshot_id)))
}
