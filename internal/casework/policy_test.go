package casework

import (
	"errors"
	"testing"
)

func TestAuthorize(t *testing.T) {
	allowed := map[Action]map[string]bool{
		ActionSearchChildren: {RoleFrontDoor: true, RoleEarlyHelp: true, RoleSocialWorker: true, RoleTeamManager: true, RoleIRO: true},
		ActionViewRecord:     {RoleFrontDoor: true, RoleEarlyHelp: true, RoleSocialWorker: true, RoleTeamManager: true, RoleIRO: true},
		ActionViewHistory:    {RoleSocialWorker: true, RoleTeamManager: true, RoleIRO: true},
		ActionViewAudit:      {RoleTeamManager: true},
		ActionViewMyWork:     {RoleFrontDoor: true, RoleEarlyHelp: true, RoleSocialWorker: true, RoleTeamManager: true, RoleIRO: true},
		ActionViewTeamWork:   {RoleTeamManager: true},
		ActionViewReports:    {RoleTeamManager: true, RoleLeader: true, RoleAnalyst: true},
		ActionViewBoard:      {RoleTeamManager: true, RoleLeader: true, RoleAnalyst: true, RoleBoard: true},
		ActionChallenge:      {RoleLeader: true, RoleBoard: true},
		ActionSetStepPolicy:  {RoleLeader: true},
		ActionListCounted:    {RoleTeamManager: true, RoleLeader: true},
		ActionSetTargets:     {RoleLeader: true},
		ActionEditPlan:       {RoleLeader: true},
		ActionRecord:         {RoleFrontDoor: true, RoleEarlyHelp: true, RoleSocialWorker: true, RoleTeamManager: true, RoleIRO: true},
		ActionAddChild:       {RoleFrontDoor: true, RoleEarlyHelp: true, RoleSocialWorker: true, RoleTeamManager: true},
		ActionAuthorise:      {RoleTeamManager: true},
		ActionAllocate:       {RoleTeamManager: true},
		ActionRestrict:       {RoleTeamManager: true},
		ActionBreakGlass:     {RoleEarlyHelp: true, RoleSocialWorker: true, RoleTeamManager: true, RoleIRO: true},
		ActionReviewAccess:   {RoleTeamManager: true},
		ActionViewShared:     {RolePartner: true},
		ActionViewTrail:      {RoleAuditor: true},
		ActionRefer:          {RolePartner: true},
		ActionTakeReferral:   {RoleFrontDoor: true},
		ActionSignedIn:       {RoleFrontDoor: true, RoleEarlyHelp: true, RoleSocialWorker: true, RoleTeamManager: true, RoleIRO: true, RolePartner: true, RoleAnalyst: true, RoleLeader: true, RoleBoard: true, RoleAdmin: true, RoleAuditor: true},
		"unknown_action":     {},
	}
	for action, roles := range allowed {
		for _, role := range append(Roles, "", "root") {
			err := Authorize(role, action)
			if got := err == nil; got != roles[role] {
				t.Errorf("Authorize(%q, %s) allowed = %v, want %v", role, action, got, roles[role])
			}
			if err != nil && !errors.Is(err, ErrForbidden) {
				t.Errorf("Authorize(%q, %s) = %v, want ErrForbidden", role, action, err)
			}
		}
	}
	if len(grants) != len(allowed)-1 {
		t.Errorf("policy has %d actions, the test covers %d: add the new action to this table", len(grants), len(allowed)-1)
	}
}

// TestRelated walks the relationship rule: who may open a file held by whom without giving a reason.
func TestRelated(t *testing.T) {
	sw := Viewer{UserID: "sw1", Role: RoleSocialWorker, TeamID: "t1", Service: "cin_cp"}
	iro := Viewer{UserID: "iro1", Role: RoleIRO, TeamID: "t9", Service: "iro"}
	fd := Viewer{UserID: "fd1", Role: RoleFrontDoor, TeamID: "t8", Service: "front_door"}
	elsewhere := Holding{WorkerID: "sw2", TeamID: "t2", Service: "looked_after"}
	for _, c := range []struct {
		name string
		v    Viewer
		h    Holding
		ok   bool
	}{
		{"nobody holds the case", sw, Holding{}, true},
		{"my case", sw, Holding{WorkerID: "sw1", TeamID: "t5", Service: "looked_after"}, true},
		{"my team's case", sw, Holding{WorkerID: "sw3", TeamID: "t1", Service: "cin_cp"}, true},
		{"my service's case", sw, Holding{WorkerID: "sw3", TeamID: "t3", Service: "cin_cp"}, true},
		{"another service's case", sw, elsewhere, false},
		{"another service's case, glass broken", sw, Holding{WorkerID: "sw2", TeamID: "t2", Service: "looked_after", BrokenGlass: true}, true},
		{"the front door sees every child", fd, elsewhere, true},
		{"an IRO and a child in care", iro, Holding{WorkerID: "sw2", TeamID: "t2", Service: "looked_after", Protected: true}, true},
		{"an IRO and a child in need", iro, elsewhere, false},
		{"a team held but no service known", sw, Holding{TeamID: "t2"}, false},
	} {
		err := Related(c.v, c.h)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v, want allowed %v", c.name, err, c.ok)
		}
		if err != nil && (!IsNoRelationship(err) || !errors.Is(err, ErrForbidden)) {
			t.Errorf("%s: %v is not a refusal break-glass can overcome", c.name, err)
		}
	}
	// Roles that open no records are refused whatever the holding, and break-glass does not help them.
	for _, role := range []string{RolePartner, RoleAnalyst, RoleLeader, RoleAdmin, RoleAuditor} {
		err := Related(Viewer{UserID: "u", Role: role, TeamID: "t1", Service: "cin_cp"}, Holding{})
		if !errors.Is(err, ErrForbidden) || IsNoRelationship(err) {
			t.Errorf("%s on a child nobody holds: %v, want a plain refusal", role, err)
		}
	}
}
