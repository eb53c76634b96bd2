package server

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Moving a SQLite deployment onto PostgreSQL (`titledesk-server admin
// migrate --from DIR --to postgres://…`). Every table is copied row for
// row — entities, the feed with its sequence numbers, command results,
// sessions, devices, accounts, the audit log — so clients keep their feed
// cursors, sessions and device bindings and go on syncing without a full
// re-pull, and the audit chain verifies on the new store. The copy is one
// PostgreSQL transaction: a failure leaves the target as it was.

// TableCount is the number of rows of one table in both stores.
type TableCount struct {
	Table string
	Rows  int64
}

// MoveReport describes a finished move.
type MoveReport struct {
	Tables   []TableCount
	Files    int   // attachment files copied into the database
	FeedSeq  int64 // the feed counter, the same in both stores
	AuditSeq int64 // the newest audit entry before the move's own
	Duration time.Duration
}

// ErrTargetNotEmpty is returned when the PostgreSQL database already holds
// a deployment.
var ErrTargetNotEmpty = errors.New("server: the target database is not empty")

// notCopied are tables each store keeps for itself.
var notCopied = map[string]bool{"schema_migrations": true, "attachment_files": true}

// MoveToPostgres copies the SQLite deployment in fromDir into the empty
// PostgreSQL database toURL and verifies it: the same schema version, the
// same row count in every table, every stored attachment's bytes (checked
// against their SHA-256), and an intact audit chain. The servers on fromDir
// must be stopped first: what they write after the copy's snapshot is not
// moved. operator names who ran it for the audit entry the move leaves on
// the target.
func MoveToPostgres(ctx context.Context, fromDir, toURL, operator string, progress io.Writer) (*MoveReport, error) {
	start := time.Now()
	if _, err := os.Stat(filepath.Join(fromDir, dbFileName)); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if !IsPostgresURL(toURL) {
		return nil, fmt.Errorf("migrate: --to %q is not a postgres:// URL", RedactURL(toURL))
	}
	// Both stores at this server's schema version.
	srcW, src, err := openSQLite(fromDir)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer srcW.Close()
	defer src.Close()
	if err := migrate(ctx, srcW, sqliteDialect{}, time.Now()); err != nil {
		return nil, fmt.Errorf("migrate: source: %w", err)
	}
	if err := migratePostgres(ctx, toURL); err != nil {
		return nil, err
	}
	dst, err := pgx.Connect(ctx, toURL)
	if err != nil {
		return nil, fmt.Errorf("migrate: connect to %s: %w", RedactURL(toURL), err)
	}
	defer dst.Close(context.Background())
	rep, err := copyDeployment(ctx, src, dst, filepath.Join(fromDir, attachmentDir), progress)
	if err != nil {
		return nil, err
	}
	if err := auditMove(ctx, toURL, fromDir, operator, rep); err != nil {
		return nil, err
	}
	rep.Duration = time.Since(start)
	return rep, nil
}

func migratePostgres(ctx context.Context, url string) error {
	w, r, err := openPostgres(ctx, url)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer w.Close()
	defer r.Close()
	if err := migrate(ctx, w, postgresDialect{}, time.Now()); err != nil {
		return fmt.Errorf("migrate: target: %w", err)
	}
	return nil
}

// copyDeployment copies every table and the attachment files from one
// snapshot of src into dst in one transaction, then compares the counts.
func copyDeployment(ctx context.Context, src *sql.DB, dst *pgx.Conn, filesDir string, progress io.Writer) (*MoveReport, error) {
	stx, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer stx.Rollback()
	dtx, err := dst.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer dtx.Rollback(context.Background())
	// The target's write lock: no server may write while the copy runs.
	if _, err := dtx.Exec(ctx, `SELECT value FROM counters WHERE name = 'feed_seq' FOR UPDATE`); err != nil {
		return nil, fmt.Errorf("migrate: lock target: %w", err)
	}
	if _, err := dtx.Exec(ctx, `SET CONSTRAINTS ALL DEFERRED`); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	tables, err := copyOrder(ctx, stx, dtx)
	if err != nil {
		return nil, err
	}
	if err := checkEmpty(ctx, dtx, tables); err != nil {
		return nil, err
	}
	rep := &MoveReport{}
	for _, table := range tables {
		n, err := copyTable(ctx, stx, dtx, table)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(progress, "  %-26s %10d\n", table, n)
		rep.Tables = append(rep.Tables, TableCount{table, n})
	}
	if rep.Files, err = copyFiles(ctx, stx, dtx, filesDir); err != nil {
		return nil, err
	}
	fmt.Fprintf(progress, "  %-26s %10d\n", "attachment files", rep.Files)
	if err := compareCounts(ctx, stx, dtx, rep); err != nil {
		return nil, err
	}
	if err := dtx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("migrate: commit: %w", err)
	}
	return rep, nil
}

// copyOrder lists the tables to copy, parents before the tables whose
// foreign keys name them, after checking that both schemas have the same
// tables and columns.
func copyOrder(ctx context.Context, stx *sql.Tx, dtx pgx.Tx) ([]string, error) {
	srcTables, err := tableNames(ctx, stx, sqliteDialect{})
	if err != nil {
		return nil, fmt.Errorf("migrate: source tables: %w", err)
	}
	rows, err := dtx.Query(ctx, postgresDialect{}.tablesQuery())
	if err != nil {
		return nil, fmt.Errorf("migrate: target tables: %w", err)
	}
	dstTables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("migrate: target tables: %w", err)
	}
	var tables []string
	for _, t := range srcTables {
		if !notCopied[t] {
			tables = append(tables, t)
		}
	}
	var want []string
	for _, t := range dstTables {
		if !notCopied[t] {
			want = append(want, t)
		}
	}
	if !slices.Equal(tables, want) {
		return nil, fmt.Errorf("migrate: the stores' tables differ: SQLite %v, PostgreSQL %v", tables, want)
	}
	rows, err = dtx.Query(ctx, `SELECT c.conrelid::regclass::text, c.confrelid::regclass::text
		FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE c.contype = 'f' AND n.nspname = current_schema()`)
	if err != nil {
		return nil, fmt.Errorf("migrate: foreign keys: %w", err)
	}
	deps := map[string][]string{}
	var child, parent string
	_, err = pgx.ForEachRow(rows, []any{&child, &parent}, func() error {
		if child != parent { // a self-reference is deferred to commit
			deps[child] = append(deps[child], parent)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("migrate: foreign keys: %w", err)
	}
	return parentsFirst(tables, deps)
}

// parentsFirst orders tables so that each comes after the tables it depends on.
func parentsFirst(tables []string, deps map[string][]string) ([]string, error) {
	state := map[string]int{} // 1 visiting, 2 done
	var out []string
	var visit func(t string) error
	visit = func(t string) error {
		switch state[t] {
		case 1:
			return fmt.Errorf("migrate: foreign keys form a cycle through %s", t)
		case 2:
			return nil
		}
		state[t] = 1
		for _, p := range deps[t] {
			if err := visit(p); err != nil {
				return err
			}
		}
		state[t] = 2
		out = append(out, t)
		return nil
	}
	for _, t := range tables {
		if err := visit(t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkEmpty refuses a target that holds a deployment (any unit, account,
// feed entry or audit entry) and clears what its migrations seeded (the
// counters), which the copy brings over.
func checkEmpty(ctx context.Context, dtx pgx.Tx, tables []string) error {
	var n int64
	err := dtx.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM units) + (SELECT COUNT(*) FROM accounts)
		+ (SELECT COUNT(*) FROM feed) + (SELECT COUNT(*) FROM audit_log)`).Scan(&n)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if n > 0 {
		return ErrTargetNotEmpty
	}
	for _, t := range slices.Backward(tables) {
		if _, err := dtx.Exec(ctx, `DELETE FROM `+pgx.Identifier{t}.Sanitize()); err != nil {
			return fmt.Errorf("migrate: clear %s: %w", t, err)
		}
	}
	return nil
}

// copyTable streams one table from the source snapshot with COPY.
func copyTable(ctx context.Context, stx *sql.Tx, dtx pgx.Tx, table string) (int64, error) {
	rows, err := dtx.Query(ctx, `SELECT * FROM `+pgx.Identifier{table}.Sanitize()+` LIMIT 0`)
	if err != nil {
		return 0, fmt.Errorf("migrate: %s: %w", table, err)
	}
	fields := rows.FieldDescriptions()
	rows.Close()
	cols := make([]string, len(fields))
	types := make([]uint32, len(fields))
	quoted := make([]string, len(fields))
	for i, f := range fields {
		cols[i], types[i], quoted[i] = f.Name, f.DataTypeOID, pgx.Identifier{f.Name}.Sanitize()
	}
	srcRows, err := stx.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM `+pgx.Identifier{table}.Sanitize())
	if err != nil {
		return 0, fmt.Errorf("migrate: %s: the stores' columns differ: %w", table, err)
	}
	defer srcRows.Close()
	if srcCols, _ := srcRows.Columns(); len(srcCols) != len(cols) {
		return 0, fmt.Errorf("migrate: %s: the stores' columns differ", table)
	}
	n, err := dtx.CopyFrom(ctx, pgx.Identifier{table}, cols, &sqliteRows{rows: srcRows, types: types})
	if err != nil {
		return 0, fmt.Errorf("migrate: copy %s: %w", table, err)
	}
	return n, nil
}

// sqliteRows feeds SQLite rows to COPY, converting text and blob values
// to what the target column holds (go-sqlite3 may hand either for either).
type sqliteRows struct {
	rows  *sql.Rows
	types []uint32
	vals  []any
	err   error
}

func (r *sqliteRows) Next() bool { return r.rows.Next() }

func (r *sqliteRows) Values() ([]any, error) {
	if r.vals == nil {
		r.vals = make([]any, len(r.types))
	}
	ptrs := make([]any, len(r.vals))
	for i := range r.vals {
		ptrs[i] = &r.vals[i]
	}
	if err := r.rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	out := make([]any, len(r.vals))
	for i, v := range r.vals {
		switch x := v.(type) {
		case []byte:
			if r.types[i] == pgtype.ByteaOID {
				out[i] = slices.Clone(x)
			} else {
				out[i] = string(x)
			}
		case string:
			if r.types[i] == pgtype.ByteaOID {
				out[i] = []byte(x)
			} else {
				out[i] = x
			}
		default:
			out[i] = x
		}
	}
	return out, nil
}

func (r *sqliteRows) Err() error { return r.rows.Err() }

// copyFiles moves the bytes of every stored attachment into
// attachment_files, checking each against its SHA-256.
func copyFiles(ctx context.Context, stx *sql.Tx, dtx pgx.Tx, dir string) (int, error) {
	hashes, err := queryStrings(ctx, stx, `SELECT sha256 FROM attachments WHERE stored = 1 ORDER BY sha256`)
	if err != nil {
		return 0, fmt.Errorf("migrate: attachments: %w", err)
	}
	files := dirFiles{root: dir}
	for _, h := range hashes {
		if !validSHA(h) {
			return 0, fmt.Errorf("migrate: attachment row %q is not a SHA-256", h)
		}
		data, err := os.ReadFile(files.path(h))
		if err != nil {
			return 0, fmt.Errorf("migrate: attachment %s: %w", h, err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != h {
			return 0, fmt.Errorf("migrate: attachment %s: the file's content does not match its SHA-256", h)
		}
		if _, err := dtx.Exec(ctx, `INSERT INTO attachment_files(sha256, data) VALUES ($1, $2)`, h, data); err != nil {
			return 0, fmt.Errorf("migrate: attachment %s: %w", h, err)
		}
	}
	return len(hashes), nil
}

func validSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// compareCounts checks that every table holds as many rows in the target
// as in the source snapshot, and reads the counters for the report.
func compareCounts(ctx context.Context, stx *sql.Tx, dtx pgx.Tx, rep *MoveReport) error {
	for _, tc := range rep.Tables {
		q := `SELECT COUNT(*) FROM ` + pgx.Identifier{tc.Table}.Sanitize()
		var s, d int64
		if err := stx.QueryRowContext(ctx, q).Scan(&s); err != nil {
			return fmt.Errorf("migrate: count %s: %w", tc.Table, err)
		}
		if err := dtx.QueryRow(ctx, q).Scan(&d); err != nil {
			return fmt.Errorf("migrate: count %s: %w", tc.Table, err)
		}
		if s != d || d != tc.Rows {
			return fmt.Errorf("migrate: %s: %d rows in SQLite, %d in PostgreSQL", tc.Table, s, d)
		}
	}
	var files int64
	if err := dtx.QueryRow(ctx, `SELECT COUNT(*) FROM attachment_files`).Scan(&files); err != nil || files != int64(rep.Files) {
		return fmt.Errorf("migrate: attachment files: %d copied, %d stored (%v)", rep.Files, files, err)
	}
	var sSeq, dSeq int64
	if err := stx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'feed_seq'`).Scan(&sSeq); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := dtx.QueryRow(ctx, `SELECT value FROM counters WHERE name = 'feed_seq'`).Scan(&dSeq); err != nil || sSeq != dSeq {
		return fmt.Errorf("migrate: feed counter %d in SQLite, %d in PostgreSQL (%v)", sSeq, dSeq, err)
	}
	rep.FeedSeq = dSeq
	return dtx.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM audit_log`).Scan(&rep.AuditSeq)
}

// auditMove verifies the moved audit chain and records the move in it.
func auditMove(ctx context.Context, toURL, fromDir, operator string, rep *MoveReport) error {
	srv, err := Open(ctx, Config{Database: toURL, Operator: operator})
	if err != nil {
		return fmt.Errorf("migrate: open the target: %w", err)
	}
	defer srv.Close()
	ar, err := srv.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("migrate: verify the audit log: %w", err)
	}
	if len(ar.Breaks) > 0 {
		return fmt.Errorf("migrate: the moved audit log does not verify: %s", ar.Breaks[0].Reason)
	}
	return srv.write(ctx, func(t *txn) error {
		return t.auditAdmin(ctx, srv.cfg.Operator, "migrate", "", fmt.Sprintf("从SQLite数据目录%s迁入：%d张表，%d个附件，变更序号%d",
			filepath.Base(fromDir), len(rep.Tables), rep.Files, rep.FeedSeq))
	})
}
