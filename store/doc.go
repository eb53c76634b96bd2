// Package store is the desktop client's SQLite cache: everything the
// department's screens show (pulled from the server's change feed), the
// outbox of local actions waiting to be pushed, conflicts, drafts, locally
// held attachment files and the sync state (device id, cursor, identity,
// offline password verifier).
//
// The sync engine (package sync) drives it:
//
//   - Pull: ApplyChanges(ctx, page, cursor) per page — the page and its
//     cursor commit together or not at all.
//   - Local action: Do(ctx, func(tx *Tx) error) — read with tx.Application /
//     tx.Env, run model.Apply, write with tx.PutApplication, queue with
//     tx.Enqueue; the optimistic change and its outbox row commit together.
//   - Push: PendingCommands, then MarkResult per answer.
//   - After a pull: ReapplyPending re-runs still-pending commands on top of the
//     server's state.
//
// Two views of an entity exist only while a command is pending: the entity
// tables hold the optimistic view the screens show, and `shadows` holds the
// server's copy of the few entities a pending command touched. That keeps
// every list query on one table (no merge at read time), lets a rejected
// command be undone without re-pulling, and lets pending commands be rebased
// on fresh server state. A pull writes the server's state into the table and,
// for a shadowed entity, into its shadow too; ReapplyPending then re-runs the
// pending commands on it, and a shadow goes once no command is pending.
// Base versions need no second copy: model.Apply increments the version
// exactly as the server does, so a command queued after another one on the
// same application names the version the server will have reached.
//
// Encryption at rest (SEC-4, seal.go, keys.go): everything the cache holds
// about people — records, ID numbers, queued commands, conflicts, drafts,
// the identity, file names and held files — is sealed with AES-256-GCM
// under a random data key, kept on disk only wrapped by the person's
// password (argon2id) and by the server's cache key for the account. The
// cache opens locked: UnlockOnline (after an online login) or Unlock
// (offline, ACC-2) puts the key in memory, Lock (logout) and Close forget
// it; until then every read or write of sealed data fails with ErrLocked.
// ID numbers are searched through a blind index (idsearch.go). The
// password and the session token are never stored.
//
// The store never imports Fyne; it is safe for concurrent use.
package store
