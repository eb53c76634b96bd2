package server

import (
	"bytes"
	"net/http"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// TestFileHashIsNotAKey is issue 8 hole 2: D2 cannot read a file only D1's
// subtree uses, and putting its hash into D2's own draft neither succeeds
// nor opens the file: the draft answers as for a file never uploaded, the
// download stays 404, and nothing is written.
func TestFileHashIsNotAKey(t *testing.T) {
	ts := newTestServer(t)
	v := submitted(t, ts)
	emp := ts.login(userEmp1)
	file := emp.upload(testPDF(81), "公示结果.pdf", model.AttachPublicity)
	emp.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意", Recommendation: validRecommendation(file)})

	d2 := ts.login(userDept2)
	download := func() int {
		resp := ts.do("GET", api.Base+"/attachments/"+file.SHA256, d2.token, nil)
		resp.Body.Close()
		return resp.StatusCode
	}
	if status := download(); status != http.StatusNotFound {
		t.Fatalf("before: %d", status)
	}
	p3 := applicantOf(t, ts, fx.P3)
	before := ts.recordDigest()
	res := d2.run(api.CmdApplicationCreate, 1, api.ApplicationCreateArgs{Applicant: p3, Application: model.Application{
		ID: fx.A3, Year: 2026, Series: "engineering", Specialty: "土木工程", Level: model.LevelAssociateSenior,
		TitleName: "高级工程师", Method: model.MethodExamInLieu, Attachments: []model.Attachment{file}}})
	expectRejected(t, res, api.StatusRejected, model.CodeAttachmentMissing)
	if ts.recordDigest() != before {
		t.Fatal("the refused reference wrote to the record")
	}
	if status := download(); status != http.StatusNotFound {
		t.Fatalf("after naming the hash in its own draft: %d", status)
	}
	// The file's uploader and D1's subtree still read it.
	for _, c := range []*testClient{emp, ts.login(userDept1)} {
		resp := ts.do("GET", api.Base+"/attachments/"+file.SHA256, c.token, nil)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("a legitimate reader got %d", resp.StatusCode)
		}
	}
}

// TestControlCharactersRefused is issue 8 item 5 over the API (the rule is
// model.CleanInput): a 常用意见 with U+202E, NUL and an ANSI escape, and the
// same characters in an opinion, a reason, a message and a name, are
// refused with a field message, and nothing is written.
func TestControlCharactersRefused(t *testing.T) {
	ts := newTestServer(t)
	v := submitted(t, ts)
	emp, d1 := ts.login(userEmp1), ts.login(userDept1)
	evil := []string{"同意\u202e意同", "同意\x00", "\x1b[31m同意\x1b[0m", "同意\u2066x\u2069", "同意\u009b2J"}
	form := unitOf(t, ts, fx.Unreg)
	form.ParentID = fx.D1
	regID := api.NewUUID()
	ts.login(userUnreg).mustApply(api.CmdUnitRegister, 0, api.UnitRegisterArgs{RegistrationID: regID, Unit: form})
	expert := func(name string) model.Expert {
		return model.Expert{ID: api.NewUUID(), Name: name, IDNumber: model.MakeIDNumber("12", "1970-05-05", 7, true),
			Phone: "13712345678", Title: "教授级高级工程师", Level: model.LevelSenior, Series: "engineering",
			Specialty: "结构工程", WorkUnit: "天津大学"}
	}
	for _, text := range evil {
		cases := []struct {
			name string
			c    *testClient
			typ  string
			base int64
			args any
		}{
			{"stock comment", d1, api.CmdStockCommentSave, 0, api.StockCommentArgs{Comment: model.StockComment{ID: api.NewUUID(), Text: text, Position: 1}}},
			{"reject opinion", emp, api.CmdApplicationReject, v, api.RejectArgs{ApplicationID: fx.A1, Opinion: text}},
			{"message body", d1, api.CmdMessageSend, 0, api.MessageSendArgs{MessageID: api.NewUUID(), Title: "通知", Body: text,
				Recipients: []model.Recipient{{Kind: model.RecipientUnit, ID: fx.E2}}}},
			{"registration reason", d1, api.CmdUnitRejectRegistration, 0, api.RegistrationDecisionArgs{RegistrationID: regID, Reason: text}},
			{"expert name", d1, api.CmdExpertCreate, 0, api.ExpertCreateArgs{Expert: expert("周" + text)}},
		}
		for _, tc := range cases {
			t.Run(tc.name+" "+text, func(t *testing.T) {
				before := ts.recordDigest()
				res := tc.c.run(tc.typ, tc.base, tc.args)
				expectRejected(t, res, api.StatusRejected, model.CodeInvalidCharacters)
				if len(res.Problem.Fields) == 0 {
					t.Fatalf("no field message: %+v", res.Problem)
				}
				if ts.recordDigest() != before {
					t.Fatal("a refused text was written")
				}
			})
		}
	}
}

// TestUploadAnswerIsPerCaller: the answer to an upload tells the caller
// about its own files only. A file stored by someone out of the caller's
// scope answers 201 exactly like a file nobody holds (hole 4's rule: out of
// scope is as if missing); 200 means the caller could already use it — it
// uploaded it before, or an application it can read names it.
func TestUploadAnswerIsPerCaller(t *testing.T) {
	ts := newTestServer(t)
	v := submitted(t, ts)
	emp := ts.login(userEmp1)
	named := emp.upload(testPDF(91), "公示结果.pdf", model.AttachPublicity)
	emp.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意", Recommendation: validRecommendation(named)})
	unnamed := testPDF(92) // uploaded by emp1, named by nothing
	emp.upload(unnamed, "草稿.pdf", model.AttachPublicity)
	d1, d2, appl3 := ts.login(userDept1), ts.login(userDept2), ts.login(userAppl3)
	put := func(c *testClient, data []byte) int {
		resp := ts.do("PUT", api.Base+"/attachments/"+sha(data), c.token, bytes.NewReader(data))
		resp.Body.Close()
		return resp.StatusCode
	}
	tests := []struct {
		name string
		c    *testClient
		data []byte
		want int
	}{
		{"out of scope: a file another subtree's application names", d2, testPDF(91), http.StatusCreated},
		{"out of scope: a file another account uploaded, named nowhere", d2, unnamed, http.StatusCreated},
		{"an applicant: another person's file", appl3, testPDF(91), http.StatusCreated},
		{"a file nobody holds", d2, testPDF(93), http.StatusCreated},
		{"its own upload again", d2, testPDF(93), http.StatusOK},
		{"the uploader again", emp, unnamed, http.StatusOK},
		{"in scope: named by an application of its subtree", d1, testPDF(91), http.StatusOK},
		{"then the out-of-scope caller again (now its own)", d2, testPDF(91), http.StatusOK},
	}
	for _, tt := range tests {
		if got := put(tt.c, tt.data); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}
