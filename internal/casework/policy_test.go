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
		ActionSetStepPolicy:  {RoleLeader: true},
		ActionListCounted:    {RoleTeamManager: true, RoleLeader: true},
		ActionSetTargets:     {RoleLeader: true},
		ActionEditPlan:       {RoleLeader: true},
		ActionRecord:         {RoleFrontDoor: true, RoleEarlyHelp: true, RoleSocialWorker: true, RoleTeamManager: true, RoleIRO: true},
		ActionAddChild:       {RoleFrontDoor: true, RoleEarlyHelp: true, RoleSocialWorker: true, RoleTeamManager: true},
		ActionAuthorise:      {RoleTeamManager: true},
		ActionAllocate:       {RoleTeamManager: true},
		ActionSignedIn:       {RoleFrontDoor: true, RoleEarlyHelp: true, RoleSocialWorker: true, RoleTeamManager: true, RoleIRO: true, RolePartner: true, RoleAnalyst: true, RoleLeader: true, RoleAdmin: true},
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
