package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/timescale"
	"github.com/continuum-cs/continuum/internal/workday"
)

// QueueScope says whose work a queue shows: one worker's, one team's, one service's, or the work no worker holds
// (optionally within one team). Exactly one of WorkerID, TeamID and Service is set, or Unallocated.
type QueueScope struct {
	WorkerID    string
	TeamID      string
	Service     string
	Unallocated bool
}

// Buckets of a queue.
const (
	BucketOverdue  = "overdue"
	BucketToday    = "today"
	BucketThisWeek = "this_week"
)

// QueueItem is one piece of due work with the child it is for and who holds it.
type QueueItem struct {
	timescale.Due
	FileID    string
	Child     casework.Name
	LAChildID string
	Risk      timescale.Risk
	WorkerID  string
	TeamID    string
	Bucket    string
	// DaysOverdue is the number of calendar days past the due date: 0 unless overdue, and 0 for work overdue since
	// an instant earlier today.
	DaysOverdue int
}

// QueuePage is the most urgent part of a queue, with how much work is in each bucket.
type QueuePage struct {
	Items                    []QueueItem
	Overdue, Today, ThisWeek int
}

// Queue returns the open work in scope that is overdue at now or due by the end of this week (Sunday), most
// urgent first: by risk (child protection, looked after, child in need, early help, other), then by how late it
// is, at most limit items, with the size of each bucket. Work due at an instant (a front-door window) is overdue
// from that instant; the rest from the day after its due date. Each child shown is audited as listed.
func (s *Store) Queue(ctx context.Context, actor Actor, scope QueueScope, now time.Time, limit int) (QueuePage, error) {
	var page QueuePage
	where, arg := "", any(nil)
	switch {
	case scope.WorkerID != "":
		where, arg = `d.worker_id = ?`, scope.WorkerID
	case scope.Unallocated && scope.TeamID != "":
		where, arg = `d.worker_id IS NULL AND d.team_id = ?`, scope.TeamID
	case scope.Unallocated:
		where = `d.worker_id IS NULL`
	case scope.TeamID != "":
		where, arg = `d.team_id = ?`, scope.TeamID
	case scope.Service != "":
		where, arg = `d.team_id IN (SELECT id FROM teams WHERE service = ?)`, scope.Service
	default:
		return page, casework.Invalid("scope", "choose a worker, a team, a service or unallocated work")
	}
	if limit < 1 || limit > 1000 {
		return page, casework.Invalid("limit", "must be from 1 to 1000, not %d", limit)
	}
	today := casework.Today(now)
	endOfWeek := today.AddDays((7 - int(today.Weekday())) % 7)
	scoped := func(first ...any) []any {
		if arg != nil {
			first = append(first, arg)
		}
		return append(first, namedPattern(actor))
	}
	where += ` AND ` + visibleClause("d.file_id")
	from := ` FROM due_items d WHERE d.status = 'open' AND d.due_date <= ? AND ` + where
	err := s.inTx(ctx, func(tx *txn) error {
		p := s.pipeline(tx)
		p.query("queue counts", `SELECT COALESCE(SUM(CASE WHEN d.due_date < ?
				OR (d.due_date = ? AND d.due_at IS NOT NULL AND d.due_at < ?) THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN d.due_date = ? AND (d.due_at IS NULL OR d.due_at >= ?) THEN 1 ELSE 0 END), 0),
			COUNT(*)`+from,
			func(rows rowScanner) error {
				for rows.Next() {
					var all int
					if err := rows.Scan(&page.Overdue, &page.Today, &all); err != nil {
						return err
					}
					page.ThisWeek = all - page.Overdue - page.Today
				}
				return nil
			}, scoped(today, today, instant(now), today, instant(now), endOfWeek)...)
		p.query("queue", `SELECT d.file_id, d.risk, d.worker_id, d.team_id, c.body, c.code, d.rule, d.subject_id,
			d.rule_version, d.episode_id, d.trigger_date, d.due_date, d.due_at, d.status, d.completed_id,
			d.completed_date, d.late_reason FROM due_items d JOIN records c ON c.id = d.file_id
			WHERE d.status = 'open' AND d.due_date <= ? AND `+where+`
			ORDER BY d.risk, d.due_date, d.due_at IS NULL, d.due_at, d.rule, d.file_id LIMIT `+fmt.Sprint(limit), func(rows rowScanner) error {
			for rows.Next() {
				var q QueueItem
				var risk int
				var worker, team, code sql.NullString
				var body string
				d, err := scanDue(rows, &q.FileID, &risk, &worker, &team, &body, &code)
				if err != nil {
					return err
				}
				person, err := casework.DecodeRecord(casework.KindPerson, []byte(body), casework.Meta{ID: q.FileID})
				if err != nil {
					return err
				}
				q.Due, q.Risk, q.WorkerID, q.TeamID, q.LAChildID = d, timescale.Risk(risk), worker.String, team.String, code.String
				q.Child = person.(*casework.Person).Name
				switch {
				case d.OverdueAt(now):
					q.Bucket, q.DaysOverdue = BucketOverdue, today.DaysSince(d.DueDate)
				case d.DueDate == today:
					q.Bucket = BucketToday
				default:
					q.Bucket = BucketThisWeek
				}
				page.Items = append(page.Items, q)
			}
			return nil
		}, scoped(endOfWeek)...)
		if err := p.flush(ctx); err != nil {
			return err
		}
		listed := map[string]bool{}
		var events []AuditEvent
		for _, q := range page.Items {
			if !listed[q.FileID] {
				listed[q.FileID] = true
				events = append(events, AuditEvent{Actor: actor.UserID, Action: ActionList, FileID: q.FileID, Detail: "work queue"})
			}
		}
		return s.appendAudit(ctx, tx, s.Now(), events)
	})
	return page, err
}

// Caseload is one worker's allocated cases.
type Caseload struct {
	WorkerID string
	Name     string
	TeamID   string
	FTE      float64
	Agency   bool
	ByRisk   map[timescale.Risk]int
	Cases    int
	// Weighted counts cases by the weight of their type; PerFTE divides it by the worker's full-time equivalent.
	Weighted float64
	PerFTE   float64
}

// CaseWeights are how much each type of case counts towards a caseload: a child protection case asks more of a
// worker than a child in need case.
var CaseWeights = map[timescale.Risk]float64{
	timescale.RiskProtection:  1.5,
	timescale.RiskLookedAfter: 1.25,
	timescale.RiskInNeed:      1,
	timescale.RiskEarlyHelp:   0.75,
	timescale.RiskOther:       0.5,
}

// Caseloads returns each worker's allocated cases (one team's, or everyone's when teamID is empty), heaviest
// first by weighted cases per full-time equivalent.
func (s *Store) Caseloads(ctx context.Context, teamID string) ([]Caseload, error) {
	query := `SELECT u.id, u.name, u.team_id, u.fte, u.agency, f.risk, COUNT(f.id) FROM users u
		LEFT JOIN files f ON f.worker_id = u.id WHERE u.role IN ('social_worker', 'early_help', 'team_manager')
		AND u.disabled = 0`
	var args []any
	if teamID != "" {
		query += ` AND u.team_id = ?`
		args = append(args, teamID)
	}
	query += ` GROUP BY u.id, u.name, u.team_id, u.fte, u.agency, f.risk`
	byWorker := map[string]*Caseload{}
	err := s.inReadTx(ctx, func(tx *txn) error {
		p := s.pipeline(tx)
		p.query("caseloads", query, func(rows rowScanner) error {
			for rows.Next() {
				var c Caseload
				var team sql.NullString
				var risk sql.NullInt64
				var agency, n int
				if err := rows.Scan(&c.WorkerID, &c.Name, &team, &c.FTE, &agency, &risk, &n); err != nil {
					return fmt.Errorf("caseloads: %w", err)
				}
				cl, ok := byWorker[c.WorkerID]
				if !ok {
					c.TeamID, c.Agency, c.ByRisk = team.String, agency != 0, map[timescale.Risk]int{}
					cl = &c
					byWorker[c.WorkerID] = cl
				}
				if risk.Valid && n > 0 {
					r := timescale.Risk(risk.Int64)
					cl.ByRisk[r] += n
					cl.Cases += n
					cl.Weighted += float64(n) * CaseWeights[r]
				}
			}
			return nil
		}, args...)
		return p.flush(ctx)
	})
	if err != nil {
		return nil, err
	}
	out := make([]Caseload, 0, len(byWorker))
	for _, c := range byWorker {
		if c.FTE > 0 {
			c.PerFTE = c.Weighted / c.FTE
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].PerFTE != out[j].PerFTE {
			return out[i].PerFTE > out[j].PerFTE
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// SetLocalRule changes one of the council's local timescales, as a new version of the rule, and derives every
// file's due items again under it.
func (s *Store) SetLocalRule(ctx context.Context, actor Actor, code string, amount int, unit timescale.Unit) (timescale.Rule, error) {
	var rule timescale.Rule
	err := s.inTx(ctx, func(tx *txn) error {
		current, in, err := s.rulesIn(ctx, tx)
		if err != nil {
			return err
		}
		was, ok := current.Rule(code)
		if !ok {
			return casework.Invalid("code", "%q is not a rule", code)
		}
		o := timescale.Override{Code: code, Version: was.Version + 1, Amount: amount, Unit: unit}
		overrides := append(in.overrides, o)
		changed, err := timescale.New(workday.EnglandAndWales(), overrides...)
		if err != nil {
			return err
		}
		rule, _ = changed.Rule(code)
		p := s.pipeline(tx)
		p.add("local rule", `INSERT INTO local_rules (code, version, amount, unit, changed_by, changed_at)
			VALUES (?, ?, ?, ?, ?, ?)`, nil, code, o.Version, amount, string(unit), actor.UserID, instant(s.Now()))
		return s.finishAudit(ctx, p, &auditHead{}, s.Now(), []AuditEvent{{Actor: actor.UserID, Action: ActionAdmin,
			RecordID: code, Detail: fmt.Sprintf("local rule %s v%d: %s", code, o.Version, rule.Describe())}})
	})
	return rule, s.thenRecompute(ctx, err)
}

// Rules returns the timescale rules in force.
func (s *Store) Rules(ctx context.Context) (*timescale.Rules, error) {
	var rules *timescale.Rules
	err := s.inReadTx(ctx, func(tx *txn) error {
		var err error
		rules, _, err = s.rulesIn(ctx, tx)
		return err
	})
	return rules, err
}

// CasesHeld counts, for each worker, the cases allocated to them and open at the end of each day: episodes of
// need (early help's cases are not counted), each allocation counted once. One reading serves every day, so a
// trend of caseloads costs one query.
func (s *Store) CasesHeld(ctx context.Context, days ...civil.Date) ([]map[string]int, error) {
	out := make([]map[string]int, len(days))
	if len(days) == 0 {
		return out, nil
	}
	first, last := days[0], days[0]
	for i, day := range days {
		out[i] = map[string]int{}
		if day.Before(first) {
			first = day
		}
		if day.After(last) {
			last = day
		}
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT a.related_id, a.start_date, a.end_date FROM records a
		JOIN records e ON e.id = a.parent_id AND e.kind = 'episode' AND e.retracted = 0
		WHERE a.kind = 'allocation' AND a.retracted = 0 AND a.related_id IS NOT NULL
		AND a.start_date <= ? AND (a.end_date IS NULL OR a.end_date > ?)`), last, first)
	if err != nil {
		return nil, fmt.Errorf("cases held: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var worker string
		var start civil.Date
		var end *civil.Date
		if err := rows.Scan(&worker, &start, &end); err != nil {
			return nil, fmt.Errorf("cases held: %w", err)
		}
		for i, day := range days {
			if !start.After(day) && (end == nil || end.After(day)) {
				out[i][worker]++
			}
		}
	}
	return out, rows.Err()
}

// Span is the days from From to To, both included.
type Span struct{ From, To civil.Date }

// DueCounts counts due items by the team now holding the case ("" for none), rule and status.
type DueCounts map[string]map[string]map[timescale.Status]int

// DueByStatus counts, for each span, the due items of each rule that fell due in it, by the team now holding the
// case and status. An item still open counts as open: one due by the span's end and not done is overdue. One
// reading serves every span.
func (s *Store) DueByStatus(ctx context.Context, spans ...Span) ([]DueCounts, error) {
	out := make([]DueCounts, len(spans))
	if len(spans) == 0 {
		return out, nil
	}
	first, last := spans[0].From, spans[0].To
	for i, sp := range spans {
		out[i] = DueCounts{}
		if sp.From.Before(first) {
			first = sp.From
		}
		if sp.To.After(last) {
			last = sp.To
		}
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT COALESCE(team_id, ''), rule, status, due_date, COUNT(*) FROM due_items
		WHERE due_date >= ? AND due_date <= ? GROUP BY team_id, rule, status, due_date`), first, last)
	if err != nil {
		return nil, fmt.Errorf("due items by status: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var team, rule, status string
		var due civil.Date
		var n int
		if err := rows.Scan(&team, &rule, &status, &due, &n); err != nil {
			return nil, fmt.Errorf("due items by status: %w", err)
		}
		for i, sp := range spans {
			if due.Before(sp.From) || due.After(sp.To) {
				continue
			}
			c := out[i]
			if c[team] == nil {
				c[team] = map[string]map[timescale.Status]int{}
			}
			if c[team][rule] == nil {
				c[team][rule] = map[timescale.Status]int{}
			}
			c[team][rule][timescale.Status(status)] += n
		}
	}
	return out, rows.Err()
}
