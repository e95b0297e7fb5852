// TypeScript declarations of the vssapi package (lib/index.js): the whole public
// API. HRESULTs are unsigned numbers (0x800423F3), GUIDs lower-case strings.
// test/types.test.js checks that every name the package exports, every public
// member of its classes and every key of its constants is declared here (and
// compiles a use of it with tsc when one is installed). Needs TypeScript 5.2 or
// later (Symbol.dispose; lib "esnext.disposable" or "esnext"), or skipLibCheck.

/** A GUID: "5e1f0001-1111-2222-8001-020304050607" (braces and upper case accepted), or the struct koffi gives. */
export type GuidLike = string | { data1: number; data2: number; data3: number; data4: ArrayLike<number> };

/** An HRESULT: unsigned when the binding gives one (0x80070057); either sign when you pass one. */
export type HResult = number;

/** A file: URL (a WHATWG URL, declared by shape so that no lib "dom" or @types/node is needed). */
export interface FileURLLike {
  readonly href: string;
  readonly protocol: string;
}

// ---- constants ------------------------------------------------------------------------

export declare const Clock: {
  readonly REAL: 0;
  readonly MANUAL: 1;
  readonly SIMULATED: 2;
};

export declare const HRESULT: {
  readonly S_OK: 0x00000000;
  readonly S_FALSE: 0x00000001;
  readonly E_NOTIMPL: 0x80004001;
  readonly E_NOINTERFACE: 0x80004002;
  readonly E_POINTER: 0x80004003;
  readonly E_ABORT: 0x80004004;
  readonly E_FAIL: 0x80004005;
  readonly E_UNEXPECTED: 0x8000FFFF;
  readonly E_ACCESSDENIED: 0x80070005;
  readonly E_OUTOFMEMORY: 0x8007000E;
  readonly E_INVALIDARG: 0x80070057;
  readonly VSS_S_ASYNC_PENDING: 0x00042309;
  readonly VSS_S_ASYNC_FINISHED: 0x0004230A;
  readonly VSS_S_ASYNC_CANCELLED: 0x0004230B;
  readonly VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED: 0x00042321;
  readonly VSS_E_BAD_STATE: 0x80042301;
  readonly VSS_E_UNEXPECTED: 0x80042302;
  readonly VSS_E_PROVIDER_ALREADY_REGISTERED: 0x80042303;
  readonly VSS_E_PROVIDER_NOT_REGISTERED: 0x80042304;
  readonly VSS_E_PROVIDER_VETO: 0x80042306;
  readonly VSS_E_PROVIDER_IN_USE: 0x80042307;
  readonly VSS_E_OBJECT_NOT_FOUND: 0x80042308;
  readonly VSS_E_VOLUME_NOT_SUPPORTED: 0x8004230C;
  readonly VSS_E_OBJECT_ALREADY_EXISTS: 0x8004230D;
  readonly VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER: 0x8004230E;
  readonly VSS_E_UNEXPECTED_PROVIDER_ERROR: 0x8004230F;
  readonly VSS_E_CORRUPT_XML_DOCUMENT: 0x80042310;
  readonly VSS_E_INVALID_XML_DOCUMENT: 0x80042311;
  readonly VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED: 0x80042312;
  readonly VSS_E_FLUSH_WRITES_TIMEOUT: 0x80042313;
  readonly VSS_E_HOLD_WRITES_TIMEOUT: 0x80042314;
  readonly VSS_E_UNEXPECTED_WRITER_ERROR: 0x80042315;
  readonly VSS_E_SNAPSHOT_SET_IN_PROGRESS: 0x80042316;
  readonly VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED: 0x80042317;
  readonly VSS_E_WRITER_INFRASTRUCTURE: 0x80042318;
  readonly VSS_E_WRITER_NOT_RESPONDING: 0x80042319;
  readonly VSS_E_WRITER_ALREADY_SUBSCRIBED: 0x8004231A;
  readonly VSS_E_UNSUPPORTED_CONTEXT: 0x8004231B;
  readonly VSS_E_VOLUME_IN_USE: 0x8004231D;
  readonly VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED: 0x8004231E;
  readonly VSS_E_INSUFFICIENT_STORAGE: 0x8004231F;
  readonly VSS_E_NO_SNAPSHOTS_IMPORTED: 0x80042320;
  readonly VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED: 0x80042321;
  readonly VSS_E_MAXIMUM_NUMBER_OF_REMOTE_MACHINES_REACHED: 0x80042322;
  readonly VSS_E_REMOTE_SERVER_UNAVAILABLE: 0x80042323;
  readonly VSS_E_REMOTE_SERVER_UNSUPPORTED: 0x80042324;
  readonly VSS_E_REVERT_IN_PROGRESS: 0x80042325;
  readonly VSS_E_REVERT_VOLUME_LOST: 0x80042326;
  readonly VSS_E_REBOOT_REQUIRED: 0x80042327;
  readonly VSS_E_TRANSACTION_FREEZE_TIMEOUT: 0x80042328;
  readonly VSS_E_TRANSACTION_THAW_TIMEOUT: 0x80042329;
  readonly VSS_E_UNSELECTED_VOLUME: 0x8004232A;
  readonly VSS_E_SNAPSHOT_NOT_IN_SET: 0x8004232B;
  readonly VSS_E_NESTED_VOLUME_LIMIT: 0x8004232C;
  readonly VSS_E_VOLUME_NOT_LOCAL: 0x8004232D;
  readonly VSS_E_CLUSTER_TIMEOUT: 0x8004232E;
  readonly VSS_E_NOT_SUPPORTED: 0x8004232F;
  readonly VSS_E_WRITERERROR_PARTIAL_FAILURE: 0x80042336;
  readonly VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT: 0x800423F0;
  readonly VSS_E_WRITERERROR_OUTOFRESOURCES: 0x800423F1;
  readonly VSS_E_WRITERERROR_TIMEOUT: 0x800423F2;
  readonly VSS_E_WRITERERROR_RETRYABLE: 0x800423F3;
  readonly VSS_E_WRITERERROR_NONRETRYABLE: 0x800423F4;
  readonly VSS_E_WRITERERROR_RECOVERY_FAILED: 0x800423F5;
  readonly VSS_E_BREAK_REVERT_ID_FAILED: 0x800423F6;
  readonly VSS_E_LEGACY_PROVIDER: 0x800423F7;
  readonly VSS_E_MISSING_DISK: 0x800423F8;
  readonly VSS_E_MISSING_HIDDEN_VOLUME: 0x800423F9;
  readonly VSS_E_MISSING_VOLUME: 0x800423FA;
  readonly VSS_E_AUTORECOVERY_FAILED: 0x800423FB;
  readonly VSS_E_DYNAMIC_DISK_ERROR: 0x800423FC;
  readonly VSS_E_NONTRANSPORTABLE_BCD: 0x800423FD;
  readonly VSS_E_CANNOT_REVERT_DISKID: 0x800423FE;
  readonly VSS_E_RESYNC_IN_PROGRESS: 0x800423FF;
  readonly VSS_E_CLUSTER_ERROR: 0x80042400;
  readonly VSS_E_ASRERROR_DISK_ASSIGNMENT_FAILED: 0x80042401;
  readonly VSS_E_ASRERROR_DISK_RECREATION_FAILED: 0x80042402;
  readonly VSS_E_ASRERROR_NO_ARCPATH: 0x80042403;
  readonly VSS_E_ASRERROR_MISSING_DYNDISK: 0x80042404;
  readonly VSS_E_ASRERROR_SHARED_CRIDISK: 0x80042405;
  readonly VSS_E_ASRERROR_DATADISK_RDISK0: 0x80042406;
  readonly VSS_E_ASRERROR_RDISK0_TOOSMALL: 0x80042407;
  readonly VSS_E_ASRERROR_CRITICAL_DISKS_TOO_SMALL: 0x80042408;
  readonly VSS_E_WRITER_STATUS_NOT_AVAILABLE: 0x80042409;
  readonly VSS_E_ASRERROR_DYNAMIC_VHD_NOT_SUPPORTED: 0x8004240A;
  readonly VSS_E_CRITICAL_VOLUME_ON_INVALID_DISK: 0x80042411;
  readonly VSS_E_ASRERROR_RDISK_FOR_SYSTEM_DISK_NOT_FOUND: 0x80042412;
  readonly VSS_E_ASRERROR_NO_PHYSICAL_DISK_AVAILABLE: 0x80042413;
  readonly VSS_E_ASRERROR_FIXED_PHYSICAL_DISK_AVAILABLE_AFTER_DISK_EXCLUSION: 0x80042414;
  readonly VSS_E_ASRERROR_CRITICAL_DISK_CANNOT_BE_EXCLUDED: 0x80042415;
  readonly VSS_E_ASRERROR_SYSTEM_PARTITION_HIDDEN: 0x80042416;
  readonly VSS_E_FSS_TIMEOUT: 0x80042417;
};

export declare const WriterState: {
  readonly UNKNOWN: 0;
  readonly STABLE: 1;
  readonly WAITING_FOR_FREEZE: 2;
  readonly WAITING_FOR_THAW: 3;
  readonly WAITING_FOR_POST_SNAPSHOT: 4;
  readonly WAITING_FOR_BACKUP_COMPLETE: 5;
  readonly FAILED_AT_IDENTIFY: 6;
  readonly FAILED_AT_PREPARE_BACKUP: 7;
  readonly FAILED_AT_PREPARE_SNAPSHOT: 8;
  readonly FAILED_AT_FREEZE: 9;
  readonly FAILED_AT_THAW: 10;
  readonly FAILED_AT_POST_SNAPSHOT: 11;
  readonly FAILED_AT_BACKUP_COMPLETE: 12;
  readonly FAILED_AT_PRE_RESTORE: 13;
  readonly FAILED_AT_POST_RESTORE: 14;
  readonly FAILED_AT_BACKUPSHUTDOWN: 15;
};

export declare const Step: {
  readonly GATHER_WRITER_METADATA: 0;
  readonly PREPARE_FOR_BACKUP: 1;
  readonly DO_SNAPSHOT_SET: 2;
  readonly BACKUP_COMPLETE: 3;
  readonly GATHER_WRITER_STATUS: 4;
  readonly PRE_RESTORE: 5;
  readonly POST_RESTORE: 6;
};

export declare const BackupType: {
  readonly UNDEFINED: 0;
  readonly FULL: 1;
  readonly INCREMENTAL: 2;
  readonly DIFFERENTIAL: 3;
  readonly LOG: 4;
  readonly COPY: 5;
  readonly OTHER: 6;
};

export declare const UsageType: {
  readonly UNDEFINED: 0;
  readonly BOOTABLE_SYSTEM_STATE: 1;
  readonly SYSTEM_SERVICE: 2;
  readonly USER_DATA: 3;
  readonly OTHER: 4;
};

export declare const SourceType: {
  readonly UNDEFINED: 0;
  readonly TRANSACTED_DB: 1;
  readonly NON_TRANSACTED_DB: 2;
  readonly OTHER: 3;
};

export declare const ComponentType: {
  readonly UNDEFINED: 0;
  readonly DATABASE: 1;
  readonly FILEGROUP: 2;
};

export declare const FileKind: {
  readonly FILE_GROUP: 0;
  readonly DATABASE: 1;
  readonly DATABASE_LOG: 2;
};

export declare const Context: {
  readonly BACKUP: 0;
  readonly FILE_SHARE_BACKUP: 16;
  readonly NAS_ROLLBACK: 25;
  readonly APP_ROLLBACK: 9;
  readonly CLIENT_ACCESSIBLE: 29;
  readonly CLIENT_ACCESSIBLE_WRITERS: 13;
  readonly ALL: -1;
};

export declare const ApplicationLevel: {
  readonly UNKNOWN: 0;
  readonly SYSTEM: 1;
  readonly BACK_END: 2;
  readonly FRONT_END: 3;
  readonly SYSTEM_RM: 4;
  readonly AUTO: -1;
};

export declare const ComponentText: {
  readonly BACKUP_METADATA: 0;
  readonly BACKUP_STAMP: 1;
  readonly PREVIOUS_BACKUP_STAMP: 2;
  readonly BACKUP_OPTIONS: 3;
  readonly RESTORE_OPTIONS: 4;
  readonly RESTORE_METADATA: 5;
  readonly PRE_RESTORE_FAILURE_MSG: 6;
  readonly POST_RESTORE_FAILURE_MSG: 7;
  readonly PREPARE_FOR_BACKUP_FAILURE_MSG: 8;
  readonly POST_SNAPSHOT_FAILURE_MSG: 9;
};

export declare const FileRestoreStatus: {
  readonly UNDEFINED: 0;
  readonly NONE: 1;
  readonly ALL: 2;
  readonly FAILED: 3;
};

export declare const RestoreType: {
  readonly BY_COPY: 1;
  readonly IMPORT: 2;
  readonly OTHER: 3;
};

export declare const ProviderId: {
  readonly SIMULATED: "b5946137-7b9f-4925-af80-51abd60b20d5";
  readonly LIVE: "6f70656e-7673-4c69-7665-000000000001";
  readonly COPY: "6f70656e-7673-436f-7079-000000000001";
  readonly BTRFS: "6f70656e-7673-4274-7266-000000000001";
  readonly REFLINK: "6f70656e-7673-5266-6c6b-000000000001";
  readonly FSFREEZE: "6f70656e-7673-4672-7a66-000000000001";
};

export declare const ProviderType: {
  readonly UNKNOWN: 0;
  readonly SYSTEM: 1;
  readonly SOFTWARE: 2;
  readonly HARDWARE: 3;
  readonly FILESHARE: 4;
};

export declare const RetryClass: {
  readonly NO: 0;
  readonly AFTER_WAIT: 1;
  readonly SHORT_BACK_OFF: 2;
};

export declare const RetryLimits: {
  readonly MAX_RETRIES: 100;
  readonly MAX_WAIT_MS: 86400000;
};

// ---- helpers --------------------------------------------------------------------------

/** The symbolic name of an HRESULT ("VSS_E_BAD_STATE", or "0x12345678" when unknown). */
export declare function hresultName(hr: HResult): string;
/** A one-line meaning of an HRESULT. */
export declare function hresultMeaning(hr: HResult): string;
/** The name of a VSS_WRITER_STATE ("FAILED_AT_FREEZE"), "?" when out of range. */
export declare function writerStateName(state: number): string;
/** RetryClass: 1 retry after the long wait, 2 on the short back-off, 0 do not retry. */
export declare function isRetryable(hr: HResult): number;
/** The library's version ("0.1.0"). */
export declare function version(): string;
/** The library's ABI version (VSSAPI_ABI_VERSION). */
export declare function abiVersion(): number;
/** Normalises a GUID string or struct to the lower-case string form; TypeError if it is none. */
export declare function guid(value: GuidLike): string;

/** What the binding loaded: the file it named or the name the loader found ("libvssapi.so.1"). */
export declare const libraryPath: string;
/** The same for the binding's helper ("libvssapi_node.so"). */
export declare const helperPath: string;

// ---- errors ---------------------------------------------------------------------------

/** Every failed call: the library's message for it, its HRESULT and what that means. */
export declare class VssError extends Error {
  constructor(hresult: HResult, message?: string);
  readonly name: 'VssError';
  /** Unsigned, as written: 0x80070057. */
  readonly hresult: number;
  /** Its name: "E_INVALIDARG". */
  readonly code: string;
  readonly meaning: string;
  /** isRetryable(hresult). */
  readonly retryable: number;
}

// ---- coordinator ----------------------------------------------------------------------

export interface CoordinatorOptions {
  /** Handler threads (0: two per core, at least 4). */
  workers?: number;
  /** 0: 600,000. */
  eventTimeoutMs?: number;
  /** 0: 10,000. */
  commitWindowMs?: number;
  /** 0: 64. */
  sessionLimit?: number;
  /** false or 'real' (default), true or 'manual' (advanceClock only), 'simulated', or a Clock value. */
  virtualClock?: boolean | 'real' | 'manual' | 'simulated' | number;
}

/** One entry of Coordinator#providers(). */
export interface ProviderInfo {
  id: string;
  name: string;
  /** ProviderType (SOFTWARE). */
  type: number;
  version: string;
}

/** What a provider step answers: undefined or true (S_OK), false (a veto), an HRESULT. */
export type ProviderStepResult = void | undefined | boolean | number;

/**
 * A snapshot provider written in JS (vss_provider_callbacks): the steps of the
 * SDK's IVssProviderCreateSnapshotSet. Only the steps present are given to the
 * library. A step may throw a VssError (it fails with that HRESULT); any other
 * error fails it with VSS_E_UNEXPECTED_PROVIDER_ERROR and is reported. Every
 * step but isVolumeSupported may return a promise.
 */
export interface ProviderDefinition {
  /** Not all zero, not a registered provider's. */
  id: string;
  name: string;
  /** Default "1.0". */
  version?: string;
  /** In addToSnapshotSet, on the JS thread, synchronous: false is VSS_E_VOLUME_NOT_SUPPORTED. Absent: the volume must be a folder that exists. */
  isVolumeSupported?(volume: string): ProviderStepResult;
  prepareForSnapshot?(snapshotSetId: string, snapshotId: string, volume: string): ProviderStepResult | Promise<ProviderStepResult>;
  endPrepareSnapshots?(snapshotSetId: string): ProviderStepResult | Promise<ProviderStepResult>;
  preCommitSnapshots?(snapshotSetId: string): ProviderStepResult | Promise<ProviderStepResult>;
  /** Always given to the library (absent: it succeeds). */
  commitSnapshots?(snapshotSetId: string): ProviderStepResult | Promise<ProviderStepResult>;
  postCommitSnapshots?(snapshotSetId: string, count: number): ProviderStepResult | Promise<ProviderStepResult>;
  preFinalCommitSnapshots?(snapshotSetId: string): ProviderStepResult | Promise<ProviderStepResult>;
  postFinalCommitSnapshots?(snapshotSetId: string): ProviderStepResult | Promise<ProviderStepResult>;
  /** After a failed step; what it answers is not looked at. */
  abortSnapshots?(snapshotSetId: string): ProviderStepResult | Promise<ProviderStepResult>;
  /** The snapshot's device path (at most 4,095 bytes of UTF-8). Absent: deviceName is empty. */
  snapshotDevice?(snapshotId: string): string | Promise<string>;
  /** A snapshot is deleted or released with its requester. */
  deleteSnapshot?(snapshotId: string): ProviderStepResult | Promise<ProviderStepResult>;
  /** Told of a step that threw (unless registerProvider's options.onError is given). */
  onError?(error: unknown, step: string): void;
}

export interface RegisterProviderOptions {
  onError?: (error: unknown, step: string) => void;
}

/** The embedded VSS service writers and requesters meet in. */
export declare class Coordinator {
  /** An isolated coordinator. */
  constructor(options?: CoordinatorOptions);
  /** The process's default coordinator (a new reference to it). */
  static default(): Coordinator;
  /** Moves a manual clock on; VSS_E_BAD_STATE on a real or simulated one. */
  advanceClock(milliseconds: number | bigint): void;
  /** The snapshot providers, the default (ProviderId.SIMULATED) first. */
  providers(): ProviderInfo[];
  /** Registers a JS provider; returns its id. */
  registerProvider(provider: ProviderDefinition, options?: RegisterProviderOptions): string;
  /** Resolves once no step of it can run any more. */
  unregisterProvider(provider: string | { id: string }): Promise<void>;
  /** Drops this reference, after unregistering the providers registered through this object. */
  close(): Promise<void>;
  [Symbol.dispose](): void;
  [Symbol.asyncDispose](): Promise<void>;
}

// ---- scenario -------------------------------------------------------------------------

/** Mock writers from a scenario file (abi/scenario.schema.json), loaded into a coordinator. */
export declare class Scenario {
  constructor(coordinator: Coordinator | null, source: string | FileURLLike | { path: string | FileURLLike } | { text: string });
  readonly coordinator: Coordinator | null;
  readonly closed: boolean;
  /** Unsubscribes the mock writers and restores the provider; off the JS thread. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

// ---- writer ---------------------------------------------------------------------------

/** In onIdentify: the writer's components and files (IVssCreateWriterMetadata). */
export declare class WriterMetadata {
  private constructor();
  addComponent(component: { name: string; logicalPath?: string | null; type?: number; caption?: string | null;
    selectable?: boolean }): void;
  addFiles(files: { componentName: string; path: string; filespec: string; logicalPath?: string | null;
    kind?: number; recursive?: boolean }): void;
  addIncludeFiles(path: string, filespec: string, recursive?: boolean): void;
  addExcludeFiles(path: string, filespec: string, recursive?: boolean): void;
}

/** One component of a WriterComponents list. */
export declare class WriterComponent {
  private constructor();
  readonly index: number;
  readonly logicalPath: string | null;
  readonly name: string;
  setFailure(hr: HResult, hrApplication?: HResult, message?: string | null): void;
  /** A ComponentText, or null when it was never set. */
  text(which: number): string | null;
  setText(which: number, value: string | null): void;
  readonly backupMetadata: string | null;
  readonly backupStamp: string | null;
  readonly selectedForRestore: boolean;
  /** FileRestoreStatus. */
  readonly fileRestoreStatus: number;
}

/** In component handlers: the session's components of this writer (IVssWriterComponents). */
export declare class WriterComponents implements Iterable<WriterComponent> {
  private constructor();
  readonly length: number;
  get(index: number): WriterComponent;
  [Symbol.iterator](): Iterator<WriterComponent>;
  setFailure(index: number, hr: HResult, hrApplication?: HResult, message?: string | null): void;
  text(index: number, which: number): string | null;
  setText(index: number, which: number, value: string | null): void;
  selectedForRestore(index: number): boolean;
  fileRestoreStatus(index: number): number;
}

/** A handler's last argument: the calls bound to the handler's own thread. */
export declare class HandlerContext {
  private constructor();
  /** The handler's name, "onFreeze". */
  readonly event: string | null;
  /** The Writer, while it is alive. */
  readonly writer: Writer | null;
  setFailure(hrWriter: HResult): void;
  setFailureEx(hrWriter: HResult, hrApplication?: HResult, message?: string | null): void;
  readonly sessionId: string;
}

/** What a writer handler answers: true or nothing (success), false (a veto), or a promise of one. */
export type HandlerResult = void | undefined | boolean | number;
export type Handled = HandlerResult | Promise<HandlerResult>;

/** A writer's handlers: on options.handlers, or methods of a Writer subclass. */
export interface WriterHandlers {
  onIdentify(metadata: WriterMetadata, context: HandlerContext): Handled;
  onPrepareBackup(components: WriterComponents | null, context: HandlerContext): Handled;
  onPrepareSnapshot(context: HandlerContext): Handled;
  onFreeze(context: HandlerContext): Handled;
  onThaw(context: HandlerContext): Handled;
  onAbort(context: HandlerContext): Handled;
  onPostSnapshot(components: WriterComponents | null, context: HandlerContext): Handled;
  onBackupComplete(components: WriterComponents | null, context: HandlerContext): Handled;
  onBackupShutdown(snapshotSetId: string | null, context: HandlerContext): Handled;
  onPreRestore(components: WriterComponents | null, context: HandlerContext): Handled;
  onPostRestore(components: WriterComponents | null, context: HandlerContext): Handled;
}

export interface WriterOptions {
  name: string;
  classId: GuidLike;
  /** Default: the process's default coordinator. */
  coordinator?: Coordinator | null;
  /** Default: the writer itself (a subclass's methods). */
  handlers?: Partial<WriterHandlers>;
  instanceName?: string | null;
  /** UsageType. */
  usage?: number;
  /** SourceType. */
  source?: number;
  /** ApplicationLevel (0: FRONT_END). */
  level?: number;
  /** 0: 60,000. */
  freezeTimeoutMs?: number;
  versionMajor?: number;
  versionMinor?: number;
  /** A handler that threw; default: a process warning. */
  onError?: (error: unknown, event: string) => void;
}

/** The handlers a Writer subclass may define as methods (optional methods, so that a subclass's methods override them). */
export interface Writer {
  onIdentify?(metadata: WriterMetadata, context: HandlerContext): Handled;
  onPrepareBackup?(components: WriterComponents | null, context: HandlerContext): Handled;
  onPrepareSnapshot?(context: HandlerContext): Handled;
  onFreeze?(context: HandlerContext): Handled;
  onThaw?(context: HandlerContext): Handled;
  onAbort?(context: HandlerContext): Handled;
  onPostSnapshot?(components: WriterComponents | null, context: HandlerContext): Handled;
  onBackupComplete?(components: WriterComponents | null, context: HandlerContext): Handled;
  onBackupShutdown?(snapshotSetId: string | null, context: HandlerContext): Handled;
  onPreRestore?(components: WriterComponents | null, context: HandlerContext): Handled;
  onPostRestore?(components: WriterComponents | null, context: HandlerContext): Handled;
}
/** A writer; its handlers run on the JS thread. */
export declare class Writer {
  constructor(options: WriterOptions);
  subscribe(): void;
  unsubscribe(): void;
  /** Lets the process exit while this writer is subscribed. */
  unref(): this;
  ref(): this;
  readonly instanceId: string;
  readonly lastHandlerError: unknown;
  readonly currentHandler: HandlerContext | null;
  /** Inside one of this writer's handlers. */
  setFailure(hrWriter: HResult): void;
  setFailureEx(hrWriter: HResult, hrApplication?: HResult, message?: string | null): void;
  readonly sessionId: string;
  /** Stops and releases the writer, off the JS thread. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

// ---- requester ------------------------------------------------------------------------

/** One step under way (IVssAsync). */
export declare class VssAsync {
  private constructor();
  /** Step. */
  readonly step: number;
  /** VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED or the step's failure. */
  status(): number;
  readonly pending: boolean;
  cancel(): number;
  /** Resolves to the final status, or VSS_S_ASYNC_PENDING when timeoutMs ran out. */
  wait(options?: { timeoutMs?: number; signal?: { throwIfAborted(): void } }): Promise<number>;
  /** Blocks the JS thread: only when no writer or provider of this process can be called. */
  waitSync(milliseconds?: number): number;
  /** Throws a VssError unless the step finished. */
  result(): Promise<void>;
  close(): void;
  [Symbol.dispose](): void;
}

export interface WriterIdentity {
  instanceId: string;
  classId: string;
  name: string;
  instanceName: string | null;
  usage: number;
  source: number;
  componentCount: number;
}

export interface ComponentInfo {
  type: number;
  logicalPath: string | null;
  name: string;
  caption: string | null;
  selectable: boolean;
  fileCount: number;
  databaseCount: number;
  logCount: number;
}

export interface WriterStatus {
  instanceId: string;
  classId: string;
  name: string;
  state: number;
  stateName: string;
  hrFailureWriter: number;
  hrApplication: number;
  message: string | null;
}

export interface ComponentFailure {
  instanceId: string;
  classId: string;
  logicalPath: string | null;
  name: string;
  /** 0: it did not fail. */
  hr: number;
  hrApplication: number;
  message: string | null;
}

export interface SnapshotProperties {
  snapshotId: string;
  snapshotSetId: string;
  providerId: string;
  snapshotsInSet: number;
  originalVolume: string;
  deviceName: string;
  attributes: number;
  /** FILETIME units. */
  creationTime: bigint;
}

/** A component of a saved document, as the restore calls name it. */
export interface RestoreComponent {
  classId: GuidLike;
  /** ComponentType (FILEGROUP). */
  type?: number;
  logicalPath?: string | null;
  name: string;
}

/** A backup session (IVssBackupComponents). */
export declare class Requester {
  /** Default: the process's default coordinator. */
  constructor(coordinator?: Coordinator | null);
  readonly sessionId: string;
  initializeForBackup(): void;
  /** Context (BACKUP). */
  setContext(context: number): void;
  setBackupState(state?: { selectComponents?: boolean; bootableSystemState?: boolean; backupType?: number;
    partialFileSupport?: boolean }): void;
  start(step: number): VssAsync;
  run(step: number): Promise<void>;
  /** Blocks the JS thread: deadlocks if a writer or provider of this process can be called. */
  runSync(step: number): void;
  gatherWriterMetadata(): Promise<void>;
  prepareForBackup(): Promise<void>;
  doSnapshotSet(): Promise<void>;
  backupComplete(): Promise<void>;
  gatherWriterStatus(): Promise<void>;
  saveDocument(): string;
  initializeForRestore(xml: string): void;
  resumeBackup(xml: string): void;
  /** RestoreType (BY_COPY). */
  setRestoreState(restoreType?: number): void;
  selectForRestore(component: RestoreComponent & { selected?: boolean }): void;
  setRestoreOptions(component: RestoreComponent & { options: string }): void;
  setFileRestoreStatus(component: RestoreComponent & { status: number }): void;
  preRestore(): Promise<void>;
  postRestore(): Promise<void>;
  readonly writerCount: number;
  writerIdentity(index: number): WriterIdentity;
  writerComponent(writerIndex: number, componentIndex: number): ComponentInfo;
  writers(): Array<WriterIdentity & { components: ComponentInfo[] }>;
  addComponent(component: { instanceId: GuidLike; classId: GuidLike; type?: number; logicalPath?: string | null;
    name: string }): void;
  addAllComponents(): void;
  /** The snapshot set id. */
  startSnapshotSet(): string;
  /** The snapshot id; provider: its id or an object with one (none: the coordinator's default). */
  addToSnapshotSet(volume: string, provider?: GuidLike | { id: GuidLike } | null): string;
  /** AbortBackup, off the JS thread. */
  abort(): Promise<void>;
  readonly statusCount: number;
  status(index: number): WriterStatus;
  writerStatuses(): WriterStatus[];
  readonly componentCount: number;
  componentFailure(index: number): ComponentFailure;
  componentFailures(): ComponentFailure[];
  snapshotProperties(snapshotId: GuidLike): SnapshotProperties;
  /** Releases the session (OnBackupShutdown), off the JS thread. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

// ---- the retry helper -----------------------------------------------------------------

/** vss_retry_policy; a field left out takes the library's default. */
export interface RetryPolicy {
  /** Retries after a RetryClass.AFTER_WAIT failure (default 3, at most 100). */
  maxRetries?: number;
  /** The wait before each of them (default 600,000; at most 86,400,000). */
  waitMs?: number;
  /** Retries after VSS_E_SNAPSHOT_SET_IN_PROGRESS (default 5). */
  inProgressMaxRetries?: number;
  /** The wait before each of them (default 30,000). */
  inProgressWaitMs?: number;
}

/** One attempt of a retryRun, reported before the wait after it. */
export interface RetryAttempt {
  /** 1 for the first. */
  number: number;
  result: number;
  /** RetryClass of result. */
  retryClass: number;
  /** The coordinator's clock when it began and ended. */
  startMs: number;
  endMs: number;
  /** The wait before the next attempt; 0 if none follows. */
  waitMs: number;
}

/** The library's defaults: { maxRetries: 3, waitMs: 600000, inProgressMaxRetries: 5, inProgressWaitMs: 30000 }. */
export declare function retryPolicyDefault(): Required<RetryPolicy>;

/**
 * vss_retry_run: attempt(requester, number) with a fresh requester each time
 * until it succeeds, fails for good, or the budget is spent. Resolves to the
 * last result (S_OK); rejects with a VssError when it failed.
 */
export declare function retryRun(
  coordinator: Coordinator | null,
  policy: RetryPolicy | null,
  attempt: (requester: Requester, number: number) => HResult | void | Promise<HResult | void>,
  report?: ((attempt: RetryAttempt) => void) | null,
): Promise<number>;
