import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';

/**
 * Disruptions, their workflow, prioritisation meetings and the export register
 * (domain.md "Disruptions", "Returns and exports"). Outcomes are held as one JSON document per
 * disruption, validated by preload/contract/schemas/disruptions.ts on the way in; returns sum them.
 */
const migration: Migration = {
  version: 30,
  name: 'disruptions',
  up(db: Database.Database) {
    db.exec(`
      -- A validator must not be in the claiming unit, so users carry their unit.
      ALTER TABLE users ADD COLUMN unit TEXT NOT NULL DEFAULT '';

      ALTER TABLE networks ADD COLUMN plan_status TEXT NOT NULL DEFAULT 'none'
        CHECK (plan_status IN ('none','draft','agreed','in_progress','under_review'));

      CREATE TABLE disruptions (
        id                       TEXT PRIMARY KEY,
        reference                TEXT NOT NULL UNIQUE,
        primary_network_id       TEXT NOT NULL REFERENCES networks(id),
        operation_reference      TEXT NOT NULL DEFAULT '',
        activity_start           TEXT NOT NULL,
        activity_end             TEXT NOT NULL,
        claiming_business_group  TEXT NOT NULL CHECK (claiming_business_group IN ('SCD','TP','SO','CO','partner')),
        claiming_unit            TEXT NOT NULL,
        claimant_id              TEXT NOT NULL,
        claimed_level            TEXT NOT NULL CHECK (claimed_level IN ('major','moderate','minor','none','negative')),
        -- The workflow state, column for column as preload/contract/disruption-workflow.ts WorkflowRecord
        -- (days are UK calendar days; who is a user id).
        level                    TEXT NOT NULL CHECK (level IN ('major','moderate','minor','none','negative')),
        status                   TEXT NOT NULL CHECK (status IN ('draft','submitted','endorsed','validated','returned','rejected')),
        submitted_on             TEXT,
        endorsed_by              TEXT,
        endorsed_on              TEXT,
        validated_by             TEXT,
        validated_on             TEXT,
        returned_on              TEXT,
        rejected_on              TEXT,
        decision_reason          TEXT,
        durability_due_on        TEXT,
        durability_outcome       TEXT CHECK (durability_outcome IS NULL OR durability_outcome IN ('confirmed','downgraded','upgraded')),
        level_after_review       TEXT CHECK (level_after_review IS NULL OR level_after_review IN ('major','moderate','minor','none','negative')),
        reviewed_by              TEXT,
        reviewed_on              TEXT,
        review_reason            TEXT,
        tactics                  TEXT NOT NULL,
        outcomes                 TEXT NOT NULL,
        impact_narrative         TEXT NOT NULL,
        partner_reference        TEXT,
        created_at               TEXT NOT NULL,
        updated_at               TEXT NOT NULL,
        CHECK (activity_end >= activity_start)
      ) STRICT;
      CREATE INDEX disruptions_status ON disruptions(status, validated_on);
      CREATE INDEX disruptions_network ON disruptions(primary_network_id);

      CREATE TABLE disruption_networks (
        disruption_id  TEXT NOT NULL REFERENCES disruptions(id) ON DELETE CASCADE,
        network_id     TEXT NOT NULL REFERENCES networks(id),
        is_primary     INTEGER NOT NULL CHECK (is_primary IN (0,1)),
        PRIMARY KEY (disruption_id, network_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX disruption_networks_network ON disruption_networks(network_id);

      CREATE TABLE disruption_intelligence (
        disruption_id  TEXT NOT NULL REFERENCES disruptions(id) ON DELETE CASCADE,
        intel_id       TEXT NOT NULL REFERENCES intelligence(id),
        PRIMARY KEY (disruption_id, intel_id)
      ) STRICT, WITHOUT ROWID;

      -- Every workflow step, with who, when and why: the claim's own history.
      CREATE TABLE disruption_steps (
        id             INTEGER PRIMARY KEY,
        disruption_id  TEXT NOT NULL REFERENCES disruptions(id) ON DELETE CASCADE,
        at             TEXT NOT NULL,
        user_id        TEXT NOT NULL,
        action         TEXT NOT NULL,
        from_status    TEXT NOT NULL,
        to_status      TEXT NOT NULL,
        level          TEXT,
        reason         TEXT
      ) STRICT;
      CREATE INDEX disruption_steps_disruption ON disruption_steps(disruption_id, id);

      CREATE TABLE meetings (
        id        TEXT PRIMARY KEY,
        held_on   TEXT NOT NULL UNIQUE,
        held_at   TEXT NOT NULL,
        held_by   TEXT NOT NULL,
        model     TEXT NOT NULL,
        weight_table_id       TEXT NOT NULL,
        weight_table_version  TEXT NOT NULL
      ) STRICT;

      -- Frozen at the meeting: the next pack compares with this.
      CREATE TABLE meeting_snapshots (
        meeting_id      TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        network_id      TEXT NOT NULL,
        reference       TEXT NOT NULL,
        status          TEXT NOT NULL,
        score           REAL NOT NULL,
        eh_pts          REAL NOT NULL,
        ah_pts          REAL NOT NULL,
        cap_pts         REAL NOT NULL,
        band            TEXT NOT NULL,
        confidence      TEXT NOT NULL,
        business_group  TEXT NOT NULL,
        unit            TEXT NOT NULL,
        lead_officer    TEXT NOT NULL,
        plan_status     TEXT NOT NULL,
        PRIMARY KEY (meeting_id, network_id)
      ) STRICT, WITHOUT ROWID;

      -- Every export that left the vault (domain.md "Every export"): who, what, why, to whom.
      CREATE TABLE export_register (
        id          TEXT PRIMARY KEY,
        at          TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        user_name   TEXT NOT NULL,
        kind        TEXT NOT NULL,
        period      TEXT NOT NULL,
        format      TEXT NOT NULL,
        rule_set    TEXT NOT NULL,
        purpose     TEXT NOT NULL,
        recipient   TEXT NOT NULL,
        copy_number INTEGER NOT NULL,
        file_name   TEXT NOT NULL,
        bytes       INTEGER NOT NULL,
        sha256      TEXT NOT NULL
      ) STRICT;
    `);
  },
};

export default migration;
