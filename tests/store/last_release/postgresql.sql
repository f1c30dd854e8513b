-- The read model as the last release before migrations made it (create_all, no alembic_version): PostgreSQL.
CREATE TABLE accounts (
	username VARCHAR(64) NOT NULL,
	role VARCHAR NOT NULL,
	municipality VARCHAR,
	participant VARCHAR,
	password_hash VARCHAR NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (username)
);
CREATE TABLE appeals (
	appeal_id VARCHAR NOT NULL,
	participant_id VARCHAR NOT NULL,
	group_id VARCHAR NOT NULL,
	cohort VARCHAR NOT NULL,
	person_id VARCHAR NOT NULL,
	attempt INTEGER NOT NULL,
	stage VARCHAR NOT NULL,
	written_before VARCHAR NOT NULL,
	final_before VARCHAR NOT NULL,
	written_after VARCHAR,
	oral_adjustment_after INTEGER,
	final_after VARCHAR,
	credits_after INTEGER,
	registered_at TIMESTAMP WITH TIME ZONE NOT NULL,
	decided_at TIMESTAMP WITH TIME ZONE,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (appeal_id)
);
CREATE INDEX ix_appeals_cohort ON appeals (cohort);
CREATE INDEX ix_appeals_participant_id ON appeals (participant_id);
CREATE INDEX ix_appeals_person_id ON appeals (person_id);
CREATE TABLE audit (
	id SERIAL NOT NULL,
	idempotency_key VARCHAR NOT NULL,
	workflow_id VARCHAR NOT NULL,
	actor VARCHAR NOT NULL,
	action VARCHAR NOT NULL,
	outcome VARCHAR NOT NULL,
	reason TEXT,
	at TIMESTAMP WITH TIME ZONE NOT NULL,
	params JSON,
	problems JSON,
	PRIMARY KEY (id),
	UNIQUE (idempotency_key)
);
CREATE INDEX ix_audit_action_id ON audit (action, id);
CREATE INDEX ix_audit_workflow_id ON audit (workflow_id);
CREATE TABLE cohorts (
	cohort VARCHAR NOT NULL,
	stage VARCHAR NOT NULL,
	seed VARCHAR,
	places INTEGER NOT NULL,
	applications INTEGER NOT NULL,
	admitted INTEGER NOT NULL,
	waitlisted INTEGER NOT NULL,
	refused INTEGER NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (cohort)
);
CREATE TABLE documents (
	code VARCHAR NOT NULL,
	person_id VARCHAR NOT NULL,
	participant_id VARCHAR NOT NULL,
	cohort VARCHAR NOT NULL,
	kind VARCHAR NOT NULL,
	version INTEGER NOT NULL,
	superseded_by VARCHAR,
	facts VARCHAR NOT NULL,
	file VARCHAR NOT NULL,
	issued_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (code)
);
CREATE INDEX ix_documents_cohort ON documents (cohort);
CREATE INDEX ix_documents_participant_id ON documents (participant_id);
CREATE INDEX ix_documents_person_id ON documents (person_id);
CREATE TABLE enrolments (
	person_id VARCHAR NOT NULL,
	group_workflow_id VARCHAR NOT NULL,
	participant_workflow_id VARCHAR,
	cohort VARCHAR NOT NULL,
	kind VARCHAR NOT NULL,
	PRIMARY KEY (person_id, group_workflow_id)
);
CREATE INDEX ix_enrolments_cohort ON enrolments (cohort);
CREATE INDEX ix_enrolments_participant_workflow_id ON enrolments (participant_workflow_id);
CREATE TABLE examiner_groups (
	username VARCHAR(64) NOT NULL,
	group_workflow_id VARCHAR NOT NULL,
	PRIMARY KEY (username, group_workflow_id)
);
CREATE TABLE external_identities (
	issuer VARCHAR NOT NULL,
	subject VARCHAR(255) NOT NULL,
	username VARCHAR(64) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (issuer, subject),
	UNIQUE (username)
);
CREATE TABLE groups (
	group_id VARCHAR NOT NULL,
	cohort VARCHAR NOT NULL,
	application_id VARCHAR NOT NULL,
	municipalities VARCHAR NOT NULL,
	region VARCHAR NOT NULL,
	size VARCHAR NOT NULL,
	outcome VARCHAR NOT NULL,
	stage VARCHAR NOT NULL,
	requirements_approved INTEGER NOT NULL,
	written_grade VARCHAR,
	written_submitted BOOLEAN NOT NULL,
	published_at TIMESTAMP WITH TIME ZONE,
	requirements JSON,
	pending JSON,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (group_id)
);
CREATE INDEX ix_groups_cohort ON groups (cohort);
CREATE TABLE innovation_projects (
	group_id VARCHAR NOT NULL,
	cohort VARCHAR NOT NULL,
	title VARCHAR NOT NULL,
	partner_kinds VARCHAR NOT NULL,
	reports INTEGER NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (group_id)
);
CREATE INDEX ix_innovation_projects_cohort ON innovation_projects (cohort);
CREATE TABLE outbox (
	idempotency_key VARCHAR NOT NULL,
	cohort VARCHAR NOT NULL,
	kind VARCHAR NOT NULL,
	notice TEXT NOT NULL,
	person_id VARCHAR NOT NULL,
	status VARCHAR NOT NULL,
	reason VARCHAR,
	attempts INTEGER NOT NULL,
	next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	sent_at TIMESTAMP WITH TIME ZONE,
	PRIMARY KEY (idempotency_key)
);
CREATE INDEX ix_outbox_cohort ON outbox (cohort);
CREATE INDEX ix_outbox_cohort_created ON outbox (cohort, created_at);
CREATE INDEX ix_outbox_person_id ON outbox (person_id);
CREATE INDEX ix_outbox_status ON outbox (status);
CREATE TABLE participant_people (
	participant_id VARCHAR NOT NULL,
	person_id VARCHAR NOT NULL,
	cohort VARCHAR NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (participant_id)
);
CREATE INDEX ix_participant_people_cohort ON participant_people (cohort);
CREATE TABLE participants (
	participant_id VARCHAR NOT NULL,
	group_id VARCHAR NOT NULL,
	cohort VARCHAR NOT NULL,
	sector VARCHAR NOT NULL,
	track VARCHAR NOT NULL,
	stage VARCHAR NOT NULL,
	attendance_days INTEGER NOT NULL,
	requirements_approved INTEGER NOT NULL,
	withdrawn BOOLEAN NOT NULL,
	non_participating BOOLEAN NOT NULL,
	exam_eligible BOOLEAN NOT NULL,
	written_grade VARCHAR,
	oral_adjustment INTEGER,
	final_grade VARCHAR,
	credits INTEGER NOT NULL,
	certificate VARCHAR,
	replaced BOOLEAN NOT NULL,
	end_reason VARCHAR,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (participant_id)
);
CREATE INDEX ix_participants_cohort ON participants (cohort);
CREATE INDEX ix_participants_group_id ON participants (group_id);
CREATE TABLE people (
	person_id VARCHAR NOT NULL,
	cohort VARCHAR NOT NULL,
	kind VARCHAR NOT NULL,
	confirmed BOOLEAN NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	touched_at TIMESTAMP WITH TIME ZONE NOT NULL,
	name BYTEA NOT NULL,
	email BYTEA NOT NULL,
	role BYTEA NOT NULL,
	sector BYTEA NOT NULL,
	education_years BYTEA NOT NULL,
	experience_years BYTEA NOT NULL,
	PRIMARY KEY (person_id)
);
CREATE INDEX ix_people_cohort ON people (cohort);
CREATE INDEX ix_people_confirmed ON people (confirmed);
CREATE TABLE privacy_log (
	id SERIAL NOT NULL,
	person_id VARCHAR NOT NULL,
	actor VARCHAR NOT NULL,
	action VARCHAR NOT NULL,
	outcome VARCHAR NOT NULL,
	reason TEXT,
	at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_privacy_log_person_id ON privacy_log (person_id);
CREATE TABLE resits (
	resit_id VARCHAR NOT NULL,
	participant_id VARCHAR NOT NULL,
	group_id VARCHAR NOT NULL,
	cohort VARCHAR NOT NULL,
	person_id VARCHAR NOT NULL,
	attempt INTEGER NOT NULL,
	stage VARCHAR NOT NULL,
	period_label VARCHAR NOT NULL,
	period_end TIMESTAMP WITH TIME ZONE NOT NULL,
	grade_before VARCHAR,
	written VARCHAR,
	oral_adjustment INTEGER,
	attempt_grade VARCHAR,
	grade_after VARCHAR,
	credits_after INTEGER,
	registered_at TIMESTAMP WITH TIME ZONE NOT NULL,
	decided_at TIMESTAMP WITH TIME ZONE,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (resit_id)
);
CREATE INDEX ix_resits_cohort ON resits (cohort);
CREATE INDEX ix_resits_participant_id ON resits (participant_id);
CREATE INDEX ix_resits_person_id ON resits (person_id);
CREATE TABLE web_sessions (
	secret_hash VARCHAR(64) NOT NULL,
	username VARCHAR(64) NOT NULL,
	kind VARCHAR(16) NOT NULL,
	csrf VARCHAR(64) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
	expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (secret_hash)
);
CREATE INDEX ix_web_sessions_expires_at ON web_sessions (expires_at);
CREATE INDEX ix_web_sessions_username ON web_sessions (username);
CREATE TABLE person_keys (
	person_id VARCHAR NOT NULL,
	wrapped_key BYTEA NOT NULL,
	PRIMARY KEY (person_id),
	FOREIGN KEY(person_id) REFERENCES people (person_id) ON DELETE CASCADE
);
