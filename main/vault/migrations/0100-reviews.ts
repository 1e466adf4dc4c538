import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';

/**
 * Reviews (docs/specification.md, "Governance the software enforces"; main/services/reviews.service.ts).
 * One row per review of a member link, a gang flag or a network: what was reviewed (kind and id),
 * the UK day and instant, the reviewer (a user id), the outcome (retain or end), the reason, the
 * policy version it was judged under, the next review date set (null when ended) and whether a
 * supervisor retained it without the evidence the policy asks for (counted by the data-quality
 * figures). The intelligence re-checked is one row per item in review_intelligence; an erased
 * item's rows go with it, and erasing the record reviewed takes its reviews.
 */
const migration: Migration = {
  version: 100,
  name: 'reviews',
  up(db: Database.Database) {
    db.exec(`
      CREATE TABLE reviews (
        id                         TEXT PRIMARY KEY,
        subject_kind               TEXT NOT NULL CHECK (subject_kind IN ('membership','gang_flag','network')),
        subject_id                 TEXT NOT NULL,
        reviewed_on                TEXT NOT NULL,
        reviewed_at                TEXT NOT NULL,
        reviewer_id                TEXT NOT NULL REFERENCES users(id),
        outcome                    TEXT NOT NULL CHECK (outcome IN ('retain','end')),
        reason                     TEXT NOT NULL,
        retained_without_evidence  INTEGER NOT NULL DEFAULT 0 CHECK (retained_without_evidence IN (0,1)),
        next_review_on             TEXT,
        policy_version             TEXT NOT NULL,
        CHECK (outcome = 'retain' OR (next_review_on IS NULL AND retained_without_evidence = 0))
      ) STRICT;
      CREATE INDEX reviews_subject ON reviews(subject_kind, subject_id, reviewed_at);
      CREATE TABLE review_intelligence (
        review_id  TEXT NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
        intel_id   TEXT NOT NULL REFERENCES intelligence(id) ON DELETE CASCADE,
        PRIMARY KEY (review_id, intel_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX review_intelligence_intel ON review_intelligence(intel_id);
    `);
  },
};

export default migration;
