package casework

import (
	"errors"
	"fmt"
	"slices"

	"github.com/continuum-cs/continuum/internal/civil"
)

// Restriction limits who may see a child's file to the people it names: a member of staff's relative, a child
// whose adoption has sealed the record, anyone whose safety depends on few people knowing where they are. While
// it is in force the file is hidden from everyone else: not found if opened, left out of every search and list,
// and not opened by break-glass either.
type Restriction struct {
	Meta    `json:"-"`
	Grounds string     `json:"grounds"` // a code of ListRestriction
	Named   []string   `json:"named"`   // the users who may still see the file
	Start   civil.Date `json:"start"`
	// Lifted is the day the restriction ended; a lifted restriction stays on the file's history.
	Lifted civil.Date `json:"lifted,omitzero"`
}

// ListRestriction is why a file is restricted: a local list, not a statutory one.
const ListRestriction CodeList = "restriction"

func init() {
	addCode(ListRestriction, "staff_relative", "A member of staff's relative or friend")
	addCode(ListRestriction, "adoption", "Sealed after adoption")
	addCode(ListRestriction, "safety", "Someone's safety depends on few people knowing about the child")
}

func (*Restriction) Kind() Kind { return KindRestriction }
func (r *Restriction) Index() Index {
	return Index{Start: r.Start, End: r.Lifted, Code: r.Grounds}
}

func (r *Restriction) Validate(today civil.Date) error {
	var p problems
	if !Valid(ListRestriction, r.Grounds) {
		p.add("grounds", "choose why the record is restricted")
	}
	if len(r.Named) == 0 {
		p.add("named", "name at least one person who may still see the record")
	}
	required(&p, "start", r.Start)
	notFuture(&p, "start", r.Start, today)
	if !r.Lifted.IsZero() && r.Lifted.Before(r.Start) {
		p.add("lifted", "must not be before the restriction started")
	}
	return p.err()
}

// InForce reports whether the restriction still holds.
func (r *Restriction) InForce() bool { return r.Lifted.IsZero() && !r.Retracted }

// RestrictedTo is who may see a file while restrictions are in force on it: everyone named by any of them. A nil
// list means the file is not restricted.
func RestrictedTo(f *File) []string {
	var named []string
	restricted := false
	for _, r := range All[*Restriction](f) {
		if r.InForce() {
			restricted = true
			named = append(named, r.Named...)
		}
	}
	if !restricted {
		return nil
	}
	slices.Sort(named)
	return slices.Compact(named)
}

// ErrNoRelationship refuses a practitioner a child's file held by a team outside their service: they may open it
// only by giving a reason (break-glass), which is flagged for their manager to review. It matches ErrForbidden.
var ErrNoRelationship = fmt.Errorf("this child's case is held outside your service: %w", ErrForbidden)

// Viewer is who is asking to see a file, as the relationship rule needs them.
type Viewer struct {
	UserID, Role, TeamID, Service string
}

// Holding is what the relationship rule needs of a file: who holds the case now, and whether the child is on a
// child protection plan or looked after.
type Holding struct {
	WorkerID, TeamID, Service string
	// Protected is a child on a child protection plan or looked after, whose conferences and reviews an
	// independent reviewing officer chairs.
	Protected bool
	// BrokenGlass is a break-glass opening of this file by the viewer that is still in force.
	BrokenGlass bool
}

// Related decides whether v may open a file held as h, for roles whose grants allow opening records at all. The
// front door sees every child, because checking whether a child is known is its job. Practitioners see a child
// nobody holds (new at the front door, or closed), and one held by themselves, their team or a team of their
// service; an independent reviewing officer also sees every child on a plan or in care; anyone else opens it
// only through break-glass.
func Related(v Viewer, h Holding) error {
	switch {
	case !slices.Contains(grants[ActionViewRecord], v.Role):
		// Partner agencies see only what is shared with them, and the rest no case content.
		return fmt.Errorf("%s may not open children's records: %w", v.Role, ErrForbidden)
	case v.Role == RoleFrontDoor, h.BrokenGlass:
		return nil
	case h.WorkerID == "" && h.TeamID == "":
		return nil
	case h.WorkerID == v.UserID, h.TeamID != "" && h.TeamID == v.TeamID, h.Service != "" && h.Service == v.Service:
		return nil
	case v.Role == RoleIRO && h.Protected:
		return nil
	}
	return ErrNoRelationship
}

// IsNoRelationship reports whether err refuses only for want of a relationship, which break-glass can overcome.
func IsNoRelationship(err error) bool { return errors.Is(err, ErrNoRelationship) }
