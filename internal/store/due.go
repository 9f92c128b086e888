package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/timescale"
	"github.com/continuum-cs/continuum/internal/workday"
	"golang.org/x/sync/errgroup"
)

// ruleSet is the rules in force and what they were built from: the council's closure days and local rule
// changes, read in every write so that every server process computes with the same rules.
type ruleSet struct {
	key   string
	rules *timescale.Rules
}

// ruleInputs collects the closure days and local rule changes queued on a pipeline.
type ruleInputs struct {
	closures  []workday.Closure
	overrides []timescale.Override
	// policy is the council's step-up and step-down policy, and policyVersion its version (0: the default).
	policy        casework.StepPolicy
	policyVersion int
}

// queueRuleInputs queues the reads the rules in force are built from, and the council's step policy.
func (p *pipeline) queueRuleInputs(in *ruleInputs) {
	in.policy = casework.DefaultStepPolicy
	p.query("step policy", `SELECT version, value FROM council_settings WHERE key = 'step_policy'
		ORDER BY version DESC LIMIT 1`, func(rows rowScanner) error {
		for rows.Next() {
			var value string
			if err := rows.Scan(&in.policyVersion, &value); err != nil {
				return fmt.Errorf("step policy: %w", err)
			}
			if err := json.Unmarshal([]byte(value), &in.policy); err != nil {
				return fmt.Errorf("step policy version %d: %w", in.policyVersion, err)
			}
		}
		return nil
	})
	p.query("closure days", `SELECT day, name FROM closure_days WHERE withdrawn_at IS NULL ORDER BY day`,
		func(rows rowScanner) error {
			for rows.Next() {
				var c workday.Closure
				if err := rows.Scan(&c.Date, &c.Name); err != nil {
					return fmt.Errorf("closure days: %w", err)
				}
				in.closures = append(in.closures, c)
			}
			return nil
		})
	p.query("local rules", `SELECT code, version, amount, unit FROM local_rules l
		WHERE version = (SELECT MAX(version) FROM local_rules m WHERE m.code = l.code) ORDER BY code`,
		func(rows rowScanner) error {
			for rows.Next() {
				var o timescale.Override
				var unit string
				if err := rows.Scan(&o.Code, &o.Version, &o.Amount, &unit); err != nil {
					return fmt.Errorf("local rules: %w", err)
				}
				o.Unit = timescale.Unit(unit)
				in.overrides = append(in.overrides, o)
			}
			return nil
		})
}

// rulesIn reads the rules in force within tx, in a round trip of their own.
func (s *Store) rulesIn(ctx context.Context, tx *txn) (*timescale.Rules, *ruleInputs, error) {
	var in ruleInputs
	p := s.pipeline(tx)
	p.queueRuleInputs(&in)
	if err := p.flush(ctx); err != nil {
		return nil, nil, err
	}
	rules, err := s.rulesFor(&in)
	return rules, &in, err
}

// rulesFor returns the rules built from in, reusing the last ones built when nothing has changed.
func (s *Store) rulesFor(in *ruleInputs) (*timescale.Rules, error) {
	var key strings.Builder
	for _, c := range in.closures {
		key.WriteString(c.Date.String() + ";")
	}
	for _, o := range in.overrides {
		fmt.Fprintf(&key, "%s/%d/%d/%s;", o.Code, o.Version, o.Amount, o.Unit)
	}
	if cached := s.ruleCache.Load(); cached != nil && cached.key == key.String() {
		return cached.rules, nil
	}
	cal, err := workday.EnglandAndWales().WithClosures(in.closures...)
	if err != nil {
		return nil, fmt.Errorf("closure days: %w", err)
	}
	rules, err := timescale.New(cal, in.overrides...)
	if err != nil {
		return nil, fmt.Errorf("local rules: %w", err)
	}
	s.ruleCache.Store(&ruleSet{key: key.String(), rules: rules})
	return rules, nil
}

// dueKey identifies a due item within its file.
type dueKey struct{ rule, subject string }

// derived is what is stored about a file that comes from its records: its due items, each by its signature (see
// signature), its risk and its owner.
type derived struct {
	items        map[dueKey]string
	risk         int
	worker, team string
}

// newDerived is what a new file starts with.
func newDerived() *derived {
	return &derived{items: map[dueKey]string{}, risk: int(timescale.RiskOther)}
}

// setOwner keeps a file's stored risk, worker and team.
func (d *derived) setOwner(risk int, worker, team sql.NullString) {
	d.risk, d.worker, d.team = risk, worker.String, team.String
}

// queueSignatures queues the read of the stored due items' signatures of the files listed by where, with args,
// into out by file.
func (p *pipeline) queueSignatures(where string, out map[string]*derived, args ...any) {
	p.query("due items", `SELECT file_id, rule, subject_id, sig FROM due_items WHERE `+where, func(rows rowScanner) error {
		for rows.Next() {
			var fileID string
			var k dueKey
			var sig sql.NullString
			if err := rows.Scan(&fileID, &k.rule, &k.subject, &sig); err != nil {
				return fmt.Errorf("due items: %w", err)
			}
			out[fileID].items[k] = sig.String
		}
		return nil
	}, args...)
}

// signature is a digest of everything stored about a due item, owner included: two items with the same
// signature are stored alike.
func signature(d timescale.Due, owner *derived) string {
	h := fnv.New64a()
	for _, part := range []string{d.Rule, d.SubjectID, strconv.Itoa(d.RuleVersion), d.EpisodeID, d.Trigger.String(),
		d.DueDate.String(), instant(d.DueAt), string(d.Status), d.CompletedID, d.Completed.String(), d.LateReason,
		strconv.Itoa(owner.risk), owner.worker, owner.team} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

// scanDue reads a due item's rule, subject_id, rule_version, episode_id, trigger_date, due_date, due_at, status,
// completed_id, completed_date and late_reason, after any leading columns scanned into first.
func scanDue(rows rowScanner, first ...any) (timescale.Due, error) {
	var d timescale.Due
	var episode, completed, reason sql.NullString
	var status string
	dest := append(first, &d.Rule, &d.SubjectID, &d.RuleVersion, &episode, &d.Trigger, &d.DueDate,
		optionalInstant{&d.DueAt}, &status, &completed, &d.Completed, &reason)
	if err := rows.Scan(dest...); err != nil {
		return d, fmt.Errorf("due items: %w", err)
	}
	d.EpisodeID, d.CompletedID, d.LateReason, d.Status = episode.String, completed.String, reason.String, timescale.Status(status)
	return d, nil
}

// workOf is what a file's records mean for its due items and its owner: one item per rule and subject (the
// earliest due stands), the file's risk, and the worker and team it is allocated to.
func workOf(rules *timescale.Rules, f *casework.File) ([]timescale.Due, *derived) {
	worker, team := f.Holder()
	d := &derived{items: map[dueKey]string{}, risk: int(timescale.RiskOf(f)), worker: worker, team: team}
	var items []timescale.Due
	for _, item := range rules.ComputeWork(f) {
		k := dueKey{item.Rule, item.SubjectID}
		if _, seen := d.items[k]; seen {
			continue
		}
		d.items[k] = signature(item, d)
		items = append(items, item)
	}
	return items, d
}

// dueItemColumns are the columns of a due item row, in the order dueItemRow gives them.
var dueItemColumns = []string{"file_id", "rule", "subject_id", "rule_version", "episode_id", "trigger_date", "due_date",
	"due_at", "status", "completed_id", "completed_date", "late_reason", "risk", "worker_id", "team_id", "sig"}

// dueItemRow is a due item's row; owner is its file's derived work, which holds the item's signature.
func dueItemRow(fileID string, d timescale.Due, owner *derived) []any {
	return []any{fileID, d.Rule, d.SubjectID, d.RuleVersion, nullable(d.EpisodeID), d.Trigger, d.DueDate,
		nullableInstant(d.DueAt), string(d.Status), nullable(d.CompletedID), d.Completed, nullable(d.LateReason),
		owner.risk, nullable(owner.worker), nullable(owner.team), owner.items[dueKey{d.Rule, d.SubjectID}]}
}

// queueDerived queues what a file's change means for its due items and its owner: the items that changed are
// written, those no longer owed removed, and the file's risk and allocation updated if they changed.
func queueDerived(p *pipeline, rules *timescale.Rules, fileID string, f *casework.File, old *derived) {
	if f.Person() == nil {
		return // a household's file owes nothing itself
	}
	items, now := workOf(rules, f)
	p.upsertDue(queueChanges(p, fileID, items, now, old))
}

// queueChanges queues the writes that take a file's stored owner and due items, old, to its owner and items now,
// except for the items new or changed: it returns their rows, for upsertDue.
func queueChanges(p *pipeline, fileID string, items []timescale.Due, now, old *derived) [][]any {
	var changed [][]any
	for _, d := range items {
		k := dueKey{d.Rule, d.SubjectID}
		if prev, ok := old.items[k]; !ok || prev != now.items[k] {
			changed = append(changed, dueItemRow(fileID, d, now))
		}
	}
	for k := range old.items {
		if _, ok := now.items[k]; !ok {
			p.add("due item", `DELETE FROM due_items WHERE file_id = ? AND rule = ? AND subject_id = ?`, nil,
				fileID, k.rule, k.subject)
		}
	}
	if now.risk != old.risk || now.worker != old.worker || now.team != old.team {
		p.add("file owner", `UPDATE files SET risk = ?, worker_id = ?, team_id = ? WHERE id = ?`, nil,
			now.risk, nullable(now.worker), nullable(now.team), fileID)
	}
	return changed
}

// upsertDue queues the writes of due item rows, new or changed, many to a statement. Statements take 256, 128, …
// or 1 rows, so a few statement texts serve every count and each stays prepared.
func (p *pipeline) upsertDue(rows [][]any) {
	row := "(" + placeholders(len(dueItemColumns)) + ")"
	for size := 256; len(rows) > 0; size /= 2 {
		for len(rows) >= size {
			args := make([]any, 0, size*len(dueItemColumns))
			for _, r := range rows[:size] {
				args = append(args, r...)
			}
			rows = rows[size:]
			p.add("due items", `INSERT INTO due_items (`+strings.Join(dueItemColumns, ", ")+`) VALUES `+
				strings.TrimSuffix(strings.Repeat(row+", ", size), ", ")+`
				ON CONFLICT (file_id, rule, subject_id) DO UPDATE SET rule_version = excluded.rule_version,
				episode_id = excluded.episode_id, trigger_date = excluded.trigger_date, due_date = excluded.due_date,
				due_at = excluded.due_at, status = excluded.status, completed_id = excluded.completed_id,
				completed_date = excluded.completed_date, late_reason = excluded.late_reason, risk = excluded.risk,
				worker_id = excluded.worker_id, team_id = excluded.team_id, sig = excluded.sig`, nil, args...)
		}
	}
}

// RecomputeDue derives every file's due items again, after the rules or the calendar change, a batch of files
// at a time. Two batches at a time are read and derived, each in a read-only transaction (which on SQLite takes
// no write lock), while the batch before is written in its own transaction: reading, deriving and writing
// overlap on both databases. Within a batch the files' records are decoded and their work derived on every core
// while the rest are still being read. A file changed between its batch's read and write (its change number
// moved on) is read and derived again under the write lock, as is every file of the batch if the rules changed
// meanwhile. It returns the number of files.
func (s *Store) RecomputeDue(ctx context.Context) (int, error) {
	const batch, readers = 1000, 2
	g, gctx := errgroup.WithContext(ctx)
	pages := make(chan []string)
	g.Go(func() error {
		defer close(pages)
		return s.personPages(gctx, batch, func(ids []string) error {
			select {
			case pages <- ids:
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		})
	})
	ready := make(chan *derivedBatch, 1)
	var reading atomic.Int32
	reading.Store(readers)
	for range readers {
		g.Go(func() error {
			defer func() {
				if reading.Add(-1) == 0 {
					close(ready)
				}
			}()
			for ids := range pages {
				var b *derivedBatch
				err := s.inReadTx(gctx, func(tx *txn) error {
					var err error
					b, err = s.deriveBatch(gctx, tx, ids)
					return err
				})
				if err != nil {
					return err
				}
				select {
				case ready <- b:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	done := 0
	g.Go(func() error {
		for b := range ready {
			if err := s.inTx(gctx, func(tx *txn) error { return s.writeBatch(gctx, tx, b) }); err != nil {
				return err
			}
			done += len(b.ids)
		}
		return nil
	})
	err := g.Wait()
	return done, err
}

// derivedBatch is a batch of files as stored and as their records now derive them.
type derivedBatch struct {
	ids   []string
	rules *timescale.Rules
	// seq is each file's change number when it was read.
	seq map[string]int64
	// old is each file's stored owner and due items; work what its records derive.
	old  map[string]*derived
	work map[string]fileWork
}

// deriveBatch reads the files ids within tx and derives their work.
func (s *Store) deriveBatch(ctx context.Context, tx *txn, ids []string) (*derivedBatch, error) {
	p := s.pipeline(tx)
	var in ruleInputs
	p.queueRuleInputs(&in)
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	rules, err := s.rulesFor(&in)
	if err != nil {
		return nil, err
	}
	b := &derivedBatch{ids: ids, rules: rules, seq: make(map[string]int64, len(ids)), old: make(map[string]*derived, len(ids))}
	args := idArgs(ids)
	for _, id := range ids {
		b.old[id] = newDerived()
	}
	in2 := placeholders(len(ids))
	p.query("files", `SELECT id, seq, risk, worker_id, team_id FROM files WHERE id IN (`+in2+`)`,
		func(rows rowScanner) error {
			for rows.Next() {
				var id string
				var seq int64
				var risk int
				var worker, team sql.NullString
				if err := rows.Scan(&id, &seq, &risk, &worker, &team); err != nil {
					return err
				}
				b.seq[id] = seq
				b.old[id].setOwner(risk, worker, team)
			}
			return nil
		}, args...)
	work := deriveAll(rules, s.Now())
	p.query("load files", `SELECT file_id, id, kind, body, recorded_at, created_at FROM records
		WHERE retracted = 0 AND file_id IN (`+in2+`) ORDER BY file_id, seq`, work.read, args...)
	// Read while the last files are derived.
	p.queueSignatures(`file_id IN (`+in2+`)`, b.old, args...)
	err = p.flush(ctx)
	if werr := work.wait(); err == nil {
		err = werr
	}
	b.work = work.done
	return b, err
}

// writeBatch writes the changes a derived batch makes, within tx. It locks the batch's files as a single write
// does, so a change made after this is either seen here or waits for it; files that changed since the batch was
// read are derived again first.
func (s *Store) writeBatch(ctx context.Context, tx *txn, b *derivedBatch) error {
	p := s.pipeline(tx)
	var in ruleInputs
	p.queueRuleInputs(&in)
	seq := make(map[string]int64, len(b.ids))
	// Locking moves each file's change number on, as any write to a file does, so that a recompute running
	// alongside, which read these files before this one writes them, reads them again.
	p.query("lock files", `UPDATE files SET seq = seq + 1 WHERE id IN (`+placeholders(len(b.ids))+`) RETURNING id, seq - 1`,
		func(rows rowScanner) error {
			for rows.Next() {
				var id string
				var n int64
				if err := rows.Scan(&id, &n); err != nil {
					return fmt.Errorf("lock files: %w", err)
				}
				seq[id] = n
			}
			return nil
		}, idArgs(b.ids)...)
	if err := p.flush(ctx); err != nil {
		return err
	}
	rules, err := s.rulesFor(&in)
	if err != nil {
		return err
	}
	var stale []string
	for _, id := range b.ids {
		if rules != b.rules || seq[id] != b.seq[id] {
			stale = append(stale, id)
		}
	}
	if len(stale) > 0 {
		again, err := s.deriveBatch(ctx, tx, stale)
		if err != nil {
			return err
		}
		for _, id := range stale {
			b.old[id] = again.old[id]
			if w, ok := again.work[id]; ok {
				b.work[id] = w
			} else {
				delete(b.work, id)
			}
		}
	}
	var changed [][]any
	for _, id := range b.ids {
		if w, ok := b.work[id]; ok {
			changed = append(changed, queueChanges(p, id, w.items, w.now, b.old[id])...)
		}
		if err := p.flushIfFull(ctx); err != nil {
			return err
		}
	}
	p.upsertDue(changed)
	return p.flush(ctx)
}

// deriving decodes files read in order of file and derives their work, on as many goroutines as there are cores,
// while the reading goes on.
type deriving struct {
	rules *timescale.Rules
	now   time.Time
	files chan fileRows
	close sync.Once
	wg    sync.WaitGroup
	mu    sync.Mutex
	err   error
	// done holds each person's file's work, by file.
	done map[string]fileWork
}

type fileRows struct {
	id   string
	rows []rawRecord
}

type fileWork struct {
	items []timescale.Due
	now   *derived
}

func deriveAll(rules *timescale.Rules, now time.Time) *deriving {
	d := &deriving{rules: rules, now: now, files: make(chan fileRows, 64), done: map[string]fileWork{}}
	for range runtime.GOMAXPROCS(0) {
		d.wg.Go(d.work)
	}
	return d
}

// read hands each file's rows to the workers as soon as the next file's begin.
func (d *deriving) read(rows rowScanner) error {
	defer d.finish()
	var file fileRows
	for rows.Next() {
		// Only what the rules read: the record, and when it was recorded.
		var fileID string
		var raw rawRecord
		m := &raw.meta
		if err := rows.Scan(&fileID, &m.ID, &raw.kind, &raw.body, scanInstant{&m.RecordedAt},
			scanInstant{&m.FirstRecordedAt}); err != nil {
			return fmt.Errorf("read record: %w", err)
		}
		if fileID != file.id && len(file.rows) > 0 {
			d.files <- file
			file.rows = nil
		}
		file.id, file.rows = fileID, append(file.rows, raw)
	}
	if len(file.rows) > 0 {
		d.files <- file
	}
	return nil
}

// finish tells the workers that every file has been read, or that no more will be.
func (d *deriving) finish() { d.close.Do(func() { close(d.files) }) }

func (d *deriving) work() {
	for file := range d.files {
		records := make([]casework.Record, 0, len(file.rows))
		var err error
		for _, raw := range file.rows {
			var r casework.Record
			if r, err = raw.decode(); err != nil {
				break
			}
			records = append(records, r)
		}
		var w fileWork
		f := casework.NewFile(d.now, records)
		if err == nil && f.Person() != nil {
			w.items, w.now = workOf(d.rules, f)
		}
		d.mu.Lock()
		if err != nil && d.err == nil {
			d.err = err
		}
		if w.now != nil {
			d.done[file.id] = w
		}
		d.mu.Unlock()
	}
}

// wait waits for the workers and returns the first error any met.
func (d *deriving) wait() error {
	d.finish()
	d.wg.Wait()
	return d.err
}
