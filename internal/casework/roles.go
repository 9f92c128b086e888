package casework

// Roles are the jobs people do with Continuum (see DESIGN.md). What each may see and do is decided by the access
// policy, not by the role name alone.
const (
	RoleFrontDoor    = "front_door"
	RoleEarlyHelp    = "early_help"
	RoleSocialWorker = "social_worker"
	RoleTeamManager  = "team_manager"
	RoleIRO          = "iro"
	RolePartner      = "partner"
	RoleAnalyst      = "analyst"
	RoleLeader       = "leader"
	// RoleBoard is a member or the independent chair of the improvement board: performance, the improvement plan
	// and the board pack, and the board's challenges, without any child named.
	RoleBoard = "board_member"
	RoleAdmin = "admin"
	// RoleAuditor is information governance: the audit trail of who saw and changed what, without case content.
	RoleAuditor = "auditor"
)

// Roles lists every role, in the order forms offer them.
var Roles = []string{RoleFrontDoor, RoleEarlyHelp, RoleSocialWorker, RoleTeamManager, RoleIRO, RolePartner,
	RoleAnalyst, RoleLeader, RoleBoard, RoleAdmin, RoleAuditor}

// Team services.
var TeamServices = []string{"front_door", "early_help", "assessment", "cin_cp", "looked_after", "care_leavers", "iro", "partner"}
