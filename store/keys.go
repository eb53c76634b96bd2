package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// The data key on disk (SEC-4). It is random and is kept only sealed under
// key-encryption keys:
//
//   - key_password: argon2id(password, salt) — offline unlock (ACC-2);
//   - key_server: HKDF(server cache key, salt) — the server hands each
//     account a random cache key at every successful login, so after the
//     password was changed on the server (an administrator's reset, most
//     often because it was forgotten) the next online login still opens
//     the data and wraps it again under the new password.
//
// Neither is readable without a secret the person holds: the password
// itself, or a server session that only the password opens. A wrong
// password opens nothing; Lock (logout) forgets the key.

// Meta keys of the key envelopes and of the account the cache belongs to
// (the account id stays plaintext: it is checked before unlocking).
const (
	metaKeyPassword = "key_password"
	metaKeyServer   = "key_server"
	metaAccountID   = "account_id"
)

// Errors of Unlock and UnlockOnline.
var (
	// ErrWrongPassword: the password does not open this cache.
	ErrWrongPassword = errors.New("store: the password does not open this cache")
	// ErrNoKey: this cache was never opened online, so no key exists yet.
	ErrNoKey = errors.New("store: this cache was never unlocked online")
	// ErrKeyLost: an online login succeeded but neither the password nor
	// the server's cache key opens the data key (the password changed on
	// the server and the server no longer holds the key it gave). The data
	// cannot be read again; the caller starts a new cache.
	ErrKeyLost = errors.New("store: the cache's key cannot be opened with this password or the server's key")
)

// argon2id parameters for the password envelope (OWASP's minimum for
// argon2id: 19 MiB, 2 passes, 1 lane). They are stored with each envelope,
// so raising them later does not break existing caches.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// envelope is a data key sealed under a key-encryption key. For the
// password envelope the argon2id parameters are kept alongside.
type envelope struct {
	KDF    string `json:"kdf"` // "argon2id" or "hkdf-sha256"
	M      uint32 `json:"m,omitempty"`
	T      uint32 `json:"t,omitempty"`
	P      uint8  `json:"p,omitempty"`
	Salt   []byte `json:"salt"`
	Sealed []byte `json:"sealed"` // seal format, see seal.go
}

const (
	kdfArgon2id = "argon2id"
	kdfHKDF     = "hkdf-sha256"
)

// kek derives the key-encryption key of an envelope from its secret.
func (e envelope) kek(secret []byte) ([]byte, error) {
	switch e.KDF {
	case kdfArgon2id:
		if e.T == 0 || e.M == 0 || e.P == 0 || len(e.Salt) < 16 {
			return nil, fmt.Errorf("password envelope: bad parameters")
		}
		return argon2.IDKey(secret, e.Salt, e.T, e.M, e.P, argonKeyLen), nil
	case kdfHKDF:
		if len(secret) < 32 {
			return nil, fmt.Errorf("server envelope: key too short")
		}
		return hkdf.Key(sha256.New, secret, e.Salt, "titledesk cache key escrow v1", 32)
	}
	return nil, fmt.Errorf("envelope: unknown kdf %q", e.KDF)
}

func wrapAEAD(kek []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// open returns the data key, or errOpen for a wrong secret.
func (e envelope) open(secret []byte) ([]byte, error) {
	kek, err := e.kek(secret)
	if err != nil {
		return nil, err
	}
	aead, err := wrapAEAD(kek)
	if err != nil {
		return nil, err
	}
	if len(e.Sealed) != sealOverhead+dataKeyLen || e.Sealed[0] != sealVersion {
		return nil, errOpen
	}
	dk, err := aead.Open(nil, e.Sealed[1:13], e.Sealed[13:], []byte("titledesk data key\x00"+e.KDF))
	if err != nil {
		return nil, errOpen
	}
	return dk, nil
}

// newEnvelope seals dataKey under a key derived from secret with kdf.
func newEnvelope(kdf string, secret, dataKey []byte) (envelope, error) {
	e := envelope{KDF: kdf, Salt: make([]byte, 16)}
	if kdf == kdfArgon2id {
		e.M, e.T, e.P = argonMemory, argonTime, argonThreads
	}
	if _, err := rand.Read(e.Salt); err != nil {
		return e, fmt.Errorf("salt: %w", err)
	}
	kek, err := e.kek(secret)
	if err != nil {
		return e, err
	}
	aead, err := wrapAEAD(kek)
	if err != nil {
		return e, err
	}
	nonce := make([]byte, 12)
	if _, err := rand.Read(nonce); err != nil {
		return e, fmt.Errorf("nonce: %w", err)
	}
	e.Sealed = aead.Seal(append([]byte{sealVersion}, nonce...), nonce, dataKey, []byte("titledesk data key\x00"+kdf))
	return e, nil
}

func readEnvelope(ctx context.Context, q queryer, key string) (envelope, bool, error) {
	v, ok, err := getMeta(ctx, q, key)
	if err != nil || !ok {
		return envelope{}, false, err
	}
	var e envelope
	if err := json.Unmarshal([]byte(v), &e); err != nil {
		return envelope{}, false, fmt.Errorf("read %s: %w", key, err)
	}
	return e, true, nil
}

func writeEnvelope(ctx context.Context, q queryer, key string, e envelope) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return setMeta(ctx, q, key, string(b))
}

// Unlocked reports whether the cache's key is in memory.
func (s *Store) Unlocked() bool { return s.keys.Load() != nil }

// keyring is the cache's keys, or ErrLocked.
func (s *Store) keyring() (*keyring, error) {
	if k := s.keys.Load(); k != nil {
		return k, nil
	}
	return nil, ErrLocked
}

// CanUnlockOffline reports whether an offline Unlock is possible: an online
// login happened here before (this version's key or an earlier version's
// password verifier is stored).
func (s *Store) CanUnlockOffline(ctx context.Context) bool {
	for _, key := range []string{metaKeyPassword, metaVerifier} {
		if _, ok, err := getMeta(ctx, s.reader, key); err == nil && ok {
			return true
		}
	}
	return false
}

// Unlock opens the cache with the password of the last online login,
// without the server (ACC-2). A cache written by an earlier version
// (plaintext, with a password verifier) is encrypted now, once. Errors:
// ErrWrongPassword, ErrNoKey (no online login happened here yet).
func (s *Store) Unlock(ctx context.Context, password string) error {
	env, ok, err := readEnvelope(ctx, s.reader, metaKeyPassword)
	if err != nil {
		return err
	}
	if !ok {
		if _, legacy, err := getMeta(ctx, s.reader, metaVerifier); err != nil || !legacy {
			return errors.Join(err, ErrNoKey)
		}
		if !s.checkVerifier(ctx, password) {
			return ErrWrongPassword
		}
		return s.sealLegacy(ctx, password, nil)
	}
	dk, err := env.open([]byte(password))
	if errors.Is(err, errOpen) {
		return ErrWrongPassword
	}
	if err != nil {
		return err
	}
	return s.activate(ctx, dk)
}

// UnlockOnline opens the cache after the server accepted password for
// the account it belongs to; serverKey is the cache key the login answer
// carried (api.LoginResponse.CacheKey; nil from a server that has none).
//
// Whichever envelope opens, both are brought up to date: a password
// changed on the server is taken over (the old one no longer opens the
// cache), and a server key not yet held is added. A cache with no key yet
// gets a new one (and its plaintext from an earlier version is encrypted).
// ErrKeyLost when neither the password nor serverKey opens the key.
func (s *Store) UnlockOnline(ctx context.Context, password string, serverKey []byte) error {
	pwEnv, hasPw, err := readEnvelope(ctx, s.reader, metaKeyPassword)
	if err != nil {
		return err
	}
	srvEnv, hasSrv, err := readEnvelope(ctx, s.reader, metaKeyServer)
	if err != nil {
		return err
	}
	if !hasPw && !hasSrv {
		return s.sealLegacy(ctx, password, serverKey)
	}
	var dk []byte
	pwOpens := false
	if hasPw {
		if dk, err = pwEnv.open([]byte(password)); err == nil {
			pwOpens = true
		} else if !errors.Is(err, errOpen) {
			return err
		}
	}
	srvOpens := false
	if hasSrv && len(serverKey) > 0 {
		if k, err := srvEnv.open(serverKey); err == nil {
			srvOpens = true
			if dk == nil {
				dk = k
			}
		} else if !errors.Is(err, errOpen) {
			return err
		}
	}
	if dk == nil {
		if k := s.keys.Load(); k != nil {
			dk = k.dataKey // unlocked offline, then the password changed
		} else {
			return ErrKeyLost
		}
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if !pwOpens {
			if err := putEnvelope(ctx, tx, metaKeyPassword, kdfArgon2id, []byte(password), dk); err != nil {
				return err
			}
		}
		if !srvOpens && len(serverKey) > 0 {
			return putEnvelope(ctx, tx, metaKeyServer, kdfHKDF, serverKey, dk)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("wrap cache key: %w", err)
	}
	if !pwOpens {
		// The envelope of the old password is gone from the table; make
		// sure no copy of it stays in the WAL either.
		s.checkpoint(ctx)
	}
	return s.activate(ctx, dk)
}

func putEnvelope(ctx context.Context, q queryer, key, kdf string, secret, dataKey []byte) error {
	e, err := newEnvelope(kdf, secret, dataKey)
	if err != nil {
		return err
	}
	return writeEnvelope(ctx, q, key, e)
}

// activate puts the key in memory and finishes what an unlock owes: files
// left plaintext by an interrupted migration, the calendar.
func (s *Store) activate(ctx context.Context, dataKey []byte) error {
	k, err := newKeyring(dataKey)
	if err != nil {
		return err
	}
	s.keys.Store(k)
	if err := s.sealLegacyFiles(ctx, k); err != nil {
		s.Lock()
		return err
	}
	if err := s.sealLegacyConflicts(ctx, k); err != nil {
		s.Lock()
		return err
	}
	if err := s.loadCalendar(ctx); err != nil {
		s.Lock()
		return err
	}
	return nil
}

// Lock forgets the key (logout): nothing sealed can be read or written
// until the next Unlock or UnlockOnline. Files decrypted for viewing are
// the caller's to remove.
func (s *Store) Lock() {
	if k := s.keys.Swap(nil); k != nil {
		clear(k.dataKey)
		clear(k.indexKey)
	}
}

// AccountID is the account this cache belongs to ("" before the first
// login). It is readable while locked, so a login of another account can
// be refused before anything is unlocked.
func (s *Store) AccountID(ctx context.Context) (string, error) {
	v, _, err := getMeta(ctx, s.reader, metaAccountID)
	return v, err
}

// checkpoint copies the WAL into the database and truncates it, so pages
// rewritten to drop old secrets leave no older copy in the -wal file.
func (s *Store) checkpoint(ctx context.Context) {
	s.writer.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
}
