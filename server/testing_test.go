package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"titledesk/api"
	"titledesk/internal/storetest"
	"titledesk/model"
	"titledesk/server/demo"
)

// Reusable harness for the server's tests: a real database — a SQLite file
// in a temp directory, or a fresh PostgreSQL schema when the suite runs on
// PostgreSQL (internal/storetest) — the full HTTP handler stack behind httptest, an injectable
// clock, and a small fixture world. Later end-to-end, authorization-matrix
// and benchmark tests build on newTestServer, login, push and pullAll.

// testPassword is every fixture account's password.
const testPassword = "Fixture#2026"

// fx names the fixture world's IDs.
var fx = struct {
	City, D1, D1a, E1, E2, D2, E3, Unreg string
	P1, P2, P3                           string // applicants: P1 in E1, P2 in D1 (own staff), P3 in E3
	A1, A2, A3                           string // their draft applications
	Committee                            string
}{
	City: uid(1), D1: uid(2), D1a: uid(3), E1: uid(4), E2: uid(5), D2: uid(6), E3: uid(7), Unreg: uid(8),
	P1: uid(21), P2: uid(22), P3: uid(23),
	A1: uid(31), A2: uid(32), A3: uid(33),
	Committee: uid(41),
}

// Fixture usernames, one per role and unit.
const (
	userCity   = "city"
	userDept1  = "dept1"
	userDept1a = "dept1a"
	userDept2  = "dept2"
	userEmp1   = "emp1"
	userEmp3   = "emp3"
	userUnreg  = "unreg"
	userAppl1  = "appl1"
	userAppl2  = "appl2"
	userAppl3  = "appl3"
)

// uid is a readable fixed UUID.
func uid(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// testClock is an injectable clock tests move by hand.
type testClock struct {
	mu gosync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testServer is a running server over a temp data directory.
type testServer struct {
	t     testing.TB
	dir   string
	cfg   Config
	clock *testClock
	srv   *Server
	http  *httptest.Server
}

// newTestServer starts a server with the fixture world loaded. opts may
// adjust the Config before Open (DataDir, Now are set already).
func newTestServer(t testing.TB, opts ...func(*Config)) *testServer {
	t.Helper()
	return newTestServerWorld(t, fixtureWorld(), opts...)
}

// newTestServerWorld starts a server with w loaded.
func newTestServerWorld(t testing.TB, w *demo.World, opts ...func(*Config)) *testServer {
	t.Helper()
	ts := &testServer{t: t, dir: t.TempDir(),
		clock: &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	// Fixture passwords are hashed at bcrypt's minimum cost: tests log in
	// hundreds of times. TestLoginEnumeration checks the default cost.
	ts.cfg = Config{DataDir: ts.dir, Database: storetest.Database(t), Now: ts.clock.Now, PasswordCost: bcrypt.MinCost}
	for _, o := range opts {
		o(&ts.cfg)
	}
	ts.start()
	if err := ts.srv.ImportWorld(context.Background(), w); err != nil {
		t.Fatalf("import fixture: %v", err)
	}
	t.Cleanup(ts.stop)
	return ts
}

func (ts *testServer) start() {
	ts.t.Helper()
	srv, err := Open(context.Background(), ts.cfg)
	if err != nil {
		ts.t.Fatalf("open: %v", err)
	}
	ts.srv = srv
	ts.http = httptest.NewServer(contractChecked(ts.t, srv.Handler()))
}

func (ts *testServer) stop() {
	if ts.http != nil {
		ts.http.Close()
		ts.http = nil
	}
	if ts.srv != nil {
		if err := ts.srv.Close(); err != nil {
			ts.t.Errorf("close: %v", err)
		}
		ts.srv = nil
	}
}

// restart closes the server and opens the same data directory again.
func (ts *testServer) restart() {
	ts.t.Helper()
	ts.stop()
	ts.start()
}

// do sends one request; token may be empty.
func (ts *testServer) do(method, path, token string, body io.Reader) *http.Response {
	ts.t.Helper()
	req, err := http.NewRequest(method, ts.http.URL+path, body)
	if err != nil {
		ts.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	return resp
}

// doJSON sends v as JSON and decodes a JSON answer into out (when not nil).
// It returns the status.
func (ts *testServer) doJSON(method, path, token string, v, out any) int {
	ts.t.Helper()
	var body io.Reader
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			ts.t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	resp := ts.do(method, path, token, body)
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			ts.t.Fatalf("%s %s: decode %d answer: %v", method, path, resp.StatusCode, err)
		}
	}
	return resp.StatusCode
}

// problemOf reads a problem answer, checking its media type.
func problemOf(t testing.TB, resp *http.Response) api.Problem {
	t.Helper()
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != api.ProblemContentType {
		t.Fatalf("status %d: Content-Type %q, want %q", resp.StatusCode, ct, api.ProblemContentType)
	}
	var p api.Problem
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatalf("decode problem: %v", err)
	}
	if p.Status != resp.StatusCode || p.Code == "" || p.Title == "" {
		t.Fatalf("incomplete problem %+v for status %d", p, resp.StatusCode)
	}
	return p
}

// testClient is one logged-in device.
type testClient struct {
	ts     *testServer
	token  string
	device string
	seq    int64
	login  api.LoginResponse
}

// login logs username in with the fixture password on a new device.
func (ts *testServer) login(username string) *testClient {
	ts.t.Helper()
	c := &testClient{ts: ts, device: api.NewUUID()}
	status := ts.doJSON("POST", api.Base+"/sessions", "", api.LoginRequest{Username: username,
		Password: testPassword, DeviceID: c.device}, &c.login)
	if status != http.StatusOK {
		ts.t.Fatalf("login %s: status %d", username, status)
	}
	c.token = c.login.Token
	return c
}

// command builds the next command of this device.
func (c *testClient) command(typ string, base int64, args any) api.Command {
	c.ts.t.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		c.ts.t.Fatal(err)
	}
	c.seq++
	return api.Command{Seq: c.seq, ID: api.NewUUID(), Type: typ, BaseVersion: base, Args: raw}
}

// push sends commands and returns their results, failing on a non-200 answer.
func (c *testClient) push(cmds ...api.Command) []api.CommandResult {
	c.ts.t.Helper()
	var resp api.PushResponse
	status := c.ts.doJSON("POST", api.Base+"/sync/commands", c.token,
		api.PushRequest{DeviceID: c.device, Commands: cmds}, &resp)
	if status != http.StatusOK || len(resp.Results) != len(cmds) {
		c.ts.t.Fatalf("push: status %d, %d results for %d commands", status, len(resp.Results), len(cmds))
	}
	return resp.Results
}

// run pushes one command and returns its result.
func (c *testClient) run(typ string, base int64, args any) api.CommandResult {
	c.ts.t.Helper()
	return c.push(c.command(typ, base, args))[0]
}

// mustApply runs a command that must be applied.
func (c *testClient) mustApply(typ string, base int64, args any) api.CommandResult {
	c.ts.t.Helper()
	res := c.run(typ, base, args)
	if res.Status != api.StatusApplied {
		c.ts.t.Fatalf("%s: %s %+v", typ, res.Status, res.Problem)
	}
	return res
}

// pull reads one page of the feed.
func (c *testClient) pull(cursor string, limit int) api.ChangesResponse {
	c.ts.t.Helper()
	var page api.ChangesResponse
	path := fmt.Sprintf("%s/sync/changes?cursor=%s&limit=%d", api.Base, cursor, limit)
	if status := c.ts.doJSON("GET", path, c.token, nil, &page); status != http.StatusOK {
		c.ts.t.Fatalf("pull: status %d", status)
	}
	return page
}

// feedState is what a client holds after applying the feed: the latest
// change per kind and ID.
type feedState map[string]api.Change

func key(kind, id string) string { return kind + "/" + id }

func (s feedState) has(kind, id string) bool {
	ch, ok := s[key(kind, id)]
	return ok && ch.Op == api.OpUpsert
}

// decode reads the data of an upserted entity.
func (s feedState) decode(t testing.TB, kind, id string, v any) {
	t.Helper()
	ch, ok := s[key(kind, id)]
	if !ok || ch.Op != api.OpUpsert {
		t.Fatalf("%s %s not in feed", kind, id)
	}
	if err := json.Unmarshal(ch.Data, v); err != nil {
		t.Fatalf("decode %s: %v", kind, err)
	}
}

// pullAll follows the feed from cursor to its end and folds it into state.
func (c *testClient) pullAll(cursor string, state feedState) (feedState, string) {
	c.ts.t.Helper()
	if state == nil {
		state = feedState{}
	}
	for {
		page := c.pull(cursor, api.MaxChangesPerPage)
		for _, ch := range page.Changes {
			state[key(ch.Kind, ch.ID)] = ch
		}
		cursor = page.Cursor
		if !page.HasMore {
			return state, cursor
		}
	}
}

// fixtureWorld is a small hierarchy with every role:
//
//	市职称办 (City)
//	├── 第一主管部门 (D1) ── 下属主管部门 (D1a) ── 用人单位一 (E1)
//	│                     └─ 用人单位二 (E2)
//	└── 第二主管部门 (D2) ── 用人单位三 (E3)
//	未注册单位 (Unreg, no superior yet)
func fixtureWorld() *demo.World {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	unit := func(id, parent string, kind model.UnitKind, name string, n int) model.Unit {
		return model.Unit{ID: id, ParentID: parent, Kind: kind, Name: name,
			CreditCode: model.MakeCreditCode(fmt.Sprintf("12120000MB%07d", n)), Type: model.UnitTypeInstitution,
			Address: "天津市和平区", PostalCode: "300000", Contact: "张老师", Phone: "022-23456789",
			Version: 1, UpdatedAt: now}
	}
	w := &demo.World{
		Units: []model.Unit{
			unit(fx.City, "", model.UnitCityOffice, "市职称办", 1),
			unit(fx.D1, fx.City, model.UnitDepartment, "第一主管部门", 2),
			unit(fx.D1a, fx.D1, model.UnitDepartment, "下属主管部门", 3),
			unit(fx.E1, fx.D1a, model.UnitEmployer, "用人单位一", 4),
			unit(fx.E2, fx.D1, model.UnitEmployer, "用人单位二", 5),
			unit(fx.D2, fx.City, model.UnitDepartment, "第二主管部门", 6),
			unit(fx.E3, fx.D2, model.UnitEmployer, "用人单位三", 7),
			unit(fx.Unreg, "", model.UnitEmployer, "未注册单位", 8),
		},
		Committees: []model.Committee{{ID: fx.Committee, Name: "工程技术高级评委会",
			Series: "engineering", Level: model.LevelSenior, Version: 1}},
	}
	person := func(id, unitID, name string, n int) model.Applicant {
		idn := model.MakeIDNumber("12", "1985-03-12", n, n%2 == 1)
		info, _ := model.ParseIDNumber(idn)
		return model.Applicant{ID: id, UnitID: unitID, Name: name, IDNumber: idn, Gender: info.Gender,
			BirthDate: info.BirthDate, Phone: "13812345678", Education: "本科", Version: 1, UpdatedAt: now}
	}
	w.Applicants = []model.Applicant{person(fx.P1, fx.E1, "李明", 1), person(fx.P2, fx.D1, "王芳", 2),
		person(fx.P3, fx.E3, "赵强", 3)}
	draft := func(id, applicant, unitID string, series model.Series, method model.EvaluationMethod) model.Application {
		return model.Application{ID: id, ApplicantID: applicant, UnitID: unitID, Year: 2026, Series: series,
			Specialty: "土木工程", Level: model.LevelAssociateSenior, TitleName: "高级工程师", Method: method,
			Stage: model.StageDraft, Version: 1, UpdatedAt: now}
	}
	w.Applications = []model.Application{
		draft(fx.A1, fx.P1, fx.E1, "engineering", model.MethodPanelReview),
		draft(fx.A2, fx.P2, fx.D1, "engineering", model.MethodSelfAppointment),
		draft(fx.A3, fx.P3, fx.E3, "engineering", model.MethodExamInLieu),
	}
	account := func(n int, username string, role model.Role, unitID, applicantID string) demo.AccountSeed {
		return demo.AccountSeed{Password: testPassword, Account: model.Account{ID: uid(100 + n), Username: username,
			Name: "经办人" + username, Role: role, UnitID: unitID, ApplicantID: applicantID}}
	}
	w.Accounts = []demo.AccountSeed{
		account(1, userCity, model.RoleCityOffice, fx.City, ""),
		account(2, userDept1, model.RoleDepartment, fx.D1, ""),
		account(3, userDept1a, model.RoleDepartment, fx.D1a, ""),
		account(4, userDept2, model.RoleDepartment, fx.D2, ""),
		account(5, userEmp1, model.RoleEmployer, fx.E1, ""),
		account(6, userEmp3, model.RoleEmployer, fx.E3, ""),
		account(7, userUnreg, model.RoleEmployer, fx.Unreg, ""),
		account(8, userAppl1, model.RoleApplicant, fx.E1, fx.P1),
		account(9, userAppl2, model.RoleApplicant, fx.D1, fx.P2),
		account(10, userAppl3, model.RoleApplicant, fx.E3, fx.P3),
	}
	return w
}

// count reads one number from the database, for "nothing was written" checks.
func (ts *testServer) count(query string, args ...any) int64 {
	ts.t.Helper()
	var n int64
	if err := ts.srv.reader.QueryRow(query, args...).Scan(&n); err != nil {
		ts.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// writes is a fingerprint of everything commands can write.
func (ts *testServer) writes() [3]int64 {
	return [3]int64{
		ts.count(`SELECT value FROM counters WHERE name = 'feed_seq'`),
		ts.count(`SELECT COUNT(*) FROM command_results`),
		ts.count(`SELECT COALESCE(SUM(version), 0) FROM applications`),
	}
}

// bookkeepingTables are left out of recordDigest: what a refused attempt may
// write besides the official record — its audit entry, its stored result,
// the failed-login counter, a session or device of a successful login.
var bookkeepingTables = map[string]bool{"audit_log": true, "command_results": true, "login_failures": true,
	"sessions": true, "devices": true, "schema_migrations": true}

// recordDigest fingerprints every row of the official record (every table
// but the bookkeeping ones, and the feed counter but not the audit
// counter), for "the attack wrote nothing" checks over the real database.
func (ts *testServer) recordDigest() string {
	ts.t.Helper()
	tables, err := tableNames(ts.t.Context(), ts.srv.reader, ts.srv.dialect)
	if err != nil {
		ts.t.Fatal(err)
	}
	h := sha256.New()
	for _, table := range tables {
		if bookkeepingTables[table] {
			continue
		}
		query := `SELECT * FROM ` + table
		if table == "counters" {
			query += ` WHERE name <> 'audit_seq'`
		}
		rows, err := ts.srv.reader.Query(query)
		if err != nil {
			ts.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				ts.t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%q", vals))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(h, "%s %d\n%s\n", table, len(lines), strings.Join(lines, "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// auditEntries reads the audit log entries with seq > after.
func (ts *testServer) auditEntries(after int64) []AuditEntry {
	ts.t.Helper()
	var out []AuditEntry
	err := ts.srv.AuditLog(ts.t.Context(), AuditFilter{}, func(e AuditEntry) error {
		if e.Seq > after {
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		ts.t.Fatal(err)
	}
	return out
}

// auditHead is the newest audit entry's seq.
func (ts *testServer) auditHead() int64 {
	return ts.count(`SELECT COALESCE(MAX(seq), 0) FROM audit_log`)
}

// jsonBody encodes v as a request body.
func jsonBody(t testing.TB, v any) io.Reader {
	t.Helper()
	return bytes.NewReader(jsonRaw(t, v))
}

// jsonRaw encodes v.
func jsonRaw(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeInto reads a JSON answer into v and closes the body.
func decodeInto(t testing.TB, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("decode %d answer: %v", resp.StatusCode, err)
	}
}

// unguardAuditLog drops the triggers that keep the audit log append-only,
// as someone with the database owner's rights could.
func (ts *testServer) unguardAuditLog() {
	ts.t.Helper()
	drop := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	if ts.srv.dialect.name() == StorePostgres {
		drop = []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`}
	}
	for _, q := range drop {
		if _, err := ts.srv.writer.Exec(q); err != nil {
			ts.t.Fatalf("%s: %v", q, err)
		}
	}
}
