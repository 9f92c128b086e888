package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
)

// Sessions live in the database so any number of servers can share the load. Only a hash of the session token is
// stored, so a copy of the database does not give anyone a live session.

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateSession stores a new session for a user, expiring at the absolute limit.
func (s *Store) CreateSession(ctx context.Context, token, userID string, expires time.Time) error {
	now := s.Now()
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`), tokenHash(token), userID, instant(now), instant(now), instant(expires))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionUser returns the user of a live session and marks it seen. A session idle for longer than idle, or past
// its absolute expiry, is ended and not found. Being seen is written at most once a minute, so idle time is
// measured to the minute and most requests read without writing.
func (s *Store) SessionUser(ctx context.Context, token string, idle time.Duration) (User, error) {
	now := s.Now()
	var lastSeen, expires time.Time
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT s.last_seen_at, s.expires_at, `+userColumns+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`), tokenHash(token)).Scan,
		scanInstant{&lastSeen}, scanInstant{&expires})
	if err != nil {
		return User{}, fmt.Errorf("session: %w", err)
	}
	if now.After(expires) || now.Sub(lastSeen) > idle {
		_ = s.EndSession(ctx, token) // expired either way; a failed delete is retried at the next request
		return User{}, fmt.Errorf("session expired: %w", casework.ErrNotFound)
	}
	if now.Sub(lastSeen) >= time.Minute {
		if _, err := s.db.ExecContext(ctx, s.q(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`),
			instant(now), tokenHash(token)); err != nil {
			return User{}, fmt.Errorf("session: %w", err)
		}
	}
	if u.Disabled {
		return User{}, fmt.Errorf("user disabled: %w", casework.ErrForbidden)
	}
	return u, nil
}

// EndSession signs a session out.
func (s *Store) EndSession(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash(token))
	return err
}

// SetPassword replaces a user's password hash.
func (s *Store) SetPassword(ctx context.Context, actor Actor, userID, hash string) error {
	return s.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE users SET password_hash = ? WHERE id = ?`), hash, userID)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("user %s: %w", userID, casework.ErrNotFound)
		}
		return s.appendAudit(ctx, tx, s.Now(), []AuditEvent{{Actor: actor.UserID, Action: ActionAdmin, RecordID: userID, Detail: "password set"}})
	})
}

// Users lists users, for the demo's sign-in instructions and administration.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.email`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
