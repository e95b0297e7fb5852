// OpenVss: C# bindings (Mono and .NET) over openvss's flat C API (abi/vssapi/vssapi.h), built
// into the assembly OpenVss.VssApi.dll.
//
// P/Invoke only, no unsafe code, C# 6: builds with Debian's `mcs`, Mono's xbuild or dotnet
// (netstandard2.0) and runs on Mono 6.8 and .NET Core 3.0 or later.
//   - every failing call throws VssException (HResult, Name, Meaning and the library's message);
//   - handles are SafeHandles: Dispose() releases them at once, the finalizer if you forget;
//   - strings cross as UTF-8 (converted here with Encoding.UTF8, never by the marshaller);
//   - a writer is a subclass of Writer that overrides OnFreeze() and friends, a snapshot provider
//     a subclass of SnapshotProvider; their callbacks run on the library's pool threads, and
//     every exception is caught there and reported to the library as a failure;
//   - every import and callback is CallingConvention.Winapi: VSS_CALL, __stdcall on 32-bit
//     Windows and the C convention elsewhere.
//
// The imports name "vssapi": vssapi.dll on Windows, the soname libvssapi.so.1 elsewhere (Mono:
// OpenVss.VssApi.dll.config; .NET Core: a DllImportResolver); when VSSAPI_LIBRARY names a file,
// that file is used. See Loader below.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

// The project's version (meson.build); OpenVss.VssApi.csproj's <Version> says the same (a test checks).
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyInformationalVersion("0.1.0")]
[assembly: AssemblyTitle("OpenVss.VssApi")]
[assembly: AssemblyDescription("C# binding over openvss's flat C API (libvssapi)")]

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
        public const int VSS_E_PROVIDER_ALREADY_REGISTERED = unchecked((int)0x80042303);
        public const int VSS_E_PROVIDER_NOT_REGISTERED = unchecked((int)0x80042304);
        public const int VSS_E_PROVIDER_VETO = unchecked((int)0x80042306);
        public const int VSS_E_PROVIDER_IN_USE = unchecked((int)0x80042307);
        public const int VSS_E_OBJECT_NOT_FOUND = unchecked((int)0x80042308);
        public const int VSS_E_VOLUME_NOT_SUPPORTED = unchecked((int)0x8004230C);
        public const int VSS_E_OBJECT_ALREADY_EXISTS = unchecked((int)0x8004230D);
        public const int VSS_E_UNEXPECTED_PROVIDER_ERROR = unchecked((int)0x8004230F);
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

        // -- snapshot providers (flat API 1.1)

        /// <summary>How many providers the coordinator has; index 0 is its default.</summary>
        public int ProviderCount
        {
            get {
                uint count;
                VssException.Check(Native.vss_coordinator_provider_count(Handle, out count));
                return (int)count;
            }
        }

        /// <summary>Provider `index` (0: the default); VSS_E_OBJECT_NOT_FOUND past the last.</summary>
        public ProviderInfo GetProvider(int index)
        {
            if (index < 0) {
                throw new ArgumentOutOfRangeException("index");
            }
            var raw = new Native.ProviderInfo { size = (uint)Marshal.SizeOf(typeof(Native.ProviderInfo)) };
            VssException.Check(Native.vss_coordinator_provider(Handle, (uint)index, ref raw));
            try {
                return new ProviderInfo(raw.id, Utf8.Read(raw.name), (ProviderType)raw.type, Utf8.Read(raw.version));
            } finally {
                Native.vss_provider_info_clear(ref raw);
            }
        }

        /// <summary>Every provider, the default first.</summary>
        public List<ProviderInfo> GetProviders()
        {
            var list = new List<ProviderInfo>();
            for (int i = 0, n = ProviderCount; i < n; ++i) {
                list.Add(GetProvider(i));
            }
            return list;
        }

        /// <summary>
        /// Plugs `provider` in under its Id (vss_coordinator_register_provider): a requester
        /// chooses it with Requester.AddToSnapshotSet(volume, provider.Id). The binding keeps
        /// the provider and its callbacks alive until UnregisterProvider, or until this
        /// Coordinator object is disposed (which unregisters the providers registered through
        /// it). VSS_E_PROVIDER_ALREADY_REGISTERED for an id in use; E_INVALIDARG for an empty
        /// id or a null name.
        /// </summary>
        public void RegisterProvider(SnapshotProvider provider)
        {
            if (provider == null) {
                throw new ArgumentNullException("provider");
            }
            lock (_registered) {
                SnapshotProvider.Register(this, provider);
                _registered.Add(provider.Id);
            }
        }

        /// <summary>
        /// vss_coordinator_unregister_provider: waits for the provider's running steps; none
        /// runs after it returns. VSS_E_PROVIDER_NOT_REGISTERED for an id no provider has,
        /// VSS_E_PROVIDER_IN_USE for the default provider; InvalidOperationException from inside
        /// one of that provider's own steps (it would wait for itself).
        /// </summary>
        public void UnregisterProvider(Guid id)
        {
            try {
                SnapshotProvider.Unregister(this, id);
            } catch (VssException e) when (e.HResult == HResults.VSS_E_PROVIDER_NOT_REGISTERED) {
                Forget(id);
                throw;
            }
            Forget(id); // not before: a provider that stays registered is still Dispose()'s to unregister
        }

        void Forget(Guid id)
        {
            lock (_registered) {
                _registered.Remove(id);
            }
        }

        public void UnregisterProvider(SnapshotProvider provider)
        {
            if (provider == null) {
                throw new ArgumentNullException("provider");
            }
            UnregisterProvider(provider.Id);
        }

        readonly HashSet<Guid> _registered = new HashSet<Guid>();

        /// <summary>
        /// Unregisters the providers registered through this object, then drops this reference;
        /// writers and requesters created on it keep the service alive.
        /// </summary>
        public void Dispose()
        {
            if (Handle.IsClosed) {
                return;
            }
            List<Guid> ids;
            lock (_registered) {
                ids = new List<Guid>(_registered);
                _registered.Clear();
            }
            foreach (Guid id in ids) {
                SnapshotProvider.UnregisterQuietly(this, id);
            }
            Handle.Dispose();
        }

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
                MonoThreads.EnteredFromNative();
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

        // A requester the retry helper made and releases itself.
        internal Requester(RequesterHandle borrowed) { _handle = borrowed; }

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

        /// <summary>
        /// Adds `volume` to the set, snapshotted by the provider `providerId` (ProviderIds.*, a
        /// SnapshotProvider's Id, ProviderInfo.Id; Guid.Empty: the coordinator's default).
        /// Returns the snapshot id. VSS_E_PROVIDER_NOT_REGISTERED for an id no provider has,
        /// VSS_E_OBJECT_NOT_FOUND for a volume that does not exist, VSS_E_VOLUME_NOT_SUPPORTED
        /// for one the provider cannot snapshot.
        /// </summary>
        public Guid AddToSnapshotSet(string volume, Guid providerId)
        {
            Guid id;
            VssException.Check(Native.vss_requester_add_to_snapshot_set_with(_handle, Utf8.Z(volume), ref providerId, out id));
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

    // ---- snapshot providers (flat API 1.1) ------------------------------------------------

    /// <summary>VSS_PROVIDER_TYPE.</summary>
    public enum ProviderType { Unknown = 0, System = 1, Software = 2, Hardware = 3, FileShare = 4 }

    /// <summary>The ids of the built-in providers (VSS_PROVIDER_*_ID).</summary>
    public static class ProviderIds
    {
        /// <summary>Every coordinator's default: device names that open nothing.</summary>
        public static readonly Guid Simulated = new Guid(0xb5946137, 0x7b9f, 0x4925, 0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5);
        /// <summary>The volume itself, not a copy (a folder that exists).</summary>
        public static readonly Guid Live = new Guid(0x6f70656e, 0x7673, 0x4c69, 0x76, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01);
        /// <summary>A copy of the folder.</summary>
        public static readonly Guid Copy = new Guid(0x6f70656e, 0x7673, 0x436f, 0x70, 0x79, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01);
        /// <summary>Linux: a btrfs snapshot of a subvolume.</summary>
        public static readonly Guid Btrfs = new Guid(0x6f70656e, 0x7673, 0x4274, 0x72, 0x66, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01);
        /// <summary>Linux: reflinked copies of the files.</summary>
        public static readonly Guid Reflink = new Guid(0x6f70656e, 0x7673, 0x5266, 0x6c, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01);
        /// <summary>Linux: fsfreeze around the commit.</summary>
        public static readonly Guid Fsfreeze = new Guid(0x6f70656e, 0x7673, 0x4672, 0x7a, 0x66, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01);
    }

    /// <summary>One provider of a coordinator (vss_provider_info).</summary>
    public sealed class ProviderInfo
    {
        internal ProviderInfo(Guid id, string name, ProviderType type, string version)
        {
            Id = id;
            Name = name;
            Type = type;
            Version = version;
        }

        public Guid Id { get; private set; }
        public string Name { get; private set; }
        public ProviderType Type { get; private set; }
        public string Version { get; private set; }

        public override string ToString() { return string.Format("{0} {1} ({2}, {3})", Id, Name, Version, Type); }
    }

    /// <summary>
    /// A snapshot provider written in C# (vss_provider_callbacks). Subclass it, override the
    /// steps you need, and register it with Coordinator.RegisterProvider; a requester chooses it
    /// with Requester.AddToSnapshotSet(volume, Id).
    ///
    /// The steps are those of the SDK's IVssProviderCreateSnapshotSet, called for one snapshot
    /// set on a thread of the library, in this order, while the requester's DoSnapshotSet is
    /// pending: PrepareForSnapshot once per volume, EndPrepareSnapshots, PreCommitSnapshots,
    /// CommitSnapshots, PostCommitSnapshots, PreFinalCommitSnapshots, PostFinalCommitSnapshots,
    /// then GetSnapshotDevice once per snapshot. A step returns true (done) or false (a veto:
    /// VSS_E_PROVIDER_VETO). Throwing a VssException fails it with that HRESULT; any other
    /// exception is caught here (nothing unwinds into C), kept in LastStepException, and fails
    /// it with VSS_E_UNEXPECTED_PROVIDER_ERROR. A failed step ends the set: AbortSnapshots is
    /// called and no snapshot is made. Steps you do not override are not given to the library,
    /// which skips them (without IsVolumeSupported a volume must be a folder that exists).
    /// </summary>
    public abstract class SnapshotProvider
    {
        static SnapshotProvider() { Native.EnsureLoaded(); }

        volatile Exception _lastStepException;

        /// <param name="id">The provider's id: not Guid.Empty, not a registered provider's.</param>
        /// <param name="name">Its name (required).</param>
        /// <param name="version">Its version; null: "1.0".</param>
        protected SnapshotProvider(Guid id, string name, string version = null)
        {
            Id = id;
            Name = name;
            Version = version;
        }

        public Guid Id { get; private set; }
        public string Name { get; private set; }
        public string Version { get; private set; }

        /// <summary>The last exception (other than a VssException) a step threw.</summary>
        public Exception LastStepException { get { return _lastStepException; } }

        // ---- the steps: override what you need ---------------------------------------------

        /// <summary>
        /// Whether `volume` can be snapshotted: false is VSS_E_VOLUME_NOT_SUPPORTED; throw
        /// new VssException(HResults.VSS_E_OBJECT_NOT_FOUND) for a volume that does not exist.
        /// </summary>
        protected virtual bool IsVolumeSupported(string volume) { return true; }
        protected virtual bool PrepareForSnapshot(Guid snapshotSetId, Guid snapshotId, string volume) { return true; }
        protected virtual bool EndPrepareSnapshots(Guid snapshotSetId) { return true; }
        protected virtual bool PreCommitSnapshots(Guid snapshotSetId) { return true; }
        /// <summary>Makes the snapshots; the one step every provider has.</summary>
        protected abstract bool CommitSnapshots(Guid snapshotSetId);
        /// <summary>snapshotCount: how many snapshots the set holds.</summary>
        protected virtual bool PostCommitSnapshots(Guid snapshotSetId, int snapshotCount) { return true; }
        protected virtual bool PreFinalCommitSnapshots(Guid snapshotSetId) { return true; }
        protected virtual bool PostFinalCommitSnapshots(Guid snapshotSetId) { return true; }
        /// <summary>After a failed step; the library does not look at the outcome.</summary>
        protected virtual void AbortSnapshots(Guid snapshotSetId) { }
        /// <summary>
        /// The snapshot's device path (SnapshotProperties.DeviceName), at most 4,095 bytes of
        /// UTF-8; null or longer fails the set (VSS_E_UNEXPECTED_PROVIDER_ERROR). Not
        /// overridden: the device name is empty.
        /// </summary>
        protected virtual string GetSnapshotDevice(Guid snapshotId) { return null; }
        /// <summary>
        /// A snapshot is deleted, released with its requester, or was made by a commit that
        /// finished too late; the library does not look at the outcome.
        /// </summary>
        protected virtual void DeleteSnapshot(Guid snapshotId) { }

        // ---- registrations -----------------------------------------------------------------
        // `user` is a strong GCHandle to a Registration, freed only once the library says the
        // provider is unregistered (no step runs after vss_coordinator_unregister_provider
        // returns). The C entry points are static delegates, alive as long as the process.

        sealed class Registration
        {
            internal readonly SnapshotProvider Provider;
            internal readonly Tuple<IntPtr, Guid> Key; // the coordinator's pointer and the id
            internal GCHandle Self;

            internal Registration(SnapshotProvider provider, Tuple<IntPtr, Guid> key)
            {
                Provider = provider;
                Key = key;
            }
        }

        static readonly object s_lock = new object();
        static readonly Dictionary<Tuple<IntPtr, Guid>, Registration> s_registry = new Dictionary<Tuple<IntPtr, Guid>, Registration>();
        [ThreadStatic] static List<Tuple<IntPtr, Guid>> t_running; // the registrations whose step runs on this thread

        /// <summary>How many registrations the binding holds (for the tests).</summary>
        internal static int RegisteredCount { get { lock (s_lock) { return s_registry.Count; } } }

        static Tuple<IntPtr, Guid> KeyOf(Coordinator coordinator, Guid id)
        {
            if (coordinator.Handle.IsClosed) {
                throw new ObjectDisposedException("Coordinator");
            }
            return Tuple.Create(coordinator.Handle.DangerousGetHandle(), id);
        }

        internal static void Register(Coordinator coordinator, SnapshotProvider provider)
        {
            var registration = new Registration(provider, KeyOf(coordinator, provider.Id));
            registration.Self = GCHandle.Alloc(registration);
            bool registered = false;
            IntPtr name = IntPtr.Zero, version = IntPtr.Zero;
            try {
                name = Utf8.Alloc(provider.Name);
                version = Utf8.Alloc(provider.Version);
                Native.ProviderCallbacks callbacks = CallbacksFor(provider.GetType());
                callbacks.id = provider.Id;
                callbacks.name = name;
                callbacks.version = version;
                int hr = Native.vss_coordinator_register_provider(coordinator.Handle, ref callbacks, GCHandle.ToIntPtr(registration.Self));
                if (hr < 0) {
                    throw VssException.FromLastError(hr);
                }
                registered = true;
                lock (s_lock) {
                    // An entry already under this key belongs to a coordinator that ended at the
                    // same address without unregistering: nothing can call it any more.
                    Registration stale;
                    if (s_registry.TryGetValue(registration.Key, out stale)) {
                        stale.Self.Free();
                    }
                    s_registry[registration.Key] = registration;
                }
            } finally {
                if (!registered) {
                    registration.Self.Free();
                }
                Marshal.FreeHGlobal(name);
                Marshal.FreeHGlobal(version);
            }
        }

        static bool RunningHere(Tuple<IntPtr, Guid> key)
        {
            return t_running != null && t_running.Contains(key);
        }

        internal static void Unregister(Coordinator coordinator, Guid id)
        {
            Tuple<IntPtr, Guid> key = KeyOf(coordinator, id);
            if (RunningHere(key)) {
                throw new InvalidOperationException("a provider cannot be unregistered from inside one of its own steps");
            }
            int hr = Native.vss_coordinator_unregister_provider(coordinator.Handle, ref id);
            VssException error = hr < 0 ? VssException.FromLastError(hr) : null;
            if (hr >= 0 || hr == HResults.VSS_E_PROVIDER_NOT_REGISTERED) {
                Forget(key);
            }
            if (error != null) {
                throw error;
            }
        }

        // Coordinator.Dispose: unregisters what it can, throws nothing.
        internal static void UnregisterQuietly(Coordinator coordinator, Guid id)
        {
            try {
                Tuple<IntPtr, Guid> key = KeyOf(coordinator, id);
                if (RunningHere(key)) {
                    return; // it would wait for itself: it stays registered (and alive)
                }
                int hr = Native.vss_coordinator_unregister_provider(coordinator.Handle, ref id);
                if (hr >= 0 || hr == HResults.VSS_E_PROVIDER_NOT_REGISTERED) {
                    Forget(key);
                }
            } catch (ObjectDisposedException) {
                // the coordinator was disposed meanwhile
            }
        }

        static void Forget(Tuple<IntPtr, Guid> key)
        {
            lock (s_lock) {
                Registration registration;
                if (s_registry.TryGetValue(key, out registration)) {
                    s_registry.Remove(key);
                    registration.Self.Free();
                }
            }
        }

        // ---- trampolines -------------------------------------------------------------------

        static readonly Native.VolumeStepFn s_isVolumeSupported = (u, volume) =>
            Dispatch(u, p => p.IsVolumeSupported(Utf8.Read(volume) ?? ""), HResults.VSS_E_VOLUME_NOT_SUPPORTED);
        static readonly Native.PrepareStepFn s_prepareForSnapshot = (u, set, snapshot, volume) =>
            Dispatch(u, p => p.PrepareForSnapshot(ReadGuid(set), ReadGuid(snapshot), Utf8.Read(volume) ?? ""), HResults.VSS_E_PROVIDER_VETO);
        static readonly Native.GuidStepFn s_endPrepareSnapshots = (u, set) => Dispatch(u, p => p.EndPrepareSnapshots(ReadGuid(set)), HResults.VSS_E_PROVIDER_VETO);
        static readonly Native.GuidStepFn s_preCommitSnapshots = (u, set) => Dispatch(u, p => p.PreCommitSnapshots(ReadGuid(set)), HResults.VSS_E_PROVIDER_VETO);
        static readonly Native.GuidStepFn s_commitSnapshots = (u, set) => Dispatch(u, p => p.CommitSnapshots(ReadGuid(set)), HResults.VSS_E_PROVIDER_VETO);
        static readonly Native.CountStepFn s_postCommitSnapshots = (u, set, count) =>
            Dispatch(u, p => p.PostCommitSnapshots(ReadGuid(set), count), HResults.VSS_E_PROVIDER_VETO);
        static readonly Native.GuidStepFn s_preFinalCommitSnapshots = (u, set) => Dispatch(u, p => p.PreFinalCommitSnapshots(ReadGuid(set)), HResults.VSS_E_PROVIDER_VETO);
        static readonly Native.GuidStepFn s_postFinalCommitSnapshots = (u, set) => Dispatch(u, p => p.PostFinalCommitSnapshots(ReadGuid(set)), HResults.VSS_E_PROVIDER_VETO);
        static readonly Native.GuidStepFn s_abortSnapshots = (u, set) => Dispatch(u, p => { p.AbortSnapshots(ReadGuid(set)); return true; }, HResults.S_OK);
        static readonly Native.DeviceStepFn s_snapshotDevice = SnapshotDeviceThunk;
        static readonly Native.GuidStepFn s_deleteSnapshot = (u, snapshot) => Dispatch(u, p => { p.DeleteSnapshot(ReadGuid(snapshot)); return true; }, HResults.S_OK);

        static Guid ReadGuid(IntPtr guid)
        {
            return guid == IntPtr.Zero ? Guid.Empty : (Guid)Marshal.PtrToStructure(guid, typeof(Guid));
        }

        static int Dispatch(IntPtr user, Func<SnapshotProvider, bool> step, int veto)
        {
            Registration registration = null;
            bool entered = false;
            try {
                MonoThreads.EnteredFromNative();
                registration = GCHandle.FromIntPtr(user).Target as Registration;
                if (registration == null) {
                    return HResults.VSS_E_PROVIDER_NOT_REGISTERED;
                }
                if (t_running == null) {
                    t_running = new List<Tuple<IntPtr, Guid>>();
                }
                t_running.Add(registration.Key);
                entered = true;
                return step(registration.Provider) ? HResults.S_OK : veto;
            } catch (VssException e) when (e.HResult < 0) {
                return e.HResult;
            } catch (Exception e) {
                try {
                    if (registration != null) {
                        registration.Provider._lastStepException = e;
                    }
                } catch {
                    // nothing may unwind into C
                }
                return HResults.VSS_E_UNEXPECTED_PROVIDER_ERROR;
            } finally {
                if (entered) {
                    t_running.RemoveAt(t_running.Count - 1);
                }
            }
        }

        static int SnapshotDeviceThunk(IntPtr user, IntPtr snapshot, IntPtr buffer, uint size)
        {
            return Dispatch(user, p => {
                string device = p.GetSnapshotDevice(ReadGuid(snapshot));
                if (device == null) {
                    throw new InvalidOperationException(p.GetType().Name + ".GetSnapshotDevice returned null");
                }
                byte[] bytes = Utf8.Z(device);
                if ((uint)bytes.Length > size) {
                    throw new InvalidOperationException(string.Format(
                        "the device path takes {0} bytes of UTF-8; the library has room for {1}", bytes.Length - 1, size - 1));
                }
                Marshal.Copy(bytes, 0, buffer, bytes.Length);
                return true;
            }, HResults.VSS_E_UNEXPECTED_PROVIDER_ERROR);
        }

        // Only the steps a subclass overrides reach managed code; commit_snapshots always does.
        static Native.ProviderCallbacks CallbacksFor(Type type)
        {
            return new Native.ProviderCallbacks {
                size = (uint)Marshal.SizeOf(typeof(Native.ProviderCallbacks)),
                is_volume_supported = Pointer(type, "IsVolumeSupported", s_isVolumeSupported, typeof(string)),
                prepare_for_snapshot = Pointer(type, "PrepareForSnapshot", s_prepareForSnapshot, typeof(Guid), typeof(Guid), typeof(string)),
                end_prepare_snapshots = Pointer(type, "EndPrepareSnapshots", s_endPrepareSnapshots, typeof(Guid)),
                pre_commit_snapshots = Pointer(type, "PreCommitSnapshots", s_preCommitSnapshots, typeof(Guid)),
                commit_snapshots = Marshal.GetFunctionPointerForDelegate(s_commitSnapshots),
                post_commit_snapshots = Pointer(type, "PostCommitSnapshots", s_postCommitSnapshots, typeof(Guid), typeof(int)),
                pre_final_commit_snapshots = Pointer(type, "PreFinalCommitSnapshots", s_preFinalCommitSnapshots, typeof(Guid)),
                post_final_commit_snapshots = Pointer(type, "PostFinalCommitSnapshots", s_postFinalCommitSnapshots, typeof(Guid)),
                abort_snapshots = Pointer(type, "AbortSnapshots", s_abortSnapshots, typeof(Guid)),
                snapshot_device = Pointer(type, "GetSnapshotDevice", s_snapshotDevice, typeof(Guid)),
                delete_snapshot = Pointer(type, "DeleteSnapshot", s_deleteSnapshot, typeof(Guid)),
            };
        }

        static IntPtr Pointer(Type type, string method, Delegate thunk, params Type[] parameters)
        {
            MethodInfo found = type.GetMethod(method, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic,
                                              null, parameters, null);
            if (found == null || found.DeclaringType == typeof(SnapshotProvider)) {
                return IntPtr.Zero;
            }
            return Marshal.GetFunctionPointerForDelegate(thunk);
        }
    }

    // ---- the retry helper (contract C-7.2) ------------------------------------------------

    /// <summary>
    /// vss_retry_policy: how often and after how long Retry.Run tries again. A new policy holds
    /// the library's defaults (vss_retry_policy_default): 3 retries 10 minutes apart for the
    /// retryable writer and commit codes (RetryClass.AfterWait), 5 retries 30 s apart for
    /// VSS_E_SNAPSHOT_SET_IN_PROGRESS (RetryClass.ShortBackOff). The library refuses
    /// (E_INVALIDARG) more than 100 retries or a wait over 24 hours.
    /// </summary>
    public sealed class RetryPolicy
    {
        static RetryPolicy() { Native.EnsureLoaded(); }

        public RetryPolicy()
        {
            Native.EnsureLoaded();
            Native.RetryPolicy raw = Defaults();
            MaxRetries = raw.max_retries;
            Wait = TimeSpan.FromMilliseconds(raw.wait_ms);
            InProgressMaxRetries = raw.in_progress_max_retries;
            InProgressWait = TimeSpan.FromMilliseconds(raw.in_progress_wait_ms);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static Native.RetryPolicy Defaults()
        {
            var raw = new Native.RetryPolicy { size = (uint)Marshal.SizeOf(typeof(Native.RetryPolicy)) };
            VssException.Check(Native.vss_retry_policy_default(ref raw));
            return raw;
        }

        /// <summary>Retries after a RetryClass.AfterWait failure.</summary>
        public uint MaxRetries { get; set; }
        /// <summary>The wait before each of them (whole milliseconds).</summary>
        public TimeSpan Wait { get; set; }
        /// <summary>Retries after a RetryClass.ShortBackOff failure.</summary>
        public uint InProgressMaxRetries { get; set; }
        /// <summary>The wait before each of them (whole milliseconds).</summary>
        public TimeSpan InProgressWait { get; set; }

        internal Native.RetryPolicy ToNative()
        {
            return new Native.RetryPolicy {
                size = (uint)Marshal.SizeOf(typeof(Native.RetryPolicy)),
                max_retries = MaxRetries,
                wait_ms = Milliseconds(Wait, "Wait"),
                in_progress_max_retries = InProgressMaxRetries,
                in_progress_wait_ms = Milliseconds(InProgressWait, "InProgressWait"),
            };
        }

        static ulong Milliseconds(TimeSpan span, string what)
        {
            if (span < TimeSpan.Zero) {
                throw new ArgumentOutOfRangeException(what, "a wait cannot be negative");
            }
            return (ulong)(span.Ticks / TimeSpan.TicksPerMillisecond);
        }
    }

    /// <summary>One attempt of Retry.Run (vss_retry_attempt), reported before the wait after it.</summary>
    public sealed class RetryAttempt
    {
        /// <summary>1 for the first attempt.</summary>
        public int Number { get; internal set; }
        /// <summary>What the attempt returned.</summary>
        public int Result { get; internal set; }
        /// <summary>Of Result, as Vss.IsRetryable answers.</summary>
        public RetryClass RetryClass { get; internal set; }
        /// <summary>The coordinator's clock when the attempt began, in ms (a real clock: only differences mean something; a virtual one: from 0).</summary>
        public ulong StartMilliseconds { get; internal set; }
        /// <summary>The coordinator's clock when it ended, in ms.</summary>
        public ulong EndMilliseconds { get; internal set; }
        /// <summary>The wait before the next attempt; zero if none follows.</summary>
        public TimeSpan Wait { get; internal set; }

        public override string ToString()
        {
            return string.Format("attempt {0}: {1} ({2}), wait {3} ms", Number, Vss.HResultName(Result), RetryClass, (long)Wait.TotalMilliseconds);
        }
    }

    /// <summary>The retry helper (vss_retry_run): a backup retried with a fresh requester each time.</summary>
    public static class Retry
    {
        static Retry() { Native.EnsureLoaded(); }

        /// <summary>
        /// Runs attempt(requester, number) until it succeeds, fails for good, or its retry budget
        /// is spent, and returns the last attempt's (success) result; throws a VssException when
        /// that result is a failure (its message says why the run stopped; E_INVALIDARG with
        /// nothing run for a policy out of bounds).
        ///
        /// Each attempt gets a fresh Requester on `coordinator` (null: the default one) and
        /// returns S_OK when the backup worked, else the HRESULT that failed it. A VssException
        /// it throws (as a failed step does) is that attempt's result, and a writer's failure
        /// found in GetWriterStatuses() should be returned (it does not fail DoSnapshotSet).
        /// Any other exception ends the run (E_UNEXPECTED, not retried) and is thrown again
        /// here. The requester is released by the helper right after the attempt returns
        /// (OnBackupShutdown): it is disposed then, and Dispose() inside the attempt releases
        /// nothing.
        ///
        /// Between attempts the helper waits on the coordinator's clock: a real clock really
        /// waits, ClockKind.Simulated passes at once, ClockKind.Manual waits for AdvanceClock
        /// from another thread. Everything runs on the calling thread. report, if given, is
        /// called once per attempt, the last one included, before the wait after it; an
        /// exception it throws does not stop the run but is thrown here once the run has ended.
        /// </summary>
        public static int Run(Coordinator coordinator, RetryPolicy policy, Func<Requester, int, int> attempt,
                              Action<RetryAttempt> report = null)
        {
            if (attempt == null) {
                throw new ArgumentNullException("attempt");
            }
            Native.EnsureLoaded();
            return RunNative(coordinator, policy, attempt, report);
        }

        sealed class Context
        {
            internal Func<Requester, int, int> Attempt;
            internal Action<RetryAttempt> Report;
            internal Exception AttemptError;
            internal Exception ReportError;
        }

        static readonly Native.RetryAttemptFn s_attempt = AttemptThunk;
        static readonly Native.RetryReportFn s_report = ReportThunk;

        [MethodImpl(MethodImplOptions.NoInlining)]
        static int RunNative(Coordinator coordinator, RetryPolicy policy, Func<Requester, int, int> attempt, Action<RetryAttempt> report)
        {
            var context = new Context { Attempt = attempt, Report = report };
            GCHandle self = GCHandle.Alloc(context);
            try {
                IntPtr reportFn = report == null ? IntPtr.Zero : Marshal.GetFunctionPointerForDelegate(s_report);
                IntPtr attemptFn = Marshal.GetFunctionPointerForDelegate(s_attempt);
                int hr;
                if (policy == null) {
                    hr = coordinator == null
                        ? Native.vss_retry_run(IntPtr.Zero, IntPtr.Zero, attemptFn, reportFn, GCHandle.ToIntPtr(self))
                        : Native.vss_retry_run(coordinator.Handle, IntPtr.Zero, attemptFn, reportFn, GCHandle.ToIntPtr(self));
                } else {
                    Native.RetryPolicy raw = policy.ToNative();
                    hr = coordinator == null
                        ? Native.vss_retry_run(IntPtr.Zero, ref raw, attemptFn, reportFn, GCHandle.ToIntPtr(self))
                        : Native.vss_retry_run(coordinator.Handle, ref raw, attemptFn, reportFn, GCHandle.ToIntPtr(self));
                }
                VssException failure = hr < 0 ? VssException.FromLastError(hr) : null;
                Exception raised = context.AttemptError ?? context.ReportError;
                if (raised != null) {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(raised).Throw();
                }
                if (failure != null) {
                    throw failure;
                }
                return hr;
            } finally {
                self.Free();
            }
        }

        static int AttemptThunk(IntPtr user, IntPtr requester, uint number)
        {
            Context context = null;
            RequesterHandle borrowed = null;
            try {
                context = (Context)GCHandle.FromIntPtr(user).Target;
                if (requester == IntPtr.Zero) {
                    return HResults.E_UNEXPECTED;
                }
                borrowed = RequesterHandle.Borrow(requester);
                int hr = context.Attempt(new Requester(borrowed), (int)number);
                return hr;
            } catch (VssException e) when (e.HResult < 0) {
                return e.HResult;
            } catch (Exception e) {
                if (context != null && context.AttemptError == null) {
                    context.AttemptError = e;
                }
                return HResults.E_UNEXPECTED;
            } finally {
                if (borrowed != null) {
                    borrowed.Dispose(); // the helper releases it; later calls on it throw ObjectDisposedException
                }
            }
        }

        static void ReportThunk(IntPtr user, IntPtr attempt)
        {
            Context context = null;
            try {
                context = (Context)GCHandle.FromIntPtr(user).Target;
                var raw = (Native.RetryAttemptRecord)Marshal.PtrToStructure(attempt, typeof(Native.RetryAttemptRecord));
                context.Report(new RetryAttempt {
                    Number = (int)raw.number,
                    Result = raw.result,
                    RetryClass = (RetryClass)raw.retry_class,
                    StartMilliseconds = raw.start_ms,
                    EndMilliseconds = raw.end_ms,
                    Wait = TimeSpan.FromMilliseconds(raw.wait_ms),
                });
            } catch (Exception e) {
                try {
                    if (context != null && context.ReportError == null) {
                        context.ReportError = e;
                    }
                } catch {
                    // nothing may unwind into C
                }
            }
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

        // A handle someone else releases: Dispose() only closes it for us.
        protected VssHandle(IntPtr borrowed) : base(IntPtr.Zero, false) { SetHandle(borrowed); }

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
        public RequesterHandle() { }

        RequesterHandle(IntPtr borrowed) : base(borrowed) { }

        internal static RequesterHandle Borrow(IntPtr requester) { return new RequesterHandle(requester); }

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

        [ThreadStatic] static bool t_seen;

        /// <summary>Called first by every callback from C: flags a library thread once.</summary>
        internal static void EnteredFromNative()
        {
            if (!t_seen) {
                t_seen = true;
                DoNotWaitAtExit();
            }
        }

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
        // The name every import uses; Loader (below) says how each runtime turns it into the
        // library: vssapi.dll on Windows, the soname libvssapi.so.1 on Linux, or VSSAPI_LIBRARY.
        internal const string Library = "vssapi";

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
                Loader.Prepare();
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

        [StructLayout(LayoutKind.Sequential)]
        internal struct ProviderInfo
        {
            public uint size;
            public Guid id;
            public IntPtr name;
            public int type;
            public IntPtr version;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct ProviderCallbacks
        {
            public uint size;
            public Guid id;
            public IntPtr name;
            public IntPtr version;
            public IntPtr is_volume_supported;
            public IntPtr prepare_for_snapshot;
            public IntPtr end_prepare_snapshots;
            public IntPtr pre_commit_snapshots;
            public IntPtr commit_snapshots;
            public IntPtr post_commit_snapshots;
            public IntPtr pre_final_commit_snapshots;
            public IntPtr post_final_commit_snapshots;
            public IntPtr abort_snapshots;
            public IntPtr snapshot_device;
            public IntPtr delete_snapshot;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct RetryPolicy
        {
            public uint size;
            public uint max_retries;
            public ulong wait_ms;
            public uint in_progress_max_retries;
            public uint reserved;
            public ulong in_progress_wait_ms;
        }

        // vss_retry_attempt
        [StructLayout(LayoutKind.Sequential)]
        internal struct RetryAttemptRecord
        {
            public uint size;
            public uint number;
            public int result;
            public int retry_class;
            public ulong start_ms;
            public ulong end_ms;
            public ulong wait_ms;
        }

        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        internal delegate int HandlerFn(IntPtr user, IntPtr writer);
        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        internal delegate int ComponentsFn(IntPtr user, IntPtr writer, IntPtr components);
        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        internal delegate int IdentifyFn(IntPtr user, IntPtr writer, IntPtr metadata);
        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        internal delegate int ShutdownFn(IntPtr user, IntPtr writer, IntPtr snapshotSetId);
        // vss_provider_callbacks
        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        internal delegate int VolumeStepFn(IntPtr user, IntPtr volume);
        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        internal delegate int PrepareStepFn(IntPtr user, IntPtr snapshotSetId, IntPtr snapshotId, IntPtr volume);
        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        internal delegate int GuidStepFn(IntPtr user, IntPtr id);
        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        internal delegate int CountStepFn(IntPtr user, IntPtr snapshotSetId, int count);
        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        internal delegate int DeviceStepFn(IntPtr user, IntPtr snapshotId, IntPtr buffer, uint size);
        // vss_retry_attempt_fn, vss_retry_report_fn
        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        internal delegate int RetryAttemptFn(IntPtr user, IntPtr requester, uint attempt);
        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        internal delegate void RetryReportFn(IntPtr user, IntPtr attempt);

        // VSS_CALL: __stdcall on 32-bit Windows, the platform's C convention elsewhere; Winapi is
        // exactly that (StdCall on Windows x86, the default convention everywhere else).
        const CallingConvention Winapi = CallingConvention.Winapi;

        // library
        [DllImport(Library, CallingConvention = Winapi)] internal static extern IntPtr vss_version();
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_abi_version();
        [DllImport(Library, CallingConvention = Winapi)] internal static extern IntPtr vss_last_error_message();
        [DllImport(Library, CallingConvention = Winapi)] internal static extern void vss_free(IntPtr memory);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern IntPtr vss_hresult_name(int hr);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern IntPtr vss_hresult_meaning(int hr);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern IntPtr vss_writer_state_name(int state);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_is_retryable(int hr);

        // coordinator
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_coordinator_default(out CoordinatorHandle coordinator);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_coordinator_create(ref CoordinatorOptions options, out CoordinatorHandle coordinator);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_coordinator_create(IntPtr options, out CoordinatorHandle coordinator);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_coordinator_advance_clock(CoordinatorHandle coordinator, ulong milliseconds);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern void vss_coordinator_release(IntPtr coordinator);

        // writer
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_writer_create(CoordinatorHandle coordinator, ref WriterInfo info, ref WriterCallbacks callbacks, IntPtr user, out WriterHandle writer);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_writer_create(IntPtr coordinator, ref WriterInfo info, ref WriterCallbacks callbacks, IntPtr user, out WriterHandle writer);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_writer_subscribe(WriterHandle writer);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_writer_unsubscribe(WriterHandle writer);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern void vss_writer_release(IntPtr writer);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_writer_instance_id(WriterHandle writer, out Guid id);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_writer_set_failure_ex(WriterHandle writer, int hrWriter, int hrApplication, byte[] message);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_writer_set_failure(WriterHandle writer, int hrWriter);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_writer_session_id(WriterHandle writer, out Guid id);

        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_metadata_add_component(IntPtr metadata, int type, byte[] logicalPath, byte[] name, byte[] caption, int selectable);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_metadata_add_files(IntPtr metadata, int kind, byte[] logicalPath, byte[] componentName, byte[] path, byte[] filespec, int recursive);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_metadata_add_include_files(IntPtr metadata, byte[] path, byte[] filespec, int recursive);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_metadata_add_exclude_files(IntPtr metadata, byte[] path, byte[] filespec, int recursive);

        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_components_count(IntPtr components, out uint count);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_components_get(IntPtr components, uint index, out IntPtr logicalPath, out IntPtr name);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_components_set_failure(IntPtr components, uint index, int hr, int hrApplication, byte[] message);

        // requester
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_create(CoordinatorHandle coordinator, out RequesterHandle requester);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_create(IntPtr coordinator, out RequesterHandle requester);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern void vss_requester_release(IntPtr requester);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_session_id(RequesterHandle requester, out Guid id);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_initialize_for_backup(RequesterHandle requester);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_set_context(RequesterHandle requester, int context);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_requester_set_backup_state(RequesterHandle requester, int selectComponents, int bootableSystemState, int backupType, int partialFileSupport);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_run(RequesterHandle requester, int step);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_save_document(RequesterHandle requester, out IntPtr xml);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_initialize_for_restore(RequesterHandle requester, byte[] xml);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_resume_backup(RequesterHandle requester, byte[] xml);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_set_restore_state(RequesterHandle requester, int restoreType);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_requester_select_for_restore(RequesterHandle requester, ref Guid writerClass, int type, byte[] logicalPath, byte[] name, int selected);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_requester_set_restore_options(RequesterHandle requester, ref Guid writerClass, int type, byte[] logicalPath, byte[] name, byte[] options);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_requester_set_file_restore_status(RequesterHandle requester, ref Guid writerClass, int type, byte[] logicalPath, byte[] name, int status);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_components_get_text(IntPtr components, uint index, int which, out IntPtr text);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_components_set_text(IntPtr components, uint index, int which, byte[] text);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_components_selected_for_restore(IntPtr components, uint index, out int selected);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_components_file_restore_status(IntPtr components, uint index, out int status);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_start(RequesterHandle requester, int step, out AsyncHandle async);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_async_wait(AsyncHandle async, uint milliseconds);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_async_status(AsyncHandle async, out int status);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_async_cancel(AsyncHandle async);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern void vss_async_release(IntPtr async);

        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_writer_count(RequesterHandle requester, out uint count);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_writer_identity(RequesterHandle requester, uint index, ref WriterIdentity identity);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern void vss_writer_identity_clear(ref WriterIdentity identity);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_requester_writer_component(RequesterHandle requester, uint writerIndex, uint componentIndex, ref ComponentInfo info);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern void vss_component_info_clear(ref ComponentInfo info);

        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_requester_add_component(RequesterHandle requester, ref Guid instanceId, ref Guid classId, int type, byte[] logicalPath, byte[] name);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_add_all_components(RequesterHandle requester);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_start_snapshot_set(RequesterHandle requester, out Guid snapshotSetId);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_add_to_snapshot_set(RequesterHandle requester, byte[] volume, out Guid snapshotId);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_abort(RequesterHandle requester);

        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_status_count(RequesterHandle requester, out uint count);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_status(RequesterHandle requester, uint index, ref WriterStatus status);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern void vss_writer_status_clear(ref WriterStatus status);

        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_component_count(RequesterHandle requester, out uint count);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_requester_component_failure(RequesterHandle requester, uint index, ref ComponentFailure failure);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern void vss_component_failure_clear(ref ComponentFailure failure);

        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_requester_snapshot_props(RequesterHandle requester, ref Guid snapshotId, ref SnapshotProps props);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern void vss_snapshot_props_clear(ref SnapshotProps props);

        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_scenario_load(CoordinatorHandle coordinator, byte[] path, out ScenarioHandle scenario);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_scenario_load(IntPtr coordinator, byte[] path, out ScenarioHandle scenario);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_scenario_load_text(CoordinatorHandle coordinator, byte[] json, out ScenarioHandle scenario);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_scenario_load_text(IntPtr coordinator, byte[] json, out ScenarioHandle scenario);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern void vss_scenario_release(IntPtr scenario);

        // snapshot providers (1.1)
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_coordinator_provider_count(CoordinatorHandle coordinator, out uint count);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_coordinator_provider(CoordinatorHandle coordinator, uint index, ref ProviderInfo info);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern void vss_provider_info_clear(ref ProviderInfo info);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_coordinator_register_provider(CoordinatorHandle coordinator, ref ProviderCallbacks callbacks, IntPtr user);
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_coordinator_unregister_provider(CoordinatorHandle coordinator, ref Guid id);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_requester_add_to_snapshot_set_with(RequesterHandle requester, byte[] volume, ref Guid providerId, out Guid snapshotId);

        // the retry helper
        [DllImport(Library, CallingConvention = Winapi)] internal static extern int vss_retry_policy_default(ref RetryPolicy policy);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_retry_run(CoordinatorHandle coordinator, ref RetryPolicy policy, IntPtr attempt, IntPtr report, IntPtr user);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_retry_run(IntPtr coordinator, ref RetryPolicy policy, IntPtr attempt, IntPtr report, IntPtr user);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_retry_run(CoordinatorHandle coordinator, IntPtr policy, IntPtr attempt, IntPtr report, IntPtr user);
        [DllImport(Library, CallingConvention = Winapi)]
        internal static extern int vss_retry_run(IntPtr coordinator, IntPtr policy, IntPtr attempt, IntPtr report, IntPtr user);
    }

    // How [DllImport("vssapi")] finds the library, with no environment variable when it is
    // installed on the system's library path:
    //   - Mono reads OpenVss.VssApi.dll.config next to the assembly, whose dllmap maps "vssapi"
    //     to the soname libvssapi.so.1 (libvssapi.1.dylib on macOS); on Windows its probing
    //     finds vssapi.dll.
    //   - .NET Core 3.0 and later: a DllImportResolver (NativeLibrary.SetDllImportResolver)
    //     tries the same names, then leaves the rest to the runtime's probing (vssapi.dll,
    //     libvssapi.so, ...). The netstandard2.0 assembly cannot name NativeLibrary, so it is
    //     found by reflection; built for netcoreapp3.0 or later it is called directly.
    //   - VSSAPI_LIBRARY=<file> names the file to use. With the resolver, the resolver loads it;
    //     elsewhere (Mono, .NET Framework) it is loaded before the first call into C (dlopen
    //     RTLD_GLOBAL, LoadLibrary on Windows), and the soname (or the module name vssapi.dll)
    //     then resolves to the file already loaded.
    internal static class Loader
    {
        const int RTLD_NOW = 2;
        const int RTLD_GLOBAL = 0x100;

        internal static bool IsWindows
        {
            get { return Environment.OSVersion.Platform == PlatformID.Win32NT; }
        }

        /// <summary>The names tried for "vssapi" before the runtime's own probing.</summary>
        internal static string[] Candidates
        {
            get { return IsWindows ? new[] { "vssapi.dll" } : new[] { "libvssapi.so.1", "libvssapi.1.dylib" }; }
        }

        /// <summary>VSSAPI_LIBRARY, or null.</summary>
        internal static string OverridePath
        {
            get {
                string path = Environment.GetEnvironmentVariable("VSSAPI_LIBRARY");
                return string.IsNullOrEmpty(path) ? null : path;
            }
        }

        /// <summary>Whether the .NET Core resolver was installed (for the tests).</summary>
        internal static bool ResolverInstalled { get; private set; }

        internal static void Prepare()
        {
            string path = OverridePath;
            if (CoreResolver.TryInstall(path)) {
                ResolverInstalled = true;
                return;
            }
            if (path != null) {
                Preload(path);
            }
        }

        [DllImport("libdl.so.2", EntryPoint = "dlopen", CallingConvention = CallingConvention.Winapi)]
        static extern IntPtr dlopen_dl(byte[] path, int mode);
        [DllImport("libdl.so.2", EntryPoint = "dlerror", CallingConvention = CallingConvention.Winapi)]
        static extern IntPtr dlerror_dl();
        [DllImport("libc.so.6", EntryPoint = "dlopen", CallingConvention = CallingConvention.Winapi)]
        static extern IntPtr dlopen_c(byte[] path, int mode);
        [DllImport("libc.so.6", EntryPoint = "dlerror", CallingConvention = CallingConvention.Winapi)]
        static extern IntPtr dlerror_c();
        [DllImport("kernel32.dll", EntryPoint = "LoadLibraryW", CharSet = CharSet.Unicode, SetLastError = true,
                   CallingConvention = CallingConvention.Winapi)]
        static extern IntPtr LoadLibraryW(string path);

        static void Preload(string path)
        {
            IntPtr handle;
            string error;
            if (IsWindows) {
                handle = LoadLibraryW(path);
                error = handle == IntPtr.Zero ? "LoadLibrary error " + Marshal.GetLastWin32Error() : null;
            } else {
                try {
                    handle = dlopen_dl(Utf8.Z(path), RTLD_NOW | RTLD_GLOBAL);
                    error = handle == IntPtr.Zero ? Utf8.Read(dlerror_dl()) : null;
                } catch (DllNotFoundException) {
                    handle = dlopen_c(Utf8.Z(path), RTLD_NOW | RTLD_GLOBAL); // glibc 2.34+: dlopen lives in libc
                    error = handle == IntPtr.Zero ? Utf8.Read(dlerror_c()) : null;
                }
            }
            if (handle == IntPtr.Zero) {
                throw new DllNotFoundException("VSSAPI_LIBRARY=" + path + ": " + error);
            }
        }
    }

    // NativeLibrary.SetDllImportResolver for this assembly, on the runtimes that have it
    // (.NET Core 3.0 and later; not Mono 6 or .NET Framework, which use the dllmap and Preload).
    internal static class CoreResolver
    {
        static string s_path; // VSSAPI_LIBRARY, or null

#if NETCOREAPP3_0_OR_GREATER
        internal static bool TryInstall(string path)
        {
            s_path = path;
            try {
                NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);
            } catch (InvalidOperationException) {
                // the application set one for this assembly already: it decides
            }
            return true;
        }

        static IntPtr Load(string path) { return NativeLibrary.Load(path); }

        static bool TryLoad(string name, Assembly assembly, DllImportSearchPath? searchPath, out IntPtr handle)
        {
            return NativeLibrary.TryLoad(name, assembly, searchPath, out handle);
        }
#else
        static MethodInfo s_load, s_tryLoad;

        internal static bool TryInstall(string path)
        {
            Assembly core = typeof(object).Assembly;
            Type nativeLibrary = core.GetType("System.Runtime.InteropServices.NativeLibrary");
            Type resolverType = core.GetType("System.Runtime.InteropServices.DllImportResolver");
            if (nativeLibrary == null || resolverType == null) {
                return false;
            }
            MethodInfo set = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType });
            MethodInfo load = nativeLibrary.GetMethod("Load", new[] { typeof(string) });
            MethodInfo tryLoad = nativeLibrary.GetMethod("TryLoad", new[] {
                typeof(string), typeof(Assembly), typeof(DllImportSearchPath?), typeof(IntPtr).MakeByRefType() });
            MethodInfo resolve = typeof(CoreResolver).GetMethod("Resolve", BindingFlags.Static | BindingFlags.NonPublic);
            if (set == null || load == null || tryLoad == null || resolve == null) {
                return false;
            }
            s_path = path;
            s_load = load;
            s_tryLoad = tryLoad;
            try {
                set.Invoke(null, new object[] { typeof(Native).Assembly, Delegate.CreateDelegate(resolverType, resolve) });
            } catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException) {
                // the application set one for this assembly already: it decides
            }
            return true;
        }

        static IntPtr Load(string path)
        {
            try {
                return (IntPtr)s_load.Invoke(null, new object[] { path });
            } catch (TargetInvocationException e) {
                throw new DllNotFoundException("VSSAPI_LIBRARY=" + path + ": " + e.InnerException.Message, e.InnerException);
            }
        }

        static bool TryLoad(string name, Assembly assembly, DllImportSearchPath? searchPath, out IntPtr handle)
        {
            object[] arguments = { name, assembly, searchPath, IntPtr.Zero };
            bool loaded = (bool)s_tryLoad.Invoke(null, arguments);
            handle = (IntPtr)arguments[3];
            return loaded;
        }
#endif

        // The DllImportResolver: only "vssapi" is ours; IntPtr.Zero leaves a name to the runtime.
        static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (libraryName != Native.Library) {
                return IntPtr.Zero;
            }
            if (s_path != null) {
                return Load(s_path);
            }
            foreach (string name in Loader.Candidates) {
                IntPtr handle;
                if (TryLoad(name, assembly, searchPath, out handle)) {
                    return handle;
                }
            }
            return IntPtr.Zero;
        }
    }
}
