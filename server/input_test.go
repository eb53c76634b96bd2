package server

import (
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// TestHostileTextRefused: the one input rule (model.CleanInput, run by
// api.DecodeArgs) refuses control and bidirectional characters in every
// free-text field of every command that carries one, with a field message,
// and writes nothing (issue 8 item 5).
func TestHostileTextRefused(t *testing.T) {
	ts := newTestServer(t)
	dept, appl := ts.login(userDept1), ts.login(userAppl3)
	var p model.Applicant
	ts.srv.reader.QueryRow(`SELECT data FROM applicants WHERE id = ?`, fx.P3).Scan(jsonScanner{&p})
	var unit model.Unit
	ts.srv.reader.QueryRow(`SELECT data FROM units WHERE id = ?`, fx.D1).Scan(jsonScanner{&unit})
	hostile := []struct{ name, text string }{
		{"RLO", "同意\u202e推荐"},
		{"NUL", "同意\x00推荐"},
		{"ANSI escape", "\x1b[31m同意推荐\x1b[0m"},
		{"C1 CSI", "同意\u009b推荐"},
		{"isolate", "同意\u2067推荐\u2069"},
	}
	for _, h := range hostile {
		cmds := []struct {
			name, field string
			c           *testClient
			typ         string
			args        any
		}{
			{"stock comment", "text", dept, api.CmdStockCommentSave,
				api.StockCommentArgs{Comment: model.StockComment{ID: api.NewUUID(), Text: h.text, Position: 1}}},
			{"message body", "body", dept, api.CmdMessageSend, api.MessageSendArgs{MessageID: api.NewUUID(), Title: "通知",
				Body: h.text, Recipients: []model.Recipient{{Kind: model.RecipientUnit, ID: fx.E2}}}},
			{"message title", "title", dept, api.CmdMessageSend, api.MessageSendArgs{MessageID: api.NewUUID(), Title: h.text,
				Body: "内容", Recipients: []model.Recipient{{Kind: model.RecipientUnit, ID: fx.E2}}}},
			{"reject opinion", "opinion", dept, api.CmdApplicationReject, api.RejectArgs{ApplicationID: fx.A2, Opinion: h.text}},
			{"unit address", "address", dept, api.CmdUnitUpdate, api.UnitArgs{Unit: func() model.Unit {
				u := unit
				u.Address = h.text
				return u
			}()}},
			{"expert name", "name", dept, api.CmdExpertCreate, api.ExpertCreateArgs{Expert: model.Expert{ID: api.NewUUID(),
				Name: h.text, IDNumber: model.MakeIDNumber("12", "1970-01-01", 1, true), Phone: "13812345678",
				Title: "高级工程师", Series: "engineering", Level: model.LevelAssociateSenior, Specialty: "土木", WorkUnit: "某单位"}}},
			{"applicant name", "name", appl, api.CmdApplicationCreate, api.ApplicationCreateArgs{Applicant: func() model.Applicant {
				q := p
				q.Name = h.text
				return q
			}(), Application: model.Application{ID: fx.A3, Year: 2026, Series: "engineering", Specialty: "土木",
				Level: model.LevelIntermediate, TitleName: "工程师", Method: model.MethodExamInLieu}}},
			{"applicant school", "school", appl, api.CmdApplicationCreate, api.ApplicationCreateArgs{Applicant: func() model.Applicant {
				q := p
				q.School = h.text
				return q
			}(), Application: model.Application{ID: fx.A3, Year: 2026, Series: "engineering", Specialty: "土木",
				Level: model.LevelIntermediate, TitleName: "工程师", Method: model.MethodExamInLieu}}},
			{"registration reason", "reason", dept, api.CmdUnitRejectRegistration,
				api.RegistrationDecisionArgs{RegistrationID: api.NewUUID(), Reason: h.text}},
		}
		for _, c := range cmds {
			t.Run(h.name+"/"+c.name, func(t *testing.T) {
				before := ts.writes()
				res := c.c.run(c.typ, 0, c.args)
				if res.Status != api.StatusRejected || res.Problem == nil || res.Problem.Code != model.CodeInvalidCharacters {
					t.Fatalf("got %s %+v, want rejected %s", res.Status, res.Problem, model.CodeInvalidCharacters)
				}
				if res.Problem.Fields[c.field] == "" {
					t.Fatalf("no message for field %q: %v", c.field, res.Problem.Fields)
				}
				after := ts.writes()
				if before[0] != after[0] || before[2] != after[2] {
					t.Fatalf("something was written: %v → %v", before, after)
				}
			})
		}
	}
}

// TestInputNormalizedOnServer: a peer that skips the client's rules still
// gets the one normal form stored (full-width ID number, +86 phone,
// separator-dot variant, pasted invisible characters), and a valid ID
// number of someone born before 1900 is refused only as an applicant's age.
func TestInputNormalizedOnServer(t *testing.T) {
	ts := newTestServer(t)
	appl := ts.login(userAppl3)
	var p model.Applicant
	ts.srv.reader.QueryRow(`SELECT data FROM applicants WHERE id = ?`, fx.P3).Scan(jsonScanner{&p})
	form := model.Application{ID: fx.A3, Year: 2026, Series: "engineering", Specialty: "土木\u200b工程",
		Level: model.LevelIntermediate, TitleName: "工程师", Method: model.MethodExamInLieu}
	want := p.IDNumber
	q := p
	q.Name, q.Phone = "阿卜杜拉 • 买买提", "+86 138 1234 5678"
	q.IDNumber = toFullWidth(want[:6]) + " " + want[6:14] + "-" + want[14:]
	appl.mustApply(api.CmdApplicationCreate, 1, api.ApplicationCreateArgs{Applicant: q, Application: form})
	var got model.Applicant
	ts.srv.reader.QueryRow(`SELECT data FROM applicants WHERE id = ?`, fx.P3).Scan(jsonScanner{&got})
	if got.Name != "阿卜杜拉·买买提" || got.Phone != "13812345678" || got.IDNumber != want {
		t.Fatalf("stored %q %q (ID as typed: %v)", got.Name, got.Phone, got.IDNumber == want)
	}
	var app model.Application
	ts.srv.reader.QueryRow(`SELECT data FROM applications WHERE id = ?`, fx.A3).Scan(jsonScanner{&app})
	if app.Specialty != "土木工程" {
		t.Fatalf("specialty %q", app.Specialty)
	}

	old := p
	old.IDNumber = "440524188001010014" // GB 11643-1999's example, born 1880
	res := appl.run(api.CmdApplicationCreate, 2, api.ApplicationCreateArgs{Applicant: old, Application: form})
	if res.Problem == nil || res.Problem.Fields["id_number"] == "" {
		t.Fatalf("born 1880 accepted as an applicant: %+v", res)
	}
	if msg := res.Problem.Fields["id_number"]; msg != model.CheckPersonAge("申报人", "1880-01-01", model.DateOf(ts.clock.Now())) {
		t.Fatalf("message %q is not the age rule's", msg)
	}
}

func toFullWidth(s string) string {
	out := []rune{}
	for _, r := range s {
		out = append(out, r+0xFEE0)
	}
	return string(out)
}
