package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// Team is a team of workers: a locality's child in need and protection team, an early help hub.
type Team struct {
	ID       string
	Name     string
	Service  string
	District string
	Locality string
}

// User is someone who signs in.
type User struct {
	ID     string
	Email  string
	Name   string
	Role   string
	TeamID string
	FTE    float64
	Agency bool
	// Registration is a social worker's Social Work England number, such as SW123456.
	Registration string
	PasswordHash string
	Disabled     bool
	// Started and Left are when they joined the council's workforce and, once gone, left it (zero when not
	// known: counted as always there).
	Started, Left civil.Date
}

// AddTeam creates a team, or returns the existing one with that name.
func (s *Store) AddTeam(ctx context.Context, actor Actor, t Team) (Team, error) {
	if strings.TrimSpace(t.Name) == "" {
		return t, casework.Invalid("name", "is required")
	}
	if !slices.Contains(casework.TeamServices, t.Service) {
		return t, casework.Invalid("service", "%q is not one of %v", t.Service, casework.TeamServices)
	}
	err := s.inTx(ctx, func(tx *txn) error {
		var id string
		err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM teams WHERE name = ?`), t.Name).Scan(&id)
		if err == nil {
			t.ID = id
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("find team: %w", err)
		}
		now := s.Now()
		t.ID = casework.NewID(now)
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO teams (id, name, service, district, locality, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`), t.ID, t.Name, t.Service, t.District, t.Locality, instant(now)); err != nil {
			return fmt.Errorf("add team: %w", err)
		}
		return s.appendAudit(ctx, tx, now, []AuditEvent{{Actor: actor.UserID, Action: ActionAdmin, RecordID: t.ID, Detail: "team added"}})
	})
	return t, err
}

// TeamByName finds a team.
func (s *Store) TeamByName(ctx context.Context, name string) (Team, error) {
	var t Team
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id, name, service, district, locality FROM teams WHERE name = ?`), name).
		Scan(&t.ID, &t.Name, &t.Service, &t.District, &t.Locality)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("team %q: %w", name, casework.ErrNotFound)
	}
	return t, err
}

// AddUser creates a user. The password hash is made by the caller (package password) so the store never sees a
// password.
func (s *Store) AddUser(ctx context.Context, actor Actor, u User) (User, error) {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if _, err := mail.ParseAddress(u.Email); err != nil || !strings.Contains(u.Email, "@") {
		return u, casework.Invalid("email", "%q is not an email address", u.Email)
	}
	if !slices.Contains(casework.Roles, u.Role) {
		return u, casework.Invalid("role", "%q is not one of %v", u.Role, casework.Roles)
	}
	if u.Name == "" {
		u.Name = strings.SplitN(u.Email, "@", 2)[0]
	}
	if u.FTE == 0 {
		u.FTE = 1
	}
	if u.FTE < 0 || u.FTE > 1 {
		return u, casework.Invalid("fte", "must be between 0 and 1")
	}
	u.Registration = strings.ToUpper(strings.TrimSpace(u.Registration))
	if u.Registration != "" && !registrationRE.MatchString(u.Registration) {
		return u, casework.Invalid("registration", "%q is not a Social Work England number such as SW123456", u.Registration)
	}
	err := s.inTx(ctx, func(tx *txn) error {
		now := s.Now()
		u.ID = casework.NewID(now)
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO users (id, email, name, role, team_id, fte, agency, registration,
			password_hash, disabled, created_at, started_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`),
			u.ID, u.Email, u.Name, u.Role, nullable(u.TeamID), u.FTE, boolInt(u.Agency), nullable(u.Registration),
			u.PasswordHash, instant(now), u.Started)
		if isUniqueViolation(err) {
			return casework.Invalid("email", "%s already has an account", u.Email)
		}
		if err != nil {
			if strings.Contains(err.Error(), "FOREIGN KEY") || strings.Contains(err.Error(), "23503") {
				return casework.Invalid("team", "no such team")
			}
			return fmt.Errorf("add user: %w", err)
		}
		return s.appendAudit(ctx, tx, now, []AuditEvent{{Actor: actor.UserID, Action: ActionAdmin, RecordID: u.ID,
			Detail: "user added with role " + u.Role}})
	})
	return u, err
}

// Leave records that a member of staff left the council's workforce on day: they can no longer sign in, and the
// workforce indicators count them only for periods that ended before it. Their cases stay with them until
// reallocated, so a manager sees them as still to move.
func (s *Store) Leave(ctx context.Context, actor Actor, userID string, day civil.Date) error {
	if day.IsZero() {
		return casework.Invalid("left", "give the day they left")
	}
	return s.inTx(ctx, func(tx *txn) error {
		var started civil.Date
		err := tx.QueryRowContext(ctx, s.q(`SELECT started_on FROM users WHERE id = ?`), userID).Scan(&started)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("user %s: %w", userID, casework.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("user: %w", err)
		}
		if !started.IsZero() && day.Before(started) {
			return casework.Invalid("left", "%s is before they started, on %s", day, started)
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE users SET left_on = ?, disabled = 1 WHERE id = ?`), day, userID); err != nil {
			return fmt.Errorf("leave: %w", err)
		}
		return s.appendAudit(ctx, tx, s.Now(), []AuditEvent{{Actor: actor.UserID, Action: ActionAdmin, RecordID: userID,
			Detail: "user left on " + day.String()}})
	})
}

// registrationRE is the shape of a Social Work England registration number.
var registrationRE = regexp.MustCompile(`^SW[0-9]{1,8}$`)

// Registrations maps each user with a Social Work England number to it.
func (s *Store) Registrations(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, registration FROM users WHERE registration IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("registrations: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, reg string
		if err := rows.Scan(&id, &reg); err != nil {
			return nil, fmt.Errorf("registrations: %w", err)
		}
		out[id] = reg
	}
	return out, rows.Err()
}

// UserByEmail finds a user for sign-in.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	return s.user(ctx, `email = ?`, strings.ToLower(strings.TrimSpace(email)))
}

// UserByID finds a user.
func (s *Store) UserByID(ctx context.Context, id string) (User, error) {
	return s.user(ctx, `id = ?`, id)
}

// userColumns are the columns scanUser reads, prefixed u.
const userColumns = `u.id, u.email, u.name, u.role, u.team_id, u.fte, u.agency, u.registration, u.password_hash,
	u.disabled, u.started_on, u.left_on`

// scanUser reads userColumns, after any leading columns scanned into first.
func scanUser(scan func(dest ...any) error, first ...any) (User, error) {
	var u User
	var team, registration sql.NullString
	var agency, disabled int
	err := scan(append(first, &u.ID, &u.Email, &u.Name, &u.Role, &team, &u.FTE, &agency, &registration, &u.PasswordHash,
		&disabled, &u.Started, &u.Left)...)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user: %w", casework.ErrNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("user: %w", err)
	}
	u.TeamID, u.Agency, u.Disabled, u.Registration = team.String, agency != 0, disabled != 0, registration.String
	return u, nil
}

func (s *Store) user(ctx context.Context, where string, arg any) (User, error) {
	return scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userColumns+` FROM users u WHERE `+where), arg).Scan)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
