package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SetSetting records a new version of a council setting, audited, and returns the version.
func (s *Store) SetSetting(ctx context.Context, actor Actor, key, value string) (int, error) {
	var version int
	err := s.inTx(ctx, func(tx *txn) (err error) {
		version, err = s.setSetting(ctx, tx, actor, key, value)
		return err
	})
	return version, err
}

// setSetting is SetSetting inside a transaction.
func (s *Store) setSetting(ctx context.Context, tx *txn, actor Actor, key, value string) (int, error) {
	var version int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COALESCE(MAX(version), 0) FROM council_settings WHERE key = ?`), key).
		Scan(&version); err != nil {
		return 0, fmt.Errorf("setting %s: %w", key, err)
	}
	p := s.pipeline(tx)
	p.add("setting "+key, `INSERT INTO council_settings (key, version, value, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)`,
		nil, key, version+1, value, actor.UserID, instant(s.Now()))
	version++
	return version, s.finishAudit(ctx, p, &auditHead{}, s.Now(), []AuditEvent{{Actor: actor.UserID, Action: ActionAdmin,
		RecordID: key, Detail: fmt.Sprintf("setting %s v%d: %s", key, version, value)}})
}

// Setting returns the latest value of a council setting, and false when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	var value string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT value FROM council_settings WHERE key = ? ORDER BY version DESC LIMIT 1`), key).
		Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return value, err == nil, err
}

// SettingVersion is one version of a council setting: what it was set to, by whom and when.
type SettingVersion struct {
	Version int
	Value   string
	By      string
	At      time.Time
}

// SettingHistory lists every version of a setting, newest first.
func (s *Store) SettingHistory(ctx context.Context, key string) ([]SettingVersion, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT version, value, changed_by, changed_at FROM council_settings
		WHERE key = ? ORDER BY version DESC`), key)
	if err != nil {
		return nil, fmt.Errorf("setting %s: %w", key, err)
	}
	defer rows.Close()
	var out []SettingVersion
	for rows.Next() {
		var v SettingVersion
		if err := rows.Scan(&v.Version, &v.Value, &v.By, scanInstant{&v.At}); err != nil {
			return nil, fmt.Errorf("setting %s: %w", key, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
