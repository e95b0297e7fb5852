//go:build ignore

// A writer that fails OnFreeze, and a requester that reads the failure back.
// Run it with `go run example.go` in bindings/go (TestExample does).
package main

import (
	"fmt"
	"log"

	vssapi "openvss.dev/openvss/bindings/go"
)

type dbWriter struct{ vssapi.BaseWriter }

func (dbWriter) OnFreeze(e *vssapi.Event) error {
	return e.Fail(vssapi.VSS_E_WRITERERROR_RETRYABLE, 0x80070020, "base occupée – réessayez")
}

func main() {
	w := must(vssapi.NewWriter(nil, vssapi.WriterInfo{ClassID: vssapi.NewGUID(), Name: "DB Writer"}, dbWriter{}))
	defer w.Close()
	r := must(vssapi.NewRequester(nil))
	defer r.Close() // deferred calls run last first: the requester closes before the writer
	check(w.Subscribe())
	check(r.InitializeForBackup())
	check(r.GatherWriterMetadata())
	must(r.StartSnapshotSet())
	must(r.AddToSnapshotSet(`C:\`))
	check(r.PrepareForBackup())
	check(r.DoSnapshotSet()) // succeeds: the writer's failure is in its status
	check(r.GatherWriterStatus())
	s := must(r.Status(0))
	fmt.Println(s.Name, s.State, s.HrFailureWriter, s.HrApplication.Hex(), s.Message)
}

func must[T any](v T, err error) T {
	check(err)
	return v
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
