import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';

/**
 * Scoring digests (main/domain/scoring-digest.ts): three small rows per network (its offences, the
 * intelligence held against it or cited by its links, its ratings) holding everything hm-1 needs
 * to score it on any as-of date, so a full rescore reads 5,000 digests rather than every offence, link and intelligence
 * item (BENCHMARKS.md, "Scoring digests").
 *
 * A digest part that exists is current. The triggers below delete a network's part in the same
 * statement as any change to what it summarises, whoever makes the change: a service, an import
 * or a later migration. The offence part goes with a change to an offence or a confirmed offence
 * link; the intelligence part with a change to a confirmed offence link, the items an offence link
 * cites, the items held against the network or an item itself (grade, date or source); the
 * ratings part with a change to a rating, its support or a supporting item (a proposed or
 * rejected offence link feeds no score, so it invalidates nothing). The next rescore of that
 * network builds the missing part again from the rows: an offence's stage changed rebuilds only
 * the offence part, a rating only the ratings part. Each deletion also
 * counts in `scoring_digest_state`, so a digest built outside the write transaction (by the
 * rescore worker, from an older snapshot) is stored only when nothing has been invalidated since
 * that snapshot.
 *
 * Vaults from before this migration simply have no digests yet: the first rescore builds them.
 */
const migration: Migration = {
  version: 40,
  name: 'scoring-digests',
  up(db: Database.Database) {
    db.exec(`
      -- The offence part: every offence with a confirmed link, packed.
      CREATE TABLE scoring_digest_offences (
        network_id  TEXT PRIMARY KEY REFERENCES networks(id) ON DELETE CASCADE,
        format      INTEGER NOT NULL,
        -- Offence category ids used, as a JSON array; each packed offence holds an index into it.
        categories  TEXT NOT NULL,
        -- 8 bytes per offence, in offence-id order: epoch day (int32 LE), category index
        -- (uint16 LE), evidential stage code (uint8), weapon code (uint8).
        offences    BLOB NOT NULL
      ) STRICT;

      -- The intelligence part: qualifying confidence items (3x5x2, source 1-2, intelligence A-B)
      -- held against the network or cited by its confirmed offence links, as epoch days: the first
      -- day one is held, the source of the earliest, the first day two sources are held.
      CREATE TABLE scoring_digest_intelligence (
        network_id  TEXT PRIMARY KEY REFERENCES networks(id) ON DELETE CASCADE,
        format      INTEGER NOT NULL,
        held_from   INTEGER,
        held_source TEXT,
        held_two_from INTEGER
      ) STRICT;

      -- The ratings part: the ten ratings and the first day each assessed one is supported (JSON),
      -- and the same three facts as above for the qualifying items supporting any rating.
      CREATE TABLE scoring_digest_ratings (
        network_id        TEXT PRIMARY KEY REFERENCES networks(id) ON DELETE CASCADE,
        format            INTEGER NOT NULL,
        ratings           TEXT NOT NULL,
        support_from      INTEGER,
        support_source    TEXT,
        support_two_from  INTEGER
      ) STRICT;

      -- Each network's confirmed offences, the columns scoring reads, kept together (clustered by
      -- network, then offence id) by the triggers below: rebuilding one network's offence part
      -- reads one short range instead of finding each offence in a table clustered by offence id
      -- (BENCHMARKS.md, "Scoring digests": the cold read of the largest network).
      CREATE TABLE network_offences (
        network_id    TEXT NOT NULL,
        offence_id    TEXT NOT NULL,
        category      TEXT NOT NULL,
        offence_date  TEXT NOT NULL,
        stage         TEXT NOT NULL,
        weapon        TEXT NOT NULL,
        PRIMARY KEY (network_id, offence_id)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO network_offences (network_id, offence_id, category, offence_date, stage, weapon)
        SELECT l.network_id, o.id, o.category, o.offence_date, o.stage, o.weapon
          FROM offence_links l JOIN offences o ON o.id = l.offence_id WHERE l.status = 'confirmed'
          ORDER BY l.network_id, o.id;

      CREATE TRIGGER network_offences_link_insert AFTER INSERT ON offence_links WHEN NEW.status = 'confirmed' BEGIN
        INSERT INTO network_offences (network_id, offence_id, category, offence_date, stage, weapon)
          SELECT NEW.network_id, o.id, o.category, o.offence_date, o.stage, o.weapon FROM offences o WHERE o.id = NEW.offence_id;
      END;
      CREATE TRIGGER network_offences_link_update AFTER UPDATE ON offence_links BEGIN
        DELETE FROM network_offences WHERE network_id = OLD.network_id AND offence_id = OLD.offence_id;
        INSERT INTO network_offences (network_id, offence_id, category, offence_date, stage, weapon)
          SELECT NEW.network_id, o.id, o.category, o.offence_date, o.stage, o.weapon FROM offences o WHERE o.id = NEW.offence_id AND NEW.status = 'confirmed';
      END;
      CREATE TRIGGER network_offences_link_delete AFTER DELETE ON offence_links BEGIN
        DELETE FROM network_offences WHERE network_id = OLD.network_id AND offence_id = OLD.offence_id;
      END;
      CREATE TRIGGER network_offences_offence_update AFTER UPDATE ON offences BEGIN
        DELETE FROM network_offences WHERE offence_id = OLD.id AND network_id IN (SELECT network_id FROM offence_links WHERE offence_id = OLD.id);
        INSERT INTO network_offences (network_id, offence_id, category, offence_date, stage, weapon)
          SELECT l.network_id, NEW.id, NEW.category, NEW.offence_date, NEW.stage, NEW.weapon FROM offence_links l WHERE l.offence_id = NEW.id AND l.status = 'confirmed';
      END;
      CREATE TRIGGER network_offences_offence_delete AFTER DELETE ON offences BEGIN
        DELETE FROM network_offences WHERE offence_id = OLD.id AND network_id IN (SELECT network_id FROM offence_links WHERE offence_id = OLD.id);
      END;

      CREATE TABLE scoring_digest_state (
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        invalidations  INTEGER NOT NULL
      ) STRICT;
      INSERT INTO scoring_digest_state (id, invalidations) VALUES (1, 0);

      -- Finding the networks an intelligence item reaches, when the item changes.
      CREATE INDEX offence_link_intelligence_intel ON offence_link_intelligence(intel_id);
      CREATE INDEX rating_support_intel ON rating_support(intel_id);

      CREATE TRIGGER digest_offence_update AFTER UPDATE ON offences BEGIN
        DELETE FROM scoring_digest_offences WHERE network_id IN (SELECT network_id FROM offence_links WHERE offence_id IN (OLD.id, NEW.id));
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
      CREATE TRIGGER digest_offence_delete AFTER DELETE ON offences BEGIN
        DELETE FROM scoring_digest_offences WHERE network_id IN (SELECT network_id FROM offence_links WHERE offence_id = OLD.id);
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;

      -- A confirmed link brings its offence and the items it cites; a proposed or rejected one feeds nothing.
      CREATE TRIGGER digest_offence_link_insert AFTER INSERT ON offence_links WHEN NEW.status = 'confirmed' BEGIN
        DELETE FROM scoring_digest_offences WHERE network_id = NEW.network_id;
        DELETE FROM scoring_digest_intelligence WHERE network_id = NEW.network_id;
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
      CREATE TRIGGER digest_offence_link_update AFTER UPDATE ON offence_links WHEN OLD.status = 'confirmed' OR NEW.status = 'confirmed' BEGIN
        DELETE FROM scoring_digest_offences WHERE network_id IN (OLD.network_id, NEW.network_id);
        DELETE FROM scoring_digest_intelligence WHERE network_id IN (OLD.network_id, NEW.network_id);
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
      CREATE TRIGGER digest_offence_link_delete AFTER DELETE ON offence_links WHEN OLD.status = 'confirmed' BEGIN
        DELETE FROM scoring_digest_offences WHERE network_id = OLD.network_id;
        DELETE FROM scoring_digest_intelligence WHERE network_id = OLD.network_id;
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;

      CREATE TRIGGER digest_link_intel_insert AFTER INSERT ON offence_link_intelligence BEGIN
        DELETE FROM scoring_digest_intelligence WHERE network_id IN (SELECT network_id FROM offence_links WHERE id = NEW.link_id);
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
      CREATE TRIGGER digest_link_intel_update AFTER UPDATE ON offence_link_intelligence BEGIN
        DELETE FROM scoring_digest_intelligence WHERE network_id IN (SELECT network_id FROM offence_links WHERE id IN (OLD.link_id, NEW.link_id));
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
      CREATE TRIGGER digest_link_intel_delete AFTER DELETE ON offence_link_intelligence BEGIN
        DELETE FROM scoring_digest_intelligence WHERE network_id IN (SELECT network_id FROM offence_links WHERE id = OLD.link_id);
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;

      CREATE TRIGGER digest_network_intel_insert AFTER INSERT ON network_intelligence BEGIN
        DELETE FROM scoring_digest_intelligence WHERE network_id = NEW.network_id;
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
      CREATE TRIGGER digest_network_intel_update AFTER UPDATE ON network_intelligence BEGIN
        DELETE FROM scoring_digest_intelligence WHERE network_id IN (OLD.network_id, NEW.network_id);
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
      CREATE TRIGGER digest_network_intel_delete AFTER DELETE ON network_intelligence BEGIN
        DELETE FROM scoring_digest_intelligence WHERE network_id = OLD.network_id;
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;

      -- An item regraded, redated or re-sourced: every network it reaches, by either route.
      CREATE TRIGGER digest_intel_update AFTER UPDATE ON intelligence BEGIN
        DELETE FROM scoring_digest_intelligence WHERE network_id IN (
          SELECT network_id FROM network_intelligence WHERE intel_id IN (OLD.id, NEW.id)
          UNION SELECT l.network_id FROM offence_link_intelligence li JOIN offence_links l ON l.id = li.link_id WHERE li.intel_id IN (OLD.id, NEW.id));
        DELETE FROM scoring_digest_ratings WHERE network_id IN (SELECT network_id FROM rating_support WHERE intel_id IN (OLD.id, NEW.id));
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;

      CREATE TRIGGER digest_rating_insert AFTER INSERT ON ratings BEGIN
        DELETE FROM scoring_digest_ratings WHERE network_id = NEW.network_id;
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
      CREATE TRIGGER digest_rating_update AFTER UPDATE ON ratings BEGIN
        DELETE FROM scoring_digest_ratings WHERE network_id IN (OLD.network_id, NEW.network_id);
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
      CREATE TRIGGER digest_rating_delete AFTER DELETE ON ratings BEGIN
        DELETE FROM scoring_digest_ratings WHERE network_id = OLD.network_id;
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
      CREATE TRIGGER digest_rating_support_insert AFTER INSERT ON rating_support BEGIN
        DELETE FROM scoring_digest_ratings WHERE network_id = NEW.network_id;
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
      CREATE TRIGGER digest_rating_support_update AFTER UPDATE ON rating_support BEGIN
        DELETE FROM scoring_digest_ratings WHERE network_id IN (OLD.network_id, NEW.network_id);
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
      CREATE TRIGGER digest_rating_support_delete AFTER DELETE ON rating_support BEGIN
        DELETE FROM scoring_digest_ratings WHERE network_id = OLD.network_id;
        UPDATE scoring_digest_state SET invalidations = invalidations + 1;
      END;
    `);
  },
};

export default migration;
