package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Failed sign-ins are counted in the database, so a lockout holds across every server sharing the load.

// AccountKey and AddressKey name what a failed sign-in counts against.
func AccountKey(email string) string { return "account:" + strings.ToLower(strings.TrimSpace(email)) }
func AddressKey(ip string) string    { return "address:" + ip }

// SignInFailures counts the failures against each key since the instant given.
func (s *Store) SignInFailures(ctx context.Context, since time.Time, keys ...string) (map[string]int, error) {
	out := map[string]int{}
	for _, k := range keys {
		var n int
		if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM sign_in_failures WHERE key = ? AND at >= ?`),
			k, instant(since)).Scan(&n); err != nil {
			return nil, fmt.Errorf("sign-in failures: %w", err)
		}
		out[k] = n
	}
	return out, nil
}

// RecordSignInFailure counts a failure now against each key, and prunes failures more than a day old.
func (s *Store) RecordSignInFailure(ctx context.Context, keys ...string) error {
	now := s.Now()
	return s.inTx(ctx, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM sign_in_failures WHERE at < ?`), instant(now.Add(-24*time.Hour))); err != nil {
			return fmt.Errorf("sign-in failures: %w", err)
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO sign_in_failures (key, at) VALUES (?, ?)`), k, instant(now)); err != nil {
				return fmt.Errorf("sign-in failures: %w", err)
			}
		}
		return nil
	})
}

// ClearSignInFailures forgets the failures against a key: after a successful sign-in, or when an administrator
// unlocks an account.
func (s *Store) ClearSignInFailures(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sign_in_failures WHERE key = ?`), key)
	return err
}
