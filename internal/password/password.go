// Package password hashes local account passwords with argon2id, the fallback when a council's single sign-on is
// not available. Hashes are stored in the PHC string format so parameters can be raised later without breaking
// existing accounts.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Parameters follow the OWASP minimum for argon2id: 19 MiB of memory, two passes, one lane.
const (
	memoryKiB = 19 * 1024
	passes    = 2
	lanes     = 1
	keyLen    = 32
	saltLen   = 16
)

// MinLength is the shortest password accepted for a local account.
const MinLength = 12

// ErrMismatch means the password does not match the hash.
var ErrMismatch = errors.New("password does not match")

// Hash returns the PHC-format argon2id hash of pw.
func Hash(pw string) (string, error) {
	if len(pw) < MinLength {
		return "", fmt.Errorf("password must be at least %d characters", MinLength)
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, passes, memoryKiB, lanes, keyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memoryKiB, passes, lanes,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Verify checks pw against a hash made by Hash, in constant time.
func Verify(hash, pw string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("not an argon2id hash")
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return errors.New("unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return fmt.Errorf("argon2 parameters: %w", err)
	}
	// A hash is ours, but bound the work it can ask for all the same.
	if m < 8*1024 || m > 1024*1024 || t < 1 || t > 16 || p < 1 || p > 16 {
		return fmt.Errorf("argon2 parameters out of range: m=%d t=%d p=%d", m, t, p)
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("argon2 salt: %w", err)
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return errors.New("argon2 key: malformed")
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// Generate returns a random password of 20 characters from an alphabet without look-alike characters: about 115
// bits of entropy.
func Generate() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	// Bytes at or above the largest multiple of the alphabet's length are dropped, so every character is equally
	// likely.
	limit := byte(256 - 256%len(alphabet))
	out := make([]byte, 0, 20)
	b := make([]byte, 32)
	for len(out) < cap(out) {
		if _, err := rand.Read(b); err != nil {
			panic(fmt.Sprintf("password: no randomness: %v", err))
		}
		for _, c := range b {
			if c < limit && len(out) < cap(out) {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	return string(out)
}
