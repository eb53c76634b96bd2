package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	gosync "sync"
)

// Encryption at rest (SEC-4). Every record the cache keeps about people —
// the JSON of each entity, the ID number column, queued commands, conflicts,
// drafts, the identity, file names and the bytes of every held file — is
// sealed with AES-256-GCM under a random 256-bit data key. The data key is
// kept on disk only wrapped (keys.go): by a key derived from the person's
// password with argon2id, and by a key the server hands out at login. What
// stays plaintext is what lists filter and sort on (ids, stages, times,
// series, levels, unit names and applicant names; docs/decisions.md says
// why names stay readable).
//
// A sealed value is
//
//	0x01 | 12-byte random nonce | ciphertext | 16-byte GCM tag
//
// with associated data naming what it is and whose it is ("application",
// id): a sealed value copied onto another row does not open there.

// sealVersion is the first byte of every sealed value.
const sealVersion = 0x01

// sealOverhead is what sealing adds to a plaintext.
const sealOverhead = 1 + 12 + 16

// dataKeyLen is the size of the random data key (AES-256).
const dataKeyLen = 32

// ErrLocked is returned by every read or write of sealed data before the
// cache was unlocked with the person's password (and after Lock).
var ErrLocked = errors.New("store: the cache is locked (log in first)")

// errOpen is a sealed value that does not open under this cache's key: it
// was altered, copied from another row, or sealed by another key.
var errOpen = errors.New("store: sealed value does not open (damaged or not this cache's)")

// keyring holds the keys derived from one data key. It is immutable.
type keyring struct {
	aead     cipher.AEAD
	indexKey []byte      // HMAC-SHA256 key of the blind indexes
	macs     gosync.Pool // hash.Hash over indexKey, reused
	dataKey  []byte      // kept to wrap it again (password change)
}

// newKeyring derives the record key and the index key from the data key
// (HKDF-SHA256, RFC 5869, with distinct labels).
func newKeyring(dataKey []byte) (*keyring, error) {
	if len(dataKey) != dataKeyLen {
		return nil, fmt.Errorf("data key: %d bytes, want %d", len(dataKey), dataKeyLen)
	}
	recKey, err := hkdf.Key(sha256.New, dataKey, nil, "titledesk cache records v1", 32)
	if err != nil {
		return nil, err
	}
	idxKey, err := hkdf.Key(sha256.New, dataKey, nil, "titledesk cache blind index v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(recKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	k := &keyring{aead: aead, indexKey: idxKey, dataKey: append([]byte(nil), dataKey...)}
	k.macs.New = func() any { return hmac.New(sha256.New, k.indexKey) }
	return k, nil
}

// newDataKey makes a random data key.
func newDataKey() ([]byte, error) {
	k := make([]byte, dataKeyLen)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("data key: %w", err)
	}
	return k, nil
}

// aad is the associated data binding a sealed value to its place.
func aad(buf []byte, purpose, id string) []byte {
	buf = append(buf, purpose...)
	buf = append(buf, 0)
	return append(buf, id...)
}

// seal appends the sealed form of plain to dst. purpose and id name the
// value's place (see aad).
func (k *keyring) seal(dst []byte, purpose, id string, plain []byte) []byte {
	var adBuf [96]byte
	ad := aad(adBuf[:0], purpose, id)
	start := len(dst)
	dst = append(dst, sealVersion)
	dst = append(dst, make([]byte, 12)...)
	nonce := dst[start+1 : start+13]
	if _, err := rand.Read(nonce); err != nil {
		panic("store: no randomness: " + err.Error()) // crypto/rand never fails on supported systems
	}
	return k.aead.Seal(dst, nonce, plain, ad)
}

// sealString is seal for a string, returning a new slice.
func (k *keyring) sealString(purpose, id, plain string) []byte {
	return k.seal(make([]byte, 0, len(plain)+sealOverhead), purpose, id, []byte(plain))
}

// open returns the plaintext of a sealed value, appended to dst.
func (k *keyring) open(dst []byte, purpose, id string, sealed []byte) ([]byte, error) {
	if len(sealed) < sealOverhead || sealed[0] != sealVersion {
		return nil, errOpen
	}
	var adBuf [96]byte
	out, err := k.aead.Open(dst, sealed[1:13], sealed[13:], aad(adBuf[:0], purpose, id))
	if err != nil {
		return nil, errOpen
	}
	return out, nil
}

// openString is open returning a string.
func (k *keyring) openString(purpose, id string, sealed []byte) (string, error) {
	b, err := k.open(nil, purpose, id, sealed)
	return string(b), err
}

// index is a blind index value: HMAC-SHA256 under the index key of a label
// and a value, cut to n bytes. Equal values give equal index values within
// this cache; without the key nothing can be learned or guessed from them.
func (k *keyring) index(label, value string, n int) []byte {
	h := k.macs.Get().(hash.Hash)
	defer k.macs.Put(h)
	h.Reset()
	h.Write([]byte(label))
	h.Write([]byte{0})
	h.Write([]byte(value))
	var sum [sha256.Size]byte
	return append([]byte(nil), h.Sum(sum[:0])[:n]...)
}

// The blind index of an ID number (applicants.id_index and its copy in
// applications): three keyed digests side by side, so 已审核列表 and the
// queues find a person by the whole number or by the four characters a
// masked column shows at either end (1201**********123X), without the
// number itself being stored readable.
const (
	idIndexFull   = 16 // bytes of the whole number's digest
	idIndexPart   = 8  // bytes of each four-character digest
	idIndexLen    = idIndexFull + 2*idIndexPart
	idPartRunes   = 4
	idFirstOffset = idIndexFull // 0-based offset of the first-four digest
	idLastOffset  = idIndexFull + idIndexPart
)

// idIndex is the blind index of a normalized ID number.
func (k *keyring) idIndex(normalized string) []byte {
	first, last := idEnds(normalized)
	out := make([]byte, 0, idIndexLen)
	out = append(out, k.index("id", normalized, idIndexFull)...)
	out = append(out, k.index("id_first4", first, idIndexPart)...)
	return append(out, k.index("id_last4", last, idIndexPart)...)
}

// idEnds are the first and last four characters of an ID number, as
// model.MaskIDNumber shows them; "" for a number too short to show them.
func idEnds(normalized string) (first, last string) {
	r := []rune(normalized)
	if len(r) <= 2*idPartRunes {
		return "", ""
	}
	return string(r[:idPartRunes]), string(r[len(r)-idPartRunes:])
}
