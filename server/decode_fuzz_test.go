package server

import (
	"bytes"
	"encoding/json"
	"testing"

	"titledesk/api"
)

// FuzzDecodeCommand feeds arbitrary types and args to the command decoder:
// it must never panic, and whatever it accepts must re-encode and decode to
// the same value.
func FuzzDecodeCommand(f *testing.F) {
	for _, typ := range api.AllCommands {
		f.Add(typ, []byte(`{}`))
	}
	f.Add(api.CmdApplicationPass, []byte(`{"application_id":"x","opinion":"同意","recommendation":{"group_size":5},"attachments":[{"sha256":"ab"}]}`))
	f.Add(api.CmdMessageSend, []byte(`{"message_id":"m","title":"t","body":"b","recipients":[{"kind":"unit","id":"u"}]}`))
	f.Add(api.CmdUnitUpdate, []byte(`{"unit":{"id":"u","staff_count":1e3}}`))
	f.Add(api.CmdStockCommentSave, []byte(`{"comment":{"id":"c","text":"\u0000"}} `))
	f.Add("nope", []byte(`null`))
	f.Fuzz(func(t *testing.T, typ string, args []byte) {
		cmd := api.Command{Seq: 1, ID: "00000000-0000-4000-8000-000000000001", Type: typ, Args: args}
		v, err := api.DecodeArgs(cmd)
		if err != nil {
			if v != nil {
				t.Fatalf("value %v with error %v", v, err)
			}
			return
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("accepted args do not re-encode: %v", err)
		}
		v2, err := api.DecodeArgs(api.Command{Seq: 1, ID: cmd.ID, Type: typ, Args: again})
		if err != nil {
			t.Fatalf("re-encoded args refused: %v\n%s", err, again)
		}
		// Compared as JSON: time zones decode to fresh *Location values,
		// so DeepEqual would report equal instants as different.
		if third, _ := json.Marshal(v2); !bytes.Equal(third, again) {
			t.Fatalf("round trip changed the args:\n%s\n%s", again, third)
		}
	})
}
