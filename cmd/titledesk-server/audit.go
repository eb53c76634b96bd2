package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"titledesk/server"
)

// errAuditBroken makes `admin audit verify` exit 1 after printing the breaks.
var errAuditBroken = errors.New("审计日志校验失败 / audit log verification failed")

// auditFlags reads `admin audit [verify] [--since --account --entity --csv]`.
func auditFlags(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) (func(*server.Server) error, []string) {
	if len(args) > 0 && args[0] == "verify" {
		return func(s *server.Server) error { return verifyAudit(ctx, s, stdout) }, args[1:]
	}
	since := fs.String("since", "", "entries since: 2026-03-01, 2026-03-01T09:00:00+08:00, or a duration such as 72h")
	account := fs.String("account", "", "account id or username")
	entity := fs.String("entity", "", "entity id")
	asCSV := fs.Bool("csv", false, "write CSV")
	return func(s *server.Server) error {
		f := server.AuditFilter{Account: *account, Entity: *entity}
		if *since != "" {
			t, err := parseSince(*since, time.Now())
			if err != nil {
				return fmt.Errorf("%w: --since %q: %v", errUsage, *since, err)
			}
			f.Since = t
		}
		return listAudit(ctx, s, f, *asCSV, stdout)
	}, args
}

// parseSince accepts a date (local midnight), an RFC 3339 instant or a
// duration back from now.
func parseSince(v string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(v); err == nil {
		return now.Add(-d), nil
	}
	if t, err := time.ParseInLocation("2006-01-02", v, time.Local); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, v)
}

var auditHeader = []string{"seq", "time", "event", "account_id", "username", "address", "device_id",
	"command_type", "entity_id", "result", "code", "detail"}

func auditRecord(e server.AuditEntry) []string {
	return []string{strconv.FormatInt(e.Seq, 10), e.At.Local().Format("2006-01-02T15:04:05.000Z07:00"), e.Event,
		e.AccountID, e.Username, e.Address, e.DeviceID, e.CommandType, e.EntityID, e.Result, e.Code, e.Detail}
}

func listAudit(ctx context.Context, s *server.Server, f server.AuditFilter, asCSV bool, stdout io.Writer) error {
	if asCSV {
		w := csv.NewWriter(stdout)
		w.Write(auditHeader)
		err := s.AuditLog(ctx, f, func(e server.AuditEntry) error { return w.Write(auditRecord(e)) })
		w.Flush()
		return errors.Join(err, w.Error())
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(auditHeader, "\t"))
	err := s.AuditLog(ctx, f, func(e server.AuditEntry) error {
		_, err := fmt.Fprintln(tw, strings.Join(auditRecord(e), "\t"))
		return err
	})
	return errors.Join(err, tw.Flush())
}

func verifyAudit(ctx context.Context, s *server.Server, stdout io.Writer) error {
	rep, err := s.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	for _, b := range rep.Breaks {
		fmt.Fprintf(stdout, "第%d条 / entry %d: %s\n", b.Seq, b.Seq, b.Reason)
	}
	if len(rep.Breaks) > 0 {
		return errAuditBroken
	}
	fmt.Fprintf(stdout, "审计日志完整：共%d条，最新一条为第%d条，哈希 %s\n", rep.Entries, rep.HeadSeq, rep.HeadHash)
	return nil
}
