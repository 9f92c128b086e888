package casework

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
)

// File is one person's whole record: the person and every current record about them. Changes go through Save,
// which checks each changed record on its own and then the file as a whole, so a file that breaks an invariant
// (overlapping episodes, a plan without a conference) is never produced. A store loads a File, lets a command
// change it, and writes what Pending returns in one transaction.
type File struct {
	now     time.Time
	person  *Person
	records []Record // current, not retracted, in Seq order; includes the person
	byID    map[string]Record
	pending []Record
	// closedBefore holds the episodes that were closed when the file was loaded, which accept no new records.
	closedBefore map[string]bool
	// policy is the council's step-up and step-down policy.
	policy StepPolicy
}

// NewFile assembles a file from its current records, as a store loads them, for a command running at now.
// The records must include the person (unless the file is new) and be in Seq order.
func NewFile(now time.Time, records []Record) *File {
	f := &File{now: now, byID: make(map[string]Record, len(records)), closedBefore: map[string]bool{},
		policy: DefaultStepPolicy}
	for _, r := range records {
		if r.Base().Retracted {
			continue
		}
		f.records = append(f.records, r)
		f.byID[r.Base().ID] = r
		switch v := r.(type) {
		case *Person:
			f.person = v
		case *Episode:
			if !v.Open() {
				f.closedBefore[v.ID] = true
			}
		}
	}
	return f
}

// Person returns the file's person, or nil for a new file not yet saved.
func (f *File) Person() *Person { return f.person }

// Records returns the current records, person first, in the order they were recorded.
func (f *File) Records() []Record { return f.records }

// Get returns the current record with the given ID.
func (f *File) Get(id string) (Record, bool) {
	r, ok := f.byID[id]
	return r, ok
}

// Pending returns the records changed by Save since the file was loaded, in the order they were saved.
func (f *File) Pending() []Record { return f.pending }

// All returns the file's current records of type T in the order they were recorded.
func All[T Record](f *File) []T {
	var out []T
	for _, r := range f.records {
		if t, ok := r.(T); ok {
			out = append(out, t)
		}
	}
	return out
}

// NewID returns a new record identifier: 48 bits of milliseconds then 80 random bits, in hex, so identifiers sort
// roughly by creation time and keep index pages warm.
func NewID(now time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic(fmt.Sprintf("casework: no randomness for identifiers: %v", err))
	}
	return hex.EncodeToString(b[:])
}

// Save applies new and changed records to the file as one change. A record with no ID, or one the file does not
// hold, is new (version 1); any other is a change, which must carry the version it was based on and say why it is
// made, and leaves the file at the next version.
// Setting Retracted on a change marks a record entered in error. Nothing is applied unless everything is valid.
func (f *File) Save(records ...Record) error {
	today := Today(f.now)
	saved := slices.Clone(f.records)
	savedByID := make(map[string]Record, len(f.byID))
	for k, v := range f.byID {
		savedByID[k] = v
	}
	pendingBefore := len(f.pending)
	rollback := func() {
		f.records, f.byID, f.pending = saved, savedByID, f.pending[:pendingBefore]
		f.person = nil
		for _, r := range f.records {
			if p, ok := r.(*Person); ok {
				f.person = p
			}
		}
	}
	var p problems
	var changed []*Meta
	for i, r := range records {
		prefix := ""
		if len(records) > 1 {
			prefix = string(r.Kind()) + "."
		}
		if _, exists := f.byID[r.Base().ID]; exists {
			changed = append(changed, r.Base())
		}
		if err := f.apply(r); err != nil {
			rollback()
			if len(records) > 1 {
				return fmt.Errorf("%s (record %d of %d): %w", r.Kind(), i+1, len(records), err)
			}
			return err
		}
		p.merge(prefix, r.Validate(today))
	}
	if err := p.err(); err != nil {
		rollback()
		return err
	}
	if err := f.check(today); err != nil {
		rollback()
		return err
	}
	// Versions move on only once the whole change is accepted, so a rejected change can be corrected and saved
	// again as it was.
	for _, m := range changed {
		m.Version++
	}
	return nil
}

// apply puts one record in place without checking the file as a whole.
func (f *File) apply(r Record) error {
	m := r.Base()
	if p, ok := r.(*Person); ok {
		p.Normalise()
	}
	old, exists := f.byID[m.ID]
	if !exists {
		if m.ID == "" {
			m.ID = NewID(f.now)
		}
		if len(f.records) == 0 && r.Kind() != KindPerson && r.Kind() != KindHousehold {
			return fmt.Errorf("a file starts with a person or a household, not a %s: %w", r.Kind(), ErrInvalid)
		}
		if ep := episodeOf(r); ep != "" && f.closedBefore[ep] {
			return Invalid("episode_id", "the episode is closed; record a reopening before adding to it")
		}
		if m.Retracted {
			return Invalid("retracted", "a new record cannot be retracted")
		}
		m.Version = 1
		m.RecordedAt = f.now
		f.records = append(f.records, r)
		f.byID[m.ID] = r
		f.pending = append(f.pending, r)
		if p, ok := r.(*Person); ok {
			f.person = p
		}
		return nil
	}
	if old.Kind() != r.Kind() {
		return Invalid("id", "record %s is a %s, not a %s", m.ID, old.Kind(), r.Kind())
	}
	cur := old.Base().Version
	if m.Version != cur {
		return fmt.Errorf("%s %s was changed by someone else (you had version %d, it is now at version %d); "+
			"reload and make your change again: %w", r.Kind(), m.ID, m.Version, cur, ErrConflict)
	}
	if m.Reason == "" {
		return Invalid("reason", "say why the record is being changed")
	}
	if len(m.Reason) > 1000 {
		return Invalid("reason", "must be at most 1000 characters")
	}
	m.Seq = old.Base().Seq
	m.RecordedAt = f.now
	i := slices.IndexFunc(f.records, func(x Record) bool { return x.Base().ID == m.ID })
	if m.Retracted {
		if _, isPerson := r.(*Person); isPerson {
			return Invalid("retracted", "a person cannot be retracted; correct their details instead")
		}
		f.records = slices.Delete(f.records, i, i+1)
		delete(f.byID, m.ID)
	} else {
		f.records[i] = r
		f.byID[m.ID] = r
		if p, ok := r.(*Person); ok {
			f.person = p
		}
	}
	if j := slices.IndexFunc(f.pending, func(x Record) bool { return x.Base().ID == m.ID }); j >= 0 {
		f.pending[j] = r
	} else {
		f.pending = append(f.pending, r)
	}
	return nil
}

// episodeOf returns the episode a record belongs to, if it belongs to one.
func episodeOf(r Record) string {
	switch r.Kind() {
	case KindAssessment, KindCINPlan, KindStrategy, KindSection47, KindConference, KindCPPlan,
		KindLegalStatus, KindPlacement, KindCLAReview, KindVisit, KindMissing, KindActivity, KindAdoption:
		return r.Index().ParentID
	}
	return ""
}

// Reopen opens a closed episode again, keeping what the closure said in a Reopening record, so the closure and the
// reopening both stay in the history.
func (f *File) Reopen(episodeID string, version int, date civil.Date, why string) error {
	r, ok := f.byID[episodeID]
	ep, isEpisode := r.(*Episode)
	if !ok || !isEpisode {
		return fmt.Errorf("episode %s: %w", episodeID, ErrNotFound)
	}
	if ep.Open() {
		return Invalid("episode_id", "the episode is open; only a closed episode can be reopened")
	}
	if date.Before(ep.ClosureDate) {
		return Invalid("date", "must not be before the closure on %s", ep.ClosureDate)
	}
	reopened := *ep
	reopened.Version = version
	reopened.Reason = "reopened: " + why
	reopened.ClosureDate, reopened.ClosureReason = civil.Date{}, ""
	rec := &Reopening{EpisodeID: ep.ID, Date: date, PreviousClosureDate: ep.ClosureDate,
		PreviousClosureReason: ep.ClosureReason, Why: why}
	if err := f.Save(&reopened, rec); err != nil {
		return err
	}
	delete(f.closedBefore, ep.ID)
	return nil
}
