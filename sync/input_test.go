package sync

import (
	"context"
	"errors"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// TestClientAppliesInputRules: the client refuses control and bidirectional
// characters before queuing (nothing queued, a field message), and queues
// the normalized text the server will store.
func TestClientAppliesInputRules(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t, 0.1)
	d := newDevice(t, ClientOptions{})
	d.login(srv.URL())
	for _, text := range []string{"同意\u202e推荐", "同意\x00", "\x1b[2J同意", "同意\u2066推荐"} {
		err := d.engine.Enqueue(ctx, api.CmdStockCommentSave, 0,
			api.StockCommentArgs{Comment: model.StockComment{ID: api.NewUUID(), Text: text, Position: 1}})
		var e *model.Error
		if !errors.As(err, &e) || e.Code != model.CodeInvalidCharacters || e.Fields["text"] == "" {
			t.Fatalf("%q: %v", text, err)
		}
	}
	if st := d.engine.Status(); st.Pending != 0 {
		t.Fatalf("%d commands queued after refusals", st.Pending)
	}
	id := api.NewUUID()
	if err := d.engine.Enqueue(ctx, api.CmdStockCommentSave, 0,
		api.StockCommentArgs{Comment: model.StockComment{ID: id, Text: "  学历\u200b证书不清晰\r\n请补充  ", Position: 1}}); err != nil {
		t.Fatal(err)
	}
	var c model.StockComment
	if !d.get(api.KindStockComment, id, &c) || c.Text != "学历证书不清晰\n请补充" {
		t.Fatalf("optimistic copy %q", c.Text)
	}
	if err := d.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if !d.get(api.KindStockComment, id, &c) || c.Text != "学历证书不清晰\n请补充" || c.Version != 1 {
		t.Fatalf("server copy %+v", c)
	}
}
