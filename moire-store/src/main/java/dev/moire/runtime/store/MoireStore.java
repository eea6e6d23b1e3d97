package dev.moire.runtime.store;

import dev.moire.model.Change;
import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.Event;
import dev.moire.model.PTime;
import dev.moire.model.RuntimeInfo;
import dev.moire.model.Scope;
import dev.moire.model.ScopeId;
import dev.moire.model.ScopeKind;
import dev.moire.model.ScopeLink;
import dev.moire.model.Snapshot;
import dev.moire.model.Source;
import dev.moire.model.ThreadSnapshot;
import dev.moire.model.findings.Finding;
import dev.moire.model.internal.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The SQLite store of snapshots, with their recent journal and findings. Several JVMs (Surefire
 * forks, CI shards) may write one file at once: it runs in WAL mode with a busy timeout, and every
 * snapshot is written in one {@code BEGIN IMMEDIATE} transaction, so writers queue for the write
 * lock instead of failing.
 *
 * <p>Every snapshot row carries {@code snapshot_id}; entities and edges have {@code kind} and
 * {@code attrs_json} (body fields plus derived attributes: {@code bounded}, {@code utilization},
 * {@code age_ns}, {@code receiver_count}, {@code state}), edges {@code src_id} and {@code dst_id},
 * and the {@code nodes} view answers seed 000's validation queries. The schema version is SQLite's
 * {@code user_version}; a file of a newer version, a file that is not SQLite, or a damaged one is
 * refused with a message naming it, and never overwritten.
 *
 * <pre>{@code
 * try (MoireStore store = MoireStore.open(Path.of("target/moire/moire.db"))) {
 *   long id = store.save("OrdersTest.drains()", "deadlock", snapshot, journal, findings);
 *   Snapshot back = store.snapshot(id); // equals snapshot
 * }
 * }</pre>
 */
public final class MoireStore implements AutoCloseable {
  private static final byte[] SQLITE_MAGIC =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
  private static final int BUSY_TIMEOUT_MS = 60_000;

  private final Path file;
  private final Connection connection;

  /**
   * The run this JVM's snapshots are stored under, worked out when the first is (a store opened to
   * be read never asks).
   */
  private final Supplier<RunIdentity> run;

  /** The file's schema version, as read when it was opened (after any upgrade). */
  private int version = Schema.VERSION;

  private MoireStore(Path file, Connection connection, Supplier<RunIdentity> run) {
    this.file = file;
    this.connection = connection;
    this.run = run;
  }

  /**
   * Opens the store at {@code file}, creating it (and its directories) if missing; snapshots are
   * stored under this JVM's run ({@link RunIdentity#current()}).
   *
   * @throws StoreException if the file is not a moire store this version can use
   */
  public static MoireStore open(Path file) {
    return open(file, RunIdentity.current());
  }

  /**
   * Opens the store at {@code file} as {@link #open(Path)} does, storing snapshots under {@code
   * run}: for a harness that knows its run better than this JVM's surroundings say.
   *
   * @throws StoreException if the file is not a moire store this version can use
   */
  public static MoireStore open(Path file, RunIdentity run) {
    Checks.notNull(file, "store file");
    Checks.notNull(run, "run");
    Path path = file.toAbsolutePath();
    checkHeader(path);
    try {
      Path parent = path.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the directory of moire store " + path + ": " + e, e);
    }
    Properties props = new Properties();
    props.setProperty("transaction_mode", "IMMEDIATE");
    return connect(path, props, () -> run, MoireStore::prepare);
  }

  /** Connects to the file with {@code props} and checks the store, closing it if that fails. */
  private static MoireStore connect(
      Path path,
      Properties props,
      Supplier<RunIdentity> run,
      java.util.function.Consumer<MoireStore> check) {
    props.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
    Connection c;
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + path, props);
    } catch (SQLException e) {
      throw new StoreException("cannot open moire store " + path + ": " + e.getMessage(), e);
    }
    MoireStore store = new MoireStore(path, c, run);
    try {
      check.accept(store);
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Opens an existing store to read it, never writing to the file: what the report command does
   * with the files it is given. A file that is not a moire store (missing, empty, not SQLite, an
   * SQLite database without moire's tables, a newer moire's) is refused with a message that says
   * which, and left byte for byte as it was.
   *
   * @throws StoreException if the file is not a moire store this version can read
   */
  public static MoireStore openReadOnly(Path file) {
    Checks.notNull(file, "store file");
    Path path = file.toAbsolutePath();
    if (!Files.isRegularFile(path)) {
      throw new StoreException("no moire store at " + path);
    }
    try {
      if (Files.size(path) == 0) {
        throw new StoreException(
            path + " is an empty file, not a moire store; it was left untouched");
      }
    } catch (IOException e) {
      throw new StoreException("cannot read moire store " + path + ": " + e, e);
    }
    checkHeader(path);
    Properties props = new Properties();
    props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY: the driver never writes
    return connect(path, props, RunIdentity::current, MoireStore::checkReadable);
  }

  /** Refuses a store written by a newer moire, whose schema this one does not know. */
  private void checkNotNewer(int version) {
    if (version > Schema.VERSION) {
      throw new StoreException(
          "moire store "
              + file
              + " has schema version "
              + version
              + ", newer than this moire understands ("
              + Schema.VERSION
              + "); open it with a newer moire. It was left untouched");
    }
  }

  /** Checks, reading only, that the file holds a moire store of a version this moire reads. */
  private void checkReadable() {
    try (Statement s = connection.createStatement()) {
      int version;
      try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        version = rs.getInt(1);
      }
      boolean hasSnapshots;
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'snapshots'")) {
        hasSnapshots = rs.getInt(1) == 1;
      }
      if (version == 0 || !hasSnapshots) {
        throw new StoreException(
            file
                + " is an SQLite database but not a moire store (it has none of moire's tables);"
                + " it was left untouched");
      }
      checkNotNewer(version);
      this.version = version;
    } catch (SQLException e) {
      throw new StoreException(
          "moire store "
              + file
              + " cannot be read: "
              + e.getMessage()
              + " (it may be damaged or truncated; it was left untouched)",
          e);
    }
  }

  /** Returns the store's file. */
  public Path file() {
    return file;
  }

  private static void checkHeader(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try {
      long size = Files.size(path);
      if (size == 0) {
        // A store another JVM is creating this moment (SQLite makes the file, then the schema):
        // to be shared, not refused. The report command, which only reads, refuses empty files.
        return;
      }
      byte[] head = new byte[SQLITE_MAGIC.length];
      int n;
      try (InputStream in = Files.newInputStream(path)) {
        n = in.readNBytes(head, 0, head.length);
      }
      if (n < head.length || !Arrays.equals(head, SQLITE_MAGIC)) {
        throw new StoreException(
            "moire store "
                + path
                + " is not an SQLite database (its first bytes are not an"
                + " SQLite header); it was left untouched");
      }
      if (size < 512) {
        throw StoreException.damaged(
            "moire store " + path + " is truncated (" + size + " bytes); it was left untouched",
            new IllegalStateException("truncated"));
      }
    } catch (IOException e) {
      throw new StoreException("cannot read moire store " + path + ": " + e, e);
    }
  }

  private void prepare() {
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
      int version;
      try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        version = rs.getInt(1);
      }
      checkNotNewer(version);
      if (version == 0) { // before anything is written: the file may be another application's
        // One statement, so one consistent read: another JVM may be creating moire's tables
        // (with the version) this moment, and a file with tables but not moire's is foreign.
        try (ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table'),"
                    + " (SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                    + " AND name = 'snapshots')")) {
          if (rs.getInt(1) > 0 && rs.getInt(2) == 0) {
            throw new StoreException(
                file
                    + " is an SQLite database but not a moire store (it has tables of its own and"
                    + " none of moire's); it was left untouched: point moire.store elsewhere");
          }
        }
      }
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
        rs.next();
      }
      // In WAL mode NORMAL never corrupts the file; a power cut may lose only the last commit.
      s.execute("PRAGMA synchronous = NORMAL");
      if (version < Schema.VERSION) {
        createSchema();
      }
      try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
        String verdict = rs.next() ? rs.getString(1) : "no answer";
        if (!"ok".equals(verdict)) {
          throw StoreException.damaged(
              "moire store " + file + " is damaged (" + verdict + "); it was left untouched",
              new IllegalStateException(verdict));
        }
      }
    } catch (SQLException e) {
      throw StoreException.damaged(
          "moire store "
              + file
              + " cannot be used: "
              + e.getMessage()
              + " (it may be damaged or truncated; it was left untouched)",
          e);
    }
  }

  private void createSchema() throws SQLException {
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      int version;
      try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        version = rs.getInt(1);
      }
      // Another JVM may have created or upgraded it while this one waited for the lock.
      if (version == 0) {
        for (String ddl : Schema.CREATE) {
          s.execute(ddl);
        }
        s.execute("PRAGMA user_version = " + Schema.VERSION);
      } else if (version == 1) {
        for (String ddl : Schema.FROM_1) {
          s.execute(ddl); // a store moire wrote, upgraded in place: it is moire's own file
        }
        s.execute("PRAGMA user_version = " + Schema.VERSION);
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /**
   * Stores a snapshot of a test, with its recent journal and its findings, in one transaction.
   *
   * @return the new snapshot's id
   * @throws StoreException if the write fails
   */
  public long save(
      String test, String reason, Snapshot snapshot, List<Change> journal, List<Finding> findings) {
    return save(SnapshotLabel.of(test, reason), snapshot, journal, findings);
  }

  /**
   * Stores a snapshot with its label (test, reason, failure message, duration), its recent journal
   * and its findings, in one transaction.
   *
   * @return the new snapshot's id
   * @throws StoreException if the write fails
   */
  public synchronized long save(
      SnapshotLabel label, Snapshot snapshot, List<Change> journal, List<Finding> findings) {
    Checks.notNull(label, "label");
    Checks.notNull(snapshot, "snapshot");
    Checks.notNull(journal, "journal");
    Checks.notNull(findings, "findings");
    try {
      connection.setAutoCommit(false);
      try {
        long runId = runId(snapshot.runtime());
        long testId = testId(runId, label.test());
        long snapshotId = insertSnapshot(testId, label, snapshot);
        insertRows(snapshotId, snapshot, journal, findings);
        connection.commit();
        return snapshotId;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot write to moire store " + file + ": " + e.getMessage(), e);
    }
  }

  private long runId(RuntimeInfo info) throws SQLException {
    RunIdentity run = this.run.get();
    try (PreparedStatement ins =
        connection.prepareStatement(
            "INSERT OR IGNORE INTO runs (process, pid, started_at_ms, build, commit_sha)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      ins.setString(1, info.process());
      ins.setLong(2, info.pid());
      ins.setLong(3, info.startedAtEpochMillis());
      ins.setString(4, run.id());
      ins.setString(5, run.commit().orElse(null));
      ins.executeUpdate();
    }
    try (PreparedStatement q =
        connection.prepareStatement(
            "SELECT run_id FROM runs WHERE process = ? AND pid = ? AND started_at_ms = ?"
                + " ORDER BY build = ? DESC, run_id LIMIT 1")) {
      q.setString(1, info.process());
      q.setLong(2, info.pid());
      q.setLong(3, info.startedAtEpochMillis());
      q.setString(4, run.id());
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long testId(long runId, String test) throws SQLException {
    try (PreparedStatement ins =
        connection.prepareStatement("INSERT OR IGNORE INTO tests (run_id, name) VALUES (?, ?)")) {
      ins.setLong(1, runId);
      ins.setString(2, test);
      ins.executeUpdate();
    }
    try (PreparedStatement q =
        connection.prepareStatement("SELECT test_id FROM tests WHERE run_id = ? AND name = ?")) {
      q.setLong(1, runId);
      q.setString(2, test);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long insertSnapshot(long testId, SnapshotLabel label, Snapshot s) throws SQLException {
    try (PreparedStatement ins =
        connection.prepareStatement(
            "INSERT INTO snapshots (test_id, reason, seq, at_ns, taken_at_ms, message,"
                + " test_duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      ins.setLong(1, testId);
      ins.setString(2, label.reason());
      ins.setLong(3, s.seq());
      ins.setLong(4, s.at().nanos());
      ins.setLong(5, System.currentTimeMillis());
      ins.setString(6, label.message());
      if (label.testDuration().isPresent()) {
        ins.setLong(7, label.testDuration().get().toMillis());
      } else {
        ins.setNull(7, java.sql.Types.INTEGER);
      }
      ins.executeUpdate();
      try (ResultSet keys = ins.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  private void insertRows(long id, Snapshot s, List<Change> journal, List<Finding> findings)
      throws SQLException {
    try (PreparedStatement meta =
        connection.prepareStatement(
            "INSERT INTO snapshot_meta (snapshot_id, runtime_json) VALUES (?, ?)")) {
      meta.setLong(1, id);
      meta.setString(2, MoireJson.write(s.runtime()));
      meta.executeUpdate();
    }
    try (MultiInsert ins = new MultiInsert(connection, "entities", 11)) {
      Map<EntityId, Long> receivers = DerivedAttributes.receiverCounts(s);
      for (Entity e : s.entities()) {
        String body = MoireJson.write(e.body());
        ins.add(
            id,
            e.id().value(),
            e.kind().wireName(),
            e.name(),
            e.source().file(),
            e.source().line(),
            e.source().className(),
            e.source().method(),
            e.birth().nanos(),
            body,
            DerivedAttributes.json(e, body, s, receivers));
      }
    }
    try (MultiInsert ins = new MultiInsert(connection, "edges", 8)) {
      for (Edge e : s.edges()) {
        ins.add(
            id,
            e.src().value(),
            e.dst().value(),
            e.kind().wireName(),
            e.timed() ? 1 : 0,
            e.since().nanos(),
            e.source().map(MoireJson::write).orElse(null),
            "{\"timed\":"
                + e.timed()
                + ",\"age_ns\":"
                + Math.max(0, s.at().nanos() - e.since().nanos())
                + "}");
      }
    }
    try (PreparedStatement ins =
        connection.prepareStatement("INSERT INTO scopes VALUES (?, ?, ?, ?, ?, ?)")) {
      for (Scope sc : s.scopes()) {
        ins.setLong(1, id);
        ins.setString(2, sc.id().value());
        ins.setString(3, sc.name());
        ins.setString(4, sc.kind().wireName());
        ins.setString(5, MoireJson.write(sc.source()));
        ins.setLong(6, sc.birth().nanos());
        ins.addBatch();
      }
      ins.executeBatch();
    }
    try (PreparedStatement ins =
        connection.prepareStatement("INSERT INTO entity_scopes VALUES (?, ?, ?)")) {
      for (ScopeLink l : s.links()) {
        ins.setLong(1, id);
        ins.setString(2, l.entity().value());
        ins.setString(3, l.scope().value());
        ins.addBatch();
      }
      ins.executeBatch();
    }
    try (PreparedStatement ins =
        connection.prepareStatement("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (Event e : s.events()) {
        ins.setLong(1, id);
        ins.setLong(2, e.id());
        ins.setString(3, e.target().kind().wireName());
        ins.setString(4, e.target().id());
        ins.setLong(5, e.at().nanos());
        ins.setString(6, e.body().kindName());
        ins.setString(7, MoireJson.write(e));
        ins.addBatch();
      }
      ins.executeBatch();
    }
    try (PreparedStatement ins =
        connection.prepareStatement("INSERT INTO threads VALUES (?, ?, ?, ?, ?, ?)")) {
      for (ThreadSnapshot t : s.threads()) {
        ins.setLong(1, id);
        ins.setLong(2, t.threadId());
        ins.setString(3, t.name());
        ins.setString(4, t.state().name());
        ins.setString(5, t.entity().map(EntityId::value).orElse(null));
        ins.setString(6, MoireJson.write(t));
        ins.addBatch();
      }
      ins.executeBatch();
    }
    try (PreparedStatement ins =
        connection.prepareStatement("INSERT INTO changes VALUES (?, ?, ?, ?, ?)")) {
      for (Change c : journal) {
        ins.setLong(1, id);
        ins.setLong(2, c.seq());
        ins.setLong(3, c.at().nanos());
        ins.setString(4, c.body().kindName());
        ins.setString(5, MoireJson.write(c));
        ins.addBatch();
      }
      ins.executeBatch();
    }
    try (PreparedStatement ins =
        connection.prepareStatement("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?)")) {
      int ordinal = 0;
      for (Finding f : findings) {
        ins.setLong(1, id);
        ins.setInt(2, ordinal++);
        ins.setString(3, f.kind().wireName());
        ins.setString(4, f.certainty().wireName());
        ins.setString(5, f.explanation());
        ins.setString(6, MoireJson.write(f));
        ins.addBatch();
      }
      ins.executeBatch();
    }
  }

  /**
   * Reads a stored snapshot back; it equals the one saved.
   *
   * @throws StoreException if there is no such snapshot or the read fails
   */
  public synchronized Snapshot snapshot(long snapshotId) {
    try {
      RuntimeInfo runtime;
      long seq;
      long at;
      try (PreparedStatement q =
          connection.prepareStatement(
              "SELECT s.seq, s.at_ns, m.runtime_json FROM snapshots s JOIN snapshot_meta m"
                  + " USING (snapshot_id) WHERE snapshot_id = ?")) {
        q.setLong(1, snapshotId);
        try (ResultSet rs = q.executeQuery()) {
          if (!rs.next()) {
            throw new StoreException("moire store " + file + " has no snapshot " + snapshotId);
          }
          seq = rs.getLong(1);
          at = rs.getLong(2);
          runtime = MoireJson.read(rs.getString(3), RuntimeInfo.class);
        }
      }
      List<Entity> entities = new ArrayList<>();
      query(
          "SELECT id, name, source_file, source_line, source_class, source_method, birth_ns,"
              + " body_json FROM entities WHERE snapshot_id = ? ORDER BY id",
          snapshotId,
          rs ->
              entities.add(
                  new Entity(
                      EntityId.of(rs.getString(1)),
                      rs.getString(2),
                      new Source(rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6)),
                      PTime.ofNanos(rs.getLong(7)),
                      MoireJson.read(rs.getString(8), EntityBody.class))));
      List<Edge> edges = new ArrayList<>();
      query(
          "SELECT src_id, dst_id, kind, timed, since_ns, source_json FROM edges WHERE snapshot_id"
              + " = ? ORDER BY src_id, dst_id, kind",
          snapshotId,
          rs -> {
            String source = rs.getString(6);
            edges.add(
                new Edge(
                    EntityId.of(rs.getString(1)),
                    EntityId.of(rs.getString(2)),
                    EdgeKind.fromWireName(rs.getString(3)),
                    rs.getInt(4) != 0,
                    PTime.ofNanos(rs.getLong(5)),
                    source == null
                        ? Optional.empty()
                        : Optional.of(MoireJson.read(source, Source.class))));
          });
      edges.sort(java.util.Comparator.comparing(Edge::key));
      List<Scope> scopes = new ArrayList<>();
      query(
          "SELECT id, name, kind, source_json, birth_ns FROM scopes WHERE snapshot_id = ? ORDER BY id",
          snapshotId,
          rs ->
              scopes.add(
                  new Scope(
                      ScopeId.of(rs.getString(1)),
                      rs.getString(2),
                      scopeKind(rs.getString(3)),
                      MoireJson.read(rs.getString(4), Source.class),
                      PTime.ofNanos(rs.getLong(5)))));
      List<ScopeLink> links = new ArrayList<>();
      query(
          "SELECT entity_id, scope_id FROM entity_scopes WHERE snapshot_id = ?"
              + " ORDER BY entity_id, scope_id",
          snapshotId,
          rs ->
              links.add(new ScopeLink(EntityId.of(rs.getString(1)), ScopeId.of(rs.getString(2)))));
      List<Event> events = new ArrayList<>();
      query(
          "SELECT event_json FROM events WHERE snapshot_id = ? ORDER BY event_id",
          snapshotId,
          rs -> events.add(MoireJson.read(rs.getString(1), Event.class)));
      List<ThreadSnapshot> threads = new ArrayList<>();
      query(
          "SELECT thread_json FROM threads WHERE snapshot_id = ? ORDER BY thread_id",
          snapshotId,
          rs -> threads.add(MoireJson.read(rs.getString(1), ThreadSnapshot.class)));
      return new Snapshot(
          runtime, seq, PTime.ofNanos(at), entities, scopes, links, edges, events, threads);
    } catch (SQLException e) {
      throw new StoreException("cannot read moire store " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads the journal stored with a snapshot, oldest change first. */
  public synchronized List<Change> journal(long snapshotId) {
    List<Change> out = new ArrayList<>();
    try {
      query(
          "SELECT change_json FROM changes WHERE snapshot_id = ? ORDER BY seq",
          snapshotId,
          rs -> out.add(MoireJson.read(rs.getString(1), Change.class)));
    } catch (SQLException e) {
      throw new StoreException("cannot read moire store " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Reads the findings stored with a snapshot, in their order. */
  public synchronized List<Finding> findings(long snapshotId) {
    List<Finding> out = new ArrayList<>();
    try {
      query(
          "SELECT finding_json FROM findings WHERE snapshot_id = ? ORDER BY ordinal",
          snapshotId,
          rs -> out.add(MoireJson.read(rs.getString(1), Finding.class)));
    } catch (SQLException e) {
      throw new StoreException("cannot read moire store " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Lists the stored snapshots, oldest first. */
  public synchronized List<StoredSnapshot> snapshots() {
    List<StoredSnapshot> out = new ArrayList<>();
    try (PreparedStatement q =
            connection.prepareStatement(
                "SELECT s.snapshot_id, r.process, t.name, s.reason, s.taken_at_ms,"
                    + " (SELECT COUNT(*) FROM entities e WHERE e.snapshot_id = s.snapshot_id),"
                    + " s.message, s.test_duration_ms, r.run_id, r.pid, r.started_at_ms,"
                    + (version >= 2 ? " r.build, r.commit_sha" : " '', NULL")
                    + " FROM snapshots s JOIN tests t USING (test_id) JOIN runs r USING (run_id)"
                    + " ORDER BY s.snapshot_id");
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        out.add(
            new StoredSnapshot(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                rs.getInt(6),
                rs.getString(7),
                rs.getObject(8) == null
                    ? Optional.empty()
                    : Optional.of(Duration.ofMillis(rs.getLong(8))),
                // A JVM of a store from before runs had ids is a run of its own.
                rs.getString(12).isEmpty() ? "jvm-run:" + rs.getLong(9) : rs.getString(12),
                rs.getLong(10),
                rs.getLong(11),
                Optional.ofNullable(rs.getString(13))));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read moire store " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Runs a read-only SQL query with positional parameters and returns its rows, for reports and for
   * seed 000's validation queries.
   */
  public synchronized List<List<Object>> query(String sql, Object... params) {
    Checks.notNull(sql, "sql");
    List<List<Object>> rows = new ArrayList<>();
    try (PreparedStatement q = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        q.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = q.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<Object> row = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            row.add(rs.getObject(i));
          }
          rows.add(row);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("query on moire store " + file + " failed: " + e.getMessage(), e);
    }
    return rows;
  }

  private interface Row {
    void accept(ResultSet rs) throws SQLException;
  }

  private void query(String sql, long snapshotId, Row row) throws SQLException {
    try (PreparedStatement q = connection.prepareStatement(sql)) {
      q.setLong(1, snapshotId);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          row.accept(rs);
        }
      }
    }
  }

  private static ScopeKind scopeKind(String wire) {
    for (ScopeKind k : ScopeKind.values()) {
      if (k.wireName().equals(wire)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown scope kind: '" + wire + "'");
  }

  /** Closes the connection. */
  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close moire store " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "MoireStore[" + file + "]";
  }
}
