using System;
using OpenVss;

class OrdersWriter : Writer {
    public OrdersWriter() : base(new Guid("a65faa63-5ea8-4ebc-9dbd-a0c4db26912a"), "Orders Writer") { }
    protected override bool OnFreeze() {
        SetFailureEx(HResults.VSS_E_WRITERERROR_RETRYABLE, unchecked((int)0x80070020), "orders.mdf is busy – réessayez");
        return false;
    }
}

static class Example {
    static void Main() {
        using (var writer = new OrdersWriter())
        using (var requester = new Requester()) {
            writer.Subscribe();
            requester.InitializeForBackup();
            requester.GatherWriterMetadata();
            requester.StartSnapshotSet();
            requester.AddToSnapshotSet("C:\\");
            requester.PrepareForBackup();
            requester.DoSnapshotSet();
            requester.GatherWriterStatus();
            foreach (WriterStatus status in requester.GetWriterStatuses())
                Console.WriteLine(status); // Orders Writer: FAILED_AT_FREEZE VSS_E_WRITERERROR_RETRYABLE 0x80070020 orders.mdf is busy – réessayez
        }
    }
}
