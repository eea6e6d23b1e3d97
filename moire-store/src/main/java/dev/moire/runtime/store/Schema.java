package dev.moire.runtime.store;

import java.util.List;

/** The store's schema, version {@value #VERSION}, kept in SQLite's {@code user_version}. */
final class Schema {
  static final int VERSION = 2;

  private Schema() {}

  /**
   * From version 1: each JVM's run row learns which run of the build it belongs to ({@link
   * RunIdentity}) and the commit; rows of version 1 keep an empty build, a run of their own.
   */
  static final List<String> FROM_1 =
      List.of(
          "ALTER TABLE runs ADD COLUMN build TEXT NOT NULL DEFAULT ''",
          "ALTER TABLE runs ADD COLUMN commit_sha TEXT");

  static final List<String> CREATE =
      List.of(
          """
          CREATE TABLE runs (
            run_id INTEGER PRIMARY KEY,
            process TEXT NOT NULL,
            pid INTEGER NOT NULL,
            started_at_ms INTEGER NOT NULL,
            build TEXT NOT NULL DEFAULT '',
            commit_sha TEXT,
            UNIQUE (process, pid, started_at_ms, build))""",
          """
          CREATE TABLE tests (
            test_id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            name TEXT NOT NULL,
            UNIQUE (run_id, name))""",
          """
          CREATE TABLE snapshots (
            snapshot_id INTEGER PRIMARY KEY,
            test_id INTEGER NOT NULL REFERENCES tests(test_id),
            reason TEXT NOT NULL,
            seq INTEGER NOT NULL,
            at_ns INTEGER NOT NULL,
            taken_at_ms INTEGER NOT NULL,
            message TEXT NOT NULL DEFAULT '',
            test_duration_ms INTEGER)""",
          """
          CREATE TABLE entities (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(snapshot_id),
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            source_file TEXT NOT NULL,
            source_line INTEGER NOT NULL,
            source_class TEXT NOT NULL,
            source_method TEXT NOT NULL,
            birth_ns INTEGER NOT NULL,
            body_json TEXT NOT NULL,
            attrs_json TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, id))""",
          """
          CREATE TABLE edges (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(snapshot_id),
            src_id TEXT NOT NULL,
            dst_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            timed INTEGER NOT NULL,
            since_ns INTEGER NOT NULL,
            source_json TEXT,
            attrs_json TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, src_id, dst_id, kind))""",
          """
          CREATE TABLE scopes (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(snapshot_id),
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            source_json TEXT NOT NULL,
            birth_ns INTEGER NOT NULL,
            PRIMARY KEY (snapshot_id, id))""",
          """
          CREATE TABLE entity_scopes (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(snapshot_id),
            entity_id TEXT NOT NULL,
            scope_id TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, entity_id, scope_id))""",
          """
          CREATE TABLE events (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(snapshot_id),
            event_id INTEGER NOT NULL,
            target_kind TEXT NOT NULL,
            target_id TEXT NOT NULL,
            at_ns INTEGER NOT NULL,
            kind TEXT NOT NULL,
            event_json TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, event_id))""",
          """
          CREATE TABLE threads (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(snapshot_id),
            thread_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            state TEXT NOT NULL,
            entity_id TEXT,
            thread_json TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, thread_id))""",
          """
          CREATE TABLE changes (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(snapshot_id),
            seq INTEGER NOT NULL,
            at_ns INTEGER NOT NULL,
            kind TEXT NOT NULL,
            change_json TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, seq))""",
          """
          CREATE TABLE findings (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(snapshot_id),
            ordinal INTEGER NOT NULL,
            kind TEXT NOT NULL,
            certainty TEXT NOT NULL,
            explanation TEXT NOT NULL,
            finding_json TEXT NOT NULL,
            PRIMARY KEY (snapshot_id, ordinal))""",
          """
          CREATE TABLE snapshot_meta (
            snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots(snapshot_id),
            runtime_json TEXT NOT NULL)""",
          // Seed 000's validation queries read "nodes"; entities are its nodes.
          "CREATE VIEW nodes AS SELECT snapshot_id, id, kind, name, attrs_json FROM entities",
          "CREATE INDEX edges_by_kind ON edges (snapshot_id, kind)",
          "CREATE INDEX snapshots_by_test ON snapshots (test_id)");
}
