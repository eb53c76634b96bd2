package store

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"titledesk/api"
	"titledesk/model"
)

// Keys of the meta table.
const (
	metaDeviceID = "device_id"
	metaCursor   = "cursor"
	metaLastSync = "last_sync"
	metaIdentity = "identity"
	metaVerifier = "verifier" // an earlier version's password verifier (legacy.go)
)

func getMeta(ctx context.Context, q queryer, key string) (string, bool, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", key, err)
	}
	return v, true, nil
}

func setMeta(ctx context.Context, q queryer, key, value string) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES(?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("save %s: %w", key, err)
	}
	return nil
}

// ensureDeviceID generates the install's device id once.
func (s *Store) ensureDeviceID(ctx context.Context) (string, error) {
	if id, ok, err := getMeta(ctx, s.writer, metaDeviceID); err != nil || ok {
		return id, err
	}
	id := api.NewUUID()
	if _, err := s.writer.ExecContext(ctx, `INSERT OR IGNORE INTO meta(key, value) VALUES(?, ?)`, metaDeviceID, id); err != nil {
		return "", fmt.Errorf("save device id: %w", err)
	}
	id, _, err := getMeta(ctx, s.writer, metaDeviceID)
	return id, err
}

// DeviceID is this install's stable id (a UUID made on first open).
func (s *Store) DeviceID(ctx context.Context) (string, error) {
	id, _, err := getMeta(ctx, s.reader, metaDeviceID)
	return id, err
}

// Cursor is the feed position of the last applied page; "" before the
// initial sync. Only ApplyChanges and ResetCursor change it.
func (s *Store) Cursor(ctx context.Context) (string, error) {
	c, _, err := getMeta(ctx, s.reader, metaCursor)
	return c, err
}

// ResetCursor forgets the feed position so the next pull starts from the
// beginning (a full resync; upserts overwrite what is cached).
func (s *Store) ResetCursor(ctx context.Context) error {
	_, err := s.writer.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaCursor)
	return err
}

// LastSync is when a sync cycle last completed (zero: never).
func (s *Store) LastSync(ctx context.Context) (time.Time, error) {
	v, ok, err := getMeta(ctx, s.reader, metaLastSync)
	if err != nil || !ok {
		return time.Time{}, err
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("read last sync: %w", err)
	}
	return time.UnixMilli(ms), nil
}

// MarkSynced records that a sync cycle completed now.
func (s *Store) MarkSynced(ctx context.Context) error {
	return setMeta(ctx, s.writer, metaLastSync, strconv.FormatInt(millis(s.Now()), 10))
}

// Identity is who is logged in on this cache. It holds no secret: the
// session token lives in the sync engine's memory only.
type Identity struct {
	ServerURL string        `json:"server_url"`
	Username  string        `json:"username"`
	Account   model.Account `json:"account"`
	Unit      *model.Unit   `json:"unit,omitempty"`
}

// SetIdentity saves the identity of a successful online login, sealed
// (the unit card holds a contact phone); the account id stays readable.
func (s *Store) SetIdentity(ctx context.Context, id Identity) error {
	k, err := s.keyring()
	if err != nil {
		return err
	}
	b, err := json.Marshal(id)
	if err != nil {
		return fmt.Errorf("encode identity: %w", err)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := setMeta(ctx, tx, metaAccountID, id.Account.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES(?, ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, metaIdentity, k.seal(nil, purposeMeta, metaIdentity, b))
		if err != nil {
			return fmt.Errorf("save identity: %w", err)
		}
		return nil
	})
}

// Identity returns the saved identity; ok is false before the first login.
// It needs the key (ErrLocked before an unlock).
func (s *Store) Identity(ctx context.Context) (id Identity, ok bool, err error) {
	k, err := s.keyring()
	if err != nil {
		return Identity{}, false, err
	}
	var v []byte
	err = s.reader.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaIdentity).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return Identity{}, false, nil
	}
	if err != nil {
		return Identity{}, false, fmt.Errorf("read identity: %w", err)
	}
	plain, err := k.open(nil, purposeMeta, metaIdentity, v)
	if err != nil {
		return Identity{}, false, fmt.Errorf("read identity: %w", err)
	}
	if err := json.Unmarshal(plain, &id); err != nil {
		return Identity{}, false, fmt.Errorf("decode identity: %w", err)
	}
	return id, true, nil
}

// checkVerifier reports whether password matches the argon2id verifier an
// earlier version stored (PHC string format), in constant time; false when
// none is stored or it cannot be read. Only the first unlock of such a
// cache uses it: the key envelope replaces it (keys.go).
func (s *Store) checkVerifier(ctx context.Context, password string) bool {
	v, ok, err := getMeta(ctx, s.reader, metaVerifier)
	if err != nil || !ok {
		return false
	}
	var (
		version, mem, iter int
		par                uint8
	)
	parts := strings.Split(v, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iter, &par); err != nil || mem <= 0 || iter <= 0 || par == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, uint32(iter), uint32(mem), par, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
