package api

import (
	"encoding/json"
	"errors"
	"testing"

	"titledesk/model"
)

func TestDecodeArgs(t *testing.T) {
	id := "3f1c2a9e-8b7d-4c6e-9a1b-2c3d4e5f6a7b"
	tests := []struct {
		name string
		typ  string
		args string
		ok   bool
	}{
		{"pass", CmdApplicationPass, `{"application_id":"` + id + `","opinion":"同意"}`, true},
		{"unknown field", CmdApplicationPass, `{"application_id":"x","opnion":"同意"}`, false},
		{"wrong type", CmdApplicationReject, `{"application_id":1,"opinion":"x"}`, false},
		{"malformed", CmdApplicationReject, `{"application_id":`, false},
		{"trailing data", CmdApplicationSubmit, `{"application_id":"x"} {}`, false},
		{"empty args", CmdApplicationSubmit, ``, false},
		{"unknown type", "application.approve", `{}`, false},
		{"nested unknown field", CmdApplicationPass, `{"application_id":"x","recommendation":{"votes":3}}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeArgs(Command{Seq: 1, ID: id, Type: tc.typ, Args: json.RawMessage(tc.args)})
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
			var e *model.Error
			if err != nil && (!errors.As(err, &e) || e.Kind != model.KindInvalid || e.Title == "") {
				t.Fatalf("not a Chinese invalid-input error: %v", err)
			}
		})
	}
}

func TestValidateEnvelope(t *testing.T) {
	good := Command{Seq: 1, ID: NewUUID(), Type: CmdApplicationPass}
	if err := ValidateEnvelope(good); err != nil {
		t.Fatal(err)
	}
	for _, c := range []Command{{Seq: 0, ID: good.ID}, {Seq: 1, ID: "not-a-uuid"}, {Seq: 1, ID: good.ID, BaseVersion: -1}} {
		if ValidateEnvelope(c) == nil {
			t.Errorf("accepted %+v", c)
		}
	}
}

func TestProblemRoundTrip(t *testing.T) {
	err := &model.Error{Kind: model.KindConflict, Code: model.CodeWithdrawTooLate, Title: "无法撤回", Detail: "上一级已经办理"}
	p := ProblemOf(err)
	if p.Status != 409 || p.Code != model.CodeWithdrawTooLate || p.Type == "" {
		t.Fatalf("problem %+v", p)
	}
	back := p.Error()
	if back.Kind != model.KindConflict || back.Detail != err.Detail {
		t.Fatalf("round trip %+v", back)
	}
	if ProblemOf(errors.New("disk on fire")).Detail == "disk on fire" {
		t.Fatal("internal error detail leaked")
	}
}

// FuzzDecodeCommand: the command decoder never panics, and whatever it
// accepts re-encodes and decodes to the same value.
func FuzzDecodeCommand(f *testing.F) {
	f.Add(CmdApplicationPass, `{"application_id":"a","opinion":"同意","recommendation":{"group_size":5}}`)
	f.Add(CmdMessageSend, `{"message_id":"m","title":"t","body":"b","recipients":[{"kind":"unit","id":"u"}]}`)
	f.Add(CmdUnitCreate, `{"unit":{"name":"x","staff_count":3}}`)
	f.Add("x", `null`)
	f.Fuzz(func(t *testing.T, typ, args string) {
		v, err := DecodeArgs(Command{Seq: 1, ID: NewUUID(), Type: typ, Args: json.RawMessage(args)})
		if err != nil {
			if model.AsError(err).Kind != model.KindInvalid {
				t.Fatalf("decode failure is not invalid input: %v", err)
			}
			return
		}
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("accepted value does not re-encode: %v", err)
		}
		w, err := DecodeArgs(Command{Type: typ, Args: data})
		if err != nil {
			t.Fatalf("re-encoded value refused: %v", err)
		}
		again, _ := json.Marshal(w)
		if string(again) != string(data) {
			t.Fatalf("round trip changed the value:\n%s\n%s", data, again)
		}
	})
}
