package sync

import (
	"context"
	"path/filepath"
	"testing"

	"titledesk/internal/atrest"
	"titledesk/model"
	"titledesk/server/demo"
	"titledesk/store"
)

// worldSecrets are the ID numbers and phone numbers of the demo world of
// the sync tests (atrest.WorldValues).
func worldSecrets(tb testing.TB, scale float64) []string {
	tb.Helper()
	w, err := demo.Generate(demo.Options{Scale: scale, Seed: 1, Now: fixedNow})
	if err != nil {
		tb.Fatal(err)
	}
	return atrest.WorldValues(w)
}

// TestNothingReadableAfterFullSync (SEC-4): after a full sync of the demo
// department of the demo world, every attachment the department's
// applications name opened once, a JPEG and a PNG added to a pass and
// synced, neither the cache file, nor its -wal, nor the file store holds
// an ID number or phone number of the world readable, and no held file is
// a readable PDF, JPEG or PNG; closed, the same. The person is still found
// by the whole ID number and by its last four characters.
func TestNothingReadableAfterFullSync(t *testing.T) {
	ctx := context.Background()
	const scale = 1 // the world -demo serves
	srv := newTestServer(t, scale)
	d := newDevice(t, ClientOptions{})
	d.login(srv.URL())

	held := map[string]bool{}
	for _, a := range d.apps() {
		for _, f := range attachmentsOf(a) {
			if !held[f.SHA256] {
				if err := d.engine.FetchFile(ctx, f); err != nil {
					t.Fatal(err)
				}
				held[f.SHA256] = true
			}
		}
	}
	if len(held) == 0 {
		t.Fatal("the demo department's applications name no attachment")
	}
	var added []model.Attachment
	for _, f := range []struct {
		name string
		data []byte
		kind model.AttachmentKind
	}{{"毕业证书.jpg", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 demo jpeg"), model.AttachPublicity},
		{"岗位情况表.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR demo"), model.AttachPostStatusForm}} {
		a, err := d.engine.AddAttachment(ctx, f.name, f.kind, f.data)
		if err != nil {
			t.Fatal(err)
		}
		added = append(added, a)
	}
	own := d.inQueue(model.StageOwnUnit)[0]
	if err := d.engine.Pass(ctx, own.ID, own.Version, PassInput{Opinion: "同意推荐",
		Recommendation: recommendation(added)}); err != nil {
		t.Fatal(err)
	}
	if err := d.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := d.store.PendingCount(ctx); n != 0 {
		t.Fatalf("%d commands still queued", n)
	}

	secrets := worldSecrets(t, scale)
	scan := func(when string) {
		db, files := atrest.CacheFiles(d.path, d.store.FilesDir())
		found, err := atrest.Scan(db, files, secrets)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range found {
			t.Errorf("%s: %s holds %s readable", when, filepath.Base(f.File), atrest.Masked(f.Value))
		}
		if len(files) != len(held)+len(added) {
			t.Errorf("%s: %d held files, want %d", when, len(files), len(held)+len(added))
		}
		t.Logf("%s: scanned %v and %d held files for %d values", when, db, len(files), len(secrets))
	}
	scan("open")

	// The person is found by the whole number and by the last four.
	detail, err := d.store.ApplicationDetail(ctx, own.ID)
	if err != nil {
		t.Fatal(err)
	}
	idn := detail.Applicant.IDNumber
	for _, text := range []string{idn, idn[len(idn)-4:]} {
		page, err := d.store.ReviewQueue(ctx, d.unitID(), store.QueueQuery{Stage: store.ReviewedList, Text: text, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range page.Rows {
			found = found || r.ID == own.ID
		}
		if !found {
			t.Errorf("searching %s did not find %s", model.MaskIDNumber(text), detail.Applicant.Name)
		}
	}
	d.store.Close()
	scan("closed")
}

// attachmentsOf lists the files an application names.
func attachmentsOf(a model.Application) []model.Attachment {
	out := append([]model.Attachment{}, a.Attachments...)
	if a.Recommendation != nil {
		out = append(out, a.Recommendation.Attachments...)
	}
	return out
}
