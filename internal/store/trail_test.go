package store

import (
	"errors"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
)

// TestAuditTrail searches the whole trail on both databases: by who, by child (LA child ID or file), by action and
// by London day, page by page, and audits each search.
func TestAuditTrail(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		clock := time.Date(2026, 6, 1, 23, 30, 0, 0, time.UTC) // 00:30 on 2 June in London
		s.now = func() time.Time { return clock }
		defer func() { s.now = time.Now }()
		amy := newChild(t, s, "TRL1")
		ben := newChild(t, s, "TRL2")
		auditor := Actor{UserID: "aud1", Role: casework.RoleAuditor}
		for i, e := range []AuditEvent{
			{Actor: "sw1", Action: ActionRead, FileID: amy},
			{Actor: "sw1", Action: ActionRead, FileID: ben},
			{Actor: "sw2", Action: ActionList, FileID: amy},
			{Actor: "sw1", Action: ActionList, FileID: amy},
		} {
			clock = clock.Add(time.Duration(i) * 24 * time.Hour)
			must(t, s.Audit(ctx, e))
		}
		search := func(q TrailQuery) []TrailEvent {
			t.Helper()
			if q.Limit == 0 {
				q.Limit = 10
			}
			out, _, err := s.AuditTrail(ctx, auditor, q)
			must(t, err)
			return out
		}
		// newChild recorded Amy as sw1: recorded, read, listed, newest first.
		if got := search(TrailQuery{UserID: "sw1", Child: "trl1"}); len(got) != 3 || got[0].Action != ActionList ||
			got[2].Action != ActionCreate || got[0].LAChildID != "TRL1" {
			t.Errorf("sw1 on Amy: %+v", got)
		}
		if got := search(TrailQuery{Child: ben, Action: ActionRead}); len(got) != 1 || got[0].Actor != "sw1" {
			t.Errorf("reads of Ben by file ID: %+v", got)
		}
		// The first read was at 00:30 on 2 June in London, though 1 June in UTC.
		if got := search(TrailQuery{Action: ActionRead, From: d("2026-06-02"), To: d("2026-06-02")}); len(got) != 1 || got[0].FileID != amy {
			t.Errorf("reads on 2 June: %+v", got)
		}
		if got := search(TrailQuery{Action: ActionRead, To: d("2026-06-01")}); len(got) != 0 {
			t.Errorf("reads on or before 1 June: %+v", got)
		}
		page, more, err := s.AuditTrail(ctx, auditor, TrailQuery{Child: amy, Limit: 2})
		must(t, err)
		if len(page) != 2 || !more {
			t.Fatalf("first page of Amy's trail: %d, more %v", len(page), more)
		}
		rest := search(TrailQuery{Child: amy, Before: page[1].Seq})
		for _, e := range rest {
			if e.Seq >= page[1].Seq {
				t.Errorf("the next page repeats event %d", e.Seq)
			}
		}
		if _, _, err := s.AuditTrail(ctx, auditor, TrailQuery{Child: "NOPE", Limit: 5}); !errors.Is(err, casework.ErrInvalid) {
			t.Errorf("an unknown child: %v", err)
		}
		if _, _, err := s.AuditTrail(ctx, auditor, TrailQuery{From: d("2026-06-05"), To: d("2026-06-01"), Limit: 5}); !errors.Is(err, casework.ErrInvalid) {
			t.Errorf("days the wrong way round: %v", err)
		}
		searched := search(TrailQuery{UserID: auditor.UserID, Action: ActionAudit, Child: amy})
		if len(searched) == 0 || searched[0].Detail != "trail" {
			t.Errorf("the auditor's searches of Amy's trail are not audited: %+v", searched)
		}
	})
}
