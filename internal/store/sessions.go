package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
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
// its absolute expiry, is ended and not found.
func (s *Store) SessionUser(ctx context.Context, token string, idle time.Duration) (User, error) {
	now := s.Now()
	var userID string
	var lastSeen, expires time.Time
	err := s.db.QueryRowContext(ctx, s.q(`SELECT user_id, last_seen_at, expires_at FROM sessions WHERE token_hash = ?`),
		tokenHash(token)).Scan(&userID, scanInstant{&lastSeen}, scanInstant{&expires})
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("session: %w", casework.ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("session: %w", err)
	}
	if now.After(expires) || now.Sub(lastSeen) > idle {
		_ = s.EndSession(ctx, token) // expired either way; a failed delete is retried at the next request
		return User{}, fmt.Errorf("session expired: %w", casework.ErrNotFound)
	}
	if _, err := s.db.ExecContext(ctx, s.q(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`),
		instant(now), tokenHash(token)); err != nil {
		return User{}, fmt.Errorf("session: %w", err)
	}
	u, err := s.UserByID(ctx, userID)
	if err == nil && u.Disabled {
		return User{}, fmt.Errorf("user disabled: %w", casework.ErrForbidden)
	}
	return u, err
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
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := make([]User, 0, len(ids))
	for _, id := range ids {
		u, err := s.UserByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}
