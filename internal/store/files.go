package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/timescale"
)

// Command changes a file through the domain's own commands. It runs inside the store's transaction, on the file
// as it stands once the store holds its lock.
type Command func(f *casework.File) error

// CreateFile starts a new file: cmd must save a Person (or, for a household, a Household) first. It returns the
// new file's ID.
func (s *Store) CreateFile(ctx context.Context, actor Actor, cmd Command) (string, error) {
	var id string
	err := s.inTx(ctx, func(tx *txn) error {
		var err error
		id, err = s.createFile(ctx, tx, actor, cmd)
		return err
	})
	return id, err
}

// createFile is CreateFile within tx.
func (s *Store) createFile(ctx context.Context, tx *txn, actor Actor, cmd Command) (string, error) {
	now := s.Now()
	rules, in, err := s.rulesIn(ctx, tx)
	if err != nil {
		return "", err
	}
	f := casework.NewFile(now, nil)
	f.SetStepPolicy(in.policy)
	if err := cmd(f); err != nil {
		return "", err
	}
	pending := f.Pending()
	if len(pending) == 0 {
		return "", fmt.Errorf("the new file has no records: %w", casework.ErrInvalid)
	}
	root := pending[0]
	if root.Kind() != casework.KindPerson && root.Kind() != casework.KindHousehold {
		return "", fmt.Errorf("a file starts with a person or a household, not a %s: %w", root.Kind(), casework.ErrInvalid)
	}
	id := root.Base().ID
	p := s.pipeline(tx)
	p.add("create file", `INSERT INTO files (id, kind, seq, created_at) VALUES (?, ?, 0, ?)`, nil,
		id, string(root.Kind()), instant(now))
	return id, s.writePending(ctx, tx, p, &auditHead{}, actor, f, rules, newDerived(), 0)
}

// UpdateFile changes an existing file. The file's row is locked first, so two writers to one file take turns and
// each sees the other's change before the domain checks its own. The lock, the load and the audit head travel
// together, and so do all the writes: on PostgreSQL a change costs four round trips including BEGIN and COMMIT.
func (s *Store) UpdateFile(ctx context.Context, actor Actor, fileID string, cmd Command) error {
	return s.inTx(ctx, func(tx *txn) error { return s.updateFile(ctx, tx, actor, fileID, cmd) })
}

// updateFile is UpdateFile within tx.
func (s *Store) updateFile(ctx context.Context, tx *txn, actor Actor, fileID string, cmd Command) error {
	if err := s.checkAccess(ctx, tx, actor, fileID); err != nil {
		return err
	}
	now := s.Now()
	p := s.pipeline(tx)
	seq := int64(-1)
	stored := newDerived()
	p.query("lock file", `UPDATE files SET seq = seq WHERE id = ? RETURNING seq, risk, worker_id, team_id`,
		func(rows rowScanner) error {
			for rows.Next() {
				var risk int
				var worker, team sql.NullString
				if err := rows.Scan(&seq, &risk, &worker, &team); err != nil {
					return fmt.Errorf("lock file: %w", err)
				}
				stored.setOwner(risk, worker, team)
			}
			return nil
		}, fileID)
	var records []casework.Record
	p.queueLoad(fileID, &records)
	var head auditHead
	p.lockAuditHead(&head)
	var in ruleInputs
	p.queueRuleInputs(&in)
	p.queueSignatures(`file_id = ?`, map[string]*derived{fileID: stored}, fileID)
	if err := p.flush(ctx); err != nil {
		return err
	}
	if seq < 0 || len(records) == 0 {
		return fmt.Errorf("file %s: %w", fileID, casework.ErrNotFound)
	}
	rules, err := s.rulesFor(&in)
	if err != nil {
		return err
	}
	f := casework.NewFile(now, records)
	f.SetStepPolicy(in.policy)
	if err := cmd(f); err != nil {
		return err
	}
	return s.writePending(ctx, tx, p, &head, actor, f, rules, stored, seq)
}

// writePending writes a file's new and changed records, their history rows, its due items and its audit events,
// through p after whatever p already holds. head is the audit head, locked by the caller or (if not yet locked)
// here; stored is what the file's due items, risk and owner were, and seq its change number so far: a new record
// takes the next number, and a command that only changes records still moves it on.
func (s *Store) writePending(ctx context.Context, tx *txn, p *pipeline, head *auditHead, actor Actor, f *casework.File,
	rules *timescale.Rules, stored *derived, seq int64) error {
	pending := f.Pending()
	if len(pending) == 0 {
		return nil
	}
	// The file's first record is its person or household, whose ID is the file's.
	fileID, now := f.Records()[0].Base().ID, s.Now()
	if err := s.checkLinks(ctx, tx, fileID, pending); err != nil {
		return err
	}
	for _, r := range pending {
		if lr, ok := r.(*casework.LateReason); ok {
			if _, known := rules.Rule(lr.Rule); !known {
				return casework.Invalid("rule", "%q is not a timescale rule; see the rules list for codes such as R2", lr.Rule)
			}
		}
	}
	events := make([]AuditEvent, 0, len(pending))
	before := seq
	for _, r := range pending {
		m := r.Base()
		m.RecordedBy = actor.UserID
		if m.FirstRecordedAt.IsZero() {
			// Never stored (a stored record knows when it was first recorded): made in this command, perhaps
			// changed again in it, and what is stored is its first version.
			m.Version = 1
		}
		action := ActionChange
		if m.Version == 1 {
			seq++
			m.Seq = seq
			action = ActionCreate
			if m.Reason == "" {
				m.Reason = "recorded"
			}
		}
		if m.Retracted {
			action = ActionRetract
		}
		if err := queueRecord(p, fileID, r); err != nil {
			return err
		}
		events = append(events, AuditEvent{Actor: actor.UserID, Action: action, FileID: fileID, RecordID: m.ID,
			Detail: fmt.Sprintf("%s v%d", r.Kind(), m.Version)})
	}
	if seq == before {
		// Only changes: the file's change number still moves on, so a recompute that read it before sees it
		// changed (see RecomputeDue).
		seq++
	}
	p.add("file sequence", `UPDATE files SET seq = ? WHERE id = ?`, nil, seq, fileID)
	for _, r := range pending {
		if r.Kind() == casework.KindRestriction {
			p.add("file restriction", `UPDATE files SET restricted_to = ? WHERE id = ?`, nil, restrictedTo(f), fileID)
			break
		}
	}
	queueDerived(p, rules, fileID, f, stored)
	return s.finishAudit(ctx, p, head, now, events)
}

// checkLinks makes sure records that point at other files (a relationship's other person, a household) point at
// files that exist, and that sharing names a partner agency's team.
func (s *Store) checkLinks(ctx context.Context, tx *txn, fileID string, pending []casework.Record) error {
	for _, r := range pending {
		if sh, ok := r.(*casework.Sharing); ok {
			if err := s.checkSharing(ctx, tx, sh); err != nil {
				return err
			}
		}
		field, want, other, ok := linkOf(r)
		if !ok {
			continue
		}
		if other == fileID {
			return casework.Invalid(field, "a person cannot be linked to themselves")
		}
		var kind string
		err := tx.QueryRowContext(ctx, s.q(`SELECT kind FROM files WHERE id = ?`), other).Scan(&kind)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != want) {
			return casework.Invalid(field, "no such %s: %s", want, other)
		}
		if err != nil {
			return fmt.Errorf("check %s: %w", field, err)
		}
	}
	return nil
}

// linkOf tells whether r points at another file (a relationship's other person, a household), and if so which
// field holds the link, the kind of file it must point at and the file it points at.
func linkOf(r casework.Record) (field, want, other string, ok bool) {
	switch r.Kind() {
	case casework.KindRelationship:
		field, want = "other_id", string(casework.KindPerson)
	case casework.KindHouseholdMember:
		field, want = "household_id", string(casework.KindHousehold)
	default:
		return "", "", "", false
	}
	return field, want, r.Index().RelatedID, true
}

// recordColumnsIn and versionColumns are the columns of a record's row and of its history row, in the order
// rowsOf gives them.
var (
	recordColumnsIn = []string{"id", "file_id", "kind", "seq", "version", "parent_id", "related_id", "start_date",
		"end_date", "code", "ident", "search", "retracted", "body", "recorded_at", "recorded_by", "reason", "created_at"}
	versionColumns = []string{"record_id", "version", "file_id", "kind", "seq", "retracted", "body", "recorded_at",
		"recorded_by", "reason"}
)

// rowsOf encodes one record version as its current row and its history row.
func rowsOf(fileID string, r casework.Record) (record, version []any, err error) {
	m, ix := r.Base(), r.Index()
	body, err := casework.EncodeRecord(r)
	if err != nil {
		return nil, nil, err
	}
	retracted := 0
	if m.Retracted {
		retracted = 1
	}
	at := stamp(m.RecordedAt)
	if m.Version == 1 {
		m.FirstRecordedAt = m.RecordedAt
	}
	record = []any{m.ID, fileID, string(r.Kind()), m.Seq, m.Version, nullable(ix.ParentID), nullable(ix.RelatedID),
		ix.Start, ix.End, nullable(ix.Code), nullable(ix.Ident), nullable(searchText(r)), retracted, string(body), at,
		m.RecordedBy, m.Reason, stamp(m.FirstRecordedAt)}
	version = []any{m.ID, m.Version, fileID, string(r.Kind()), m.Seq, retracted, string(body), at, m.RecordedBy, m.Reason}
	return record, version, nil
}

// queueRecord queues one record's current version and its history row. A change must find the version it was
// based on still current, or it is a conflict.
func queueRecord(p *pipeline, fileID string, r casework.Record) error {
	record, version, err := rowsOf(fileID, r)
	if err != nil {
		return err
	}
	m, code := r.Base(), r.Index().Code
	written := func(rows int64, err error) error {
		switch {
		case isUniqueViolation(err):
			return casework.Invalid("la_child_id", "%q is already used by another child", code)
		case err != nil:
			return fmt.Errorf("write %s: %w", r.Kind(), err)
		case rows != 1:
			return fmt.Errorf("%s %s was changed by someone else: %w", r.Kind(), m.ID, casework.ErrConflict)
		}
		return nil
	}
	if m.Version == 1 {
		p.add("", `INSERT INTO records (`+strings.Join(recordColumnsIn, ", ")+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, written, record...)
	} else {
		// Every column but the first three and the last, then the key and the version this change was based on.
		p.add("", `UPDATE records SET seq = ?, version = ?, parent_id = ?, related_id = ?, start_date = ?, end_date = ?,
		code = ?, ident = ?, search = ?, retracted = ?, body = ?, recorded_at = ?, recorded_by = ?, reason = ?
		WHERE id = ? AND file_id = ? AND version = ?`,
			written, append(record[3:17:17], m.ID, fileID, m.Version-1)...)
	}
	p.add(fmt.Sprintf("write %s history", r.Kind()), `INSERT INTO record_versions (`+strings.Join(versionColumns, ", ")+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, nil, version...)
	return nil
}

// isUniqueViolation recognises a unique-constraint failure from either driver.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// searchText is what a person is found by: names and former names, lower-cased.
func searchText(r casework.Record) string {
	p, ok := r.(*casework.Person)
	if !ok {
		return ""
	}
	parts := []string{p.Name.Given, p.Name.Family}
	for _, n := range p.FormerNames {
		parts = append(parts, n.Given, n.Family)
	}
	return strings.ToLower(strings.Join(strings.Fields(strings.Join(parts, " ")), " "))
}

const recordColumns = `id, kind, seq, version, retracted, body, recorded_at, recorded_by, reason, created_at`

// scanRecord decodes one row of recordColumns, after any leading columns scanned into first.
func scanRecord(rows rowScanner, first ...any) (casework.Record, error) {
	raw, err := scanRaw(rows, first...)
	if err != nil {
		return nil, err
	}
	return raw.decode()
}

// scanRaw reads one row of recordColumns, after any leading columns scanned into first, without decoding it.
func scanRaw(rows rowScanner, first ...any) (rawRecord, error) {
	var r rawRecord
	var retracted int
	m := &r.meta
	dest := append(first, &m.ID, &r.kind, &m.Seq, &m.Version, &retracted, &r.body, scanInstant{&m.RecordedAt},
		&m.RecordedBy, &m.Reason, scanInstant{&m.FirstRecordedAt})
	if err := rows.Scan(dest...); err != nil {
		return r, fmt.Errorf("read record: %w", err)
	}
	m.Retracted = retracted != 0
	return r, nil
}

// rawRecord is a record as read, before its body is decoded.
type rawRecord struct {
	meta       casework.Meta
	kind, body string
}

func (r rawRecord) decode() (casework.Record, error) {
	return casework.DecodeRecord(casework.Kind(r.kind), []byte(r.body), r.meta)
}

// queueRecords queues a query of recordColumns whose records are appended to out.
func (p *pipeline) queueRecords(what, query string, out *[]casework.Record, args ...any) {
	p.query(what, query, func(rows rowScanner) error {
		for rows.Next() {
			r, err := scanRecord(rows)
			if err != nil {
				return err
			}
			*out = append(*out, r)
		}
		return nil
	}, args...)
}

// queueLoad queues the read of a file's current records in recording order.
func (p *pipeline) queueLoad(fileID string, out *[]casework.Record) {
	p.queueRecords("load file", `SELECT `+recordColumns+` FROM records WHERE file_id = ? AND retracted = 0 ORDER BY seq`,
		out, fileID)
}

// loadCurrent reads a file's current records in recording order.
func (s *Store) loadCurrent(ctx context.Context, tx *txn, fileID string) ([]casework.Record, error) {
	var out []casework.Record
	p := s.pipeline(tx)
	p.queueLoad(fileID, &out)
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("file %s: %w", fileID, casework.ErrNotFound)
	}
	return out, nil
}

// readAudited runs the reads queued by queue in one round trip with the audit head's lock, then appends event
// for fileID, unless found reports that nothing was there to read.
func (s *Store) readAudited(ctx context.Context, tx *txn, event AuditEvent, queue func(p *pipeline), found func() bool) error {
	p := s.pipeline(tx)
	queue(p)
	var head auditHead
	p.lockAuditHead(&head)
	if err := p.flush(ctx); err != nil {
		return err
	}
	if !found() {
		return fmt.Errorf("file %s: %w", event.FileID, casework.ErrNotFound)
	}
	return s.finishAudit(ctx, p, &head, s.Now(), []AuditEvent{event})
}

// File reads a file's current records and audits the read.
func (s *Store) File(ctx context.Context, actor Actor, fileID string) (*casework.File, error) {
	var records []casework.Record
	err := s.inTx(ctx, func(tx *txn) error {
		if err := s.checkAccess(ctx, tx, actor, fileID); err != nil {
			return err
		}
		return s.readAudited(ctx, tx, AuditEvent{Actor: actor.UserID, Action: ActionRead, FileID: fileID},
			func(p *pipeline) { p.queueLoad(fileID, &records) },
			func() bool { return len(records) > 0 })
	})
	if err != nil {
		return nil, err
	}
	return casework.NewFile(s.Now(), records), nil
}

// History returns every version of every record on a file in the order they were recorded, and audits the read.
func (s *Store) History(ctx context.Context, actor Actor, fileID string) ([]casework.Record, error) {
	var out []casework.Record
	err := s.inTx(ctx, func(tx *txn) error {
		if err := s.checkAccess(ctx, tx, actor, fileID); err != nil {
			return err
		}
		return s.readAudited(ctx, tx, AuditEvent{Actor: actor.UserID, Action: ActionHistory, FileID: fileID},
			func(p *pipeline) {
				p.queueRecords("load history", `SELECT record_id, kind, seq, version, retracted, body, recorded_at,
					recorded_by, reason, MIN(recorded_at) OVER (PARTITION BY record_id) FROM record_versions
					WHERE file_id = ? ORDER BY recorded_at, seq, version`, &out, fileID)
			},
			func() bool { return len(out) > 0 })
	})
	return out, err
}

// FileAsAt returns the file as it stood at the instant at: for each record, the newest version recorded by then.
func (s *Store) FileAsAt(ctx context.Context, actor Actor, fileID string, at time.Time) (*casework.File, error) {
	versions, err := s.History(ctx, actor, fileID)
	if err != nil {
		return nil, err
	}
	latest := map[string]casework.Record{}
	for _, r := range versions {
		m := r.Base()
		if m.RecordedAt.After(at) {
			continue
		}
		if cur, ok := latest[m.ID]; !ok || cur.Base().Version < m.Version {
			latest[m.ID] = r
		}
	}
	if len(latest) == 0 {
		return nil, fmt.Errorf("file %s did not exist at %s: %w", fileID, at.Format(time.RFC3339), casework.ErrNotFound)
	}
	records := make([]casework.Record, 0, len(latest))
	for _, r := range latest {
		records = append(records, r)
	}
	sort.Slice(records, func(i, j int) bool { return records[i].Base().Seq < records[j].Base().Seq })
	return casework.NewFile(at, records), nil
}

// FamilyMember is a person linked to the child, with how.
type FamilyMember struct {
	Person *casework.Person
	// Link describes the relationship from the child's side ("mother", "sibling"), or "household" for someone
	// who shares a home with the child and has no recorded relationship.
	Link                   string
	ParentalResponsibility bool
	Current                bool
}

// Family is a child seen as part of their family: everyone linked by a relationship or a shared household.
type Family struct {
	Person     *casework.Person
	Members    []FamilyMember
	Households []*casework.Household
}

// FileWithFamily reads a file's current records and the people linked to its person, one step out, in one
// transaction, and audits the read of the file and the listing of each child in the family.
func (s *Store) FileWithFamily(ctx context.Context, actor Actor, fileID string) (*casework.File, *Family, error) {
	fam := &Family{}
	var file *casework.File
	err := s.inTx(ctx, func(tx *txn) error {
		if err := s.checkAccess(ctx, tx, actor, fileID); err != nil {
			return err
		}
		self, err := s.loadCurrent(ctx, tx, fileID)
		if err != nil {
			return err
		}
		file = casework.NewFile(s.Now(), self)
		fam.Person = file.Person()
		links := map[string]*FamilyMember{}
		add := func(id, link string, pr, current bool) {
			if id == fileID {
				return
			}
			if m, ok := links[id]; ok && m.Link != "household" {
				return
			}
			links[id] = &FamilyMember{Link: link, ParentalResponsibility: pr, Current: current}
		}
		for _, r := range casework.All[*casework.Relationship](file) {
			add(r.OtherID, r.Type, r.ParentalResponsibility, r.End.IsZero())
		}
		// Relationships recorded on the other person's file, pointing here.
		incoming, err := s.relatedRecords(ctx, tx, string(casework.KindRelationship), []string{fileID})
		if err != nil {
			return err
		}
		for _, r := range incoming {
			rel := r.rec.(*casework.Relationship)
			add(r.fileID, inverse(rel.Type), false, rel.End.IsZero())
		}
		var households []string
		for _, m := range casework.All[*casework.HouseholdMember](file) {
			households = append(households, m.HouseholdID)
		}
		members, err := s.relatedRecords(ctx, tx, string(casework.KindHouseholdMember), households)
		if err != nil {
			return err
		}
		for _, r := range members {
			add(r.fileID, "household", false, r.rec.Index().End.IsZero())
		}
		hidden, err := s.hidden(ctx, tx, actor, keys(links))
		if err != nil {
			return err
		}
		for id := range hidden {
			delete(links, id)
		}
		ids := append(households, keys(links)...)
		roots, err := s.roots(ctx, tx, ids)
		if err != nil {
			return err
		}
		events := []AuditEvent{{Actor: actor.UserID, Action: ActionRead, FileID: fileID}}
		for id, m := range links {
			p, ok := roots[id].(*casework.Person)
			if !ok {
				continue
			}
			m.Person = p
			fam.Members = append(fam.Members, *m)
			if p.Role == casework.RoleChild {
				events = append(events, AuditEvent{Actor: actor.UserID, Action: ActionList, FileID: id, Detail: "family of " + fileID})
			}
		}
		for _, h := range households {
			if hh, ok := roots[h].(*casework.Household); ok {
				fam.Households = append(fam.Households, hh)
			}
		}
		slices.SortFunc(fam.Members, func(a, b FamilyMember) int { return strings.Compare(a.Link+a.Person.ID, b.Link+b.Person.ID) })
		return s.appendAudit(ctx, tx, s.Now(), events)
	})
	if err != nil {
		return nil, nil, err
	}
	return file, fam, nil
}

// inverse turns a relationship recorded on the other person's file into the child's view of it.
func inverse(t string) string {
	switch t {
	case "mother", "father", "parent", "step_parent", "carer":
		return "child"
	case "child":
		return "parent"
	case "grandparent":
		return "grandchild"
	case "sibling", "half_sibling", "step_sibling", "other_relative", "significant_adult":
		return t
	}
	return "other_relative"
}

type fileRecord struct {
	fileID string
	rec    casework.Record
}

// relatedRecords returns current records of a kind that point at any of the given IDs.
func (s *Store) relatedRecords(ctx context.Context, tx *txn, kind string, related []string) ([]fileRecord, error) {
	if len(related) == 0 {
		return nil, nil
	}
	args := []any{kind}
	for _, id := range related {
		args = append(args, id)
	}
	rows, err := tx.QueryContext(ctx, s.q(`SELECT file_id, `+recordColumns+` FROM records
		WHERE kind = ? AND retracted = 0 AND related_id IN (`+placeholders(len(related))+`)`), args...)
	if err != nil {
		return nil, fmt.Errorf("related records: %w", err)
	}
	defer rows.Close()
	var out []fileRecord
	for rows.Next() {
		var fileID string
		r, err := scanRecord(rows, &fileID)
		if err != nil {
			return nil, fmt.Errorf("related records: %w", err)
		}
		out = append(out, fileRecord{fileID, r})
	}
	return out, rows.Err()
}

// roots returns the root record (person or household) of each file.
func (s *Store) roots(ctx context.Context, tx *txn, ids []string) (map[string]casework.Record, error) {
	out := map[string]casework.Record{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.QueryContext(ctx, s.q(`SELECT `+recordColumns+` FROM records
		WHERE id IN (`+placeholders(len(ids))+`) AND kind IN ('person', 'household')`), idArgs(ids)...)
	if err != nil {
		return nil, fmt.Errorf("load people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out[r.Base().ID] = r
	}
	return out, rows.Err()
}

// idArgs are IDs as a query's arguments.
func idArgs(ids []string) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
