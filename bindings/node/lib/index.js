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
// handlers.
const { koffi, api, decodeString, types, libraryPath } = require('./native');
const { fileURLToPath } = require('node:url');
const constants = require('./constants');

const { HRESULT, Step } = constants;
const ASYNC_PENDING = HRESULT.VSS_S_ASYNC_PENDING;
const ASYNC_FINISHED = HRESULT.VSS_S_ASYNC_FINISHED;
const ASYNC_CANCELLED = HRESULT.VSS_S_ASYNC_CANCELLED;
const PENDING_HANDLER = 0x7fff0001; // VSSNODE_PENDING in native/vssapi_node.c

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

// Throws a VssError when hr failed, with the message this thread's failing call left.
function check(hr) {
  if (hr < 0) {
    throw new VssError(hr, api.vss_last_error_message());
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
    finalizers.register(this, { release: () => api.vss_coordinator_release(handle) }, this);
  }

  /** The process's default coordinator (a new reference to it). */
  static default() {
    const out = [null];
    check(api.vss_coordinator_default(out));
    return new Coordinator({}, out[0]);
  }

  /** Moves a manual clock on; VssError VSS_E_BAD_STATE on a real or simulated one. */
  advanceClock(milliseconds) {
    check(api.vss_coordinator_advance_clock(this._handle, BigInt(milliseconds)));
  }

  /** Drops this reference; writers and requesters made with it keep theirs. */
  close() {
    if (this._handle !== null) {
      finalizers.unregister(this);
      api.vss_coordinator_release(this._handle);
      this._handle = null;
    }
  }

  [Symbol.dispose]() {
    this.close();
  }
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

  /** @returns {string} the snapshot id */
  addToSnapshotSet(volume) {
    const out = {};
    check(api.vss_requester_add_to_snapshot_set(this._handle, volume ?? null, out));
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
}

module.exports = {
  ...constants,
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
  libraryPath,
};
