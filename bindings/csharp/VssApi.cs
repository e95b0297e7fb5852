// OpenVss: C# (Mono) bindings over openvss's flat C API (abi/vssapi/vssapi.h).
//
// P/Invoke only, no unsafe code, C# 6: builds with Debian's `mcs` and runs on Mono 6.8.
//   - every failing call throws VssException (HResult, Name, Meaning and the library's message);
//   - handles are SafeHandles: Dispose() releases them at once, the finalizer if you forget;
//   - strings cross as UTF-8 (converted here with Encoding.UTF8, never by the marshaller);
//   - a writer is a subclass of Writer that overrides OnFreeze() and friends; its handlers run on
//     the library's pool threads, every exception is caught there and reported as a failure (-1).
//
// The library is libvssapi.so.1; when VSSAPI_LIBRARY names a file, that file is loaded first.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OpenVss
{
    // ---- constants ------------------------------------------------------------------------

    /// <summary>HRESULT values of abi/vsserror.h that a backup application meets most.</summary>
    public static class HResults
    {
        public const int S_OK = 0;
        public const int S_FALSE = 1;
        public const int E_FAIL = unchecked((int)0x80004005);
        public const int E_INVALIDARG = unchecked((int)0x80070057);
        public const int E_OUTOFMEMORY = unchecked((int)0x8007000E);
        public const int E_NOTIMPL = unchecked((int)0x80004001);
        public const int E_UNEXPECTED = unchecked((int)0x8000FFFF);
        public const int E_ACCESSDENIED = unchecked((int)0x80070005);
        public const int VSS_S_ASYNC_PENDING = 0x00042309;
        public const int VSS_S_ASYNC_FINISHED = 0x0004230A;
        public const int VSS_S_ASYNC_CANCELLED = 0x0004230B;
        public const int VSS_E_BAD_STATE = unchecked((int)0x80042301);
        public const int VSS_E_UNEXPECTED = unchecked((int)0x80042302);
        public const int VSS_E_OBJECT_NOT_FOUND = unchecked((int)0x80042308);
        public const int VSS_E_VOLUME_NOT_SUPPORTED = unchecked((int)0x8004230C);
        public const int VSS_E_OBJECT_ALREADY_EXISTS = unchecked((int)0x8004230D);
        public const int VSS_E_INVALID_XML_DOCUMENT = unchecked((int)0x80042311);
        public const int VSS_E_UNEXPECTED_WRITER_ERROR = unchecked((int)0x80042315);
        public const int VSS_E_SNAPSHOT_SET_IN_PROGRESS = unchecked((int)0x80042316);
        public const int VSS_E_WRITER_INFRASTRUCTURE = unchecked((int)0x80042318);
        public const int VSS_E_WRITER_NOT_RESPONDING = unchecked((int)0x80042319);
        public const int VSS_E_WRITER_ALREADY_SUBSCRIBED = unchecked((int)0x8004231A);
        public const int VSS_E_UNSUPPORTED_CONTEXT = unchecked((int)0x8004231B);
        public const int VSS_E_WRITERERROR_PARTIAL_FAILURE = unchecked((int)0x80042336);
        public const int VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT = unchecked((int)0x800423F0);
        public const int VSS_E_WRITERERROR_OUTOFRESOURCES = unchecked((int)0x800423F1);
        public const int VSS_E_WRITERERROR_TIMEOUT = unchecked((int)0x800423F2);
        public const int VSS_E_WRITERERROR_RETRYABLE = unchecked((int)0x800423F3);
        public const int VSS_E_WRITERERROR_NONRETRYABLE = unchecked((int)0x800423F4);
        public const int VSS_E_WRITERERROR_RECOVERY_FAILED = unchecked((int)0x800423F5);
        public const int VSS_E_WRITER_STATUS_NOT_AVAILABLE = unchecked((int)0x80042409);

        public static bool Succeeded(int hr) { return hr >= 0; }
        public static bool Failed(int hr) { return hr < 0; }
    }

    /// <summary>VSS_WRITER_STATE.</summary>
    public enum WriterState
    {
        Unknown = 0,
        Stable = 1,
        WaitingForFreeze = 2,
        WaitingForThaw = 3,
        WaitingForPostSnapshot = 4,
        WaitingForBackupComplete = 5,
        FailedAtIdentify = 6,
        FailedAtPrepareBackup = 7,
        FailedAtPrepareSnapshot = 8,
        FailedAtFreeze = 9,
        FailedAtThaw = 10,
        FailedAtPostSnapshot = 11,
        FailedAtBackupComplete = 12,
        FailedAtPreRestore = 13,
        FailedAtPostRestore = 14,
        FailedAtBackupShutdown = 15,
    }

    /// <summary>VSS_BACKUP_TYPE.</summary>
    public enum BackupType { Undefined = 0, Full = 1, Incremental = 2, Differential = 3, Log = 4, Copy = 5, Other = 6 }

    /// <summary>VSS_USAGE_TYPE.</summary>
    public enum UsageType { Undefined = 0, BootableSystemState = 1, SystemService = 2, UserData = 3, Other = 4 }

    /// <summary>VSS_SOURCE_TYPE.</summary>
    public enum SourceType { Undefined = 0, TransactedDb = 1, NonTransactedDb = 2, Other = 3 }

    /// <summary>VSS_APPLICATION_LEVEL.</summary>
    public enum ApplicationLevel { Auto = -1, Unknown = 0, System = 1, BackEnd = 2, FrontEnd = 3, SystemRM = 4 }

    /// <summary>VSS_COMPONENT_TYPE.</summary>
    public enum ComponentType { Undefined = 0, Database = 1, FileGroup = 2 }

    /// <summary>What vss_metadata_add_files declares.</summary>
    public enum FileKind { FileGroup = 0, Database = 1, DatabaseLog = 2 }

    /// <summary>VSS_SNAPSHOT_CONTEXT.</summary>
    public enum SnapshotContext
    {
        Backup = 0,
        FileShareBackup = 0x10,
        NasRollback = 0x19,
        AppRollback = 9,
        ClientAccessible = 0x1d,
        ClientAccessibleWriters = 13,
        All = -1,
    }

    /// <summary>The asynchronous steps of a backup (vss_step).</summary>
    public enum BackupStep
    {
        GatherWriterMetadata = 0,
        PrepareForBackup = 1,
        DoSnapshotSet = 2,
        BackupComplete = 3,
        GatherWriterStatus = 4,
        PreRestore = 5,
        PostRestore = 6,
    }

    /// <summary>vss_component_text: the texts of one component in a handler.</summary>
    public enum ComponentText
    {
        BackupMetadata = 0,
        BackupStamp = 1,
        PreviousBackupStamp = 2,
        BackupOptions = 3,
        RestoreOptions = 4,
        RestoreMetadata = 5,
        PreRestoreFailureMsg = 6,
        PostRestoreFailureMsg = 7,
        PrepareForBackupFailureMsg = 8,
        PostSnapshotFailureMsg = 9,
    }

    /// <summary>VSS_FILE_RESTORE_STATUS.</summary>
    public enum FileRestoreStatus
    {
        Undefined = 0,
        None = 1,
        All = 2,
        Failed = 3,
    }

    /// <summary>VSS_RESTORE_TYPE.</summary>
    public enum RestoreType
    {
        ByCopy = 1,
        Import = 2,
        Other = 3,
    }

    /// <summary>What vss_is_retryable answers.</summary>
    public enum RetryClass
    {
        /// <summary>Do not retry.</summary>
        No = 0,
        /// <summary>Retry after the long wait (writer and commit codes).</summary>
        AfterWait = 1,
        /// <summary>Retry on the short back-off (VSS_E_SNAPSHOT_SET_IN_PROGRESS).</summary>
        ShortBackOff = 2,
    }

    // ---- errors ---------------------------------------------------------------------------

    /// <summary>A failed call: the HRESULT, its symbolic name and meaning, and the library's message.</summary>
    public class VssException : Exception
    {
        static VssException() { Native.EnsureLoaded(); }

        public VssException(int hresult, string nativeMessage)
            : base(Compose(hresult, nativeMessage))
        {
            HResult = hresult;
            Name = Vss.HResultName(hresult);
            Meaning = Vss.HResultMeaning(hresult);
            NativeMessage = nativeMessage ?? "";
        }

        public VssException(int hresult) : this(hresult, null) { }

        /// <summary>"VSS_E_WRITERERROR_RETRYABLE", or "0x12345678" for an unknown code.</summary>
        public string Name { get; private set; }

        /// <summary>One line that says what the code means.</summary>
        public string Meaning { get; private set; }

        /// <summary>vss_last_error_message() read right after the failing call ("" if none).</summary>
        public string NativeMessage { get; private set; }

        public RetryClass RetryClass { get { return Vss.IsRetryable(HResult); } }

        static string Compose(int hresult, string nativeMessage)
        {
            if (!string.IsNullOrEmpty(nativeMessage)) {
                return nativeMessage;
            }
            return Vss.HResultName(hresult) + " (" + Vss.HResultMeaning(hresult) + ")";
        }

        // Reads this thread's message before anything else can replace it.
        internal static VssException FromLastError(int hresult)
        {
            string message = Utf8.Read(Native.vss_last_error_message());
            return new VssException(hresult, message);
        }

        internal static int Check(int hresult)
        {
            if (hresult < 0) {
                throw FromLastError(hresult);
            }
            return hresult;
        }
    }

    // ---- library-wide helpers --------------------------------------------------------------

    /// <summary>The library's version and its HRESULT helpers.</summary>
    public static class Vss
    {
        static Vss() { Native.EnsureLoaded(); }

        /// <summary>The library's version, e.g. "0.1.0".</summary>
        public static string Version { get { Native.EnsureLoaded(); return ReadVersion(); } }

        /// <summary>The library's ABI version (VSSAPI_ABI_VERSION); this binding is written for 1.</summary>
        public static int AbiVersion { get { Native.EnsureLoaded(); return ReadAbiVersion(); } }

        /// <summary>The ABI version this binding is written for.</summary>
        public const int BindingAbiVersion = 1;

        public static string HResultName(int hresult) { Native.EnsureLoaded(); return Name(hresult); }

        public static string HResultMeaning(int hresult) { Native.EnsureLoaded(); return Meaning(hresult); }

        /// <summary>"FAILED_AT_FREEZE" for WriterState.FailedAtFreeze; "?" out of range.</summary>
        public static string WriterStateName(WriterState state) { return WriterStateName((int)state); }

        public static string WriterStateName(int state) { Native.EnsureLoaded(); return StateName(state); }

        public static RetryClass IsRetryable(int hresult) { Native.EnsureLoaded(); return Retryable(hresult); }

        // The P/Invokes themselves, compiled only once the library is loaded (see Native.EnsureLoaded).
        [MethodImpl(MethodImplOptions.NoInlining)] static string ReadVersion() { return Utf8.Read(Native.vss_version()); }
        [MethodImpl(MethodImplOptions.NoInlining)] static int ReadAbiVersion() { return Native.vss_abi_version(); }
        [MethodImpl(MethodImplOptions.NoInlining)] static string Name(int hr) { return Utf8.Read(Native.vss_hresult_name(hr)); }
        [MethodImpl(MethodImplOptions.NoInlining)] static string Meaning(int hr) { return Utf8.Read(Native.vss_hresult_meaning(hr)); }
        [MethodImpl(MethodImplOptions.NoInlining)] static string StateName(int state) { return Utf8.Read(Native.vss_writer_state_name(state)); }
        [MethodImpl(MethodImplOptions.NoInlining)] static RetryClass Retryable(int hr) { return (RetryClass)Native.vss_is_retryable(hr); }
    }

    // ---- coordinator ----------------------------------------------------------------------

    /// <summary>The clock of a coordinator (vss_clock_kind).</summary>
    public enum ClockKind
    {
        /// <summary>Steady real time.</summary>
        Real = 0,
        /// <summary>Virtual; moves only with Coordinator.AdvanceClock.</summary>
        Manual = 1,
        /// <summary>
        /// Virtual; jumps to the next deadline once all the library's work waits on it, so a
        /// 10-minute timeout passes at once and every run gives the same times.
        /// </summary>
        Simulated = 2,
    }

    /// <summary>Settings of an isolated coordinator; zero values mean the library's defaults.</summary>
    public sealed class CoordinatorOptions
    {
        /// <summary>Handler threads; 0: two per core, at least 4.</summary>
        public uint Workers { get; set; }
        /// <summary>How long a writer may take in one event; zero: 600 s.</summary>
        public TimeSpan EventTimeout { get; set; }
        /// <summary>The freeze-to-thaw commit window; zero: 10 s.</summary>
        public TimeSpan CommitWindow { get; set; }
        /// <summary>Concurrent sessions; 0: 64.</summary>
        public uint SessionLimit { get; set; }
        /// <summary>The clock every timeout goes through: Real (the default), Manual or Simulated.</summary>
        public ClockKind Clock { get; set; }
        /// <summary>
        /// Whether Clock is virtual (Manual or Simulated). Setting true makes a Real clock Manual
        /// (time moves only with Coordinator.AdvanceClock); setting false makes it Real.
        /// </summary>
        public bool VirtualClock
        {
            get { return Clock != ClockKind.Real; }
            set {
                if (!value) {
                    Clock = ClockKind.Real;
                } else if (Clock == ClockKind.Real) {
                    Clock = ClockKind.Manual;
                }
            }
        }
    }

    /// <summary>The embedded VSS service: writers and requesters of one coordinator see each other.</summary>
    public sealed class Coordinator : IDisposable
    {
        internal readonly CoordinatorHandle Handle;

        static Coordinator() { Native.EnsureLoaded(); }

        Coordinator(CoordinatorHandle handle) { Handle = handle; }

        /// <summary>The process's default coordinator (what a null coordinator means elsewhere).</summary>
        public static Coordinator Default()
        {
            Native.EnsureLoaded();
            return CreateDefault();
        }

        /// <summary>A new, isolated coordinator.</summary>
        public static Coordinator Create(CoordinatorOptions options = null)
        {
            Native.EnsureLoaded();
            return CreateIsolated(options);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static Coordinator CreateDefault()
        {
            CoordinatorHandle handle;
            int hr = Native.vss_coordinator_default(out handle);
            if (hr < 0) {
                throw VssException.FromLastError(hr);
            }
            return new Coordinator(handle);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static Coordinator CreateIsolated(CoordinatorOptions options)
        {
            CoordinatorHandle handle;
            int hr;
            if (options == null) {
                hr = Native.vss_coordinator_create(IntPtr.Zero, out handle);
            } else {
                var native = new Native.CoordinatorOptions {
                    size = (uint)Marshal.SizeOf(typeof(Native.CoordinatorOptions)),
                    workers = options.Workers,
                    event_timeout_ms = Milliseconds(options.EventTimeout),
                    commit_window_ms = Milliseconds(options.CommitWindow),
                    session_limit = options.SessionLimit,
                    virtual_clock = (int)options.Clock,
                };
                hr = Native.vss_coordinator_create(ref native, out handle);
            }
            if (hr < 0) {
                throw VssException.FromLastError(hr);
            }
            return new Coordinator(handle);
        }

        /// <summary>Moves a Manual clock on; VSS_E_BAD_STATE for a real one.</summary>
        public void AdvanceClock(TimeSpan by)
        {
            if (by < TimeSpan.Zero) {
                throw new ArgumentOutOfRangeException("by");
            }
            VssException.Check(Native.vss_coordinator_advance_clock(Handle, (ulong)by.Ticks / TimeSpan.TicksPerMillisecond));
        }

        /// <summary>Drops this reference; writers and requesters created on it keep the service alive.</summary>
        public void Dispose() { Handle.Dispose(); }

        internal static uint Milliseconds(TimeSpan span)
        {
            if (span < TimeSpan.Zero || span.TotalMilliseconds > uint.MaxValue) {
                throw new ArgumentOutOfRangeException("span");
            }
            return (uint)span.TotalMilliseconds;
        }
    }

    // ---- scenarios ------------------------------------------------------------------------

    /// <summary>
    /// Mock writers declared in a scenario file (abi/scenario.schema.json), loaded into a
    /// coordinator: they take part in every backup of that coordinator until Dispose(), and the
    /// file's provider behaviour applies until then. A file that cannot be used throws
    /// VssException(E_INVALIDARG) whose message says "file:line:column: what was expected", and
    /// loads nothing. A coordinator with ClockKind.Simulated lets a scenario's 10-minute
    /// timeouts pass at once.
    /// </summary>
    public sealed class Scenario : IDisposable
    {
        readonly ScenarioHandle _handle;

        static Scenario() { Native.EnsureLoaded(); }

        Scenario(ScenarioHandle handle) { _handle = handle; }

        /// <summary>Loads the scenario file at `path` into `coordinator` (null: the process's default).</summary>
        public static Scenario Load(Coordinator coordinator, string path)
        {
            if (path == null) {
                throw new ArgumentNullException("path");
            }
            Native.EnsureLoaded();
            return new Scenario(LoadNative(coordinator, path, false));
        }

        /// <summary>The same from JSON text; messages name it "&lt;text&gt;".</summary>
        public static Scenario FromText(Coordinator coordinator, string json)
        {
            if (json == null) {
                throw new ArgumentNullException("json");
            }
            Native.EnsureLoaded();
            return new Scenario(LoadNative(coordinator, json, true));
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static ScenarioHandle LoadNative(Coordinator coordinator, string pathOrJson, bool isText)
        {
            ScenarioHandle handle;
            byte[] bytes = Utf8.Z(pathOrJson);
            int hr;
            if (coordinator == null) {
                hr = isText ? Native.vss_scenario_load_text(IntPtr.Zero, bytes, out handle)
                            : Native.vss_scenario_load(IntPtr.Zero, bytes, out handle);
            } else {
                hr = isText ? Native.vss_scenario_load_text(coordinator.Handle, bytes, out handle)
                            : Native.vss_scenario_load(coordinator.Handle, bytes, out handle);
            }
            if (hr < 0) {
                throw VssException.FromLastError(hr);
            }
            return handle;
        }

        public bool IsDisposed { get { return _handle.IsClosed; } }

        /// <summary>
        /// Unsubscribes the mock writers (handlers that never return are let go) and restores
        /// the provider. The scenario holds its own reference to the coordinator.
        /// </summary>
        public void Dispose() { _handle.Dispose(); }
    }

    // ---- writer ---------------------------------------------------------------------------

    /// <summary>The identity of a writer; everything but the class id and name is optional.</summary>
    public sealed class WriterOptions
    {
        public WriterOptions()
        {
            Usage = UsageType.UserData;
            Source = SourceType.Other;
            Level = ApplicationLevel.FrontEnd;
            FreezeTimeout = TimeSpan.FromSeconds(60);
        }

        public string InstanceName { get; set; }
        public UsageType Usage { get; set; }
        public SourceType Source { get; set; }
        public ApplicationLevel Level { get; set; }
        public TimeSpan FreezeTimeout { get; set; }
        public uint VersionMajor { get; set; }
        public uint VersionMinor { get; set; }
    }

    /// <summary>
    /// A VSS writer. Subclass it, override the handlers you need (the others answer true without
    /// entering managed code), Subscribe(), and Dispose() when done (before that, dispose the
    /// requesters). Handlers run on the library's pool threads: return true, return false (a veto),
    /// or throw (caught here: the library reports VSS_E_WRITERERROR_NONRETRYABLE). Call
    /// SetFailureEx/SetFailure only from inside a handler. While subscribed, the writer is kept
    /// alive by the library's reference to it, even if you drop yours.
    /// </summary>
    public abstract class Writer : IDisposable
    {
        readonly WriterHandle _handle;
        readonly object _lock = new object();
        GCHandle _subscribedRoot; // strong while subscribed: the service can call us
        volatile Exception _lastHandlerException;

        [ThreadStatic] static Writer t_inHandler;
        [ThreadStatic] static bool t_attached;

        static Writer() { Native.EnsureLoaded(); }

        protected Writer(Guid classId, string name, WriterOptions options = null, Coordinator coordinator = null)
        {
            Native.EnsureLoaded();
            _handle = Create(this, classId, name, options ?? new WriterOptions(), coordinator);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static WriterHandle Create(Writer writer, Guid classId, string name, WriterOptions options, Coordinator coordinator)
        {
            Native.WriterCallbacks callbacks = CallbacksFor(writer.GetType());
            GCHandle self = GCHandle.Alloc(writer, GCHandleType.Weak);
            bool created = false;
            IntPtr classIdPtr = IntPtr.Zero, namePtr = IntPtr.Zero, instancePtr = IntPtr.Zero;
            try {
                classIdPtr = Marshal.AllocHGlobal(16);
                Marshal.StructureToPtr(classId, classIdPtr, false);
                namePtr = Utf8.Alloc(name);
                instancePtr = Utf8.Alloc(options.InstanceName);
                var info = new Native.WriterInfo {
                    size = (uint)Marshal.SizeOf(typeof(Native.WriterInfo)),
                    class_id = classIdPtr,
                    name = namePtr,
                    instance_name = instancePtr,
                    usage = (int)options.Usage,
                    source = (int)options.Source,
                    level = (int)options.Level,
                    freeze_timeout_ms = Coordinator.Milliseconds(options.FreezeTimeout),
                    version_major = options.VersionMajor,
                    version_minor = options.VersionMinor,
                };
                WriterHandle handle;
                int hr = coordinator == null
                    ? Native.vss_writer_create(IntPtr.Zero, ref info, ref callbacks, GCHandle.ToIntPtr(self), out handle)
                    : Native.vss_writer_create(coordinator.Handle, ref info, ref callbacks, GCHandle.ToIntPtr(self), out handle);
                if (hr < 0) {
                    throw VssException.FromLastError(hr);
                }
                handle.Self = self; // freed after vss_writer_release, when no handler can run
                created = true;
                return handle;
            } finally {
                if (!created) {
                    self.Free();
                }
                Marshal.FreeHGlobal(classIdPtr);
                Marshal.FreeHGlobal(namePtr);
                Marshal.FreeHGlobal(instancePtr);
            }
        }

        /// <summary>Starts receiving events.</summary>
        public void Subscribe()
        {
            lock (_lock) {
                VssException.Check(Native.vss_writer_subscribe(_handle));
                if (!_subscribedRoot.IsAllocated) {
                    _subscribedRoot = GCHandle.Alloc(this);
                }
            }
        }

        /// <summary>Stops receiving events.</summary>
        public void Unsubscribe()
        {
            lock (_lock) {
                VssException.Check(Native.vss_writer_unsubscribe(_handle));
                if (_subscribedRoot.IsAllocated) {
                    _subscribedRoot.Free();
                }
            }
        }

        /// <summary>This writer's instance id (what the requester sees as WriterStatus.InstanceId).</summary>
        public Guid InstanceId
        {
            get {
                Guid id;
                VssException.Check(Native.vss_writer_instance_id(_handle, out id));
                return id;
            }
        }

        /// <summary>The id of the backup session being handled (inside a handler).</summary>
        public Guid SessionId
        {
            get {
                Guid id;
                VssException.Check(Native.vss_writer_session_id(_handle, out id));
                return id;
            }
        }

        /// <summary>CVssWriterEx2::SetWriterFailureEx: inside a handler, on its thread.</summary>
        public void SetFailureEx(int hrWriter, int hrApplication, string message)
        {
            VssException.Check(Native.vss_writer_set_failure_ex(_handle, hrWriter, hrApplication, Utf8.Z(message)));
        }

        /// <summary>CVssWriter::SetWriterFailure: inside a handler, on its thread.</summary>
        public void SetFailure(int hrWriter)
        {
            VssException.Check(Native.vss_writer_set_failure(_handle, hrWriter));
        }

        /// <summary>The last exception a handler threw (it was reported to the library as -1).</summary>
        public Exception LastHandlerException { get { return _lastHandlerException; } }

        public bool IsDisposed { get { return _handle.IsClosed; } }

        /// <summary>
        /// Stops the writer: waits for a running handler, and no handler runs after it returns.
        /// Not from inside one of this writer's own handlers (that would wait for itself).
        /// </summary>
        public void Dispose()
        {
            if (ReferenceEquals(t_inHandler, this)) {
                throw new InvalidOperationException("a writer cannot be disposed from inside its own handler");
            }
            _handle.Dispose(); // not under _lock: a running handler may still call Subscribe()
            lock (_lock) {
                if (_subscribedRoot.IsAllocated) {
                    _subscribedRoot.Free();
                }
            }
        }

        // ---- the handlers: override what you need -----------------------------------------

        /// <summary>Declare components and files.</summary>
        protected virtual bool OnIdentify(WriterMetadata metadata) { return true; }
        /// <summary>components is null when the requester does not select components.</summary>
        protected virtual bool OnPrepareBackup(WriterComponents components) { return true; }
        protected virtual bool OnPrepareSnapshot() { return true; }
        protected virtual bool OnFreeze() { return true; }
        protected virtual bool OnThaw() { return true; }
        protected virtual bool OnAbort() { return true; }
        protected virtual bool OnPostSnapshot(WriterComponents components) { return true; }
        protected virtual bool OnBackupComplete(WriterComponents components) { return true; }
        protected virtual bool OnBackupShutdown(Guid snapshotSetId) { return true; }
        protected virtual bool OnPreRestore(WriterComponents components) { return true; }
        protected virtual bool OnPostRestore(WriterComponents components) { return true; }

        // ---- trampolines ------------------------------------------------------------------
        // Static delegates: their native thunks live as long as the process, so no GC can pull
        // them from under a pool thread. `user` is a weak GCHandle to the Writer, freed only
        // after vss_writer_release has returned.

        static readonly Native.IdentifyFn s_identify = IdentifyThunk;
        static readonly Native.ComponentsFn s_prepareBackup = (u, w, c) => WithComponents(u, c, (x, cs) => x.OnPrepareBackup(cs));
        static readonly Native.HandlerFn s_prepareSnapshot = (u, w) => Dispatch(u, x => x.OnPrepareSnapshot());
        static readonly Native.HandlerFn s_freeze = (u, w) => Dispatch(u, x => x.OnFreeze());
        static readonly Native.HandlerFn s_thaw = (u, w) => Dispatch(u, x => x.OnThaw());
        static readonly Native.HandlerFn s_abort = (u, w) => Dispatch(u, x => x.OnAbort());
        static readonly Native.ComponentsFn s_postSnapshot = (u, w, c) => WithComponents(u, c, (x, cs) => x.OnPostSnapshot(cs));
        static readonly Native.ComponentsFn s_backupComplete = (u, w, c) => WithComponents(u, c, (x, cs) => x.OnBackupComplete(cs));
        static readonly Native.ShutdownFn s_backupShutdown = BackupShutdownThunk;
        static readonly Native.ComponentsFn s_preRestore = (u, w, c) => WithComponents(u, c, (x, cs) => x.OnPreRestore(cs));
        static readonly Native.ComponentsFn s_postRestore = (u, w, c) => WithComponents(u, c, (x, cs) => x.OnPostRestore(cs));

        static int Dispatch(IntPtr user, Func<Writer, bool> body)
        {
            Writer writer = null;
            try {
                if (!t_attached) {
                    t_attached = true;
                    MonoThreads.DoNotWaitAtExit();
                }
                writer = GCHandle.FromIntPtr(user).Target as Writer;
                if (writer == null) {
                    return 1; // collected: it was no longer subscribed
                }
                Writer outer = t_inHandler;
                t_inHandler = writer;
                try {
                    return body(writer) ? 1 : 0;
                } finally {
                    t_inHandler = outer;
                }
            } catch (Exception e) {
                try {
                    if (writer != null) {
                        writer._lastHandlerException = e;
                    }
                } catch {
                    // nothing may unwind into C
                }
                return -1;
            }
        }

        static int IdentifyThunk(IntPtr user, IntPtr writer, IntPtr metadata)
        {
            WriterMetadata wrapper = null;
            try {
                wrapper = new WriterMetadata(metadata);
                return Dispatch(user, x => x.OnIdentify(wrapper));
            } catch {
                return -1;
            } finally {
                if (wrapper != null) {
                    wrapper.Invalidate();
                }
            }
        }

        static int WithComponents(IntPtr user, IntPtr components, Func<Writer, WriterComponents, bool> body)
        {
            WriterComponents wrapper = null;
            try {
                wrapper = components == IntPtr.Zero ? null : new WriterComponents(components);
                return Dispatch(user, x => body(x, wrapper));
            } catch {
                return -1;
            } finally {
                if (wrapper != null) {
                    wrapper.Invalidate();
                }
            }
        }

        static int BackupShutdownThunk(IntPtr user, IntPtr writer, IntPtr snapshotSetId)
        {
            try {
                Guid id = snapshotSetId == IntPtr.Zero ? Guid.Empty : (Guid)Marshal.PtrToStructure(snapshotSetId, typeof(Guid));
                return Dispatch(user, x => x.OnBackupShutdown(id));
            } catch {
                return -1;
            }
        }

        // Only the handlers a subclass overrides reach managed code; NULL ones answer true.
        static Native.WriterCallbacks CallbacksFor(Type type)
        {
            return new Native.WriterCallbacks {
                size = (uint)Marshal.SizeOf(typeof(Native.WriterCallbacks)),
                on_identify = Pointer(type, "OnIdentify", s_identify, typeof(WriterMetadata)),
                on_prepare_backup = Pointer(type, "OnPrepareBackup", s_prepareBackup, typeof(WriterComponents)),
                on_prepare_snapshot = Pointer(type, "OnPrepareSnapshot", s_prepareSnapshot),
                on_freeze = Pointer(type, "OnFreeze", s_freeze),
                on_thaw = Pointer(type, "OnThaw", s_thaw),
                on_abort = Pointer(type, "OnAbort", s_abort),
                on_post_snapshot = Pointer(type, "OnPostSnapshot", s_postSnapshot, typeof(WriterComponents)),
                on_backup_complete = Pointer(type, "OnBackupComplete", s_backupComplete, typeof(WriterComponents)),
                on_backup_shutdown = Pointer(type, "OnBackupShutdown", s_backupShutdown, typeof(Guid)),
                on_pre_restore = Pointer(type, "OnPreRestore", s_preRestore, typeof(WriterComponents)),
                on_post_restore = Pointer(type, "OnPostRestore", s_postRestore, typeof(WriterComponents)),
            };
        }

        static IntPtr Pointer(Type type, string method, Delegate thunk, params Type[] parameters)
        {
            MethodInfo found = type.GetMethod(method, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic,
                                              null, parameters, null);
            if (found == null || found.DeclaringType == typeof(Writer)) {
                return IntPtr.Zero;
            }
            return Marshal.GetFunctionPointerForDelegate(thunk);
        }
    }

    /// <summary>What OnIdentify declares (IVssCreateWriterMetadata); valid only inside OnIdentify.</summary>
    public sealed class WriterMetadata
    {
        static WriterMetadata() { Native.EnsureLoaded(); }

        IntPtr _metadata;

        internal WriterMetadata(IntPtr metadata) { _metadata = metadata; }

        internal void Invalidate() { _metadata = IntPtr.Zero; }

        IntPtr Pointer
        {
            get {
                IntPtr p = _metadata;
                if (p == IntPtr.Zero) {
                    throw new ObjectDisposedException("WriterMetadata", "writer metadata is valid only inside OnIdentify");
                }
                return p;
            }
        }

        public void AddComponent(ComponentType type, string logicalPath, string name, string caption = null,
                                 bool selectable = true)
        {
            VssException.Check(Native.vss_metadata_add_component(Pointer, (int)type, Utf8.Z(logicalPath), Utf8.Z(name),
                                                                 Utf8.Z(caption), selectable ? 1 : 0));
        }

        public void AddFiles(FileKind kind, string logicalPath, string componentName, string path, string filespec,
                             bool recursive = false)
        {
            VssException.Check(Native.vss_metadata_add_files(Pointer, (int)kind, Utf8.Z(logicalPath), Utf8.Z(componentName),
                                                             Utf8.Z(path), Utf8.Z(filespec), recursive ? 1 : 0));
        }

        public void AddFilesToFileGroup(string logicalPath, string groupName, string path, string filespec,
                                        bool recursive = false)
        {
            AddFiles(FileKind.FileGroup, logicalPath, groupName, path, filespec, recursive);
        }

        public void AddDatabaseFiles(string logicalPath, string databaseName, string path, string filespec)
        {
            AddFiles(FileKind.Database, logicalPath, databaseName, path, filespec);
        }

        public void AddDatabaseLogFiles(string logicalPath, string databaseName, string path, string filespec)
        {
            AddFiles(FileKind.DatabaseLog, logicalPath, databaseName, path, filespec);
        }

        public void AddIncludeFiles(string path, string filespec, bool recursive = false)
        {
            VssException.Check(Native.vss_metadata_add_include_files(Pointer, Utf8.Z(path), Utf8.Z(filespec), recursive ? 1 : 0));
        }

        public void AddExcludeFiles(string path, string filespec, bool recursive = false)
        {
            VssException.Check(Native.vss_metadata_add_exclude_files(Pointer, Utf8.Z(path), Utf8.Z(filespec), recursive ? 1 : 0));
        }
    }

    /// <summary>One of this writer's components in the session (IVssComponent).</summary>
    public sealed class WriterComponent
    {
        static WriterComponent() { Native.EnsureLoaded(); }

        readonly WriterComponents _owner;

        internal WriterComponent(WriterComponents owner, int index, string logicalPath, string name)
        {
            _owner = owner;
            Index = index;
            LogicalPath = logicalPath;
            Name = name;
        }

        public int Index { get; private set; }
        public string LogicalPath { get; private set; }
        public string Name { get; private set; }

        /// <summary>IVssComponentEx2::SetFailure on this component.</summary>
        public void SetFailure(int hr, int hrApplication = 0, string message = null)
        {
            _owner.SetFailure(Index, hr, hrApplication, message);
        }

        /// <summary>One text of the component; null when it was never set.</summary>
        public string GetText(ComponentText which) { return _owner.GetText(Index, which); }

        /// <summary>Sets a text a writer may set in this handler.</summary>
        public void SetText(ComponentText which, string text) { _owner.SetText(Index, which, text); }

        public string BackupMetadata { get { return GetText(ComponentText.BackupMetadata); } }
        public string BackupStamp { get { return GetText(ComponentText.BackupStamp); } }

        /// <summary>In OnPreRestore and OnPostRestore: whether the requester selected it.</summary>
        public bool SelectedForRestore { get { return _owner.SelectedForRestore(Index); } }

        /// <summary>In OnPostRestore: what the requester set with SetFileRestoreStatus.</summary>
        public FileRestoreStatus FileRestoreStatus { get { return _owner.GetFileRestoreStatus(Index); } }

        public override string ToString() { return string.IsNullOrEmpty(LogicalPath) ? Name : LogicalPath + "\\" + Name; }
    }

    /// <summary>The session's components of this writer (IVssWriterComponents); valid only inside the handler.</summary>
    public sealed class WriterComponents : IReadOnlyList<WriterComponent>
    {
        static WriterComponents() { Native.EnsureLoaded(); }

        IntPtr _components;

        internal WriterComponents(IntPtr components) { _components = components; }

        internal void Invalidate() { _components = IntPtr.Zero; }

        IntPtr Pointer
        {
            get {
                IntPtr p = _components;
                if (p == IntPtr.Zero) {
                    throw new ObjectDisposedException("WriterComponents", "writer components are valid only inside their handler");
                }
                return p;
            }
        }

        public int Count
        {
            get {
                uint count;
                VssException.Check(Native.vss_components_count(Pointer, out count));
                return (int)count;
            }
        }

        public WriterComponent this[int index]
        {
            get {
                if (index < 0) {
                    throw new ArgumentOutOfRangeException("index");
                }
                IntPtr path, name;
                VssException.Check(Native.vss_components_get(Pointer, (uint)index, out path, out name));
                return new WriterComponent(this, index, Utf8.TakeAndFree(path), Utf8.TakeAndFree(name));
            }
        }

        /// <summary>IVssComponentEx2::SetFailure on component `index`.</summary>
        public void SetFailure(int index, int hr, int hrApplication = 0, string message = null)
        {
            if (index < 0) {
                throw new ArgumentOutOfRangeException("index");
            }
            VssException.Check(Native.vss_components_set_failure(Pointer, (uint)index, hr, hrApplication, Utf8.Z(message)));
        }

        public string GetText(int index, ComponentText which)
        {
            IntPtr text;
            VssException.Check(Native.vss_components_get_text(Pointer, (uint)index, (int)which, out text));
            return Utf8.TakeAndFree(text);
        }

        public void SetText(int index, ComponentText which, string text)
        {
            VssException.Check(Native.vss_components_set_text(Pointer, (uint)index, (int)which, Utf8.Z(text)));
        }

        public bool SelectedForRestore(int index)
        {
            int selected;
            VssException.Check(Native.vss_components_selected_for_restore(Pointer, (uint)index, out selected));
            return selected != 0;
        }

        public FileRestoreStatus GetFileRestoreStatus(int index)
        {
            int status;
            VssException.Check(Native.vss_components_file_restore_status(Pointer, (uint)index, out status));
            return (FileRestoreStatus)status;
        }

        public IEnumerator<WriterComponent> GetEnumerator()
        {
            int count = Count;
            for (int i = 0; i < count; ++i) {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() { return GetEnumerator(); }
    }

    // ---- requester: what it reads -----------------------------------------------------------

    /// <summary>A writer's identity from its metadata (after GatherWriterMetadata).</summary>
    public sealed class WriterIdentity
    {
        public Guid InstanceId { get; internal set; }
        public Guid ClassId { get; internal set; }
        public string Name { get; internal set; }
        public string InstanceName { get; internal set; }
        public UsageType Usage { get; internal set; }
        public SourceType Source { get; internal set; }
        public int ComponentCount { get; internal set; }
    }

    /// <summary>A component a writer declared (after GatherWriterMetadata).</summary>
    public sealed class ComponentInfo
    {
        public ComponentType Type { get; internal set; }
        public string LogicalPath { get; internal set; }
        public string Name { get; internal set; }
        public string Caption { get; internal set; }
        public bool Selectable { get; internal set; }
        public int FileCount { get; internal set; }
        public int DatabaseCount { get; internal set; }
        public int LogCount { get; internal set; }
    }

    /// <summary>One row of GetWriterStatusEx (after GatherWriterStatus).</summary>
    public sealed class WriterStatus
    {
        static WriterStatus() { Native.EnsureLoaded(); }

        public Guid InstanceId { get; internal set; }
        public Guid ClassId { get; internal set; }
        public string Name { get; internal set; }
        public WriterState State { get; internal set; }
        /// <summary>"FAILED_AT_FREEZE" style.</summary>
        public string StateName { get { return Vss.WriterStateName(State); } }
        /// <summary>hrFailureWriter: the writer's failure (S_OK if none).</summary>
        public int WriterFailure { get; internal set; }
        /// <summary>hrApplication: the application's own code.</summary>
        public int ApplicationError { get; internal set; }
        /// <summary>The writer's message, or null when it gave none.</summary>
        public string Message { get; internal set; }
        public bool Failed { get { return WriterFailure < 0; } }

        public override string ToString()
        {
            return string.Format("{0}: {1} {2} 0x{3:X8} {4}", Name, StateName, Vss.HResultName(WriterFailure), ApplicationError, Message);
        }
    }

    /// <summary>A selected component's failure (IVssComponentEx2::GetFailure).</summary>
    public sealed class ComponentFailure
    {
        public Guid InstanceId { get; internal set; }
        public Guid ClassId { get; internal set; }
        public string LogicalPath { get; internal set; }
        public string Name { get; internal set; }
        /// <summary>S_OK when the component did not fail.</summary>
        public int Failure { get; internal set; }
        public int ApplicationError { get; internal set; }
        public string Message { get; internal set; }
        public bool Failed { get { return Failure != HResults.S_OK; } }
    }

    /// <summary>A shadow copy's properties.</summary>
    public sealed class SnapshotProperties
    {
        public Guid SnapshotId { get; internal set; }
        public Guid SnapshotSetId { get; internal set; }
        public Guid ProviderId { get; internal set; }
        public int SnapshotsInSet { get; internal set; }
        public string OriginalVolume { get; internal set; }
        public string DeviceName { get; internal set; }
        public int Attributes { get; internal set; }
        /// <summary>FILETIME units (100 ns since 1601-01-01 UTC).</summary>
        public long CreationTime { get; internal set; }
        public DateTime CreationTimeUtc { get { return DateTime.FromFileTimeUtc(CreationTime); } }
    }

    // ---- requester ------------------------------------------------------------------------

    /// <summary>One step running in the background (IVssAsync). Dispose it when done.</summary>
    public sealed class AsyncOperation : IDisposable
    {
        static AsyncOperation() { Native.EnsureLoaded(); }

        public const uint Infinite = 0xFFFFFFFF;

        readonly AsyncHandle _handle;

        internal AsyncOperation(AsyncHandle handle, BackupStep step)
        {
            _handle = handle;
            Step = step;
        }

        public BackupStep Step { get; private set; }

        /// <summary>Waits up to `milliseconds`; true once the step is no longer pending.</summary>
        public bool Wait(uint milliseconds = Infinite)
        {
            VssException.Check(Native.vss_async_wait(_handle, milliseconds));
            return Status != HResults.VSS_S_ASYNC_PENDING;
        }

        public bool Wait(TimeSpan timeout) { return Wait(Coordinator.Milliseconds(timeout)); }

        /// <summary>VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED or the step's failure.</summary>
        public int Status
        {
            get {
                int status;
                VssException.Check(Native.vss_async_status(_handle, out status));
                return status;
            }
        }

        public bool IsPending { get { return Status == HResults.VSS_S_ASYNC_PENDING; } }

        /// <summary>S_OK, VSS_S_ASYNC_CANCELLED, VSS_S_ASYNC_FINISHED; throws if the step had failed.</summary>
        public int Cancel() { return VssException.Check(Native.vss_async_cancel(_handle)); }

        /// <summary>Throws a VssException when the step ended with a failure.</summary>
        public void ThrowIfFailed()
        {
            int status = Status;
            if (status < 0) {
                throw new VssException(status, Step + ": " + Vss.HResultName(status) + " (" + Vss.HResultMeaning(status) + ")");
            }
        }

        public void Dispose() { _handle.Dispose(); }
    }

    /// <summary>
    /// A backup application's session (IVssBackupComponents). Dispose it before the writers it
    /// talks to; disposing sends OnBackupShutdown to them.
    /// </summary>
    public sealed class Requester : IDisposable
    {
        readonly RequesterHandle _handle;

        static Requester() { Native.EnsureLoaded(); }

        /// <summary>A requester on `coordinator` (null: the process's default coordinator).</summary>
        public Requester(Coordinator coordinator = null)
        {
            Native.EnsureLoaded();
            _handle = Create(coordinator);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static RequesterHandle Create(Coordinator coordinator)
        {
            RequesterHandle handle;
            int hr = coordinator == null
                ? Native.vss_requester_create(IntPtr.Zero, out handle)
                : Native.vss_requester_create(coordinator.Handle, out handle);
            if (hr < 0) {
                throw VssException.FromLastError(hr);
            }
            return handle;
        }

        public Guid SessionId
        {
            get {
                Guid id;
                VssException.Check(Native.vss_requester_session_id(_handle, out id));
                return id;
            }
        }

        public void InitializeForBackup() { VssException.Check(Native.vss_requester_initialize_for_backup(_handle)); }

        public void SetContext(SnapshotContext context) { SetContext((int)context); }

        public void SetContext(int context) { VssException.Check(Native.vss_requester_set_context(_handle, context)); }

        public void SetBackupState(bool selectComponents, bool bootableSystemState, BackupType backupType,
                                   bool partialFileSupport = false)
        {
            VssException.Check(Native.vss_requester_set_backup_state(_handle, selectComponents ? 1 : 0,
                                                                     bootableSystemState ? 1 : 0, (int)backupType,
                                                                     partialFileSupport ? 1 : 0));
        }

        /// <summary>Runs a step to its end; returns S_OK (or VSS_S_ASYNC_CANCELLED), throws on failure.</summary>
        public int Run(BackupStep step) { return VssException.Check(Native.vss_requester_run(_handle, (int)step)); }

        /// <summary>Starts a step; wait for it, poll it or cancel it through the returned operation.</summary>
        public AsyncOperation Start(BackupStep step)
        {
            AsyncHandle async;
            int hr = Native.vss_requester_start(_handle, (int)step, out async);
            if (hr < 0) {
                throw VssException.FromLastError(hr);
            }
            return new AsyncOperation(async, step);
        }

        /// <summary>Run() on a thread-pool thread, for await.</summary>
        public Task<int> RunAsync(BackupStep step) { return Task.Run(() => Run(step)); }

        public void GatherWriterMetadata() { Run(BackupStep.GatherWriterMetadata); }
        public void PrepareForBackup() { Run(BackupStep.PrepareForBackup); }
        public void DoSnapshotSet() { Run(BackupStep.DoSnapshotSet); }
        public void BackupComplete() { Run(BackupStep.BackupComplete); }
        public void GatherWriterStatus() { Run(BackupStep.GatherWriterStatus); }

        // -- the Backup Components Document and the restore (C-8)

        /// <summary>SaveAsXML: the document as XML, from PrepareForBackup's end on.</summary>
        public string SaveDocument()
        {
            IntPtr xml;
            VssException.Check(Native.vss_requester_save_document(_handle, out xml));
            return Utf8.TakeAndFree(xml);
        }

        /// <summary>InitializeForRestore with a document SaveDocument gave, in any process.</summary>
        public void InitializeForRestore(string xml)
        {
            VssException.Check(Native.vss_requester_initialize_for_restore(_handle, Utf8.Z(xml)));
        }

        /// <summary>InitializeForBackup with a saved document.</summary>
        public void ResumeBackup(string xml) { VssException.Check(Native.vss_requester_resume_backup(_handle, Utf8.Z(xml))); }

        public void SetRestoreState(RestoreType type) { VssException.Check(Native.vss_requester_set_restore_state(_handle, (int)type)); }

        public void SelectForRestore(Guid classId, ComponentType type, string logicalPath, string name, bool selected = true)
        {
            VssException.Check(Native.vss_requester_select_for_restore(_handle, ref classId, (int)type, Utf8.Z(logicalPath),
                                                                       Utf8.Z(name), selected ? 1 : 0));
        }

        public void SetRestoreOptions(Guid classId, ComponentType type, string logicalPath, string name, string options)
        {
            VssException.Check(Native.vss_requester_set_restore_options(_handle, ref classId, (int)type, Utf8.Z(logicalPath),
                                                                        Utf8.Z(name), Utf8.Z(options)));
        }

        /// <summary>Between PreRestore and PostRestore.</summary>
        public void SetFileRestoreStatus(Guid classId, ComponentType type, string logicalPath, string name, FileRestoreStatus status)
        {
            VssException.Check(Native.vss_requester_set_file_restore_status(_handle, ref classId, (int)type, Utf8.Z(logicalPath),
                                                                            Utf8.Z(name), (int)status));
        }

        public void PreRestore() { Run(BackupStep.PreRestore); }
        public void PostRestore() { Run(BackupStep.PostRestore); }

        // -- writer metadata

        public int WriterCount
        {
            get {
                uint count;
                VssException.Check(Native.vss_requester_writer_count(_handle, out count));
                return (int)count;
            }
        }

        public WriterIdentity GetWriterIdentity(int index)
        {
            var raw = new Native.WriterIdentity { size = (uint)Marshal.SizeOf(typeof(Native.WriterIdentity)) };
            VssException.Check(Native.vss_requester_writer_identity(_handle, Index(index), ref raw));
            try {
                return new WriterIdentity {
                    InstanceId = raw.instance_id,
                    ClassId = raw.class_id,
                    Name = Utf8.Read(raw.name),
                    InstanceName = Utf8.Read(raw.instance_name),
                    Usage = (UsageType)raw.usage,
                    Source = (SourceType)raw.source,
                    ComponentCount = (int)raw.component_count,
                };
            } finally {
                Native.vss_writer_identity_clear(ref raw);
            }
        }

        public List<WriterIdentity> GetWriterIdentities()
        {
            var list = new List<WriterIdentity>();
            for (int i = 0, n = WriterCount; i < n; ++i) {
                list.Add(GetWriterIdentity(i));
            }
            return list;
        }

        public ComponentInfo GetWriterComponent(int writerIndex, int componentIndex)
        {
            var raw = new Native.ComponentInfo { size = (uint)Marshal.SizeOf(typeof(Native.ComponentInfo)) };
            VssException.Check(Native.vss_requester_writer_component(_handle, Index(writerIndex), Index(componentIndex), ref raw));
            try {
                return new ComponentInfo {
                    Type = (ComponentType)raw.type,
                    LogicalPath = Utf8.Read(raw.logical_path),
                    Name = Utf8.Read(raw.name),
                    Caption = Utf8.Read(raw.caption),
                    Selectable = raw.selectable != 0,
                    FileCount = (int)raw.file_count,
                    DatabaseCount = (int)raw.database_count,
                    LogCount = (int)raw.log_count,
                };
            } finally {
                Native.vss_component_info_clear(ref raw);
            }
        }

        public List<ComponentInfo> GetWriterComponents(int writerIndex)
        {
            var list = new List<ComponentInfo>();
            for (int c = 0, n = GetWriterIdentity(writerIndex).ComponentCount; c < n; ++c) {
                list.Add(GetWriterComponent(writerIndex, c));
            }
            return list;
        }

        // -- selection and the snapshot set

        public void AddComponent(Guid instanceId, Guid classId, ComponentType type, string logicalPath, string name)
        {
            VssException.Check(Native.vss_requester_add_component(_handle, ref instanceId, ref classId, (int)type,
                                                                  Utf8.Z(logicalPath), Utf8.Z(name)));
        }

        /// <summary>Selects every component every gathered writer declared.</summary>
        public void AddAllComponents() { VssException.Check(Native.vss_requester_add_all_components(_handle)); }

        /// <summary>Returns the snapshot set id.</summary>
        public Guid StartSnapshotSet()
        {
            Guid id;
            VssException.Check(Native.vss_requester_start_snapshot_set(_handle, out id));
            return id;
        }

        /// <summary>Returns the snapshot id.</summary>
        public Guid AddToSnapshotSet(string volume)
        {
            Guid id;
            VssException.Check(Native.vss_requester_add_to_snapshot_set(_handle, Utf8.Z(volume), out id));
            return id;
        }

        public void Abort() { VssException.Check(Native.vss_requester_abort(_handle)); }

        // -- writer status

        public int StatusCount
        {
            get {
                uint count;
                VssException.Check(Native.vss_requester_status_count(_handle, out count));
                return (int)count;
            }
        }

        public WriterStatus GetWriterStatus(int index)
        {
            var raw = new Native.WriterStatus { size = (uint)Marshal.SizeOf(typeof(Native.WriterStatus)) };
            VssException.Check(Native.vss_requester_status(_handle, Index(index), ref raw));
            try {
                return new WriterStatus {
                    InstanceId = raw.instance_id,
                    ClassId = raw.class_id,
                    Name = Utf8.Read(raw.name),
                    State = (WriterState)raw.state,
                    WriterFailure = raw.hr_failure_writer,
                    ApplicationError = raw.hr_application,
                    Message = Utf8.Read(raw.message),
                };
            } finally {
                Native.vss_writer_status_clear(ref raw);
            }
        }

        public List<WriterStatus> GetWriterStatuses()
        {
            var list = new List<WriterStatus>();
            for (int i = 0, n = StatusCount; i < n; ++i) {
                list.Add(GetWriterStatus(i));
            }
            return list;
        }

        // -- component failures

        /// <summary>Every selected component of every writer, in order.</summary>
        public int ComponentCount
        {
            get {
                uint count;
                VssException.Check(Native.vss_requester_component_count(_handle, out count));
                return (int)count;
            }
        }

        public ComponentFailure GetComponentFailure(int index)
        {
            var raw = new Native.ComponentFailure { size = (uint)Marshal.SizeOf(typeof(Native.ComponentFailure)) };
            VssException.Check(Native.vss_requester_component_failure(_handle, Index(index), ref raw));
            try {
                return new ComponentFailure {
                    InstanceId = raw.instance_id,
                    ClassId = raw.class_id,
                    LogicalPath = Utf8.Read(raw.logical_path),
                    Name = Utf8.Read(raw.name),
                    Failure = raw.hr,
                    ApplicationError = raw.hr_application,
                    Message = Utf8.Read(raw.message),
                };
            } finally {
                Native.vss_component_failure_clear(ref raw);
            }
        }

        public List<ComponentFailure> GetComponentFailures()
        {
            var list = new List<ComponentFailure>();
            for (int i = 0, n = ComponentCount; i < n; ++i) {
                list.Add(GetComponentFailure(i));
            }
            return list;
        }

        // -- snapshots

        public SnapshotProperties GetSnapshotProperties(Guid snapshotId)
        {
            var raw = new Native.SnapshotProps { size = (uint)Marshal.SizeOf(typeof(Native.SnapshotProps)) };
            VssException.Check(Native.vss_requester_snapshot_props(_handle, ref snapshotId, ref raw));
            try {
                return new SnapshotProperties {
                    SnapshotId = raw.snapshot_id,
                    SnapshotSetId = raw.snapshot_set_id,
                    ProviderId = raw.provider_id,
                    SnapshotsInSet = raw.snapshots_in_set,
                    OriginalVolume = Utf8.Read(raw.original_volume),
                    DeviceName = Utf8.Read(raw.device_name),
                    Attributes = raw.attributes,
                    CreationTime = raw.creation_time,
                };
            } finally {
                Native.vss_snapshot_props_clear(ref raw);
            }
        }

        public bool IsDisposed { get { return _handle.IsClosed; } }

        /// <summary>Ends the session; the writers receive OnBackupShutdown.</summary>
        public void Dispose() { _handle.Dispose(); }

        static uint Index(int index)
        {
            if (index < 0) {
                throw new ArgumentOutOfRangeException("index");
            }
            return (uint)index;
        }
    }

    // ---- handles ------------------------------------------------------------------------------

    // Released by Dispose(), or by the finalizer if forgotten. Not while the process exits: Mono
    // runs the finalizers of live objects during its shutdown, when a pool thread that has not
    // run managed code yet can no longer enter it; a requester's release (OnBackupShutdown) or a
    // writer's (waiting for a running handler) would then wait for it forever. The process is
    // ending: the library's memory goes with it.
    internal abstract class VssHandle : SafeHandle
    {
        protected VssHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            if (!Environment.HasShutdownStarted) {
                Release(handle);
            }
            return true;
        }

        protected abstract void Release(IntPtr handle);
    }

    internal sealed class CoordinatorHandle : VssHandle
    {
        protected override void Release(IntPtr handle) { Native.vss_coordinator_release(handle); }
    }

    internal sealed class WriterHandle : VssHandle
    {
        internal GCHandle Self; // the weak handle passed as `user`

        protected override void Release(IntPtr handle)
        {
            Native.vss_writer_release(handle); // waits for a running handler; none runs after it
            if (Self.IsAllocated) {
                Self.Free();
            }
        }
    }

    internal sealed class RequesterHandle : VssHandle
    {
        protected override void Release(IntPtr handle) { Native.vss_requester_release(handle); }
    }

    internal sealed class ScenarioHandle : VssHandle
    {
        protected override void Release(IntPtr handle) { Native.vss_scenario_release(handle); }
    }

    internal sealed class AsyncHandle : VssHandle
    {
        protected override void Release(IntPtr handle) { Native.vss_async_release(handle); }
    }

    // ---- Mono and the library's pool threads ----------------------------------------------

    // A pool thread that runs a handler is attached to Mono, and at exit Mono waits for every
    // attached thread to end (background ones after an abort that cannot reach a thread parked
    // in C++). The pool of the default coordinator lives as long as the process, so the process
    // would hang after Main returns. Mono skips threads flagged MONO_THREAD_FLAG_DONT_MANAGE
    // (as its own thread-pool threads are); the flag lives in Thread.internal_thread.flags.
    internal static class MonoThreads
    {
        const long DontManage = 1; // MONO_THREAD_FLAG_DONT_MANAGE
        static readonly FieldInfo s_internalThread =
            typeof(Thread).GetField("internal_thread", BindingFlags.Instance | BindingFlags.NonPublic);
        static readonly FieldInfo s_flags = s_internalThread == null ? null
            : s_internalThread.FieldType.GetField("flags", BindingFlags.Instance | BindingFlags.NonPublic);

        internal static void DoNotWaitAtExit()
        {
            Thread.CurrentThread.IsBackground = true;
            if (s_flags == null || s_flags.FieldType != typeof(IntPtr)) {
                return; // not Mono, or another Mono: nothing to do, or nothing we know how to do
            }
            object thread = s_internalThread.GetValue(Thread.CurrentThread);
            long flags = ((IntPtr)s_flags.GetValue(thread)).ToInt64();
            s_flags.SetValue(thread, new IntPtr(flags | DontManage));
        }
    }

    // ---- UTF-8 ----------------------------------------------------------------------------

    internal static class Utf8
    {
        static readonly Encoding s_utf8 = new UTF8Encoding(false, false); // lone surrogates become U+FFFD

        /// <summary>NUL-terminated UTF-8 bytes, or null for null (passed to C as NULL).</summary>
        public static byte[] Z(string text)
        {
            if (text == null) {
                return null;
            }
            var bytes = new byte[s_utf8.GetByteCount(text) + 1];
            s_utf8.GetBytes(text, 0, text.Length, bytes, 0);
            return bytes;
        }

        /// <summary>A copy in unmanaged memory (Marshal.FreeHGlobal), or IntPtr.Zero for null.</summary>
        public static IntPtr Alloc(string text)
        {
            byte[] bytes = Z(text);
            if (bytes == null) {
                return IntPtr.Zero;
            }
            IntPtr p = Marshal.AllocHGlobal(bytes.Length);
            Marshal.Copy(bytes, 0, p, bytes.Length);
            return p;
        }

        /// <summary>A NUL-terminated UTF-8 string the library owns, or null for NULL.</summary>
        public static string Read(IntPtr text)
        {
            if (text == IntPtr.Zero) {
                return null;
            }
            int length = 0;
            while (Marshal.ReadByte(text, length) != 0) {
                ++length;
            }
            var bytes = new byte[length];
            Marshal.Copy(text, bytes, 0, length);
            return s_utf8.GetString(bytes);
        }

        /// <summary>Reads a string the library allocated for us, then frees it with vss_free.</summary>
        public static string TakeAndFree(IntPtr text)
        {
            try {
                return Read(text);
            } finally {
                Native.vss_free(text);
            }
        }
    }

    // ---- P/Invoke -------------------------------------------------------------------------

    internal static class Native
    {
        // The soname: the runtime package's name. When VSSAPI_LIBRARY is set, the static
        // constructor dlopen()s that file first, and glibc then resolves this name to it.
        internal const string Library = "libvssapi.so.1";

        // Mono's JIT binds a P/Invoke when it compiles the method that calls it, before that
        // method's class constructor runs. So the library must be loaded before the first such
        // method is compiled:
        //   - the constructors and static methods of the public types (the only members that
        //     can run first) call EnsureLoaded(), then a [NoInlining] method that calls C;
        //   - every public type whose members call C has a static constructor that calls
        //     EnsureLoaded(): Mono does not inline methods of a class whose (precise) static
        //     constructor has not run, so none of them is inlined into user code compiled earlier.
        static readonly object s_lock = new object();
        static bool s_loaded;

        internal static void EnsureLoaded()
        {
            lock (s_lock) {
                if (s_loaded) {
                    return;
                }
                string path = Environment.GetEnvironmentVariable("VSSAPI_LIBRARY");
                if (!string.IsNullOrEmpty(path)) {
                    Loader.Load(path);
                }
                s_loaded = true;
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct CoordinatorOptions
        {
            public uint size;
            public uint workers;
            public uint event_timeout_ms;
            public uint commit_window_ms;
            public uint session_limit;
            public int virtual_clock;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct WriterInfo
        {
            public uint size;
            public IntPtr class_id;
            public IntPtr name;
            public IntPtr instance_name;
            public int usage;
            public int source;
            public int level;
            public uint freeze_timeout_ms;
            public uint version_major;
            public uint version_minor;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct WriterCallbacks
        {
            public uint size;
            public IntPtr on_identify;
            public IntPtr on_prepare_backup;
            public IntPtr on_prepare_snapshot;
            public IntPtr on_freeze;
            public IntPtr on_thaw;
            public IntPtr on_abort;
            public IntPtr on_post_snapshot;
            public IntPtr on_backup_complete;
            public IntPtr on_backup_shutdown;
            public IntPtr on_pre_restore;
            public IntPtr on_post_restore;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct WriterIdentity
        {
            public uint size;
            public Guid instance_id;
            public Guid class_id;
            public IntPtr name;
            public IntPtr instance_name;
            public int usage;
            public int source;
            public uint component_count;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct ComponentInfo
        {
            public uint size;
            public int type;
            public IntPtr logical_path;
            public IntPtr name;
            public IntPtr caption;
            public int selectable;
            public uint file_count;
            public uint database_count;
            public uint log_count;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct WriterStatus
        {
            public uint size;
            public Guid instance_id;
            public Guid class_id;
            public IntPtr name;
            public int state;
            public int hr_failure_writer;
            public int hr_application;
            public IntPtr message;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct ComponentFailure
        {
            public uint size;
            public Guid instance_id;
            public Guid class_id;
            public IntPtr logical_path;
            public IntPtr name;
            public int hr;
            public int hr_application;
            public IntPtr message;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct SnapshotProps
        {
            public uint size;
            public Guid snapshot_id;
            public Guid snapshot_set_id;
            public Guid provider_id;
            public int snapshots_in_set;
            public IntPtr original_volume;
            public IntPtr device_name;
            public int attributes;
            public long creation_time;
        }

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int HandlerFn(IntPtr user, IntPtr writer);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int ComponentsFn(IntPtr user, IntPtr writer, IntPtr components);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int IdentifyFn(IntPtr user, IntPtr writer, IntPtr metadata);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int ShutdownFn(IntPtr user, IntPtr writer, IntPtr snapshotSetId);

        const CallingConvention Cdecl = CallingConvention.Cdecl;

        // library
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr vss_version();
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_abi_version();
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr vss_last_error_message();
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void vss_free(IntPtr memory);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr vss_hresult_name(int hr);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr vss_hresult_meaning(int hr);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr vss_writer_state_name(int state);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_is_retryable(int hr);

        // coordinator
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_coordinator_default(out CoordinatorHandle coordinator);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_coordinator_create(ref CoordinatorOptions options, out CoordinatorHandle coordinator);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_coordinator_create(IntPtr options, out CoordinatorHandle coordinator);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_coordinator_advance_clock(CoordinatorHandle coordinator, ulong milliseconds);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void vss_coordinator_release(IntPtr coordinator);

        // writer
        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_writer_create(CoordinatorHandle coordinator, ref WriterInfo info, ref WriterCallbacks callbacks, IntPtr user, out WriterHandle writer);
        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_writer_create(IntPtr coordinator, ref WriterInfo info, ref WriterCallbacks callbacks, IntPtr user, out WriterHandle writer);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_writer_subscribe(WriterHandle writer);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_writer_unsubscribe(WriterHandle writer);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void vss_writer_release(IntPtr writer);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_writer_instance_id(WriterHandle writer, out Guid id);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_writer_set_failure_ex(WriterHandle writer, int hrWriter, int hrApplication, byte[] message);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_writer_set_failure(WriterHandle writer, int hrWriter);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_writer_session_id(WriterHandle writer, out Guid id);

        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_metadata_add_component(IntPtr metadata, int type, byte[] logicalPath, byte[] name, byte[] caption, int selectable);
        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_metadata_add_files(IntPtr metadata, int kind, byte[] logicalPath, byte[] componentName, byte[] path, byte[] filespec, int recursive);
        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_metadata_add_include_files(IntPtr metadata, byte[] path, byte[] filespec, int recursive);
        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_metadata_add_exclude_files(IntPtr metadata, byte[] path, byte[] filespec, int recursive);

        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_components_count(IntPtr components, out uint count);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_components_get(IntPtr components, uint index, out IntPtr logicalPath, out IntPtr name);
        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_components_set_failure(IntPtr components, uint index, int hr, int hrApplication, byte[] message);

        // requester
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_create(CoordinatorHandle coordinator, out RequesterHandle requester);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_create(IntPtr coordinator, out RequesterHandle requester);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void vss_requester_release(IntPtr requester);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_session_id(RequesterHandle requester, out Guid id);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_initialize_for_backup(RequesterHandle requester);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_set_context(RequesterHandle requester, int context);
        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_requester_set_backup_state(RequesterHandle requester, int selectComponents, int bootableSystemState, int backupType, int partialFileSupport);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_run(RequesterHandle requester, int step);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_save_document(RequesterHandle requester, out IntPtr xml);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_initialize_for_restore(RequesterHandle requester, byte[] xml);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_resume_backup(RequesterHandle requester, byte[] xml);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_set_restore_state(RequesterHandle requester, int restoreType);
        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_requester_select_for_restore(RequesterHandle requester, ref Guid writerClass, int type, byte[] logicalPath, byte[] name, int selected);
        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_requester_set_restore_options(RequesterHandle requester, ref Guid writerClass, int type, byte[] logicalPath, byte[] name, byte[] options);
        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_requester_set_file_restore_status(RequesterHandle requester, ref Guid writerClass, int type, byte[] logicalPath, byte[] name, int status);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_components_get_text(IntPtr components, uint index, int which, out IntPtr text);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_components_set_text(IntPtr components, uint index, int which, byte[] text);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_components_selected_for_restore(IntPtr components, uint index, out int selected);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_components_file_restore_status(IntPtr components, uint index, out int status);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_start(RequesterHandle requester, int step, out AsyncHandle async);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_async_wait(AsyncHandle async, uint milliseconds);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_async_status(AsyncHandle async, out int status);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_async_cancel(AsyncHandle async);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void vss_async_release(IntPtr async);

        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_writer_count(RequesterHandle requester, out uint count);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_writer_identity(RequesterHandle requester, uint index, ref WriterIdentity identity);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void vss_writer_identity_clear(ref WriterIdentity identity);
        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_requester_writer_component(RequesterHandle requester, uint writerIndex, uint componentIndex, ref ComponentInfo info);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void vss_component_info_clear(ref ComponentInfo info);

        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_requester_add_component(RequesterHandle requester, ref Guid instanceId, ref Guid classId, int type, byte[] logicalPath, byte[] name);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_add_all_components(RequesterHandle requester);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_start_snapshot_set(RequesterHandle requester, out Guid snapshotSetId);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_add_to_snapshot_set(RequesterHandle requester, byte[] volume, out Guid snapshotId);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_abort(RequesterHandle requester);

        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_status_count(RequesterHandle requester, out uint count);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_status(RequesterHandle requester, uint index, ref WriterStatus status);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void vss_writer_status_clear(ref WriterStatus status);

        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_component_count(RequesterHandle requester, out uint count);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_requester_component_failure(RequesterHandle requester, uint index, ref ComponentFailure failure);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void vss_component_failure_clear(ref ComponentFailure failure);

        [DllImport(Library, CallingConvention = Cdecl)]
        internal static extern int vss_requester_snapshot_props(RequesterHandle requester, ref Guid snapshotId, ref SnapshotProps props);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void vss_snapshot_props_clear(ref SnapshotProps props);

        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_scenario_load(CoordinatorHandle coordinator, byte[] path, out ScenarioHandle scenario);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_scenario_load(IntPtr coordinator, byte[] path, out ScenarioHandle scenario);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_scenario_load_text(CoordinatorHandle coordinator, byte[] json, out ScenarioHandle scenario);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int vss_scenario_load_text(IntPtr coordinator, byte[] json, out ScenarioHandle scenario);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void vss_scenario_release(IntPtr scenario);
    }

    // dlopen(VSSAPI_LIBRARY) before the first P/Invoke, so that the soname resolves to that file.
    internal static class Loader
    {
        const int RTLD_NOW = 2;
        const int RTLD_GLOBAL = 0x100;

        [DllImport("libdl.so.2", EntryPoint = "dlopen")] static extern IntPtr dlopen_dl(byte[] path, int mode);
        [DllImport("libdl.so.2", EntryPoint = "dlerror")] static extern IntPtr dlerror_dl();
        [DllImport("libc.so.6", EntryPoint = "dlopen")] static extern IntPtr dlopen_c(byte[] path, int mode);
        [DllImport("libc.so.6", EntryPoint = "dlerror")] static extern IntPtr dlerror_c();

        internal static void Load(string path)
        {
            IntPtr handle;
            string error;
            try {
                handle = dlopen_dl(Utf8.Z(path), RTLD_NOW | RTLD_GLOBAL);
                error = handle == IntPtr.Zero ? Utf8.Read(dlerror_dl()) : null;
            } catch (DllNotFoundException) {
                handle = dlopen_c(Utf8.Z(path), RTLD_NOW | RTLD_GLOBAL); // glibc 2.34+: dlopen lives in libc
                error = handle == IntPtr.Zero ? Utf8.Read(dlerror_c()) : null;
            }
            if (handle == IntPtr.Zero) {
                throw new DllNotFoundException("VSSAPI_LIBRARY=" + path + ": " + error);
            }
        }
    }
}
