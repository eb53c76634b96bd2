package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// cacheKeyBytes is the size of an account's desktop cache key.
const cacheKeyBytes = 32

// cacheKey is the account's desktop cache key, made at its first login
// (migration 0005). The desktop wraps its cache's data key with it besides
// the password (SEC-4), so a password reset here still opens the cache at
// the next online login. Only a password login returns it.
func (t *txn) cacheKey(ctx context.Context, accountID string) ([]byte, error) {
	fresh := make([]byte, cacheKeyBytes)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("cache key: %w", err)
	}
	if err := t.exec(ctx, `INSERT INTO cache_keys(account_id, key, created_at) VALUES (?, ?, ?)
		ON CONFLICT(account_id) DO NOTHING`, accountID, hex.EncodeToString(fresh), millis(t.now)); err != nil {
		return nil, fmt.Errorf("cache key: %w", err)
	}
	var key string
	if err := t.tx.QueryRowContext(ctx, `SELECT key FROM cache_keys WHERE account_id = ?`, accountID).Scan(&key); err != nil {
		return nil, fmt.Errorf("cache key: %w", err)
	}
	b, err := hex.DecodeString(key)
	if err != nil || len(b) != cacheKeyBytes {
		return nil, fmt.Errorf("cache key of %s is damaged", accountID)
	}
	return b, nil
}
