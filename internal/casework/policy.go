package casework

import "fmt"

// Action is something a user asks to do.
type Action string

// The actions the application offers so far. Each route names one; a route without one is refused.
const (
	ActionSearchChildren Action = "search_children"
	ActionViewRecord     Action = "view_record"
	ActionViewHistory    Action = "view_history"
	ActionViewAudit      Action = "view_audit"
	ActionSignedIn       Action = "signed_in"
	ActionViewMyWork     Action = "view_my_work"
	ActionViewTeamWork   Action = "view_team_work"
	ActionViewReports    Action = "view_reports"
	ActionViewBoard      Action = "view_board" // performance against targets, sufficiency, the plan and the board pack
	ActionSetStepPolicy  Action = "set_step_policy"
	ActionListCounted    Action = "list_counted"  // the children behind a report's figure, by name
	ActionSetTargets     Action = "set_targets"   // indicators' targets and the placement trajectory
	ActionEditPlan       Action = "edit_plan"     // the improvement plan's priorities and actions, and any challenge
	ActionChallenge      Action = "challenge"     // raise the board's challenges and record their answers
	ActionRecord         Action = "record"        // record and correct casework on a child's file
	ActionAddChild       Action = "add_child"     // start a file for a child not yet known
	ActionAuthorise      Action = "authorise"     // authorise an assessment
	ActionAllocate       Action = "allocate"      // allocate and reallocate cases
	ActionRestrict       Action = "restrict"      // restrict a file to named people, or lift the restriction
	ActionBreakGlass     Action = "break_glass"   // open a file held outside one's service, giving a reason
	ActionReviewAccess   Action = "review_access" // review the team's break-glass openings
	ActionViewShared     Action = "view_shared"   // see the children the council shares with one's agency
	ActionViewTrail      Action = "view_trail"    // search the whole audit trail and check its chain
	ActionRefer          Action = "refer"         // send the front door a referral and see what became of it
	ActionTakeReferral   Action = "take_referral" // take a partner's referral in as a contact
)

// grants lists, for each action, the roles allowed it. What is not listed is denied. For a child's file,
// restrictions and the relationship rule (Related) narrow it further, and break-glass widens it back only as
// far as the grants go.
var grants = map[Action][]string{
	ActionSignedIn:       Roles,
	ActionSearchChildren: {RoleFrontDoor, RoleEarlyHelp, RoleSocialWorker, RoleTeamManager, RoleIRO},
	ActionViewRecord:     {RoleFrontDoor, RoleEarlyHelp, RoleSocialWorker, RoleTeamManager, RoleIRO},
	ActionViewHistory:    {RoleSocialWorker, RoleTeamManager, RoleIRO},
	ActionViewAudit:      {RoleTeamManager},
	ActionViewMyWork:     {RoleFrontDoor, RoleEarlyHelp, RoleSocialWorker, RoleTeamManager, RoleIRO},
	ActionViewTeamWork:   {RoleTeamManager},
	// Reports count children without naming them.
	ActionViewReports: {RoleTeamManager, RoleLeader, RoleAnalyst},
	// The improvement board sees what it oversees: figures, never a child.
	ActionViewBoard:     {RoleTeamManager, RoleLeader, RoleAnalyst, RoleBoard},
	ActionSetStepPolicy: {RoleLeader},
	// The children behind a figure are named to those who manage the work and answer for it.
	ActionListCounted: {RoleTeamManager, RoleLeader},
	ActionSetTargets:  {RoleLeader},
	ActionEditPlan:    {RoleLeader},
	ActionChallenge:   {RoleLeader, RoleBoard},
	// Practitioners record on the files they work with; the independent reviewing officer records reviews and
	// conferences they chair.
	ActionRecord:    {RoleFrontDoor, RoleEarlyHelp, RoleSocialWorker, RoleTeamManager, RoleIRO},
	ActionAddChild:  {RoleFrontDoor, RoleEarlyHelp, RoleSocialWorker, RoleTeamManager},
	ActionAuthorise: {RoleTeamManager},
	ActionAllocate:  {RoleTeamManager},
	ActionRestrict:  {RoleTeamManager},
	// Those who open records by relationship may open others with a reason; the front door sees every child.
	ActionBreakGlass:   {RoleEarlyHelp, RoleSocialWorker, RoleTeamManager, RoleIRO},
	ActionReviewAccess: {RoleTeamManager},
	// Partner agencies see what the council shares with their team, with consent or to protect the child, and
	// nothing else of any child.
	ActionViewShared: {RolePartner},
	// The trail names who looked at which child's file, by identifier; it holds no case content.
	ActionViewTrail: {RoleAuditor},
	// Partner agencies refer children to the front door, which takes each referral in on the child's record.
	ActionRefer:        {RolePartner},
	ActionTakeReferral: {RoleFrontDoor},
}

// Authorize is the one access policy: it returns nil when role may do action, and an ErrForbidden error otherwise.
// Administrators see no case content by default.
func Authorize(role string, action Action) error {
	for _, r := range grants[action] {
		if r == role {
			return nil
		}
	}
	return fmt.Errorf("%s may not %s: %w", role, action, ErrForbidden)
}
