package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"titledesk/api"
	"titledesk/model"
)

// metaFilesPlain marks a cache whose held files may still be plaintext
// (written by an earlier version): the next unlock seals them.
const metaFilesPlain = "files_plain"

// sealedRecords lists every table whose `data` column holds a sealed
// record: table, key column and the change kind that names it in the
// associated data (see seal.go).
var sealedRecords = []struct{ table, key, kind string }{
	{"units", "id", api.KindUnit},
	{"registrations", "id", api.KindRegistration},
	{"applicants", "id", api.KindApplicant},
	{"application_data", "id", api.KindApplication},
	{"messages", "id", api.KindMessage},
	{"experts", "id", api.KindExpert},
	{"committees", "id", api.KindCommittee},
	{"stock_comments", "id", api.KindStockComment},
	{"attachments", "sha256", api.KindAttachment},
	{"calendar", "id", api.KindCalendar},
	{"duplicate_flags", "id", api.KindDuplicate},
	{"deadlines", "id", api.KindDeadline},
	{"rule_sets", "id", api.KindRuleSet},
	{"return_reasons", "id", api.KindReturnReason},
}

// Purposes of sealed values that are not entity records.
const (
	purposeIDNumber  = "id_number" // applicants.id_number, applications.id_number (id: applicant)
	purposeCommand   = "command"   // outbox.args, conflicts.args (id: command id)
	purposeDraft     = "draft"     // drafts.opinion (id: application)
	purposeDraftForm = "draft_form"
	purposeMeta      = "meta" // meta values (id: the meta key)
	purposeFileName  = "file_name"
	purposeFile      = "file" // the bytes of a held file (id: its sha256)
	// conflicts.title, .detail, .entity_name (id: command id)
	purposeConflictTitle  = "conflict_title"
	purposeConflictDetail = "conflict_detail"
	purposeConflictEntity = "conflict_entity"
)

// sealLegacy gives a cache without a key its first one. Whatever the cache
// holds was written by an earlier version in plaintext: every such value is
// sealed in the same transaction that stores the key's envelopes, so the
// cache is never half sealed. Afterwards the file is rebuilt (VACUUM) and
// the WAL truncated, so no page of the old plaintext stays in the file.
func (s *Store) sealLegacy(ctx context.Context, password string, serverKey []byte) error {
	dk, err := newDataKey()
	if err != nil {
		return err
	}
	k, err := newKeyring(dk)
	if err != nil {
		return err
	}
	var hadData bool
	err = s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if hadData, err = sealLegacyRows(ctx, tx, k); err != nil {
			return err
		}
		if err := putEnvelope(ctx, tx, metaKeyPassword, kdfArgon2id, []byte(password), dk); err != nil {
			return err
		}
		if len(serverKey) > 0 {
			if err := putEnvelope(ctx, tx, metaKeyServer, kdfHKDF, serverKey, dk); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaVerifier); err != nil {
			return err
		}
		return setMeta(ctx, tx, metaFilesPlain, "1")
	})
	if err != nil {
		return fmt.Errorf("encrypt cache: %w", err)
	}
	if hadData {
		if _, err := s.writer.ExecContext(ctx, `VACUUM`); err != nil {
			return fmt.Errorf("encrypt cache: rebuild: %w", err)
		}
	}
	s.checkpoint(ctx)
	return s.activate(ctx, dk)
}

// sealLegacyRows seals every plaintext value in place; hadData reports
// whether there was any.
func sealLegacyRows(ctx context.Context, tx *sql.Tx, k *keyring) (hadData bool, err error) {
	for _, r := range sealedRecords {
		n, err := resealColumn(ctx, tx, r.table, r.key, "data", func(key string, plain []byte) ([]byte, error) {
			return k.seal(nil, r.kind, key, plain), nil
		})
		if err != nil {
			return false, err
		}
		hadData = hadData || n > 0
	}
	steps := []struct {
		table, key, col string
		seal            func(key string, plain []byte) ([]byte, error)
	}{
		{"outbox", "id", "args", func(id string, p []byte) ([]byte, error) { return k.seal(nil, purposeCommand, id, p), nil }},
		{"conflicts", "command_id", "args", func(id string, p []byte) ([]byte, error) { return k.seal(nil, purposeCommand, id, p), nil }},
		{"drafts", "application_id", "opinion", func(id string, p []byte) ([]byte, error) { return k.seal(nil, purposeDraft, id, p), nil }},
		{"drafts", "application_id", "form", func(id string, p []byte) ([]byte, error) { return k.seal(nil, purposeDraftForm, id, p), nil }},
		{"files", "sha256", "name", func(id string, p []byte) ([]byte, error) { return k.seal(nil, purposeFileName, id, p), nil }},
	}
	for _, st := range steps {
		n, err := resealColumn(ctx, tx, st.table, st.key, st.col, st.seal)
		if err != nil {
			return false, err
		}
		hadData = hadData || n > 0
	}
	if err := sealLegacyShadows(ctx, tx, k); err != nil {
		return false, err
	}
	if err := sealLegacyIDNumbers(ctx, tx, k); err != nil {
		return false, err
	}
	return hadData, sealLegacyIdentity(ctx, tx, k)
}

// resealColumn replaces col of every row of table by seal(key, value),
// reading the rows in key order a page at a time.
func resealColumn(ctx context.Context, tx *sql.Tx, table, key, col string, seal func(key string, plain []byte) ([]byte, error)) (int, error) {
	type row struct {
		key   string
		value []byte
	}
	n, after := 0, ""
	for {
		rows, err := tx.QueryContext(ctx, `SELECT `+key+`, `+col+` FROM `+table+` WHERE `+key+` > ? ORDER BY `+key+` LIMIT 500`, after)
		if err != nil {
			return n, fmt.Errorf("read %s: %w", table, err)
		}
		var page []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.key, &r.value); err != nil {
				rows.Close()
				return n, err
			}
			page = append(page, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
		if len(page) == 0 {
			return n, nil
		}
		for _, r := range page {
			sealed, err := seal(r.key, r.value)
			if err != nil {
				return n, err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+col+` = ? WHERE `+key+` = ?`, sealed, r.key); err != nil {
				return n, fmt.Errorf("seal %s.%s: %w", table, col, err)
			}
		}
		n += len(page)
		after = page[len(page)-1].key
	}
}

func sealLegacyShadows(ctx context.Context, tx *sql.Tx, k *keyring) error {
	rows, err := tx.QueryContext(ctx, `SELECT kind, id, data FROM shadows WHERE data IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("read shadows: %w", err)
	}
	type shadow struct {
		kind, id string
		data     []byte
	}
	var all []shadow
	for rows.Next() {
		var sh shadow
		if err := rows.Scan(&sh.kind, &sh.id, &sh.data); err != nil {
			rows.Close()
			return err
		}
		all = append(all, sh)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, sh := range all {
		if _, err := tx.ExecContext(ctx, `UPDATE shadows SET data = ? WHERE kind = ? AND id = ?`,
			k.seal(nil, sh.kind, sh.id, sh.data), sh.kind, sh.id); err != nil {
			return fmt.Errorf("seal shadows: %w", err)
		}
	}
	return nil
}

// sealLegacyIDNumbers seals the applicants' ID numbers, adds their blind
// index and copies both onto their applications.
func sealLegacyIDNumbers(ctx context.Context, tx *sql.Tx, k *keyring) error {
	_, err := resealColumn(ctx, tx, "applicants", "id", "id_number", func(id string, plain []byte) ([]byte, error) {
		n := model.NormalizeIDNumber(string(plain))
		_, err := tx.ExecContext(ctx, `UPDATE applicants SET id_index = ? WHERE id = ?`, k.idIndex(n), id)
		return k.sealString(purposeIDNumber, id, n), err
	})
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE applications SET
		id_number = coalesce((SELECT id_number FROM applicants p WHERE p.id = applications.applicant_id), x''),
		id_index = coalesce((SELECT id_index FROM applicants p WHERE p.id = applications.applicant_id), x'')`)
	if err != nil {
		return fmt.Errorf("seal applications' ID numbers: %w", err)
	}
	return nil
}

// sealLegacyIdentity seals the identity and keeps its account id readable
// (a login of another account is refused before unlocking).
func sealLegacyIdentity(ctx context.Context, tx *sql.Tx, k *keyring) error {
	v, ok, err := getMeta(ctx, tx, metaIdentity)
	if err != nil || !ok {
		return err
	}
	var id Identity
	if err := json.Unmarshal([]byte(v), &id); err != nil {
		return fmt.Errorf("read identity: %w", err)
	}
	if err := setMeta(ctx, tx, metaAccountID, id.Account.ID); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = ?`,
		k.seal(nil, purposeMeta, metaIdentity, []byte(v)), metaIdentity)
	return err
}

// sealLegacyFiles seals every held file that is still plaintext (an earlier
// version's), once: the marker is removed when all are done, so an
// interrupted run continues at the next unlock. A sealed file starts with
// sealVersion, which no PDF, JPEG or PNG does.
func (s *Store) sealLegacyFiles(ctx context.Context, k *keyring) error {
	if _, owed, err := getMeta(ctx, s.reader, metaFilesPlain); err != nil || !owed {
		return err
	}
	err := filepath.WalkDir(s.filesDir, func(p string, d os.DirEntry, err error) error {
		if errors.Is(err, os.ErrNotExist) {
			return filepath.SkipAll
		}
		if err != nil || d.IsDir() || !model.ValidSHA256(d.Name()) {
			return err
		}
		return sealFileInPlace(p, d.Name(), k)
	})
	if err != nil {
		return fmt.Errorf("encrypt held files: %w", err)
	}
	_, err = s.writer.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaFilesPlain)
	return err
}

func sealFileInPlace(path, sha string, k *keyring) error {
	data, err := os.ReadFile(path)
	if err != nil || len(data) == 0 || data[0] == sealVersion {
		return err
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != sha {
		return os.Remove(path) // not what its name says: fetched again when needed
	}
	if err := writeAtomic(path, k.seal(nil, purposeFile, sha, data)); err != nil {
		return err
	}
	return nil
}
