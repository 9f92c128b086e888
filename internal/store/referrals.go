package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
)

// Referral is a partner agency's referral as stored, with what became of it.
type Referral struct {
	ID, TeamID, ReferrerID string
	ReceivedAt             time.Time
	Body                   casework.PartnerReferral
	// FileID and ContactID are the child's file and the contact the front door took the referral in as.
	FileID, ContactID string
	TakenAt           time.Time
	// Outcome is the front door's decision on that contact (a contact outcome code), once made. It is left out
	// when the child's record is restricted to others.
	Outcome string
	// Team and Referrer name who sent it, for the front door.
	Team, Referrer string
}

const referralColumns = `r.id, r.team_id, r.referrer_id, r.received_at, r.body, COALESCE(r.file_id, ''),
	COALESCE(r.contact_id, ''), r.taken_at, COALESCE(t.name, ''), COALESCE(u.name, '')`

const referralsFrom = ` FROM partner_referrals r LEFT JOIN teams t ON t.id = r.team_id LEFT JOIN users u ON u.id = r.referrer_id`

func scanReferral(rows rowScanner) (Referral, error) {
	var r Referral
	var body string
	if err := rows.Scan(&r.ID, &r.TeamID, &r.ReferrerID, scanInstant{&r.ReceivedAt}, &body, &r.FileID, &r.ContactID,
		optionalInstant{&r.TakenAt}, &r.Team, &r.Referrer); err != nil {
		return r, fmt.Errorf("partner referral: %w", err)
	}
	if err := json.Unmarshal([]byte(body), &r.Body); err != nil {
		return r, fmt.Errorf("partner referral %s: %w", r.ID, err)
	}
	return r, nil
}

// SendReferral stores a partner's referral for the front door, once it is valid, and returns its ID.
func (s *Store) SendReferral(ctx context.Context, actor Actor, r casework.PartnerReferral) (string, error) {
	r.NHSNumber = casework.NormaliseNHSNumber(r.NHSNumber)
	r.Postcode = strings.ToUpper(strings.TrimSpace(r.Postcode))
	now := s.Now()
	if err := r.Validate(casework.Today(now)); err != nil {
		return "", err
	}
	if actor.TeamID == "" {
		return "", fmt.Errorf("a referral comes from a partner agency's team, and you are in none: %w", casework.ErrForbidden)
	}
	body, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	id := casework.NewID(now)
	err = s.inTx(ctx, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO partner_referrals (id, team_id, referrer_id, received_at, body)
			VALUES (?, ?, ?, ?, ?)`), id, actor.TeamID, actor.UserID, stamp(now), string(body)); err != nil {
			return fmt.Errorf("send referral: %w", err)
		}
		return s.appendAudit(ctx, tx, now, []AuditEvent{{Actor: actor.UserID, Action: ActionCreate, RecordID: id,
			Detail: "partner referral"}})
	})
	return id, err
}

// ReferralsSent lists the referrals the actor's team has sent, newest first, with what became of each, and audits
// each child's file shown.
func (s *Store) ReferralsSent(ctx context.Context, actor Actor, limit int) ([]Referral, error) {
	var out []Referral
	err := s.inTx(ctx, func(tx *txn) error {
		var err error
		if out, err = s.referrals(ctx, tx, `WHERE r.team_id = ? ORDER BY r.received_at DESC LIMIT ?`, actor.TeamID, limit); err != nil {
			return err
		}
		var files, contacts []string
		for _, r := range out {
			if r.FileID != "" {
				files, contacts = append(files, r.FileID), append(contacts, r.ContactID)
			}
		}
		hidden, err := s.hidden(ctx, tx, actor, files)
		if err != nil {
			return err
		}
		outcomes, err := s.contactOutcomes(ctx, tx, contacts)
		if err != nil {
			return err
		}
		var events []AuditEvent
		for i, r := range out {
			if r.FileID != "" && !hidden[r.FileID] {
				out[i].Outcome = outcomes[r.ContactID]
				events = append(events, AuditEvent{Actor: actor.UserID, Action: ActionList, FileID: r.FileID,
					RecordID: r.ID, Detail: "partner referral"})
			}
		}
		return s.appendAudit(ctx, tx, s.Now(), events)
	})
	return out, err
}

// contactOutcomes reads the outcome of each contact.
func (s *Store) contactOutcomes(ctx context.Context, tx *txn, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.QueryContext(ctx, s.q(`SELECT `+recordColumns+` FROM records WHERE kind = 'contact'
		AND retracted = 0 AND id IN (`+placeholders(len(ids))+`)`), idArgs(ids)...)
	if err != nil {
		return nil, fmt.Errorf("contact outcomes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out[r.Base().ID] = r.(*casework.Contact).Outcome
	}
	return out, rows.Err()
}

// ReferralsWaiting lists at most limit referrals the front door has not yet taken in, oldest first.
func (s *Store) ReferralsWaiting(ctx context.Context, actor Actor, limit int) ([]Referral, error) {
	var out []Referral
	err := s.inTx(ctx, func(tx *txn) error {
		var err error
		if out, err = s.referrals(ctx, tx, `WHERE r.file_id IS NULL ORDER BY r.received_at LIMIT ?`, limit); err != nil {
			return err
		}
		events := make([]AuditEvent, len(out))
		for i, r := range out {
			events[i] = AuditEvent{Actor: actor.UserID, Action: ActionList, RecordID: r.ID, Detail: "partner referral"}
		}
		return s.appendAudit(ctx, tx, s.Now(), events)
	})
	return out, err
}

// WaitingReferral returns one referral the front door has not yet taken in, and audits the read.
func (s *Store) WaitingReferral(ctx context.Context, actor Actor, id string) (Referral, error) {
	var out []Referral
	err := s.inTx(ctx, func(tx *txn) error {
		var err error
		if out, err = s.referrals(ctx, tx, `WHERE r.id = ? AND r.file_id IS NULL`, id); err != nil {
			return err
		}
		if len(out) == 0 {
			return fmt.Errorf("referral %s waiting at the front door: %w", id, casework.ErrNotFound)
		}
		return s.appendAudit(ctx, tx, s.Now(), []AuditEvent{{Actor: actor.UserID, Action: ActionRead, RecordID: id,
			Detail: "partner referral"}})
	})
	if err != nil {
		return Referral{}, err
	}
	return out[0], nil
}

func (s *Store) referrals(ctx context.Context, tx *txn, where string, args ...any) ([]Referral, error) {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT `+referralColumns+referralsFrom+` `+where), args...)
	if err != nil {
		return nil, fmt.Errorf("partner referrals: %w", err)
	}
	defer rows.Close()
	var out []Referral
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// TakeReferral takes a waiting referral in as a contact on the child's file, fileID, or, when fileID is empty, on a
// new file for the child the referral names, given the LA child ID newChildID. It is one transaction: the referral
// cannot be taken twice, and nothing is stored if any part is refused. It returns the child's file.
func (s *Store) TakeReferral(ctx context.Context, actor Actor, id, fileID, newChildID string) (string, error) {
	err := s.inTx(ctx, func(tx *txn) error {
		var body string
		var received time.Time
		var taken sql.NullString
		err := tx.QueryRowContext(ctx, s.q(`UPDATE partner_referrals SET id = id WHERE id = ?
			RETURNING body, received_at, file_id`), id).Scan(&body, scanInstant{&received}, &taken)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("referral %s: %w", id, casework.ErrNotFound)
		case err != nil:
			return fmt.Errorf("take referral: %w", err)
		case taken.Valid:
			return fmt.Errorf("the referral has already been taken in by someone else: %w", casework.ErrConflict)
		}
		var r casework.PartnerReferral
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			return fmt.Errorf("referral %s: %w", id, err)
		}
		contact := &casework.Contact{ReceivedAt: received, Source: r.Source, Reason: r.Concerns}
		if fileID == "" {
			if newChildID == "" {
				return casework.Invalid("child_id", "choose the child the referral is about, or record a new child")
			}
			child := r.Child()
			child.LAChildID = newChildID
			fileID, err = s.createFile(ctx, tx, actor, func(f *casework.File) error { return f.Save(child, contact) })
		} else {
			err = s.updateFile(ctx, tx, actor, fileID, func(f *casework.File) error {
				if p := f.Person(); p == nil || p.Role != casework.RoleChild {
					return casework.Invalid("child_id", "the referral must be taken in on a child's record")
				}
				return f.Save(contact)
			})
		}
		if err != nil {
			return err
		}
		now := s.Now()
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE partner_referrals SET file_id = ?, contact_id = ?, taken_by = ?,
			taken_at = ? WHERE id = ?`), fileID, contact.ID, actor.UserID, stamp(now), id); err != nil {
			return fmt.Errorf("take referral: %w", err)
		}
		return s.appendAudit(ctx, tx, now, []AuditEvent{{Actor: actor.UserID, Action: ActionChange, FileID: fileID,
			RecordID: id, Detail: "partner referral taken in"}})
	})
	return fileID, err
}
