package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
)

// Submission is a statutory return as it was produced.
type Submission struct {
	ID     int64
	Return string // "cin"
	Year   string // "2025-26"
	At     time.Time
	By     string
	SHA256 string
	Size   int64
}

// Submit keeps a return's file, read from r, unchanged: compressed, with its SHA-256 and the moment it was
// produced, audited. It returns the submission.
func (s *Store) Submit(ctx context.Context, actor Actor, kind, year string, r io.Reader) (Submission, error) {
	sub := Submission{Return: kind, Year: year, At: s.Now(), By: actor.UserID}
	var body bytes.Buffer
	sum := sha256.New()
	zw := gzip.NewWriter(&body)
	n, err := io.Copy(io.MultiWriter(zw, sum), r)
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return sub, fmt.Errorf("keep the %s return: %w", kind, err)
	}
	sub.Size, sub.SHA256 = n, hex.EncodeToString(sum.Sum(nil))
	err = s.inTx(ctx, func(tx *txn) error {
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO submissions (return_kind, year, produced_at, produced_by, sha256, size, body)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), kind, year, stamp(sub.At), sub.By, sub.SHA256, sub.Size,
			body.Bytes()).Scan(&sub.ID); err != nil {
			return fmt.Errorf("keep the %s return: %w", kind, err)
		}
		return s.appendAudit(ctx, tx, sub.At, []AuditEvent{{Actor: actor.UserID, Action: ActionReport,
			RecordID: fmt.Sprint(sub.ID), Detail: fmt.Sprintf("%s return %s kept: %d bytes, sha256 %s", kind, year, sub.Size, sub.SHA256)}})
	})
	return sub, err
}

// Submissions lists the returns kept, newest first.
func (s *Store) Submissions(ctx context.Context) ([]Submission, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, return_kind, year, produced_at, produced_by, sha256, size
		FROM submissions ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("submissions: %w", err)
	}
	defer rows.Close()
	var out []Submission
	for rows.Next() {
		var sub Submission
		if err := rows.Scan(&sub.ID, &sub.Return, &sub.Year, scanInstant{&sub.At}, &sub.By, &sub.SHA256, &sub.Size); err != nil {
			return nil, fmt.Errorf("submissions: %w", err)
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// SubmissionFile writes a kept return to w exactly as it was produced, after checking it against its SHA-256,
// and audits the read.
func (s *Store) SubmissionFile(ctx context.Context, actor Actor, id int64, w io.Writer) (Submission, error) {
	var sub Submission
	var body []byte
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id, return_kind, year, produced_at, produced_by, sha256, size, body
		FROM submissions WHERE id = ?`), id).Scan(&sub.ID, &sub.Return, &sub.Year, scanInstant{&sub.At}, &sub.By,
		&sub.SHA256, &sub.Size, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, fmt.Errorf("submission %d: %w", id, casework.ErrNotFound)
	}
	if err != nil {
		return sub, fmt.Errorf("submission %d: %w", id, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return sub, fmt.Errorf("submission %d: %w", id, err)
	}
	var file bytes.Buffer
	sum := sha256.New()
	if _, err := io.Copy(io.MultiWriter(&file, sum), zr); err != nil {
		return sub, fmt.Errorf("submission %d: %w", id, err)
	}
	if got := hex.EncodeToString(sum.Sum(nil)); got != sub.SHA256 {
		return sub, fmt.Errorf("submission %d does not match its checksum: it has been altered", id)
	}
	if err := s.Audit(ctx, AuditEvent{Actor: actor.UserID, Action: ActionReport, RecordID: fmt.Sprint(id),
		Detail: fmt.Sprintf("%s return %s read", sub.Return, sub.Year)}); err != nil {
		return sub, err
	}
	_, err = w.Write(file.Bytes())
	return sub, err
}
