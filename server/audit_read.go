package server

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// AuditFilter selects audit entries; zero fields select everything.
type AuditFilter struct {
	Since   time.Time // entries at or after this instant
	Account string    // an account id or a username (the one tried, for failed logins)
	Entity  string    // the entity a command or admin action touched
}

// AuditLog calls each for the entries f selects, oldest first, reading one
// snapshot of the database.
func (s *Server) AuditLog(ctx context.Context, f AuditFilter, each func(AuditEntry) error) error {
	var (
		where []string
		args  []any
	)
	if !f.Since.IsZero() {
		where, args = append(where, "at >= ?"), append(args, millis(f.Since))
	}
	if f.Account != "" {
		where, args = append(where, "(account_id = ? OR username = ?)"), append(args, f.Account, f.Account)
	}
	if f.Entity != "" {
		where, args = append(where, "entity_id = ?"), append(args, f.Entity)
	}
	q := `SELECT ` + auditColumns + ` FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return s.read(ctx, func(tx *sql.Tx) error {
		return scanAudit(ctx, tx, q+" ORDER BY seq", args, each)
	})
}

const auditColumns = `seq, at, event, account_id, username, address, device_id, command_type, entity_id, result,
	code, detail, prev_hash, hash`

func scanAudit(ctx context.Context, tx *sql.Tx, query string, args []any, each func(AuditEntry) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			e  AuditEntry
			at int64
		)
		if err := rows.Scan(&e.Seq, &at, &e.Event, &e.AccountID, &e.Username, &e.Address, &e.DeviceID,
			&e.CommandType, &e.EntityID, &e.Result, &e.Code, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return fmt.Errorf("read audit log: %w", err)
		}
		e.At = fromMillis(at)
		if err := each(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	return nil
}

// AuditBreak is one place where the chain does not hold.
type AuditBreak struct {
	Seq    int64  // the entry found changed, or the first one after a gap
	Reason string // Chinese, for the city office
}

// AuditReport is the result of VerifyAudit.
type AuditReport struct {
	Entries  int64        // entries read
	HeadSeq  int64        // the newest entry's number
	HeadHash string       // its hash: write it down to anchor the chain outside the server
	Breaks   []AuditBreak // empty when the log is intact
}

// VerifyAudit walks the whole log and reports every entry whose content no
// longer matches its hash, every link to a previous entry that was changed
// or removed, and entries missing at the end (the counter is ahead of the
// table).
func (s *Server) VerifyAudit(ctx context.Context) (AuditReport, error) {
	var rep AuditReport
	err := s.read(ctx, func(tx *sql.Tx) error {
		prevSeq, prevHash := int64(0), genesisHash
		err := scanAudit(ctx, tx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq`, nil, func(e AuditEntry) error {
			rep.Entries++
			switch {
			case e.Seq != prevSeq+1:
				rep.Breaks = append(rep.Breaks, AuditBreak{e.Seq, fmt.Sprintf("第%d条之前缺少%d条记录（被删除）", e.Seq, e.Seq-prevSeq-1)})
			case e.PrevHash != prevHash:
				rep.Breaks = append(rep.Breaks, AuditBreak{e.Seq, fmt.Sprintf("第%d条记录的前一条（第%d条）被修改或替换", e.Seq, prevSeq)})
			}
			if e.chainHash(e.PrevHash) != e.Hash {
				rep.Breaks = append(rep.Breaks, AuditBreak{e.Seq, fmt.Sprintf("第%d条记录（%s %s）的内容被修改",
					e.Seq, e.At.Local().Format("2006-01-02 15:04:05"), e.Event)})
			}
			prevSeq, prevHash = e.Seq, e.Hash
			return nil
		})
		if err != nil {
			return err
		}
		rep.HeadSeq, rep.HeadHash = prevSeq, prevHash
		var counter int64
		if err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'audit_seq'`).Scan(&counter); err != nil {
			return fmt.Errorf("read audit counter: %w", err)
		}
		switch {
		case counter < prevSeq:
			rep.Breaks = append(rep.Breaks, AuditBreak{counter, fmt.Sprintf("审计计数器（%d）落后于最新记录（第%d条），已被修改", counter, prevSeq)})
		case counter > prevSeq:
			rep.Breaks = append(rep.Breaks, AuditBreak{prevSeq + 1, fmt.Sprintf("最后%d条记录（第%d至%d条）缺失（被删除）",
				counter-prevSeq, prevSeq+1, counter)})
		}
		return nil
	})
	return rep, err
}
