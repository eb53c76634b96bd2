package server

import (
	"context"
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// auditedWorld is a server whose log holds a few entries of every kind:
// failed and good logins, a lockout, commands, a logout, an admin action.
func auditedWorld(t *testing.T) *testServer {
	t.Helper()
	ts := newTestServer(t)
	for i := 0; i < maxFailedLogins; i++ {
		ts.doJSON("POST", api.Base+"/sessions", "", api.LoginRequest{Username: userDept2, Password: "wrong-pass",
			DeviceID: api.NewUUID()}, nil)
	}
	c := ts.login(userDept1)
	c.mustApply(api.CmdStockCommentSave, 0, api.StockCommentArgs{Comment: model.StockComment{ID: api.NewUUID(), Text: "同意", Position: 1}})
	c.run(api.CmdApplicationPass, 0, api.PassArgs{ApplicationID: fx.A3})
	ts.do("DELETE", api.Base+"/sessions/current", c.token, nil).Body.Close()
	if err := ts.srv.UnlockAccount(context.Background(), userDept2); err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestAuditLogRecords(t *testing.T) {
	ts := auditedWorld(t)
	var got []string
	for _, e := range ts.auditEntries(0) {
		got = append(got, e.Event+"/"+e.Result+"/"+e.Code)
		if e.Address == "" && e.Event != AuditAdmin {
			t.Errorf("entry %d (%s) has no client address", e.Seq, e.Event)
		}
	}
	want := []string{
		"login_failed//bad_credentials", "login_failed//bad_credentials", "login_failed//bad_credentials",
		"login_failed//bad_credentials", "login_failed//bad_credentials", "lockout//account_locked",
		"login/ok/", "command/applied/", "command/rejected/not_found", "logout/ok/", "admin/ok/",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("audit log:\n got %v\nwant %v", got, want)
	}
	rep, err := ts.srv.VerifyAudit(t.Context())
	if err != nil || len(rep.Breaks) != 0 || rep.Entries != int64(len(want)) || rep.HeadSeq != int64(len(want)) {
		t.Fatalf("intact log: %+v %v", rep, err)
	}
	// The log is append-only for ordinary SQL.
	if _, err := ts.srv.writer.Exec(`UPDATE audit_log SET detail = 'x' WHERE seq = 1`); err == nil {
		t.Fatal("an audit entry could be updated")
	}
	if _, err := ts.srv.writer.Exec(`DELETE FROM audit_log WHERE seq = 1`); err == nil {
		t.Fatal("an audit entry could be deleted")
	}
}

// TestAuditVerifyFindsTampering: every kind of edit by SQL is found and
// named by the number of the entry.
func TestAuditVerifyFindsTampering(t *testing.T) {
	cases := []struct {
		name  string
		sql   []string
		seq   int64
		words string
	}{
		{"changed field", []string{`UPDATE audit_log SET username = 'someone' WHERE seq = 3`}, 3, "内容被修改"},
		{"changed result", []string{`UPDATE audit_log SET result = 'rejected' WHERE seq = 8`}, 8, "内容被修改"},
		{"changed and rehashed", []string{`UPDATE audit_log SET code = '', hash = '` + strings.Repeat("a", 64) + `' WHERE seq = 9`}, 10, "被修改或替换"},
		{"deleted in the middle", []string{`DELETE FROM audit_log WHERE seq = 5`}, 6, "缺少1条"},
		{"deleted at the end", []string{`DELETE FROM audit_log WHERE seq = 11`}, 11, "缺失"},
		{"inserted", []string{`INSERT INTO audit_log(seq, at, event, prev_hash, hash) VALUES (12, 0, 'login', 'x', 'y')`}, 12, "被修改或替换"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := auditedWorld(t)
			ts.unguardAuditLog()
			for _, q := range tc.sql {
				if _, err := ts.srv.writer.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			rep, err := ts.srv.VerifyAudit(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, b := range rep.Breaks {
				found = found || (b.Seq == tc.seq && strings.Contains(b.Reason, tc.words))
			}
			if !found {
				t.Fatalf("breaks %+v do not name entry %d (%s)", rep.Breaks, tc.seq, tc.words)
			}
		})
	}
}

// TestAuditHoldsNoSecrets: passwords, tokens and ID numbers never reach the
// log, even an ID number typed into the username box.
func TestAuditHoldsNoSecrets(t *testing.T) {
	ts := newTestServer(t)
	idn := model.MakeIDNumber("12", "1985-03-12", 1, true)
	ts.doJSON("POST", api.Base+"/sessions", "", api.LoginRequest{Username: idn, Password: "Secret#Typed1", DeviceID: api.NewUUID()}, nil)
	c := ts.login(userAppl1)
	c.run(api.CmdApplicationSubmit, 0, api.ApplicationRefArgs{ApplicationID: fx.A1})
	for _, e := range ts.auditEntries(0) {
		row := strings.Join([]string{e.AccountID, e.Username, e.Address, e.DeviceID, e.CommandType, e.EntityID,
			e.Result, e.Code, e.Detail}, "|")
		for _, secret := range []string{idn, "Secret#Typed1", testPassword, c.token} {
			if strings.Contains(row, secret) {
				t.Fatalf("entry %d holds a secret: %s", e.Seq, row)
			}
		}
	}
	var p model.Applicant
	ts.srv.reader.QueryRow(`SELECT data FROM applicants WHERE id = ?`, fx.P1).Scan(jsonScanner{&p})
	if n := ts.count(`SELECT COUNT(*) FROM audit_log WHERE username || detail || entity_id LIKE ?`, "%"+p.IDNumber+"%"); n != 0 {
		t.Fatal("an applicant's ID number is in the audit log")
	}
}

// TestAuditMasksNumbersInFreeText: whatever free text reaches the audit log
// — a correction's reason typed at the admin tool, a username tried at
// login — holds no ID number or mobile number in any notation, and the
// hash chain over the masked entries still verifies.
func TestAuditMasksNumbersInFreeText(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	idn := model.MakeIDNumber("12", "1985-03-12", 7, false) // ends in a digit or X
	old15 := "120101850312123"
	mobile := "13812345678"
	tests := []struct {
		name, text string
		secrets    []string // digit runs that must not be in the entry
	}{
		{"18-digit ID", "依据身份证" + idn, []string{idn[4:14]}},
		{"18-digit ID ending in X", "身份证号 12010119800101123X 有误", []string{"1980010112"}},
		{"15-digit old ID", "旧证号" + old15, []string{old15[4:11]}},
		{"full-width", "证号" + toFullWidthDigits(idn), []string{idn[4:14]}},
		{"spaces", idn[:6] + " " + idn[6:14] + " " + idn[14:], []string{idn[4:14], idn[6:14]}},
		{"hyphens", idn[:6] + "-" + idn[6:14] + "-" + idn[14:], []string{idn[4:14], idn[6:14]}},
		{"mobile with +86", "联系人电话 +86 138 1234 5678", []string{"1234"}},
		{"mobile", "电话" + mobile, []string{"3812345"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := ts.auditHead()
			degree := []string{"硕士", "学士"}[i%2] // a correction must change something
			if _, err := ts.srv.CorrectApplicant(ctx, fx.P1, tt.text, map[string]string{"degree": degree}); err != nil {
				t.Fatal(err)
			}
			ts.doJSON("POST", api.Base+"/sessions", "", api.LoginRequest{Username: tt.text, Password: "wrong-1",
				DeviceID: api.NewUUID()}, nil)
			entries := ts.auditEntries(head)
			if len(entries) != 2 {
				t.Fatalf("%d entries, want the correction and the failed login", len(entries))
			}
			for _, e := range entries {
				stored := model.NormalizeIDNumber(e.Username + "|" + e.Detail)
				for _, secret := range tt.secrets {
					if strings.Contains(stored, secret) {
						t.Errorf("entry %d (%s) holds %s: %q / %q", e.Seq, e.Event, secret, e.Username, e.Detail)
					}
				}
			}
		})
	}
	rep, err := ts.srv.VerifyAudit(ctx)
	if err != nil || len(rep.Breaks) > 0 {
		t.Fatalf("the chain over masked entries does not verify: %+v %v", rep, err)
	}
}

func toFullWidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == 'X' {
			return r + 0xFEE0
		}
		return r
	}, s)
}
