package vssapi_test

import (
	"strings"
	"sync"
	"testing"

	vssapi "openvss.dev/openvss/bindings/go"
)

// The restore and the Backup Components Document (contract C-3.2, C-8): a
// backup saves its document, a second coordinator (a new process, as far as
// the library knows) restores from it; the writer reads its backup data in
// OnPreRestore and fails OnPostRestore.

type restoreWriter struct {
	vssapi.BaseWriter
	mu       sync.Mutex
	seen     []string
	fileStat vssapi.FileRestoreStatus
}

func (*restoreWriter) OnIdentify(e *vssapi.Event, m *vssapi.Metadata) error {
	return m.AddComponent(vssapi.ComponentFileGroup, "Data", "Orders", "", true)
}

func (*restoreWriter) OnPrepareBackup(e *vssapi.Event, c *vssapi.Components) error {
	if err := c.SetText(0, vssapi.TextBackupMetadata, "lsn=42 ✓"); err != nil {
		return err
	}
	return c.SetText(0, vssapi.TextBackupStamp, "stamp-9")
}

func (w *restoreWriter) OnPreRestore(e *vssapi.Event, c *vssapi.Components) error {
	selected, err := c.SelectedForRestore(0)
	if err != nil {
		return err
	}
	metadata, _, err := c.Text(0, vssapi.TextBackupMetadata)
	if err != nil {
		return err
	}
	options, _, err := c.Text(0, vssapi.TextRestoreOptions)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if selected {
		w.seen = append(w.seen, "selected")
	}
	w.seen = append(w.seen, metadata, options)
	return nil
}

func (w *restoreWriter) OnPostRestore(e *vssapi.Event, c *vssapi.Components) error {
	status, err := c.FileRestoreStatus(0)
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.fileStat = status
	w.mu.Unlock()
	return e.Fail(vssapi.VSS_E_WRITERERROR_NONRETRYABLE, 0x81, "log 9 is damaged")
}

func TestRestoreFromSavedDocumentInNewCoordinator(t *testing.T) {
	first := newCoordinator(t, nil)
	newWriter(t, first, "Go Writer", &restoreWriter{})
	backup := newRequester(t, first)
	must(t, backup.InitializeForBackup())
	must(t, backup.SetBackupState(true, false, vssapi.BackupFull, false))
	must(t, backup.GatherWriterMetadata())
	must(t, backup.AddAllComponents())
	_, err := backup.SaveDocument()
	asError(t, err, vssapi.VSS_E_BAD_STATE) // before PrepareForBackup
	_, err = backup.StartSnapshotSet()
	must(t, err)
	_, err = backup.AddToSnapshotSet(`C:\`)
	must(t, err)
	must(t, backup.PrepareForBackup())
	must(t, backup.DoSnapshotSet())
	must(t, backup.BackupComplete())
	xml, err := backup.SaveDocument()
	must(t, err)
	if !strings.Contains(xml, "lsn=42 ✓") {
		t.Fatalf("the document lacks the backup metadata: %s", xml)
	}

	second := newCoordinator(t, nil)
	impl := &restoreWriter{}
	newWriter(t, second, "Go Writer", impl)
	restore := newRequester(t, second)
	asError(t, restore.InitializeForRestore("<BACKUP_COMPONENTS/>"), vssapi.VSS_E_INVALID_XML_DOCUMENT)
	must(t, restore.InitializeForRestore(xml))
	must(t, restore.GatherWriterMetadata())
	asError(t, restore.SelectForRestore(writerClass, vssapi.ComponentFileGroup, "Data", "Nope", true),
		vssapi.VSS_E_OBJECT_NOT_FOUND)
	must(t, restore.SelectForRestore(writerClass, vssapi.ComponentFileGroup, "Data", "Orders", true))
	must(t, restore.SetRestoreOptions(writerClass, vssapi.ComponentFileGroup, "Data", "Orders", "overwrite"))
	must(t, restore.SetRestoreState(vssapi.RestoreByCopy))
	must(t, restore.PreRestore())
	must(t, restore.SetFileRestoreStatus(writerClass, vssapi.ComponentFileGroup, "Data", "Orders", vssapi.FileRestoreAll))
	must(t, restore.PostRestore())

	impl.mu.Lock()
	seen, fileStat := strings.Join(impl.seen, "|"), impl.fileStat
	impl.mu.Unlock()
	if seen != "selected|lsn=42 ✓|overwrite" || fileStat != vssapi.FileRestoreAll {
		t.Errorf("the writer saw %q and file status %v", seen, fileStat)
	}
	s := onlyStatus(t, restore)
	if s.State != vssapi.WriterStateFailedAtPostRestore || s.HrFailureWriter != vssapi.VSS_E_WRITERERROR_NONRETRYABLE ||
		s.Message != "log 9 is damaged" {
		t.Errorf("status = %+v", s)
	}
}
