package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"titledesk/api"
	"titledesk/model"
)

func (s *Server) handlePush(w http.ResponseWriter, r *http.Request, c *caller) {
	var req api.PushRequest
	if err := readJSON(w, r, &req); err != nil {
		s.writeProblem(w, r, err)
		return
	}
	if !api.ValidUUID(req.DeviceID) {
		s.writeProblem(w, r, errValidation("device_id", "设备标识无效"))
		return
	}
	if err := s.checkPushCursor(r.Context(), req.Cursor); err != nil {
		s.writeProblem(w, r, err)
		return
	}
	if len(req.Commands) > api.MaxCommandsPerPush {
		s.writeProblem(w, r, &model.Error{Kind: model.KindTooLarge, Code: model.CodeTooLarge, Title: "内容过大",
			Detail: fmt.Sprintf("一次最多提交%d条操作", api.MaxCommandsPerPush)})
		return
	}
	results, err := s.push(r.Context(), c, req.DeviceID, req.Commands)
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, api.PushResponse{Results: results})
}

// push runs a batch, each command inside its own savepoint: a refused
// command writes nothing while its neighbours commit. While another writer
// may wait (yieldWrite), the batch is cut into transactions of about Config.PushSlice, so
// a long push never holds the write lock for longer than that (plus one
// command) against anyone (SEC-6); alone, it stays one transaction and
// pays for one commit. Each command's effect, result and audit entry commit together,
// so a push cut short by a crash is simply pushed again: what was applied
// comes back duplicate. Only a storage failure aborts the rest. deviceID
// is the device the request names: the session's, or a new one (useDevice).
func (s *Server) push(ctx context.Context, c *caller, deviceID string, cmds []api.Command) ([]api.CommandResult, error) {
	results := make([]api.CommandResult, 0, len(cmds))
	for first := true; first || len(results) < len(cmds); first = false {
		done := len(results)
		err := s.write(ctx, func(t *txn) error {
			if first {
				if err := t.useDevice(ctx, c, deviceID); err != nil {
					return err
				}
			}
			start := time.Now()
			for _, cmd := range cmds[len(results):] {
				res, err := s.runCommand(ctx, t, c, cmd)
				if err != nil {
					return err
				}
				results = append(results, res)
				if pushCommandRan != nil {
					pushCommandRan(len(results))
				}
				if s.cfg.PushSlice > 0 && time.Since(start) >= s.cfg.PushSlice && s.yieldWrite() {
					break
				}
			}
			return nil
		})
		if err != nil {
			results = results[:done]
			return nil, fmt.Errorf("push: %w", err)
		}
	}
	return results, nil
}

// yieldWrite reports whether a push past its slice should commit now: a
// writer of this process waits, or the store is PostgreSQL, where writers
// of other server processes wait unseen.
func (s *Server) yieldWrite() bool {
	return s.waiting.Load() > 0 || s.dialect.name() == StorePostgres
}

// pushCommandRan, when set by a test, runs inside a push's transaction
// after each command, with the number of commands done so far.
var pushCommandRan func(done int)

// runCommand answers one command exactly once: a command id this account
// has sent before, on whatever device and seq, answers the stored result as
// duplicate; a (device, seq) it has used before for another command id
// answers seq_reused (nothing runs: the device's cache was restored or
// copied); otherwise the command runs and its result (applied, rejected or
// conflict alike) is stored, so a refused command never blocks the device's
// queue. Every answer is audited.
func (s *Server) runCommand(ctx context.Context, t *txn, c *caller, cmd api.Command) (api.CommandResult, error) {
	res, hidden, err := s.decide(ctx, t, c, cmd)
	if err != nil {
		return res, err
	}
	entry := AuditEntry{Event: AuditCommand, AccountID: c.AccountID, Username: c.Username, Address: c.Address,
		DeviceID: c.DeviceID, CommandType: clip(cmd.Type, 64), EntityID: res.EntityID, Result: res.Status}
	if res.Problem != nil {
		entry.Code = res.Problem.Code
	}
	if hidden {
		entry.Result, entry.Code = "refused", codeIDOutOfScope
		entry.Detail = "标识属于调用者范围之外的记录；按新建应答，未写入"
	}
	return res, t.audit(ctx, entry)
}

// codeIDOutOfScope is the audit log's code for a create naming an id taken
// outside the caller's scope (never shown to the caller).
const codeIDOutOfScope = "id_out_of_scope"

// errTakenElsewhere is returned by a create whose new id already names an
// entity outside the caller's scope, after every check a fresh id would
// face. The command is answered exactly as a create of a fresh id would be
// — applied, version 1 — with nothing written, so an answer never tells
// whether an id exists beyond the caller's reach (issue 8, hole 4); the
// audit log records the truth.
type errTakenElsewhere struct{ id string }

func (e *errTakenElsewhere) Error() string { return "id taken outside the caller's scope" }

// takenElsewhere is the error of a create whose id is taken: duplicate when
// the caller can see the entity, otherwise errTakenElsewhere.
func takenElsewhere(visible bool, id, detail string) error {
	if visible {
		return orDuplicate(nil, detail)
	}
	return &errTakenElsewhere{id: id}
}

// decide is runCommand without the audit entry; hidden reports an answer
// that stands in for errTakenElsewhere.
func (s *Server) decide(ctx context.Context, t *txn, c *caller, cmd api.Command) (res api.CommandResult, hidden bool, err error) {
	if cmd.Seq > 0 && api.ValidUUID(cmd.ID) {
		prev, ok, err := t.storedResult(ctx, c, cmd)
		if err != nil || ok {
			return prev, false, err
		}
	}
	res = api.CommandResult{Seq: cmd.Seq, ID: cmd.ID}
	var out outcome
	err = t.savepoint(ctx, func() error {
		var err error
		out, err = s.execute(ctx, t, c, cmd)
		return err
	})
	var (
		me *model.Error
		te *errTakenElsewhere
	)
	switch {
	case err == nil:
		res.Status, res.EntityID, res.Version = api.StatusApplied, out.entityID, out.version
	case errors.As(err, &te):
		res.Status, res.EntityID, res.Version, hidden = api.StatusApplied, te.id, 1, true
	case errors.As(err, &me):
		res.Status = api.StatusRejected
		if me.Kind == model.KindConflict {
			res.Status = api.StatusConflict
		}
		if me.Kind == model.KindInternal {
			s.log.ErrorContext(ctx, "command refused by an internal check", "type", cmd.Type, "code", me.Code)
		}
		res.Problem = problemFor(me)
	default:
		return res, false, fmt.Errorf("command %s: %w", cmd.Type, err)
	}
	if cmd.Seq > 0 && api.ValidUUID(cmd.ID) {
		if err := t.storeResult(ctx, c, cmd, res); err != nil {
			return res, hidden, err
		}
	}
	return res, hidden, nil
}

// storedResult finds an earlier answer to cmd in one query: by its command
// id for this account (whatever device or seq it came with before) the
// stored result, as duplicate; else, when this account's (device, seq)
// holds another command, seq_reused.
func (t *txn) storedResult(ctx context.Context, c *caller, cmd api.Command) (api.CommandResult, bool, error) {
	var data []byte
	var stored string // the command id the result belongs to
	err := t.queryRow(ctx, `SELECT command_id, result FROM command_results WHERE account_id = ?1 AND command_id = ?2
		UNION ALL SELECT command_id, result FROM command_results WHERE account_id = ?1 AND device_id = ?3 AND seq = ?4
		LIMIT 1`, c.AccountID, cmd.ID, c.DeviceID, cmd.Seq).Scan(&stored, &data)
	if err == nil && stored != cmd.ID {
		return seqReused(cmd), true, nil
	}
	if isNoRows(err) {
		return api.CommandResult{}, false, nil
	}
	if err != nil {
		return api.CommandResult{}, false, fmt.Errorf("load command result: %w", err)
	}
	var first api.CommandResult
	if err := decodeJSON(data, &first); err != nil {
		return api.CommandResult{}, false, err
	}
	dup := first
	dup.Seq, dup.Status, dup.Original = cmd.Seq, api.StatusDuplicate, first.Status
	return dup, true, nil
}

// seqReused answers a command whose (device, seq) already names another
// command of this account.
func seqReused(cmd api.Command) api.CommandResult {
	return api.CommandResult{Seq: cmd.Seq, ID: cmd.ID, Status: api.StatusSeqReused, Problem: &api.Problem{
		Type: "urn:titledesk:problem:" + api.CodeSeqReused, Code: api.CodeSeqReused, Status: 409,
		Title: "操作编号已被使用", Detail: "本机的操作编号已被另一条操作使用（本机数据可能是从备份恢复或从其他电脑复制的），请使用新的设备标识重新提交"}}
}

func (t *txn) storeResult(ctx context.Context, c *caller, cmd api.Command, res api.CommandResult) error {
	err := t.exec(ctx, `INSERT INTO command_results(account_id, device_id, seq, command_id, type, status, result, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.AccountID, c.DeviceID, cmd.Seq, cmd.ID, storableText(truncate(cmd.Type, 64)),
		res.Status, mustJSON(res), millis(t.now))
	if err != nil {
		return fmt.Errorf("store command result: %w", err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// outcome is what an applied command reports back.
type outcome struct {
	entityID string
	version  int64
}

// command is one decoded command being executed.
type command struct {
	s    *Server
	t    *txn
	c    *caller
	base int64
	args any
	// elsewhere is set by a create that found its id taken outside the
	// caller's scope and went on checking it as new (errTakenElsewhere).
	elsewhere bool
}

type commandFunc func(x *command, ctx context.Context) (outcome, error)

// commandHandlers has one entry per api.AllCommands type.
var commandHandlers = map[string]commandFunc{
	api.CmdApplicationCreate:       (*command).applicationCreate,
	api.CmdApplicationSubmit:       (*command).applicationSubmit,
	api.CmdApplicationPass:         (*command).applicationPass,
	api.CmdApplicationReject:       (*command).applicationReject,
	api.CmdApplicationWithdraw:     (*command).applicationWithdraw,
	api.CmdApplicationCertify:      (*command).applicationCertify,
	api.CmdUnitRegister:            (*command).unitRegister,
	api.CmdUnitApproveRegistration: (*command).unitApproveRegistration,
	api.CmdUnitRejectRegistration:  (*command).unitRejectRegistration,
	api.CmdUnitCreate:              (*command).unitCreate,
	api.CmdUnitUpdate:              (*command).unitUpdate,
	api.CmdExpertCreate:            (*command).expertCreate,
	api.CmdExpertRecommend:         (*command).expertRecommend,
	api.CmdMessageSend:             (*command).messageSend,
	api.CmdMessageRead:             (*command).messageRead,
	api.CmdStockCommentSave:        (*command).stockCommentSave,
	api.CmdStockCommentDelete:      (*command).stockCommentDelete,
	api.CmdReturnReasonSave:        (*command).returnReasonSave,
	api.CmdReturnReasonDelete:      (*command).returnReasonDelete,
	api.CmdReturnReasonAdopt:       (*command).returnReasonAdopt,
	api.CmdExportFullIDs:           (*command).exportFullIDs,
}

func (s *Server) execute(ctx context.Context, t *txn, c *caller, cmd api.Command) (outcome, error) {
	if err := api.ValidateEnvelope(cmd); err != nil {
		return outcome{}, err
	}
	args, err := api.DecodeArgs(cmd)
	if err != nil {
		return outcome{}, err
	}
	h, ok := commandHandlers[cmd.Type]
	if !ok { // DecodeArgs knows the type, so this is our omission.
		return outcome{}, fmt.Errorf("no handler for command type %q", cmd.Type)
	}
	return h(&command{s: s, t: t, c: c, base: cmd.BaseVersion, args: args}, ctx)
}

// requireRole refuses callers of other roles.
func (x *command) requireRole(roles ...model.Role) error {
	for _, r := range roles {
		if x.c.Role == r {
			return nil
		}
	}
	return errForbidden("您的账户不能执行此操作")
}

// inScope reports whether unitID is in the caller's unit subtree.
// Applicants have no subtree.
func (x *command) inScope(ctx context.Context, unitID string) (bool, error) {
	if x.c.Role == model.RoleApplicant {
		return false, nil
	}
	return inSubtree(ctx, x.t.tx, x.c.UnitID, unitID)
}

// scopedUnit loads a unit in the caller's subtree; anything else is not found.
func (x *command) scopedUnit(ctx context.Context, id, what string) (model.Unit, error) {
	ok, err := x.inScope(ctx, id)
	if err != nil {
		return model.Unit{}, err
	}
	if !ok {
		return model.Unit{}, errNotFound(what)
	}
	u, found, err := x.t.unit(ctx, id)
	if err != nil {
		return u, err
	}
	if !found {
		return u, errNotFound(what)
	}
	return u, nil
}

// checkVersion refuses a decision taken on an older version of an entity.
func checkVersion(current, base int64) error {
	if base != 0 && base != current {
		return &model.Error{Kind: model.KindConflict, Code: model.CodeVersionConflict, Title: "数据已被他人更新",
			Detail: fmt.Sprintf("您操作时看到的是第%d版，服务器上已是第%d版，请刷新后重试", base, current)}
	}
	return nil
}

// envUnits lets the state machine read units from the transaction. The
// model's interface has no error, so a storage failure is kept and
// reported after the transition instead of being mistaken for a missing unit.
type envUnits struct {
	ctx context.Context
	t   *txn
	err error
}

func (e *envUnits) Unit(id string) (model.Unit, bool) {
	u, ok, err := e.t.unit(e.ctx, id)
	if err != nil && e.err == nil {
		e.err = err
	}
	return u, ok
}

func (x *command) env(ctx context.Context) (model.Env, *envUnits) {
	units := &envUnits{ctx: ctx, t: x.t}
	if x.t.cal == nil {
		cal, err := x.s.calendarAt(ctx, x.t.tx)
		if err != nil {
			units.err = err
			return model.Env{Now: x.t.now, Units: units, Calendar: model.DefaultCalendar()}, units
		}
		x.t.cal = cal
	}
	return model.Env{Now: x.t.now, Units: units, Calendar: x.t.cal}, units
}
