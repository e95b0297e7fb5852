'use strict';
// vssapi for Node.js: the flat C API of openvss (abi/vssapi/vssapi.h) as
// JavaScript classes, through koffi.
//
// Threads. The library runs a writer's handlers on its own pool threads; koffi
// queues each of those calls to the JS thread and the pool thread waits for
// the answer. So the JS thread must stay free while a backup runs in the same
// process: the requester's steps are async (start, then poll the status with
// timers), and so are the calls that wait for handlers (Writer#close,
// Requester#close, Requester#abort). Requester#runSync and VssAsync#waitSync
// block the JS thread and must not be used while a writer of this process has
// handlers. The same holds for JS snapshot providers (their steps come on the
// library's threads but isVolumeSupported, which comes on the JS thread inside
// addToSnapshotSet) and for retryRun, which runs vss_retry_run on a worker
// thread and its attempts on the JS thread.
const { koffi, api, decodeString, types, libraryPath, helperPath } = require('./native');
const { fileURLToPath } = require('node:url');
const { AsyncLocalStorage } = require('node:async_hooks');
const constants = require('./constants');

const { HRESULT, Step } = constants;
const ASYNC_PENDING = HRESULT.VSS_S_ASYNC_PENDING;
const ASYNC_FINISHED = HRESULT.VSS_S_ASYNC_FINISHED;
const ASYNC_CANCELLED = HRESULT.VSS_S_ASYNC_CANCELLED;
const PENDING_HANDLER = 0x7fff0001; // VSSNODE_PENDING in native/vssapi_node.c
const ERROR_CAPACITY = 1024; // the helper copies a worker thread's vss_last_error_message() into this many bytes

// ---- HRESULTs and errors ------------------------------------------------------

const int32 = (hr) => hr | 0;
const uint32 = (hr) => hr >>> 0;

/** The symbolic name of an HRESULT ("VSS_E_BAD_STATE", or "0x12345678" when unknown). */
function hresultName(hr) {
  return api.vss_hresult_name(int32(hr));
}

/** A one-line meaning of an HRESULT. */
function hresultMeaning(hr) {
  return api.vss_hresult_meaning(int32(hr));
}

/** The name of a VSS_WRITER_STATE ("FAILED_AT_FREEZE"), "?" when out of range. */
function writerStateName(state) {
  return api.vss_writer_state_name(state | 0);
}

/** 1: retry after the long wait; 2: retry on the short back-off; 0: do not retry. */
function isRetryable(hr) {
  return api.vss_is_retryable(int32(hr));
}

/** The library's version ("0.1.0"). */
function version() {
  return api.vss_version();
}

/** The library's ABI version (VSSAPI_ABI_VERSION). */
function abiVersion() {
  return api.vss_abi_version();
}

/**
 * A failed call: `hresult` (unsigned, as written: 0x80070057), `code` (its
 * name, "E_INVALIDARG"), `meaning`, and as `message` the library's own
 * vss_last_error_message() for that call.
 */
class VssError extends Error {
  constructor(hresult, message) {
    const hr = uint32(hresult);
    const name = hresultName(hr);
    super(message || `${name} (${hresultMeaning(hr)})`);
    this.name = 'VssError';
    this.hresult = hr;
    this.code = name;
    this.meaning = hresultMeaning(hr);
  }

  /** vss_is_retryable of the HRESULT. */
  get retryable() {
    return isRetryable(this.hresult);
  }
}

// Throws a VssError when hr failed, with the message this thread's failing call
// left (or the one given, copied from another thread).
function check(hr, message = undefined) {
  if (hr < 0) {
    throw new VssError(hr, message === undefined ? api.vss_last_error_message() : message);
  }
  return uint32(hr);
}

// ---- GUIDs --------------------------------------------------------------------

const hex = (value, digits) => value.toString(16).padStart(digits, '0');

function guidToString(g) {
  const d = g.data4;
  return `${hex(g.data1, 8)}-${hex(g.data2, 4)}-${hex(g.data3, 4)}-${hex(d[0], 2)}${hex(d[1], 2)}-` +
    Array.from(d.slice(2), (b) => hex(b, 2)).join('');
}

const GUID_PATTERN = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

// A GUID string ("5e1f0001-1111-2222-8001-020304050607", braces allowed) or
// vss_guid-shaped object as the struct koffi passes; null stays null.
function guidFromValue(value) {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'object' && 'data1' in value) {
    return value;
  }
  const match = GUID_PATTERN.exec(String(value));
  if (!match) {
    throw new TypeError(`not a GUID: ${value}`);
  }
  const tail = match[4] + match[5];
  const data4 = [];
  for (let i = 0; i < 16; i += 2) {
    data4.push(parseInt(tail.slice(i, i + 2), 16));
  }
  return {
    data1: parseInt(match[1], 16),
    data2: parseInt(match[2], 16),
    data3: parseInt(match[3], 16),
    data4,
  };
}

/** Normalises a GUID string or object to the lower-case string form. */
function guid(value) {
  return guidToString(guidFromValue(value));
}

// ---- release if the user forgets -------------------------------------------------

// Handlers reach native state only, never the wrapper objects, so a wrapper the
// program dropped can be collected and its handle released here. Handles whose
// release may wait for writer handlers are released off the JS thread.
const finalizers = new FinalizationRegistry((held) => {
  try {
    held.release();
  } catch {
    // nothing can be reported from a finalizer
  }
});

function releaseOffThread(fn, handle) {
  return new Promise((resolve, reject) => {
    fn.async(handle, (error) => (error ? reject(error) : resolve()));
  });
}

// ---- coordinator ----------------------------------------------------------------

const CLOCK_NAMES = { real: constants.Clock.REAL, manual: constants.Clock.MANUAL,
  simulated: constants.Clock.SIMULATED };

// The vss_clock_kind of Coordinator's virtualClock option.
function clockKind(value) {
  if (value === undefined || value === null || typeof value === 'boolean') {
    return value ? constants.Clock.MANUAL : constants.Clock.REAL;
  }
  if (typeof value === 'string' && Object.hasOwn(CLOCK_NAMES, value)) {
    return CLOCK_NAMES[value];
  }
  if (Object.values(constants.Clock).includes(value)) {
    return value;
  }
  throw new TypeError(`virtualClock must be true, false, 'real', 'manual', 'simulated' or a Clock value, not ${
    typeof value === 'string' ? `'${value}'` : String(value)}`);
}

/**
 * The embedded VSS service writers and requesters meet in. `new Coordinator()`
 * is an isolated one; `Coordinator.default()` is the process's.
 */
class Coordinator {
  /**
   * @param {object} [options]
   * @param {number} [options.workers] handler threads (0: two per core, at least 4)
   * @param {number} [options.eventTimeoutMs] (0: 600,000)
   * @param {number} [options.commitWindowMs] (0: 10,000)
   * @param {number} [options.sessionLimit] (0: 64)
   * @param {boolean|string|number} [options.virtualClock] false or 'real' (the default): steady
   *   real time; true or 'manual': time moves only with advanceClock; 'simulated': virtual time
   *   that jumps to the next deadline once all the library's work waits on it, so a scenario's
   *   10-minute timeouts pass at once (or a Clock value)
   */
  constructor(options = {}, handle = undefined) {
    if (handle === undefined) {
      const out = [null];
      check(api.vss_coordinator_create({
        size: koffi.sizeof(types.coordinatorOptions),
        workers: options.workers ?? 0,
        event_timeout_ms: options.eventTimeoutMs ?? 0,
        commit_window_ms: options.commitWindowMs ?? 0,
        session_limit: options.sessionLimit ?? 0,
        virtual_clock: clockKind(options.virtualClock),
      }, out));
      handle = out[0];
    }
    this._handle = handle;
    this._closing = null;
    // The providers registered through this object: unregistered by close() (or
    // when the object is collected), before the handle is released.
    this._providers = new Set();
    const registered = this._providers;
    finalizers.register(this, { release: () => releaseCoordinator(handle, registered) }, this);
  }

  /** The process's default coordinator (a new reference to it). */
  static default() {
    const out = [null];
    check(api.vss_coordinator_default(out));
    return new Coordinator({}, out[0]);
  }

  // The handle, refusing a closed coordinator (NULL would mean the default one).
  _open(what) {
    if (this._handle === null) {
      throw new VssError(constants.HRESULT.E_INVALIDARG, `${what}: the coordinator is closed`);
    }
    return this._handle;
  }

  /** Moves a manual clock on; VssError VSS_E_BAD_STATE on a real or simulated one. */
  advanceClock(milliseconds) {
    check(api.vss_coordinator_advance_clock(this._handle, BigInt(milliseconds)));
  }

  /**
   * The snapshot providers of this coordinator, its default (SIMULATED) first:
   * [{ id, name, type, version }] (type: ProviderType).
   */
  providers() {
    const handle = this._open('vss_coordinator_provider_count');
    const count = [0];
    check(api.vss_coordinator_provider_count(handle, count));
    const result = [];
    for (let i = 0; i < count[0]; i++) {
      const out = { size: koffi.sizeof(types.providerInfo) };
      check(api.vss_coordinator_provider(handle, i, out));
      try {
        result.push({ id: guidToString(out.id), name: decodeString(out.name), type: out.type,
          version: decodeString(out.version) });
      } finally {
        api.vss_provider_info_clear(out);
      }
    }
    return result;
  }

  /**
   * Registers a snapshot provider written in JS (vss_coordinator_register_provider):
   * an object with `id` (a GUID string), `name`, an optional `version`, and the
   * steps it has as methods (see README, "Snapshot providers"). Returns its id.
   * @param {object} provider
   * @param {object} [options]
   * @param {function} [options.onError] (error, step) for a step that threw; else
   *   provider.onError if it has one, else a process warning
   */
  registerProvider(provider, options = {}) {
    return registerProvider(this, provider, options);
  }

  /**
   * Unregisters a provider (by id, or the object registered); resolves once no
   * step of it can run any more. It waits for running steps, so it runs off the
   * JS thread. VssError VSS_E_PROVIDER_NOT_REGISTERED, VSS_E_PROVIDER_IN_USE for
   * the default, VSS_E_BAD_STATE from inside one of the provider's own steps.
   */
  unregisterProvider(provider) {
    return unregisterProvider(this, provider);
  }

  /**
   * Drops this reference; writers and requesters made with it keep theirs. The
   * providers registered through this object are unregistered first: the
   * promise resolves once that is done (at once when there are none).
   */
  close() {
    if (this._closing === null) {
      finalizers.unregister(this);
      const handle = this._handle;
      this._handle = null;
      this._closing = handle === null ? Promise.resolve() : releaseCoordinator(handle, this._providers);
    }
    return this._closing;
  }

  [Symbol.dispose]() {
    this.close();
  }

  [Symbol.asyncDispose]() {
    return this.close();
  }
}

// Unregisters the providers registered through one Coordinator object, then
// releases its handle; at once (on this thread) when there are none.
function releaseCoordinator(handle, registered) {
  if (registered.size === 0) {
    api.vss_coordinator_release(handle);
    return Promise.resolve();
  }
  const pending = [...registered].map((registration) => unregisterRegistration(handle, registration).catch(() => {}));
  return Promise.all(pending).then(() => api.vss_coordinator_release(handle));
}

// ---- scenario ---------------------------------------------------------------------

/**
 * Mock writers declared in a scenario file (abi/scenario.schema.json), loaded
 * into a coordinator: they take part in every backup of that coordinator (and
 * its provider behaviour applies) until close(). They run inside the library,
 * never on the JS thread. `new Coordinator({ virtualClock: 'simulated' })` lets
 * a scenario's 10-minute timeouts pass at once.
 *
 *   new Scenario(coordinator, 'examples/scenarios/hung-writer.json')
 *   new Scenario(coordinator, { path })   or   new Scenario(coordinator, { text: jsonText })
 *
 * A file that cannot be used throws a VssError E_INVALIDARG whose message says
 * "file:line:column: what was expected" ("<text>:1:17: ..." for text), and
 * loads nothing.
 */
class Scenario {
  /**
   * @param {Coordinator|null} coordinator (null: the default one)
   * @param {string|URL|{path: string|URL}|{text: string}} source
   */
  constructor(coordinator, source) {
    if (coordinator !== null && coordinator !== undefined && !(coordinator instanceof Coordinator)) {
      throw new TypeError('Scenario: the coordinator must be a vss.Coordinator or null');
    }
    let path;
    let text;
    if (typeof source === 'string' || source instanceof URL) {
      path = source;
    } else if (source !== null && typeof source === 'object') {
      ({ path, text } = source);
    }
    if ((path === undefined || path === null) === (text === undefined || text === null)) {
      throw new TypeError('Scenario takes a path or { text }, not both (and not neither)');
    }
    if (text !== undefined && text !== null && typeof text !== 'string') {
      throw new TypeError('Scenario: text must be a string of JSON');
    }
    if (path instanceof URL) {
      path = fileURLToPath(path);
    } else if (path !== undefined && path !== null && typeof path !== 'string') {
      throw new TypeError('Scenario: path must be a string or a file: URL');
    }
    const owner = coordinator ?? null;
    const what = path !== undefined && path !== null ? 'vss_scenario_load' : 'vss_scenario_load_text';
    if (owner !== null && owner._handle === null) {
      // NULL would mean the default coordinator: refuse as a closed handle does elsewhere.
      throw new VssError(constants.HRESULT.E_INVALIDARG, `${what}: the coordinator is closed`);
    }
    const out = [null];
    const handle = owner === null ? null : owner._handle;
    if (what === 'vss_scenario_load') {
      check(api.vss_scenario_load(handle, path, out));
    } else {
      check(api.vss_scenario_load_text(handle, text, out));
    }
    this._handle = out[0];
    this._coordinator = owner; // the library holds its own reference too
    this._closing = null;
    const loaded = this._handle;
    finalizers.register(this, { release: () => api.vss_scenario_release.async(loaded, () => {}) }, this);
  }

  /** The coordinator the scenario was loaded into (null: the default one). */
  get coordinator() {
    return this._coordinator;
  }

  /** Whether close() has been called. */
  get closed() {
    return this._handle === null;
  }

  /**
   * Unsubscribes the mock writers (letting go handlers that never return) and
   * restores the coordinator's provider. The release waits for running mock
   * handlers, so it runs off the JS thread; the promise resolves once it is done.
   */
  close() {
    if (this._closing === null) {
      finalizers.unregister(this);
      const handle = this._handle;
      this._handle = null;
      this._closing = releaseOffThread(api.vss_scenario_release, handle);
    }
    return this._closing;
  }

  [Symbol.asyncDispose]() {
    return this.close();
  }
}

// ---- writer -----------------------------------------------------------------------

// In the order of vss_writer_callbacks (and of the helper's events).
const EVENTS = [
  'onIdentify', 'onPrepareBackup', 'onPrepareSnapshot', 'onFreeze', 'onThaw', 'onAbort',
  'onPostSnapshot', 'onBackupComplete', 'onBackupShutdown', 'onPreRestore', 'onPostRestore',
];
const IDENTIFY = 0;
const BACKUP_SHUTDOWN = 8;
const COMPONENT_EVENTS = new Set([1, 6, 7, 9, 10]);

/** In onIdentify: declares the writer's components and files (IVssCreateWriterMetadata). */
class WriterMetadata {
  constructor(handle) {
    this._handle = handle;
  }

  /**
   * @param {object} component
   * @param {string} component.name
   * @param {string} [component.logicalPath]
   * @param {number} [component.type] ComponentType (FILEGROUP)
   * @param {string} [component.caption]
   * @param {boolean} [component.selectable] (true)
   */
  addComponent({ name, logicalPath = null, type = constants.ComponentType.FILEGROUP, caption = null,
    selectable = true }) {
    check(api.vss_metadata_add_component(this._handle, type, logicalPath, name ?? null, caption,
      selectable ? 1 : 0));
  }

  /**
   * Files of a component.
   * @param {object} files
   * @param {string} files.componentName
   * @param {string} files.path
   * @param {string} files.filespec
   * @param {string} [files.logicalPath]
   * @param {number} [files.kind] FileKind (FILE_GROUP)
   * @param {boolean} [files.recursive] (false)
   */
  addFiles({ componentName, path, filespec, logicalPath = null, kind = constants.FileKind.FILE_GROUP,
    recursive = false }) {
    check(api.vss_metadata_add_files(this._handle, kind, logicalPath, componentName ?? null, path ?? null,
      filespec ?? null, recursive ? 1 : 0));
  }

  addIncludeFiles(path, filespec, recursive = false) {
    check(api.vss_metadata_add_include_files(this._handle, path ?? null, filespec ?? null, recursive ? 1 : 0));
  }

  addExcludeFiles(path, filespec, recursive = false) {
    check(api.vss_metadata_add_exclude_files(this._handle, path ?? null, filespec ?? null, recursive ? 1 : 0));
  }
}

/** One component of a WriterComponents list. */
class WriterComponent {
  constructor(list, index, logicalPath, name) {
    this._list = list;
    this.index = index;
    this.logicalPath = logicalPath;
    this.name = name;
  }

  /** IVssComponentEx2::SetFailure on this component. */
  setFailure(hr, hrApplication = 0, message = null) {
    this._list.setFailure(this.index, hr, hrApplication, message);
  }

  /** One text (ComponentText.*), or null when it was never set. */
  text(which) {
    return this._list.text(this.index, which);
  }

  /** Sets a text a writer may set in this handler. */
  setText(which, value) {
    this._list.setText(this.index, which, value);
  }

  get backupMetadata() {
    return this.text(constants.ComponentText.BACKUP_METADATA);
  }

  get backupStamp() {
    return this.text(constants.ComponentText.BACKUP_STAMP);
  }

  /** In onPreRestore and onPostRestore: whether the requester selected it. */
  get selectedForRestore() {
    return this._list.selectedForRestore(this.index);
  }

  /** In onPostRestore: FileRestoreStatus.* the requester set. */
  get fileRestoreStatus() {
    return this._list.fileRestoreStatus(this.index);
  }
}

/** In component handlers: the session's components of this writer (IVssWriterComponents). */
class WriterComponents {
  constructor(handle) {
    this._handle = handle;
  }

  get length() {
    const count = [0];
    check(api.vss_components_count(this._handle, count));
    return count[0];
  }

  /** @returns {WriterComponent} with index, logicalPath (or null) and name */
  get(index) {
    const path = [null];
    const name = [null];
    check(api.vss_components_get(this._handle, index, path, name));
    try {
      return new WriterComponent(this, index, decodeString(path[0]), decodeString(name[0]));
    } finally {
      api.vss_free(path[0]);
      api.vss_free(name[0]);
    }
  }

  * [Symbol.iterator]() {
    const count = this.length;
    for (let i = 0; i < count; i++) {
      yield this.get(i);
    }
  }

  /** IVssComponentEx2::SetFailure on component `index`. */
  setFailure(index, hr, hrApplication = 0, message = null) {
    check(api.vss_components_set_failure(this._handle, index, int32(hr), int32(hrApplication), message));
  }

  text(index, which) {
    const out = [null];
    check(api.vss_components_get_text(this._handle, index, which, out));
    try {
      return decodeString(out[0]);
    } finally {
      api.vss_free(out[0]);
    }
  }

  setText(index, which, value) {
    check(api.vss_components_set_text(this._handle, index, which, value ?? null));
  }

  selectedForRestore(index) {
    const out = [0];
    check(api.vss_components_selected_for_restore(this._handle, index, out));
    return out[0] !== 0;
  }

  fileRestoreStatus(index) {
    const out = [0];
    check(api.vss_components_file_restore_status(this._handle, index, out));
    return out[0];
  }
}

/**
 * What a handler gets last: the calls that must run on the handler's own
 * thread (setFailure, setFailureEx, sessionId) go through here to the waiting
 * pool thread. Valid until the handler returns (or its promise settles).
 */
class HandlerContext {
  constructor(state, call, event) {
    this._state = state;
    this._call = call;
    /** The handler's name, "onFreeze". */
    this.event = event;
  }

  /** The Writer, while it is alive. */
  get writer() {
    return this._state.writer.deref() ?? null;
  }

  _answer(hr) {
    if (hr < 0) {
      throw new VssError(hr, api.vssnode_call_error(this._call));
    }
  }

  /** vss_writer_set_failure: the writer's failure for this event (no application part). */
  setFailure(hrWriter) {
    if (this._call === null) {
      check(api.vss_writer_set_failure(this._state.handle, int32(hrWriter))); // outside the handler: the library refuses
      return;
    }
    this._answer(api.vssnode_set_failure(this._call, int32(hrWriter)));
  }

  /** vss_writer_set_failure_ex: the writer's failure, an application HRESULT and a message. */
  setFailureEx(hrWriter, hrApplication = 0, message = null) {
    if (this._call === null) {
      check(api.vss_writer_set_failure_ex(this._state.handle, int32(hrWriter), int32(hrApplication), message));
      return;
    }
    this._answer(api.vssnode_set_failure_ex(this._call, int32(hrWriter), int32(hrApplication), message));
  }

  /** vss_writer_session_id: the backup session this event belongs to. */
  get sessionId() {
    const out = {};
    if (this._call === null) {
      check(api.vss_writer_session_id(this._state.handle, out));
    } else {
      this._answer(api.vssnode_session_id(this._call, out));
    }
    return guidToString(out);
  }
}

function handlerResult(value) {
  if (value === undefined || value === true) {
    return 1;
  }
  if (value === false) {
    return 0;
  }
  if (typeof value === 'number') {
    return value | 0;
  }
  return value ? 1 : 0;
}

function reportHandlerError(state, event, error) {
  state.lastError = error;
  try {
    if (state.onError) {
      state.onError(error, event);
    } else {
      process.emitWarning(`vssapi: writer handler ${event} threw: ${error && error.stack ? error.stack : error}`);
    }
  } catch {
    // a throwing error reporter changes nothing: the handler already failed
  }
}

// The JS side of the helper's dispatcher, on the JS thread. Returns what the
// handler answers: 1 true, 0 false (a veto), -1 when it threw.
function makeDispatcher(state) {
  return (event, writerHandle, argument, call) => {
    const name = EVENTS[event];
    const context = new HandlerContext(state, call, name);
    let view = null;
    const done = () => {
      context._call = null;
      if (view !== null) {
        view._handle = null; // the native object is gone after the handler
      }
      if (state.current === context) {
        state.current = null;
      }
    };
    try {
      const handler = state.handlers[name];
      let args;
      if (event === IDENTIFY) {
        view = new WriterMetadata(argument);
        args = [view, context];
      } else if (COMPONENT_EVENTS.has(event)) {
        view = argument === null ? null : new WriterComponents(argument);
        args = [view, context];
      } else if (event === BACKUP_SHUTDOWN) {
        args = [argument === null ? null : guidToString(koffi.decode(argument, types.guid)), context];
      } else {
        args = [context];
      }
      state.current = context;
      const value = handler.apply(state.handlers, args);
      if (value !== null && typeof value === 'object' && typeof value.then === 'function') {
        // An async handler: the pool thread waits for vssnode_finish.
        Promise.resolve(value).then(
          (settled) => handlerResult(settled),
          (error) => {
            reportHandlerError(state, name, error);
            return -1;
          },
        ).then((result) => {
          done();
          api.vssnode_finish(call, result);
        });
        return PENDING_HANDLER;
      }
      done();
      return handlerResult(value);
    } catch (error) {
      done();
      reportHandlerError(state, name, error);
      return -1;
    }
  };
}

/**
 * A writer. Its handlers are methods named onIdentify, onPrepareBackup,
 * onPrepareSnapshot, onFreeze, onThaw, onAbort, onPostSnapshot,
 * onBackupComplete, onBackupShutdown, onPreRestore and onPostRestore, found on
 * `options.handlers`, or else on the writer itself (a subclass). Only the
 * handlers that exist are registered; the others answer true.
 *
 * A handler returns true (or nothing), false (a veto), or a promise of one; if
 * it throws (or its promise rejects) the library gets -1 and reports
 * VSS_E_WRITERERROR_NONRETRYABLE. Its last argument is a HandlerContext.
 *   onIdentify(metadata: WriterMetadata, context)
 *   onPrepareBackup / onPostSnapshot / onBackupComplete / onPreRestore /
 *   onPostRestore(components: WriterComponents | null, context)
 *   onPrepareSnapshot / onFreeze / onThaw / onAbort(context)
 *   onBackupShutdown(snapshotSetId: string, context)
 */
class Writer {
  /**
   * @param {object} options
   * @param {string} options.name
   * @param {string} options.classId GUID string
   * @param {Coordinator} [options.coordinator] (the default one)
   * @param {object} [options.handlers] (this)
   * @param {string} [options.instanceName]
   * @param {number} [options.usage] UsageType
   * @param {number} [options.source] SourceType
   * @param {number} [options.level] ApplicationLevel (0: FRONT_END)
   * @param {number} [options.freezeTimeoutMs] (0: 60,000)
   * @param {number} [options.versionMajor]
   * @param {number} [options.versionMinor]
   * @param {function} [options.onError] (error, event) for a handler that threw;
   *   by default a process warning
   */
  constructor(options = {}) {
    const handlers = options.handlers ?? this;
    let mask = 0;
    EVENTS.forEach((name, event) => {
      if (typeof handlers[name] === 'function') {
        mask |= 1 << event;
      }
    });
    const state = {
      handlers,
      onError: options.onError ?? null,
      writer: new WeakRef(this),
      current: null,
      lastError: null,
      handle: null,
    };
    const dispatcher = mask !== 0 ? koffi.register(makeDispatcher(state), types.dispatchPointer) : null;
    const out = [null];
    const hr = api.vssnode_writer_create(options.coordinator ? options.coordinator._handle : null, {
      size: koffi.sizeof(types.writerInfo),
      class_id: guidFromValue(options.classId),
      name: options.name ?? null,
      instance_name: options.instanceName ?? null,
      usage: options.usage ?? 0,
      source: options.source ?? 0,
      level: options.level ?? 0,
      freeze_timeout_ms: options.freezeTimeoutMs ?? 0,
      version_major: options.versionMajor ?? 0,
      version_minor: options.versionMinor ?? 0,
    }, mask, dispatcher, out);
    if (hr < 0) {
      const message = api.vss_last_error_message();
      if (dispatcher !== null) {
        koffi.unregister(dispatcher);
      }
      throw new VssError(hr, message);
    }
    const helperHandle = out[0];
    state.handle = api.vssnode_writer_handle(helperHandle);
    this._state = state;
    this._helperHandle = helperHandle;
    this._dispatcher = dispatcher;
    this._closing = null;
    // While subscribed with handlers, a timer keeps the event loop alive, as a
    // listening server does: koffi's calls from the pool threads do not, and
    // Node would otherwise exit while a backup waits for a handler.
    this._keepAlive = { timer: null, ref: true };
    const keepAlive = this._keepAlive;
    finalizers.register(this, {
      release: () => {
        clearInterval(keepAlive.timer);
        // The handlers may be needed until the release returns.
        api.vssnode_writer_release.async(helperHandle, () => {
          if (dispatcher !== null) {
            koffi.unregister(dispatcher);
          }
        });
      },
    }, this);
  }

  get _handle() {
    return this._state.handle;
  }

  /** Starts receiving events; while subscribed, a writer with handlers keeps the process alive. */
  subscribe() {
    check(api.vss_writer_subscribe(this._handle));
    if (this._dispatcher !== null && this._keepAlive.timer === null) {
      this._keepAlive.timer = setInterval(() => {}, 0x7fffffff);
      if (!this._keepAlive.ref) {
        this._keepAlive.timer.unref();
      }
    }
  }

  /** Stops receiving events of new sessions. */
  unsubscribe() {
    check(api.vss_writer_unsubscribe(this._handle));
    this._stopKeepingAlive();
  }

  /** Lets the process exit even while this writer is subscribed (as net.Server#unref). */
  unref() {
    this._keepAlive.ref = false;
    this._keepAlive.timer?.unref();
    return this;
  }

  /** Undoes unref(). */
  ref() {
    this._keepAlive.ref = true;
    this._keepAlive.timer?.ref();
    return this;
  }

  _stopKeepingAlive() {
    clearInterval(this._keepAlive.timer);
    this._keepAlive.timer = null;
  }

  /** This writer's instance id (a GUID string). */
  get instanceId() {
    const out = {};
    check(api.vss_writer_instance_id(this._handle, out));
    return guidToString(out);
  }

  /** What the last handler that threw threw, or null. */
  get lastHandlerError() {
    return this._state.lastError;
  }

  /** The running handler's context of this writer, or null. */
  get currentHandler() {
    return this._state.current;
  }

  // The same as the running handler's HandlerContext; outside a handler the
  // library refuses (VssError VSS_E_BAD_STATE).
  _context() {
    return this._state.current ?? new HandlerContext(this._state, null, null);
  }

  /** vss_writer_set_failure, inside one of this writer's handlers. */
  setFailure(hrWriter) {
    this._context().setFailure(hrWriter);
  }

  /** vss_writer_set_failure_ex, inside one of this writer's handlers. */
  setFailureEx(hrWriter, hrApplication = 0, message = null) {
    this._context().setFailureEx(hrWriter, hrApplication, message);
  }

  /** vss_writer_session_id, inside one of this writer's handlers. */
  get sessionId() {
    return this._context().sessionId;
  }

  /**
   * Stops the writer and releases it. It waits for a running handler, so it
   * runs off the JS thread; no handler runs once the promise resolves.
   */
  close() {
    if (this._closing === null) {
      finalizers.unregister(this);
      this._stopKeepingAlive();
      const helperHandle = this._helperHandle;
      const dispatcher = this._dispatcher;
      this._state.handle = null;
      this._helperHandle = null;
      this._closing = releaseOffThread(api.vssnode_writer_release, helperHandle).finally(() => {
        if (dispatcher !== null) {
          koffi.unregister(dispatcher);
        }
        this._dispatcher = null;
      });
    }
    return this._closing;
  }

  [Symbol.asyncDispose]() {
    return this.close();
  }
}

// ---- requester -----------------------------------------------------------------

const STEP_NAMES = Object.fromEntries(Object.entries(Step).map(([name, value]) => [value, name]));

function stepLabel(step) {
  return STEP_NAMES[step] ?? String(step);
}

const sleep = (ms) => new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/** One step under way (IVssAsync): poll it with status() or wait() for it. */
class VssAsync {
  constructor(requester, handle, step) {
    this._requester = requester;
    this._handle = handle;
    this.step = step;
    finalizers.register(this, { release: () => api.vss_async_release(handle) }, this);
  }

  /** VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED or the step's failure. */
  status() {
    const out = [0];
    check(api.vss_async_status(this._handle, out));
    return uint32(out[0]);
  }

  get pending() {
    return this.status() === ASYNC_PENDING;
  }

  /** Asks the step to stop; returns the library's answer (VSS_S_ASYNC_FINISHED if it had). */
  cancel() {
    return check(api.vss_async_cancel(this._handle));
  }

  /**
   * Waits without blocking the JS thread (polling the status) and resolves
   * to the final status, or VSS_S_ASYNC_PENDING when timeoutMs ran out.
   */
  async wait({ timeoutMs = Infinity, signal } = {}) {
    const deadline = Date.now() + timeoutMs;
    let delay = 0;
    for (;;) {
      const status = this.status();
      if (status !== ASYNC_PENDING || Date.now() >= deadline) {
        return status;
      }
      signal?.throwIfAborted();
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
      delay = Math.min(delay === 0 ? 1 : delay * 2, 20);
    }
  }

  /**
   * vss_async_wait: blocks the JS thread. Only when no writer of this process
   * has handlers; use wait() otherwise.
   */
  waitSync(milliseconds = 0xffffffff) {
    check(api.vss_async_wait(this._handle, milliseconds));
    return this.status();
  }

  /** Waits, then throws a VssError unless the step finished. */
  async result() {
    const status = await this.wait();
    if (status !== ASYNC_FINISHED) {
      throw new VssError(status, `${stepLabel(this.step)}: ${hresultName(status)} (${hresultMeaning(status)})`);
    }
  }

  close() {
    if (this._handle !== null) {
      finalizers.unregister(this);
      api.vss_async_release(this._handle);
      this._handle = null;
      this._requester._asyncs.delete(this);
    }
  }

  [Symbol.dispose]() {
    this.close();
  }
}

function decodeIdentity(out) {
  return {
    instanceId: guidToString(out.instance_id),
    classId: guidToString(out.class_id),
    name: decodeString(out.name),
    instanceName: decodeString(out.instance_name),
    usage: out.usage,
    source: out.source,
    componentCount: out.component_count,
  };
}

/** A backup session (IVssBackupComponents). */
class Requester {
  /** @param {Coordinator} [coordinator] (the default one) */
  constructor(coordinator = null) {
    const out = [null];
    check(api.vss_requester_create(coordinator ? coordinator._handle : null, out));
    const handle = out[0];
    this._handle = handle;
    this._asyncs = new Set();
    this._closing = null;
    finalizers.register(this, { release: () => api.vss_requester_release.async(handle, () => {}) }, this);
  }

  get sessionId() {
    const out = {};
    check(api.vss_requester_session_id(this._handle, out));
    return guidToString(out);
  }

  initializeForBackup() {
    check(api.vss_requester_initialize_for_backup(this._handle));
  }

  /** @param {number} context Context (BACKUP) */
  setContext(context) {
    check(api.vss_requester_set_context(this._handle, context));
  }

  /**
   * @param {object} [state]
   * @param {boolean} [state.selectComponents] (true)
   * @param {boolean} [state.bootableSystemState] (false)
   * @param {number} [state.backupType] BackupType (FULL)
   * @param {boolean} [state.partialFileSupport] (false)
   */
  setBackupState({ selectComponents = true, bootableSystemState = false, backupType = constants.BackupType.FULL,
    partialFileSupport = false } = {}) {
    check(api.vss_requester_set_backup_state(this._handle, selectComponents ? 1 : 0, bootableSystemState ? 1 : 0,
      backupType, partialFileSupport ? 1 : 0));
  }

  /** Starts a step (Step.*) and returns its VssAsync. */
  start(step) {
    const out = [null];
    check(api.vss_requester_start(this._handle, step, out));
    const operation = new VssAsync(this, out[0], step);
    this._asyncs.add(operation);
    return operation;
  }

  /** Runs a step without blocking the JS thread; throws a VssError unless it finished. */
  async run(step) {
    const operation = this.start(step);
    try {
      await operation.result();
    } finally {
      operation.close();
    }
  }

  /**
   * vss_requester_run: blocks the JS thread until the step ends. Deadlocks if
   * a writer of this process has handlers (they need the JS thread); use run().
   */
  runSync(step) {
    check(api.vss_requester_run(this._handle, step));
  }

  gatherWriterMetadata() {
    return this.run(Step.GATHER_WRITER_METADATA);
  }

  // ---- the Backup Components Document and the restore (C-8)

  /** SaveAsXML: the document as a string of XML, from prepareForBackup() on. */
  saveDocument() {
    const out = [null];
    check(api.vss_requester_save_document(this._handle, out));
    try {
      return decodeString(out[0]);
    } finally {
      api.vss_free(out[0]);
    }
  }

  /** InitializeForRestore with a document saveDocument() gave, in any process. */
  initializeForRestore(xml) {
    check(api.vss_requester_initialize_for_restore(this._handle, xml ?? null));
  }

  /** InitializeForBackup with a saved document. */
  resumeBackup(xml) {
    check(api.vss_requester_resume_backup(this._handle, xml ?? null));
  }

  setRestoreState(restoreType = constants.RestoreType.BY_COPY) {
    check(api.vss_requester_set_restore_state(this._handle, restoreType));
  }

  /** { classId, type, logicalPath, name, selected = true } */
  selectForRestore({ classId, type = constants.ComponentType.FILEGROUP, logicalPath = null, name, selected = true }) {
    check(api.vss_requester_select_for_restore(this._handle, guidFromValue(classId), type, logicalPath, name ?? null,
      selected ? 1 : 0));
  }

  /** { classId, type, logicalPath, name, options } */
  setRestoreOptions({ classId, type = constants.ComponentType.FILEGROUP, logicalPath = null, name, options }) {
    check(api.vss_requester_set_restore_options(this._handle, guidFromValue(classId), type, logicalPath, name ?? null,
      options ?? null));
  }

  /** { classId, type, logicalPath, name, status }: between preRestore() and postRestore(). */
  setFileRestoreStatus({ classId, type = constants.ComponentType.FILEGROUP, logicalPath = null, name, status }) {
    check(api.vss_requester_set_file_restore_status(this._handle, guidFromValue(classId), type, logicalPath,
      name ?? null, status));
  }

  preRestore() {
    return this.run(Step.PRE_RESTORE);
  }

  postRestore() {
    return this.run(Step.POST_RESTORE);
  }

  prepareForBackup() {
    return this.run(Step.PREPARE_FOR_BACKUP);
  }

  doSnapshotSet() {
    return this.run(Step.DO_SNAPSHOT_SET);
  }

  backupComplete() {
    return this.run(Step.BACKUP_COMPLETE);
  }

  gatherWriterStatus() {
    return this.run(Step.GATHER_WRITER_STATUS);
  }

  // ---- writer metadata, after gatherWriterMetadata

  get writerCount() {
    const out = [0];
    check(api.vss_requester_writer_count(this._handle, out));
    return out[0];
  }

  /** { instanceId, classId, name, instanceName, usage, source, componentCount } */
  writerIdentity(index) {
    const out = { size: koffi.sizeof(types.writerIdentity) };
    check(api.vss_requester_writer_identity(this._handle, index, out));
    try {
      return decodeIdentity(out);
    } finally {
      api.vss_writer_identity_clear(out);
    }
  }

  /** { type, logicalPath, name, caption, selectable, fileCount, databaseCount, logCount } */
  writerComponent(writerIndex, componentIndex) {
    const out = { size: koffi.sizeof(types.componentInfo) };
    check(api.vss_requester_writer_component(this._handle, writerIndex, componentIndex, out));
    try {
      return {
        type: out.type,
        logicalPath: decodeString(out.logical_path),
        name: decodeString(out.name),
        caption: decodeString(out.caption),
        selectable: out.selectable !== 0,
        fileCount: out.file_count,
        databaseCount: out.database_count,
        logCount: out.log_count,
      };
    } finally {
      api.vss_component_info_clear(out);
    }
  }

  /** Every writer's identity with its components. */
  writers() {
    const result = [];
    const count = this.writerCount;
    for (let w = 0; w < count; w++) {
      const identity = this.writerIdentity(w);
      identity.components = [];
      for (let c = 0; c < identity.componentCount; c++) {
        identity.components.push(this.writerComponent(w, c));
      }
      result.push(identity);
    }
    return result;
  }

  /**
   * Selects one component.
   * @param {object} component { instanceId, classId, type, logicalPath, name }
   */
  addComponent({ instanceId, classId, type = constants.ComponentType.FILEGROUP, logicalPath = null, name }) {
    check(api.vss_requester_add_component(this._handle, guidFromValue(instanceId), guidFromValue(classId), type,
      logicalPath, name ?? null));
  }

  /** Selects every component every listed writer declared. */
  addAllComponents() {
    check(api.vss_requester_add_all_components(this._handle));
  }

  /** @returns {string} the snapshot set id */
  startSnapshotSet() {
    const out = {};
    check(api.vss_requester_start_snapshot_set(this._handle, out));
    return guidToString(out);
  }

  /**
   * Adds a volume to the snapshot set.
   * @param {string} volume
   * @param {string|object} [provider] the provider that snapshots it: its id (a
   *   GUID string, ProviderId.*), or an object with an `id` (a provider
   *   registered with registerProvider, an entry of Coordinator#providers());
   *   none: the coordinator's default. VssError VSS_E_PROVIDER_NOT_REGISTERED for
   *   an id no provider has.
   * @returns {string} the snapshot id
   */
  addToSnapshotSet(volume, provider = undefined) {
    const out = {};
    if (provider === undefined || provider === null) {
      check(api.vss_requester_add_to_snapshot_set(this._handle, volume ?? null, out));
    } else {
      check(api.vss_requester_add_to_snapshot_set_with(this._handle, volume ?? null, providerGuid(provider), out));
    }
    return guidToString(out);
  }

  /** AbortBackup; it waits for the writers' onAbort, so it runs off the JS thread. */
  abort() {
    const error = Buffer.alloc(1024);
    return new Promise((resolve, reject) => {
      api.vssnode_requester_abort.async(this._handle, error, error.length, (failure, hr) => {
        if (failure) {
          reject(failure);
        } else if (hr < 0) {
          reject(new VssError(hr, koffi.decode(error, 'char', -1)));
        } else {
          resolve();
        }
      });
    });
  }

  // ---- writer status, after gatherWriterStatus

  get statusCount() {
    const out = [0];
    check(api.vss_requester_status_count(this._handle, out));
    return out[0];
  }

  /**
   * { instanceId, classId, name, state, stateName, hrFailureWriter,
   *   hrApplication, message } (HRESULTs unsigned; message null if none).
   */
  status(index) {
    const out = { size: koffi.sizeof(types.writerStatus) };
    check(api.vss_requester_status(this._handle, index, out));
    try {
      return {
        instanceId: guidToString(out.instance_id),
        classId: guidToString(out.class_id),
        name: decodeString(out.name),
        state: out.state,
        stateName: writerStateName(out.state),
        hrFailureWriter: uint32(out.hr_failure_writer),
        hrApplication: uint32(out.hr_application),
        message: decodeString(out.message),
      };
    } finally {
      api.vss_writer_status_clear(out);
    }
  }

  /** Every writer's status. */
  writerStatuses() {
    return Array.from({ length: this.statusCount }, (_, i) => this.status(i));
  }

  // ---- component failures (IVssComponentEx2::GetFailure) of the selected components

  get componentCount() {
    const out = [0];
    check(api.vss_requester_component_count(this._handle, out));
    return out[0];
  }

  /** { instanceId, classId, logicalPath, name, hr, hrApplication, message }; hr 0: it did not fail. */
  componentFailure(index) {
    const out = { size: koffi.sizeof(types.componentFailure) };
    check(api.vss_requester_component_failure(this._handle, index, out));
    try {
      return {
        instanceId: guidToString(out.instance_id),
        classId: guidToString(out.class_id),
        logicalPath: decodeString(out.logical_path),
        name: decodeString(out.name),
        hr: uint32(out.hr),
        hrApplication: uint32(out.hr_application),
        message: decodeString(out.message),
      };
    } finally {
      api.vss_component_failure_clear(out);
    }
  }

  componentFailures() {
    return Array.from({ length: this.componentCount }, (_, i) => this.componentFailure(i));
  }

  /**
   * { snapshotId, snapshotSetId, providerId, snapshotsInSet, originalVolume,
   *   deviceName, attributes, creationTime (FILETIME units, a BigInt) }
   */
  snapshotProperties(snapshotId) {
    const out = { size: koffi.sizeof(types.snapshotProps) };
    check(api.vss_requester_snapshot_props(this._handle, guidFromValue(snapshotId), out));
    try {
      return {
        snapshotId: guidToString(out.snapshot_id),
        snapshotSetId: guidToString(out.snapshot_set_id),
        providerId: guidToString(out.provider_id),
        snapshotsInSet: out.snapshots_in_set,
        originalVolume: decodeString(out.original_volume),
        deviceName: decodeString(out.device_name),
        attributes: out.attributes,
        creationTime: BigInt(out.creation_time),
      };
    } finally {
      api.vss_snapshot_props_clear(out);
    }
  }

  /**
   * Releases the session (its steps' handles first). The library then sends
   * OnBackupShutdown and waits for the writers, so it runs off the JS thread.
   */
  close() {
    if (this._closing === null && this._borrowed) {
      this._disown();
    }
    if (this._closing === null) {
      for (const operation of [...this._asyncs]) {
        operation.close();
      }
      finalizers.unregister(this);
      const handle = this._handle;
      this._handle = null;
      this._closing = releaseOffThread(api.vss_requester_release, handle);
    }
    return this._closing;
  }

  [Symbol.asyncDispose]() {
    return this.close();
  }

  // A requester the library owns (retryRun's attempt): never released here.
  static _borrowed(handle) {
    const requester = Object.create(Requester.prototype);
    requester._handle = handle;
    requester._asyncs = new Set();
    requester._closing = null;
    requester._borrowed = true;
    return requester;
  }

  // Lets go a borrowed requester: its steps' handles are released, the requester is the library's.
  _disown() {
    for (const operation of [...this._asyncs]) {
      operation.close();
    }
    this._handle = null;
    this._closing = Promise.resolve();
  }
}

// ---- snapshot providers ------------------------------------------------------------

// In the order of vss_provider_callbacks (and of the helper's steps).
const PROVIDER_STEPS = [
  'isVolumeSupported', 'prepareForSnapshot', 'endPrepareSnapshots', 'preCommitSnapshots', 'commitSnapshots',
  'postCommitSnapshots', 'preFinalCommitSnapshots', 'postFinalCommitSnapshots', 'abortSnapshots',
  'snapshotDevice', 'deleteSnapshot',
];
const STEP_IS_VOLUME_SUPPORTED = 0;
const STEP_PREPARE_FOR_SNAPSHOT = 1;
const STEP_COMMIT_SNAPSHOTS = 4;
const STEP_POST_COMMIT_SNAPSHOTS = 5;
const STEP_SNAPSHOT_DEVICE = 9;
const DEVICE_CAPACITY = 4096; // the library's buffer for snapshot_device, its NUL included

// Registered providers by `${coordinator handle}|${id}`: strong, so that a
// registered provider and its koffi callback live while the library can call
// them, whatever the program keeps. A Coordinator object keeps a reference to
// its handle while its registrations live, so no other coordinator can reuse
// the address meanwhile.
const providerRegistrations = new Map();
// The registration whose step is running (the step and what it awaits).
const providerStep = new AsyncLocalStorage();

function registrationKey(handle, id) {
  return `${koffi.address(handle)}|${id}`;
}

// A provider id as the library takes it: a GUID string, or an object with an `id`.
function providerGuid(value) {
  if (value !== null && typeof value === 'object' && !('data1' in value)) {
    if (value.id === undefined || value.id === null) {
      throw new TypeError('the provider has no id');
    }
    return guidFromValue(value.id);
  }
  return guidFromValue(value);
}

const isThenable = (value) => value !== null && (typeof value === 'object' || typeof value === 'function') &&
  typeof value.then === 'function';

function reportProviderError(registration, step, error) {
  registration.lastError = error;
  try {
    if (registration.onError) {
      registration.onError(error, step);
    } else {
      process.emitWarning(`vssapi: provider step ${step} threw: ${error && error.stack ? error.stack : error}`);
    }
  } catch {
    // a throwing error reporter changes nothing: the step already failed
  }
}

// What a step's value means to the library: undefined or true S_OK, false a
// veto, a number that HRESULT. snapshotDevice's value is the device path.
function providerStepResult(registration, step, value, wait) {
  if (step === STEP_SNAPSHOT_DEVICE) {
    if (typeof value !== 'string') {
      throw new TypeError(`snapshotDevice must return a string (the device path), not ${
        value === null ? 'null' : typeof value}`);
    }
    if (value.includes('\0')) {
      throw new TypeError('snapshotDevice returned a path with a NUL character');
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes >= DEVICE_CAPACITY) {
      throw new RangeError(`snapshotDevice returned a path of ${bytes} bytes of UTF-8; the library has room for ${
        DEVICE_CAPACITY - 1}`);
    }
    const hr = api.vssnode_provider_set_device(wait, value);
    if (hr < 0) {
      throw new VssError(hr, 'snapshotDevice: the device path does not fit the library\'s buffer');
    }
    return 0;
  }
  if (value === undefined || value === null || value === true) {
    return 0;
  }
  if (value === false) {
    return int32(step === STEP_IS_VOLUME_SUPPORTED ? constants.HRESULT.VSS_E_VOLUME_NOT_SUPPORTED
      : constants.HRESULT.VSS_E_PROVIDER_VETO);
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    return int32(value);
  }
  throw new TypeError(`a provider step returns undefined, a boolean or an HRESULT, not ${typeof value}`);
}

// A step that threw: a VssError fails it with its HRESULT, anything else with
// VSS_E_UNEXPECTED_PROVIDER_ERROR (and is reported).
function providerStepFailure(registration, name, error) {
  if (error instanceof VssError && int32(error.hresult) < 0) {
    return int32(error.hresult);
  }
  reportProviderError(registration, name, error);
  return int32(constants.HRESULT.VSS_E_UNEXPECTED_PROVIDER_ERROR);
}

const guidAt = (pointer) => guidToString(koffi.decode(pointer, types.guid));

// The JS side of the helper's provider dispatcher, on the JS thread.
function makeProviderDispatcher(registration) {
  return (step, first, second, volume, count, mayPend, wait) => {
    const name = PROVIDER_STEPS[step];
    const provider = registration.provider;
    try {
      if (typeof provider[name] !== 'function') {
        return 0; // commitSnapshots is always given to the library, which requires it
      }
      let args;
      if (step === STEP_IS_VOLUME_SUPPORTED) {
        args = [volume];
      } else if (step === STEP_PREPARE_FOR_SNAPSHOT) {
        args = [guidAt(first), guidAt(second), volume];
      } else if (step === STEP_POST_COMMIT_SNAPSHOTS) {
        args = [guidAt(first), count];
      } else {
        args = [guidAt(first)];
      }
      const value = providerStep.run(registration, () => provider[name](...args));
      if (!isThenable(value)) {
        return providerStepResult(registration, step, value, wait);
      }
      if (!mayPend) {
        Promise.resolve(value).catch(() => {}); // its outcome can no longer matter
        return providerStepFailure(registration, name, new TypeError(`${name} returned a promise, but it ran on ` +
          'the JS thread (isVolumeSupported always does: inside addToSnapshotSet), where nothing can wait for it; ' +
          'make it synchronous'));
      }
      Promise.resolve(value).then(
        (settled) => providerStepResult(registration, step, settled, wait),
      ).catch((error) => providerStepFailure(registration, name, error)).then((hr) => {
        api.vssnode_wait_finish(wait, hr);
      });
      return PENDING_HANDLER;
    } catch (error) {
      return providerStepFailure(registration, name, error);
    }
  };
}

function registerProvider(coordinator, provider, options) {
  const handle = coordinator._open('vss_coordinator_register_provider');
  if (provider === null || (typeof provider !== 'object' && typeof provider !== 'function')) {
    throw new TypeError('registerProvider takes an object with id, name, version and the steps as methods');
  }
  const id = provider.id === undefined || provider.id === null ? null : guidFromValue(provider.id);
  for (const field of ['name', 'version']) {
    if (provider[field] !== undefined && provider[field] !== null && typeof provider[field] !== 'string') {
      throw new TypeError(`the provider's ${field} must be a string`);
    }
  }
  let mask = 1 << STEP_COMMIT_SNAPSHOTS;
  PROVIDER_STEPS.forEach((name, step) => {
    if (typeof provider[name] === 'function') {
      mask |= 1 << step;
    }
  });
  const onError = options.onError ?? (typeof provider.onError === 'function' ? provider.onError.bind(provider) : null);
  const registration = {
    provider,
    onError,
    lastError: null,
    native: null,
    dispatcher: null,
    closing: null,
    forgotten: false,
    owner: coordinator._providers,
    key: null,
  };
  registration.dispatcher = koffi.register(makeProviderDispatcher(registration), types.providerDispatchPointer);
  const out = [null];
  const hr = api.vssnode_provider_register(handle, id, provider.name ?? null, provider.version ?? null, mask,
    registration.dispatcher, out);
  if (hr < 0) {
    const message = api.vss_last_error_message();
    koffi.unregister(registration.dispatcher);
    throw new VssError(hr, message);
  }
  registration.native = out[0];
  const text = guidToString(id);
  registration.key = registrationKey(handle, text);
  providerRegistrations.set(registration.key, registration);
  coordinator._providers.add(registration);
  return text;
}

// Frees what the library no longer calls.
function forgetRegistration(registration) {
  if (!registration.forgotten) {
    registration.forgotten = true;
    providerRegistrations.delete(registration.key);
    registration.owner.delete(registration);
    api.vssnode_provider_free(registration.native);
    koffi.unregister(registration.dispatcher);
  }
}

// vss_coordinator_unregister_provider off the JS thread.
function unregisterOffThread(handle, id) {
  const error = Buffer.alloc(ERROR_CAPACITY);
  return new Promise((resolve, reject) => {
    api.vssnode_provider_unregister.async(handle, id, error, error.length, (failure, hr) => {
      if (failure) {
        reject(failure);
      } else {
        resolve({ hr, message: koffi.decode(error, 'char', -1) });
      }
    });
  });
}

// Unregisters one JS provider; forgets it once no step of it can run.
function unregisterRegistration(handle, registration) {
  if (registration.closing === null) {
    const id = guidFromValue(registration.key.slice(registration.key.indexOf('|') + 1));
    registration.closing = unregisterOffThread(handle, id).then(({ hr, message }) => {
      if (hr >= 0 || uint32(hr) === constants.HRESULT.VSS_E_PROVIDER_NOT_REGISTERED) {
        forgetRegistration(registration);
      } else {
        registration.closing = null; // still registered: it may be tried again
      }
      return { hr, message };
    });
  }
  return registration.closing;
}

async function unregisterProvider(coordinator, provider) {
  const handle = coordinator._open('vss_coordinator_unregister_provider');
  const id = providerGuid(provider);
  const registration = providerRegistrations.get(registrationKey(handle, guidToString(id)));
  if (registration !== undefined && !registration.forgotten) {
    if (providerStep.getStore() === registration) {
      // The library would wait for this very step to end.
      throw new VssError(constants.HRESULT.VSS_E_BAD_STATE,
        'vss_coordinator_unregister_provider: a provider cannot be unregistered from inside one of its own steps');
    }
    const already = registration.closing !== null;
    const { hr, message } = await unregisterRegistration(handle, registration);
    if (!already) {
      check(hr < 0 ? hr : 0, message);
      return;
    }
  }
  // Not one of ours (or already being unregistered): the library says what it is.
  const { hr, message } = await unregisterOffThread(handle, id);
  check(hr, message);
}

// ---- the retry helper ------------------------------------------------------------------

const POLICY_FIELDS = [
  ['maxRetries', 'max_retries', 0xffffffff],
  ['waitMs', 'wait_ms', Number.MAX_SAFE_INTEGER],
  ['inProgressMaxRetries', 'in_progress_max_retries', 0xffffffff],
  ['inProgressWaitMs', 'in_progress_wait_ms', Number.MAX_SAFE_INTEGER],
];

function nativePolicy() {
  const native = { size: koffi.sizeof(types.retryPolicy) };
  check(api.vss_retry_policy_default(native));
  return native;
}

/**
 * The library's retry policy (vss_retry_policy_default): { maxRetries: 3,
 * waitMs: 600000, inProgressMaxRetries: 5, inProgressWaitMs: 30000 }.
 */
function retryPolicyDefault() {
  const native = nativePolicy();
  return Object.fromEntries(POLICY_FIELDS.map(([key, field]) => [key, Number(native[field])]));
}

function policyToNative(policy) {
  if (typeof policy !== 'object') {
    throw new TypeError('the retry policy must be an object or null');
  }
  const known = new Set(POLICY_FIELDS.map(([key]) => key));
  for (const key of Object.keys(policy)) {
    if (!known.has(key)) {
      throw new TypeError(`the retry policy has no field ${key} (it has ${[...known].join(', ')})`);
    }
  }
  const native = nativePolicy();
  for (const [key, field, limit] of POLICY_FIELDS) {
    const value = policy[key];
    if (value === undefined || value === null) {
      continue;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new TypeError(`retry policy ${key} must be an integer, not ${typeof value === 'number' ? value : typeof value}`);
    }
    if (value < 0 || value > limit) {
      throw new RangeError(`retry policy ${key} is ${value}, outside 0..${limit}`);
    }
    native[field] = value;
  }
  return native;
}

function attemptResult(value) {
  if (value === undefined || value === null) {
    return 0;
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    return int32(value);
  }
  throw new TypeError(`an attempt returns undefined or an HRESULT (a number), not ${typeof value}`);
}

/**
 * vss_retry_run (contract C-7.2): runs `attempt(requester, number)` with a
 * fresh Requester each time (the library's: released right after the attempt
 * settles) and, while it fails with a retryable code whose budget is left,
 * waits on the coordinator's clock and runs it again. The run is on a worker
 * thread; the attempts run on the JS thread, and may be async.
 *
 * An attempt resolves to undefined (or S_OK) when the backup worked, else the
 * HRESULT that failed it; a VssError it throws (a failed step) gives its
 * hresult. Any other error ends the run (E_UNEXPECTED, not retried) and the
 * promise rejects with it. `report({ number, result, retryClass, startMs, endMs,
 * waitMs })` is called once per attempt, before the wait after it; an error it
 * throws does not stop the run, and the promise rejects with it at the end.
 *
 * @param {Coordinator|null} coordinator (null: the default one)
 * @param {object|null} policy { maxRetries, waitMs, inProgressMaxRetries, inProgressWaitMs };
 *   a field left out takes the library's default (retryPolicyDefault()); null: all defaults
 * @param {function} attempt (requester, number) => HRESULT | undefined | Promise of one
 * @param {function} [report]
 * @returns {Promise<number>} the last attempt's result (S_OK); rejects with a
 *   VssError when it failed, its message saying why the run stopped
 */
async function retryRun(coordinator, policy, attempt, report = null) {
  if (typeof attempt !== 'function') {
    throw new TypeError('retryRun: attempt must be a function (requester, number)');
  }
  if (report !== null && report !== undefined && typeof report !== 'function') {
    throw new TypeError('retryRun: report must be a function or null');
  }
  if (coordinator !== null && coordinator !== undefined && !(coordinator instanceof Coordinator)) {
    throw new TypeError('retryRun: the coordinator must be a vss.Coordinator or null');
  }
  const handle = coordinator ? coordinator._open('vss_retry_run') : null;
  const native = policy === null || policy === undefined ? null : policyToNative(policy);
  const raised = [];
  const onAttempt = koffi.register((requesterHandle, number, wait) => {
    const requester = Requester._borrowed(requesterHandle);
    let outcome;
    try {
      outcome = Promise.resolve(attempt(requester, number));
    } catch (error) {
      outcome = Promise.reject(error);
    }
    outcome.then(attemptResult).catch((error) => {
      if (error instanceof VssError) {
        return int32(error.hresult);
      }
      raised.push(error);
      return int32(constants.HRESULT.E_UNEXPECTED); // not retryable: the run ends here
    }).then((hr) => {
      requester._disown();
      api.vssnode_wait_finish(wait, hr);
    });
    return PENDING_HANDLER;
  }, types.attemptDispatchPointer);
  const onReport = report ? koffi.register((pointer) => {
    try {
      const record = koffi.decode(pointer, types.retryAttempt);
      report({
        number: record.number,
        result: uint32(record.result),
        retryClass: record.retry_class,
        startMs: Number(record.start_ms),
        endMs: Number(record.end_ms),
        waitMs: Number(record.wait_ms),
      });
    } catch (error) {
      raised.push(error);
    }
  }, types.reportDispatchPointer) : null;
  const error = Buffer.alloc(ERROR_CAPACITY);
  let hr;
  try {
    hr = await new Promise((resolve, reject) => {
      api.vssnode_retry_run.async(handle, native, onAttempt, onReport, error, error.length,
        (failure, result) => (failure ? reject(failure) : resolve(result)));
    });
  } finally {
    koffi.unregister(onAttempt);
    if (onReport !== null) {
      koffi.unregister(onReport);
    }
  }
  if (raised.length > 0) {
    throw raised[0];
  }
  return check(hr, koffi.decode(error, 'char', -1));
}

// Every name written out (no spread), so that Node's ESM loader finds them all:
// `import { HRESULT, Coordinator } from 'vssapi'` works as `require` does.
const {
  Clock, WriterState, BackupType, UsageType, SourceType, ComponentType, FileKind, Context, ApplicationLevel,
  ComponentText, FileRestoreStatus, RestoreType, ProviderId, ProviderType, RetryClass, RetryLimits,
} = constants;

module.exports = {
  Clock,
  HRESULT,
  WriterState,
  Step,
  BackupType,
  UsageType,
  SourceType,
  ComponentType,
  FileKind,
  Context,
  ApplicationLevel,
  ComponentText,
  FileRestoreStatus,
  RestoreType,
  ProviderId,
  ProviderType,
  RetryClass,
  RetryLimits,
  VssError,
  Coordinator,
  Scenario,
  Writer,
  WriterMetadata,
  WriterComponents,
  WriterComponent,
  HandlerContext,
  Requester,
  VssAsync,
  hresultName,
  hresultMeaning,
  writerStateName,
  isRetryable,
  version,
  abiVersion,
  guid,
  retryRun,
  retryPolicyDefault,
  libraryPath,
  helperPath,
};
