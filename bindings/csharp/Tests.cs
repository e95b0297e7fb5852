// Tests of the C# binding: a writer and a requester written in C#, each test on its own
// coordinator. Prints one line per test, then "N passed, M failed"; exits 1 on any failure.
//
// usage: mono Tests.exe [<bindings/csharp source dir> <example.exe> <mono>]
// (with the last three, it also runs the README example and checks the README shows it).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using OpenVss;

static class Tests
{
    internal static readonly Guid WriterClass = new Guid("5e1f0001-1111-2222-8001-020304050607");
    internal const string Message = "Échec du gel – 数据库忙 😀";
    internal const int AppCode = unchecked((int)0x80070020);

    static int s_passed, s_failed;
    static string s_sourceDir, s_exampleExe, s_mono, s_prefix;

    static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        if (args.Length == 2 && args[0] == "--child-forget") {
            return ChildForget(args[1] == "isolated");
        }
        if (args.Length == 1 && args[0] == "--child-which-library") {
            return ChildWhichLibrary();
        }
        if (args.Length >= 3 && !args[0].StartsWith("--", StringComparison.Ordinal)) { // the old form: SOURCE EXAMPLE MONO
            s_sourceDir = args[0];
            s_exampleExe = args[1];
            s_mono = args[2];
        } else {
            for (int i = 0; i + 1 < args.Length; i += 2) {
                switch (args[i]) {
                case "--source": s_sourceDir = args[i + 1]; break;
                case "--example": s_exampleExe = args[i + 1]; break;
                case "--mono": s_mono = args[i + 1]; break;
                case "--prefix": s_prefix = args[i + 1]; break;
                default:
                    Console.Error.WriteLine("usage: Tests.exe [--source DIR] [--example EXE] [--mono PATH] [--prefix PREFIX]");
                    return 2;
                }
            }
            if (args.Length % 2 != 0) {
                Console.Error.WriteLine("usage: Tests.exe [--source DIR] [--example EXE] [--mono PATH] [--prefix PREFIX]");
                return 2;
            }
        }
        if (s_prefix != null) {
            Run("installed: libvssapi from the prefix, OpenVss.VssApi.dll from outside the source tree", InstalledFromPrefix);
        }
        Run("calling convention: every DllImport and callback delegate is CallingConvention.Winapi (never Cdecl or ThisCall)", CallingConventions);
        Run("library name: [DllImport(\"vssapi\")], the dllmap to the soname, the .NET Core resolver's names", LibraryName);
        Run("struct layouts and provider ids match the C header", StructLayouts);
        Run("library helpers: version, HRESULT names and meanings, state names, retry classes", LibraryHelpers);
        Run("(a) OnFreeze fails RETRYABLE with an application code and a non-ASCII message; the requester reads all three", FreezeRetryable);
        Run("(b) PARTIAL_FAILURE: the second of two components fails in OnPostSnapshot; the requester reads the component failures", PartialFailure);
        Run("(c) bad arguments and bad states surface as VssException, never as a crash", BadArguments);
        Run("(d) a step as an async operation: Start, Wait, Status, Cancel; and RunAsync", AsyncSteps);
        Run("(d) async with the virtual clock: a writer that never answers times out", AsyncVirtualClock);
        Run("(e) a handler that throws: the library reports NONRETRYABLE and the process goes on", HandlerThrows);
        Run("every handler runs, in order, on the library's threads; OnBackupShutdown at release", HandlerSequence);
        Run("Abort sends OnAbort", AbortSendsOnAbort);
        Run("C-8.2 a backup's saved document restores in a new coordinator; OnPostRestore fails and reads back", RestoreRoundTrip);
        Run("AddComponent selects one component; SetFailure (without Ex) in OnPrepareBackup", SelectOneAndSetFailure);
        Run("Unsubscribe and Subscribe again; identity, options and instance name", SubscribeAndIdentity);
        Run("garbage collection: a subscribed writer nobody references keeps answering", GcKeepsSubscribedWriter);
        Run("garbage collection: a forgotten writer and requester are released by their finalizers", GcReleasesForgotten);
        Run("the default coordinator", DefaultCoordinator);
        Run("scenario file: the partial-failure example reports the writer and its component", ScenarioPartialFailure);
        Run("scenario file: the hung-writer example times out at once on the simulated clock", ScenarioHungWriter);
        Run("scenario file: bad JSON throws E_INVALIDARG with its position and loads nothing", ScenarioBadText);
        Run("scenario file: misuse (null path or text, disposed coordinator, clock kinds)", ScenarioMisuse);
        Run("providers: the built-in ones are listed, the simulated one first", ProvidersListed);
        Run("providers: a C# provider is listed, chosen by id and called in order; its snapshot is deleted at release", ProviderCalledInOrder);
        Run("providers: veto, exceptions (VSS_E_UNEXPECTED_PROVIDER_ERROR), VssException codes, device paths, IsVolumeSupported", ProviderFailures);
        Run("providers: registration and unregistration, bad tables, skipped steps, inside a step, Dispose", ProviderRegistration);
        Run("providers: a registered provider nobody references survives garbage collections", ProviderKeptAlive);
        Run("retry: the default policy", RetryPolicyDefaults);
        Run("retry: a writer's RETRYABLE failure is retried after the long wait with a fresh requester", RetryWriterFailure);
        Run("retry: every number of the policy, SNAPSHOT_SET_IN_PROGRESS on its own budget; stops on success and non-retryable", RetryScripted);
        Run("retry: exceptions in the attempt and the report, bad policies, the default coordinator", RetryMisuse);
        if (s_mono != null) {
            Run("loading: with no VSSAPI_LIBRARY, the dllmap finds the library by its soname alone; without the dllmap Mono does not", SonameThroughDllmap);
        }
        if (s_exampleExe != null) {
            Run("README example: example.exe runs (found through VSSAPI_LIBRARY alone when it is set) and prints the failure", ExampleRuns);
            Run("README example: README.md shows Example.cs verbatim", ReadmeShowsExample);
            Run("versions: the assembly, OpenVss.VssApi.csproj and meson.build agree", VersionsInStep);
            Run("a process that forgets its writer and requester still exits, on the default and on its own coordinator", ForgetfulProcessExits);
        }
        Console.WriteLine("{0} passed, {1} failed", s_passed, s_failed);
        return s_failed == 0 ? 0 : 1;
    }

    static void Run(string name, Action test)
    {
        try {
            test();
            ++s_passed;
            Console.WriteLine("ok   " + name);
        } catch (Exception e) {
            ++s_failed;
            Console.WriteLine("FAIL " + name);
            Console.WriteLine("     " + e.ToString().Replace("\n", "\n     "));
        }
    }

    // ---- checks -------------------------------------------------------------------------

    static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual)) {
            throw new Exception(string.Format("{0}: expected <{1}>, got <{2}>", what, Show(expected), Show(actual)));
        }
    }

    static string Show(object value)
    {
        if (value is int) {
            return string.Format("0x{0:X8}", (int)value);
        }
        return value == null ? "null" : value.ToString();
    }

    static void True(bool condition, string what)
    {
        if (!condition) {
            throw new Exception("expected: " + what);
        }
    }

    static T Throws<T>(Action action, string what) where T : Exception
    {
        try {
            action();
        } catch (T e) {
            return e;
        } catch (Exception e) {
            throw new Exception(what + ": expected " + typeof(T).Name + ", got " + e.GetType().Name + ": " + e.Message, e);
        }
        throw new Exception(what + ": expected " + typeof(T).Name + ", nothing was thrown");
    }

    static VssException ThrowsVss(int hresult, Action action, string what)
    {
        VssException e = Throws<VssException>(action, what);
        Equal(hresult, e.HResult, what + " HResult");
        Equal(Vss.HResultName(hresult), e.Name, what + " Name");
        True(e.NativeMessage.Length > 0, what + ": a library message");
        return e;
    }

    // A backup up to and including DoSnapshotSet; returns the snapshot set id.
    static Guid BackupThroughSnapshot(Requester requester, bool selectAll, out Guid snapshotId)
    {
        requester.InitializeForBackup();
        requester.SetBackupState(true, false, BackupType.Full);
        requester.GatherWriterMetadata();
        if (selectAll) {
            requester.AddAllComponents();
        }
        Guid set = requester.StartSnapshotSet();
        snapshotId = requester.AddToSnapshotSet("C:\\");
        requester.PrepareForBackup();
        requester.DoSnapshotSet();
        return set;
    }

    static Guid BackupThroughSnapshot(Requester requester, bool selectAll = false)
    {
        Guid snapshot;
        return BackupThroughSnapshot(requester, selectAll, out snapshot);
    }

    // ---- writers ------------------------------------------------------------------------

    class FreezeFailsWriter : Writer
    {
        public FreezeFailsWriter(Coordinator coordinator, string name = "Freeze Writer")
            : base(WriterClass, name, null, coordinator) { }

        public Guid SessionSeen;
        public int ThreadSeen;

        protected override bool OnFreeze()
        {
            SessionSeen = SessionId;
            ThreadSeen = Thread.CurrentThread.ManagedThreadId;
            string message = string.Copy(Message); // the library copies it: nothing keeps ours
            SetFailureEx(HResults.VSS_E_WRITERERROR_RETRYABLE, AppCode, message);
            return false;
        }
    }

    class PartialFailureWriter : Writer
    {
        public PartialFailureWriter(Coordinator coordinator) : base(WriterClass, "Partial Writer", null, coordinator) { }

        public WriterMetadata KeptMetadata;
        public WriterComponents KeptComponents;
        public readonly List<string> Seen = new List<string>();

        protected override bool OnIdentify(WriterMetadata metadata)
        {
            KeptMetadata = metadata;
            foreach (string name in new[] { "Alpha", "Beta" }) {
                metadata.AddComponent(ComponentType.FileGroup, "Data", name, "the " + name + " files");
                metadata.AddFilesToFileGroup("Data", name, "/srv/data/" + name, "*.db");
            }
            metadata.AddExcludeFiles("/srv/data", "*.tmp", true);
            return true;
        }

        protected override bool OnPostSnapshot(WriterComponents components)
        {
            KeptComponents = components;
            if (components == null) {
                throw new InvalidOperationException("no components in component mode");
            }
            foreach (WriterComponent component in components) {
                Seen.Add(component.ToString());
            }
            if (components.Count != 2 || components[1].Name != "Beta") {
                throw new InvalidOperationException("unexpected components: " + string.Join(", ", Seen));
            }
            components[1].SetFailure(HResults.VSS_E_WRITERERROR_NONRETRYABLE, 7, "Beta corrompu – 损坏");
            SetFailureEx(HResults.VSS_E_WRITERERROR_PARTIAL_FAILURE, 0, "one of two");
            return true;
        }
    }

    class RestoreWriter : Writer
    {
        public RestoreWriter(Coordinator coordinator) : base(WriterClass, "C# Writer", null, coordinator) { }

        public readonly List<string> Seen = new List<string>();
        public FileRestoreStatus FileStatus = FileRestoreStatus.Undefined;

        protected override bool OnIdentify(WriterMetadata metadata)
        {
            metadata.AddComponent(ComponentType.FileGroup, "Data", "Orders", null);
            return true;
        }

        protected override bool OnPrepareBackup(WriterComponents components)
        {
            components[0].SetText(ComponentText.BackupMetadata, "lsn=42 ✓");
            components[0].SetText(ComponentText.BackupStamp, "stamp-6");
            return true;
        }

        protected override bool OnPreRestore(WriterComponents components)
        {
            WriterComponent orders = components[0];
            Seen.Add(orders.Name + "|" + orders.SelectedForRestore + "|" + orders.BackupMetadata + "|" +
                     orders.GetText(ComponentText.RestoreOptions));
            return true;
        }

        protected override bool OnPostRestore(WriterComponents components)
        {
            FileStatus = components[0].FileRestoreStatus;
            SetFailureEx(HResults.VSS_E_WRITERERROR_NONRETRYABLE, 0x81, "log 9 is damaged");
            return false;
        }
    }

    static void RestoreRoundTrip()
    {
        string xml;
        using (var coordinator = Coordinator.Create())
        using (var writer = new RestoreWriter(coordinator)) {
            writer.Subscribe();
            using (var requester = new Requester(coordinator)) {
                requester.InitializeForBackup();
                requester.SetBackupState(true, false, BackupType.Full);
                requester.GatherWriterMetadata();
                requester.AddAllComponents();
                ThrowsVss(HResults.VSS_E_BAD_STATE, () => requester.SaveDocument(), "SaveAsXML before PrepareForBackup");
                requester.StartSnapshotSet();
                requester.AddToSnapshotSet("C:\\");
                requester.PrepareForBackup();
                requester.DoSnapshotSet();
                requester.BackupComplete();
                xml = requester.SaveDocument();
            }
        }
        True(xml.Contains("lsn=42 ✓"), "the document holds the backup metadata");

        using (var coordinator = Coordinator.Create())
        using (var writer = new RestoreWriter(coordinator)) {
            writer.Subscribe();
            using (var requester = new Requester(coordinator)) {
                ThrowsVss(HResults.VSS_E_INVALID_XML_DOCUMENT, () => requester.InitializeForRestore("<BACKUP_COMPONENTS/>"),
                          "a document of no known version");
                requester.InitializeForRestore(xml);
                requester.GatherWriterMetadata();
                ThrowsVss(HResults.VSS_E_OBJECT_NOT_FOUND,
                          () => requester.SelectForRestore(WriterClass, ComponentType.FileGroup, "Data", "Nope"), "unknown component");
                requester.SelectForRestore(WriterClass, ComponentType.FileGroup, "Data", "Orders");
                requester.SetRestoreOptions(WriterClass, ComponentType.FileGroup, "Data", "Orders", "overwrite");
                requester.SetRestoreState(RestoreType.ByCopy);
                requester.PreRestore();
                requester.SetFileRestoreStatus(WriterClass, ComponentType.FileGroup, "Data", "Orders", FileRestoreStatus.All);
                requester.PostRestore();
                Equal("Orders|True|lsn=42 ✓|overwrite", string.Join(",", writer.Seen), "what OnPreRestore read");
                Equal(FileRestoreStatus.All, writer.FileStatus, "what OnPostRestore read");
                requester.GatherWriterStatus();
                WriterStatus status = requester.GetWriterStatus(0);
                Equal(WriterState.FailedAtPostRestore, status.State, "state");
                Equal(HResults.VSS_E_WRITERERROR_NONRETRYABLE, status.WriterFailure, "writer failure");
                Equal("log 9 is damaged", status.Message, "message");
            }
        }
    }

    class ThrowingWriter : Writer
    {
        public ThrowingWriter(Coordinator coordinator) : base(WriterClass, "Throwing Writer", null, coordinator) { }

        protected override bool OnPrepareSnapshot() { throw new InvalidOperationException("boom in OnPrepareSnapshot"); }
    }

    class RecordingWriter : Writer
    {
        public RecordingWriter(Coordinator coordinator, WriterOptions options = null)
            : base(WriterClass, "Recording Writer", options, coordinator) { }

        readonly object _lock = new object();
        readonly List<string> _events = new List<string>();
        public readonly HashSet<int> Threads = new HashSet<int>();
        public readonly ManualResetEvent ShutdownSeen = new ManualResetEvent(false);
        public Guid ShutdownSetId;
        public Exception DisposeInsideHandler;

        public string[] Events { get { lock (_lock) { return _events.ToArray(); } } }

        bool Record(string name)
        {
            lock (_lock) {
                _events.Add(name);
                Threads.Add(Thread.CurrentThread.ManagedThreadId);
            }
            return true;
        }

        protected override bool OnIdentify(WriterMetadata metadata)
        {
            metadata.AddComponent(ComponentType.Database, null, "Main", null);
            metadata.AddDatabaseFiles(null, "Main", "/var/db", "main.mdf");
            metadata.AddDatabaseLogFiles(null, "Main", "/var/db", "main.ldf");
            metadata.AddIncludeFiles("/var/db", "*.cfg");
            return Record("Identify");
        }
        protected override bool OnPrepareBackup(WriterComponents components) { return Record("PrepareBackup"); }
        protected override bool OnPrepareSnapshot() { return Record("PrepareSnapshot"); }
        protected override bool OnFreeze() { return Record("Freeze"); }
        protected override bool OnThaw()
        {
            try {
                Dispose();
            } catch (Exception e) {
                DisposeInsideHandler = e;
            }
            return Record("Thaw");
        }
        protected override bool OnAbort() { return Record("Abort"); }
        protected override bool OnPostSnapshot(WriterComponents components) { return Record("PostSnapshot"); }
        protected override bool OnBackupComplete(WriterComponents components) { return Record("BackupComplete"); }
        protected override bool OnBackupShutdown(Guid snapshotSetId)
        {
            ShutdownSetId = snapshotSetId;
            Record("BackupShutdown");
            ShutdownSeen.Set();
            return true;
        }
    }

    class BlockingWriter : Writer
    {
        public BlockingWriter(Coordinator coordinator) : base(WriterClass, "Blocking Writer", null, coordinator) { }

        public readonly ManualResetEvent Entered = new ManualResetEvent(false);
        public readonly ManualResetEvent Release = new ManualResetEvent(false);

        protected override bool OnPrepareBackup(WriterComponents components)
        {
            Entered.Set();
            Release.WaitOne();
            return true;
        }
    }

    class ShutdownWriter : Writer
    {
        public ShutdownWriter(Coordinator coordinator) : base(WriterClass, "Shutdown Writer", null, coordinator) { }

        protected override bool OnFreeze() { return true; }
        protected override bool OnBackupShutdown(Guid snapshotSetId) { return true; }
    }

    class SelectiveWriter : Writer
    {
        public SelectiveWriter(Coordinator coordinator) : base(WriterClass, "Selective Writer", null, coordinator) { }

        public readonly List<string> Seen = new List<string>();

        protected override bool OnIdentify(WriterMetadata metadata)
        {
            foreach (string name in new[] { "Alpha", "Beta" }) {
                metadata.AddComponent(ComponentType.FileGroup, "Data", name);
                metadata.AddFiles(FileKind.FileGroup, "Data", name, "/srv/" + name, "*", true);
            }
            return true;
        }

        protected override bool OnPrepareBackup(WriterComponents components)
        {
            foreach (WriterComponent component in components) {
                Seen.Add(component.ToString());
            }
            SetFailure(HResults.VSS_E_WRITERERROR_OUTOFRESOURCES);
            return false;
        }
    }

    class NamedWriter : Writer
    {
        public NamedWriter(Coordinator coordinator, string name) : base(WriterClass, name, null, coordinator) { }
    }

    // ---- tests --------------------------------------------------------------------------

    static void LibraryHelpers()
    {
        True(!string.IsNullOrEmpty(Vss.Version), "a version");
        Equal(Vss.BindingAbiVersion, Vss.AbiVersion, "ABI version");
        Equal("VSS_E_WRITERERROR_RETRYABLE", Vss.HResultName(HResults.VSS_E_WRITERERROR_RETRYABLE), "name");
        Equal("VSS_E_WRITERERROR_TIMEOUT", Vss.HResultName(HResults.VSS_E_WRITERERROR_TIMEOUT), "name");
        Equal("0x12345678", Vss.HResultName(0x12345678), "unknown name");
        True(Vss.HResultMeaning(HResults.VSS_E_BAD_STATE).Length > 0, "a meaning");
        Equal("FAILED_AT_FREEZE", Vss.WriterStateName(WriterState.FailedAtFreeze), "state name");
        Equal("STABLE", Vss.WriterStateName(WriterState.Stable), "state name");
        Equal("?", Vss.WriterStateName(99), "state out of range");
        Equal(RetryClass.AfterWait, Vss.IsRetryable(HResults.VSS_E_WRITERERROR_RETRYABLE), "retryable");
        Equal(RetryClass.ShortBackOff, Vss.IsRetryable(HResults.VSS_E_SNAPSHOT_SET_IN_PROGRESS), "short back-off");
        Equal(RetryClass.No, Vss.IsRetryable(HResults.VSS_E_WRITERERROR_NONRETRYABLE), "not retryable");
        var made = new VssException(HResults.VSS_E_WRITERERROR_TIMEOUT);
        Equal(HResults.VSS_E_WRITERERROR_TIMEOUT, made.HResult, "HResult of a made exception");
        Equal("VSS_E_WRITERERROR_TIMEOUT", made.Name, "Name of a made exception");
        True(made.Message.StartsWith("VSS_E_WRITERERROR_TIMEOUT ("), "Message of a made exception: " + made.Message);
    }

    static void FreezeRetryable()
    {
        using (var coordinator = Coordinator.Create())
        using (var writer = new FreezeFailsWriter(coordinator)) {
            writer.Subscribe();
            using (var requester = new Requester(coordinator)) {
                BackupThroughSnapshot(requester); // a writer's veto does not fail DoSnapshotSet
                requester.GatherWriterStatus();
                List<WriterStatus> statuses = requester.GetWriterStatuses();
                Equal(1, statuses.Count, "status rows");
                WriterStatus status = statuses[0];
                Equal("Freeze Writer", status.Name, "name");
                Equal(WriterState.FailedAtFreeze, status.State, "state");
                Equal("FAILED_AT_FREEZE", status.StateName, "state name");
                Equal(HResults.VSS_E_WRITERERROR_RETRYABLE, status.WriterFailure, "hr_failure_writer");
                Equal(AppCode, status.ApplicationError, "hr_application");
                Equal(Message, status.Message, "message");
                Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(Message)),
                      Convert.ToBase64String(Encoding.UTF8.GetBytes(status.Message)), "message bytes");
                True(status.Failed, "Failed");
                Equal(writer.InstanceId, status.InstanceId, "instance id");
                Equal(WriterClass, status.ClassId, "class id");
                Equal(requester.SessionId, writer.SessionSeen, "the writer's session id is the requester's");
                True(writer.ThreadSeen != 0 && writer.ThreadSeen != Thread.CurrentThread.ManagedThreadId,
                     "OnFreeze ran on another thread");
                Equal(RetryClass.AfterWait, Vss.IsRetryable(status.WriterFailure), "retry class");
                Equal("Freeze Writer: FAILED_AT_FREEZE VSS_E_WRITERERROR_RETRYABLE 0x80070020 " + Message,
                      status.ToString(), "ToString");
                Equal(null, writer.LastHandlerException, "no handler threw");
            }
        }
    }

    static void PartialFailure()
    {
        using (var coordinator = Coordinator.Create())
        using (var writer = new PartialFailureWriter(coordinator)) {
            writer.Subscribe();
            using (var requester = new Requester(coordinator)) {
                Guid snapshotId;
                Guid set = BackupThroughSnapshot(requester, true, out snapshotId);

                Equal(null, writer.LastHandlerException, "no handler threw");
                Equal("Data\\Alpha|Data\\Beta", string.Join("|", writer.Seen), "components the writer saw");

                Equal(1, requester.WriterCount, "writers");
                WriterIdentity identity = requester.GetWriterIdentities()[0];
                Equal("Partial Writer", identity.Name, "identity name");
                Equal(WriterClass, identity.ClassId, "identity class");
                Equal(writer.InstanceId, identity.InstanceId, "identity instance");
                Equal(UsageType.UserData, identity.Usage, "usage");
                Equal(SourceType.Other, identity.Source, "source");
                Equal(2, identity.ComponentCount, "component count");
                List<ComponentInfo> infos = requester.GetWriterComponents(0);
                Equal(2, infos.Count, "component infos");
                Equal("Beta", infos[1].Name, "info name");
                Equal("Data", infos[1].LogicalPath, "info logical path");
                Equal("the Beta files", infos[1].Caption, "info caption");
                Equal(ComponentType.FileGroup, infos[1].Type, "info type");
                Equal(true, infos[1].Selectable, "selectable");
                Equal(1, infos[1].FileCount, "file count");

                requester.GatherWriterStatus();
                WriterStatus status = requester.GetWriterStatus(0);
                Equal(HResults.VSS_E_WRITERERROR_PARTIAL_FAILURE, status.WriterFailure, "writer failure");
                Equal("one of two", status.Message, "writer message");

                Equal(2, requester.ComponentCount, "selected components");
                List<ComponentFailure> failures = requester.GetComponentFailures();
                Equal(2, failures.Count, "component failure rows");
                Equal("Alpha", failures[0].Name, "first component");
                Equal(HResults.S_OK, failures[0].Failure, "Alpha did not fail");
                True(!failures[0].Failed, "Alpha not Failed");
                ComponentFailure beta = failures[1];
                Equal("Beta", beta.Name, "second component");
                Equal("Data", beta.LogicalPath, "its logical path");
                Equal(HResults.VSS_E_WRITERERROR_NONRETRYABLE, beta.Failure, "its failure");
                Equal(7, beta.ApplicationError, "its application code");
                Equal("Beta corrompu – 损坏", beta.Message, "its message");
                Equal(writer.InstanceId, beta.InstanceId, "its writer");
                Equal(WriterClass, beta.ClassId, "its writer class");
                ThrowsVss(HResults.VSS_E_OBJECT_NOT_FOUND, () => requester.GetComponentFailure(2), "a third component");

                SnapshotProperties props = requester.GetSnapshotProperties(snapshotId);
                Equal(snapshotId, props.SnapshotId, "snapshot id");
                Equal(set, props.SnapshotSetId, "snapshot set id");
                Equal("C:\\", props.OriginalVolume, "original volume");
                Equal(1, props.SnapshotsInSet, "snapshots in set");
                True(!string.IsNullOrEmpty(props.DeviceName), "a device name");
                True(props.CreationTimeUtc.Year >= 2020, "a creation time: " + props.CreationTimeUtc);

                // The handler's objects die with the handler.
                Throws<ObjectDisposedException>(() => writer.KeptMetadata.AddComponent(ComponentType.FileGroup, null, "Late"),
                                                "metadata after OnIdentify");
                Throws<ObjectDisposedException>(() => { int n = writer.KeptComponents.Count; }, "components after the handler");
            }
        }
    }

    static void BadArguments()
    {
        using (var coordinator = Coordinator.Create()) {
            // An invalid step value.
            using (var requester = new Requester(coordinator)) {
                VssException e = ThrowsVss(HResults.E_INVALIDARG, () => requester.Run((BackupStep)99), "step 99");
                True(e.NativeMessage.Contains("vss_requester_run"), "message names the function: " + e.NativeMessage);
                Equal(RetryClass.No, e.RetryClass, "E_INVALIDARG is not retryable");
                Throws<VssException>(() => requester.Start((BackupStep)(-1)), "step -1 async");

                // DoSnapshotSet right after create.
                e = ThrowsVss(HResults.VSS_E_BAD_STATE, () => requester.DoSnapshotSet(), "DoSnapshotSet first");
                Equal("vss_requester_run: VSS_E_BAD_STATE (DoSnapshotSet before PrepareForBackup completed (admitted only after PrepareForBackup))", // C-3.8: the reason in words
                      e.NativeMessage, "the library's message");
                Equal(e.NativeMessage, e.Message, "Message is the library's message");

                // Null where a name is required, negative indexes.
                ThrowsVss(HResults.E_INVALIDARG,
                          () => requester.AddComponent(Guid.NewGuid(), WriterClass, ComponentType.FileGroup, null, null),
                          "AddComponent without a name");
                ThrowsVss(HResults.E_INVALIDARG, () => requester.AddToSnapshotSet(null), "AddToSnapshotSet(null)");
                Throws<ArgumentOutOfRangeException>(() => requester.GetWriterStatus(-1), "index -1");
                Throws<VssException>(() => requester.GetWriterStatus(0), "a status row before any GatherWriterStatus");
            }

            // A writer without a name.
            VssException noName = ThrowsVss(HResults.E_INVALIDARG, () => new NamedWriter(coordinator, null), "writer without a name");
            True(noName.NativeMessage.Contains("vss_writer_create"), "message names the function: " + noName.NativeMessage);

            // SetFailureEx outside a handler; a real clock cannot be advanced.
            using (var writer = new NamedWriter(coordinator, "Idle Writer")) {
                ThrowsVss(HResults.VSS_E_BAD_STATE,
                          () => writer.SetFailureEx(HResults.VSS_E_WRITERERROR_RETRYABLE, 0, "outside"), "SetFailureEx outside a handler");
                writer.Dispose();
                True(writer.IsDisposed, "IsDisposed");
                Throws<ObjectDisposedException>(() => writer.Subscribe(), "Subscribe after Dispose");
                writer.Dispose(); // twice is fine
            }
            ThrowsVss(HResults.VSS_E_BAD_STATE, () => coordinator.AdvanceClock(TimeSpan.FromMilliseconds(1)), "advancing a real clock");

            // Handles used after Dispose.
            var closed = new Requester(coordinator);
            closed.Dispose();
            Throws<ObjectDisposedException>(() => closed.InitializeForBackup(), "a disposed requester");
            closed.Dispose();
        }
        var gone = Coordinator.Create();
        gone.Dispose();
        Throws<ObjectDisposedException>(() => new Requester(gone), "a requester on a disposed coordinator");
        Throws<ObjectDisposedException>(() => new NamedWriter(gone, "x"), "a writer on a disposed coordinator");
    }

    static void AsyncSteps()
    {
        using (var coordinator = Coordinator.Create())
        using (var writer = new FreezeFailsWriter(coordinator)) {
            writer.Subscribe();
            using (var requester = new Requester(coordinator)) {
                requester.InitializeForBackup();
                using (AsyncOperation gather = requester.Start(BackupStep.GatherWriterMetadata)) {
                    Equal(BackupStep.GatherWriterMetadata, gather.Step, "step");
                    True(gather.Wait(), "finished");
                    Equal(HResults.VSS_S_ASYNC_FINISHED, gather.Status, "status");
                    gather.ThrowIfFailed();
                    Equal(HResults.VSS_S_ASYNC_FINISHED, gather.Cancel(), "cancel after the end");
                }
                Equal(1, requester.WriterCount, "writers gathered");
                requester.StartSnapshotSet();
                requester.AddToSnapshotSet("C:\\");
                Equal(HResults.S_OK, requester.RunAsync(BackupStep.PrepareForBackup).Result, "RunAsync");
                using (AsyncOperation snapshot = requester.Start(BackupStep.DoSnapshotSet)) {
                    True(snapshot.Wait(TimeSpan.FromMinutes(1)), "DoSnapshotSet finished");
                    Equal(HResults.VSS_S_ASYNC_FINISHED, snapshot.Status, "DoSnapshotSet status");
                    True(!snapshot.IsPending, "not pending");
                }
                using (AsyncOperation status = requester.Start(BackupStep.GatherWriterStatus)) {
                    status.Wait();
                    status.ThrowIfFailed();
                }
                Equal(WriterState.FailedAtFreeze, requester.GetWriterStatus(0).State, "the freeze failure, read after async steps");
                // A failing step: its failure is the async status, and RunAsync's task faults.
                using (var other = new Requester(coordinator)) {
                    var failed = Throws<AggregateException>(() => { int r = other.RunAsync(BackupStep.DoSnapshotSet).Result; }, "RunAsync of a bad step");
                    True(failed.InnerException is VssException, "VssException inside the task");
                    Equal(HResults.VSS_E_BAD_STATE, failed.InnerException.HResult, "BAD_STATE inside the task");
                }
            }
        }
    }

    static void AsyncVirtualClock()
    {
        using (var coordinator = Coordinator.Create(new CoordinatorOptions { VirtualClock = true, Workers = 4 }))
        using (var writer = new BlockingWriter(coordinator)) {
            writer.Subscribe();
            try {
                using (var requester = new Requester(coordinator)) {
                    requester.InitializeForBackup();
                    requester.GatherWriterMetadata();
                    using (AsyncOperation prepare = requester.Start(BackupStep.PrepareForBackup)) {
                        True(writer.Entered.WaitOne(TimeSpan.FromSeconds(30)), "OnPrepareBackup entered");
                        Equal(HResults.VSS_S_ASYNC_PENDING, prepare.Status, "pending while the writer works");
                        True(prepare.IsPending, "IsPending");
                        // The event timeout runs on the virtual clock: ten minutes pass at once.
                        coordinator.AdvanceClock(TimeSpan.FromMilliseconds(600001));
                        True(prepare.Wait(), "finished after the timeout");
                        Equal(HResults.VSS_S_ASYNC_FINISHED, prepare.Status, "finished");
                        Equal(HResults.VSS_S_ASYNC_FINISHED, prepare.Cancel(), "cancel after the end");
                    }
                    requester.GatherWriterStatus();
                    Equal(HResults.VSS_E_WRITER_NOT_RESPONDING, requester.GetWriterStatus(0).WriterFailure, "not responding");
                    writer.Release.Set();
                }
            } finally {
                writer.Release.Set(); // Dispose waits for the running handler
            }
        }
    }

    static void HandlerThrows()
    {
        using (var coordinator = Coordinator.Create())
        using (var writer = new ThrowingWriter(coordinator)) {
            writer.Subscribe();
            using (var requester = new Requester(coordinator)) {
                BackupThroughSnapshot(requester);
                requester.GatherWriterStatus();
                WriterStatus status = requester.GetWriterStatus(0);
                Equal(WriterState.FailedAtPrepareSnapshot, status.State, "state");
                Equal(HResults.VSS_E_WRITERERROR_NONRETRYABLE, status.WriterFailure, "a thrown exception is NONRETRYABLE");
                True(writer.LastHandlerException is InvalidOperationException, "the exception is kept");
                Equal("boom in OnPrepareSnapshot", writer.LastHandlerException.Message, "its message");
            }
        }
    }

    static void HandlerSequence()
    {
        using (var coordinator = Coordinator.Create())
        using (var writer = new RecordingWriter(coordinator)) {
            writer.Subscribe();
            Guid set;
            using (var requester = new Requester(coordinator)) {
                set = BackupThroughSnapshot(requester, true);
                requester.BackupComplete();
                requester.GatherWriterStatus();
                WriterStatus status = requester.GetWriterStatus(0);
                Equal(WriterState.Stable, status.State, "state after a good backup");
                Equal(HResults.S_OK, status.WriterFailure, "no failure");
                Equal(null, status.Message, "no message");
                Equal(1, requester.GetWriterComponents(0)[0].DatabaseCount, "database files");
                Equal(1, requester.GetWriterComponents(0)[0].LogCount, "log files");
            }
            True(writer.ShutdownSeen.WaitOne(TimeSpan.FromSeconds(30)), "OnBackupShutdown after the requester's release");
            Equal(set, writer.ShutdownSetId, "OnBackupShutdown's snapshot set id");
            Equal("Identify PrepareBackup PrepareSnapshot Freeze Thaw PostSnapshot BackupComplete BackupShutdown",
                  string.Join(" ", writer.Events), "handler order");
            True(!writer.Threads.Contains(Thread.CurrentThread.ManagedThreadId), "no handler on the requester's thread");
            True(writer.DisposeInsideHandler is InvalidOperationException, "Dispose inside a handler is refused");
            Equal(null, writer.LastHandlerException, "no handler threw");
        }
    }

    static void AbortSendsOnAbort()
    {
        using (var coordinator = Coordinator.Create())
        using (var writer = new RecordingWriter(coordinator)) {
            writer.Subscribe();
            using (var requester = new Requester(coordinator)) {
                requester.InitializeForBackup();
                requester.SetContext(SnapshotContext.Backup);
                requester.GatherWriterMetadata();
                requester.StartSnapshotSet();
                requester.AddToSnapshotSet("C:\\");
                requester.PrepareForBackup();
                requester.Abort();
            }
            True(writer.ShutdownSeen.WaitOne(TimeSpan.FromSeconds(30)), "OnBackupShutdown");
            True(Array.IndexOf(writer.Events, "Abort") >= 0, "OnAbort ran: " + string.Join(" ", writer.Events));
        }
    }

    static void SelectOneAndSetFailure()
    {
        using (var coordinator = Coordinator.Create())
        using (var writer = new SelectiveWriter(coordinator)) {
            writer.Subscribe();
            using (var requester = new Requester(coordinator)) {
                requester.InitializeForBackup();
                requester.SetBackupState(true, false, BackupType.Copy);
                requester.GatherWriterMetadata();
                WriterIdentity identity = requester.GetWriterIdentity(0);
                requester.AddComponent(identity.InstanceId, identity.ClassId, ComponentType.FileGroup, "Data", "Beta");
                ThrowsVss(HResults.VSS_E_OBJECT_ALREADY_EXISTS,
                          () => requester.AddComponent(identity.InstanceId, identity.ClassId, ComponentType.FileGroup, "Data", "Beta"),
                          "the same component twice");
                requester.StartSnapshotSet();
                requester.AddToSnapshotSet("C:\\");
                requester.PrepareForBackup(); // a writer's veto does not fail the step
                Equal("Data\\Beta", string.Join("|", writer.Seen), "the writer sees the one selected component");
                requester.GatherWriterStatus();
                WriterStatus status = requester.GetWriterStatus(0);
                Equal(WriterState.FailedAtPrepareBackup, status.State, "state");
                Equal(HResults.VSS_E_WRITERERROR_OUTOFRESOURCES, status.WriterFailure, "SetFailure's code");
                Equal(null, status.Message, "no message without Ex");
                Equal(1, requester.ComponentCount, "one selected component");
                Equal("Beta", requester.GetComponentFailure(0).Name, "the selected component");
            }
        }
    }

    static void SubscribeAndIdentity()
    {
        using (var coordinator = Coordinator.Create()) {
            var options = new WriterOptions {
                InstanceName = "instance ✓ 一",
                Usage = UsageType.SystemService,
                Source = SourceType.TransactedDb,
                Level = ApplicationLevel.BackEnd,
                FreezeTimeout = TimeSpan.FromSeconds(30),
                VersionMajor = 2,
                VersionMinor = 5,
            };
            using (var writer = new RecordingWriter(coordinator, options)) {
                True(writer.InstanceId != Guid.Empty, "an instance id before subscribing");
                writer.Subscribe();
                writer.Unsubscribe();
                using (var requester = new Requester(coordinator)) {
                    requester.InitializeForBackup();
                    requester.GatherWriterMetadata();
                    Equal(0, requester.WriterCount, "no writer after Unsubscribe");
                }
                writer.Subscribe();
                using (var requester = new Requester(coordinator)) {
                    requester.InitializeForBackup();
                    requester.GatherWriterMetadata();
                    Equal(1, requester.WriterCount, "the writer after Subscribe");
                    WriterIdentity identity = requester.GetWriterIdentity(0);
                    Equal("Recording Writer", identity.Name, "name");
                    Equal("instance ✓ 一", identity.InstanceName, "instance name");
                    Equal(UsageType.SystemService, identity.Usage, "usage");
                    Equal(SourceType.TransactedDb, identity.Source, "source");
                    Equal(writer.InstanceId, identity.InstanceId, "instance id");
                }
            }
        }
    }

    // The writer is created and subscribed in a method of its own, so that nothing on this
    // stack references it while the GC runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference SubscribeUnreferencedWriter(Coordinator coordinator)
    {
        var writer = new FreezeFailsWriter(coordinator, "Unreferenced Writer");
        writer.Subscribe();
        return new WeakReference(writer);
    }

    static void CollectEverything()
    {
        for (int i = 0; i < 3; ++i) {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    static void GcKeepsSubscribedWriter()
    {
        using (var coordinator = Coordinator.Create()) {
            WeakReference weak = null;
            var thread = new Thread(() => weak = SubscribeUnreferencedWriter(coordinator));
            thread.Start();
            thread.Join();
            CollectEverything();
            True(weak.IsAlive, "a subscribed writer stays alive");
            using (var requester = new Requester(coordinator)) {
                BackupThroughSnapshot(requester);
                CollectEverything(); // between the handlers, too
                requester.GatherWriterStatus();
                WriterStatus status = requester.GetWriterStatus(0);
                Equal(HResults.VSS_E_WRITERERROR_RETRYABLE, status.WriterFailure, "its OnFreeze still ran");
                Equal(Message, status.Message, "its message");
            }
            ((Writer)weak.Target).Dispose();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference[] ForgetWriterAndRequester(Coordinator coordinator)
    {
        var writer = new NamedWriter(coordinator, "Forgotten Writer");
        writer.Subscribe();
        writer.Unsubscribe();
        var requester = new Requester(coordinator);
        requester.InitializeForBackup();
        return new[] { new WeakReference(writer), new WeakReference(requester) };
    }

    static void GcReleasesForgotten()
    {
        using (var coordinator = Coordinator.Create()) {
            // On a thread of its own: Mono scans stacks conservatively, so a stale slot on
            // this thread's stack could keep them alive.
            WeakReference[] forgotten = null;
            var thread = new Thread(() => forgotten = ForgetWriterAndRequester(coordinator));
            thread.Start();
            thread.Join();
            CollectEverything();
            True(!forgotten[0].IsAlive, "the unsubscribed writer was collected");
            True(!forgotten[1].IsAlive, "the requester was collected");
            // The coordinator still works after the finalizers released them.
            using (var writer = new FreezeFailsWriter(coordinator)) {
                writer.Subscribe();
                using (var requester = new Requester(coordinator)) {
                    BackupThroughSnapshot(requester);
                    requester.GatherWriterStatus();
                    Equal(1, requester.StatusCount, "one writer left");
                }
            }
        }
    }

    static void DefaultCoordinator()
    {
        using (Coordinator.Default())
        using (var requester = new Requester()) {
            requester.InitializeForBackup();
            requester.GatherWriterMetadata();
            True(requester.WriterCount >= 0, "the default coordinator answers");
            True(requester.SessionId != Guid.Empty, "a session id");
        }
    }

    // ---- scenario files -----------------------------------------------------------------

    // examples/scenarios at the repository root: VSSAPI_EXAMPLE_SCENARIOS (set by meson.build),
    // else found from the source directory given on the command line.
    static string ExampleScenario(string name)
    {
        string dir = Environment.GetEnvironmentVariable("VSSAPI_EXAMPLE_SCENARIOS");
        if (string.IsNullOrEmpty(dir) && s_sourceDir != null) {
            dir = Path.Combine(s_sourceDir, "..", "..", "examples", "scenarios");
        }
        if (string.IsNullOrEmpty(dir)) {
            throw new Exception("set VSSAPI_EXAMPLE_SCENARIOS to the repository's examples/scenarios");
        }
        return Path.Combine(dir, name);
    }

    // Simulated time: the examples' timeouts (600 s) pass at once.
    static Coordinator SimulatedCoordinator()
    {
        return Coordinator.Create(new CoordinatorOptions { Clock = ClockKind.Simulated });
    }

    static WriterStatus StatusOf(Requester requester, string name)
    {
        WriterStatus found = requester.GetWriterStatuses().Find(s => s.Name == name);
        True(found != null, "a status row for " + name);
        return found;
    }

    static void ScenarioPartialFailure()
    {
        using (var coordinator = SimulatedCoordinator())
        using (Scenario.Load(coordinator, ExampleScenario("partial-failure.json")))
        using (var requester = new Requester(coordinator)) {
            BackupThroughSnapshot(requester, true);
            requester.GatherWriterStatus();
            WriterStatus mail = StatusOf(requester, "Mail Store Writer");
            Equal(WriterState.FailedAtPostSnapshot, mail.State, "state");
            Equal(HResults.VSS_E_WRITERERROR_PARTIAL_FAILURE, mail.WriterFailure, "writer failure");
            Equal("1 of 2 mailbox databases failed", mail.Message, "writer message");
            List<ComponentFailure> failed = requester.GetComponentFailures().FindAll(f => f.Failed);
            Equal(1, failed.Count, "failed components");
            Equal("Mail", failed[0].LogicalPath, "logical path");
            Equal("Mailbox B", failed[0].Name, "name");
            Equal(HResults.VSS_E_WRITERERROR_NONRETRYABLE, failed[0].Failure, "component failure");
            Equal(unchecked((int)0x80040115), failed[0].ApplicationError, "application code");
            Equal("Mailbox B: database header checksum mismatch", failed[0].Message, "component message");
        }
    }

    static void ScenarioHungWriter()
    {
        using (var coordinator = SimulatedCoordinator())
        using (Scenario.Load(coordinator, ExampleScenario("hung-writer.json")))
        using (var requester = new Requester(coordinator)) {
            Stopwatch started = Stopwatch.StartNew();
            BackupThroughSnapshot(requester);
            requester.GatherWriterStatus();
            Equal(HResults.VSS_E_WRITER_NOT_RESPONDING, StatusOf(requester, "Search Index Writer").WriterFailure, "hung writer");
            True(started.Elapsed < TimeSpan.FromSeconds(60), "not the 600 s event timeout: " + started.Elapsed);
        }
    }

    static void ScenarioBadText()
    {
        using (var coordinator = SimulatedCoordinator()) {
            VssException e = ThrowsVss(HResults.E_INVALIDARG,
                                       () => Scenario.FromText(coordinator, "{\"writers\": [{\"name\": \"W\", \"class_id\": 42}]}"),
                                       "a class_id that is not a GUID");
            True(e.Message.Contains("<text>:1:"), "the position: " + e.Message);
            True(e.Message.Contains("writers[0].class_id"), "the member: " + e.Message);
            using (var requester = new Requester(coordinator)) {
                requester.InitializeForBackup();
                requester.GatherWriterMetadata();
                requester.GatherWriterStatus();
                Equal(0, requester.WriterCount, "no writer was loaded");
                Equal(0, requester.StatusCount, "no status row");
            }

            // A bad file (non-ASCII name: the path crosses as UTF-8) names itself.
            string dir = Path.Combine(Path.GetTempPath(), "openvss-cs-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try {
                string bad = Path.Combine(dir, "scénario-损坏.json");
                File.WriteAllText(bad, "{\n  \"writers\": [\n    {\"name\": \"W\"}\n  ]\n}\n", new UTF8Encoding(false));
                e = ThrowsVss(HResults.E_INVALIDARG, () => Scenario.Load(coordinator, bad), "a writer without class_id");
                True(e.Message.Contains(bad + ":3:5: writers[0]"), "file:line:column: " + e.Message);
                ThrowsVss(HResults.E_INVALIDARG, () => Scenario.Load(coordinator, Path.Combine(dir, "missing.json")), "a missing file");
            } finally {
                Directory.Delete(dir, true);
            }
        }
    }

    static void ScenarioMisuse()
    {
        using (var coordinator = SimulatedCoordinator()) {
            Throws<ArgumentNullException>(() => Scenario.Load(coordinator, null), "Load(null path)");
            Throws<ArgumentNullException>(() => Scenario.FromText(coordinator, null), "FromText(null)");
            // A simulated clock is not moved by hand.
            ThrowsVss(HResults.VSS_E_BAD_STATE, () => coordinator.AdvanceClock(TimeSpan.FromSeconds(1)), "advancing a simulated clock");
            Scenario scenario = Scenario.Load(coordinator, ExampleScenario("hung-writer.json"));
            True(!scenario.IsDisposed, "loaded");
            scenario.Dispose();
            True(scenario.IsDisposed, "IsDisposed");
            scenario.Dispose(); // twice is fine
            // Released: its writers are gone.
            using (var requester = new Requester(coordinator)) {
                requester.InitializeForBackup();
                requester.GatherWriterMetadata();
                Equal(0, requester.WriterCount, "no writer after Dispose");
            }
        }
        var gone = SimulatedCoordinator();
        gone.Dispose();
        Throws<ObjectDisposedException>(() => Scenario.FromText(gone, "{\"writers\": []}"), "a scenario on a disposed coordinator");

        // The default coordinator (null).
        using (Scenario.FromText(null, "{\"writers\": []}")) { }

        // Clock kinds: VirtualClock is Clock != Real; an unknown kind is the library's E_INVALIDARG.
        var options = new CoordinatorOptions { VirtualClock = true };
        Equal(ClockKind.Manual, options.Clock, "VirtualClock = true is Manual");
        options.Clock = ClockKind.Simulated;
        options.VirtualClock = true;
        Equal(ClockKind.Simulated, options.Clock, "VirtualClock = true keeps Simulated");
        options.VirtualClock = false;
        Equal(ClockKind.Real, options.Clock, "VirtualClock = false is Real");
        ThrowsVss(HResults.E_INVALIDARG, () => Coordinator.Create(new CoordinatorOptions { Clock = (ClockKind)7 }), "clock kind 7");
    }

    static void ExampleRuns()
    {
        int exitCode;
        // With VSSAPI_LIBRARY (the build tree), that alone must find the library; without it
        // (an installed library), LD_LIBRARY_PATH or the system's path does.
        bool viaOverride = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("VSSAPI_LIBRARY"));
        string output = RunChild("--debug \"" + s_exampleExe + "\"", !viaOverride, 60, out exitCode);
        Equal(0, exitCode, "example.exe exit code; output: " + output);
        Equal("Orders Writer: FAILED_AT_FREEZE VSS_E_WRITERERROR_RETRYABLE 0x80070020 orders.mdf is busy – réessayez\n",
              output, "example.exe output");
    }

    // Run as a child process: a backup whose handlers ran on pool threads, then Main returns
    // without disposing anything (Mono finalizes the handles while it shuts down).
    static int ChildForget(bool isolated)
    {
        Coordinator coordinator = isolated ? Coordinator.Create() : null;
        var writer = new ShutdownWriter(coordinator); // few handlers: some pool threads never ran managed code
        writer.Subscribe();
        var requester = new Requester(coordinator);
        BackupThroughSnapshot(requester, true);
        new Requester(coordinator).InitializeForBackup();
        GC.Collect();
        Console.WriteLine("child done");
        return 0;
    }

    static string RunChild(string arguments, bool withLibraryPath, int timeoutSeconds, out int exitCode)
    {
        var start = new ProcessStartInfo(s_mono, arguments) {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (!withLibraryPath) {
            start.EnvironmentVariables.Remove("LD_LIBRARY_PATH");
        }
        start.EnvironmentVariables["LANG"] = "C.UTF-8"; // Mono writes UTF-8 only in a UTF-8 locale
        start.EnvironmentVariables.Remove("LC_ALL");
        using (Process process = Process.Start(start)) {
            string stdout = null, stderr = null;
            var readOut = new Thread(() => stdout = process.StandardOutput.ReadToEnd());
            var readErr = new Thread(() => stderr = process.StandardError.ReadToEnd());
            readOut.Start();
            readErr.Start();
            if (!process.WaitForExit(timeoutSeconds * 1000)) {
                process.Kill();
                readOut.Join();
                throw new Exception(string.Format("mono {0} did not exit within {1} s; output: {2}", arguments, timeoutSeconds, stdout));
            }
            readOut.Join();
            readErr.Join();
            exitCode = process.ExitCode;
            if (exitCode != 0) {
                stdout += "\n(stderr: " + stderr + ")";
            }
            return stdout;
        }
    }

    static void ForgetfulProcessExits()
    {
        string self = typeof(Tests).Assembly.Location;
        foreach (string mode in new[] { "default", "isolated" }) {
            for (int i = 0; i < 10; ++i) {
                int exitCode;
                string output = RunChild("--debug \"" + self + "\" --child-forget " + mode, true, 20, out exitCode);
                Equal(0, exitCode, mode + " coordinator, exit code; output: " + output);
                Equal("child done\n", output, mode + " coordinator, output");
            }
        }
    }

    // ---- snapshot providers (flat API 1.1) ----------------------------------------------

    internal static readonly Guid ProviderId = new Guid("c0ffee00-0000-4000-8000-0000000000c5");
    const string DeviceSuffix = "\\データ";

    // Every step recorded; volumes under Z:\ only (Z:\missing does not exist); commit fails on demand.
    class RecorderProvider : SnapshotProvider
    {
        public RecorderProvider(string name = "C# test provider ✓", string version = "2.1") : base(ProviderId, name, version) { }

        readonly object _lock = new object();
        readonly List<string> _steps = new List<string>();
        public readonly HashSet<int> Threads = new HashSet<int>();
        public readonly HashSet<Guid> Sets = new HashSet<Guid>();
        public readonly List<Guid> Snapshots = new List<Guid>();
        public readonly List<Guid> Deleted = new List<Guid>();
        public readonly List<string> Volumes = new List<string>();
        public Func<bool> Commit = () => true;   // what CommitSnapshots does
        public Func<Guid, string> Device = id => "Z:\\snapshots\\" + id + DeviceSuffix;
        public Coordinator UnregisterInCommit;  // set: CommitSnapshots tries to unregister itself from it
        public Exception UnregisterError;

        public string Steps { get { lock (_lock) { return string.Join(" ", _steps); } } }

        public void ClearSteps() { lock (_lock) { _steps.Clear(); } }

        void Note(string step, Guid set)
        {
            lock (_lock) {
                _steps.Add(step);
                Threads.Add(Thread.CurrentThread.ManagedThreadId);
                if (set != Guid.Empty) {
                    Sets.Add(set);
                }
            }
        }

        protected override bool IsVolumeSupported(string volume)
        {
            if (volume == "Z:\\missing") {
                throw new VssException(HResults.VSS_E_OBJECT_NOT_FOUND);
            }
            if (volume == "Z:\\boom") {
                throw new InvalidOperationException("boom in IsVolumeSupported");
            }
            return volume.StartsWith("Z:\\", StringComparison.Ordinal);
        }

        protected override bool PrepareForSnapshot(Guid snapshotSetId, Guid snapshotId, string volume)
        {
            lock (_lock) {
                Snapshots.Add(snapshotId);
                Volumes.Add(volume);
            }
            Note("prepare", snapshotSetId);
            return true;
        }

        protected override bool EndPrepareSnapshots(Guid snapshotSetId) { Note("end_prepare_snapshots", snapshotSetId); return true; }
        protected override bool PreCommitSnapshots(Guid snapshotSetId) { Note("pre_commit_snapshots", snapshotSetId); return true; }

        protected override bool CommitSnapshots(Guid snapshotSetId)
        {
            Note("commit_snapshots", snapshotSetId);
            CollectEverything(); // the callbacks the library holds must survive a collection
            if (UnregisterInCommit != null) {
                try {
                    UnregisterInCommit.UnregisterProvider(Id);
                } catch (Exception e) {
                    UnregisterError = e;
                }
            }
            return Commit();
        }

        protected override bool PostCommitSnapshots(Guid snapshotSetId, int snapshotCount)
        {
            Note("post_commit_snapshots(" + snapshotCount + ")", snapshotSetId);
            return true;
        }

        protected override bool PreFinalCommitSnapshots(Guid snapshotSetId) { Note("pre_final_commit_snapshots", snapshotSetId); return true; }
        protected override bool PostFinalCommitSnapshots(Guid snapshotSetId) { Note("post_final_commit_snapshots", snapshotSetId); return true; }
        protected override void AbortSnapshots(Guid snapshotSetId) { Note("abort_snapshots", snapshotSetId); }

        protected override string GetSnapshotDevice(Guid snapshotId)
        {
            Note("snapshot_device", Guid.Empty);
            return Device(snapshotId);
        }

        protected override void DeleteSnapshot(Guid snapshotId)
        {
            lock (_lock) {
                Deleted.Add(snapshotId);
            }
            Note("delete_snapshot", Guid.Empty);
        }
    }

    // Only the required step: the library skips the others, and a volume must be a folder that exists.
    class MinimalProvider : SnapshotProvider
    {
        public static int Commits;

        public MinimalProvider(Guid id, string name = "Minimal provider", string version = null) : base(id, name, version) { }

        protected override bool CommitSnapshots(Guid snapshotSetId)
        {
            Interlocked.Increment(ref Commits);
            return true;
        }
    }

    const string Committed = "prepare end_prepare_snapshots pre_commit_snapshots commit_snapshots post_commit_snapshots(1) " +
                             "pre_final_commit_snapshots post_final_commit_snapshots snapshot_device";
    const string AbortedAtCommit = "prepare end_prepare_snapshots pre_commit_snapshots commit_snapshots abort_snapshots";

    static int RegisteredProviders()
    {
        PropertyInfo count = typeof(SnapshotProvider).GetProperty("RegisteredCount", BindingFlags.Static | BindingFlags.NonPublic);
        True(count != null, "SnapshotProvider.RegisteredCount exists");
        return (int)count.GetValue(null, null);
    }

    // InitializeForBackup, GatherWriterMetadata, StartSnapshotSet: returns the set id.
    static Guid UpToSnapshotSet(Requester requester)
    {
        requester.InitializeForBackup();
        requester.GatherWriterMetadata();
        return requester.StartSnapshotSet();
    }

    static void ProvidersListed()
    {
        using (Coordinator coordinator = SimulatedCoordinator()) {
            List<ProviderInfo> providers = coordinator.GetProviders();
            Equal(coordinator.ProviderCount, providers.Count, "ProviderCount");
            Equal(ProviderIds.Simulated, providers[0].Id, "the default provider first");
            var expected = new Dictionary<Guid, string> {
                { ProviderIds.Simulated, "openvss simulated provider" },
                { ProviderIds.Live, "openvss live provider" },
                { ProviderIds.Copy, "openvss copy provider" },
            };
            if (File.Exists("/proc/self/maps")) { // Linux
                expected.Add(ProviderIds.Btrfs, "openvss btrfs provider");
                expected.Add(ProviderIds.Reflink, "openvss reflink provider");
                expected.Add(ProviderIds.Fsfreeze, "openvss fsfreeze provider");
            }
            foreach (KeyValuePair<Guid, string> pair in expected) {
                ProviderInfo found = providers.Find(p => p.Id == pair.Key);
                True(found != null, pair.Value + " (" + pair.Key + ") is listed; the list: " + string.Join("; ", providers));
                True(found.Name.StartsWith(pair.Value, StringComparison.Ordinal), "name of " + found);
                Equal(ProviderType.Software, found.Type, "type of " + found.Name);
                True(!string.IsNullOrEmpty(found.Version), "a version for " + found.Name);
            }
            True(providers.TrueForAll(p => p.Id != ProviderId), "the test provider is not listed before it registers");
            ThrowsVss(HResults.VSS_E_OBJECT_NOT_FOUND, () => coordinator.GetProvider(providers.Count), "past the last provider");
            Throws<ArgumentOutOfRangeException>(() => coordinator.GetProvider(-1), "index -1");
        }
        using (Coordinator coordinator = Coordinator.Default()) {
            Equal(ProviderIds.Simulated, coordinator.GetProvider(0).Id, "the default coordinator's default provider");
        }
    }

    static void ProviderCalledInOrder()
    {
        int before = RegisteredProviders();
        using (Coordinator coordinator = SimulatedCoordinator()) {
            var provider = new RecorderProvider();
            coordinator.RegisterProvider(provider);
            Equal(before + 1, RegisteredProviders(), "one registration held");
            ThrowsVss(HResults.VSS_E_PROVIDER_ALREADY_REGISTERED, () => coordinator.RegisterProvider(provider), "the same id twice");
            Equal(before + 1, RegisteredProviders(), "a refused registration holds nothing");

            ProviderInfo listed = coordinator.GetProviders().Find(p => p.Id == ProviderId);
            True(listed != null, "the C# provider is listed");
            Equal("C# test provider ✓", listed.Name, "its name, through UTF-8");
            Equal("2.1", listed.Version, "its version");
            Equal(ProviderType.Software, listed.Type, "its type");
            Equal(ProviderIds.Simulated, coordinator.GetProvider(0).Id, "still the default");

            Guid set, snapshot;
            SnapshotProperties props;
            using (var requester = new Requester(coordinator)) {
                set = UpToSnapshotSet(requester);
                snapshot = requester.AddToSnapshotSet("Z:\\data", ProviderId);
                requester.PrepareForBackup();
                requester.DoSnapshotSet();
                Equal(Committed, provider.Steps, "the steps, in order");
                Equal(1, provider.Sets.Count, "one snapshot set");
                True(provider.Sets.Contains(set), "the requester's snapshot set");
                Equal(snapshot, provider.Snapshots[0], "the snapshot id");
                Equal("Z:\\data", provider.Volumes[0], "the volume");
                True(!provider.Threads.Contains(Thread.CurrentThread.ManagedThreadId), "steps run on the library's threads");
                Equal<Exception>(null, provider.LastStepException, "no step threw");

                props = requester.GetSnapshotProperties(snapshot);
                Equal(ProviderId, props.ProviderId, "the snapshot's provider");
                Equal("Z:\\data", props.OriginalVolume, "original volume");
                Equal("Z:\\snapshots\\" + snapshot + DeviceSuffix, props.DeviceName, "device name, through UTF-8");
                Equal(set, props.SnapshotSetId, "snapshot set");
                Equal(0, provider.Deleted.Count, "nothing deleted yet");
            }
            // The requester's release deletes its auto-release snapshot through the provider.
            Equal(1, provider.Deleted.Count, "deleted at release");
            Equal(snapshot, provider.Deleted[0], "the snapshot deleted");
            True(provider.Steps.EndsWith(" delete_snapshot", StringComparison.Ordinal), "delete_snapshot last: " + provider.Steps);

            // Several volumes; the default (Guid.Empty) stays the simulated provider.
            provider.ClearSteps();
            using (var requester = new Requester(coordinator)) {
                UpToSnapshotSet(requester);
                Guid first = requester.AddToSnapshotSet("Z:\\a", ProviderId);
                Guid second = requester.AddToSnapshotSet("Z:\\b", ProviderId);
                Guid other = requester.AddToSnapshotSet("C:\\", Guid.Empty);
                requester.PrepareForBackup();
                requester.DoSnapshotSet();
                True(provider.Steps.Contains("post_commit_snapshots(2)"), "two snapshots in the set: " + provider.Steps);
                Equal(ProviderId, requester.GetSnapshotProperties(second).ProviderId, "second volume's provider");
                Equal(ProviderIds.Simulated, requester.GetSnapshotProperties(other).ProviderId, "Guid.Empty: the default");
                True(provider.Snapshots.Contains(first), "the first volume went to the C# provider");
            }
        }
        Equal(before, RegisteredProviders(), "disposing the coordinator unregistered its provider");
    }

    static void ProviderFailures()
    {
        using (Coordinator coordinator = SimulatedCoordinator()) {
            var provider = new RecorderProvider();
            coordinator.RegisterProvider(provider);

            // A veto ends the set; the provider is told to abort; no snapshot stays.
            provider.Commit = () => false;
            CheckFailedCommit(coordinator, provider, HResults.VSS_E_PROVIDER_VETO, "a veto");
            Equal<Exception>(null, provider.LastStepException, "a veto is no exception");

            // Any exception: VSS_E_UNEXPECTED_PROVIDER_ERROR, and the exception is kept.
            var boom = new InvalidOperationException("boom in CommitSnapshots");
            provider.Commit = () => { throw boom; };
            CheckFailedCommit(coordinator, provider, HResults.VSS_E_UNEXPECTED_PROVIDER_ERROR, "an exception");
            Equal<Exception>(boom, provider.LastStepException, "the exception kept");

            // A VssException: its HRESULT.
            provider.Commit = () => { throw new VssException(HResults.E_ACCESSDENIED); };
            CheckFailedCommit(coordinator, provider, HResults.E_ACCESSDENIED, "a VssException");
            Equal<Exception>(boom, provider.LastStepException, "a VssException is not kept as unexpected");

            // A device path that does not fit, or none: the set fails after the commit.
            provider.Commit = () => true;
            provider.Device = id => new string('x', 5000);
            CheckFailedCommit(coordinator, provider, HResults.VSS_E_UNEXPECTED_PROVIDER_ERROR, "a device path too long",
                              Committed + " abort_snapshots");
            True(provider.LastStepException is InvalidOperationException && provider.LastStepException.Message.Contains("5000 bytes"),
                 "the too-long device path is reported: " + provider.LastStepException);
            provider.Device = id => null;
            CheckFailedCommit(coordinator, provider, HResults.VSS_E_UNEXPECTED_PROVIDER_ERROR, "a null device path",
                              Committed + " abort_snapshots");
            True(provider.LastStepException.Message.Contains("returned null"), "null device path: " + provider.LastStepException);
            provider.Device = id => "ok";

            // IsVolumeSupported: false, VSS_E_OBJECT_NOT_FOUND, an exception.
            using (var requester = new Requester(coordinator)) {
                UpToSnapshotSet(requester);
                ThrowsVss(HResults.VSS_E_VOLUME_NOT_SUPPORTED, () => requester.AddToSnapshotSet("C:\\", ProviderId), "a volume it refuses");
                ThrowsVss(HResults.VSS_E_OBJECT_NOT_FOUND, () => requester.AddToSnapshotSet("Z:\\missing", ProviderId), "a volume it does not find");
                ThrowsVss(HResults.VSS_E_VOLUME_NOT_SUPPORTED, () => requester.AddToSnapshotSet("Z:\\boom", ProviderId), "IsVolumeSupported throws");
                True(provider.LastStepException.Message == "boom in IsVolumeSupported", "kept: " + provider.LastStepException);
                ThrowsVss(HResults.VSS_E_PROVIDER_NOT_REGISTERED, () => requester.AddToSnapshotSet("Z:\\data", new Guid("c0ffee00-0000-4000-8000-00000000dead")),
                          "an id no provider has");
            }
        }
    }

    static void CheckFailedCommit(Coordinator coordinator, RecorderProvider provider, int expected, string what,
                                  string steps = AbortedAtCommit)
    {
        provider.ClearSteps();
        using (var requester = new Requester(coordinator)) {
            UpToSnapshotSet(requester);
            Guid snapshot = requester.AddToSnapshotSet("Z:\\logs", ProviderId);
            requester.PrepareForBackup();
            ThrowsVss(expected, () => requester.DoSnapshotSet(), what + ": DoSnapshotSet");
            Equal(steps, provider.Steps, what + ": the steps");
            ThrowsVss(HResults.VSS_E_OBJECT_NOT_FOUND, () => requester.GetSnapshotProperties(snapshot), what + ": no half-made snapshot");
        }
    }

    static void ProviderRegistration()
    {
        int before = RegisteredProviders();
        string existing = Path.Combine(Path.GetTempPath(), "openvss-csharp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(existing);
        try {
            using (Coordinator coordinator = SimulatedCoordinator()) {
                int count = coordinator.ProviderCount;
                Throws<ArgumentNullException>(() => coordinator.RegisterProvider(null), "null provider");
                ThrowsVss(HResults.E_INVALIDARG, () => coordinator.RegisterProvider(new MinimalProvider(Guid.Empty)), "an empty id");
                ThrowsVss(HResults.E_INVALIDARG, () => coordinator.RegisterProvider(new MinimalProvider(ProviderId, null)), "a null name");
                ThrowsVss(HResults.VSS_E_PROVIDER_ALREADY_REGISTERED, () => coordinator.RegisterProvider(new MinimalProvider(ProviderIds.Simulated)),
                          "a built-in provider's id");
                Equal(count, coordinator.ProviderCount, "refused registrations change nothing");
                Equal(before, RegisteredProviders(), "refused registrations hold nothing");
                ThrowsVss(HResults.VSS_E_PROVIDER_IN_USE, () => coordinator.UnregisterProvider(ProviderIds.Simulated), "the default provider");
                ThrowsVss(HResults.VSS_E_PROVIDER_NOT_REGISTERED, () => coordinator.UnregisterProvider(ProviderId), "an id never registered");

                // The steps not overridden are skipped; with no IsVolumeSupported, a volume is a folder that exists.
                var minimal = new MinimalProvider(ProviderId);
                coordinator.RegisterProvider(minimal);
                Equal("1.0", coordinator.GetProviders().Find(p => p.Id == ProviderId).Version, "a null version is 1.0");
                int commits = MinimalProvider.Commits;
                using (var requester = new Requester(coordinator)) {
                    UpToSnapshotSet(requester);
                    ThrowsVss(HResults.VSS_E_OBJECT_NOT_FOUND, () => requester.AddToSnapshotSet(Path.Combine(existing, "nope"), ProviderId),
                              "a folder that does not exist");
                    Guid snapshot = requester.AddToSnapshotSet(existing, ProviderId);
                    requester.PrepareForBackup();
                    requester.DoSnapshotSet();
                    Equal(commits + 1, MinimalProvider.Commits, "CommitSnapshots ran once");
                    SnapshotProperties props = requester.GetSnapshotProperties(snapshot);
                    Equal(ProviderId, props.ProviderId, "the minimal provider made it");
                    Equal("", props.DeviceName ?? "", "no GetSnapshotDevice: an empty device name");
                }

                // Unregistered: gone from the list, not chosen, its registration freed.
                Equal(before + 1, RegisteredProviders(), "one registration");
                coordinator.UnregisterProvider(minimal);
                Equal(before, RegisteredProviders(), "unregistering frees the registration");
                True(coordinator.GetProviders().TrueForAll(p => p.Id != ProviderId), "no longer listed");
                using (var requester = new Requester(coordinator)) {
                    UpToSnapshotSet(requester);
                    ThrowsVss(HResults.VSS_E_PROVIDER_NOT_REGISTERED, () => requester.AddToSnapshotSet(existing, ProviderId), "unregistered id");
                }
                ThrowsVss(HResults.VSS_E_PROVIDER_NOT_REGISTERED, () => coordinator.UnregisterProvider(minimal), "unregistered twice");

                // Registered again, here and on another coordinator, through another Coordinator object.
                coordinator.RegisterProvider(minimal);
                using (Coordinator other = SimulatedCoordinator()) {
                    other.RegisterProvider(minimal);
                    Equal(before + 2, RegisteredProviders(), "one registration per coordinator");
                }
                Equal(before + 1, RegisteredProviders(), "the other coordinator's Dispose unregistered its own");
                coordinator.UnregisterProvider(ProviderId);

                // From inside one of its own steps: refused (it would wait for itself), the step fails.
                var recorder = new RecorderProvider { UnregisterInCommit = coordinator };
                coordinator.RegisterProvider(recorder);
                recorder.Commit = () => true;
                using (var requester = new Requester(coordinator)) {
                    UpToSnapshotSet(requester);
                    requester.AddToSnapshotSet("Z:\\data", ProviderId);
                    requester.PrepareForBackup();
                    requester.DoSnapshotSet();
                }
                True(recorder.UnregisterError is InvalidOperationException, "unregistering inside a step: " + recorder.UnregisterError);
                True(coordinator.GetProviders().Exists(p => p.Id == ProviderId), "still registered");
                Equal(before + 1, RegisteredProviders(), "still held");

                coordinator.Dispose(); // unregisters the one a refused unregistration left registered
                Equal(before, RegisteredProviders(), "all unregistered");
                Throws<ObjectDisposedException>(() => coordinator.RegisterProvider(new MinimalProvider(ProviderId)), "a disposed coordinator");
                Throws<ObjectDisposedException>(() => coordinator.UnregisterProvider(ProviderId), "a disposed coordinator");
                Throws<ObjectDisposedException>(() => { int n = coordinator.ProviderCount; }, "a disposed coordinator");
            }
        } finally {
            Directory.Delete(existing, true);
        }
    }

    // Registered and dropped: the binding holds it; the library's thunks survive collections.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void RegisterForgotten(Coordinator coordinator)
    {
        coordinator.RegisterProvider(new RecorderProvider());
    }

    static void ProviderKeptAlive()
    {
        using (Coordinator coordinator = SimulatedCoordinator()) {
            RegisterForgotten(coordinator);
            CollectEverything();
            using (var requester = new Requester(coordinator)) {
                UpToSnapshotSet(requester);
                Guid snapshot = requester.AddToSnapshotSet("Z:\\data", ProviderId);
                requester.PrepareForBackup();
                CollectEverything();
                requester.DoSnapshotSet();
                string device = requester.GetSnapshotProperties(snapshot).DeviceName;
                Equal("Z:\\snapshots\\" + snapshot + DeviceSuffix, device, "the forgotten provider made the snapshot");
            }
        }
    }

    // ---- the retry helper ---------------------------------------------------------------

    class FlakyWriter : Writer
    {
        public FlakyWriter(Coordinator coordinator) : base(WriterClass, "Flaky Writer", null, coordinator) { }

        public int Freezes, Shutdowns;

        protected override bool OnFreeze()
        {
            if (Interlocked.Increment(ref Freezes) == 1) { // the first attempt only
                SetFailureEx(HResults.VSS_E_WRITERERROR_RETRYABLE, AppCode, "busy, try later");
                return false;
            }
            return true;
        }

        protected override bool OnBackupShutdown(Guid snapshotSetId)
        {
            Interlocked.Increment(ref Shutdowns);
            return true;
        }
    }

    // A whole backup as an attempt: a step's failure throws; a writer's failure is returned.
    static int BackupAttempt(Requester requester)
    {
        requester.InitializeForBackup();
        requester.SetBackupState(true, false, BackupType.Full);
        requester.GatherWriterMetadata();
        requester.StartSnapshotSet();
        requester.AddToSnapshotSet("C:\\");
        requester.PrepareForBackup();
        requester.DoSnapshotSet();
        requester.GatherWriterStatus();
        foreach (WriterStatus status in requester.GetWriterStatuses()) {
            if (status.Failed) {
                return status.WriterFailure;
            }
        }
        requester.BackupComplete();
        return HResults.S_OK;
    }

    static void RetryPolicyDefaults()
    {
        var policy = new RetryPolicy();
        Equal(3u, policy.MaxRetries, "max retries");
        Equal(TimeSpan.FromMinutes(10), policy.Wait, "wait");
        Equal(5u, policy.InProgressMaxRetries, "in-progress retries");
        Equal(TimeSpan.FromSeconds(30), policy.InProgressWait, "in-progress wait");
    }

    static void RetryWriterFailure()
    {
        using (Coordinator coordinator = SimulatedCoordinator())
        using (var writer = new FlakyWriter(coordinator)) {
            writer.Subscribe();
            var sessions = new List<Guid>();
            var reports = new List<RetryAttempt>();
            var numbers = new List<int>();
            var shutdownsWhenReported = new List<int>();
            Requester kept = null;
            int hr = Retry.Run(coordinator, null, (requester, number) => {
                kept = requester;
                numbers.Add(number);
                sessions.Add(requester.SessionId);
                return BackupAttempt(requester);
            }, attempt => {
                reports.Add(attempt);
                shutdownsWhenReported.Add(writer.Shutdowns);
            });
            Equal(HResults.S_OK, hr, "the run's result");
            Equal("1,2", string.Join(",", numbers), "attempt numbers");
            Equal(2, writer.Freezes, "two freezes");
            True(sessions[0] != sessions[1], "a fresh requester for each attempt");
            Equal(2, reports.Count, "one report per attempt");
            Equal(1, reports[0].Number, "first report's number");
            Equal(HResults.VSS_E_WRITERERROR_RETRYABLE, reports[0].Result, "first attempt's result");
            Equal(RetryClass.AfterWait, reports[0].RetryClass, "first attempt's class");
            Equal(TimeSpan.FromMinutes(10), reports[0].Wait, "the long wait (passed at once on the simulated clock)");
            Equal(HResults.S_OK, reports[1].Result, "second attempt's result");
            Equal(TimeSpan.Zero, reports[1].Wait, "no wait after the last");
            True(reports[1].StartMilliseconds >= reports[0].EndMilliseconds + 600000, "the wait passed on the coordinator's clock: " +
                 reports[0].EndMilliseconds + " -> " + reports[1].StartMilliseconds);
            Equal(1, shutdownsWhenReported[0], "the helper released the attempt's requester before reporting");
            Equal(2, shutdownsWhenReported[1], "and the second one before its report");
            True(kept.IsDisposed, "the attempt's requester is closed once it returns");
            Throws<ObjectDisposedException>(() => { Guid g = kept.SessionId; }, "using it afterwards");
        }
    }

    static void RetryScripted()
    {
        using (Coordinator coordinator = SimulatedCoordinator()) {
            int[] script = { HResults.VSS_E_SNAPSHOT_SET_IN_PROGRESS, HResults.VSS_E_PROVIDER_VETO,
                             HResults.VSS_E_SNAPSHOT_SET_IN_PROGRESS, HResults.VSS_E_PROVIDER_VETO };
            var policy = new RetryPolicy {
                MaxRetries = 1,
                Wait = TimeSpan.FromMilliseconds(1234),
                InProgressMaxRetries = 2,
                InProgressWait = TimeSpan.FromMilliseconds(77),
            };
            var reports = new List<RetryAttempt>();
            VssException e = ThrowsVss(HResults.VSS_E_PROVIDER_VETO, () => Retry.Run(coordinator, policy, (requester, number) => {
                if (number == 1) {
                    throw new VssException(script[0]); // a thrown VssException is the attempt's result
                }
                return script[number - 1];
            }, reports.Add), "the run");
            True(e.NativeMessage.StartsWith("vss_retry_run: VSS_E_PROVIDER_VETO (attempt 4, retryable but no retry left (max_retries 1)",
                                            StringComparison.Ordinal), "the library's message: " + e.NativeMessage);
            Equal(4, reports.Count, "four attempts");
            long[] waits = { 77, 1234, 77, 0 };
            RetryClass[] classes = { RetryClass.ShortBackOff, RetryClass.AfterWait, RetryClass.ShortBackOff, RetryClass.AfterWait };
            for (int i = 0; i < 4; ++i) {
                Equal(i + 1, reports[i].Number, "report " + i + " number");
                Equal(script[i], reports[i].Result, "report " + i + " result");
                Equal(classes[i], reports[i].RetryClass, "report " + i + " class");
                Equal(TimeSpan.FromMilliseconds(waits[i]), reports[i].Wait, "report " + i + " wait");
            }

            // A non-retryable failure and a success stop at once; S_FALSE comes back as it is.
            int attempts = 0;
            ThrowsVss(HResults.VSS_E_WRITERERROR_NONRETRYABLE, () => Retry.Run(coordinator, policy, (r, n) => {
                ++attempts;
                return HResults.VSS_E_WRITERERROR_NONRETRYABLE;
            }), "non-retryable");
            Equal(1, attempts, "one attempt for a non-retryable failure");
            Equal(HResults.S_FALSE, Retry.Run(coordinator, policy, (r, n) => HResults.S_FALSE), "S_FALSE ends the run");
        }
    }

    static void RetryMisuse()
    {
        using (Coordinator coordinator = SimulatedCoordinator()) {
            // An exception other than VssException ends the run (E_UNEXPECTED, not retried) and comes out.
            int attempts = 0;
            var boom = new InvalidOperationException("boom in the attempt");
            InvalidOperationException thrown = Throws<InvalidOperationException>(() => Retry.Run(coordinator, null, (r, n) => {
                ++attempts;
                throw boom;
            }), "an attempt that throws");
            Equal<Exception>(boom, thrown, "the attempt's own exception");
            Equal(1, attempts, "not retried");

            // An exception in the report does not stop the run; it comes out at the end.
            attempts = 0;
            var policy = new RetryPolicy { InProgressWait = TimeSpan.FromMilliseconds(5) };
            var reportBoom = new ArgumentException("boom in the report");
            ArgumentException fromReport = Throws<ArgumentException>(() => Retry.Run(coordinator, policy, (r, n) => {
                ++attempts;
                return n < 3 ? HResults.VSS_E_SNAPSHOT_SET_IN_PROGRESS : HResults.S_OK;
            }, report => { throw reportBoom; }), "a report that throws");
            Equal<Exception>(reportBoom, fromReport, "the report's own exception");
            Equal(3, attempts, "the run went on");

            // Bad policies: E_INVALIDARG, nothing run.
            attempts = 0;
            ThrowsVss(HResults.E_INVALIDARG, () => Retry.Run(coordinator, new RetryPolicy { MaxRetries = 101 }, (r, n) => ++attempts), "101 retries");
            VssException day = ThrowsVss(HResults.E_INVALIDARG, () => Retry.Run(coordinator, new RetryPolicy { InProgressWait = TimeSpan.FromHours(25) },
                                                                                (r, n) => ++attempts), "a 25-hour wait");
            True(day.NativeMessage.Contains("24 hours"), "the library's message: " + day.NativeMessage);
            Equal(0, attempts, "nothing ran");
            Throws<ArgumentOutOfRangeException>(() => Retry.Run(coordinator, new RetryPolicy { Wait = TimeSpan.FromSeconds(-1) }, (r, n) => 0),
                                                "a negative wait");
            Throws<ArgumentNullException>(() => Retry.Run(coordinator, null, null), "a null attempt");

            // Dispose inside the attempt releases nothing (the helper does); the default coordinator.
            Equal(HResults.S_OK, Retry.Run(null, null, (requester, n) => {
                requester.InitializeForBackup();
                requester.Dispose();
                return HResults.S_OK;
            }), "the default coordinator, Dispose inside the attempt");
        }
    }

    // ---- the binding's surface: calling convention, library name, layouts ---------------

    static IEnumerable<Type> AllTypes(Assembly assembly)
    {
        foreach (Type type in assembly.GetTypes()) {
            yield return type;
        }
    }

    static void CallingConventions()
    {
        Assembly binding = typeof(Vss).Assembly;
        const BindingFlags all = BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        int imports = 0, delegates = 0;
        var wrong = new List<string>();
        foreach (Type type in AllTypes(binding)) {
            foreach (MethodInfo method in type.GetMethods(all)) {
                if ((method.Attributes & MethodAttributes.PinvokeImpl) == 0) {
                    continue;
                }
                ++imports;
                var import = (DllImportAttribute)Attribute.GetCustomAttribute(method, typeof(DllImportAttribute));
                if (import == null) {
                    wrong.Add(type.Name + "." + method.Name + ": no DllImportAttribute to read");
                } else if (import.CallingConvention != CallingConvention.Winapi) {
                    wrong.Add(type.Name + "." + method.Name + ": CallingConvention." + import.CallingConvention);
                }
            }
            if (typeof(Delegate).IsAssignableFrom(type) && type != typeof(Delegate) && type != typeof(MulticastDelegate)) {
                ++delegates;
                var pointer = (UnmanagedFunctionPointerAttribute)Attribute.GetCustomAttribute(type, typeof(UnmanagedFunctionPointerAttribute));
                if (pointer == null) {
                    wrong.Add("delegate " + type.FullName + ": no [UnmanagedFunctionPointer]");
                } else if (pointer.CallingConvention != CallingConvention.Winapi) {
                    wrong.Add("delegate " + type.FullName + ": CallingConvention." + pointer.CallingConvention);
                }
            }
        }
        True(imports >= 90, "the binding's imports were found (" + imports + ")");
        True(delegates >= 11, "the binding's callback delegates were found (" + delegates + ")");
        True(wrong.Count == 0, "every import and callback is CallingConvention.Winapi (StdCall on 32-bit Windows, C elsewhere):\n  " +
             string.Join("\n  ", wrong));
    }

    static void LibraryName()
    {
        Assembly binding = typeof(Vss).Assembly;
        Equal("OpenVss.VssApi", binding.GetName().Name, "the assembly's name");
        const BindingFlags all = BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly;
        var names = new SortedSet<string>();
        foreach (Type type in AllTypes(binding)) {
            foreach (MethodInfo method in type.GetMethods(all)) {
                var import = (DllImportAttribute)Attribute.GetCustomAttribute(method, typeof(DllImportAttribute));
                if (import != null && (import.EntryPoint ?? method.Name).StartsWith("vss_", StringComparison.Ordinal)) {
                    names.Add(import.Value);
                }
            }
        }
        Equal("vssapi", string.Join(",", names), "the library name of every vss_* import");

        // Mono: the dllmap beside the assembly maps it to the soname.
        string config = binding.Location + ".config";
        True(File.Exists(config), config + " exists beside the assembly");
        var document = new System.Xml.XmlDocument();
        document.Load(config);
        var targets = new Dictionary<string, string>();
        foreach (System.Xml.XmlElement map in document.SelectNodes("/configuration/dllmap")) {
            Equal("vssapi", map.GetAttribute("dll"), "dllmap dll");
            targets[map.GetAttribute("os")] = map.GetAttribute("target");
        }
        Equal("libvssapi.so.1", Lookup(targets, "!windows,osx"), "the Linux (and BSD) target: the soname");
        Equal("libvssapi.1.dylib", Lookup(targets, "osx"), "the macOS target");

        // .NET Core: the resolver tries the same names; it is installed exactly where NativeLibrary exists.
        Type loader = binding.GetType("OpenVss.Loader");
        var candidates = (string[])loader.GetProperty("Candidates", BindingFlags.Static | BindingFlags.NonPublic).GetValue(null, null);
        Equal("libvssapi.so.1,libvssapi.1.dylib", string.Join(",", candidates), "resolver candidates off Windows");
        bool hasNativeLibrary = typeof(object).Assembly.GetType("System.Runtime.InteropServices.NativeLibrary") != null;
        Equal(hasNativeLibrary, (bool)loader.GetProperty("ResolverInstalled", BindingFlags.Static | BindingFlags.NonPublic).GetValue(null, null),
              "the .NET Core resolver is installed where NativeLibrary exists");
    }

    static string Lookup(Dictionary<string, string> map, string key)
    {
        string value;
        return map.TryGetValue(key, out value) ? value : null;
    }

    // The files of libvssapi mapped into this process (Linux), resolved.
    static List<string> LoadedLibraries()
    {
        var found = new List<string>();
        foreach (string line in File.ReadAllLines("/proc/self/maps")) {
            int slash = line.IndexOf('/');
            if (slash >= 0 && line.Contains("libvssapi")) {
                string path = line.Substring(slash);
                if (!found.Contains(path)) {
                    found.Add(path);
                }
            }
        }
        return found;
    }

    // Child mode: prints the library's version and the file it was loaded from.
    static int ChildWhichLibrary()
    {
        string version = Vss.Version;
        Console.WriteLine(version + " " + string.Join(" ", LoadedLibraries()));
        return 0;
    }

    static void SonameThroughDllmap()
    {
        if (!File.Exists("/proc/self/maps")) {
            Console.WriteLine("     (not Linux: skipped)");
            return;
        }
        Vss.Version.ToString();
        List<string> loaded = LoadedLibraries();
        True(loaded.Count == 1, "one libvssapi in this process: " + string.Join(", ", loaded));
        string dir = Path.Combine(Path.GetTempPath(), "openvss-csharp-soname-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "lib"));
        Directory.CreateDirectory(Path.Combine(dir, "noconfig"));
        try {
            // The library under its soname only (what the runtime package installs): no libvssapi.so.
            string soname = Path.Combine(dir, "lib", "libvssapi.so.1");
            File.Copy(loaded[0], soname);
            string self = typeof(Tests).Assembly.Location;
            var environment = new Dictionary<string, string> { { "LD_LIBRARY_PATH", Path.Combine(dir, "lib") }, { "VSSAPI_LIBRARY", null } };
            int exitCode;
            string output = RunMono("--debug \"" + self + "\" --child-which-library", environment, 30, out exitCode);
            Equal(0, exitCode, "exit code; output: " + output);
            True(output.Trim().EndsWith(" " + soname, StringComparison.Ordinal), "the child loaded " + soname + " through the dllmap: " + output);

            // The same assembly without its .dll.config: Mono looks for libvssapi.so and finds nothing.
            string binding = typeof(Vss).Assembly.Location;
            string copy = Path.Combine(dir, "noconfig", Path.GetFileName(self));
            File.Copy(self, copy);
            File.Copy(binding, Path.Combine(dir, "noconfig", Path.GetFileName(binding)));
            output = RunMono("\"" + copy + "\" --child-which-library", environment, 30, out exitCode);
            if (exitCode == 0) {
                // Only where a libvssapi.so is installed system-wide: then it must be that one.
                True(!output.Contains(soname), "without the dllmap the soname copy is not found: " + output);
                Console.WriteLine("     (a system-wide libvssapi.so exists: the no-dllmap check only shows it is not ours)");
            } else {
                True(output.Contains("DllNotFoundException"), "without the dllmap: DllNotFoundException; output: " + output);
            }
        } finally {
            Directory.Delete(dir, true);
        }
    }

    static string RunMono(string arguments, Dictionary<string, string> environment, int timeoutSeconds, out int exitCode)
    {
        var start = new ProcessStartInfo(s_mono ?? "mono", arguments) {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (KeyValuePair<string, string> pair in environment) {
            if (pair.Value == null) {
                start.EnvironmentVariables.Remove(pair.Key);
            } else {
                start.EnvironmentVariables[pair.Key] = pair.Value;
            }
        }
        using (Process process = Process.Start(start)) {
            string stdout = null, stderr = null;
            var readOut = new Thread(() => stdout = process.StandardOutput.ReadToEnd());
            var readErr = new Thread(() => stderr = process.StandardError.ReadToEnd());
            readOut.Start();
            readErr.Start();
            if (!process.WaitForExit(timeoutSeconds * 1000)) {
                process.Kill();
                readOut.Join();
                throw new Exception(string.Format("mono {0} did not exit within {1} s; output: {2}", arguments, timeoutSeconds, stdout));
            }
            readOut.Join();
            readErr.Join();
            exitCode = process.ExitCode;
            return exitCode == 0 ? stdout : stdout + "\n(stderr: " + stderr + ")";
        }
    }

    // Installed check: the library comes from the prefix, the assembly from outside the source tree.
    static void InstalledFromPrefix()
    {
        Vss.Version.ToString();
        string prefix = Path.GetFullPath(s_prefix).TrimEnd('/') + "/";
        if (File.Exists("/proc/self/maps")) {
            List<string> loaded = LoadedLibraries();
            True(loaded.Count > 0 && loaded.TrueForAll(p => p.StartsWith(prefix, StringComparison.Ordinal)),
                 "libvssapi loaded from " + prefix + ": " + string.Join(", ", loaded));
        }
        string binding = Path.GetFullPath(typeof(Vss).Assembly.Location);
        True(s_sourceDir == null || !binding.StartsWith(Path.GetFullPath(s_sourceDir), StringComparison.Ordinal),
             "OpenVss.VssApi.dll is not the source tree's: " + binding);
        Console.WriteLine("     OpenVss.VssApi " + typeof(Vss).Assembly.GetName().Version + " from " + binding + ", libvssapi " + Vss.Version);
    }

    // Every struct of the binding against the C header: sizes and offsets from the C compiler
    // when VSSAPI_INCLUDE and cc are there, else the x86-64 values.
    static readonly Dictionary<string, string> s_structs = new Dictionary<string, string> {
        { "CoordinatorOptions", "vss_coordinator_options" },
        { "WriterInfo", "vss_writer_info" },
        { "WriterCallbacks", "vss_writer_callbacks" },
        { "WriterIdentity", "vss_writer_identity" },
        { "ComponentInfo", "vss_component_info" },
        { "WriterStatus", "vss_writer_status" },
        { "ComponentFailure", "vss_component_failure" },
        { "SnapshotProps", "vss_snapshot_props" },
        { "ProviderInfo", "vss_provider_info" },
        { "ProviderCallbacks", "vss_provider_callbacks" },
        { "RetryPolicy", "vss_retry_policy" },
        { "RetryAttemptRecord", "vss_retry_attempt" },
    };

    static readonly Dictionary<string, int> s_x64Sizes = new Dictionary<string, int> {
        { "vss_coordinator_options", 24 }, { "vss_writer_info", 56 }, { "vss_writer_callbacks", 96 },
        { "vss_writer_identity", 72 }, { "vss_component_info", 48 }, { "vss_writer_status", 72 },
        { "vss_component_failure", 72 }, { "vss_snapshot_props", 88 }, { "vss_provider_info", 48 },
        { "vss_provider_callbacks", 128 }, { "vss_retry_policy", 32 }, { "vss_retry_attempt", 40 },
    };

    static readonly Dictionary<string, Guid> s_providerMacros = new Dictionary<string, Guid> {
        { "VSS_PROVIDER_SIMULATED_ID", ProviderIds.Simulated }, { "VSS_PROVIDER_LIVE_ID", ProviderIds.Live },
        { "VSS_PROVIDER_COPY_ID", ProviderIds.Copy }, { "VSS_PROVIDER_BTRFS_ID", ProviderIds.Btrfs },
        { "VSS_PROVIDER_REFLINK_ID", ProviderIds.Reflink }, { "VSS_PROVIDER_FSFREEZE_ID", ProviderIds.Fsfreeze },
    };

    static void StructLayouts()
    {
        Type native = typeof(Vss).Assembly.GetType("OpenVss.Native");
        var mine = new Dictionary<string, int>(); // "struct" and "struct.field" -> size and offsets
        foreach (Type type in native.GetNestedTypes(BindingFlags.NonPublic | BindingFlags.Public)) {
            if (!type.IsValueType || type.IsEnum) {
                continue;
            }
            string c;
            True(s_structs.TryGetValue(type.Name, out c), "Native." + type.Name + " has its C name in s_structs");
            mine[c] = Marshal.SizeOf(type);
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)) {
                mine[c + "." + field.Name] = (int)Marshal.OffsetOf(type, field.Name);
                mine[c + "." + field.Name + ":size"] = Marshal.SizeOf(field.FieldType);
            }
        }
        Equal(s_structs.Count, mine.Keys.Count(k => !k.Contains(".")), "every struct checked");

        Dictionary<string, string> fromC = LayoutsFromC(mine.Keys);
        if (fromC == null) {
            True(IntPtr.Size == 8, "without a C compiler the check knows x86-64 only");
            foreach (KeyValuePair<string, int> pair in s_x64Sizes) {
                Equal(pair.Value, mine[pair.Key], "sizeof(" + pair.Key + ") on x86-64");
            }
            Console.WriteLine("     (no C compiler or VSSAPI_INCLUDE: sizes checked against the x86-64 values)");
            return;
        }
        var wrong = new List<string>();
        foreach (KeyValuePair<string, int> pair in mine) {
            string c = fromC[pair.Key];
            if (c != pair.Value.ToString()) {
                wrong.Add(pair.Key + ": C " + c + ", C# " + pair.Value);
            }
        }
        foreach (KeyValuePair<string, Guid> pair in s_providerMacros) {
            if (fromC[pair.Key] != pair.Value.ToString()) {
                wrong.Add(pair.Key + ": C " + fromC[pair.Key] + ", C# " + pair.Value);
            }
        }
        True(wrong.Count == 0, "the C# layouts and ids match the C header's:\n  " + string.Join("\n  ", wrong));
        Console.WriteLine("     (" + mine.Count + " struct sizes, field offsets and field sizes and " + s_providerMacros.Count + " provider ids checked against the C compiler)");
    }

    // Compiles and runs a C program printing sizeof/offsetof for `keys` and the provider ids; null without cc.
    static Dictionary<string, string> LayoutsFromC(IEnumerable<string> keys)
    {
        string include = Environment.GetEnvironmentVariable("VSSAPI_INCLUDE");
        string cc = Environment.GetEnvironmentVariable("CC");
        if (string.IsNullOrEmpty(cc)) {
            cc = File.Exists("/usr/bin/cc") ? "/usr/bin/cc" : null;
        }
        if (string.IsNullOrEmpty(include) || cc == null) {
            return null;
        }
        string dir = Path.Combine(Path.GetTempPath(), "openvss-csharp-layout-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try {
            var program = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include <vssapi/vssapi.h>\n" +
                                            "static void id(const char *name, vss_guid g) {\n" +
                                            "    printf(\"%s %08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x\\n\", name, (unsigned)g.data1, g.data2, g.data3,\n" +
                                            "           g.data4[0], g.data4[1], g.data4[2], g.data4[3], g.data4[4], g.data4[5], g.data4[6], g.data4[7]);\n}\n" +
                                            "int main(void) {\n");
            foreach (string key in keys) { // "struct", "struct.field" (its offset), "struct.field:size"
                int dot = key.IndexOf('.'), colon = key.IndexOf(':');
                if (dot < 0) {
                    program.AppendFormat("    printf(\"{0} %zu\\n\", sizeof({0}));\n", key);
                } else if (colon < 0) {
                    program.AppendFormat("    printf(\"{0} %zu\\n\", offsetof({1}, {2}));\n", key, key.Substring(0, dot), key.Substring(dot + 1));
                } else {
                    program.AppendFormat("    printf(\"{0} %zu\\n\", sizeof((({1} *)0)->{2}));\n", key, key.Substring(0, dot),
                                         key.Substring(dot + 1, colon - dot - 1));
                }
            }
            foreach (string macro in s_providerMacros.Keys) {
                program.AppendFormat("    {{ vss_guid g = {0}; id(\"{0}\", g); }}\n", macro);
            }
            program.Append("    return 0;\n}\n");
            string source = Path.Combine(dir, "layout.c"), exe = Path.Combine(dir, "layout");
            File.WriteAllText(source, program.ToString());
            string output = RunTool(cc, "-std=c11 -I\"" + include + "\" -o \"" + exe + "\" \"" + source + "\"");
            output = RunTool(exe, "");
            var result = new Dictionary<string, string>();
            foreach (string line in output.Split('\n')) {
                int space = line.IndexOf(' ');
                if (space > 0) {
                    result[line.Substring(0, space)] = line.Substring(space + 1).Trim();
                }
            }
            return result;
        } finally {
            Directory.Delete(dir, true);
        }
    }

    static string RunTool(string program, string arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using (Process process = Process.Start(start)) {
            string stderr = null;
            var readErr = new Thread(() => stderr = process.StandardError.ReadToEnd());
            readErr.Start();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            readErr.Join();
            if (process.ExitCode != 0) {
                throw new Exception(program + " " + arguments + " exited " + process.ExitCode + ": " + stderr + stdout);
            }
            return stdout;
        }
    }

    // The assembly, the SDK-style project and meson.build carry one version.
    static void VersionsInStep()
    {
        string meson = File.ReadAllText(Path.Combine(s_sourceDir, "..", "..", "meson.build"));
        System.Text.RegularExpressions.Match project = System.Text.RegularExpressions.Regex.Match(meson, @"project\([^)]*?version:\s*'([^']+)'");
        True(project.Success, "meson.build's project version");
        string version = project.Groups[1].Value;
        Assembly binding = typeof(Vss).Assembly;
        Equal(new Version(version + ".0"), binding.GetName().Version, "AssemblyVersion");
        var informational = (AssemblyInformationalVersionAttribute)Attribute.GetCustomAttribute(binding, typeof(AssemblyInformationalVersionAttribute));
        Equal(version, informational == null ? null : informational.InformationalVersion, "AssemblyInformationalVersion");
        string csproj = File.ReadAllText(Path.Combine(s_sourceDir, "OpenVss.VssApi.csproj"));
        True(csproj.Contains("<Version>" + version + "</Version>"), "OpenVss.VssApi.csproj has <Version>" + version + "</Version>");
    }

    static void ReadmeShowsExample()
    {
        string example = File.ReadAllText(Path.Combine(s_sourceDir, "Example.cs")).Replace("\r\n", "\n").Trim();
        string readme = File.ReadAllText(Path.Combine(s_sourceDir, "README.md")).Replace("\r\n", "\n");
        True(readme.Contains("```csharp\n" + example + "\n```"), "README.md contains Example.cs in a csharp block");
    }
}
