package sync

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"titledesk/api"
	"titledesk/model"
	"titledesk/store"
)

// SyncNow runs one cycle (DESIGN §4): upload the files local actions
// attached → push the outbox in batches and settle every answer → pull the
// feed page by page, each page applied with its cursor and the still-pending
// local commands re-applied on top, in one transaction. Concurrent calls
// run one after the other.
func (e *Engine) SyncNow(ctx context.Context) error {
	e.cycle.Lock()
	defer e.cycle.Unlock()
	e.hub.update(func(s *Status) { s.Syncing = true })
	err := e.runCycle(ctx)
	if err != nil {
		e.opts.Logger.WarnContext(ctx, "sync cycle failed", "err", err)
	}
	e.finish(ctx, err)
	return err
}

func (e *Engine) runCycle(ctx context.Context) error {
	if err := e.ensureSession(ctx); err != nil {
		return err
	}
	err := e.exchange(ctx)
	if isCursorReset(err) {
		if err := e.startOver(ctx); err != nil {
			return err
		}
		err = e.exchange(ctx)
	}
	if err != nil {
		return err
	}
	return e.store.MarkSynced(ctx)
}

// exchange is one upload → push → pull.
func (e *Engine) exchange(ctx context.Context) error {
	if err := e.uploadFiles(ctx); err != nil {
		return err
	}
	pushErr := e.push(ctx)
	if pushErr != nil && !pullAnyway(pushErr) {
		return pushErr
	}
	if err := e.pull(ctx); err != nil {
		return errors.Join(pushErr, err)
	}
	return pushErr
}

// isCursorReset reports whether the server refused the cache's feed
// position (api.CodeCursorReset): it was restored from a backup.
func isCursorReset(err error) bool {
	var me *model.Error
	return errors.As(err, &me) && me.Code == api.CodeCursorReset
}

// startOver handles a server restored from a backup: the cache's feed
// position names nothing there, and whatever the feed brought may no longer
// be true. The cache drops it, keeps its unsent commands, conflicts and
// drafts, marks its files for upload again (the restored server may lack
// the recent ones), and the next exchange pulls everything from the start
// with the unsent commands re-applied on top, then pushes them. The person
// is told.
func (e *Engine) startOver(ctx context.Context) error {
	e.opts.Logger.WarnContext(ctx, "feed cursor reset by the server (restored database): pulling everything again")
	if err := e.store.ResetForRepull(ctx); err != nil {
		return err
	}
	msg := "服务器已从备份恢复，本机数据已按服务器现有的数据重新下载。恢复点之后在服务器上办理的操作可能已不存在，请在“已审核列表”中核对最近的办理结果。"
	if pending, _ := e.store.PendingCount(ctx); pending > 0 {
		msg += fmt.Sprintf("本机 %d 条未同步的操作已保留，重新提交。", pending)
	}
	e.Notify(msg)
	return nil
}

// pullAnyway: when the server is reachable but the push failed (a 5xx, a
// garbled answer), the pull still brings fresh data, with the queued
// commands re-applied on top. Without a network or a session it cannot.
func pullAnyway(err error) bool {
	return errors.Is(err, ErrBadResponse) && !errors.Is(err, ErrOffline) && !errors.Is(err, ErrSessionExpired)
}

// finish publishes the outcome of a cycle.
func (e *Engine) finish(ctx context.Context, err error) {
	e.refreshCounts(ctx)
	last, _ := e.store.LastSync(ctx)
	e.hub.update(func(s *Status) {
		s.Syncing, s.InitialSync = false, false
		s.LastSync = last
		s.LastError = Message(err)
		switch {
		case err == nil:
			s.Online, s.NeedPassword = true, false
		case errors.Is(err, ErrSessionExpired):
			s.Online, s.NeedPassword = true, true
		case errors.Is(err, ErrOffline), errors.Is(err, ErrNotLoggedIn):
			s.Online = false
		default: // the server answered, if not the way we wanted
			s.Online = true
		}
	})
}

// refreshCounts reads 待同步 and conflicts from the store.
func (e *Engine) refreshCounts(ctx context.Context) {
	pending, err1 := e.store.PendingCount(ctx)
	conflicts, err2 := e.store.ConflictCount(ctx)
	last, err3 := e.store.LastSync(ctx)
	if err := errors.Join(err1, err2, err3); err != nil {
		e.opts.Logger.WarnContext(ctx, "read sync counts", "err", err)
		return
	}
	e.hub.update(func(s *Status) { s.Pending, s.Conflicts, s.LastSync = pending, conflicts, last })
}

// uploadFiles sends every locally held file the server does not have yet.
// It runs before the push because the server refuses a command naming a
// file it does not hold; a failed upload stops the cycle so no such command
// goes out early.
func (e *Engine) uploadFiles(ctx context.Context) error {
	files, err := e.store.UnuploadedFiles(ctx)
	if err != nil {
		return err
	}
	for _, f := range files {
		err := e.uploadFile(ctx, f)
		switch {
		case err == nil:
			if err := e.store.MarkUploaded(ctx, f.SHA256); err != nil {
				return err
			}
		case IsRetryable(err), errors.Is(err, ErrSessionExpired), ctx.Err() != nil:
			return err
		default:
			// The server refuses this file for good (or it vanished from
			// disk): holding the queue for it would block every other
			// review. Commands naming it come back as conflicts the user
			// sees; the upload is tried again next cycle.
			e.opts.Logger.WarnContext(ctx, "attachment upload refused", "sha256", f.SHA256[:12], "err", err)
		}
	}
	return nil
}

func (e *Engine) uploadFile(ctx context.Context, f model.Attachment) error {
	data, err := e.store.FileData(ctx, f.SHA256)
	if err != nil {
		return fmt.Errorf("upload %s: %w", f.SHA256[:12], err)
	}
	return e.client.UploadFile(ctx, f.SHA256, bytes.NewReader(data), int64(len(data)), f.ContentType)
}

// push sends the outbox oldest first, a batch per request, and settles each
// batch's answers in one transaction. A lost answer leaves the batch queued;
// resending it is harmless because the server answers duplicate.
//
// A command answered seq_reused (the cache was restored from a backup or
// copied to another computer, so its device id's seqs name other commands
// on the server) makes the cache take a new device id and renumber its
// unsent commands (store.RenewDevice), and the push starts over with it;
// whatever the server already ran comes back duplicate and is settled. The
// person is told. It happens at most once per push: a fresh device id
// cannot collide.
func (e *Engine) push(ctx context.Context) error {
	deviceID, err := e.store.DeviceID(ctx)
	if err != nil {
		return err
	}
	cursor, err := e.store.Cursor(ctx)
	if err != nil {
		return err
	}
	renewed := false
	for {
		all, err := e.store.PendingCommands(ctx, e.opts.PushBatch)
		if err != nil || len(all) == 0 {
			return err
		}
		cmds := fitBody(all)
		queued, firstTry, err := e.store.MarkSent(ctx, seqs(cmds)...)
		if err != nil {
			return err
		}
		if len(queued) < len(cmds) { // 撤销 took some out after they were read
			cmds = keepSeqs(cmds, queued)
			if len(cmds) == 0 {
				continue
			}
		}
		resp, err := e.client.PushFrom(ctx, deviceID, cursor, cmds)
		if err != nil {
			if errors.Is(err, ErrNotSent) {
				err = errors.Join(err, e.store.MarkUnsent(ctx, firstTry...))
			}
			return err
		}
		if err := e.settle(ctx, resp.Results); err != nil {
			return err
		}
		e.refreshCounts(ctx)
		if seqReused(resp.Results) {
			if renewed {
				return fmt.Errorf("push: %w: seq_reused for a new device id", ErrBadResponse)
			}
			if deviceID, err = e.renewDevice(ctx); err != nil {
				return err
			}
			renewed = true
			continue
		}
		if len(all) < e.opts.PushBatch && len(cmds) == len(all) {
			return nil
		}
	}
}

func seqReused(results []api.CommandResult) bool {
	for _, r := range results {
		if r.Status == api.StatusSeqReused {
			return true
		}
	}
	return false
}

// renewDevice takes a new device id for a restored or copied cache and
// tells the person what happened.
func (e *Engine) renewDevice(ctx context.Context) (string, error) {
	deviceID, n, err := e.store.RenewDevice(ctx)
	if err != nil {
		return "", err
	}
	e.opts.Logger.WarnContext(ctx, "device seqs reused: the cache was restored or copied; new device id", "commands", n)
	e.Notify(fmt.Sprintf("本机数据是从备份恢复的，或是从另一台电脑复制来的。为避免与已提交的操作混淆，本机已改用新的设备标识，"+
		"并重新提交 %d 条未同步的操作；服务器已办理过的操作不会重复办理。请在“已审核列表”中核对最近的办理结果。", n))
	return deviceID, nil
}

// maxPushBytes keeps a push request well under the server's api.MaxJSONBody
// even when a batch is full of long opinions and forms.
const maxPushBytes = api.MaxJSONBody / 2

// fitBody returns the longest prefix of cmds whose encoding fits
// maxPushBytes (at least one command: a single one always fits, opinions
// being bounded).
func fitBody(cmds []api.Command) []api.Command {
	size := 0
	for i, c := range cmds {
		size += len(c.Args) + len(c.Type) + 128 // envelope fields and JSON punctuation
		if size > maxPushBytes && i > 0 {
			return cmds[:i]
		}
	}
	return cmds
}

// keepSeqs is cmds without those whose seq is not in keep (both in seq order).
func keepSeqs(cmds []api.Command, keep []int64) []api.Command {
	out := make([]api.Command, 0, len(keep))
	for _, c := range cmds {
		if len(keep) > 0 && c.Seq == keep[0] {
			out, keep = append(out, c), keep[1:]
		}
	}
	return out
}

func seqs(cmds []api.Command) []int64 {
	out := make([]int64, len(cmds))
	for i, c := range cmds {
		out[i] = c.Seq
	}
	return out
}

// settle records the server's answers: applied (or a duplicate of an
// applied) leaves the outbox, rejected and conflict move to conflicts with
// the user's text and forms.
func (e *Engine) settle(ctx context.Context, results []api.CommandResult) error {
	return e.store.Do(ctx, func(tx *store.Tx) error {
		// A refused unit.create is undone; what was queued below it stays
		// until its own answer.
		if err := tx.DetachLocalUnits(); err != nil {
			return err
		}
		for _, r := range results {
			if err := tx.MarkResult(r.Seq, r); err != nil {
				return fmt.Errorf("settle #%d: %w", r.Seq, err)
			}
		}
		return nil
	})
}

// pull reads the feed until has_more is false. Each page, its cursor and the
// rebase of pending commands commit together, so a crash or a cut
// connection between pages loses nothing and repeats nothing. The next page
// is fetched while the current one is applied: the server and the JSON
// decoding then overlap with SQLite, which nearly halves an initial sync.
func (e *Engine) pull(ctx context.Context) error {
	err := e.pullPages(ctx)
	// A first sync defers the big tables' indexes (store/bulk.go): they are
	// built when the pull ends, at the feed's head or early. A cancelled
	// pull leaves them to the next Open.
	if ctx.Err() == nil {
		if cerr := e.store.CaughtUp(ctx); err == nil && cerr != nil {
			err = fmt.Errorf("build deferred indexes: %w", cerr)
		}
	}
	return err
}

func (e *Engine) pullPages(ctx context.Context) error {
	cursor, err := e.store.Cursor(ctx)
	if err != nil {
		return err
	}
	actor, err := e.actor()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the fetcher when applying fails
	pages := make(chan fetched, 1)
	go e.fetchPages(ctx, cursor, pages)
	initial, first := cursor == "", true
	var done int64
	for f := range pages {
		if f.err != nil {
			return f.err
		}
		if first {
			first = false
			e.hub.update(func(s *Status) { s.InitialSync, s.Done, s.Total = initial, 0, f.page.Total })
		}
		// A poll that finds nothing new (often a bodiless 304) writes nothing.
		unchanged := len(f.page.Changes) == 0 && f.page.Cursor == cursor
		if !unchanged {
			if err := e.applyPage(ctx, actor, f.page); err != nil {
				return err
			}
		}
		cursor = f.page.Cursor
		done += int64(len(f.page.Changes))
		e.hub.update(func(s *Status) { s.Done = done })
		if !f.page.HasMore {
			return nil
		}
	}
	return ctx.Err()
}

// fetched is one page or the error that ended the fetching.
type fetched struct {
	page api.ChangesResponse
	err  error
}

// fetchPages reads pages in order into out, at most one ahead of the
// applier, and closes out after the last page or the first error.
func (e *Engine) fetchPages(ctx context.Context, cursor string, out chan<- fetched) {
	defer close(out)
	for {
		page, err := e.client.PullPage(ctx, cursor, e.opts.PageSize)
		select {
		case out <- fetched{page, err}:
		case <-ctx.Done():
			return
		}
		if err != nil || !page.HasMore {
			return
		}
		cursor = page.Cursor
	}
}

// applyPage writes one page, its cursor and the rebased pending commands in
// one transaction.
func (e *Engine) applyPage(ctx context.Context, actor model.Actor, page api.ChangesResponse) error {
	err := e.store.Do(ctx, func(tx *store.Tx) error {
		if err := tx.ApplyChanges(page.Changes, page.Cursor); err != nil {
			return err
		}
		if err := tx.DetachLocalUnits(); err != nil {
			return err
		}
		return tx.ReapplyPending(e.reapply(actor))
	})
	if err != nil {
		return fmt.Errorf("apply page: %w", err)
	}
	return nil
}
