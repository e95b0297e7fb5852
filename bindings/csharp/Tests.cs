// Tests of the C# binding: a writer and a requester written in C#, each test on its own
// coordinator. Prints one line per test, then "N passed, M failed"; exits 1 on any failure.
//
// usage: mono Tests.exe [<bindings/csharp source dir> <example.exe> <mono>]
// (with the last three, it also runs the README example and checks the README shows it).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using OpenVss;

static class Tests
{
    internal static readonly Guid WriterClass = new Guid("5e1f0001-1111-2222-8001-020304050607");
    internal const string Message = "Échec du gel – 数据库忙 😀";
    internal const int AppCode = unchecked((int)0x80070020);

    static int s_passed, s_failed;
    static string s_sourceDir, s_exampleExe, s_mono;

    static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        if (args.Length == 2 && args[0] == "--child-forget") {
            return ChildForget(args[1] == "isolated");
        }
        if (args.Length >= 3) {
            s_sourceDir = args[0];
            s_exampleExe = args[1];
            s_mono = args[2];
        }
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
        if (s_exampleExe != null) {
            Run("README example: example.exe runs (library found through VSSAPI_LIBRARY alone) and prints the failure", ExampleRuns);
            Run("README example: README.md shows Example.cs verbatim", ReadmeShowsExample);
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
        string output = RunChild("--debug \"" + s_exampleExe + "\"", false, 60, out exitCode); // VSSAPI_LIBRARY alone
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

    static void ReadmeShowsExample()
    {
        string example = File.ReadAllText(Path.Combine(s_sourceDir, "Example.cs")).Replace("\r\n", "\n").Trim();
        string readme = File.ReadAllText(Path.Combine(s_sourceDir, "README.md")).Replace("\r\n", "\n");
        True(readme.Contains("```csharp\n" + example + "\n```"), "README.md contains Example.cs in a csharp block");
    }
}
