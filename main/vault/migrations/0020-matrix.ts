import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';

/**
 * The criminal networks prioritisation matrix (domain.md "Core records", "Harm scoring").
 * People are never scored: scores and history hang off networks only. Victim / at-risk links are
 * kept for safeguarding and are excluded from scoring by the scoring service, not by the schema.
 */
const migration: Migration = {
  version: 20,
  name: 'matrix',
  up(db: Database.Database) {
    db.exec(`
      -- Reference data loaded from resources/reference, kept per version so a past score can name
      -- (and reproduce with) the weight table it used.
      CREATE TABLE reference_sets (
        kind       TEXT NOT NULL,
        id         TEXT NOT NULL,
        version    TEXT NOT NULL,
        body       TEXT NOT NULL,
        loaded_at  TEXT NOT NULL,
        PRIMARY KEY (kind, id, version)
      ) STRICT;

      CREATE TABLE networks (
        id                  TEXT PRIMARY KEY,
        reference           TEXT NOT NULL UNIQUE,
        name                TEXT NOT NULL,
        aliases             TEXT NOT NULL DEFAULT '',
        type                TEXT NOT NULL CHECK (type IN ('criminal_network','gang','peer_group')),
        definitions_version TEXT NOT NULL,
        status              TEXT NOT NULL CHECK (status IN ('proposed','active','dormant','archived')),
        lead_borough        TEXT NOT NULL,
        business_group      TEXT NOT NULL CHECK (business_group IN ('SCD','TP','SO','CO','partner')),
        unit                TEXT NOT NULL DEFAULT '',
        lead_officer        TEXT NOT NULL DEFAULT '',
        created_at          TEXT NOT NULL,
        created_by          TEXT,
        last_reviewed_on    TEXT,
        next_review_on      TEXT NOT NULL
      ) STRICT;

      CREATE TABLE network_boroughs (
        network_id    TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        borough_code  TEXT NOT NULL,
        PRIMARY KEY (network_id, borough_code)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE people (
        id                 TEXT PRIMARY KEY,
        reference          TEXT NOT NULL UNIQUE,
        name               TEXT NOT NULL,
        date_of_birth      TEXT,
        sex                TEXT NOT NULL DEFAULT 'unknown' CHECK (sex IN ('female','male','other','unknown')),
        ethnicity_self     TEXT,
        ethnicity_officer  TEXT CHECK (ethnicity_officer IS NULL OR ethnicity_officer IN ('IC1','IC2','IC3','IC4','IC5','IC6','IC7','IC8','IC9')),
        created_at         TEXT NOT NULL,
        created_by         TEXT
      ) STRICT;

      CREATE TABLE intelligence (
        id            TEXT PRIMARY KEY,
        reference     TEXT NOT NULL UNIQUE,
        item_date     TEXT NOT NULL,
        summary       TEXT NOT NULL,
        grading       TEXT NOT NULL CHECK (grading IN ('3x5x2','5x5x5')),
        source_grade  INTEGER CHECK (source_grade IS NULL OR source_grade IN (1,2,3)),
        intel_grade   TEXT CHECK (intel_grade IS NULL OR intel_grade IN ('A','B','C','D','E')),
        handling      TEXT CHECK (handling IS NULL OR handling IN ('P','C')),
        legacy_grade  TEXT,
        -- Who or what the item came from, so "independent sources" can be counted.
        source_ref    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        created_by    TEXT,
        CHECK ((grading = '3x5x2' AND source_grade IS NOT NULL AND intel_grade IS NOT NULL AND handling IS NOT NULL)
            OR (grading = '5x5x5' AND legacy_grade IS NOT NULL))
      ) STRICT;

      CREATE TABLE network_intelligence (
        network_id  TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        intel_id    TEXT NOT NULL REFERENCES intelligence(id),
        PRIMARY KEY (network_id, intel_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX network_intelligence_intel ON network_intelligence(intel_id);

      CREATE TABLE memberships (
        id            TEXT PRIMARY KEY,
        person_id     TEXT NOT NULL REFERENCES people(id),
        network_id    TEXT NOT NULL REFERENCES networks(id),
        role          TEXT NOT NULL CHECK (role IN ('principal','lieutenant','associate','facilitator','victim_at_risk')),
        basis         TEXT NOT NULL CHECK (basis IN ('graded_sources','self_admission','safeguarding')),
        status        TEXT NOT NULL CHECK (status IN ('proposed','confirmed','ended')),
        start_date    TEXT NOT NULL,
        review_on     TEXT NOT NULL,
        confirmed_by  TEXT,
        confirmed_at  TEXT,
        ended_at      TEXT,
        created_at    TEXT NOT NULL,
        created_by    TEXT
      ) STRICT;
      CREATE UNIQUE INDEX memberships_live ON memberships(person_id, network_id) WHERE status <> 'ended';
      CREATE INDEX memberships_network ON memberships(network_id, status);

      CREATE TABLE membership_intelligence (
        membership_id  TEXT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
        intel_id       TEXT NOT NULL REFERENCES intelligence(id),
        PRIMARY KEY (membership_id, intel_id)
      ) STRICT, WITHOUT ROWID;

      -- Clustered by id (WITHOUT ROWID; rows are about 200 bytes): the full rescore reads the
      -- confirmed links in offence-id order (offence_links_confirmed) and finds each offence in the
      -- same order, so both B-trees are walked once, page by page, instead of one random descent
      -- through an id index and another through the table per link. At force scale the vault is
      -- bigger than its page cache, and scattered reads are what encryption makes expensive
      -- (BENCHMARKS.md, "Full rescore").
      CREATE TABLE offences (
        id                  TEXT PRIMARY KEY,
        crime_reference     TEXT NOT NULL UNIQUE,
        ho_code             TEXT NOT NULL DEFAULT '',
        category            TEXT NOT NULL,
        offence_date        TEXT NOT NULL,
        borough_code        TEXT NOT NULL,
        stage               TEXT NOT NULL CHECK (stage IN ('convicted','charged','arrested','intelligence','nfa','acquitted')),
        weapon              TEXT NOT NULL CHECK (weapon IN ('firearm_discharged','firearm','knife','none')),
        is_victim_under_20  INTEGER NOT NULL CHECK (is_victim_under_20 IN (0,1)),
        created_at          TEXT NOT NULL,
        created_by          TEXT
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX offences_date ON offences(offence_date);

      CREATE TABLE offence_links (
        id            TEXT PRIMARY KEY,
        offence_id    TEXT NOT NULL REFERENCES offences(id),
        network_id    TEXT NOT NULL REFERENCES networks(id),
        rationale     TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('proposed','confirmed','rejected')),
        proposed_by   TEXT,
        confirmed_by  TEXT,
        confirmed_at  TEXT,
        created_at    TEXT NOT NULL,
        UNIQUE (offence_id, network_id)
      ) STRICT;
      -- The scoring read for some networks (an edit's rescore): a network's confirmed offences.
      CREATE INDEX offence_links_network ON offence_links(network_id, status, offence_id);
      -- The scoring read for every network (a full rescore), in the orders that let it walk each
      -- B-tree once: confirmed links by offence (joined to offences, clustered by id) and by link
      -- id (joined to offence_link_intelligence, keyed by link id). Partial: only confirmed links
      -- feed a score.
      CREATE INDEX offence_links_confirmed ON offence_links(offence_id, network_id) WHERE status = 'confirmed';
      CREATE INDEX offence_links_confirmed_id ON offence_links(id, network_id) WHERE status = 'confirmed';

      CREATE TABLE offence_link_intelligence (
        link_id   TEXT NOT NULL REFERENCES offence_links(id) ON DELETE CASCADE,
        intel_id  TEXT NOT NULL REFERENCES intelligence(id),
        PRIMARY KEY (link_id, intel_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE ratings (
        network_id  TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('assessed','capability')),
        dimension   TEXT NOT NULL,
        value       INTEGER NOT NULL,
        rated_by    TEXT,
        rated_at    TEXT NOT NULL,
        CHECK ((kind = 'assessed' AND value BETWEEN 0 AND 4) OR (kind = 'capability' AND value BETWEEN 0 AND 3)),
        PRIMARY KEY (network_id, kind, dimension)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE rating_support (
        network_id  TEXT NOT NULL,
        kind        TEXT NOT NULL,
        dimension   TEXT NOT NULL,
        intel_id    TEXT NOT NULL REFERENCES intelligence(id),
        PRIMARY KEY (network_id, kind, dimension, intel_id),
        FOREIGN KEY (network_id, kind, dimension) REFERENCES ratings(network_id, kind, dimension) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE gang_flags (
        id            TEXT PRIMARY KEY,
        subject_type  TEXT NOT NULL CHECK (subject_type IN ('person','offence')),
        subject_id    TEXT NOT NULL,
        network_id    TEXT REFERENCES networks(id),
        status        TEXT NOT NULL CHECK (status IN ('proposed','confirmed','expired','removed')),
        criteria      TEXT NOT NULL CHECK (criteria IN ('two_sources','self_admission')),
        proposed_by   TEXT,
        proposed_at   TEXT NOT NULL,
        confirmed_by  TEXT,
        confirmed_at  TEXT,
        review_on     TEXT NOT NULL,
        ended_at      TEXT,
        end_reason    TEXT
      ) STRICT;
      CREATE INDEX gang_flags_subject ON gang_flags(subject_type, subject_id);
      CREATE INDEX gang_flags_status ON gang_flags(status, review_on);

      CREATE TABLE gang_flag_intelligence (
        flag_id   TEXT NOT NULL REFERENCES gang_flags(id) ON DELETE CASCADE,
        intel_id  TEXT NOT NULL REFERENCES intelligence(id),
        PRIMARY KEY (flag_id, intel_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE band_overrides (
        id            TEXT PRIMARY KEY,
        network_id    TEXT NOT NULL REFERENCES networks(id),
        band          TEXT NOT NULL CHECK (band IN ('A','B','C','below_threshold')),
        reason        TEXT NOT NULL,
        author_id     TEXT NOT NULL,
        requested_at  TEXT NOT NULL,
        approver_id   TEXT,
        approved_at   TEXT,
        expires_on    TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('requested','approved','rejected','withdrawn'))
      ) STRICT;
      CREATE INDEX band_overrides_network ON band_overrides(network_id, status);

      -- The current score of each network. The explanation is not stored: it is a pure function of
      -- the records and the as-of date, recomputed for one network when its card opens (storing it
      -- for every network would rewrite some 150 MB on each full rescore at force scale).
      CREATE TABLE network_scores (
        network_id            TEXT PRIMARY KEY REFERENCES networks(id) ON DELETE CASCADE,
        as_of                 TEXT NOT NULL,
        model                 TEXT NOT NULL,
        weight_table_id       TEXT NOT NULL,
        weight_table_version  TEXT NOT NULL,
        score                 REAL NOT NULL,
        eh_pts                REAL NOT NULL,
        ah_pts                REAL NOT NULL,
        cap_pts               REAL NOT NULL,
        band                  TEXT NOT NULL,
        effective_band        TEXT NOT NULL,
        confidence            TEXT NOT NULL,
        computed_at           TEXT NOT NULL
      ) STRICT;

      -- One row whenever a network's score or band changes: the card's trend, and enough to
      -- reproduce any past score (model and weight table version).
      CREATE TABLE score_history (
        id                    INTEGER PRIMARY KEY,
        network_id            TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        as_of                 TEXT NOT NULL,
        model                 TEXT NOT NULL,
        weight_table_id       TEXT NOT NULL,
        weight_table_version  TEXT NOT NULL,
        score                 REAL NOT NULL,
        eh_pts                REAL NOT NULL,
        ah_pts                REAL NOT NULL,
        cap_pts               REAL NOT NULL,
        band                  TEXT NOT NULL,
        effective_band        TEXT NOT NULL,
        confidence            TEXT NOT NULL,
        computed_at           TEXT NOT NULL
      ) STRICT;
      CREATE INDEX score_history_network ON score_history(network_id, id);
    `);
  },
};

export default migration;
