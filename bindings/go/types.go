package vssapi

/*
#include <vssapi/vssapi.h>
*/
import "C"

import "strconv"

// WriterState is a VSS_WRITER_STATE.
type WriterState int32

const (
	WriterStateUnknown                  WriterState = 0
	WriterStateStable                   WriterState = 1
	WriterStateWaitingForFreeze         WriterState = 2
	WriterStateWaitingForThaw           WriterState = 3
	WriterStateWaitingForPostSnapshot   WriterState = 4
	WriterStateWaitingForBackupComplete WriterState = 5
	WriterStateFailedAtIdentify         WriterState = 6
	WriterStateFailedAtPrepareBackup    WriterState = 7
	WriterStateFailedAtPrepareSnapshot  WriterState = 8
	WriterStateFailedAtFreeze           WriterState = 9
	WriterStateFailedAtThaw             WriterState = 10
	WriterStateFailedAtPostSnapshot     WriterState = 11
	WriterStateFailedAtBackupComplete   WriterState = 12
	WriterStateFailedAtPreRestore       WriterState = 13
	WriterStateFailedAtPostRestore      WriterState = 14
	WriterStateFailedAtBackupShutdown   WriterState = 15
)

// String is the library's name of the state, "FAILED_AT_FREEZE" ("?" when out of range).
func (s WriterState) String() string { return C.GoString(C.vss_writer_state_name(C.int32_t(s))) }

// Failed reports whether s is one of the FAILED_AT_* states.
func (s WriterState) Failed() bool {
	return s >= WriterStateFailedAtIdentify && s <= WriterStateFailedAtBackupShutdown
}

// UsageType is a VSS_USAGE_TYPE.
type UsageType int32

const (
	UsageUndefined           UsageType = 0
	UsageBootableSystemState UsageType = 1
	UsageSystemService       UsageType = 2
	UsageUserData            UsageType = 3
	UsageOther               UsageType = 4
)

// SourceType is a VSS_SOURCE_TYPE.
type SourceType int32

const (
	SourceUndefined       SourceType = 0
	SourceTransactedDB    SourceType = 1
	SourceNonTransactedDB SourceType = 2
	SourceOther           SourceType = 3
)

// ApplicationLevel is a VSS_APPLICATION_LEVEL; 0 (LevelDefault) means front end.
type ApplicationLevel int32

const (
	LevelDefault  ApplicationLevel = 0
	LevelSystem   ApplicationLevel = 1
	LevelBackEnd  ApplicationLevel = 2
	LevelFrontEnd ApplicationLevel = 3
	LevelSystemRM ApplicationLevel = 4
	LevelAuto     ApplicationLevel = -1
)

// ComponentType is a VSS_COMPONENT_TYPE.
type ComponentType int32

const (
	ComponentUndefined ComponentType = 0
	ComponentDatabase  ComponentType = 1
	ComponentFileGroup ComponentType = 2
)

// FileKind says which list Metadata.AddFiles adds to.
type FileKind int32

const (
	FileGroupFiles   FileKind = 0 // AddFilesToFileGroup
	DatabaseFiles    FileKind = 1 // AddDatabaseFiles
	DatabaseLogFiles FileKind = 2 // AddDatabaseLogFiles
)

// BackupType is a VSS_BACKUP_TYPE.
type BackupType int32

const (
	BackupUndefined    BackupType = 0
	BackupFull         BackupType = 1
	BackupIncremental  BackupType = 2
	BackupDifferential BackupType = 3
	BackupLog          BackupType = 4
	BackupCopy         BackupType = 5
	BackupOther        BackupType = 6
)

// Context is a VSS_SNAPSHOT_CONTEXT (a _VSS_SNAPSHOT_CONTEXT value or attributes).
type Context int32

const (
	ContextBackup                  Context = 0
	ContextFileShareBackup         Context = 0x10
	ContextNASRollback             Context = 0x19
	ContextAppRollback             Context = 9
	ContextClientAccessible        Context = 0x1d
	ContextClientAccessibleWriters Context = 13
	ContextAll                     Context = -1
)

// Step is one asynchronous step of a backup (vss_step).
type Step int32

const (
	StepGatherWriterMetadata Step = 0 // VSS_STEP_GATHER_WRITER_METADATA
	StepPrepareForBackup     Step = 1 // VSS_STEP_PREPARE_FOR_BACKUP
	StepDoSnapshotSet        Step = 2 // VSS_STEP_DO_SNAPSHOT_SET
	StepBackupComplete       Step = 3 // VSS_STEP_BACKUP_COMPLETE
	StepGatherWriterStatus   Step = 4 // VSS_STEP_GATHER_WRITER_STATUS
	StepPreRestore           Step = 5 // VSS_STEP_PRE_RESTORE
	StepPostRestore          Step = 6 // VSS_STEP_POST_RESTORE
)

// ComponentText names one text of a component in a handler (vss_component_text).
type ComponentText int32

const (
	TextBackupMetadata             ComponentText = 0
	TextBackupStamp                ComponentText = 1
	TextPreviousBackupStamp        ComponentText = 2
	TextBackupOptions              ComponentText = 3
	TextRestoreOptions             ComponentText = 4
	TextRestoreMetadata            ComponentText = 5
	TextPreRestoreFailureMsg       ComponentText = 6
	TextPostRestoreFailureMsg      ComponentText = 7
	TextPrepareForBackupFailureMsg ComponentText = 8
	TextPostSnapshotFailureMsg     ComponentText = 9
)

// FileRestoreStatus is VSS_FILE_RESTORE_STATUS.
type FileRestoreStatus int32

const (
	FileRestoreUndefined FileRestoreStatus = 0
	FileRestoreNone      FileRestoreStatus = 1
	FileRestoreAll       FileRestoreStatus = 2
	FileRestoreFailed    FileRestoreStatus = 3
)

// RestoreType is VSS_RESTORE_TYPE.
type RestoreType int32

const (
	RestoreByCopy RestoreType = 1
	RestoreImport RestoreType = 2
	RestoreOther  RestoreType = 3
)

// The Step values are vss_step's: an index out of range fails the build.
var (
	_ = [1]int{}[StepGatherWriterMetadata-C.VSS_STEP_GATHER_WRITER_METADATA]
	_ = [1]int{}[StepPrepareForBackup-C.VSS_STEP_PREPARE_FOR_BACKUP]
	_ = [1]int{}[StepDoSnapshotSet-C.VSS_STEP_DO_SNAPSHOT_SET]
	_ = [1]int{}[StepBackupComplete-C.VSS_STEP_BACKUP_COMPLETE]
	_ = [1]int{}[StepGatherWriterStatus-C.VSS_STEP_GATHER_WRITER_STATUS]
	_ = [1]int{}[StepPreRestore-C.VSS_STEP_PRE_RESTORE]
	_ = [1]int{}[StepPostRestore-C.VSS_STEP_POST_RESTORE]
	_ = [1]int{}[TextPostSnapshotFailureMsg-C.VSS_TEXT_POST_SNAPSHOT_FAILURE_MSG]
)

func (s Step) String() string {
	switch s {
	case StepGatherWriterMetadata:
		return "GatherWriterMetadata"
	case StepPrepareForBackup:
		return "PrepareForBackup"
	case StepDoSnapshotSet:
		return "DoSnapshotSet"
	case StepBackupComplete:
		return "BackupComplete"
	case StepGatherWriterStatus:
		return "GatherWriterStatus"
	}
	return "Step(" + strconv.Itoa(int(s)) + ")"
}
