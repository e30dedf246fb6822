package xapi

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"

	"github.com/google/uuid"

	"github.com/metaacademy/ota"
)

// NewID returns a new random (version 4) UUID for a statement id or a
// registration, in lower case.
func NewID() string { return uuid.NewString() }

// MboxAgent returns an Agent identified by the e-mail address email (with
// or without the "mailto:" scheme), with display name name ("" for none).
func MboxAgent(name, email string) *Actor {
	if len(email) < 7 || email[:7] != "mailto:" {
		email = "mailto:" + email
	}
	return &Actor{ObjectType: ObjectTypeAgent, Name: name, Mbox: email}
}

// AccountAgent returns an Agent identified by the account accountName on
// the system at homePage, with display name name ("" for none). LMSs
// usually identify learners this way, without revealing an e-mail address.
func AccountAgent(name, homePage, accountName string) *Actor {
	return &Actor{ObjectType: ObjectTypeAgent, Name: name,
		Account: &Account{HomePage: homePage, Name: accountName}}
}

// MboxSHA1Sum returns the mbox_sha1sum of an e-mail address (with or
// without the "mailto:" scheme): the hexadecimal SHA-1 digest of the full
// "mailto:" IRI, which identifies an agent without revealing the address.
func MboxSHA1Sum(email string) string {
	if len(email) < 7 || email[:7] != "mailto:" {
		email = "mailto:" + email
	}
	sum := sha1.Sum([]byte(email))
	return hex.EncodeToString(sum[:])
}

// NewStatementRef returns a reference to the statement with UUID id, with
// its objectType set.
func NewStatementRef(id string) *StatementRef {
	return &StatementRef{ObjectType: ObjectTypeStatementRef, ID: id}
}

// NewContextAgent returns an xAPI 2.0 contextAgent relating agent to a
// statement, with the IRIs saying how it is relevant (none is fine).
func NewContextAgent(agent *Actor, relevantTypes ...string) ContextAgent {
	return ContextAgent{ObjectType: ObjectTypeContextAgent, Agent: agent, RelevantTypes: relevantTypes}
}

// NewContextGroup returns an xAPI 2.0 contextGroup relating group to a
// statement, with the IRIs saying how it is relevant (none is fine).
// group should have ObjectType "Group".
func NewContextGroup(group *Actor, relevantTypes ...string) ContextGroup {
	return ContextGroup{ObjectType: ObjectTypeContextGroup, Group: group, RelevantTypes: relevantTypes}
}

// Check validates a statement built in code, as [Validate] validates JSON:
// the statement is written with MarshalJSON and the result validated, so
// the report's pointers refer to the statement's JSON form; lines are not
// set. A statement that cannot be written at all (see
// [Statement.MarshalJSON]) gets one issue with code "xapi.model.unencodable".
func (s *Statement) Check(opts ValidateOptions) ota.Report {
	data, err := s.MarshalJSON()
	if err != nil {
		return ota.Report{Issues: []ota.Issue{{Code: "xapi.model.unencodable", Severity: ota.Error,
			Message: fmt.Sprintf("the statement cannot be written as JSON: %v; fix the value named", err)}}}
	}
	rep := Validate(data, opts)
	for i := range rep.Issues {
		rep.Issues[i].Line = 0
	}
	return rep
}
