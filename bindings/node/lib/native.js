'use strict';
// The flat C API (abi/vssapi/vssapi.h) and the binding's C helper
// (native/vssapi_node.c), declared for koffi. Nothing here is public: the
// classes in index.js wrap it.
const path = require('node:path');
const fs = require('node:fs');
const koffi = require('koffi');

// Where the libraries are looked for, in this order:
//   1. VSSAPI_LIBRARY / VSSAPI_NODE_HELPER, when set: that file, and nothing else
//      (the overrides; Meson's test sets them to the build tree's files). With
//      VSSAPI_LIBRARY a path and no VSSAPI_NODE_HELPER, the helper is looked for
//      beside it and where Meson builds it (<build>/src -> <build>/bindings/node,
//      or VSSAPI_BUILD_ROOT/bindings/node) before the steps below.
//   2. The system's loader, by soname: libvssapi.so.1 and libvssapi_node.so
//      (LD_LIBRARY_PATH, the ld.so cache, the default folders); vssapi.dll and
//      vssapi_node.dll on Windows (PATH), libvssapi.1.dylib on macOS.
//   3. Beside the installed package: the library folder Meson recorded in
//      lib/install.json when it installed this package (meson install), then
//      the package's own native/ folder (for libraries copied into it).
const PACKAGE_ROOT = path.join(__dirname, '..');

const NAMES = process.platform === 'win32'
  ? { library: ['vssapi.dll', 'libvssapi.dll'], helper: ['vssapi_node.dll', 'libvssapi_node.dll'] }
  : process.platform === 'darwin'
    ? { library: ['libvssapi.1.dylib'], helper: ['libvssapi_node.dylib'] }
    : { library: ['libvssapi.so.1'], helper: ['libvssapi_node.so'] };

// The folders beside the installed package (step 3).
function packageFolders() {
  const folders = [];
  try {
    const recorded = JSON.parse(fs.readFileSync(path.join(__dirname, 'install.json'), 'utf8'));
    if (typeof recorded.libdir === 'string' && recorded.libdir !== '') {
      folders.push(recorded.libdir);
    }
  } catch {
    // not installed by Meson (a source tree, or npm pack's tarball)
  }
  folders.push(path.join(PACKAGE_ROOT, 'native'));
  return folders;
}

// Tries each candidate; throws an Error that lists every failure.
function loadFirst(what, candidates, advice) {
  const errors = [];
  for (const candidate of candidates) {
    if (candidate.includes(path.sep) || candidate.includes('/')) {
      if (!fs.existsSync(candidate)) {
        errors.push(`${candidate}: no such file`);
        continue;
      }
    }
    try {
      return { lib: koffi.load(candidate), where: candidate };
    } catch (error) {
      errors.push(`${candidate}: ${error.message}`);
    }
  }
  throw new Error(`vssapi: cannot load ${what}; ${advice} (tried ${errors.join('; ')})`);
}

const inFolders = (folders, names) => folders.flatMap((folder) => names.map((name) => path.join(folder, name)));

function loadLibrary() {
  const explicit = process.env.VSSAPI_LIBRARY;
  if (explicit) {
    return loadFirst('the library', [explicit], 'VSSAPI_LIBRARY names a file that does not load');
  }
  return loadFirst('the library', [...NAMES.library, ...inFolders(packageFolders(), NAMES.library)],
    `install openvss (meson install), or point ${process.platform === 'win32' ? 'PATH' : 'LD_LIBRARY_PATH'} ` +
    'at the folder that holds it, or set VSSAPI_LIBRARY to its path');
}

function loadHelper(libraryPath) {
  const explicit = process.env.VSSAPI_NODE_HELPER;
  if (explicit) {
    return loadFirst('the binding\'s helper', [explicit], 'VSSAPI_NODE_HELPER names a file that does not load');
  }
  const first = [];
  if (libraryPath.includes('/') || libraryPath.includes(path.sep)) {
    // Beside the library that was loaded, or where Meson builds the helper.
    const directory = path.dirname(path.resolve(libraryPath));
    first.push(directory, path.join(directory, '..', 'bindings', 'node'));
  }
  if (process.env.VSSAPI_BUILD_ROOT) {
    first.push(path.join(process.env.VSSAPI_BUILD_ROOT, 'bindings', 'node'));
  }
  const candidates = [...inFolders(first, NAMES.helper), ...NAMES.helper, ...inFolders(packageFolders(), NAMES.helper)];
  return loadFirst('the binding\'s helper', [...new Set(candidates)],
    `it is ${NAMES.helper[0]}, installed beside libvssapi (built by Meson from bindings/node/native/vssapi_node.c); ` +
    'point the loader at its folder or set VSSAPI_NODE_HELPER to its path');
}

const { lib, where } = loadLibrary();
const { lib: helper, where: helperWhere } = loadHelper(where);

// ---- types ------------------------------------------------------------------

const guid = koffi.struct('vss_guid', {
  data1: 'uint32_t',
  data2: 'uint16_t',
  data3: 'uint16_t',
  data4: koffi.array('uint8_t', 8, 'Array'),
});

const coordinatorOptions = koffi.struct('vss_coordinator_options', {
  size: 'uint32_t',
  workers: 'uint32_t',
  event_timeout_ms: 'uint32_t',
  commit_window_ms: 'uint32_t',
  session_limit: 'uint32_t',
  virtual_clock: 'int32_t',
});

const writerInfo = koffi.struct('vss_writer_info', {
  size: 'uint32_t',
  class_id: 'const vss_guid *',
  name: 'const char *',
  instance_name: 'const char *',
  usage: 'int32_t',
  source: 'int32_t',
  level: 'int32_t',
  freeze_timeout_ms: 'uint32_t',
  version_major: 'uint32_t',
  version_minor: 'uint32_t',
});

// Library-allocated strings stay pointers (void *) so that the typed *_clear
// functions can free them after they are decoded.
const writerIdentity = koffi.struct('vss_writer_identity', {
  size: 'uint32_t',
  instance_id: 'vss_guid',
  class_id: 'vss_guid',
  name: 'void *',
  instance_name: 'void *',
  usage: 'int32_t',
  source: 'int32_t',
  component_count: 'uint32_t',
});

const componentInfo = koffi.struct('vss_component_info', {
  size: 'uint32_t',
  type: 'int32_t',
  logical_path: 'void *',
  name: 'void *',
  caption: 'void *',
  selectable: 'int32_t',
  file_count: 'uint32_t',
  database_count: 'uint32_t',
  log_count: 'uint32_t',
});

const writerStatus = koffi.struct('vss_writer_status', {
  size: 'uint32_t',
  instance_id: 'vss_guid',
  class_id: 'vss_guid',
  name: 'void *',
  state: 'int32_t',
  hr_failure_writer: 'int32_t',
  hr_application: 'int32_t',
  message: 'void *',
});

const componentFailure = koffi.struct('vss_component_failure', {
  size: 'uint32_t',
  instance_id: 'vss_guid',
  class_id: 'vss_guid',
  logical_path: 'void *',
  name: 'void *',
  hr: 'int32_t',
  hr_application: 'int32_t',
  message: 'void *',
});

const snapshotProps = koffi.struct('vss_snapshot_props', {
  size: 'uint32_t',
  snapshot_id: 'vss_guid',
  snapshot_set_id: 'vss_guid',
  provider_id: 'vss_guid',
  snapshots_in_set: 'int32_t',
  original_volume: 'void *',
  device_name: 'void *',
  attributes: 'int32_t',
  creation_time: 'int64_t',
});

const providerInfo = koffi.struct('vss_provider_info', {
  size: 'uint32_t',
  id: 'vss_guid',
  name: 'void *',
  type: 'int32_t',
  version: 'void *',
});

const retryPolicy = koffi.struct('vss_retry_policy', {
  size: 'uint32_t',
  max_retries: 'uint32_t',
  wait_ms: 'uint64_t',
  in_progress_max_retries: 'uint32_t',
  reserved: 'uint32_t',
  in_progress_wait_ms: 'uint64_t',
});

const retryAttempt = koffi.struct('vss_retry_attempt', {
  size: 'uint32_t',
  number: 'uint32_t',
  result: 'int32_t',
  retry_class: 'int32_t',
  start_ms: 'uint64_t',
  end_ms: 'uint64_t',
  wait_ms: 'uint64_t',
});

// The helper calls one JS function per provider for every step it has.
const providerDispatchProto = koffi.proto('int32_t vssnode_provider_dispatch(int32_t step, void *first, ' +
  'void *second, const char *volume, int32_t count, int32_t may_pend, void *wait)');
const providerDispatchPointer = koffi.pointer(providerDispatchProto);
// And, for one run of the retry helper, one per attempt and one per report.
const attemptDispatchProto = koffi.proto('int32_t vssnode_attempt_dispatch(void *requester, uint32_t number, void *wait)');
const attemptDispatchPointer = koffi.pointer(attemptDispatchProto);
const reportDispatchProto = koffi.proto('void vssnode_report_dispatch(void *attempt)');
const reportDispatchPointer = koffi.pointer(reportDispatchProto);

// The helper calls one JS function per writer for every event it handles.
const dispatchProto = koffi.proto('int32_t vssnode_dispatch(int32_t event, void *writer, void *argument, void *call)');
const dispatchPointer = koffi.pointer(dispatchProto);

// ---- functions --------------------------------------------------------------

const f = (signature) => lib.func(signature);
const h = (signature) => helper.func(signature);

const api = {
  vss_version: f('const char *vss_version(void)'),
  vss_abi_version: f('int32_t vss_abi_version(void)'),
  vss_last_error_message: f('const char *vss_last_error_message(void)'),
  vss_free: f('void vss_free(void *memory)'),
  vss_hresult_name: f('const char *vss_hresult_name(int32_t hr)'),
  vss_hresult_meaning: f('const char *vss_hresult_meaning(int32_t hr)'),
  vss_writer_state_name: f('const char *vss_writer_state_name(int32_t state)'),
  vss_is_retryable: f('int32_t vss_is_retryable(int32_t hr)'),

  vss_coordinator_default: f('int32_t vss_coordinator_default(_Out_ void **out)'),
  vss_coordinator_create: f('int32_t vss_coordinator_create(const vss_coordinator_options *options, _Out_ void **out)'),
  vss_coordinator_advance_clock: f('int32_t vss_coordinator_advance_clock(void *coordinator, uint64_t milliseconds)'),
  vss_coordinator_release: f('void vss_coordinator_release(void *coordinator)'),

  vss_writer_subscribe: f('int32_t vss_writer_subscribe(void *writer)'),
  vss_writer_unsubscribe: f('int32_t vss_writer_unsubscribe(void *writer)'),
  vss_writer_instance_id: f('int32_t vss_writer_instance_id(void *writer, _Out_ vss_guid *out)'),
  vss_writer_set_failure_ex: f('int32_t vss_writer_set_failure_ex(void *writer, int32_t hr_writer, int32_t hr_application, const char *message)'),
  vss_writer_set_failure: f('int32_t vss_writer_set_failure(void *writer, int32_t hr_writer)'),
  vss_writer_session_id: f('int32_t vss_writer_session_id(void *writer, _Out_ vss_guid *out)'),

  vss_metadata_add_component: f('int32_t vss_metadata_add_component(void *metadata, int32_t type, const char *logical_path, const char *name, const char *caption, int32_t selectable)'),
  vss_metadata_add_files: f('int32_t vss_metadata_add_files(void *metadata, int32_t kind, const char *logical_path, const char *component_name, const char *path, const char *filespec, int32_t recursive)'),
  vss_metadata_add_include_files: f('int32_t vss_metadata_add_include_files(void *metadata, const char *path, const char *filespec, int32_t recursive)'),
  vss_metadata_add_exclude_files: f('int32_t vss_metadata_add_exclude_files(void *metadata, const char *path, const char *filespec, int32_t recursive)'),

  vss_components_count: f('int32_t vss_components_count(void *components, _Out_ uint32_t *count)'),
  vss_components_get: f('int32_t vss_components_get(void *components, uint32_t index, _Out_ void **logical_path, _Out_ void **name)'),
  vss_components_set_failure: f('int32_t vss_components_set_failure(void *components, uint32_t index, int32_t hr, int32_t hr_application, const char *message)'),

  vss_requester_create: f('int32_t vss_requester_create(void *coordinator, _Out_ void **out)'),
  vss_requester_release: f('void vss_requester_release(void *requester)'),
  vss_requester_session_id: f('int32_t vss_requester_session_id(void *requester, _Out_ vss_guid *out)'),
  vss_requester_initialize_for_backup: f('int32_t vss_requester_initialize_for_backup(void *requester)'),
  vss_requester_set_context: f('int32_t vss_requester_set_context(void *requester, int32_t context)'),
  vss_requester_set_backup_state: f('int32_t vss_requester_set_backup_state(void *requester, int32_t select_components, int32_t bootable_system_state, int32_t backup_type, int32_t partial_file_support)'),
  vss_requester_save_document: f('int32_t vss_requester_save_document(void *requester, _Out_ void **xml)'),
  vss_requester_initialize_for_restore: f('int32_t vss_requester_initialize_for_restore(void *requester, const char *xml)'),
  vss_requester_resume_backup: f('int32_t vss_requester_resume_backup(void *requester, const char *xml)'),
  vss_requester_set_restore_state: f('int32_t vss_requester_set_restore_state(void *requester, int32_t restore_type)'),
  vss_requester_select_for_restore: f('int32_t vss_requester_select_for_restore(void *requester, const vss_guid *writer_class, int32_t type, const char *logical_path, const char *name, int32_t selected)'),
  vss_requester_set_restore_options: f('int32_t vss_requester_set_restore_options(void *requester, const vss_guid *writer_class, int32_t type, const char *logical_path, const char *name, const char *options)'),
  vss_requester_set_file_restore_status: f('int32_t vss_requester_set_file_restore_status(void *requester, const vss_guid *writer_class, int32_t type, const char *logical_path, const char *name, int32_t status)'),
  vss_components_get_text: f('int32_t vss_components_get_text(void *components, uint32_t index, int32_t which, _Out_ void **text)'),
  vss_components_set_text: f('int32_t vss_components_set_text(void *components, uint32_t index, int32_t which, const char *text)'),
  vss_components_selected_for_restore: f('int32_t vss_components_selected_for_restore(void *components, uint32_t index, _Out_ int32_t *selected)'),
  vss_components_file_restore_status: f('int32_t vss_components_file_restore_status(void *components, uint32_t index, _Out_ int32_t *status)'),
  vss_requester_run: f('int32_t vss_requester_run(void *requester, int32_t step)'),
  vss_requester_start: f('int32_t vss_requester_start(void *requester, int32_t step, _Out_ void **out)'),
  vss_async_wait: f('int32_t vss_async_wait(void *async, uint32_t milliseconds)'),
  vss_async_status: f('int32_t vss_async_status(void *async, _Out_ int32_t *status)'),
  vss_async_cancel: f('int32_t vss_async_cancel(void *async)'),
  vss_async_release: f('void vss_async_release(void *async)'),

  vss_requester_writer_count: f('int32_t vss_requester_writer_count(void *requester, _Out_ uint32_t *count)'),
  vss_requester_writer_identity: f('int32_t vss_requester_writer_identity(void *requester, uint32_t index, _Inout_ vss_writer_identity *out)'),
  vss_writer_identity_clear: f('void vss_writer_identity_clear(_Inout_ vss_writer_identity *identity)'),
  vss_requester_writer_component: f('int32_t vss_requester_writer_component(void *requester, uint32_t writer_index, uint32_t component_index, _Inout_ vss_component_info *out)'),
  vss_component_info_clear: f('void vss_component_info_clear(_Inout_ vss_component_info *info)'),
  vss_requester_add_component: f('int32_t vss_requester_add_component(void *requester, const vss_guid *instance_id, const vss_guid *class_id, int32_t type, const char *logical_path, const char *name)'),
  vss_requester_add_all_components: f('int32_t vss_requester_add_all_components(void *requester)'),
  vss_requester_start_snapshot_set: f('int32_t vss_requester_start_snapshot_set(void *requester, _Out_ vss_guid *snapshot_set_id)'),
  vss_requester_add_to_snapshot_set: f('int32_t vss_requester_add_to_snapshot_set(void *requester, const char *volume, _Out_ vss_guid *snapshot_id)'),
  vss_requester_status_count: f('int32_t vss_requester_status_count(void *requester, _Out_ uint32_t *count)'),
  vss_requester_status: f('int32_t vss_requester_status(void *requester, uint32_t index, _Inout_ vss_writer_status *out)'),
  vss_writer_status_clear: f('void vss_writer_status_clear(_Inout_ vss_writer_status *status)'),
  vss_requester_component_count: f('int32_t vss_requester_component_count(void *requester, _Out_ uint32_t *count)'),
  vss_requester_component_failure: f('int32_t vss_requester_component_failure(void *requester, uint32_t index, _Inout_ vss_component_failure *out)'),
  vss_component_failure_clear: f('void vss_component_failure_clear(_Inout_ vss_component_failure *failure)'),
  vss_requester_snapshot_props: f('int32_t vss_requester_snapshot_props(void *requester, const vss_guid *snapshot_id, _Inout_ vss_snapshot_props *out)'),
  vss_snapshot_props_clear: f('void vss_snapshot_props_clear(_Inout_ vss_snapshot_props *props)'),

  vss_requester_add_to_snapshot_set_with: f('int32_t vss_requester_add_to_snapshot_set_with(void *requester, const char *volume, const vss_guid *provider_id, _Out_ vss_guid *snapshot_id)'),
  vss_coordinator_provider_count: f('int32_t vss_coordinator_provider_count(void *coordinator, _Out_ uint32_t *count)'),
  vss_coordinator_provider: f('int32_t vss_coordinator_provider(void *coordinator, uint32_t index, _Inout_ vss_provider_info *out)'),
  vss_provider_info_clear: f('void vss_provider_info_clear(_Inout_ vss_provider_info *info)'),
  vss_retry_policy_default: f('int32_t vss_retry_policy_default(_Inout_ vss_retry_policy *policy)'),

  vss_scenario_load: f('int32_t vss_scenario_load(void *coordinator, const char *path, _Out_ void **out)'),
  vss_scenario_load_text: f('int32_t vss_scenario_load_text(void *coordinator, const char *json, _Out_ void **out)'),
  vss_scenario_release: f('void vss_scenario_release(void *scenario)'),

  // The helper (native/vssapi_node.c).
  vssnode_abi_version: h('int32_t vssnode_abi_version(void)'),
  vssnode_writer_create: h('int32_t vssnode_writer_create(void *coordinator, const vss_writer_info *info, uint32_t event_mask, vssnode_dispatch *dispatch, _Out_ void **out)'),
  vssnode_writer_handle: h('void *vssnode_writer_handle(void *writer)'),
  vssnode_writer_release: h('void vssnode_writer_release(void *writer)'),
  vssnode_set_failure: h('int32_t vssnode_set_failure(void *call, int32_t hr_writer)'),
  vssnode_set_failure_ex: h('int32_t vssnode_set_failure_ex(void *call, int32_t hr_writer, int32_t hr_application, const char *message)'),
  vssnode_session_id: h('int32_t vssnode_session_id(void *call, _Out_ vss_guid *out)'),
  vssnode_finish: h('void vssnode_finish(void *call, int32_t result)'),
  vssnode_call_error: h('const char *vssnode_call_error(void *call)'),
  vssnode_requester_abort: h('int32_t vssnode_requester_abort(void *requester, void *error, uint32_t capacity)'),
};

const HELPER_ABI = 2;
const helperAbi = helper.func('int32_t vssnode_abi_version(void)')();
if (helperAbi !== HELPER_ABI) {
  throw new Error(`vssapi: ${helperWhere} is the helper of another version of this binding (its ABI ${helperAbi}, ` +
    `this binding's ${HELPER_ABI}): rebuild or reinstall it with the same openvss`);
}

Object.assign(api, {
  vssnode_wait_finish: h('void vssnode_wait_finish(void *wait, int32_t result)'),
  vssnode_provider_register: h('int32_t vssnode_provider_register(void *coordinator, const vss_guid *id, const char *name, const char *version, uint32_t step_mask, vssnode_provider_dispatch *dispatch, _Out_ void **out)'),
  vssnode_provider_unregister: h('int32_t vssnode_provider_unregister(void *coordinator, const vss_guid *id, void *error, uint32_t capacity)'),
  vssnode_provider_free: h('void vssnode_provider_free(void *provider)'),
  vssnode_provider_set_device: h('int32_t vssnode_provider_set_device(void *wait, const char *device)'),
  vssnode_retry_run: h('int32_t vssnode_retry_run(void *coordinator, const vss_retry_policy *policy, vssnode_attempt_dispatch *attempt, vssnode_report_dispatch *report, void *error, uint32_t capacity)'),
});

// Decodes a library-allocated UTF-8 string (a BigInt pointer or null).
function decodeString(pointer) {
  return pointer === null || pointer === 0n ? null : koffi.decode(pointer, 'char', -1);
}

module.exports = {
  koffi,
  api,
  decodeString,
  types: {
    guid, coordinatorOptions, writerInfo, writerIdentity, componentInfo, writerStatus, componentFailure,
    snapshotProps, dispatchPointer, providerInfo, retryPolicy, retryAttempt, providerDispatchPointer,
    attemptDispatchPointer, reportDispatchPointer,
  },
  libraryPath: where,
  helperPath: helperWhere,
};
